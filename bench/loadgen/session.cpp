// SPDX-License-Identifier: GPL-3.0-or-later
// The four wire protocols the load generator speaks. The receive path is kept
// cheap on purpose: a delivery is recognised by finding the payload marker, not
// by parsing the frame, so that the generator is never the bottleneck.
#include "engine.h"
#include "protocol/requestbuilder.h"
#include "websocket.h"

#include <QHash>
#include <algorithm>
#include <charconv>
#include <cstdio>
#include <cstring>
#include <limits>

namespace loadgen {

namespace {
namespace req = confab::protocol::requests;

constexpr std::string_view Marker = "lg:";
constexpr std::string_view IrcChannel = "#bench";

std::string_view confabType(std::string_view frame)
{
    // The server sorts keys, so the top-level "type" comes after "data", "event",
    // "id" and "code": searching from the end finds it before anything nested.
    constexpr std::string_view Key = "\"type\":\"";
    const std::size_t at = frame.rfind(Key);
    if (at == std::string_view::npos)
        return {};
    const std::size_t start = at + Key.size();
    const std::size_t end = frame.find('"', start);
    return end == std::string_view::npos ? std::string_view {} : frame.substr(start, end - start);
}

QByteArray encode(const confab::protocol::OutgoingRequest &r, std::int64_t id)
{
    return r.encode(QJsonValue(qint64(id)));
}

std::int64_t parseInt(std::string_view s, std::size_t *pos)
{
    std::int64_t v = 0;
    const auto r = std::from_chars(s.data() + *pos, s.data() + s.size(), v);
    *pos = std::size_t(r.ptr - s.data()) + 1; // skip the ':' after the number
    return v;
}
} // namespace

void Worker::openSession(Client &c)
{
    const Options &o = m_engine->options();
    switch (o.system) {
    case System::Confab:
        return queue(c, ws::upgradeRequest(o.host, o.portFor(c.index), "/"));
    case System::SocketIo:
        return queue(c,
            ws::upgradeRequest(
                o.host, o.portFor(c.index), "/socket.io/?EIO=4&transport=websocket"));
    case System::Ws:
        return queue(c, ws::upgradeRequest(o.host, o.portFor(c.index), "/"));
    case System::Irc: {
        c.state = Client::State::SigningIn;
        const std::string nick = "u" + std::to_string(c.index);
        return queue(c, "NICK " + nick + "\r\nUSER " + nick + " 0 * :bench\r\n");
    }
    }
}

std::size_t Worker::consumeWebSocket(Client &c, std::string_view data)
{
    std::size_t used = 0;
    if (c.state == Client::State::Upgrading) {
        const auto r = ws::parseUpgradeResponse(data, &used);
        if (r == ws::UpgradeResult::Incomplete)
            return 0;
        if (r == ws::UpgradeResult::Refused) {
            fail(c);
            return data.size();
        }
        c.state = Client::State::SigningIn;
        if (m_engine->options().system == System::Ws)
            markReady(c);
    }
    while (c.state != Client::State::Closed) {
        ws::Frame frame;
        std::size_t n = 0;
        const auto r = ws::parseFrame(data.substr(used), &frame, &n);
        if (r == ws::ParseResult::Incomplete)
            break;
        if (r == ws::ParseResult::Error) {
            fail(c);
            return data.size();
        }
        used += n;
        switch (frame.opcode) {
        case ws::Opcode::Text:
        case ws::Opcode::Binary:
            if (frame.final) {
                onText(c, frame.payload);
            } else {
                c.fragment.assign(frame.payload);
            }
            break;
        case ws::Opcode::Continuation:
            c.fragment.append(frame.payload);
            if (frame.final) {
                const std::string whole = std::move(c.fragment);
                c.fragment.clear();
                onText(c, whole);
            }
            break;
        case ws::Opcode::Ping: {
            std::string pong;
            ws::appendFrame(pong, ws::Opcode::Pong, frame.payload, &c.mask);
            queue(c, pong);
            break;
        }
        case ws::Opcode::Close:
            fail(c);
            return data.size();
        case ws::Opcode::Pong:
            break;
        }
    }
    return used;
}

std::size_t Worker::consumeIrc(Client &c, std::string_view data)
{
    std::size_t used = 0;
    while (c.state != Client::State::Closed) {
        const std::size_t eol = data.find('\n', used);
        if (eol == std::string_view::npos)
            break;
        std::string_view line = data.substr(used, eol - used);
        if (!line.empty() && line.back() == '\r')
            line.remove_suffix(1);
        used = eol + 1;
        onIrcLine(c, line);
    }
    return used;
}

void Worker::onText(Client &c, std::string_view text)
{
    switch (m_engine->options().system) {
    case System::Confab:
        return onConfab(c, text);
    case System::SocketIo:
        return onSocketIo(c, text);
    case System::Ws:
        if (text.starts_with(Marker))
            onDelivery(c, text);
        return;
    case System::Irc:
        return;
    }
}

void Worker::onConfab(Client &c, std::string_view frame)
{
    const std::string_view type = confabType(frame);
    if (type == "event" && c.state == Client::State::Ready
        && m_engine->trackCursors.load(std::memory_order_relaxed))
        trackCursor(c, frame);
    if (c.resuming && c.state == Client::State::SigningIn)
        return onResumeReply(c, type, frame);
    if (type == "event") {
        constexpr std::string_view TextKey = "\"text\":\"lg:";
        const std::size_t at = frame.find(TextKey);
        if (at != std::string_view::npos)
            onDelivery(c, frame.substr(at + TextKey.size() - Marker.size()));
        return;
    }
    if (c.state == Client::State::SigningIn) {
        if (type == "hello") {
            const QString token = QStringLiteral("bench-token-%1").arg(c.index);
            sendText(c, encode(req::authenticate(token), c.nextRequestId++).toStdString());
        } else if (type == "result") {
            markReady(c);
        } else if (type == "error") {
            fail(c);
        }
        return;
    }
    if (c.ingest && c.ingest->outstanding > 0 && (type == "result" || type == "error")) {
        if (type == "error")
            m_engine->errors.fetch_add(1, std::memory_order_relaxed);
        return onIngestReply(c);
    }
    if (type == "result") {
        if (c.historyBusy) {
            c.historyBusy = false;
            PhaseCounters &p = counters(m_historyPhase);
            p.latency.record((nowNs() - c.requestStartNs) / 1000);
            p.delivered.fetch_add(1, std::memory_order_relaxed);
            if (m_historyRunning)
                sendHistoryRequest(c);
        }
    } else if (type == "error") {
        m_engine->errors.fetch_add(1, std::memory_order_relaxed);
        if (c.historyBusy) {
            c.historyBusy = false;
            if (m_historyRunning)
                sendHistoryRequest(c);
        }
    }
}

void Worker::onSocketIo(Client &c, std::string_view frame)
{
    if (frame.empty())
        return;
    // Engine.IO packet types: 0 open, 1 close, 2 ping, 3 pong, 4 message.
    switch (frame[0]) {
    case '0':
        sendText(c, "40"); // Socket.IO CONNECT to the default namespace
        return;
    case '1':
        return fail(c);
    case '2':
        return sendText(c, "3");
    case '4':
        if (frame.starts_with("40")) {
            markReady(c);
        } else if (frame.starts_with("42")) {
            const std::size_t at = frame.find(Marker);
            if (at != std::string_view::npos)
                onDelivery(c, frame.substr(at));
        } else if (frame.starts_with("44")) {
            fail(c); // CONNECT_ERROR
        }
        return;
    default:
        return;
    }
}

void Worker::onIrcLine(Client &c, std::string_view line)
{
    if (line.starts_with("PING")) {
        std::string pong(line);
        pong[1] = 'O';
        pong += "\r\n";
        return queue(c, pong);
    }
    // ":prefix COMMAND params"
    const std::size_t sp = line.find(' ');
    if (sp == std::string_view::npos)
        return;
    const std::size_t sp2 = line.find(' ', sp + 1);
    const std::string_view command
        = line.substr(sp + 1, sp2 == std::string_view::npos ? sp2 : sp2 - sp - 1);
    if (command == "PRIVMSG") {
        const std::size_t at = line.find(" :lg:", sp2);
        if (at != std::string_view::npos)
            onDelivery(c, line.substr(at + 2));
    } else if (command == "001") {
        queue(c, "JOIN " + std::string(IrcChannel) + "\r\n");
    } else if (command == "366") {
        markReady(c);
    } else if (line.starts_with("ERROR") || command == "433" || command == "465") {
        fail(c);
    }
}

void Worker::sendText(Client &c, std::string_view text)
{
    std::string frame;
    ws::appendFrame(frame, ws::Opcode::Text, text, &c.mask);
    queue(c, frame);
}

void Worker::sendChat(Client &c)
{
    const std::int64_t now = nowNs();
    std::string text = "lg:" + std::to_string(m_phase) + ':' + std::to_string(c.index) + ':'
        + std::to_string(now) + ':';
    const int want = m_engine->options().payloadBytes;
    if (int(text.size()) < want)
        text.append(std::size_t(want) - text.size(), 'x');
    counters(m_phase).sent.fetch_add(1, std::memory_order_relaxed);
    switch (m_engine->options().system) {
    case System::Confab: {
        const QString txn = QStringLiteral("lg%1-%2-%3")
                                .arg(QString::fromStdString(m_engine->runTag))
                                .arg(c.index)
                                .arg(c.sentCount++);
        const auto r = req::send(m_engine->options().room, txn, QString::fromLatin1(text));
        return sendText(c, encode(r, c.nextRequestId++).toStdString());
    }
    case System::SocketIo:
        return sendText(c, "42[\"msg\",\"" + text + "\"]");
    case System::Ws:
        return sendText(c, text);
    case System::Irc:
        return queue(c, "PRIVMSG " + std::string(IrcChannel) + " :" + text + "\r\n");
    }
}

void Worker::sendHistoryRequest(Client &c)
{
    const Options &o = m_engine->options();
    const std::int64_t span = std::max<std::int64_t>(1, o.historyLastSeq - 60);
    const std::int64_t before = 60 + std::int64_t(nextRandom() % std::uint64_t(span));
    c.historyBusy = true;
    c.requestStartNs = nowNs();
    sendText(
        c, encode(req::historyBefore(o.historyRoom, before, 50), c.nextRequestId++).toStdString());
}

void Worker::startIngest(int window, int phase)
{
    const Options &o = m_engine->options();
    m_ingestRunning = true;
    m_ingestPhase = phase;
    // The text does not start with the fan-out marker, so the broadcast copies of these
    // messages are dropped on arrival: only the acknowledgements are measured.
    std::string text = "in:";
    if (int(text.size()) < o.payloadBytes)
        text.append(std::size_t(o.payloadBytes) - text.size(), 'x');
    constexpr std::string_view Zeros = "0000000000"; // 10 digits: patched per request
    for (std::size_t i = std::size_t(m_id); i < m_engine->m_clients.size();
         i += m_engine->m_workers.size()) {
        Client &c = *m_engine->m_clients[i];
        if (c.state != Client::State::Ready || c.ingest)
            continue;
        auto w = std::make_unique<IngestWindow>();
        w->sentNs.assign(std::size_t(std::max(1, window)), 0);
        // Encoded once by the shared codec with placeholder digits, which each request
        // overwrites with its sequence number: a string id and a txn unique per run.
        const std::string txnPrefix = "in" + m_engine->runTag + '-' + std::to_string(c.index) + '-';
        const QString zeros = QString::fromLatin1(Zeros.data(), qsizetype(Zeros.size()));
        w->frame = req::send(
            o.room, QString::fromStdString(txnPrefix) + zeros, QString::fromStdString(text))
                       .encode(QJsonValue(zeros))
                       .toStdString();
        constexpr std::string_view IdKey = "\"id\":\"";
        const std::string txnKey = "\"txn\":\"" + txnPrefix;
        const std::size_t idPos = w->frame.find(IdKey);
        const std::size_t txnPos = w->frame.find(txnKey);
        if (idPos == std::string::npos || txnPos == std::string::npos) {
            m_engine->errors.fetch_add(1, std::memory_order_relaxed);
            continue;
        }
        w->idAt = idPos + IdKey.size();
        w->txnAt = txnPos + txnKey.size();
        c.ingest = std::move(w);
        for (int k = 0; k < window; ++k)
            sendIngest(c);
        queue(c, c.ingest->out);
        if (c.ingest) // null if the write failed and closed the client
            c.ingest->out.clear();
    }
}

void Worker::sendIngest(Client &c)
{
    IngestWindow &w = *c.ingest;
    char digits[11];
    std::snprintf(digits, sizeof digits, "%010llu", static_cast<unsigned long long>(w.seq++));
    std::memcpy(w.frame.data() + w.idAt, digits, 10);
    std::memcpy(w.frame.data() + w.txnAt, digits, 10);
    ws::appendFrame(w.out, ws::Opcode::Text, w.frame, &c.mask);
    w.sentNs[(w.head + w.outstanding) % w.sentNs.size()] = nowNs();
    ++w.outstanding;
    m_ingestOutstanding.fetch_add(1, std::memory_order_relaxed);
    counters(m_ingestPhase).sent.fetch_add(1, std::memory_order_relaxed);
}

void Worker::onIngestReply(Client &c)
{
    // Replies come in request order on a connection: this one answers the oldest.
    IngestWindow &w = *c.ingest;
    const std::int64_t sent = w.sentNs[w.head];
    w.head = (w.head + 1) % w.sentNs.size();
    --w.outstanding;
    m_ingestOutstanding.fetch_sub(1, std::memory_order_relaxed);
    PhaseCounters &p = counters(m_ingestPhase);
    const std::int64_t now = nowNs();
    p.delivered.fetch_add(1, std::memory_order_relaxed);
    p.latency.record((now - sent) / 1000);
    p.lastDeliveryNs.store(now, std::memory_order_relaxed);
    if (m_ingestRunning)
        sendIngest(c);
}

void Worker::onDelivery(Client &c, std::string_view text)
{
    // "lg:<phase>:<sender>:<send time ns>:padding"
    std::size_t pos = Marker.size();
    const std::int64_t phase = parseInt(text, &pos);
    const std::int64_t sender = parseInt(text, &pos);
    const std::int64_t sentNs = parseInt(text, &pos);
    if (sender == c.index || phase != m_engine->currentPhase())
        return;
    const std::int64_t now = nowNs();
    PhaseCounters &p = counters(int(phase));
    p.delivered.fetch_add(1, std::memory_order_relaxed);
    p.latency.record((now - sentNs) / 1000);
    p.lastDeliveryNs.store(now, std::memory_order_relaxed);
}

// ---- Reconnect storm ----------------------------------------------------------------
// What a real client does when the server goes away (docs/protocol.md §10): reconnect,
// `authenticate` with its token and pipeline `sync` with its cursor for each room; it has
// resumed when the `sync` reply is in. Events that arrive before that reply are not
// applied, so they do not move the cursor.

void Worker::trackCursor(Client &c, std::string_view frame)
{
    // {"event":{"id":…,"kind":…,…,"room":R,"sender":…,"seq":S,…},"type":"event"}: keys are
    // sorted, so "room" comes before "seq" inside the event.
    constexpr std::string_view RoomKey = "\"room\":";
    constexpr std::string_view SeqKey = "\"seq\":";
    std::size_t at = frame.find(RoomKey);
    if (at == std::string_view::npos)
        return;
    at += RoomKey.size();
    if (parseInt(frame, &at) != m_engine->options().room)
        return;
    const std::size_t seqAt = frame.find(SeqKey, at - 1);
    if (seqAt == std::string_view::npos)
        return;
    std::size_t pos = seqAt + SeqKey.size();
    c.cursor = std::max(c.cursor, parseInt(frame, &pos));
}

void Worker::onStormClose(Client &c, bool wasReady)
{
    std::int64_t delayNs = 0;
    if (wasReady) {
        // Dropped by the server (1001 at shutdown, or the TCP connection ending): a client
        // reconnects at once.
        if (c.resumed) { // dropped again after it had resumed: it has to resume again
            c.resumed = false;
            m_engine->resumed.fetch_sub(1);
        }
        c.resuming = true;
        std::int64_t none = 0;
        m_engine->firstCloseNs.compare_exchange_strong(none, nowNs());
    } else {
        // Refused, reset or closed before the sync reply: retry after a short delay with
        // jitter, so the attempts of all clients spread out rather than arrive in waves.
        const std::int64_t base = std::int64_t(m_engine->options().stormRetryMs) * 1'000'000;
        delayNs = base + std::int64_t(nextRandom() % std::uint64_t(base + 1));
        m_engine->reconnectRetries.fetch_add(1, std::memory_order_relaxed);
    }
    m_reconnects.emplace(nowNs() + delayNs, &c);
}

int Worker::msUntilNextReconnect() const
{
    if (m_reconnects.empty() && m_deadlines.empty())
        return 100;
    std::int64_t next = std::numeric_limits<std::int64_t>::max();
    if (!m_reconnects.empty())
        next = m_reconnects.top().first;
    if (!m_deadlines.empty())
        next = std::min(next, std::get<0>(m_deadlines.top()));
    const std::int64_t wait = next - nowNs();
    return wait <= 0 ? 0 : int(std::min<std::int64_t>((wait + 999'999) / 1'000'000, 100));
}

void Worker::runDueReconnects()
{
    if (m_reconnects.empty() && m_deadlines.empty())
        return;
    const std::int64_t now = nowNs();
    while (!m_deadlines.empty() && std::get<0>(m_deadlines.top()) <= now) {
        const auto [due, c, attempt] = m_deadlines.top();
        m_deadlines.pop();
        // Still the same attempt and still without `hello`: the TCP connect or the upgrade
        // is stuck (for example a handshake the server's full accept queue dropped).
        if (c->attempt == attempt && c->resuming && c->pendingReplies == 0
            && c->state != Client::State::Closed)
            fail(*c);
    }
    while (!m_reconnects.empty() && m_reconnects.top().first <= now) {
        Client *c = m_reconnects.top().second;
        m_reconnects.pop();
        if (c->state != Client::State::Closed)
            continue;
        c->resumeError = false;
        c->pendingReplies = 0;
        ++c->attempt;
        m_deadlines.emplace(
            now + std::int64_t(m_engine->options().stormAttemptTimeoutMs) * 1'000'000, c,
            c->attempt);
        beginConnect(*c);
    }
}

void Worker::sendResume(Client &c)
{
    const std::int64_t room = m_engine->options().room;
    const QString token = QStringLiteral("bench-token-%1").arg(c.index);
    QHash<qint64, qint64> cursors;
    cursors.insert(room, c.cursor);
    // One write for both, as a client pipelines them.
    std::string frames;
    ws::appendFrame(frames, ws::Opcode::Text,
        encode(req::authenticate(token), c.nextRequestId++).toStdString(), &c.mask);
    ws::appendFrame(frames, ws::Opcode::Text,
        encode(req::sync(cursors), c.nextRequestId++).toStdString(), &c.mask);
    c.pendingReplies = 2;
    queue(c, frames);
}

void Worker::onResumeReply(Client &c, std::string_view type, std::string_view frame)
{
    if (type == "hello") {
        std::int64_t none = 0;
        m_engine->serverUpNs.compare_exchange_strong(none, nowNs());
        return sendResume(c);
    }
    if (type != "result" && type != "error")
        return; // events before the sync reply: buffered by a real client, not applied
    if (type == "error") {
        c.resumeError = true;
        m_engine->errors.fetch_add(1, std::memory_order_relaxed);
    }
    if (--c.pendingReplies > 0)
        return;
    // The sync reply: every event in it carries a "seq" (summaries have "lastSeq").
    constexpr std::string_view SeqKey = "\"seq\":";
    std::uint64_t events = 0;
    for (std::size_t at = frame.find(SeqKey); at != std::string_view::npos;
         at = frame.find(SeqKey, at + SeqKey.size()))
        ++events;
    m_engine->caughtUpEvents.fetch_add(events, std::memory_order_relaxed);
    const std::int64_t now = nowNs();
    c.state = Client::State::Ready;
    c.resuming = false;
    if (c.resumeError) {
        m_engine->resumeFailed.fetch_add(1);
        return;
    }
    c.resumed = true;
    const std::int64_t up = m_engine->serverUpNs.load();
    counters(m_engine->stormUpPhase.load()).latency.record((now - up) / 1000);
    counters(m_engine->stormSessionPhase.load()).latency.record((now - c.connectedNs) / 1000);
    std::int64_t last = m_engine->lastResumeNs.load();
    while (last < now && !m_engine->lastResumeNs.compare_exchange_weak(last, now)) { }
    m_engine->resumed.fetch_add(1);
}

} // namespace loadgen
