// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "core/serverconfig.h"
#include "protocol/request.h"

namespace confab::server {

class Fanout;
class Peer;
class RoomDirectory;
class RoomViews;
class StatementCache;
class StorageWriter;

/*!
 * \brief Reading rooms' logs back: history pages, the resume after a reconnect, the
 * events around one message, and read positions with their unread counts.
 */
class History
{
public:
    History(const ServerConfig &config, StorageWriter &writer, StatementCache &reader,
        const RoomDirectory &rooms, const Fanout &fanout, RoomViews &views);

    void handleHistory(Peer *peer, const protocol::Request &r);
    void handleSync(Peer *peer, const protocol::Request &r);
    void handleContext(Peer *peer, const protocol::Request &r);
    void handleMarkRead(Peer *peer, const protocol::Request &r);

private:
    const ServerConfig &m_config;
    StorageWriter &m_writer;
    StatementCache &m_reader;
    const RoomDirectory &m_rooms;
    const Fanout &m_fanout;
    RoomViews &m_views;
};

} // namespace confab::server
