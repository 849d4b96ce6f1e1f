// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "core/ratelimiter.h"
#include "protocol/errorcode.h"
#include "protocol/limits.h"
#include "protocol/request.h"

#include <QByteArray>
#include <QHostAddress>
#include <QJsonObject>
#include <QObject>
#include <QPointer>
#include <QWebSocketProtocol>

class QTcpSocket;
class QWebSocket;

namespace confab::server {

class OutputBatch;
class WireFrame;

/*!
 * \brief One client's WebSocket: decoding, rate limiting, bounded output,
 * heartbeat bookkeeping, and who it is signed in as.
 */
class ClientConnection : public QObject
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

    /*! \brief Sends one text message of encoded JSON. */
    void send(QByteArrayView utf8);
    /*! \brief Sends a message framed once for many recipients. */
    void send(const WireFrame &frame);
    void reply(const QJsonValue &id, const QJsonObject &data = {});
    void fail(const QJsonValue &id, protocol::ErrorCode code, const QString &message,
        const QJsonObject &details = {});
    /*! \brief Closes with \a code (one of closecodes). */
    void close(quint16 code, const QString &reason);
    void abort();

    bool isAuthenticated() const { return m_userId != 0; }
    /*! \brief A login or registration is being verified; a second must wait for it. */
    bool signInPending() const { return m_signInPending; }
    /*! \brief The id of the request that made signInPending() true. */
    const QJsonValue &signInRequestId() const { return m_signInRequestId; }
    void setSignInPending(bool pending, const QJsonValue &requestId = {})
    {
        m_signInPending = pending;
        m_signInRequestId = requestId;
    }
    qint64 userId() const { return m_userId; }
    const QString &userName() const { return m_userName; }
    const QByteArray &tokenHash() const { return m_tokenHash; }
    void setSession(qint64 userId, const QString &userName, const QByteArray &tokenHash);

    QHostAddress peerAddress() const { return m_peer; }
    qint64 connectedAt() const { return m_connectedAt; }
    bool isClosing() const { return m_closing; }
    /*! \brief When close() was called; 0 if it was not. */
    qint64 closingSince() const { return m_closingSince; }

    /*!
     * \brief Takes every frame the peer has sent so far and handles it now, as if it had
     * arrived, so that a close right after answers all of them (plain TCP only).
     */
    void readPending();

    /*! \brief Sends a ping if one is due; false if the peer has been silent too long. */
    bool heartbeat(qint64 nowMs, qint64 intervalMs);

Q_SIGNALS:
    void requestReceived(
        confab::server::ClientConnection *connection, const confab::protocol::Request &request);
    void closed(confab::server::ClientConnection *connection);

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
    bool m_signInPending = false;
    QJsonValue m_signInRequestId;
    qint64 m_userId = 0;
    QString m_userName;
    QByteArray m_tokenHash;
};

} // namespace confab::server
