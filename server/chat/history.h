// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "core/serverconfig.h"
#include "protocol/request.h"

#include <functional>

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
    /*! \brief Several instances: \a hook hears each read position committed here. */
    void setReadHook(std::function<void(qint64 room, qint64 user, qint64 seq)> hook)
    {
        m_readMoved = std::move(hook);
    }
    /*! \brief Another instance: \a user read \a room up to \a seq; tells their devices here. */
    void readElsewhere(qint64 room, qint64 user, qint64 seq);

private:
    const ServerConfig &m_config;
    StorageWriter &m_writer;
    StatementCache &m_reader;
    const RoomDirectory &m_rooms;
    const Fanout &m_fanout;
    RoomViews &m_views;
    std::function<void(qint64, qint64, qint64)> m_readMoved;
};

} // namespace confab::server
