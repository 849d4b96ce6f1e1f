// SPDX-License-Identifier: GPL-3.0-or-later
#include "chat/roomdirectory.h"

#include <algorithm>

namespace confab::server {

void RoomDirectory::load(const QList<RoomRecord> &rooms)
{
    m_rooms.clear();
    m_userRooms.clear();
    for (const RoomRecord &r : rooms)
        insert(r);
}

void RoomDirectory::insert(const RoomRecord &room)
{
    if (const RoomRecord *old = this->room(room.id)) {
        for (qint64 user : old->members) {
            m_userRooms[user].remove(room.id);
            m_readSeqs.remove({room.id, user});
        }
    }
    m_rooms.insert(room.id, room);
    for (qint64 user : room.members) {
        m_userRooms[user].insert(room.id);
        m_readSeqs.remove({room.id, user});
    }
}

const RoomRecord *RoomDirectory::room(qint64 id) const
{
    const auto it = m_rooms.constFind(id);
    return it == m_rooms.cend() ? nullptr : &it.value();
}

bool RoomDirectory::isMember(qint64 room, qint64 user) const
{
    const RoomRecord *r = this->room(room);
    return r && r->members.contains(user);
}

QList<const RoomRecord *> RoomDirectory::channels() const
{
    QList<const RoomRecord *> list;
    for (const RoomRecord &r : m_rooms) {
        if (r.kind == RoomKind::Channel)
            list.append(&r);
    }
    std::sort(list.begin(), list.end(), [](auto *a, auto *b) { return a->id < b->id; });
    return list;
}

int RoomDirectory::roleOf(qint64 room, qint64 user) const
{
    const RoomRecord *r = this->room(room);
    return r ? r->roleOf(user) : 0;
}

void RoomDirectory::addMember(qint64 room, qint64 user, int role)
{
    auto it = m_rooms.find(room);
    if (it == m_rooms.end())
        return;
    it->members.insert(user);
    m_readSeqs.remove({room, user});
    if (role > 0)
        it->roles.insert(user, role);
    else
        it->roles.remove(user);
    m_userRooms[user].insert(room);
}

void RoomDirectory::removeMember(qint64 room, qint64 user)
{
    m_readSeqs.remove({room, user});
    auto it = m_rooms.find(room);
    if (it != m_rooms.end()) {
        it->members.remove(user);
        it->roles.remove(user);
    }
    auto rooms = m_userRooms.find(user);
    if (rooms != m_userRooms.end()) {
        rooms->remove(room);
        if (rooms->isEmpty())
            m_userRooms.erase(rooms);
    }
}

void RoomDirectory::setRole(qint64 room, qint64 user, int role)
{
    auto it = m_rooms.find(room);
    if (it == m_rooms.end() || !it->members.contains(user))
        return;
    if (role > 0)
        it->roles.insert(user, role);
    else
        it->roles.remove(user);
}

void RoomDirectory::setPrivate(qint64 room, bool isPrivate)
{
    auto it = m_rooms.find(room);
    if (it != m_rooms.end())
        it->isPrivate = isPrivate;
}

void RoomDirectory::setInvitesBy(qint64 room, int invitesBy)
{
    auto it = m_rooms.find(room);
    if (it != m_rooms.end())
        it->invitesBy = invitesBy;
}

void RoomDirectory::setTopic(qint64 room, const QString &topic)
{
    auto it = m_rooms.find(room);
    if (it != m_rooms.end())
        it->topic = topic;
}

void RoomDirectory::setLastSeq(qint64 room, qint64 seq)
{
    auto it = m_rooms.find(room);
    if (it != m_rooms.end())
        it->lastSeq = std::max(it->lastSeq, seq);
}

std::optional<qint64> RoomDirectory::cachedReadSeq(qint64 room, qint64 user) const
{
    auto it = m_readSeqs.constFind({room, user});
    if (it == m_readSeqs.cend() || it->readSeq < 0)
        return std::nullopt;
    return it->readSeq;
}

void RoomDirectory::cacheReadSeq(qint64 room, qint64 user, qint64 seq) const
{
    if (isMember(room, user))
        m_readSeqs[{room, user}].readSeq = seq;
}

std::optional<int> RoomDirectory::cachedNotifyLevel(qint64 room, qint64 user) const
{
    auto it = m_readSeqs.constFind({room, user});
    if (it == m_readSeqs.cend() || it->notify < 0)
        return std::nullopt;
    return it->notify;
}

void RoomDirectory::cacheNotifyLevel(qint64 room, qint64 user, int level) const
{
    if (isMember(room, user))
        m_readSeqs[{room, user}].notify = level;
}

void RoomDirectory::forgetNotifyLevel(qint64 room, qint64 user) const
{
    auto it = m_readSeqs.find({room, user});
    if (it != m_readSeqs.end())
        it->notify = -1;
}

} // namespace confab::server
