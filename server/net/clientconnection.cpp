// SPDX-License-Identifier: GPL-3.0-or-later
#include "net/clientconnection.h"

#include "core/closecodes.h"
#include "core/logging.h"
#include "core/metrics.h"
#include "core/monotonicclock.h"
#include "net/outboundledger.h"
#include "net/outputbatch.h"
#include "net/wireframe.h"
#include "protocol/fileframe.h"
#include "protocol/serverframe.h"

#include <QDateTime>

using namespace Qt::StringLiterals;

namespace confab::server {

namespace {
qint64 now()
{
    return monotonicMs();
}

/*!
 * One copy for every connection with the same limits (all of a server's, between reloads):
 * a copy each would cost a connection more than the rest of its idle state. Main thread.
 */
std::shared_ptr<const protocol::Limits> sharedLimits(const protocol::Limits &limits)
{
    static std::shared_ptr<const protocol::Limits> last;
    if (!last || !(*last == limits))
        last = std::make_shared<const protocol::Limits>(limits);
    return last;
}
} // namespace

ClientConnection::ClientConnection(std::unique_ptr<ConnectionTransport> transport,
    const QHostAddress &clientAddress, const protocol::Limits &limits, OutboundLedger *ledger,
    qint64 nowMs, QObject *parent)
    : Peer(parent)
    , m_transport(std::move(transport))
    , m_limits(limits)
    , m_ledger(ledger)
    , m_rate(limits.ratePerSecond, limits.rateBurst)
    , m_chunkRate(limits.chunkRatePerSecond, limits.chunkRatePerSecond)
    , m_peer(clientAddress)
    , m_connectedAt(nowMs)
    , m_lastActivity(nowMs)
    , m_lastDrained(nowMs)
{
    setLimits(limits);
}

void ClientConnection::start()
{
    m_transport->start(this);
}

void ClientConnection::transportClosed()
{
    m_closing = true;
    m_waiting.clear();
    m_held.clear();
    account();
    Q_EMIT closed(this);
}

void ClientConnection::transportWritten()
{
    // Written bytes leave the ledger, and waiting requests may go on.
    account();
    releaseWaiting();
    Q_EMIT outputDrained(this);
}

void ClientConnection::transportClosing()
{
    m_closing = true;
    m_closingSince = now();
    m_waiting.clear();
    m_held.clear();
    account();
}

void ClientConnection::transportActivity()
{
    m_lastActivity = now();
}

void ClientConnection::transportProtocolError(quint16 code, const QString &reason)
{
    qCDebug(lcNet) << "closing" << m_peer << userName() << "with" << code << reason;
    close(code, reason);
}

void ClientConnection::setLimits(const protocol::Limits &limits)
{
    m_limits = limits;
    m_rate = RateLimiter(limits.ratePerSecond, limits.rateBurst);
    m_chunkRate = RateLimiter(limits.chunkRatePerSecond, limits.chunkRatePerSecond);
    m_transport->setIncomingLimits(
        limits.maxFrameBytes, qint64(protocol::FileFrameHeaderBytes) + limits.maxChunkBytes);
    m_transport->decodeRequests(sharedLimits(limits));
}

ClientConnection::~ClientConnection()
{
    leaveLedger();
}

void ClientConnection::leaveLedger()
{
    if (m_ledger)
        m_ledger->adjust(m_peer, m_accountedUser, -m_accounted);
    m_accounted = 0;
    m_ledger = nullptr;
}

qint64 ClientConnection::queuedBytes() const
{
    if (m_closing && m_transport->isGone())
        return 0;
    return m_transport->bytesToWrite() + m_held.size();
}

qint64 ClientConnection::heldBytes() const
{
    if (m_closing && m_transport->isGone())
        return 0;
    return m_transport->bytesQueued() + m_held.size();
}

void ClientConnection::account()
{
    if (!m_ledger)
        return;
    // Not what is on its way to a loop thread: gone within a loop turn, it would stay
    // counted until this connection's next event.
    const qint64 queued = heldBytes();
    if (queued == 0 || queued < m_accounted)
        m_lastDrained = now();
    if (userId() != m_accountedUser) {
        m_ledger->adjust(m_peer, m_accountedUser, -m_accounted);
        m_accountedUser = userId();
        m_accounted = 0;
    }
    m_ledger->adjust(m_peer, m_accountedUser, queued - m_accounted);
    m_accounted = queued;
}

bool ClientConnection::isBackedUp() const
{
    if (!m_ledger || queuedBytes() <= m_ledger->bounds().lowWater())
        return false;
    // Asked to report the next move first, then read again: a move in between is seen
    // either here or by the transport (see LoopTransport::watchOutput()).
    m_transport->watchOutput();
    return queuedBytes() > m_ledger->bounds().lowWater();
}

qint64 ClientConnection::replyBudget(qint64 full) const
{
    if (m_ledger && m_ledger->overCap(m_peer, userId()))
        return std::min(full, OutboundBounds::ConstrainedReply);
    return full;
}

qint64 ClientConnection::downloadRoom() const
{
    // Download data fills the output only up to the mark past which requests wait: a
    // downloading client's own requests still go through, and a reader that keeps up with
    // its download is never near the slow-reader bounds.
    if (m_closing || !m_ledger)
        return 0;
    const qint64 room = m_ledger->bounds().lowWater() - queuedBytes();
    if (room > 0)
        return room;
    m_transport->watchOutput(); // outputDrained() follows the next move, as isBackedUp()
    return std::max<qint64>(0, m_ledger->bounds().lowWater() - queuedBytes());
}

bool ClientConnection::isStalledOverCap(qint64 nowMs) const
{
    return m_ledger && heldBytes() > 0 && nowMs - m_lastDrained > OutboundBounds::StallMs
        && m_ledger->overCap(m_peer, userId());
}

bool ClientConnection::dropIfBacklogged(qint64 queued)
{
    // A client that stops reading must not make the server buffer without limit.
    // Checked before queueing: a single large reply to a reader that keeps up is fine.
    if (!m_ledger) // only once closed, and send() stops earlier then
        return false;
    const OutboundBounds &bounds = m_ledger->bounds();
    // Within the address's or account's cap as a whole, or keeping up itself: fine.
    const bool tooMuch = queued > bounds.perConnection
        || (queued > bounds.lowWater() && m_ledger->overCap(m_peer, userId()));
    if (!tooMuch)
        return false;
    qCInfo(lcNet) << "dropping slow reader" << m_peer << userName() << queued << "bytes unsent"
                  << m_ledger->address(m_peer) << "from its address";
    abort();
    return true;
}

void ClientConnection::send(const WireFrame &frame)
{
    if (m_closing)
        return;
    if (dropIfBacklogged(m_transport->bytesToWrite() + m_held.size()))
        return;
    if (m_batch && m_batch->isOpen() && m_transport->takesFramedBytes()) {
        if (m_held.isEmpty()) {
            m_batch->hold(this);
            m_held = frame.bytes(); // shared, not copied, when it stays the only one
        } else {
            m_held.append(frame.bytes());
        }
        account();
        return;
    }
    m_transport->send(frame);
    account();
}

void ClientConnection::flushHeld()
{
    const QByteArray held = std::exchange(m_held, {});
    if (!held.isEmpty() && !m_transport->isGone())
        m_transport->sendFramed(held);
    account();
    // Held frames the kernel took at once raise no transportWritten(), yet they made room.
    if (!held.isEmpty())
        Q_EMIT outputDrained(this);
}

void ClientConnection::close(quint16 code, const QString &reason)
{
    if (m_closing)
        return;
    flushHeld(); // everything sent before the close goes out before it
    m_closing = true;
    m_closingSince = now();
    m_transport->close(code, reason);
}

void ClientConnection::abort()
{
    m_closing = true;
    m_waiting.clear();
    m_held.clear();
    m_transport->abort();
    account();
}

void ClientConnection::readPending()
{
    if (!m_closing)
        m_transport->readPending();
}

bool ClientConnection::heartbeat(qint64 nowMs, qint64 intervalMs)
{
    // Two missed intervals: the peer is gone even if TCP has not noticed.
    if (nowMs - m_lastActivity > 2 * intervalMs + intervalMs / 2)
        return false;
    if (nowMs - m_lastPing >= intervalMs && nowMs - m_lastActivity >= intervalMs) {
        m_lastPing = nowMs;
        m_transport->ping();
    }
    return true;
}

qint64 ClientConnection::admit()
{
    const qint64 t = now();
    m_lastActivity = t;
    const qint64 wait = m_rate.take(t);
    if (wait && ++m_violations > m_limits.rateBurst * 4) {
        // A client that keeps going long after being told is not a buggy UI but a flood.
        qCInfo(lcNet) << "closing flooding connection" << m_peer << userName();
        close(closecodes::Flooding, u"rate limit exceeded repeatedly"_s);
        return -1;
    }
    return wait;
}

void ClientConnection::transportText(const QByteArray &utf8)
{
    if (m_closing)
        return;
    if (utf8.size() > m_limits.maxFrameBytes) {
        // QtWebSockets has one limit for text and binary, the larger.
        close(closecodes::TooBig, u"message larger than maxFrameBytes"_s);
        return;
    }
    // Rate first: malformed frames cost a token too, or they would be a free flood.
    const qint64 wait = admit();
    if (wait < 0)
        return;
    protocol::DecodedRequest decoded = protocol::decodeRequest(utf8, m_limits);
    handleDecoded(wait, decoded);
}

void ClientConnection::transportRequest(protocol::DecodedRequest &decoded)
{
    if (m_closing)
        return;
    // Decoded already, but the token is taken all the same, malformed or not.
    const qint64 wait = admit();
    if (wait >= 0)
        handleDecoded(wait, decoded);
}

void ClientConnection::handleDecoded(qint64 wait, protocol::DecodedRequest &decoded)
{
    if (const auto *error = std::get_if<protocol::RequestError>(&decoded)) {
        refuse(*error);
        return;
    }
    protocol::Request &request = std::get<protocol::Request>(decoded);
    if (wait) {
        metrics::refused(metrics::Refusal::Requests);
        fail(request.id, protocol::ErrorCode::RateLimited,
            u"too many requests; retry in %1 ms"_s.arg(wait), protocol::frames::retryAfter(wait));
        return;
    }
    m_violations = 0;
    handOn(request);
}

void ClientConnection::handOn(const protocol::Request &request)
{
    // Behind others that wait, or while the output is backed up: wait too, keeping order.
    if (!m_waiting.isEmpty() || isBackedUp()) {
        if (m_waiting.size() >= MaxWaiting) {
            qCInfo(lcNet) << "dropping slow reader" << m_peer << userName() << m_waiting.size()
                          << "requests waiting for" << queuedBytes() << "unsent bytes";
            abort();
            return;
        }
        m_waiting.append(request);
        return;
    }
    Q_EMIT requestReceived(this, request);
}

void ClientConnection::releaseWaiting(bool all)
{
    while (!m_waiting.isEmpty() && (all || (!m_closing && !isBackedUp()))) {
        const protocol::Request next = m_waiting.takeFirst();
        Q_EMIT requestReceived(this, next);
    }
}

void ClientConnection::transportBinary(const QByteArray &message)
{
    if (m_closing)
        return;
    const std::optional<protocol::FileFrame> frame = protocol::decodeFileFrame(message);
    if (!frame || frame->kind != protocol::FileFrameKind::UploadChunk) {
        // Malformed input takes a request token: without one each, a stream of them would
        // be answered one by one, never limited and never closed.
        if (admit() >= 0)
            failNotFileFrame();
        return;
    }
    if (frame->data.size() > m_limits.maxChunkBytes) {
        close(closecodes::TooBig, u"chunk larger than maxChunkBytes"_s);
        return;
    }
    // Chunks have a bucket of their own, so an upload never starves requests (§16.2); a
    // refusal still counts toward the flood close.
    const qint64 t = now();
    m_lastActivity = t;
    const qint64 wait = m_chunkRate.take(t);
    if (wait && ++m_violations > m_limits.rateBurst * 4) {
        qCInfo(lcNet) << "closing flooding connection" << m_peer << userName() << "(chunks)";
        close(closecodes::Flooding, u"rate limit exceeded repeatedly"_s);
        return;
    }
    if (wait && isAuthenticated()) {
        metrics::refused(metrics::Refusal::Chunks);
        QJsonObject details = protocol::frames::retryAfter(wait);
        details.insert(u"upload"_s, double(frame->id));
        fail(QJsonValue::Null, protocol::ErrorCode::RateLimited,
            u"too many chunks; retry in %1 ms"_s.arg(wait), details);
        return;
    }
    if (!wait && isAuthenticated())
        m_violations = 0;
    handOnChunk(frame->id, frame->offset, frame->data);
}

} // namespace confab::server
