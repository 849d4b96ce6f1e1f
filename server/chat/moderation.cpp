// SPDX-License-Identifier: GPL-3.0-or-later
#include "chat/moderation.h"

#include "chat/fanout.h"
#include "chat/peer.h"
#include "chat/presence.h"
#include "chat/ranks.h"
#include "chat/roomdirectory.h"
#include "chat/roomviews.h"
#include "net/wireframe.h"
#include "protocol/frameshapes.h"
#include "protocol/results.h"
#include "protocol/roles.h"
#include "protocol/serverframe.h"
#include "storage/accountstore.h"
#include "storage/roomstore.h"
#include "storage/teamstore.h"
#include "storage/writecontext.h"

#include <QLoggingCategory>
#include <memory>

using namespace Qt::StringLiterals;
using confab::protocol::ErrorCode;
using confab::protocol::EventKind;
using confab::protocol::RoomEvent;

namespace confab::server {

namespace {
Q_LOGGING_CATEGORY(lcModeration, "confab.moderation", QtInfoMsg)

using Verdict = RoomLog::Verdict;

Verdict refused(ErrorCode code, const QString &message)
{
    return Verdict {Verdict::Outcome::Refused, {}, code, message, {}};
}

// What the transaction found about the target of a kick or ban, for its `alongside` and
// for what follows the commit.
struct Removal
{
    bool wasMember = false;
    bool wasInvited = false;
};

std::function<void(WriteContext &, RoomEvent &)> stampUntil(std::optional<qint64> durationS)
{
    return [durationS](WriteContext &ctx, RoomEvent &e) {
        // The write's clock is the event's ts: until = ts + duration exactly (§17.4).
        e.until = durationS && *durationS > 0 ? ctx.now() + *durationS * 1000 : 0;
    };
}
} // namespace

struct Moderation::Target
{
    qint64 room = 0;
    qint64 actor = 0;
    qint64 user = 0;
    QString name;
};

namespace {
/*!
 * The ranks again, as the transaction sees the roles and the admin flags: a set_role, or an
 * operator's set-admin the running server has not polled yet, committed after the handler
 * looked decides. \a targetRole gets the target's role, empty when not a member. Nothing on
 * a database error; a refusal, or Append when the actor outranks the target.
 */
template<typename T>
std::optional<Verdict> checkRanks(WriteContext &ctx, const T &t, std::optional<int> *targetRole)
{
    std::optional<int> actorRole;
    bool actorAdmin = false;
    bool targetAdmin = false;
    if (!teamstore::role(ctx, t.room, t.actor, &actorRole)
        || !teamstore::role(ctx, t.room, t.user, targetRole)
        || !Ranks::isAdmin(ctx, t.actor, &actorAdmin) || !Ranks::isAdmin(ctx, t.user, &targetAdmin))
        return std::nullopt;
    const int actor = actorAdmin ? protocol::AdminRank : actorRole.value_or(0);
    const int target = targetAdmin ? protocol::AdminRank : targetRole->value_or(0);
    if (actor < 1)
        return refused(ErrorCode::Forbidden, u"only moderators may do that"_s);
    if (t.actor == t.user || actor <= target)
        return refused(ErrorCode::Forbidden, u"%1 is not of lower rank than you"_s.arg(t.name));
    return Verdict {};
}

std::function<void(Peer *, const RoomEvent &)> replySeq(const QJsonValue &requestId)
{
    return [requestId](Peer *p, const RoomEvent &e) {
        if (p)
            p->reply(requestId, protocol::EventSeq {e.seq}.toJson());
    };
}
} // namespace

Moderation::Moderation(RoomLog &log, RoomDirectory &rooms, const Ranks &ranks, const Fanout &fanout,
    Presence &presence, RoomViews &views, StatementCache &reader)
    : m_log(log)
    , m_rooms(rooms)
    , m_ranks(ranks)
    , m_fanout(fanout)
    , m_presence(presence)
    , m_views(views)
    , m_reader(reader)
{ }

RoomLog::Verdict Moderation::mutedRefusal(qint64 room, qint64 untilMs)
{
    QJsonObject details;
    if (untilMs > 0)
        details.insert(QString(protocol::wire::error::Until.name), double(untilMs));
    return Verdict {Verdict::Outcome::Refused, {}, ErrorCode::Muted,
        u"you are muted in room %1"_s.arg(room), details};
}

Moderation::Check Moderation::unlessMuted(qint64 room, qint64 user, Check check)
{
    return [room, user, check = std::move(check)](WriteContext &ctx) -> std::optional<Verdict> {
        std::optional<SanctionRecord> mute;
        if (!teamstore::activeSanction(ctx, room, user, int(protocol::SanctionKind::Mute), &mute))
            return std::nullopt;
        if (mute)
            return mutedRefusal(room, mute->untilMs);
        return check ? check(ctx) : Verdict {};
    };
}

bool Moderation::resolve(
    Peer *peer, const protocol::Request &r, const QString &userName, Target *target)
{
    const RoomRecord *room = m_views.memberRoom(peer, r);
    if (!room)
        return false;
    if (room->kind != RoomKind::Channel) {
        peer->fail(r.id, ErrorCode::Forbidden, u"conversations have no moderators"_s);
        return false;
    }
    // Whether you may moderate at all comes first: a member learns nothing about names.
    if (m_ranks.rankIn(*room, peer->userId()) < 1) {
        peer->fail(r.id, ErrorCode::Forbidden, u"only moderators may do that"_s);
        return false;
    }
    const std::optional<UserRecord> user = accountstore::userByName(m_reader, userName);
    if (!user) {
        peer->fail(r.id, ErrorCode::NotFound, u"no user %1"_s.arg(userName));
        return false;
    }
    // The target's admin flag as storage says, not as the last poll of admin_log left it.
    if (!m_ranks.mayActOn(*room, peer->userId(), *user, 1)) {
        peer->fail(
            r.id, ErrorCode::Forbidden, u"%1 is not of lower rank than you"_s.arg(user->name));
        return false;
    }
    *target = Target {room->id, peer->userId(), user->id, user->name};
    return true;
}

void Moderation::removed(Peer *peer, const QJsonValue &requestId, const Target &t, bool wasMember,
    bool wasInvited, const RoomEvent &e)
{
    qCInfo(lcModeration) << "room" << t.room << protocol::eventKindName(e.kind) << "of" << t.name
                         << "by" << e.sender << "until" << e.until;
    if (wasMember) {
        // As a leave: they got the event, and from now on nothing of the room.
        m_rooms.removeMember(t.room, t.user);
        m_presence.stopTyping(t.room, t.user);
    }
    replySeq(requestId)(peer, e);
    if (wasInvited)
        m_fanout.sendToUser(t.user, WireFrame::text(protocol::frames::inviteRemoved(t.room)));
    // A removed member may no longer see a private channel either: it leaves their directory.
    if (wasMember || wasInvited)
        m_views.unlistIfHidden(m_fanout, t.room, t.user);
}

void Moderation::handleKick(Peer *peer, const protocol::Request &r)
{
    const auto &kick = r.as<protocol::body::Kick>();
    Target t;
    if (!resolve(peer, r, kick.user, &t))
        return;
    RoomLog::Entry entry;
    entry.event = RoomLog::newEvent(t.room, EventKind::Kick, peer->userName());
    entry.event.user = t.name;
    entry.event.reason = kick.reason;
    entry.authorId = t.actor;
    auto removal = std::make_shared<Removal>();
    entry.check = [t, removal](WriteContext &ctx) -> std::optional<Verdict> {
        std::optional<int> role;
        std::optional<Verdict> ranks = checkRanks(ctx, t, &role);
        if (!ranks || ranks->outcome != Verdict::Outcome::Append)
            return ranks;
        qint64 inviteSeq = 0;
        if (!role && !teamstore::inviteSeq(ctx, t.room, t.user, &inviteSeq))
            return std::nullopt;
        *removal = Removal {role.has_value(), !role && inviteSeq > 0};
        if (!removal->wasMember && !removal->wasInvited)
            return refused(ErrorCode::NotFound,
                u"%1 is neither a member of room %2 nor invited"_s.arg(t.name).arg(t.room));
        return Verdict {};
    };
    entry.alongside = [t, removal](WriteContext &ctx, const RoomEvent &) {
        return removal->wasMember ? roomstore::removeMember(ctx, t.room, t.user)
                                  : teamstore::removeInvite(ctx, t.room, t.user);
    };
    // The kicked user's peers get the event like the rest, then nothing more (§17.4).
    entry.afterBroadcast = [this, t, removal, id = r.id](Peer *p, const RoomEvent &e) {
        removed(p, id, t, removal->wasMember, removal->wasInvited, e);
    };
    m_log.append(peer, r.id, std::move(entry));
}

void Moderation::handleBan(Peer *peer, const protocol::Request &r)
{
    const auto &ban = r.as<protocol::body::Sanction>();
    Target t;
    if (!resolve(peer, r, ban.user, &t))
        return;
    RoomLog::Entry entry;
    entry.event = RoomLog::newEvent(t.room, EventKind::Ban, peer->userName());
    entry.event.user = t.name;
    entry.event.reason = ban.reason;
    entry.authorId = t.actor;
    auto removal = std::make_shared<Removal>();
    entry.check = [t, removal](WriteContext &ctx) -> std::optional<Verdict> {
        std::optional<int> role;
        std::optional<Verdict> ranks = checkRanks(ctx, t, &role);
        if (!ranks || ranks->outcome != Verdict::Outcome::Append)
            return ranks;
        qint64 inviteSeq = 0;
        if (!teamstore::inviteSeq(ctx, t.room, t.user, &inviteSeq))
            return std::nullopt;
        *removal = Removal {role.has_value(), inviteSeq > 0};
        return Verdict {};
    };
    entry.stamp = stampUntil(ban.durationS);
    entry.alongside = [t, removal](WriteContext &ctx, const RoomEvent &e) {
        SanctionRecord sanction;
        sanction.kind = int(protocol::SanctionKind::Ban);
        sanction.untilMs = e.until;
        sanction.reason = e.reason;
        sanction.byId = t.actor;
        return teamstore::putSanction(ctx, t.room, t.user, sanction)
            && (!removal->wasMember || roomstore::removeMember(ctx, t.room, t.user))
            && (!removal->wasInvited || teamstore::removeInvite(ctx, t.room, t.user));
    };
    entry.afterBroadcast = [this, t, removal, id = r.id](Peer *p, const RoomEvent &e) {
        removed(p, id, t, removal->wasMember, removal->wasInvited, e);
    };
    m_log.append(peer, r.id, std::move(entry));
}

void Moderation::handleMute(Peer *peer, const protocol::Request &r)
{
    const auto &mute = r.as<protocol::body::Sanction>();
    Target t;
    if (!resolve(peer, r, mute.user, &t))
        return;
    RoomLog::Entry entry;
    entry.event = RoomLog::newEvent(t.room, EventKind::Mute, peer->userName());
    entry.event.user = t.name;
    entry.event.reason = mute.reason;
    entry.authorId = t.actor;
    entry.check = [t](WriteContext &ctx) -> std::optional<Verdict> {
        std::optional<int> role;
        std::optional<Verdict> ranks = checkRanks(ctx, t, &role);
        if (!ranks || ranks->outcome != Verdict::Outcome::Append)
            return ranks;
        if (!role)
            return refused(
                ErrorCode::NotFound, u"%1 is not a member of room %2"_s.arg(t.name).arg(t.room));
        return Verdict {};
    };
    entry.stamp = stampUntil(mute.durationS);
    entry.alongside = [t](WriteContext &ctx, const RoomEvent &e) {
        SanctionRecord sanction;
        sanction.kind = int(protocol::SanctionKind::Mute);
        sanction.untilMs = e.until;
        sanction.reason = e.reason;
        sanction.byId = t.actor;
        return teamstore::putSanction(ctx, t.room, t.user, sanction);
    };
    entry.afterBroadcast = [this, t, id = r.id](Peer *p, const RoomEvent &e) {
        qCInfo(lcModeration) << "room" << t.room << "mute of" << t.name << "by" << e.sender
                             << "until" << e.until;
        // A muted member stops typing too: they may not say anything.
        m_presence.stopTyping(t.room, t.user);
        replySeq(id)(p, e);
    };
    m_log.append(peer, r.id, std::move(entry));
}

void Moderation::handleUnban(Peer *peer, const protocol::Request &r)
{
    lift(peer, r, EventKind::Unban, int(protocol::SanctionKind::Ban));
}

void Moderation::handleUnmute(Peer *peer, const protocol::Request &r)
{
    lift(peer, r, EventKind::Unmute, int(protocol::SanctionKind::Mute));
}

void Moderation::lift(Peer *peer, const protocol::Request &r, EventKind kind, int sanction)
{
    Target t;
    if (!resolve(peer, r, r.as<protocol::body::RoomUser>().user, &t))
        return;
    RoomLog::Entry entry;
    entry.event = RoomLog::newEvent(t.room, kind, peer->userName());
    entry.event.user = t.name;
    entry.authorId = t.actor;
    entry.check = [t, sanction](WriteContext &ctx) -> std::optional<Verdict> {
        std::optional<int> role;
        std::optional<Verdict> ranks = checkRanks(ctx, t, &role);
        if (!ranks || ranks->outcome != Verdict::Outcome::Append)
            return ranks;
        // One that has ended is as good as none: nothing to lift (§17.4).
        std::optional<SanctionRecord> active;
        if (!teamstore::activeSanction(ctx, t.room, t.user, sanction, &active))
            return std::nullopt;
        if (!active)
            return refused(ErrorCode::NotFound,
                u"%1 is not %2 in room %3"_s
                    .arg(t.name,
                        sanction == int(protocol::SanctionKind::Ban) ? u"banned"_s : u"muted"_s)
                    .arg(t.room));
        return Verdict {};
    };
    entry.alongside = [t, sanction](WriteContext &ctx, const RoomEvent &) {
        return teamstore::removeSanction(ctx, t.room, t.user, sanction);
    };
    entry.afterBroadcast = [t, id = r.id](Peer *p, const RoomEvent &e) {
        qCInfo(lcModeration) << "room" << t.room << protocol::eventKindName(e.kind) << "of"
                             << t.name << "by" << e.sender;
        replySeq(id)(p, e);
    };
    m_log.append(peer, r.id, std::move(entry));
}

} // namespace confab::server
