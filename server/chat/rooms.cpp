// SPDX-License-Identifier: GPL-3.0-or-later
#include "chat/rooms.h"

#include "chat/fanout.h"
#include "chat/peer.h"
#include "chat/peerwrite.h"
#include "chat/roomdirectory.h"
#include "chat/roomlog.h"
#include "chat/roomviews.h"
#include "protocol/results.h"
#include "protocol/roles.h"
#include "storage/accountstore.h"
#include "storage/roomstore.h"
#include "storage/teamstore.h"
#include "storage/writecontext.h"

#include <QDateTime>

using namespace Qt::StringLiterals;
using confab::protocol::ErrorCode;
using confab::protocol::EventKind;
using confab::protocol::RoomEvent;

namespace confab::server {

namespace {

// What a write that creates a room hands back to the event loop.
struct NewRoom
{
    RoomRecord room;
    QList<RoomEvent> events;
    bool existed = false;
    bool refused = false;
};
} // namespace

Rooms::Rooms(StorageWriter &writer, StatementCache &reader, RoomDirectory &rooms, RoomLog &log,
    const Fanout &fanout, RoomViews &views)
    : m_writer(writer)
    , m_reader(reader)
    , m_rooms(rooms)
    , m_log(log)
    , m_fanout(fanout)
    , m_views(views)
{ }

void Rooms::handleListRooms(Peer *peer, const protocol::Request &r)
{
    protocol::Directory directory;
    const qint64 user = peer->userId();
    // Private channels only for their members and invitees (§17.2): one read for all.
    QSet<qint64> invited;
    const QList<protocol::Invitation> invitations = m_views.invitationsOf(user);
    for (const protocol::Invitation &i : invitations)
        invited.insert(i.room);
    const auto channels = m_rooms.channels();
    for (const RoomRecord *room : channels) {
        if (room->isPrivate && !room->members.contains(user) && !invited.contains(room->id))
            continue;
        directory.rooms.append(RoomViews::directoryEntry(*room, user));
    }
    peer->reply(r.id, directory.toJson());
}

void Rooms::handleCreateRoom(Peer *peer, const protocol::Request &r)
{
    const auto &request = r.as<protocol::body::CreateRoom>();
    const QString name = request.name.trimmed();
    const QString topic = request.topic;
    const bool isPrivate = request.isPrivate;
    const qint64 user = peer->userId();
    const QString sender = peer->userName();
    writeFor<NewRoom>(
        m_writer, peer, r.id,
        [=](WriteContext &ctx) -> std::optional<NewRoom> {
            NewRoom result;
            bool taken = false;
            if (!roomstore::channelNameTaken(ctx, name, &taken))
                return std::nullopt;
            if (taken) {
                result.refused = true;
                return result;
            }
            qint64 id = 0;
            if (!roomstore::insertRoom(ctx, RoomKind::Channel, name, topic, {}, &id))
                return std::nullopt;
            RoomEvent created = RoomLog::newEvent(id, EventKind::Create, sender);
            created.text = name;
            created.topic = topic;
            RoomEvent joined = RoomLog::newEvent(id, EventKind::Join, sender);
            // Whoever creates a channel owns it (§17.1).
            const int owner = int(protocol::RoomRole::Owner);
            if (!ctx.appendEvent(created, user) || !ctx.appendEvent(joined, user)
                || !roomstore::addMember(ctx, id, user, joined.seq)
                || !teamstore::setRole(ctx, id, user, owner)
                || (isPrivate
                    && !teamstore::setRoomSettings(
                        ctx, id, true, int(protocol::InvitePolicy::Members))))
                return std::nullopt;
            result.room = RoomRecord {id, RoomKind::Channel, name, topic, {user}, 0};
            result.room.isPrivate = isPrivate;
            result.room.roles.insert(user, owner);
            result.events = {created, joined};
            return result;
        },
        [this, user, id = r.id](Peer *p, const NewRoom &result) {
            if (result.refused) {
                if (p)
                    p->fail(id, ErrorCode::NameTaken, u"a channel with that name exists"_s);
                return;
            }
            m_rooms.insert(result.room);
            m_log.broadcast(result.events);
            const RoomRecord *room = m_rooms.room(result.room.id);
            if (p)
                p->reply(id, protocol::RoomResult {m_views.summary(*room, user)}.toJson());
            m_log.announceRoom(*room, p);
            m_log.announceChannel(*room);
        });
}

void Rooms::handleOpenDirect(Peer *peer, const protocol::Request &r)
{
    const auto other = accountstore::userByName(m_reader, r.as<protocol::body::OpenDirect>().user);
    if (!other)
        return peer->fail(r.id, ErrorCode::NotFound, u"no such user"_s);
    const qint64 me = peer->userId();
    const QString myName = peer->userName();
    const qint64 low = std::min(me, other->id);
    const qint64 high = std::max(me, other->id);
    const QString key = u"%1:%2"_s.arg(low).arg(high);
    writeFor<NewRoom>(
        m_writer, peer, r.id,
        [=](WriteContext &ctx) -> std::optional<NewRoom> {
            NewRoom result;
            qint64 id = 0;
            if (!roomstore::directRoom(ctx, key, &id))
                return std::nullopt;
            if (id) {
                result.existed = true;
                result.room.id = id;
                return result;
            }
            if (!roomstore::insertRoom(ctx, RoomKind::Direct, QString(), QString(), key, &id))
                return std::nullopt;
            RoomEvent created = RoomLog::newEvent(id, EventKind::Create, myName);
            if (!ctx.appendEvent(created, me))
                return std::nullopt;
            result.events.append(created);
            for (const auto &[userId, userName] :
                {std::pair {me, myName}, std::pair {other->id, other->name}}) {
                if (result.room.members.contains(userId))
                    continue;
                RoomEvent joined = RoomLog::newEvent(id, EventKind::Join, userName);
                if (!ctx.appendEvent(joined, userId)
                    || !roomstore::addMember(ctx, id, userId, created.seq))
                    return std::nullopt;
                result.room.members.insert(userId);
                result.events.append(joined);
            }
            result.room.id = id;
            result.room.kind = RoomKind::Direct;
            return result;
        },
        [this, me, id = r.id](Peer *p, const NewRoom &result) {
            if (!result.existed) {
                m_rooms.insert(result.room);
                m_log.broadcast(result.events);
            }
            const RoomRecord *room = m_rooms.room(result.room.id);
            if (!room) {
                if (p)
                    p->fail(id, ErrorCode::Internal, u"the conversation could not be loaded"_s);
                return;
            }
            if (p)
                p->reply(id, protocol::RoomResult {m_views.summary(*room, me)}.toJson());
            if (!result.existed)
                m_log.announceRoom(*room, p);
        });
}

void Rooms::handleMembers(Peer *peer, const protocol::Request &r)
{
    const RoomRecord *room = m_views.memberRoom(peer, r);
    if (!room)
        return;
    protocol::MemberList list;
    const bool channel = room->kind == RoomKind::Channel;
    const QHash<qint64, qint64> muted = channel
        ? teamstore::activeMutes(m_reader, room->id, QDateTime::currentMSecsSinceEpoch())
        : QHash<qint64, qint64>();
    for (qint64 m : room->members) {
        protocol::Member member {m_views.userName(m), m_fanout.isOnlineAnywhere(m), {},
            std::nullopt, m_views.profile(m)};
        if (channel)
            member.role = protocol::roomRoleName(protocol::RoomRole(room->roleOf(m)));
        if (const auto it = muted.constFind(m); it != muted.cend())
            member.mutedUntil = it.value();
        list.members.append(member);
    }
    std::sort(list.members.begin(), list.members.end(), [](const auto &a, const auto &b) {
        return a.user.compare(b.user, Qt::CaseInsensitive) < 0;
    });
    peer->reply(r.id, list.toJson());
}

void Rooms::roomCreatedElsewhere(qint64 roomId)
{
    if (auto room = roomstore::load(m_reader, roomId)) {
        m_rooms.insert(*room);
        m_log.announceRoom(*room, nullptr);
        m_log.announceChannel(*room);
    }
}

} // namespace confab::server
