// SPDX-License-Identifier: GPL-3.0-or-later
#include "resumeclient.h"

#include <QJsonArray>
#include <QTimer>
#include <utility>

using namespace Qt::StringLiterals;

namespace confab::test {

namespace req = protocol::requests;
using protocol::ErrorCode;
using protocol::RoomEvent;
using protocol::ServerFrame;
using protocol::ServerFrameType;

namespace {
qint64 integer(const QJsonValue &v)
{
    return qint64(v.toDouble());
}
} // namespace

ResumeClient::ResumeClient(std::function<QUrl()> url, QObject *parent)
    : QObject(parent)
    , m_url(std::move(url))
{ }

ResumeClient::~ResumeClient()
{
    if (m_socket) {
        m_socket->disconnect(this);
        m_socket->abort();
    }
}

void ResumeClient::connectToServer()
{
    m_wantOnline = true;
    if (m_state != State::Offline)
        return;
    if (m_socket) {
        // This may run inside one of the old socket's signals: never delete it synchronously.
        m_socket->disconnect(this);
        m_socket.release()->deleteLater();
    }
    m_socket = std::make_unique<QWebSocket>();
    QWebSocket *socket = m_socket.get();
    connect(socket, &QWebSocket::textMessageReceived, this, &ResumeClient::onText);
    connect(socket, &QWebSocket::stateChanged, this, [this](QAbstractSocket::SocketState s) {
        if (s == QAbstractSocket::UnconnectedState)
            onDisconnected();
    });
    m_state = State::Connecting;
    socket->open(m_url());
}

void ResumeClient::goOffline()
{
    m_wantOnline = false;
    if (m_socket)
        m_socket->abort();
    if (m_state != State::Offline)
        onDisconnected();
}

void ResumeClient::follow(qint64 room, qint64 cursor)
{
    m_cursor.insert(room, cursor);
}

void ResumeClient::queueSend(qint64 room, const QString &txn, const QString &text)
{
    m_outbox.append(Outgoing {room, txn, text});
    pump();
}

void ResumeClient::autoSend(qint64 room, const QString &txnPrefix, int count)
{
    m_autoRoom = room;
    m_autoPrefix = txnPrefix;
    m_autoCount = count;
    pump();
}

bool ResumeClient::request(
    const protocol::OutgoingRequest &r, std::function<void(const ServerFrame &)> done)
{
    if (!m_socket || m_state == State::Offline || m_state == State::Connecting)
        return false;
    const qint64 id = m_nextId++;
    m_waiting.emplace(id, std::move(done));
    m_socket->sendTextMessage(QString::fromUtf8(r.encode(double(id))));
    return true;
}

void ResumeClient::violation(const QString &what)
{
    if (m_violations.size() < 50)
        m_violations.append(u"%1: %2"_s.arg(m_user.isEmpty() ? u"?"_s : m_user, what));
}

void ResumeClient::onText(const QString &text)
{
    const auto frame = protocol::decodeServerFrame(text.toUtf8());
    if (!frame)
        return violation(u"undecodable frame %1"_s.arg(text.left(200)));
    switch (frame->type) {
    case ServerFrameType::Hello: {
        if (m_state != State::Connecting)
            return violation(u"hello twice"_s);
        m_state = State::Resuming;
        m_historyPageMax
            = int(frame->body.value("limits"_L1).toObject().value("historyPageMax"_L1).toDouble());
        // §10: authenticate and sync pipelined; events are buffered until the sync reply.
        request(req::authenticate(m_token), [this](const ServerFrame &f) {
            if (f.type != ServerFrameType::Result)
                return violation(u"authenticate refused: %1"_s.arg(f.message));
            m_user = f.data().value("user"_L1).toString();
        });
        m_sentCursor.clear();
        for (auto it = m_cursor.cbegin(); it != m_cursor.cend(); ++it)
            m_sentCursor.insert(it.key(), qMax<qint64>(0, it.value()));
        request(req::sync(m_sentCursor), [this](const ServerFrame &f) { onResumed(f); });
        return;
    }
    case ServerFrameType::Result:
    case ServerFrameType::Error: {
        const auto done = m_waiting.take(integer(frame->id));
        if (done)
            done(*frame);
        else
            violation(u"reply nobody asked for: %1"_s.arg(text.left(200)));
        return;
    }
    case ServerFrameType::Event: {
        const auto e = frame->roomEvent();
        if (!e)
            return violation(u"bad event %1"_s.arg(text.left(200)));
        if (m_state == State::Resuming)
            m_buffered.append(*e);
        else
            applyEvent(*e, Source::Live);
        return;
    }
    default:
        return;
    }
}

void ResumeClient::onResumed(const ServerFrame &reply)
{
    if (reply.type != ServerFrameType::Result) {
        violation(u"sync refused: %1"_s.arg(reply.message));
        return goOffline();
    }
    const QJsonObject data = reply.data();
    // Gaps a dropped connection left open come first: their events are behind
    // the cursor, so this sync cannot report them again.
    if (!m_holes.isEmpty())
        ++m_holesCarriedOver;
    for (const auto &left : data.value("left"_L1).toArray()) {
        const qint64 room = integer(left);
        m_cursor.remove(room);
        m_holes.removeIf([room](const Hole &h) { return h.room == room; });
    }
    for (const auto &v : data.value("rooms"_L1).toArray()) {
        const QJsonObject entry = v.toObject();
        const qint64 room = integer(entry.value("room"_L1).toObject().value("id"_L1));
        const qint64 sent = m_sentCursor.value(room, 0);
        if (m_cursor.value(room, -1) < 0)
            m_cursor.insert(room, 0);
        const QJsonArray events = entry.value("events"_L1).toArray();
        const bool gap = entry.value("gap"_L1).toBool();
        const qint64 first = events.isEmpty() ? 0 : integer(events.first()["seq"_L1]);
        if (gap) {
            if (integer(entry.value("gapFrom"_L1)) != sent)
                violation(u"room %1: gapFrom %2, cursor sent %3"_s.arg(room)
                              .arg(integer(entry.value("gapFrom"_L1)))
                              .arg(sent));
            if (first <= sent + 1)
                violation(u"room %1: gap reported but nothing is missing"_s.arg(room));
            m_holes.append(Hole {room, sent, first});
        } else if (!events.isEmpty() && first != sent + 1) {
            violation(
                u"room %1: sync resumed at %2, cursor sent %3"_s.arg(room).arg(first).arg(sent));
        }
        qint64 previous = first - 1;
        for (const auto &ev : events) {
            const auto e = RoomEvent::fromJson(ev.toObject());
            if (!e || e->seq != previous + 1)
                violation(u"room %1: sync events not contiguous"_s.arg(room));
            if (e) {
                previous = e->seq;
                applyEvent(*e, Source::Sync);
            }
        }
    }
    fillNextHole();
}

void ResumeClient::fillNextHole()
{
    if (m_holes.isEmpty())
        return finishResume();
    const Hole hole = m_holes.first();
    // §10 gap handling: page backwards from the first event sync returned.
    request(
        req::historyBefore(hole.room, hole.before, m_historyPageMax), [this](const ServerFrame &f) {
            if (m_holes.isEmpty())
                return;
            Hole &h = m_holes.first();
            if (f.type != ServerFrameType::Result) {
                violation(u"history refused: %1"_s.arg(f.message));
                return goOffline();
            }
            ++m_historyPages;
            const QJsonArray events = f.data().value("events"_L1).toArray();
            for (const auto &ev : events) {
                const auto e = RoomEvent::fromJson(ev.toObject());
                if (e && e->seq > h.gapFrom)
                    applyEvent(*e, Source::History);
            }
            const qint64 oldest = events.isEmpty() ? 0 : integer(events.first()["seq"_L1]);
            if (events.isEmpty() || oldest <= h.gapFrom + 1
                || !f.data().value("hasMore"_L1).toBool()) {
                ++m_gapsFilled;
                m_holes.removeFirst();
            } else {
                h.before = oldest;
            }
            Q_EMIT historyPageApplied();
            if (m_state == State::Resuming) // not dropped meanwhile
                fillNextHole();
        });
}

void ResumeClient::finishResume()
{
    const QList<RoomEvent> buffered = std::exchange(m_buffered, {});
    for (const auto &e : buffered)
        applyEvent(e, Source::Live);
    m_state = State::Live;
    ++m_resumes;
    for (auto &o : m_outbox) {
        // §8 step 4: delivered although its ack never arrived. Resent anyway, on purpose:
        // the server must answer with the original ack.
        if (o.sentBefore && m_myStored.contains(o.txn))
            ++m_lostAcks;
        o.inFlight = false;
    }
    Q_EMIT live();
    pump();
}

void ResumeClient::applyEvent(const RoomEvent &e, Source source)
{
    keep(e);
    if (source == Source::History)
        return; // history never moves the cursor (§10)
    const qint64 cursor = m_cursor.value(e.room, -1);
    if (cursor >= 0 && e.seq <= cursor) {
        ++m_duplicates;
        return;
    }
    // §6.1: live events of a room arrive in seq order with no gaps.
    if (source == Source::Live && cursor >= 0 && e.seq != cursor + 1)
        violation(u"room %1: live event %2 after cursor %3"_s.arg(e.room).arg(e.seq).arg(cursor));
    m_cursor.insert(e.room, e.seq);
}

void ResumeClient::keep(const RoomEvent &e)
{
    if (!m_keepTimeline)
        return;
    auto &log = m_timeline[e.room];
    const auto it = log.constFind(e.seq);
    if (it != log.cend()) {
        if (!(*it == e))
            violation(u"room %1 seq %2 arrived as two different events"_s.arg(e.room).arg(e.seq));
        return;
    }
    log.insert(e.seq, e);
    if (e.kind == protocol::EventKind::Message && !m_user.isEmpty() && e.sender == m_user) {
        if (m_myStored.contains(e.txn))
            violation(u"txn %1 stored twice"_s.arg(e.txn));
        m_myStored.insert(e.txn);
    }
}

void ResumeClient::pump()
{
    while (m_autoRoom && m_autoNext < m_autoCount && m_outbox.size() < m_window) {
        const QString txn = u"%1%2"_s.arg(m_autoPrefix).arg(m_autoNext++);
        m_outbox.append(Outgoing {m_autoRoom, txn, u"message %1"_s.arg(txn)});
    }
    if (m_state != State::Live)
        return;
    int inFlight = 0;
    for (const auto &o : std::as_const(m_outbox))
        inFlight += o.inFlight ? 1 : 0;
    for (auto &o : m_outbox) {
        if (inFlight >= m_window)
            break;
        if (o.inFlight)
            continue;
        if (o.sentBefore)
            ++m_resends;
        o.inFlight = true;
        o.sentBefore = true;
        ++inFlight;
        const QString txn = o.txn;
        request(req::send(o.room, o.txn, o.text),
            [this, txn](const ServerFrame &f) { onSendReply(txn, f); });
    }
}

void ResumeClient::onSendReply(const QString &txn, const ServerFrame &reply)
{
    const auto it = std::find_if(
        m_outbox.begin(), m_outbox.end(), [&](const Outgoing &o) { return o.txn == txn; });
    if (reply.type == ServerFrameType::Result) {
        const QJsonObject ack = reply.data();
        if (ack.value("txn"_L1).toString() != txn)
            violation(u"ack for %1 names %2"_s.arg(txn, ack.value("txn"_L1).toString()));
        const auto known = m_acks.constFind(txn);
        if (known != m_acks.cend() && *known != ack)
            violation(u"txn %1 acknowledged twice, differently"_s.arg(txn));
        m_acks.insert(txn, ack);
        if (it != m_outbox.end())
            m_outbox.erase(it);
        return pump();
    }
    switch (reply.error) {
    case ErrorCode::RateLimited:
    case ErrorCode::StorageError:
    case ErrorCode::ShuttingDown:
    case ErrorCode::Internal: {
        // §8 step 5: transient, retry later with the same txn.
        if (it != m_outbox.end())
            it->inFlight = false;
        const int wait = qBound(10, int(reply.body.value("retryAfterMs"_L1).toDouble()), 1000);
        QTimer::singleShot(wait, this, &ResumeClient::pump);
        return;
    }
    default:
        violation(u"send %1 refused: %2"_s.arg(txn, reply.message));
        if (it != m_outbox.end())
            m_outbox.erase(it);
    }
}

void ResumeClient::onDisconnected()
{
    if (m_state == State::Offline)
        return;
    m_state = State::Offline;
    m_waiting.clear();
    m_buffered.clear();
    // m_holes stays: sync already moved the cursor past those events (§10), so
    // the next resume must go on paging them in where this connection stopped.
    for (auto &o : m_outbox)
        o.inFlight = false;
    ++m_drops;
    Q_EMIT dropped();
    if (m_wantOnline && m_reconnectDelayMs > 0)
        QTimer::singleShot(m_reconnectDelayMs, this, [this] {
            if (m_wantOnline)
                connectToServer();
        });
}

} // namespace confab::test
