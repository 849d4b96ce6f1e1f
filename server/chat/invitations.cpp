// SPDX-License-Identifier: GPL-3.0-or-later
#include "chat/invitations.h"

#include "chat/fanout.h"
#include "chat/peer.h"
#include "chat/peerwrite.h"
#include "chat/ranks.h"
#include "chat/roomlog.h"
#include "chat/roomviews.h"
#include "net/wireframe.h"
#include "protocol/frameshapes.h"
#include "protocol/roles.h"
#include "protocol/serverframe.h"
#include "storage/accountstore.h"
#include "storage/roomstore.h"
#include "storage/teamstore.h"
#include "storage/writecontext.h"

using namespace Qt::StringLiterals;
using confab::protocol::ErrorCode;
using confab::protocol::EventKind;
using confab::protocol::RoomEvent;
using confab::protocol::SanctionKind;

namespace confab::server {

namespace {
using Verdict = RoomLog::Verdict;

// A ban or mute refuses with when it ends, if it ends (§17.4).
Verdict sanctioned(ErrorCode code, const SanctionRecord &sanction, const QString &message)
{
    QJsonObject details;
    if (sanction.untilMs > 0)
        details.insert(protocol::wire::error::Until.name, double(sanction.untilMs));
    return Verdict {Verdict::Outcome::Refused, {}, code, message, details};
}
} // namespace

Invitations::Invitations(StorageWriter &writer, StatementCache &reader, RoomLog &log,
    const Fanout &fanout, RoomViews &views)
    : m_writer(writer)
    , m_reader(reader)
    , m_log(log)
    , m_fanout(fanout)
    , m_views(views)
{ }

void Invitations::handleInvite(Peer *peer, const protocol::Request &r)
{
    const RoomRecord *room = m_views.memberRoom(peer, r);
    if (!room)
        return;
    if (room->kind != RoomKind::Channel)
        return peer->fail(r.id, ErrorCode::Forbidden, u"nobody can be invited to a conversation"_s);
    const qint64 me = peer->userId();
    if (room->invitesBy == int(protocol::InvitePolicy::Moderators)
        && m_views.ranks().rankIn(*room, me) < int(protocol::RoomRole::Moderator))
        return peer->fail(
            r.id, ErrorCode::Forbidden, u"only moderators may invite to this channel"_s);
    const auto target = accountstore::userByName(m_reader, r.as<protocol::body::RoomUser>().user);
    if (!target)
        return peer->fail(r.id, ErrorCode::NotFound, u"no such user"_s);
    const qint64 roomId = room->id;
    const qint64 invitee = target->id;
    RoomLog::Entry entry;
    entry.event = RoomLog::newEvent(roomId, EventKind::Invite, peer->userName());
    entry.event.user = target->name;
    entry.authorId = me;
    // All in the invite's transaction: membership, bans, mutes and invitations may have
    // changed since the handler looked.
    // The policy and the inviter's rank are read there too: a set_room or set_role
    // committed since the request arrived decides (§17.3).
    entry.check = [roomId, me, invitee](WriteContext &ctx) -> std::optional<Verdict> {
        std::optional<SanctionRecord> sanction;
        if (!teamstore::activeSanction(ctx, roomId, me, int(SanctionKind::Mute), &sanction))
            return std::nullopt;
        if (sanction)
            return sanctioned(ErrorCode::Muted, *sanction, u"you are muted in this room"_s);
        bool isPrivate = false;
        int invitesBy = 0;
        std::optional<int> role;
        bool admin = false;
        if (!teamstore::roomSettings(ctx, roomId, &isPrivate, &invitesBy)
            || !teamstore::role(ctx, roomId, me, &role) || !Ranks::isAdmin(ctx, me, &admin))
            return std::nullopt;
        if (invitesBy == int(protocol::InvitePolicy::Moderators) && !admin
            && role.value_or(0) < int(protocol::RoomRole::Moderator))
            return Verdict {Verdict::Outcome::Refused, {}, ErrorCode::Forbidden,
                u"only moderators may invite to this channel"_s, {}};
        bool member = false;
        if (!roomstore::isMember(ctx, roomId, invitee, &member))
            return std::nullopt;
        if (member)
            return Verdict {Verdict::Outcome::Refused, {}, ErrorCode::AlreadyMember,
                u"that user is a member already"_s, {}};
        if (!teamstore::activeSanction(ctx, roomId, invitee, int(SanctionKind::Ban), &sanction))
            return std::nullopt;
        if (sanction)
            return sanctioned(ErrorCode::Banned, *sanction, u"that user is banned from the room"_s);
        qint64 pending = 0;
        if (!teamstore::inviteSeq(ctx, roomId, invitee, &pending))
            return std::nullopt;
        if (pending > 0) {
            Verdict unchanged {Verdict::Outcome::Unchanged, {}, ErrorCode::Internal, {}, {}};
            unchanged.earlier.seq = pending;
            return unchanged;
        }
        // Each pending invitation goes into the invitee's sign-in result and list_rooms:
        // nobody may flood another with them.
        int count = 0;
        if (!teamstore::pendingInvites(ctx, invitee, &count))
            return std::nullopt;
        if (count >= protocol::MaxPendingInvites)
            return Verdict {Verdict::Outcome::Refused, {}, ErrorCode::Forbidden,
                u"that user has too many pending invitations"_s, {}};
        return Verdict {};
    };
    entry.alongside = [roomId, me, invitee](WriteContext &ctx, const RoomEvent &e) {
        qint64 kept = 0;
        return teamstore::putInvite(ctx, roomId, invitee, me, e.seq, &kept);
    };
    entry.unchanged = [id = r.id](Peer *p, const RoomEvent &earlier) {
        if (p)
            p->reply(id, protocol::EventSeq {earlier.seq}.toJson());
    };
    // The event, the result, then the invitation on every device of the invitee. The handle
    // keeps the invitee's sign-ins reading invitations from storage until the entry is gone.
    entry.afterBroadcast = [this, roomId, invitee, id = r.id,
                               changing = m_views.invitationsChanging(invitee)](
                               Peer *p, const RoomEvent &e) {
        if (p)
            p->reply(id, protocol::EventSeq {e.seq}.toJson());
        if (const auto invitation = m_views.invitation(roomId, invitee))
            m_fanout.sendToUser(invitee, WireFrame::text(protocol::frames::invited(*invitation)));
    };
    m_log.append(peer, r.id, std::move(entry));
}

void Invitations::handleDeclineInvite(Peer *peer, const protocol::Request &r)
{
    const qint64 roomId = r.as<protocol::body::DeclineInvite>().room;
    const qint64 me = peer->userId();
    writeFor<bool>(
        m_writer, peer, r.id,
        [roomId, me](WriteContext &ctx) -> std::optional<bool> {
            bool removed = false;
            if (!teamstore::removeInvite(ctx, roomId, me, &removed))
                return std::nullopt;
            return removed;
        },
        [this, roomId, me, id = r.id](Peer *p, bool removed) {
            if (!removed) {
                if (p)
                    p->fail(id, ErrorCode::NotFound, u"no invitation to room %1"_s.arg(roomId));
                return;
            }
            if (p)
                p->reply(id, QJsonObject());
            m_fanout.sendToUser(me, WireFrame::text(protocol::frames::inviteRemoved(roomId)), p);
            m_views.unlistIfHidden(m_fanout, roomId, me);
        });
}

} // namespace confab::server
