// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "protocol/request.h"

namespace confab::server {

class Fanout;
class Peer;
class RoomLog;
class RoomViews;
class StatementCache;
class StorageWriter;

/*!
 * \brief Invitations to channels (§17.3): `invite`, which appends an invite event and
 * records the invitation in one transaction, and `decline_invite`. `join` accepts one.
 */
class Invitations
{
public:
    Invitations(StorageWriter &writer, StatementCache &reader, RoomLog &log, const Fanout &fanout,
        RoomViews &views);

    void handleInvite(Peer *peer, const protocol::Request &r);
    void handleDeclineInvite(Peer *peer, const protocol::Request &r);

private:
    StorageWriter &m_writer;
    StatementCache &m_reader;
    RoomLog &m_log;
    const Fanout &m_fanout;
    RoomViews &m_views;
};

} // namespace confab::server
