// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "protocol/request.h"

namespace confab::server {

class Fanout;
class Peer;
class RoomDirectory;
class RoomLog;
class RoomViews;
class StatementCache;

/*!
 * \brief What an owner changes in a channel (§17.1, §17.2): its settings (`set_room`) and
 * members' roles (`set_role`), each an event appended with the change in one transaction.
 */
class RoomSettings
{
public:
    RoomSettings(StatementCache &reader, RoomDirectory &rooms, RoomLog &log, const Fanout &fanout,
        RoomViews &views);

    void handleSetRoom(Peer *peer, const protocol::Request &r);
    void handleSetRole(Peer *peer, const protocol::Request &r);

private:
    /*! \brief \a roomId became private: outsiders drop it from the directory they show. */
    void unlist(qint64 roomId);

    StatementCache &m_reader;
    RoomDirectory &m_rooms;
    RoomLog &m_log;
    const Fanout &m_fanout;
    RoomViews &m_views;
};

} // namespace confab::server
