// SPDX-License-Identifier: GPL-3.0-or-later
#include "chat/roomviews.h"

#include "chat/fanout.h"
#include "chat/peer.h"
#include "chat/ranks.h"
#include "chat/roomdirectory.h"
#include "net/wireframe.h"
#include "protocol/roles.h"
#include "protocol/serverframe.h"
#include "storage/accountstore.h"
#include "storage/eventstore.h"
#include "storage/notifystore.h"
#include "storage/roomstore.h"
#include "storage/teamstore.h"

using namespace Qt::StringLiterals;

namespace confab::server {

namespace {
protocol::Invitation invitationOf(const RoomInviteRecord &r)
{
    return {r.room, r.name, r.topic, r.isPrivate, r.by, r.createdMs};
}
} // namespace

RoomViews::RoomViews(StatementCache &reader, const RoomDirectory &rooms, const Ranks &ranks)
    : m_reader(reader)
    , m_rooms(rooms)
    , m_ranks(ranks)
    , m_unread(reader, rooms)
{ }

void RoomViews::warmUp()
{
    const QHash<qint64, qint64> dnd = notifystore::allDndUntil(m_reader);
    const std::optional<QSet<qint64>> invited = teamstore::usersWithInvites(m_reader);
    for (auto it = dnd.cbegin(); it != dnd.cend(); ++it) {
        m_dnd.insert(it.key(), it.value());
        if (invited && !invited->contains(it.key()))
            m_noInvitations.insert(it.key());
    }
    const QList<notifystore::MemberState> members
        = notifystore::memberStates(m_reader, MemberRowsAtStart);
    for (const notifystore::MemberState &m : members) {
        m_rooms.cacheReadSeq(m.room, m.user, m.readSeq);
        // As notifystore::level() reads it: a number this build does not know is the default.
        const bool known = m.notify >= int(protocol::NotifyLevel::All)
            && m.notify <= int(protocol::NotifyLevel::Nothing);
        m_rooms.cacheNotifyLevel(
            m.room, m.user, known ? m.notify : int(protocol::NotifyLevel::All));
    }
}

qint64 RoomViews::readSeq(qint64 room, qint64 user)
{
    if (const std::optional<qint64> cached = m_rooms.cachedReadSeq(room, user))
        return *cached;
    const qint64 seq = roomstore::readSeq(m_reader, room, user);
    if (seq >= 0)
        m_rooms.cacheReadSeq(room, user, seq);
    return seq;
}

protocol::ReadState RoomViews::readState(qint64 room, qint64 user, qint64 readSeq)
{
    const auto counts = m_unread.counts(room, user, readSeq);
    return {room, readSeq, counts.unread, counts.mentions};
}

void RoomViews::readSeqCommitted(qint64 room, qint64 user, qint64 seq)
{
    m_rooms.cacheReadSeq(room, user, seq);
}

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

protocol::Profile RoomViews::profile(qint64 id)
{
    auto it = m_profiles.constFind(id);
    if (it == m_profiles.cend()) {
        // A failed read is not cached: the next list tries again.
        const std::optional<ProfileRecord> stored = profilestore::profile(m_reader, id);
        if (!stored)
            return {userName(id), {}, {}, 0};
        it = m_profiles.insert(id, *stored);
    }
    return {userName(id), it->displayName, it->status, it->avatar};
}

protocol::RoomSummary RoomViews::summary(const RoomRecord &room, qint64 user)
{
    protocol::RoomSummary s;
    s.id = room.id;
    s.direct = room.kind != RoomKind::Channel;
    s.group = room.kind == RoomKind::Group;
    s.name = room.name;
    s.topic = room.topic;
    s.lastSeq = room.lastSeq;
    s.memberCount = int(room.members.size());
    if (s.group) {
        conversationMembers(room, user, &s);
    } else if (s.direct) {
        for (qint64 m : room.members)
            s.members.append(userName(m));
        // A direct room is named after the other person, which differs per viewer.
        s.name = userName(user);
        for (qint64 m : room.members) {
            if (m != user)
                s.name = userName(m);
        }
    } else {
        s.isPrivate = room.isPrivate;
        s.invitesBy = protocol::invitePolicyName(protocol::InvitePolicy(room.invitesBy));
        s.role = protocol::roomRoleName(protocol::RoomRole(room.roleOf(user)));
    }
    s.readSeq = readSeq(room.id, user);
    s.hasReadState = s.readSeq >= 0;
    if (s.hasReadState) {
        const auto counts = m_unread.counts(room.id, user, s.readSeq);
        s.unread = counts.unread;
        s.mentions = counts.mentions;
        s.notify = protocol::NotifyLevelNames.toName(notifyLevel(room.id, user));
    }
    return s;
}

void RoomViews::conversationMembers(const RoomRecord &room, qint64 user, protocol::RoomSummary *s)
{
    QStringList others;
    for (qint64 m : room.members) {
        const QString name = userName(m);
        s->members.append(name);
        if (m != user)
            others.append(name);
    }
    const auto byName
        = [](const QString &a, const QString &b) { return a.compare(b, Qt::CaseInsensitive) < 0; };
    std::sort(s->members.begin(), s->members.end(), byName);
    std::sort(others.begin(), others.end(), byName);
    // Unnamed, a group is called after the others, which differs per viewer (§18.4).
    if (s->name.isEmpty())
        s->name = others.isEmpty() ? userName(user) : others.join(u", "_s);
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
    state.hasTeams = true;
    state.admin = m_ranks.isAdmin(user);
    state.invites = invitationsOf(user);
    state.profile = profile(user);
    state.dndUntil = dndUntil(user);
    return state;
}

protocol::DirectoryEntry RoomViews::directoryEntry(const RoomRecord &room, qint64 user)
{
    return {room.id, room.name, room.topic, int(room.members.size()), room.members.contains(user),
        room.isPrivate};
}

bool RoomViews::isInvited(qint64 room, qint64 user) const
{
    return teamstore::inviteSeq(m_reader, room, user) > 0;
}

QSet<qint64> RoomViews::invitees(qint64 room) const
{
    return teamstore::invitees(m_reader, room);
}

QList<protocol::Invitation> RoomViews::invitationsOf(qint64 user) const
{
    QList<protocol::Invitation> list;
    // Most accounts have none: only that is remembered, so a room's new name or topic, or
    // an inviter's, never needs telling here.
    if (m_noInvitations.contains(user) && !m_invitationsChanging.contains(user))
        return list;
    const QList<RoomInviteRecord> records = teamstore::invitesOf(m_reader, user);
    for (const RoomInviteRecord &r : records)
        list.append(invitationOf(r));
    // An empty list is also what a failed read gives: asked again before it is remembered.
    if (records.isEmpty() && !m_invitationsChanging.contains(user)
        && teamstore::hasInvites(m_reader, user) == std::optional(false))
        m_noInvitations.insert(user);
    return list;
}

std::shared_ptr<void> RoomViews::invitationsChanging(qint64 user)
{
    m_noInvitations.remove(user);
    return m_invitationsChanging.hold(user, [this, user] { m_noInvitations.remove(user); });
}

protocol::NotifyLevel RoomViews::notifyLevel(qint64 room, qint64 user)
{
    const bool changing = m_notifyChanging.contains({room, user});
    if (!changing) {
        if (const std::optional<int> cached = m_rooms.cachedNotifyLevel(room, user))
            return protocol::NotifyLevel(*cached);
    }
    const std::optional<protocol::NotifyLevel> level
        = notifystore::storedLevel(m_reader, room, user);
    if (!level)
        return protocol::NotifyLevel::All;
    if (!changing)
        m_rooms.cacheNotifyLevel(room, user, int(*level));
    return *level;
}

std::shared_ptr<void> RoomViews::notifyLevelChanging(qint64 room, qint64 user)
{
    m_rooms.forgetNotifyLevel(room, user);
    return m_notifyChanging.hold(
        {room, user}, [this, room, user] { m_rooms.forgetNotifyLevel(room, user); });
}

qint64 RoomViews::dndUntil(qint64 user)
{
    const bool changing = m_dndChanging.contains(user);
    if (!changing) {
        const auto it = m_dnd.constFind(user);
        if (it != m_dnd.cend())
            return it.value();
    }
    const std::optional<qint64> until = notifystore::storedDndUntil(m_reader, user);
    if (until && !changing)
        m_dnd.insert(user, *until);
    return until.value_or(0);
}

std::shared_ptr<void> RoomViews::dndChanging(qint64 user)
{
    m_dnd.remove(user);
    return m_dndChanging.hold(user, [this, user] { m_dnd.remove(user); });
}

std::optional<protocol::Invitation> RoomViews::invitation(qint64 room, qint64 user) const
{
    const auto record = teamstore::invite(m_reader, room, user);
    if (!record)
        return std::nullopt;
    return invitationOf(*record);
}

bool RoomViews::hiddenFrom(const RoomRecord &room, qint64 user) const
{
    if (room.members.contains(user))
        return false;
    if (room.kind != RoomKind::Channel)
        return true;
    return room.isPrivate && !isInvited(room.id, user);
}

void RoomViews::unlistIfHidden(const Fanout &fanout, qint64 roomId, qint64 user) const
{
    const RoomRecord *room = m_rooms.room(roomId);
    // Admins too: list_rooms hides a private channel from an admin who is not in it (§17.2).
    if (!room || room->kind != RoomKind::Channel || !room->isPrivate || !hiddenFrom(*room, user))
        return;
    fanout.sendToUser(user, WireFrame::text(protocol::frames::unlisted(roomId)));
}

const RoomRecord *RoomViews::memberRoom(Peer *peer, const protocol::Request &r) const
{
    const qint64 id = protocol::requestRoom(r.body);
    const RoomRecord *room = m_rooms.room(id);
    // Another instance may have created the room or added the member a moment ago.
    if ((!room || !room->members.contains(peer->userId())) && m_beforeRefusing) {
        m_beforeRefusing(id);
        room = m_rooms.room(id);
    }
    // A direct room or a private channel is nobody else's business: outsiders cannot tell
    // it exists.
    if (!room || hiddenFrom(*room, peer->userId())) {
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
