// SPDX-License-Identifier: GPL-3.0-or-later
#include "chat/messagechanges.h"

#include "chat/fanout.h"
#include "chat/moderation.h"
#include "chat/peer.h"
#include "chat/ranks.h"
#include "chat/redactionpurge.h"
#include "chat/roomdirectory.h"
#include "chat/roomlog.h"
#include "chat/roomviews.h"
#include "net/wireframe.h"
#include "protocol/limits.h"
#include "protocol/results.h"
#include "protocol/roles.h"
#include "protocol/serverframe.h"
#include "storage/eventstore.h"
#include "storage/filestore.h"
#include "storage/messagestate.h"
#include "storage/roomstore.h"
#include "storage/teamstore.h"
#include "storage/writecontext.h"

#include <memory>

using namespace Qt::StringLiterals;
using confab::protocol::ErrorCode;
using confab::protocol::EventKind;
using confab::protocol::RoomEvent;

namespace confab::server {

namespace {
using Verdict = RoomLog::Verdict;
using Target = messagestate::Target;

Verdict refused(ErrorCode code, const QString &message)
{
    return Verdict {Verdict::Outcome::Refused, {}, code, message, {}};
}

Verdict unchanged(const RoomEvent &change, qint64 earlierSeq)
{
    RoomEvent earlier = change;
    earlier.seq = earlierSeq;
    return Verdict {Verdict::Outcome::Unchanged, earlier, ErrorCode::Internal, {}, {}};
}

Verdict noMessage(qint64 room, qint64 seq)
{
    return refused(ErrorCode::NotFound, u"no message %1 in room %2"_s.arg(seq).arg(room));
}

// Each handler's check fills in a Target that its `alongside` reads in the same transaction,
// and a redaction's completion after the commit.
RoomLog::Entry changeEntry(Peer *peer, qint64 room, EventKind kind, qint64 target)
{
    RoomLog::Entry entry;
    entry.event = RoomLog::newEvent(room, kind, peer->userName());
    entry.event.target = target;
    entry.authorId = peer->userId();
    return entry;
}

// The result first, then the event to every member (§5.19–5.22); a change made before is
// answered with the seq of the event that made it.
std::function<void(Peer *, const RoomEvent &)> replySeq(const QJsonValue &requestId)
{
    return [requestId](Peer *p, const RoomEvent &e) {
        if (p)
            p->reply(requestId, protocol::EventSeq {e.seq}.toJson());
    };
}
} // namespace

MessageChanges::MessageChanges(RoomLog &log, const RoomDirectory &rooms, const Ranks &ranks,
    const Fanout &fanout, RoomViews &views, StatementCache &reader, RedactionPurge &purge)
    : m_log(log)
    , m_rooms(rooms)
    , m_ranks(ranks)
    , m_fanout(fanout)
    , m_views(views)
    , m_reader(reader)
    , m_purge(purge)
{ }

void MessageChanges::handleEdit(Peer *peer, const protocol::Request &r)
{
    const RoomRecord *room = m_views.memberRoom(peer, r);
    if (!room)
        return;
    const auto &edit = r.as<protocol::body::Edit>();
    RoomLog::Entry entry = changeEntry(peer, room->id, EventKind::Edit, edit.target);
    entry.event.text = edit.text;
    auto target = std::make_shared<Target>();
    entry.check = Moderation::unlessMuted(room->id, peer->userId(),
        [target, room = room->id, seq = edit.target, author = peer->userId()](
            WriteContext &ctx) -> std::optional<Verdict> {
            if (!messagestate::findMessage(ctx, room, seq, target.get()))
                return std::nullopt;
            if (!target->found || target->redacted)
                return noMessage(room, seq);
            if (target->senderId != author)
                return refused(ErrorCode::Forbidden, u"only its author can edit a message"_s);
            return Verdict {};
        });
    entry.alongside = [target](WriteContext &ctx, const RoomEvent &e) {
        return messagestate::applyEdit(ctx, *target, e);
    };
    entry.beforeBroadcast = entry.unchanged = replySeq(r.id);
    m_log.append(peer, r.id, std::move(entry));
}

void MessageChanges::handleRedact(Peer *peer, const protocol::Request &r)
{
    const RoomRecord *room = m_views.memberRoom(peer, r);
    if (!room)
        return;
    const auto &redact = r.as<protocol::body::Redact>();
    RoomLog::Entry entry = changeEntry(peer, room->id, EventKind::Redact, redact.target);
    auto target = std::make_shared<Target>();
    // Moderators may delete anyone's message of a channel (§5.20, §17.1): an admin as the
    // event loop knows them, a role as the transaction finds it (a set_role may have
    // committed since).
    const bool channel = room->kind == RoomKind::Channel;
    const bool admin = channel && m_ranks.isAdmin(peer->userId());
    entry.check = [target, event = entry.event, author = peer->userId(), channel, admin](
                      WriteContext &ctx) -> std::optional<Verdict> {
        if (!messagestate::findMessage(ctx, event.room, event.target, target.get()))
            return std::nullopt;
        if (!target->found)
            return noMessage(event.room, event.target);
        if (target->senderId != author && !admin) {
            std::optional<int> role;
            if (channel && !teamstore::role(ctx, event.room, author, &role))
                return std::nullopt;
            if (role.value_or(0) < int(protocol::RoomRole::Moderator))
                return refused(
                    ErrorCode::Forbidden, u"only its author or a moderator can delete a message"_s);
        }
        if (target->redacted) {
            // A retry: the original redact's seq, nothing appended.
            qint64 earlier = 0;
            if (!messagestate::redactionOf(ctx, event.room, event.target, &earlier))
                return std::nullopt;
            return unchanged(event, earlier);
        }
        return Verdict {};
    };
    entry.alongside = [target](WriteContext &ctx, const RoomEvent &e) {
        // Its files lose this reference; one no message has any more is collected later.
        return messagestate::applyRedact(ctx, *target, e)
            && filestore::messageRedacted(ctx, target->id, ctx.now());
    };
    entry.beforeBroadcast = entry.unchanged = replySeq(r.id);
    entry.afterBroadcast = [this, target](Peer *, const RoomEvent &e) {
        m_views.messageRedacted(e.room);
        pushLoweredCounts(e.room, e.target, target->senderId);
        m_purge.redactionCommitted();
    };
    m_log.append(peer, r.id, std::move(entry));
}

void MessageChanges::handleReact(Peer *peer, const protocol::Request &r)
{
    appendReaction(peer, r, EventKind::React,
        [](const RoomEvent &event,
            const messagestate::ReactionState &state) -> std::optional<Verdict> {
            if (state.reactSeq > 0)
                return unchanged(event, state.reactSeq);
            if (!state.keyPresent && state.distinctKeys >= protocol::MaxReactionKeys)
                return refused(ErrorCode::TooLarge,
                    u"a message has at most %1 different reactions"_s.arg(
                        protocol::MaxReactionKeys));
            return Verdict {};
        });
}

void MessageChanges::handleUnreact(Peer *peer, const protocol::Request &r)
{
    appendReaction(peer, r, EventKind::Unreact,
        [](const RoomEvent &event,
            const messagestate::ReactionState &state) -> std::optional<Verdict> {
            if (state.reactSeq == 0)
                return refused(
                    ErrorCode::NotFound, u"you have not reacted with %1"_s.arg(event.key));
            return Verdict {};
        });
}

void MessageChanges::appendReaction(
    Peer *peer, const protocol::Request &r, EventKind kind, ReactionRule rule)
{
    const RoomRecord *room = m_views.memberRoom(peer, r);
    if (!room)
        return;
    const auto &reaction = r.as<protocol::body::Reaction>();
    RoomLog::Entry entry = changeEntry(peer, room->id, kind, reaction.target);
    entry.event.key = reaction.key;
    auto target = std::make_shared<Target>();
    const qint64 author = peer->userId();
    entry.check = Moderation::unlessMuted(room->id, author,
        [target, event = entry.event, author, rule = std::move(rule)](
            WriteContext &ctx) -> std::optional<Verdict> {
            if (!messagestate::findMessage(ctx, event.room, event.target, target.get()))
                return std::nullopt;
            if (!target->found || target->redacted)
                return noMessage(event.room, event.target);
            messagestate::ReactionState state;
            if (!messagestate::reactionState(
                    ctx, event.room, event.target, event.key, author, &state))
                return std::nullopt;
            return rule(event, state);
        });
    entry.alongside = [target, author, kind](WriteContext &ctx, const RoomEvent &e) {
        return kind == EventKind::React ? messagestate::addReaction(ctx, *target, e, author)
                                        : messagestate::removeReaction(ctx, *target, e, author);
    };
    // A repeated react answers the seq of the one that added the key; unreact has no such
    // case (without the reaction it is refused).
    entry.beforeBroadcast = entry.unchanged = replySeq(r.id);
    m_log.append(peer, r.id, std::move(entry));
}

void MessageChanges::pushLoweredCounts(qint64 roomId, qint64 seq, qint64 senderId)
{
    const RoomRecord *room = m_rooms.room(roomId);
    if (!room)
        return;
    for (qint64 member : room->members) {
        // Counted for: above their read position, and not their own. Offline members get
        // the counts with their next summary.
        if (member == senderId || !m_fanout.isOnline(member))
            continue;
        const qint64 readSeq = m_views.readSeq(roomId, member);
        if (seq <= readSeq)
            continue;
        const protocol::ReadState state = m_views.readState(roomId, member, readSeq);
        m_fanout.sendToUser(member, WireFrame::text(protocol::frames::unread(state)));
    }
}

} // namespace confab::server
