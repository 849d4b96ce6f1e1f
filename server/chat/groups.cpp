// SPDX-License-Identifier: GPL-3.0-or-later
#include "chat/groups.h"

#include "chat/fanout.h"
#include "chat/peer.h"
#include "chat/peerwrite.h"
#include "chat/roomdirectory.h"
#include "chat/roomlog.h"
#include "chat/roomviews.h"
#include "net/wireframe.h"
#include "protocol/results.h"
#include "protocol/selfservice.h"
#include "protocol/serverframe.h"
#include "storage/accountstore.h"
#include "storage/roomstore.h"
#include "storage/writecontext.h"

#include <QLoggingCategory>

using namespace Qt::StringLiterals;
using confab::protocol::ErrorCode;
using confab::protocol::EventKind;
using confab::protocol::RoomEvent;

Q_LOGGING_CATEGORY(lcGroups, "confab.groups", QtInfoMsg)

namespace confab::server {

namespace {

struct NewGroup
{
    RoomRecord room;
    QList<RoomEvent> events;
    QString gone; //!< a user who deleted their account since the handler looked: nothing made
};

QJsonObject fieldDetails(const QString &field)
{
    return {{u"field"_s, field}};
}
} // namespace

Groups::Groups(StorageWriter &writer, StatementCache &reader, RoomDirectory &rooms, RoomLog &log,
    const Fanout &fanout, RoomViews &views)
    : m_writer(writer)
    , m_reader(reader)
    , m_rooms(rooms)
    , m_log(log)
    , m_fanout(fanout)
    , m_views(views)
{ }

void Groups::handleOpenGroup(Peer *peer, const protocol::Request &r)
{
    const auto &request = r.as<protocol::body::OpenGroup>();
    const qint64 me = peer->userId();
    const QString myName = peer->userName();
    // The creator first, then the others in the order asked: the order of the join events.
    QList<std::pair<qint64, QString>> people {{me, myName}};
    for (const QString &name : request.users) {
        const auto user = accountstore::userByName(m_reader, name);
        if (!user)
            return peer->fail(r.id, ErrorCode::NotFound, u"no such user: %1"_s.arg(name),
                fieldDetails(u"users"_s));
        // Your own name is ignored; the codec already refused other repeats.
        if (user->id == me)
            continue;
        people.append({user->id, user->name});
    }
    if (people.size() < 2)
        return peer->fail(r.id, ErrorCode::BadRequest, u"a group needs someone besides you"_s,
            fieldDetails(u"users"_s));
    const QString name = request.name.trimmed();
    writeFor<NewGroup>(
        m_writer, peer, r.id,
        [=](WriteContext &ctx) -> std::optional<NewGroup> {
            NewGroup result;
            // A delete_account that committed after the lookup above makes that user unknown.
            for (const auto &[userId, userName] : people) {
                bool live = false;
                if (!accountstore::accountLive(ctx, userId, &live))
                    return std::nullopt;
                if (!live) {
                    result.gone = userName;
                    return result;
                }
            }
            qint64 id = 0;
            if (!roomstore::insertRoom(ctx, RoomKind::Group, name, QString(), QString(), &id))
                return std::nullopt;
            RoomEvent created = RoomLog::newEvent(id, EventKind::Create, myName);
            created.text = name;
            if (!ctx.appendEvent(created, me))
                return std::nullopt;
            result.events.append(created);
            for (const auto &[userId, userName] : people) {
                RoomEvent joined = RoomLog::newEvent(id, EventKind::Join, userName);
                // As in a direct room, everything but the create event is there to read.
                if (!ctx.appendEvent(joined, userId)
                    || !roomstore::addMember(ctx, id, userId, created.seq))
                    return std::nullopt;
                result.room.members.insert(userId);
                result.events.append(joined);
            }
            result.room.id = id;
            result.room.kind = RoomKind::Group;
            result.room.name = name;
            return result;
        },
        [this, me, id = r.id](Peer *p, const NewGroup &result) {
            if (!result.gone.isEmpty()) {
                if (p)
                    p->fail(id, ErrorCode::NotFound, u"no such user: %1"_s.arg(result.gone),
                        fieldDetails(u"users"_s));
                return;
            }
            m_rooms.insert(result.room);
            m_log.broadcast(result.events);
            const RoomRecord *room = m_rooms.room(result.room.id);
            if (!room) {
                if (p)
                    p->fail(id, ErrorCode::Internal, u"the group could not be loaded"_s);
                return;
            }
            qCDebug(lcGroups) << "group" << room->id << "opened with" << room->members.size()
                              << "members";
            if (p)
                p->reply(id, protocol::RoomResult {m_views.summary(*room, me)}.toJson());
            m_log.announceRoom(*room, p);
        });
}

void Groups::handleAddToGroup(Peer *peer, const protocol::Request &r)
{
    const auto &request = r.as<protocol::body::RoomUser>();
    const qint64 me = peer->userId();
    const RoomRecord *room = m_rooms.room(request.room);
    // Channels and direct rooms are not groups, and others' groups are not there for you.
    if (!room || room->kind != RoomKind::Group || !room->members.contains(me))
        return peer->fail(
            r.id, ErrorCode::NotFound, u"no group %1"_s.arg(request.room), fieldDetails(u"room"_s));
    const auto target = accountstore::userByName(m_reader, request.user);
    if (!target)
        return peer->fail(r.id, ErrorCode::NotFound, u"no such user"_s, fieldDetails(u"user"_s));
    if (room->members.contains(target->id))
        return peer->fail(r.id, ErrorCode::AlreadyMember,
            u"%1 is in the group already"_s.arg(target->name), fieldDetails(u"user"_s));
    if (room->members.size() >= protocol::MaxGroupMembers)
        return peer->fail(r.id, ErrorCode::Forbidden,
            u"a group has at most %1 members"_s.arg(protocol::MaxGroupMembers));
    const qint64 roomId = room->id;
    const qint64 added = target->id;
    RoomLog::Entry entry;
    entry.event = RoomLog::newEvent(roomId, EventKind::Add, peer->userName());
    entry.event.user = target->name;
    entry.authorId = me;
    // Checked again in the transaction: another add may have committed since, or the user's
    // delete_account.
    entry.check = [roomId, added](WriteContext &ctx) -> std::optional<RoomLog::Verdict> {
        bool member = false;
        bool live = false;
        int count = 0;
        if (!accountstore::accountLive(ctx, added, &live)
            || !roomstore::isMember(ctx, roomId, added, &member)
            || !roomstore::memberCount(ctx, roomId, &count))
            return std::nullopt;
        if (!live)
            return RoomLog::Verdict {RoomLog::Verdict::Outcome::Refused, {}, ErrorCode::NotFound,
                u"no such user"_s, fieldDetails(u"user"_s)};
        if (member)
            return RoomLog::Verdict {RoomLog::Verdict::Outcome::Refused, {},
                ErrorCode::AlreadyMember, u"already in the group"_s, fieldDetails(u"user"_s)};
        if (count >= protocol::MaxGroupMembers)
            return RoomLog::Verdict {RoomLog::Verdict::Outcome::Refused, {}, ErrorCode::Forbidden,
                u"a group has at most %1 members"_s.arg(protocol::MaxGroupMembers), {}};
        return RoomLog::Verdict {};
    };
    // The added member has read up to their own add: what came before is history, not unread.
    entry.alongside = [roomId, added](WriteContext &ctx, const RoomEvent &e) {
        return roomstore::addMember(ctx, roomId, added, e.seq);
    };
    // The room push comes first, so the new member's client knows the room when the add
    // event arrives.
    entry.beforeBroadcast = [this, roomId, added](Peer *, const RoomEvent &e) {
        m_rooms.addMember(roomId, added);
        m_rooms.setLastSeq(roomId, e.seq);
        if (const RoomRecord *changed = m_rooms.room(roomId))
            m_fanout.sendToUser(
                added, WireFrame::text(protocol::frames::room(m_views.summary(*changed, added))));
    };
    entry.afterBroadcast = [id = r.id](Peer *p, const RoomEvent &e) {
        if (p)
            p->reply(id, protocol::EventSeq {e.seq}.toJson());
    };
    m_log.append(peer, r.id, std::move(entry));
}

} // namespace confab::server
