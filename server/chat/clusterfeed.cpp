// SPDX-License-Identifier: GPL-3.0-or-later
#include "chat/clusterfeed.h"

#include "chat/fanout.h"
#include "chat/presence.h"
#include "chat/roomdirectory.h"
#include "chat/roomlog.h"
#include "chat/roomviews.h"
#include "core/logging.h"
#include "net/wireframe.h"
#include "protocol/serverframe.h"
#include "storage/accountstore.h"
#include "storage/eventstore.h"
#include "storage/filestore.h"
#include "storage/localappends.h"
#include "storage/roomstore.h"
#include "storage/statementcache.h"

#include <QDateTime>
#include <QRandomGenerator>
#include <QSqlQuery>

using namespace Qt::StringLiterals;
using confab::protocol::EventKind;
using confab::protocol::RoomEvent;

namespace confab::server {

namespace {
// Events read per query while catching up: a room far behind is read in pages.
constexpr int Page = 256;
// Each instance says it is alive this often; one not heard from for three beats is gone,
// and its users with it.
constexpr int HeartbeatMs = 5000;
constexpr qint64 InstanceTimeoutMs = 3 * HeartbeatMs;

qint64 wallMs()
{
    return QDateTime::currentMSecsSinceEpoch();
}
} // namespace

ClusterFeed::ClusterFeed(const postgres::Doorbell::Options &doorbell, Parts parts, QObject *parent)
    : QObject(parent)
    , m_doorbell(doorbell)
    , m_parts(parts)
{
    connect(&m_doorbell, &postgres::Doorbell::rang, this, [this](qint64 room, qint64 seq) {
        qint64 &heard = m_heard[room];
        heard = std::max(heard, seq);
        catchUp(room, seq);
    });
    connect(&m_doorbell, &postgres::Doorbell::pollDue, this, &ClusterFeed::poll);
    connect(&m_doorbell, &postgres::Doorbell::noted, this, &ClusterFeed::heardNote);
    connect(&m_doorbell, &postgres::Doorbell::listeningChanged, this, [this](bool listening) {
        m_listening = listening;
        // Notes may have been missed both ways: every other instance says again who is
        // online there, and this one says who is online here.
        if (listening) {
            note(u'q', {});
            announceOnline();
        }
        Q_EMIT listeningChanged(listening);
    });
    // Random, so that a restarted instance is a new one and its old self times out.
    m_instance = qint64(QRandomGenerator::system()->generate64() >> 17) + 1;
    m_heartbeat.setInterval(HeartbeatMs);
    connect(&m_heartbeat, &QTimer::timeout, this, [this] {
        note(u'h', {});
        tellElsewhere(m_elsewhere.expire(wallMs(), InstanceTimeoutMs));
    });
}

ClusterFeed::~ClusterFeed() = default;

void ClusterFeed::start()
{
    m_doorbell.start();
    m_heartbeat.start();
}

void ClusterFeed::note(QChar kind, const QList<qint64> &fields)
{
    QString text = kind + QString::number(m_instance);
    for (const qint64 field : fields)
        text += u'.' + QString::number(field);
    m_doorbell.note(text);
}

void ClusterFeed::userChanged(qint64 user)
{
    note(u'u', {user});
}

void ClusterFeed::readMoved(qint64 room, qint64 user, qint64 seq)
{
    note(u'r', {room, user, seq});
}

void ClusterFeed::typingChanged(qint64 room, qint64 user, bool typing)
{
    note(u't', {room, user, typing ? 1 : 0});
}

void ClusterFeed::sharedChanged(int what, qint64 a, qint64 b)
{
    note(u'c', {what, a, b});
}

void ClusterFeed::onlineChanged(qint64 user, bool online)
{
    note(u'p', {user, online ? 1 : 0});
}

void ClusterFeed::announceOnline()
{
    note(u'b', {});
    const QList<qint64> users = m_parts.fanout.online().keys();
    for (const qint64 user : users)
        note(u'p', {user, 1});
    note(u'e', {});
}

void ClusterFeed::tellElsewhere(const RemotePresence::Changes &changes)
{
    for (const auto &[user, online] : changes)
        Q_EMIT elsewhereChanged(user, online);
}

void ClusterFeed::heardNote(const QString &note)
{
    // <kind><instance>[.<field>…], each field a number (ClusterFeed::note()).
    const QList<QStringView> parts = QStringView(note).mid(1).split(u'.');
    QList<qint64> fields;
    for (const QStringView part : parts) {
        bool ok = false;
        fields.append(part.toLongLong(&ok));
        if (!ok)
            return;
    }
    const qint64 from = fields.takeFirst();
    if (from == m_instance) {
        // A session or role change is read again here too: harmless, and the same path.
        if (note.front() == u'u' && fields.size() == 1)
            Q_EMIT userRang(fields[0]);
        return;
    }
    const qint64 now = wallMs();
    m_elsewhere.heard(from, now);
    switch (note.front().unicode()) {
    case 'u':
        if (fields.size() == 1)
            Q_EMIT userRang(fields[0]);
        return;
    case 'r':
        if (fields.size() == 3)
            Q_EMIT readRang(fields[0], fields[1], fields[2]);
        return;
    case 'c':
        if (fields.size() == 3)
            Q_EMIT sharedRang(int(fields[0]), fields[1], fields[2]);
        return;
    case 't':
        if (fields.size() == 3)
            Q_EMIT typingRang(fields[0], fields[1], fields[2] != 0);
        return;
    case 'p':
        if (fields.size() == 2)
            tellElsewhere(m_elsewhere.set(from, fields[0], fields[1] != 0, now));
        return;
    case 'q':
        announceOnline();
        return;
    case 'b':
        m_elsewhere.begin(from, now);
        return;
    case 'e':
        tellElsewhere(m_elsewhere.end(from, now));
        return;
    default: // 'h', and kinds of later versions
        return;
    }
}

void ClusterFeed::catchUp(qint64 room, qint64 upTo)
{
    if (m_busy.contains(room))
        return;
    if (upTo == Latest)
        upTo = m_heard.value(room);
    const RoomRecord *record = m_parts.rooms.room(room);
    // Taken the first time it is needed, before a completion may move lastSeq ahead of
    // what was delivered (a group's add announces the room first).
    if (!m_delivered.contains(room))
        m_delivered.insert(room, record ? record->lastSeq : 0);
    m_busy.insert(room);
    bool fresh = false;
    for (;;) {
        // This instance's own events that waited for the others' before them go out in turn.
        sendHeld(room);
        const qint64 from = m_delivered.value(room);
        qint64 until = upTo;
        if (const qint64 own = m_parts.local.firstAfter(room, from))
            until = std::min(until, own - 1);
        if (until <= from)
            break;
        // A room created on another instance: known from now on, announced once its first
        // events went out, as a room created here is.
        if (!m_parts.rooms.room(room)) {
            std::optional<RoomRecord> loaded = roomstore::load(m_parts.reader, room);
            if (!loaded)
                break;
            loaded->lastSeq = 0;
            m_parts.rooms.insert(*loaded);
            fresh = true;
        }
        QList<RoomEvent> events
            = eventstore::range(m_parts.reader, room, from, until + 1, Page, false);
        // Nothing: a failed read, tried again at the next ring or poll.
        if (events.isEmpty())
            break;
        // This instance's own event, committed since firstAfter() above (a ring may name
        // a seq not committed yet): its completion sends it.
        const qsizetype own = std::find_if(events.cbegin(), events.cend(), [&](const RoomEvent &e) {
            return m_parts.local.firstAfter(room, e.seq - 1) == e.seq;
        }) - events.cbegin();
        const bool stopped = own < events.size();
        events.resize(own);
        filestore::attachFiles(m_parts.reader, events);
        for (const RoomEvent &e : std::as_const(events)) {
            apply(e);
            m_delivered[room] = e.seq;
        }
        if (stopped)
            break;
    }
    m_busy.remove(room);
    if (fresh) {
        if (const RoomRecord *created = m_parts.rooms.room(room)) {
            m_parts.log.announceRoom(*created, nullptr);
            m_parts.log.announceChannel(*created);
        }
    }
}

bool ClusterFeed::deliverable(const RoomEvent &event) const
{
    return !m_held.contains(event.room) && m_delivered.value(event.room) >= event.seq - 1;
}

void ClusterFeed::hold(const RoomEvent &event)
{
    QList<RoomEvent> &held = m_held[event.room];
    // Once per wait, not per message: storage may be away for a while.
    if (held.isEmpty())
        qCWarning(lcCluster) << "room" << event.room << "from seq" << event.seq
                             << "waits for the other instances' events before it";
    held.append(event);
}

void ClusterFeed::sendHeld(qint64 room)
{
    auto it = m_held.find(room);
    while (it != m_held.end() && m_delivered.value(room) >= it->first().seq - 1) {
        const RoomEvent e = it->takeFirst();
        if (it->isEmpty())
            m_held.erase(it);
        m_parts.log.send(e);
        sent(e);
        it = m_held.find(room);
    }
}

void ClusterFeed::refresh(qint64 room)
{
    QSqlQuery *q = m_parts.reader.run(u"SELECT last_seq FROM rooms WHERE id = ?"_s, {room});
    if (!q || !q->next())
        return;
    qint64 &heard = m_heard[room];
    heard = std::max(heard, q->value(0).toLongLong());
    q->finish();
    catchUp(room);
}

void ClusterFeed::sent(const RoomEvent &event)
{
    qint64 &cursor = m_delivered[event.room];
    cursor = std::max(cursor, event.seq);
    m_parts.local.delivered(event.room, event.seq);
    m_doorbell.ring(event.room, event.seq);
}

void ClusterFeed::poll()
{
    // Every room's high-water mark: a ring lost with the listener's connection, or one
    // that came before a room was known here, is found within a poll interval.
    QList<qint64> behind;
    if (QSqlQuery *q = m_parts.reader.run(u"SELECT id, last_seq FROM rooms"_s)) {
        while (q->next()) {
            const qint64 room = q->value(0).toLongLong();
            const qint64 last = q->value(1).toLongLong();
            qint64 &heard = m_heard[room];
            heard = std::max(heard, last);
            const RoomRecord *record = m_parts.rooms.room(room);
            const qint64 delivered = m_delivered.value(room, record ? record->lastSeq : 0);
            if (last > delivered)
                behind.append(room);
        }
    }
    for (const qint64 room : std::as_const(behind))
        catchUp(room);
}

void ClusterFeed::apply(const RoomEvent &e)
{
    const auto announce = [this, &e] {
        if (const RoomRecord *room = m_parts.rooms.room(e.room))
            m_parts.log.announceChannel(*room);
    };
    switch (e.kind) {
    case EventKind::Message:
    case EventKind::Edit:
    case EventKind::React:
    case EventKind::Unreact:
        m_parts.log.send(e);
        return;
    case EventKind::Redact:
        // Unread counts held here may count the message.
        m_parts.views.messageRedacted(e.room);
        m_parts.log.send(e);
        return;
    case EventKind::Leave:
    case EventKind::Kick:
    case EventKind::Ban: {
        // As a leave here: the member gets the event, and from now on nothing of the room.
        m_parts.log.send(e);
        const auto [joined, left] = reload(e.room);
        Q_UNUSED(joined);
        for (const qint64 user : left) {
            m_parts.presence.stopTyping(e.room, user);
            m_parts.views.unlistIfHidden(m_parts.fanout, e.room, user);
        }
        // A kick or ban of someone who was not a member withdrew their invitation.
        if (e.kind != EventKind::Leave && !e.user.isEmpty()) {
            const qint64 target = userId(e.user);
            if (target > 0 && !left.contains(target)) {
                m_parts.fanout.sendToUser(
                    target, WireFrame::text(protocol::frames::inviteRemoved(e.room)));
                m_parts.views.unlistIfHidden(m_parts.fanout, e.room, target);
            }
        }
        announce();
        return;
    }
    case EventKind::Invite: {
        m_parts.log.send(e);
        const qint64 invitee = userId(e.user);
        if (invitee <= 0)
            return;
        m_parts.views.forgetNoInvitations(invitee);
        if (const auto invitation = m_parts.views.invitation(e.room, invitee))
            m_parts.fanout.sendToUser(
                invitee, WireFrame::text(protocol::frames::invited(*invitation)));
        return;
    }
    case EventKind::Create:
    case EventKind::Join:
    case EventKind::Add:
    case EventKind::Topic:
    case EventKind::Role:
    case EventKind::Settings:
    case EventKind::Unban:
    case EventKind::Mute:
    case EventKind::Unmute:
        break;
    }
    // The room first, so that a new member's client knows it when the event arrives.
    const auto [joined, left] = reload(e.room);
    Q_UNUSED(left);
    if (const RoomRecord *room = m_parts.rooms.room(e.room)) {
        for (const qint64 user : joined) {
            m_parts.fanout.sendToUser(
                user, WireFrame::text(protocol::frames::room(m_parts.views.summary(*room, user))));
            // Joining a private channel ends the joiner's invitation to it.
            if (e.kind == EventKind::Join && room->isPrivate)
                m_parts.fanout.sendToUser(
                    user, WireFrame::text(protocol::frames::inviteRemoved(e.room)));
        }
    }
    m_parts.log.send(e);
    if (e.kind != EventKind::Role && e.kind != EventKind::Mute && e.kind != EventKind::Unmute
        && e.kind != EventKind::Unban)
        announce();
}

std::pair<QSet<qint64>, QSet<qint64>> ClusterFeed::reload(qint64 room)
{
    std::optional<RoomRecord> loaded = roomstore::load(m_parts.reader, room);
    const RoomRecord *old = m_parts.rooms.room(room);
    if (!loaded || !old)
        return {};
    const QSet<qint64> before = old->members;
    // lastSeq is what was delivered here, not what storage has reached.
    loaded->lastSeq = old->lastSeq;
    m_parts.rooms.insert(*loaded);
    return {loaded->members - before, before - loaded->members};
}

qint64 ClusterFeed::userId(const QString &name) const
{
    const std::optional<UserRecord> user = accountstore::userByName(m_parts.reader, name);
    return user ? user->id : 0;
}

} // namespace confab::server
