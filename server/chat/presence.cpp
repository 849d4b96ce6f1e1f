// SPDX-License-Identifier: GPL-3.0-or-later
#include "chat/presence.h"

#include "chat/clusterfeed.h"
#include "chat/fanout.h"
#include "chat/moderation.h"
#include "chat/peer.h"
#include "chat/roomdirectory.h"
#include "chat/roomviews.h"
#include "core/monotonicclock.h"
#include "net/wireframe.h"
#include "protocol/roles.h"
#include "protocol/serverframe.h"
#include "storage/teamstore.h"

#include <QDateTime>

namespace confab::server {

namespace {
// A room's presence frames go out at most this often; a lone change after a quiet spell
// goes out on the next turn of the event loop.
constexpr qint64 PresenceIntervalMs = 250;
// Larger rooms wait longer, so that a room's presence costs at most about this many
// deliveries per second however many sign in: a frame to every member every 250 ms made
// a sign-in storm in a room of 10,000 mostly presence (40,000 sends per second).
constexpr qint64 PresenceDeliveriesPerSecond = 4000;
constexpr qint64 PresenceMaxIntervalMs = 5000;
} // namespace

Presence::Presence(const Fanout &fanout, const RoomDirectory &rooms, RoomViews &views,
    StatementCache &reader, int typingTtlMs, QObject *parent)
    : QObject(parent)
    , m_fanout(fanout)
    , m_rooms(rooms)
    , m_views(views)
    , m_reader(reader)
    , m_typingTtlMs(typingTtlMs)
{
    m_timer.setSingleShot(true);
    connect(&m_timer, &QTimer::timeout, this, &Presence::flush);
}

qint64 Presence::intervalMs(const RoomRecord &room)
{
    const qint64 paced = qint64(room.members.size()) * 1000 / PresenceDeliveriesPerSecond;
    return std::clamp(paced, PresenceIntervalMs, PresenceMaxIntervalMs);
}

void Presence::setOnline(qint64 user, bool online)
{
    if (m_cluster) {
        m_cluster->onlineChanged(user, online);
        // Online on another instance before and after: nothing changed for anyone.
        if (m_cluster->onlineElsewhere(user))
            return;
    }
    queue(user, online);
}

void Presence::setOnlineElsewhere(qint64 user, bool online)
{
    // Connected here: online before and after.
    if (m_fanout.isOnline(user))
        return;
    queue(user, online);
}

void Presence::typedElsewhere(qint64 room, qint64 user, bool typing)
{
    if (const RoomRecord *r = m_rooms.room(room))
        m_fanout.sendToUsers(r->members,
            WireFrame::text(protocol::frames::typing(room, m_views.userName(user), typing)), user);
}

void Presence::queue(qint64 user, bool online)
{
    const QSet<qint64> rooms = m_rooms.roomsOf(user);
    for (qint64 roomId : rooms) {
        const RoomRecord *room = m_rooms.room(roomId);
        if (!room)
            continue;
        RoomBatch &batch = m_batches[roomId];
        batch.changes.insert(user, online);
        // Only the rooms touched can be due sooner than the timer already set.
        scheduleAt(batch.lastFlushMs + intervalMs(*room));
    }
}

void Presence::userLeft(qint64 user)
{
    tellTypingStopped(m_typing.clearUser(user));
    setOnline(user, false);
}

void Presence::scheduleAt(qint64 dueMs)
{
    const int wait = int(std::clamp<qint64>(dueMs - monotonicMs(), 0, PresenceMaxIntervalMs));
    if (m_timer.isActive() && m_timer.remainingTime() <= wait)
        return;
    m_timer.start(wait);
}

void Presence::flush()
{
    const qint64 now = monotonicMs();
    // One frame per room with changes, shared by all its members: a member of several
    // such rooms may hear of a peer more than once, which the protocol allows. Sent after
    // the walk: a send can drop a slow reader, whose leaving lands back in setOnline().
    QList<std::pair<qint64, WireFrame>> frames;
    for (auto it = m_batches.begin(); it != m_batches.end();) {
        const RoomRecord *room = m_rooms.room(it.key());
        if (!room) {
            it = m_batches.erase(it);
            continue;
        }
        const qint64 interval = intervalMs(*room);
        if (it->changes.isEmpty()) {
            // Forgotten once quiet for a whole interval: the next change goes out at once.
            it = now - it->lastFlushMs >= interval ? m_batches.erase(it) : std::next(it);
            continue;
        }
        if (now - it->lastFlushMs < interval) {
            scheduleAt(it->lastFlushMs + interval);
            ++it;
            continue;
        }
        QStringList online;
        QStringList offline;
        for (auto c = it->changes.cbegin(); c != it->changes.cend(); ++c) {
            // Whoever left the room since is no longer this room's news: an "online"
            // queued before a leave would otherwise arrive after that user's "offline".
            if (room->members.contains(c.key()))
                (c.value() ? online : offline).append(m_views.userName(c.key()));
        }
        it->changes.clear();
        it->lastFlushMs = now;
        // Someone alone in the room among the changes has nobody to tell but themselves.
        const bool alone = online.size() + offline.size() == 1 && room->members.size() == 1;
        if (!alone && online.size() + offline.size() > 0)
            frames.append({room->id, WireFrame::text(protocol::frames::presence(online, offline))});
        ++it;
    }
    for (const auto &[roomId, frame] : std::as_const(frames)) {
        if (const RoomRecord *room = m_rooms.room(roomId))
            m_fanout.sendToUsers(room->members, frame);
    }
}

void Presence::stopTyping(qint64 room, qint64 user)
{
    if (m_typing.set(room, user, false, 0))
        tellTypingStopped({{room, user}});
}

void Presence::expire(qint64 nowMs)
{
    tellTypingStopped(m_typing.expire(nowMs));
}

void Presence::tellTypingStopped(const QList<TypingTracker::Key> &keys)
{
    for (const auto &[roomId, userId] : keys) {
        if (m_cluster)
            m_cluster->typingChanged(roomId, userId, false);
        if (const RoomRecord *room = m_rooms.room(roomId))
            m_fanout.sendToUsers(room->members,
                WireFrame::text(protocol::frames::typing(roomId, m_views.userName(userId), false)),
                userId);
    }
}

void Presence::handleTyping(Peer *peer, const protocol::Request &r)
{
    const RoomRecord *room = m_views.memberRoom(peer, r);
    if (!room)
        return;
    const bool typing = r.as<protocol::body::Typing>().typing;
    // A muted member may not say anything, typing included (§17.4). Not a write: the mute
    // as committed now decides.
    const std::optional<SanctionRecord> mute = teamstore::activeSanction(m_reader, room->id,
        peer->userId(), int(protocol::SanctionKind::Mute), QDateTime::currentMSecsSinceEpoch());
    if (mute) {
        const RoomLog::Verdict refusal = Moderation::mutedRefusal(room->id, mute->untilMs);
        return peer->fail(r.id, refusal.code, refusal.message, refusal.details);
    }
    if (m_typing.set(room->id, peer->userId(), typing, monotonicMs() + m_typingTtlMs)) {
        m_fanout.sendToUsers(room->members,
            WireFrame::text(protocol::frames::typing(room->id, peer->userName(), typing)),
            peer->userId());
        if (m_cluster)
            m_cluster->typingChanged(room->id, peer->userId(), typing);
    }
    peer->reply(r.id);
}

} // namespace confab::server
