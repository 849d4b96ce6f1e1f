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
#include "storage/writecontext.h"

using namespace Qt::StringLiterals;
using confab::protocol::ErrorCode;
using confab::protocol::EventKind;
using confab::protocol::RoomEvent;
using confab::protocol::RoomRole;

namespace confab::server {

namespace {
using Verdict = RoomLog::Verdict;

Verdict forbidden(const QString &message)
{
    return Verdict {Verdict::Outcome::Refused, {}, ErrorCode::Forbidden, message, {}};
}

// The actor's rank as the transaction sees it: a set_role committed since the handler
// looked decides, as it does for moderation.
bool storedRank(WriteContext &ctx, qint64 room, qint64 user, bool admin, int *rank)
{
    std::optional<int> role;
    if (!teamstore::role(ctx, room, user, &role))
        return false;
    *rank = admin ? protocol::AdminRank : role.value_or(0);
    return true;
}
} // namespace

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
    if (room->kind != RoomKind::Channel)
        return peer->fail(r.id, ErrorCode::Forbidden, u"conversations have no settings"_s);
    if (m_views.ranks().rankIn(*room, peer->userId()) < int(RoomRole::Owner))
        return peer->fail(
            r.id, ErrorCode::Forbidden, u"only owners may change the channel's settings"_s);
    const auto &request = r.as<protocol::body::SetRoom>();
    const qint64 roomId = room->id;
    // The fields not given keep their stored values, read in the transaction: two
    // set_room close together must not undo each other's field (§17.2).
    struct Settings
    {
        bool wasPrivate = false;
        bool isPrivate = false;
        int invitesBy = 0;
    };
    auto settings = std::make_shared<Settings>();
    RoomLog::Entry entry;
    entry.event = RoomLog::newEvent(roomId, EventKind::Settings, peer->userName());
    entry.authorId = peer->userId();
    entry.check = [roomId, user = peer->userId(), givenPrivate = request.isPrivate,
                      givenInvitesBy = request.invitesBy,
                      settings](WriteContext &ctx) -> std::optional<Verdict> {
        bool admin = false;
        int rank = 0;
        if (!Ranks::isAdmin(ctx, user, &admin) || !storedRank(ctx, roomId, user, admin, &rank))
            return std::nullopt;
        if (rank < int(RoomRole::Owner))
            return forbidden(u"only owners may change the channel's settings"_s);
        int invitesBy = 0;
        if (!teamstore::roomSettings(ctx, roomId, &settings->wasPrivate, &invitesBy))
            return std::nullopt;
        settings->isPrivate = givenPrivate.value_or(settings->wasPrivate);
        settings->invitesBy = givenInvitesBy ? int(*givenInvitesBy) : invitesBy;
        return Verdict {};
    };
    // The event carries the values after the change, both of them (§17.7).
    entry.stamp = [settings](WriteContext &, RoomEvent &e) {
        e.isPrivate = settings->isPrivate;
        e.invitesBy = protocol::invitePolicyName(protocol::InvitePolicy(settings->invitesBy));
    };
    entry.alongside = [roomId, settings](WriteContext &ctx, const RoomEvent &) {
        return teamstore::setRoomSettings(ctx, roomId, settings->isPrivate, settings->invitesBy);
    };
    entry.beforeBroadcast = [this, roomId, settings](Peer *, const RoomEvent &) {
        m_rooms.setPrivate(roomId, settings->isPrivate);
        m_rooms.setInvitesBy(roomId, settings->invitesBy);
    };
    // Outsiders hear of a change of privacy as the stored values before and after it say.
    entry.afterBroadcast = [this, roomId, settings, id = r.id](Peer *p, const RoomEvent &e) {
        if (p)
            p->reply(id, protocol::EventSeq {e.seq}.toJson());
        if (settings->isPrivate == settings->wasPrivate)
            return;
        if (settings->isPrivate)
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
    if (room->kind != RoomKind::Channel)
        return peer->fail(r.id, ErrorCode::Forbidden, u"conversations have no roles"_s);
    const auto &request = r.as<protocol::body::SetRole>();
    const auto target = accountstore::userByName(m_reader, request.user);
    if (!target || !room->members.contains(target->id))
        return peer->fail(r.id, ErrorCode::NotFound, u"no such member"_s);
    const qint64 me = peer->userId();
    const int role = int(request.role);
    // Owners (and admins) only, on someone they outrank, never themselves, and never
    // giving more than they have: owners may make owners (§17.1).
    const Ranks &ranks = m_views.ranks();
    if (!ranks.mayActOn(*room, me, *target, int(RoomRole::Owner)) || role > ranks.rankIn(*room, me))
        return peer->fail(r.id, ErrorCode::Forbidden, u"you may not give that user that role"_s);
    const qint64 roomId = room->id;
    const qint64 targetId = target->id;
    RoomLog::Entry entry;
    entry.event = RoomLog::newEvent(roomId, EventKind::Role, peer->userName());
    entry.event.user = target->name;
    entry.event.role = protocol::roomRoleName(request.role);
    entry.authorId = me;
    // Again in the transaction: the target may have left, and either role or admin flag may
    // have changed (an operator's set-admin reaches memory only at the next admin_log poll).
    entry.check = [roomId, me, targetId, role](WriteContext &ctx) -> std::optional<Verdict> {
        std::optional<int> current;
        bool admin = false;
        bool targetAdmin = false;
        int rank = 0;
        if (!teamstore::role(ctx, roomId, targetId, &current) || !Ranks::isAdmin(ctx, me, &admin)
            || !Ranks::isAdmin(ctx, targetId, &targetAdmin)
            || !storedRank(ctx, roomId, me, admin, &rank))
            return std::nullopt;
        if (!current)
            return Verdict {
                Verdict::Outcome::Refused, {}, ErrorCode::NotFound, u"no such member"_s, {}};
        const int targetRank = targetAdmin ? protocol::AdminRank : *current;
        if (rank < int(RoomRole::Owner) || rank <= targetRank || role > rank)
            return forbidden(u"you may not give that user that role"_s);
        return Verdict {};
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
