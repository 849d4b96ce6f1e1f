// SPDX-License-Identifier: GPL-3.0-or-later
#include "chat/history.h"

#include "chat/fanout.h"
#include "chat/peer.h"
#include "chat/peerwrite.h"
#include "chat/replybudget.h"
#include "chat/roomdirectory.h"
#include "chat/roomviews.h"
#include "net/wireframe.h"
#include "protocol/results.h"
#include "protocol/searchresults.h"
#include "protocol/serverframe.h"
#include "storage/eventstore.h"
#include "storage/filestore.h"
#include "storage/roomstore.h"

using namespace Qt::StringLiterals;
using confab::protocol::ErrorCode;
using confab::protocol::RoomEvent;

namespace confab::server {

History::History(const ServerConfig &config, StorageWriter &writer, StatementCache &reader,
    const RoomDirectory &rooms, const Fanout &fanout, RoomViews &views)
    : m_config(config)
    , m_writer(writer)
    , m_reader(reader)
    , m_rooms(rooms)
    , m_fanout(fanout)
    , m_views(views)
{ }

void History::handleHistory(Peer *peer, const protocol::Request &r)
{
    const RoomRecord *room = m_views.memberRoom(peer, r);
    if (!room)
        return;
    const auto &page = r.as<protocol::body::History>();
    if (page.before && page.after)
        return peer->fail(r.id, ErrorCode::BadRequest, u"give 'before' or 'after', not both"_s);
    const int limit = page.limit.value_or(std::min(50, m_config.limits.historyPageMax));
    // Never past what was broadcast, so history and live events cannot overlap.
    const qint64 end = room->lastSeq + 1;
    // A page past the budget is cut short and says so through hasMore.
    ReplyBudget budget(peer->replyBudget(m_config.maxReplyBytes));
    QList<RoomEvent> events;
    bool more = false;
    if (page.after) {
        events = eventstore::range(m_reader, room->id, *page.after, end, limit, false);
        eventstore::attachReactions(m_reader, events, peer->userId());
        filestore::attachFiles(m_reader, events);
        budget.trim(events, false);
        more = !events.isEmpty() && events.last().seq < room->lastSeq;
    } else {
        const qint64 before = page.before ? std::min(*page.before, end) : end;
        events = eventstore::range(m_reader, room->id, 0, before, limit, true);
        eventstore::attachReactions(m_reader, events, peer->userId());
        filestore::attachFiles(m_reader, events);
        budget.trim(events, true);
        more = !events.isEmpty() && events.first().seq > 1;
    }
    peer->reply(r.id, protocol::HistoryPage {room->id, events, more}.toJson());
}

void History::handleSync(Peer *peer, const protocol::Request &r)
{
    const auto &cursors = r.as<protocol::body::Sync>().cursors;
    const qint64 user = peer->userId();
    const int bound = m_config.limits.resumeMax;
    // One budget for the whole reply: a room past it keeps its newest events and is
    // reported as a gap, which the client fills with history as for any gap.
    ReplyBudget budget(peer->replyBudget(m_config.maxReplyBytes));
    protocol::SyncResult result;
    for (auto it = cursors.cbegin(); it != cursors.cend(); ++it) {
        if (!m_rooms.isMember(it.key(), user))
            result.left.append(it.key());
    }
    std::sort(result.left.begin(), result.left.end());
    QList<qint64> ids = m_rooms.roomsOf(user).values();
    std::sort(ids.begin(), ids.end());
    for (qint64 id : ids) {
        const RoomRecord *room = m_rooms.room(id);
        if (!room)
            continue;
        const qint64 from = cursors.value(id, 0);
        const qint64 missing = room->lastSeq - from;
        protocol::SyncRoom entry {m_views.summary(*room, user), {}, missing > bound, 0};
        if (missing > 0) {
            // Past the bound the newest page comes back and the client pages
            // the rest with history; it is told so, never left silently short.
            entry.events = eventstore::range(
                m_reader, id, entry.gap ? 0 : from, room->lastSeq + 1, bound, entry.gap);
            eventstore::attachReactions(m_reader, entry.events, user);
            filestore::attachFiles(m_reader, entry.events);
            if (budget.trim(entry.events, true))
                entry.gap = true;
        }
        if (entry.gap)
            entry.gapFrom = from;
        result.rooms.append(std::move(entry));
    }
    peer->reply(r.id, result.toJson());
}

void History::handleContext(Peer *peer, const protocol::Request &r)
{
    const RoomRecord *room = m_views.memberRoom(peer, r);
    if (!room)
        return;
    const auto &request = r.as<protocol::body::Context>();
    const qint64 seq = request.seq;
    const qint64 last = room->lastSeq;
    if (seq > last)
        return peer->fail(
            r.id, ErrorCode::NotFound, u"no event %1 in room %2"_s.arg(seq).arg(room->id));
    const int limit = request.limit.value_or(std::min(50, m_config.limits.historyPageMax));
    // Half before (rounded down), the rest after; a side that runs out gives its share
    // to the other.
    qint64 before = (limit - 1) / 2;
    qint64 after = limit - 1 - before;
    if (last - seq < after) {
        before += after - (last - seq);
        after = last - seq;
    }
    if (seq - 1 < before) {
        after = std::min(last - seq, after + before - (seq - 1));
        before = seq - 1;
    }
    QList<RoomEvent> older
        = eventstore::range(m_reader, room->id, seq - before - 1, seq, limit, false);
    QList<RoomEvent> rest
        = eventstore::range(m_reader, room->id, seq - 1, seq + after + 1, limit, false);
    eventstore::attachReactions(m_reader, older, peer->userId());
    filestore::attachFiles(m_reader, older);
    eventstore::attachReactions(m_reader, rest, peer->userId());
    filestore::attachFiles(m_reader, rest);
    // Past the budget the page keeps the event asked for and those nearest it.
    ReplyBudget budget(peer->replyBudget(m_config.maxReplyBytes));
    budget.trim(rest, false);
    if (!older.isEmpty())
        budget.trim(older, true);
    protocol::ContextPage page {room->id, older + rest, false, false};
    if (!page.events.isEmpty()) {
        page.hasMoreBefore = page.events.first().seq > 1;
        page.hasMoreAfter = page.events.last().seq < last;
    }
    peer->reply(r.id, page.toJson());
}

void History::handleMarkRead(Peer *peer, const protocol::Request &r)
{
    const RoomRecord *room = m_views.memberRoom(peer, r);
    if (!room)
        return;
    const qint64 roomId = room->id;
    const qint64 user = peer->userId();
    const qint64 seq = std::min(r.as<protocol::body::MarkRead>().seq, room->lastSeq);
    writeFor(
        m_writer, peer, r.id,
        [=](WriteContext &ctx) { return roomstore::setReadSeq(ctx, roomId, user, seq); },
        [=, this, id = r.id](Peer *p) {
            m_views.readSeqCommitted(roomId, user, seq);
            const protocol::ReadState state = m_views.readState(roomId, user, seq);
            if (p)
                p->reply(id, state.toJson());
            // Every other device of this user updates its badge at once.
            m_fanout.sendToUser(user, WireFrame::text(protocol::frames::unread(state)), p);
            if (m_readMoved)
                m_readMoved(roomId, user, seq);
        });
}

void History::readElsewhere(qint64 room, qint64 user, qint64 seq)
{
    if (!m_rooms.isMember(room, user))
        return;
    m_views.readSeqCommitted(room, user, seq);
    if (!m_fanout.isOnline(user))
        return;
    const protocol::ReadState state = m_views.readState(room, user, seq);
    m_fanout.sendToUser(user, WireFrame::text(protocol::frames::unread(state)));
}

} // namespace confab::server
