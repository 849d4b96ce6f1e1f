// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "chat/peer.h"
#include "core/ratelimiter.h"
#include "protocol/limits.h"

#include <QByteArray>
#include <QHostAddress>
#include <QPointer>

class QTcpSocket;
class QWebSocket;

namespace confab::server {

class OutputBatch;
class WireFrame;

/*!
 * \brief One client's WebSocket, as a Peer: decoding, rate limiting, bounded output,
 * writing frames straight to the socket, and heartbeat bookkeeping.
 */
class ClientConnection : public Peer
{
    Q_OBJECT
public:
    /*!
     * \a plainSocket is the unencrypted TCP socket under \a socket, or null (TLS): with it,
     * frames are written straight to the socket instead of through QWebSocket.
     */
    ClientConnection(QWebSocket *socket, QTcpSocket *plainSocket, const protocol::Limits &limits,
        qint64 maxOutboundBytes, qint64 nowMs, QObject *parent = nullptr);
    ~ClientConnection() override;

    /*! \brief While \a batch is open, frames are held back and written together at its end. */
    void setOutputBatch(OutputBatch *batch) { m_batch = batch; }
    /*! \brief Writes the frames held back for an OutputBatch. */
    void flushHeld();

    using Peer::send;
    void send(const WireFrame &frame) override;
    void close(quint16 code, const QString &reason) override;
    QHostAddress peerAddress() const override { return m_peer; }
    bool isClosing() const override { return m_closing; }
    void abort();

    qint64 connectedAt() const { return m_connectedAt; }
    /*! \brief When close() was called; 0 if it was not. */
    qint64 closingSince() const { return m_closingSince; }

    /*!
     * \brief Takes every frame the peer has sent so far and handles it now, as if it had
     * arrived, so that a close right after answers all of them (plain TCP only).
     */
    void readPending();

    /*! \brief Sends a ping if one is due; false if the peer has been silent too long. */
    bool heartbeat(qint64 nowMs, qint64 intervalMs);

private:
    void onText(const QString &text);
    void onBinary(const QByteArray &data);
    /*! \brief Takes a rate-limit token: 0 if one was free, else the wait; -1 if it closed the
     * connection. */
    qint64 admit();

    bool dropIfBacklogged(qint64 queued);
    void write(const QByteArray &bytes);
    void halfCloseWhenFlushed();

    QWebSocket *m_socket;
    QPointer<QTcpSocket> m_plain;
    OutputBatch *m_batch = nullptr;
    QByteArray m_held;
    protocol::Limits m_limits;
    qint64 m_maxOutboundBytes;
    RateLimiter m_rate;
    QHostAddress m_peer;
    qint64 m_connectedAt;
    qint64 m_lastActivity;
    qint64 m_lastPing = 0;
    qint64 m_closingSince = 0;
    int m_violations = 0;
    bool m_closing = false;
    bool m_halfClosePending = false;
};

} // namespace confab::server
