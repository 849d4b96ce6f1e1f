// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "protocol/request.h"

#include <QSet>

namespace confab::server {

class Fanout;
class Peer;
class RoomDirectory;
class RoomViews;
class StorageWriter;

/*!
 * \brief `set_profile` (§18.2): checks and stores a user's display name, status and avatar,
 * then tells everyone who can see them in a member list, and the user's own devices.
 *
 * The profiles themselves are read through RoomViews, which caches them beside the names;
 * a change updates that cache after its commit.
 */
class Profiles
{
public:
    Profiles(StorageWriter &writer, const RoomDirectory &rooms, Fanout &fanout, RoomViews &views);

    void handleSetProfile(Peer *peer, const protocol::Request &r);

    /*! \brief \a user and everyone who shares a channel, direct or group room with them. */
    static QSet<qint64> audience(const RoomDirectory &rooms, qint64 user);

private:
    StorageWriter &m_writer;
    const RoomDirectory &m_rooms;
    Fanout &m_fanout;
    RoomViews &m_views;
};

} // namespace confab::server
