// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "storage/records.h"

#include <QHash>
#include <QList>
#include <QSet>

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

    void addMember(qint64 room, qint64 user);
    void removeMember(qint64 room, qint64 user);
    void setTopic(qint64 room, const QString &topic);
    void setLastSeq(qint64 room, qint64 seq);

private:
    QHash<qint64, RoomRecord> m_rooms;
    QHash<qint64, QSet<qint64>> m_userRooms;
};

} // namespace confab::server
