// SPDX-License-Identifier: GPL-3.0-or-later
// Channels and direct conversations: listing, creating, joining, leaving, topics, members.
#include "chat/chatservice.h"
#include "chat/peer.h"
#include "protocol/serverframe.h"
#include "storage/accountstore.h"
#include "storage/roomstore.h"
#include "storage/writecontext.h"

#include <QJsonArray>

using namespace Qt::StringLiterals;
using confab::protocol::ErrorCode;
using confab::protocol::EventKind;
using confab::protocol::RoomEvent;

namespace confab::server {

namespace {
RoomEvent makeEvent(qint64 room, EventKind kind, const QString &sender)
{
    RoomEvent e;
    e.room = room;
    e.kind = kind;
    e.sender = sender;
    return e;
}

// What a write that creates a room hands back to the event loop.
struct NewRoom
{
    RoomRecord room;
    QList<RoomEvent> events;
    bool existed = false;
    bool refused = false;
};
} // namespace

void ChatService::announceRoom(const RoomRecord &room, Peer *except)
{
    for (qint64 member : room.members)
        sendToUser(
            member, WireFrame::text(protocol::frames::room(roomSummary(room, member))), except);
}

protocol::DirectoryEntry ChatService::directoryEntry(const RoomRecord &room, qint64 user) const
{
    return {room.id, room.name, room.topic, int(room.members.size()), room.members.contains(user)};
}

void ChatService::announceChannel(const RoomRecord &room)
{
    if (room.kind != RoomKind::Channel)
        return;
    // Two encodings for everyone: members and the rest differ only in `joined`.
    const WireFrame forMembers = WireFrame::text(protocol::frames::directory(
        {room.id, room.name, room.topic, int(room.members.size()), true}));
    const WireFrame forOthers = WireFrame::text(protocol::frames::directory(
        {room.id, room.name, room.topic, int(room.members.size()), false}));
    for (auto it = m_online.cbegin(); it != m_online.cend(); ++it) {
        const WireFrame &frame = room.members.contains(it.key()) ? forMembers : forOthers;
        for (Peer *c : it.value())
            c->send(frame);
    }
}

void ChatService::handleListRooms(Peer *c, const protocol::Request &r)
{
    protocol::Directory directory;
    const auto channels = m_rooms.channels();
    for (const RoomRecord *room : channels)
        directory.rooms.append(directoryEntry(*room, c->userId()));
    c->reply(r.id, directory.toJson());
}

void ChatService::handleCreateRoom(Peer *c, const protocol::Request &r)
{
    const auto &request = r.as<protocol::body::CreateRoom>();
    const QString name = request.name.trimmed();
    const QString topic = request.topic;
    const qint64 user = c->userId();
    const QString sender = c->userName();
    auto result = std::make_shared<NewRoom>();
    write(
        c, r.id,
        [=](WriteContext &ctx) {
            *result = {};
            bool taken = false;
            if (!roomstore::channelNameTaken(ctx, name, &taken))
                return false;
            if (taken) {
                result->refused = true;
                return true;
            }
            qint64 id = 0;
            if (!roomstore::insertRoom(ctx, RoomKind::Channel, name, topic, {}, &id))
                return false;
            RoomEvent created = makeEvent(id, EventKind::Create, sender);
            created.text = name;
            created.topic = topic;
            RoomEvent joined = makeEvent(id, EventKind::Join, sender);
            if (!ctx.appendEvent(created, user) || !ctx.appendEvent(joined, user)
                || !roomstore::addMember(ctx, id, user, joined.seq))
                return false;
            result->room = RoomRecord {id, RoomKind::Channel, name, topic, {user}, 0};
            result->events = {created, joined};
            return true;
        },
        [=, this, id = r.id](Peer *conn) {
            if (result->refused) {
                if (conn)
                    conn->fail(id, ErrorCode::NameTaken, u"a channel with that name exists"_s);
                return;
            }
            m_rooms.insert(result->room);
            broadcastEvents(result->events);
            const RoomRecord *room = m_rooms.room(result->room.id);
            if (conn)
                conn->reply(id, protocol::RoomResult {roomSummary(*room, user)}.toJson());
            announceRoom(*room, conn);
            announceChannel(*room);
        });
}

void ChatService::handleJoin(Peer *c, const protocol::Request &r)
{
    const qint64 roomId = r.as<protocol::body::Join>().room;
    const RoomRecord *room = m_rooms.room(roomId);
    if (!room || room->kind == RoomKind::Direct)
        return c->fail(r.id, ErrorCode::NotFound, u"no channel %1"_s.arg(roomId));
    const qint64 user = c->userId();
    if (room->members.contains(user))
        return c->reply(r.id, protocol::RoomResult {roomSummary(*room, user)}.toJson());
    const QString sender = c->userName();
    auto event = std::make_shared<RoomEvent>();
    write(
        c, r.id,
        [=](WriteContext &ctx) {
            bool member = false;
            if (!roomstore::isMember(ctx, roomId, user, &member))
                return false;
            *event = makeEvent(roomId, EventKind::Join, sender);
            if (member) {
                event->seq = 0;
                return true;
            }
            // Everything before the join counts as read: joining is not 10,000 unread.
            return ctx.appendEvent(*event, user)
                && roomstore::addMember(ctx, roomId, user, event->seq);
        },
        [=, this, id = r.id](Peer *conn) {
            if (event->seq > 0) {
                m_rooms.addMember(roomId, user);
                broadcastEvents({*event});
            }
            const RoomRecord *joined = m_rooms.room(roomId);
            if (conn)
                conn->reply(id, protocol::RoomResult {roomSummary(*joined, user)}.toJson());
            sendToUser(
                user, WireFrame::text(protocol::frames::room(roomSummary(*joined, user))), conn);
        });
}

void ChatService::handleLeave(Peer *c, const protocol::Request &r)
{
    const RoomRecord *room = memberRoom(c, r);
    if (!room)
        return;
    if (room->kind == RoomKind::Direct)
        return c->fail(r.id, ErrorCode::Forbidden, u"direct conversations cannot be left"_s);
    const qint64 roomId = room->id;
    const qint64 user = c->userId();
    auto event = std::make_shared<RoomEvent>(makeEvent(roomId, EventKind::Leave, c->userName()));
    write(
        c, r.id,
        [=](WriteContext &ctx) {
            event->seq = 0;
            bool member = false;
            if (!roomstore::isMember(ctx, roomId, user, &member))
                return false;
            if (!member)
                return true;
            return ctx.appendEvent(*event, user) && roomstore::removeMember(ctx, roomId, user);
        },
        [=, this, id = r.id](Peer *conn) {
            if (event->seq > 0) {
                // The leaver's devices see their own leave event, then nothing more.
                broadcastEvents({*event});
                m_rooms.removeMember(roomId, user);
                QList<TypingTracker::Key> typing;
                if (m_typing.set(roomId, user, false, 0))
                    typing.append({roomId, user});
                clearTyping(typing);
            }
            if (!conn)
                return;
            if (event->seq == 0)
                return conn->fail(
                    id, ErrorCode::NotMember, u"you are not a member of room %1"_s.arg(roomId));
            conn->reply(id, protocol::EventSeq {event->seq}.toJson());
        });
}

void ChatService::handleSetTopic(Peer *c, const protocol::Request &r)
{
    const RoomRecord *room = memberRoom(c, r);
    if (!room)
        return;
    if (room->kind == RoomKind::Direct)
        return c->fail(r.id, ErrorCode::Forbidden, u"direct conversations have no topic"_s);
    const qint64 roomId = room->id;
    const qint64 user = c->userId();
    auto event = std::make_shared<RoomEvent>(makeEvent(roomId, EventKind::Topic, c->userName()));
    event->topic = r.as<protocol::body::SetTopic>().topic;
    write(
        c, r.id,
        [=](WriteContext &ctx) {
            bool member = false;
            if (!roomstore::isMember(ctx, roomId, user, &member))
                return false;
            event->seq = 0;
            if (!member)
                return true;
            return roomstore::setTopic(ctx, roomId, event->topic) && ctx.appendEvent(*event, user);
        },
        [=, this, id = r.id](Peer *conn) {
            if (event->seq == 0) {
                if (conn)
                    conn->fail(
                        id, ErrorCode::NotMember, u"you are not a member of room %1"_s.arg(roomId));
                return;
            }
            m_rooms.setTopic(roomId, event->topic);
            broadcastEvents({*event});
            if (conn)
                conn->reply(id, protocol::EventSeq {event->seq}.toJson());
            if (const RoomRecord *changed = m_rooms.room(roomId))
                announceChannel(*changed);
        });
}

void ChatService::handleOpenDirect(Peer *c, const protocol::Request &r)
{
    const auto other = accountstore::userByName(*m_reader, r.as<protocol::body::OpenDirect>().user);
    if (!other)
        return c->fail(r.id, ErrorCode::NotFound, u"no such user"_s);
    const qint64 me = c->userId();
    const QString myName = c->userName();
    const qint64 low = std::min(me, other->id);
    const qint64 high = std::max(me, other->id);
    const QString key = u"%1:%2"_s.arg(low).arg(high);
    auto result = std::make_shared<NewRoom>();
    write(
        c, r.id,
        [=](WriteContext &ctx) {
            *result = {};
            qint64 id = 0;
            if (!roomstore::directRoom(ctx, key, &id))
                return false;
            if (id) {
                result->existed = true;
                result->room.id = id;
                return true;
            }
            if (!roomstore::insertRoom(ctx, RoomKind::Direct, QString(), QString(), key, &id))
                return false;
            RoomEvent created = makeEvent(id, EventKind::Create, myName);
            if (!ctx.appendEvent(created, me))
                return false;
            result->events.append(created);
            for (const auto &[userId, userName] :
                {std::pair {me, myName}, std::pair {other->id, other->name}}) {
                if (result->room.members.contains(userId))
                    continue;
                RoomEvent joined = makeEvent(id, EventKind::Join, userName);
                if (!ctx.appendEvent(joined, userId)
                    || !roomstore::addMember(ctx, id, userId, created.seq))
                    return false;
                result->room.members.insert(userId);
                result->events.append(joined);
            }
            result->room.id = id;
            result->room.kind = RoomKind::Direct;
            return true;
        },
        [=, this, id = r.id](Peer *conn) {
            if (!result->existed) {
                m_rooms.insert(result->room);
                broadcastEvents(result->events);
            }
            const RoomRecord *room = m_rooms.room(result->room.id);
            if (!room) {
                if (conn)
                    conn->fail(id, ErrorCode::Internal, u"the conversation could not be loaded"_s);
                return;
            }
            if (conn)
                conn->reply(id, protocol::RoomResult {roomSummary(*room, me)}.toJson());
            if (!result->existed)
                announceRoom(*room, conn);
        });
}

void ChatService::handleMembers(Peer *c, const protocol::Request &r)
{
    const RoomRecord *room = memberRoom(c, r);
    if (!room)
        return;
    protocol::MemberList list;
    for (qint64 m : room->members)
        list.members.append({userName(m), m_online.contains(m)});
    std::sort(list.members.begin(), list.members.end(), [](const auto &a, const auto &b) {
        return a.user.compare(b.user, Qt::CaseInsensitive) < 0;
    });
    c->reply(r.id, list.toJson());
}

} // namespace confab::server
