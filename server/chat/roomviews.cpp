// SPDX-License-Identifier: GPL-3.0-or-later
#include "chat/roomviews.h"

#include "chat/peer.h"
#include "chat/roomdirectory.h"
#include "storage/accountstore.h"
#include "storage/eventstore.h"
#include "storage/roomstore.h"

using namespace Qt::StringLiterals;

namespace confab::server {

RoomViews::RoomViews(StatementCache &reader, const RoomDirectory &rooms)
    : m_reader(reader)
    , m_rooms(rooms)
{ }

QString RoomViews::userName(qint64 id)
{
    auto it = m_userNames.constFind(id);
    if (it != m_userNames.cend())
        return it.value();
    const auto user = accountstore::userById(m_reader, id);
    QString name = user ? user->name : QString();
    m_userNames.insert(id, name);
    return name;
}

protocol::RoomSummary RoomViews::summary(const RoomRecord &room, qint64 user)
{
    protocol::RoomSummary s;
    s.id = room.id;
    s.direct = room.kind == RoomKind::Direct;
    s.name = room.name;
    s.topic = room.topic;
    s.lastSeq = room.lastSeq;
    s.memberCount = int(room.members.size());
    if (s.direct) {
        for (qint64 m : room.members)
            s.members.append(userName(m));
        // A direct room is named after the other person, which differs per viewer.
        s.name = userName(user);
        for (qint64 m : room.members) {
            if (m != user)
                s.name = userName(m);
        }
    }
    s.readSeq = roomstore::readSeq(m_reader, room.id, user);
    s.hasReadState = s.readSeq >= 0;
    if (s.hasReadState) {
        const auto counts = eventstore::unreadCounts(m_reader, room.id, user, s.readSeq);
        s.unread = counts.unread;
        s.mentions = counts.mentions;
    }
    return s;
}

protocol::SignedIn RoomViews::sessionState(qint64 user, const QString &name)
{
    protocol::SignedIn state;
    state.user = name;
    QList<qint64> ids = m_rooms.roomsOf(user).values();
    std::sort(ids.begin(), ids.end());
    for (qint64 id : ids) {
        if (const RoomRecord *room = m_rooms.room(id))
            state.rooms.append(summary(*room, user));
    }
    return state;
}

protocol::DirectoryEntry RoomViews::directoryEntry(const RoomRecord &room, qint64 user)
{
    return {room.id, room.name, room.topic, int(room.members.size()), room.members.contains(user)};
}

const RoomRecord *RoomViews::memberRoom(Peer *peer, const protocol::Request &r) const
{
    const qint64 id = protocol::requestRoom(r.body);
    const RoomRecord *room = m_rooms.room(id);
    // A direct room is nobody else's business: outsiders cannot tell it exists.
    if (!room || (room->kind == RoomKind::Direct && !room->members.contains(peer->userId()))) {
        peer->fail(r.id, protocol::ErrorCode::NotFound, u"no room %1"_s.arg(id));
        return nullptr;
    }
    if (!room->members.contains(peer->userId())) {
        peer->fail(
            r.id, protocol::ErrorCode::NotMember, u"you are not a member of room %1"_s.arg(id));
        return nullptr;
    }
    return room;
}

} // namespace confab::server
