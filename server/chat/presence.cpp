// SPDX-License-Identifier: GPL-3.0-or-later
#include "chat/presence.h"

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
// Presence frames go out at most this often; a lone change after a quiet spell goes
// out on the next turn of the event loop.
constexpr qint64 PresenceIntervalMs = 250;
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

void Presence::setOnline(qint64 user, bool online)
{
    m_pending.insert(user, online);
    if (m_timer.isActive())
        return;
    const qint64 wait = m_lastFlush + PresenceIntervalMs - monotonicMs();
    m_timer.start(int(std::clamp<qint64>(wait, 0, PresenceIntervalMs)));
}

void Presence::userLeft(qint64 user)
{
    tellTypingStopped(m_typing.clearUser(user));
    setOnline(user, false);
}

void Presence::flush()
{
    m_lastFlush = monotonicMs();
    // One frame per room with changes, shared by all its members: a member of several
    // such rooms may hear of a peer more than once, which the protocol allows.
    QHash<qint64, std::pair<QStringList, QStringList>> perRoom;
    for (auto it = m_pending.cbegin(); it != m_pending.cend(); ++it) {
        const QString name = m_views.userName(it.key());
        const QSet<qint64> rooms = m_rooms.roomsOf(it.key());
        for (qint64 room : rooms) {
            auto &lists = perRoom[room];
            (it.value() ? lists.first : lists.second).append(name);
        }
    }
    m_pending.clear();
    for (auto it = perRoom.cbegin(); it != perRoom.cend(); ++it) {
        const RoomRecord *room = m_rooms.room(it.key());
        if (!room)
            continue;
        const auto &[online, offline] = it.value();
        // Someone alone in the room among the changes has nobody to tell but themselves.
        if (online.size() + offline.size() == 1 && room->members.size() == 1)
            continue;
        m_fanout.sendToUsers(
            room->members, WireFrame::text(protocol::frames::presence(online, offline)));
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
    if (m_typing.set(room->id, peer->userId(), typing, monotonicMs() + m_typingTtlMs))
        m_fanout.sendToUsers(room->members,
            WireFrame::text(protocol::frames::typing(room->id, peer->userName(), typing)),
            peer->userId());
    peer->reply(r.id);
}

} // namespace confab::server
