// SPDX-License-Identifier: GPL-3.0-or-later
#include "chat/roomsettings.h"

#include "chat/fanout.h"
#include "chat/peer.h"
#include "chat/ranks.h"
#include "chat/roomdirectory.h"
#include "chat/roomlog.h"
#include "chat/roomviews.h"
#include "net/wireframe.h"
#include "protocol/results.h"
#include "protocol/roles.h"
#include "protocol/serverframe.h"
#include "storage/accountstore.h"
#include "storage/teamstore.h"

using namespace Qt::StringLiterals;
using confab::protocol::ErrorCode;
using confab::protocol::EventKind;
using confab::protocol::RoomEvent;
using confab::protocol::RoomRole;

namespace confab::server {

RoomSettings::RoomSettings(StatementCache &reader, RoomDirectory &rooms, RoomLog &log,
    const Fanout &fanout, RoomViews &views)
    : m_reader(reader)
    , m_rooms(rooms)
    , m_log(log)
    , m_fanout(fanout)
    , m_views(views)
{ }

void RoomSettings::handleSetRoom(Peer *peer, const protocol::Request &r)
{
    const RoomRecord *room = m_views.memberRoom(peer, r);
    if (!room)
        return;
    if (room->kind == RoomKind::Direct)
        return peer->fail(r.id, ErrorCode::Forbidden, u"direct conversations have no settings"_s);
    if (m_views.ranks().rankIn(*room, peer->userId()) < int(RoomRole::Owner))
        return peer->fail(
            r.id, ErrorCode::Forbidden, u"only owners may change the channel's settings"_s);
    const auto &request = r.as<protocol::body::SetRoom>();
    const qint64 roomId = room->id;
    const bool isPrivate = request.isPrivate.value_or(room->isPrivate);
    const int invitesBy = request.invitesBy ? int(*request.invitesBy) : room->invitesBy;
    RoomLog::Entry entry;
    // The event carries the values after the change, both of them (§17.7).
    entry.event = RoomLog::newEvent(roomId, EventKind::Settings, peer->userName());
    entry.event.isPrivate = isPrivate;
    entry.event.invitesBy = protocol::invitePolicyName(protocol::InvitePolicy(invitesBy));
    entry.authorId = peer->userId();
    entry.alongside = [roomId, isPrivate, invitesBy](WriteContext &ctx, const RoomEvent &) {
        return teamstore::setRoomSettings(ctx, roomId, isPrivate, invitesBy);
    };
    auto wasPrivate = std::make_shared<bool>(false);
    entry.beforeBroadcast
        = [this, roomId, isPrivate, invitesBy, wasPrivate](Peer *, const RoomEvent &) {
              if (const RoomRecord *before = m_rooms.room(roomId))
                  *wasPrivate = before->isPrivate;
              m_rooms.setPrivate(roomId, isPrivate);
              m_rooms.setInvitesBy(roomId, invitesBy);
          };
    entry.afterBroadcast
        = [this, roomId, isPrivate, wasPrivate, id = r.id](Peer *p, const RoomEvent &e) {
              if (p)
                  p->reply(id, protocol::EventSeq {e.seq}.toJson());
              if (isPrivate == *wasPrivate)
                  return;
              if (isPrivate)
                  unlist(roomId);
              else if (const RoomRecord *changed = m_rooms.room(roomId))
                  m_log.announceChannel(*changed);
          };
    m_log.append(peer, r.id, std::move(entry));
}

void RoomSettings::unlist(qint64 roomId)
{
    const RoomRecord *room = m_rooms.room(roomId);
    if (!room)
        return;
    const QSet<qint64> invited = m_views.invitees(roomId);
    const WireFrame frame = WireFrame::text(protocol::frames::unlisted(roomId));
    const auto &online = m_fanout.online();
    for (auto it = online.cbegin(); it != online.cend(); ++it) {
        if (room->members.contains(it.key()) || invited.contains(it.key()))
            continue;
        for (Peer *peer : it.value())
            peer->send(frame);
    }
}

void RoomSettings::handleSetRole(Peer *peer, const protocol::Request &r)
{
    const RoomRecord *room = m_views.memberRoom(peer, r);
    if (!room)
        return;
    if (room->kind == RoomKind::Direct)
        return peer->fail(r.id, ErrorCode::Forbidden, u"direct conversations have no roles"_s);
    const auto &request = r.as<protocol::body::SetRole>();
    const auto target = accountstore::userByName(m_reader, request.user);
    if (!target || !room->members.contains(target->id))
        return peer->fail(r.id, ErrorCode::NotFound, u"no such member"_s);
    const qint64 me = peer->userId();
    const int role = int(request.role);
    // Owners (and admins) only, on someone they outrank, never themselves, and never
    // giving more than they have: owners may make owners (§17.1).
    const Ranks &ranks = m_views.ranks();
    if (!ranks.mayActOn(*room, me, target->id, int(RoomRole::Owner))
        || role > ranks.rankIn(*room, me))
        return peer->fail(r.id, ErrorCode::Forbidden, u"you may not give that user that role"_s);
    const qint64 roomId = room->id;
    const qint64 targetId = target->id;
    RoomLog::Entry entry;
    entry.event = RoomLog::newEvent(roomId, EventKind::Role, peer->userName());
    entry.event.user = target->name;
    entry.event.role = protocol::roomRoleName(request.role);
    entry.authorId = me;
    // The target may have left since the handler looked.
    entry.check = [roomId, targetId](WriteContext &ctx) -> std::optional<RoomLog::Verdict> {
        std::optional<int> current;
        if (!teamstore::role(ctx, roomId, targetId, &current))
            return std::nullopt;
        if (!current)
            return RoomLog::Verdict {RoomLog::Verdict::Outcome::Refused, {}, ErrorCode::NotFound,
                u"no such member"_s, {}};
        return RoomLog::Verdict {};
    };
    entry.alongside = [roomId, targetId, role](WriteContext &ctx, const RoomEvent &) {
        return teamstore::setRole(ctx, roomId, targetId, role);
    };
    entry.beforeBroadcast = [this, roomId, targetId, role](Peer *, const RoomEvent &) {
        m_rooms.setRole(roomId, targetId, role);
    };
    entry.afterBroadcast = [id = r.id](Peer *p, const RoomEvent &e) {
        if (p)
            p->reply(id, protocol::EventSeq {e.seq}.toJson());
    };
    m_log.append(peer, r.id, std::move(entry));
}

} // namespace confab::server
