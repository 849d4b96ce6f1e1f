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
 * \brief Group conversations (§18.4): opening one with several people, and adding people
 * later. Leaving is the ordinary `leave` (RoomLog).
 */
class Groups
{
public:
    Groups(StorageWriter &writer, StatementCache &reader, RoomDirectory &rooms, RoomLog &log,
        const Fanout &fanout, RoomViews &views);

    void handleOpenGroup(Peer *peer, const protocol::Request &r);
    void handleAddToGroup(Peer *peer, const protocol::Request &r);

private:
    StorageWriter &m_writer;
    StatementCache &m_reader;
    RoomDirectory &m_rooms;
    RoomLog &m_log;
    const Fanout &m_fanout;
    RoomViews &m_views;
};

} // namespace confab::server
