// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "chat/peer.h"
#include "core/ratelimiter.h"
#include "net/connectiontransport.h"
#include "protocol/limits.h"

#include <QByteArray>
#include <QHostAddress>
#include <memory>

namespace confab::server {

class OutboundLedger;
class OutputBatch;
class WireFrame;

/*!
 * \brief One client's WebSocket, as a Peer: decoding, rate limiting, bounded output,
 * writing frames straight to the socket, and heartbeat bookkeeping.
 *
 * Output is bounded by the ledger's OutboundBounds: while this connection's unsent bytes
 * are past the low-water mark (or its address's or account's total is past its cap), the
 * requests it sends wait here, in order, until the output drains, so a client that asks
 * and never reads holds at most one reply. Requests that wait still take rate-limit
 * tokens when they arrive; past a few of them the connection is dropped as a slow reader.
 */
class ClientConnection : public Peer, private ConnectionTransport::Receiver
{
    Q_OBJECT
public:
    /*!
     * \a transport carries the frames (see ConnectionTransport). \a clientAddress is the
     * client's, which behind a trusted proxy is not the socket's peer. \a ledger may be null
     * for a connection that is only being refused.
     */
    ClientConnection(std::unique_ptr<ConnectionTransport> transport,
        const QHostAddress &clientAddress, const protocol::Limits &limits, OutboundLedger *ledger,
        qint64 nowMs, QObject *parent = nullptr);
    ~ClientConnection() override;

    /*! \brief Starts reading requests; call once it is set up and hello is sent. */
    void start();

    /*! \brief While \a batch is open, frames are held back and written together at its end. */
    void setOutputBatch(OutputBatch *batch) { m_batch = batch; }
    /*! \brief Writes the frames held back for an OutputBatch. */
    void flushHeld();

    using Peer::send;
    void send(const WireFrame &frame) override;
    void close(quint16 code, const QString &reason) override;
    QHostAddress peerAddress() const override { return m_peer; }
    bool isClosing() const override { return m_closing; }
    qint64 replyBudget(qint64 full) const override;
    qint64 downloadRoom() const override;
    void abort();
    /*! \brief Enforces \a limits from now on (a configuration reload); the rate buckets refill. */
    void setLimits(const protocol::Limits &limits);

    qint64 connectedAt() const { return m_connectedAt; }
    /*! \brief When close() was called; 0 if it was not. */
    qint64 closingSince() const { return m_closingSince; }

    /*!
     * \brief Takes every frame the peer has sent so far and handles it now, as if it had
     * arrived, so that a close right after answers all of them (not through TLS).
     */
    void readPending();

    /*! \brief Sends a ping if one is due; false if the peer has been silent too long. */
    bool heartbeat(qint64 nowMs, qint64 intervalMs);

    /*! \brief Unsent bytes: what the socket holds plus frames held for an OutputBatch. */
    qint64 queuedBytes() const;
    /*!
     * \brief Hands waiting requests on while the output is drained (called as bytes are
     * written); with \a all, every one of them whatever the output (at shutdown, to be
     * answered).
     */
    void releaseWaiting(bool all = false);
    /*! \brief Takes this connection's bytes out of the ledger for good (it has closed). */
    void leaveLedger();
    /*!
     * \brief Whether this connection holds output that has not moved for StallMs while its
     * address or account is past its cap: the sweep drops it to bring the total down.
     */
    bool isStalledOverCap(qint64 nowMs) const;

    /*! \brief Most requests that may wait for the output before the reader is dropped. */
    static constexpr qsizetype MaxWaiting = 32;

private:
    void transportText(const QByteArray &utf8) override;
    void transportRequest(protocol::DecodedRequest &decoded) override;
    /*! \brief Rate, then refusal or hand-on, of a request decoded here or on a loop. */
    void handleDecoded(qint64 wait, protocol::DecodedRequest &decoded);
    void transportBinary(const QByteArray &data) override;
    void transportActivity() override;
    void transportWritten() override;
    void transportClosing() override;
    void transportClosed() override;
    void transportProtocolError(quint16 code, const QString &reason) override;
    /*! \brief Takes a rate-limit token: 0 if one was free, else the wait; -1 if it closed the
     * connection. */
    qint64 admit();

    /*! \brief Of queuedBytes(), what the ledger counts: not output on its way to a loop. */
    qint64 heldBytes() const;
    bool dropIfBacklogged(qint64 queued);
    bool isBackedUp() const;
    /*! \brief Tells the ledger how much this connection now has unsent. */
    void account();
    void handOn(const protocol::Request &request);

    std::unique_ptr<ConnectionTransport> m_transport;
    OutputBatch *m_batch = nullptr;
    QByteArray m_held;
    protocol::Limits m_limits;
    OutboundLedger *m_ledger;
    qint64 m_accounted = 0; //!< the unsent bytes last reported to the ledger
    qint64 m_accountedUser = 0; //!< and under which account
    QList<protocol::Request> m_waiting;
    RateLimiter m_rate;
    RateLimiter m_chunkRate; //!< upload chunks have their own bucket (§16.2)
    QHostAddress m_peer;
    qint64 m_connectedAt;
    qint64 m_lastActivity;
    qint64 m_lastDrained; //!< when the output was last empty or last moved
    qint64 m_lastPing = 0;
    qint64 m_closingSince = 0;
    int m_violations = 0;
    bool m_closing = false;
};

} // namespace confab::server
