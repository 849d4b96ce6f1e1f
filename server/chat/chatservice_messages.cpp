// SPDX-License-Identifier: GPL-3.0-or-later
// Sending, history, resume, read positions and typing.
#include "chat/chatservice.h"
#include "chat/replybudget.h"
#include "chat/peer.h"
#include "core/monotonicclock.h"
#include "protocol/serverframe.h"
#include "protocol/textrules.h"
#include "storage/eventstore.h"
#include "storage/roomstore.h"
#include "storage/writecontext.h"

#include <QJsonArray>

using namespace Qt::StringLiterals;
using confab::protocol::ErrorCode;
using confab::protocol::EventKind;
using confab::protocol::RoomEvent;

namespace confab::server {

namespace {
QJsonObject acknowledgement(const RoomEvent &e)
{
    return protocol::SendAck {e.id, e.room, e.seq, e.timestamp, e.txn}.toJson();
}

enum class SendOutcome
{
    Stored,
    Duplicate,
    NotMember
};
} // namespace

void ChatService::handleSend(Peer *c, const protocol::Request &r)
{
    const RoomRecord *room = memberRoom(c, r);
    if (!room)
        return;
    const qint64 user = c->userId();
    auto event = std::make_shared<RoomEvent>();
    event->room = room->id;
    event->kind = EventKind::Message;
    event->sender = c->userName();
    event->txn = r.as<protocol::body::Send>().txn;
    event->text = r.as<protocol::body::Send>().text;
    event->mentions = protocol::extractMentions(event->text);
    auto outcome = std::make_shared<SendOutcome>(SendOutcome::Stored);
    write(
        c, r.id,
        [=](WriteContext &ctx) {
            // Transaction ids are per sender: a resend finds its original row,
            // committed in the same transaction as the message itself.
            QSqlQuery *q = ctx.run(
                u"SELECT id, room_id, seq, ts FROM events WHERE sender_id = ? AND txn = ?"_s,
                {user, event->txn});
            if (!q)
                return false;
            if (q->next()) {
                event->id = q->value(0).toLongLong();
                event->room = q->value(1).toLongLong();
                event->seq = q->value(2).toLongLong();
                event->timestamp = q->value(3).toLongLong();
                q->finish();
                *outcome = SendOutcome::Duplicate;
                return true;
            }
            bool member = false;
            if (!roomstore::isMember(ctx, event->room, user, &member))
                return false;
            if (!member) {
                *outcome = SendOutcome::NotMember;
                return true;
            }
            *outcome = SendOutcome::Stored;
            if (!ctx.appendEvent(*event, user))
                return false;
            for (const QString &name : std::as_const(event->mentions)) {
                if (!ctx.run(
                        u"INSERT OR IGNORE INTO mentions(user_id, room_id, seq) SELECT u.id, ?, ? "
                        u"FROM users u JOIN members m ON m.user_id = u.id AND m.room_id = ? "
                        u"WHERE u.name_key = ? AND u.id != ?"_s,
                        {event->room, event->seq, event->room, name, user}))
                    return false;
            }
            return true;
        },
        [=, this, id = r.id](Peer *conn) {
            switch (*outcome) {
            case SendOutcome::NotMember:
                if (conn)
                    conn->fail(id, ErrorCode::NotMember,
                        u"you are not a member of room %1"_s.arg(event->room));
                return;
            case SendOutcome::Duplicate:
                if (conn)
                    conn->reply(id, acknowledgement(*event));
                return;
            case SendOutcome::Stored:
                if (conn)
                    conn->reply(id, acknowledgement(*event));
                broadcastEvents({*event});
                if (m_typing.set(event->room, user, false, 0))
                    clearTyping({{event->room, user}});
                return;
            }
        });
}

void ChatService::handleHistory(Peer *c, const protocol::Request &r)
{
    const RoomRecord *room = memberRoom(c, r);
    if (!room)
        return;
    const auto &page = r.as<protocol::body::History>();
    if (page.before && page.after)
        return c->fail(r.id, ErrorCode::BadRequest, u"give 'before' or 'after', not both"_s);
    const int limit = page.limit.value_or(std::min(50, m_config.limits.historyPageMax));
    // Never past what was broadcast, so history and live events cannot overlap.
    const qint64 end = room->lastSeq + 1;
    QList<RoomEvent> events;
    bool more = false;
    if (page.after) {
        events = eventstore::range(*m_reader, room->id, *page.after, end, limit, false);
        ReplyBudget(c->replyBudget(m_config.maxReplyBytes)).trim(events, false);
        more = !events.isEmpty() && events.last().seq < room->lastSeq;
    } else {
        const qint64 before = page.before ? std::min(*page.before, end) : end;
        events = eventstore::range(*m_reader, room->id, 0, before, limit, true);
        ReplyBudget(c->replyBudget(m_config.maxReplyBytes)).trim(events, true);
        more = !events.isEmpty() && events.first().seq > 1;
    }
    c->reply(r.id, protocol::HistoryPage {room->id, events, more}.toJson());
}

void ChatService::handleSync(Peer *c, const protocol::Request &r)
{
    const auto &cursors = r.as<protocol::body::Sync>().cursors;
    const qint64 user = c->userId();
    const int bound = m_config.limits.resumeMax;
    protocol::SyncResult result;
    for (auto it = cursors.cbegin(); it != cursors.cend(); ++it) {
        if (!m_rooms.isMember(it.key(), user))
            result.left.append(it.key());
    }
    std::sort(result.left.begin(), result.left.end());
    QList<qint64> ids = m_rooms.roomsOf(user).values();
    std::sort(ids.begin(), ids.end());
    // One budget for the whole reply; a room past it gets its newest event and a gap.
    ReplyBudget budget(c->replyBudget(m_config.maxReplyBytes));
    for (qint64 id : ids) {
        const RoomRecord *room = m_rooms.room(id);
        if (!room)
            continue;
        const qint64 from = cursors.value(id, 0);
        const qint64 missing = room->lastSeq - from;
        protocol::SyncRoom entry {roomSummary(*room, user), {}, missing > bound, 0};
        if (missing > 0) {
            // Past the bound the newest page comes back and the client pages
            // the rest with history; it is told so, never left silently short.
            entry.events = eventstore::range(
                *m_reader, id, entry.gap ? 0 : from, room->lastSeq + 1, bound, entry.gap);
            if (budget.trim(entry.events, true))
                entry.gap = true;
        }
        if (entry.gap)
            entry.gapFrom = from;
        result.rooms.append(std::move(entry));
    }
    c->reply(r.id, result.toJson());
}

void ChatService::handleMarkRead(Peer *c, const protocol::Request &r)
{
    const RoomRecord *room = memberRoom(c, r);
    if (!room)
        return;
    const qint64 roomId = room->id;
    const qint64 user = c->userId();
    const qint64 seq = std::min(r.as<protocol::body::MarkRead>().seq, room->lastSeq);
    write(
        c, r.id, [=](WriteContext &ctx) { return roomstore::setReadSeq(ctx, roomId, user, seq); },
        [=, this, id = r.id](Peer *conn) {
            const auto counts = eventstore::unreadCounts(*m_reader, roomId, user, seq);
            const protocol::ReadState state {roomId, seq, counts.unread, counts.mentions};
            if (conn)
                conn->reply(id, state.toJson());
            // Every other device of this user updates its badge at once.
            sendToUser(user, WireFrame::text(protocol::frames::unread(state)), conn);
        });
}

void ChatService::handleTyping(Peer *c, const protocol::Request &r)
{
    const RoomRecord *room = memberRoom(c, r);
    if (!room)
        return;
    const bool typing = r.as<protocol::body::Typing>().typing;
    if (m_typing.set(room->id, c->userId(), typing, monotonicMs() + m_config.limits.typingTtlMs))
        sendToUsers(room->members,
            WireFrame::text(protocol::frames::typing(room->id, c->userName(), typing)),
            c->userId());
    c->reply(r.id);
}

} // namespace confab::server
