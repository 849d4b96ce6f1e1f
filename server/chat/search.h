// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "core/serverconfig.h"
#include "protocol/request.h"

namespace confab::server {

class Peer;
class RoomViews;
class StatementCache;

/*!
 * \brief `search` (protocol §5.23): checks the filters, runs the query on the read
 * connection, and keeps the reply within the per-reply budget.
 */
class Search
{
public:
    Search(const ServerConfig &config, StatementCache &reader, RoomViews &views);

    void handleSearch(Peer *peer, const protocol::Request &r);

private:
    const ServerConfig &m_config;
    StatementCache &m_reader;
    RoomViews &m_views;
};

} // namespace confab::server
