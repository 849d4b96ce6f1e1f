// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "protocol/request.h"

namespace confab::server {

class Fanout;
class Peer;
class RoomDirectory;
class RoomViews;
class StorageWriter;

/*!
 * \brief Notification levels and do-not-disturb (§18.3): what the server keeps so that all
 * of a user's devices agree on what notifies.
 */
class NotifyLevels
{
public:
    NotifyLevels(
        StorageWriter &writer, const RoomDirectory &rooms, const Fanout &fanout, RoomViews &views);

    void handleSetNotify(Peer *peer, const protocol::Request &r);
    void handleSetDnd(Peer *peer, const protocol::Request &r);

private:
    StorageWriter &m_writer;
    const RoomDirectory &m_rooms;
    const Fanout &m_fanout;
    RoomViews &m_views;
};

} // namespace confab::server
