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
class StorageWriter;

/*!
 * \brief Which rooms there are: the channel directory, creating channels and direct
 * conversations, member lists, and rooms an operator created from another process.
 */
class Rooms
{
public:
    Rooms(StorageWriter &writer, StatementCache &reader, RoomDirectory &rooms, RoomLog &log,
        const Fanout &fanout, RoomViews &views);

    void handleListRooms(Peer *peer, const protocol::Request &r);
    void handleCreateRoom(Peer *peer, const protocol::Request &r);
    void handleOpenDirect(Peer *peer, const protocol::Request &r);
    void handleMembers(Peer *peer, const protocol::Request &r);

    /*! \brief An operator created room \a roomId (confabd admin): load and announce it. */
    void roomCreatedElsewhere(qint64 roomId);

private:
    StorageWriter &m_writer;
    StatementCache &m_reader;
    RoomDirectory &m_rooms;
    RoomLog &m_log;
    const Fanout &m_fanout;
    RoomViews &m_views;
};

} // namespace confab::server
