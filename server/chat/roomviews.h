// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "protocol/directoryentry.h"
#include "protocol/request.h"
#include "protocol/results.h"
#include "protocol/roomsummary.h"
#include "storage/records.h"

#include <QHash>

namespace confab::server {

class Peer;
class RoomDirectory;
class StatementCache;

/*!
 * \brief What a user may see of rooms and users: summaries with their read state, the
 * signed-in state, directory entries, user names, and the membership check every room
 * request starts with.
 */
class RoomViews
{
public:
    RoomViews(StatementCache &reader, const RoomDirectory &rooms);

    QString userName(qint64 id);
    void rememberName(qint64 id, const QString &name) { m_userNames.insert(id, name); }

    protocol::RoomSummary summary(const RoomRecord &room, qint64 user);
    /*! \brief The signed-in result without token and expiry: who, and every room. */
    protocol::SignedIn sessionState(qint64 user, const QString &name);
    static protocol::DirectoryEntry directoryEntry(const RoomRecord &room, qint64 user);

    /*!
     * \brief The room \a r names, if \a peer's user is a member; otherwise null, and the
     * peer has been answered not_found or not_member.
     */
    const RoomRecord *memberRoom(Peer *peer, const protocol::Request &r) const;

private:
    StatementCache &m_reader;
    const RoomDirectory &m_rooms;
    QHash<qint64, QString> m_userNames;
};

} // namespace confab::server
