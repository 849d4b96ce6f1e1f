// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "storage/records.h"

#include <QHash>
#include <QList>
#include <QSet>
#include <optional>

namespace confab::server {

/*!
 * \brief The event loop's view of every room: members, topic and the last
 * sequence number that was committed and broadcast.
 *
 * Changed only when a write has committed, so what it says is always durable.
 * Broadcasts read members from here; resume and history read up to lastSeq,
 * which is what makes replay and live events meet without gap or overlap.
 */
class RoomDirectory
{
public:
    void load(const QList<RoomRecord> &rooms);
    void insert(const RoomRecord &room);

    const RoomRecord *room(qint64 id) const;
    bool isMember(qint64 room, qint64 user) const;
    QSet<qint64> roomsOf(qint64 user) const { return m_userRooms.value(user); }
    QList<const RoomRecord *> channels() const;

    /*! \brief The rank of \a user's role in \a room (§17.1); 0 for a member or a non-member. */
    int roleOf(qint64 room, qint64 user) const;

    /*! \brief Makes \a user a member with the rank \a role (a protocol::RoomRole). */
    void addMember(qint64 room, qint64 user, int role = 0);
    /*! \brief Ends the membership and with it the role. */
    void removeMember(qint64 room, qint64 user);
    /*! \brief Sets a member's role; ignored for a non-member. */
    void setRole(qint64 room, qint64 user, int role);
    void setPrivate(qint64 room, bool isPrivate);
    void setInvitesBy(qint64 room, int invitesBy);
    void setTopic(qint64 room, const QString &topic);
    void setLastSeq(qint64 room, qint64 seq);

    /*!
     * \brief \a user's read position in \a room as last cached, if it is: a cache of the
     * members table, filled by readers (RoomViews) and dropped when the membership changes,
     * since a join writes a new position.
     */
    std::optional<qint64> cachedReadSeq(qint64 room, qint64 user) const;
    /*! \brief Caches a committed read position (a const cache, filled as readers read). */
    void cacheReadSeq(qint64 room, qint64 user, qint64 seq) const;
    /*!
     * \brief \a user's notification level in \a room (a protocol::NotifyLevel) as last
     * cached, kept and dropped with the read position: a join writes the default level.
     */
    std::optional<int> cachedNotifyLevel(qint64 room, qint64 user) const;
    void cacheNotifyLevel(qint64 room, qint64 user, int level) const;
    /*! \brief Drops a cached level: set_notify is changing it. */
    void forgetNotifyLevel(qint64 room, qint64 user) const;

private:
    QHash<qint64, RoomRecord> m_rooms;
    QHash<qint64, QSet<qint64>> m_userRooms;
    // What a member's row in `members` said, by (room, user); -1: not cached.
    struct MemberRow
    {
        qint64 readSeq = -1;
        int notify = -1;
    };
    mutable QHash<std::pair<qint64, qint64>, MemberRow> m_readSeqs;
};

} // namespace confab::server
