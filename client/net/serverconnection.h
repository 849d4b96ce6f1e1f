// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "net/connection.h"

#include <QHash>
#include <QPointer>
#include <QSslCertificate>
#include <QSslError>
#include <QTimer>

class QWebSocket;

namespace confab::client {

class PinStore;

/*!
 * \brief One WebSocket to the server: hello, request ids matched to reply callbacks,
 * and a watchdog that detects a silent (half-open) link with the \c ping request.
 *
 * Reconnecting is the owner's decision; this class reports how a connection ended.
 *
 * On wss:// it enforces the pins (docs/lan.md) in the TLS handshake: a certificate that
 * does not match the fingerprint pinned for the address (or given up front) is refused
 * before a byte of WebSocket is exchanged, whatever CA signed it; and a hello whose server
 * id is pinned to another key ends the connection before \c ready. A key other than the
 * pinned one passes only if its certificate proves that the pinned key handed over to it
 * (protocol §19.7), checked at the same points.
 */
class ServerConnection : public Connection
{
    Q_OBJECT

public:
    explicit ServerConnection(QObject *parent = nullptr);
    ~ServerConnection() override;

    /*! \brief A server address as the user typed it, as a ws:// or wss:// URL; empty if
     * it is not one. */
    static QString normalisedUrl(const QString &input);

    void setWatchdog(int pingIntervalMs, int pingTimeoutMs);
    /*! \brief The pins to enforce (not owned); null: none. */
    void setPinStore(const PinStore *pins) { m_pins = pins; }
    /*! \brief Whether a certificate nobody vouches for (self-signed, unknown CA, other
     * host name) is accepted when nothing is pinned for the address, as TlsTrust::FirstUse;
     * the owner must then have the user compare codes before sending anything. Off by
     * default: such a certificate fails the handshake. */
    void setAllowFirstUse(bool allow) { m_allowFirstUse = allow; }
    void setExpectedFingerprint(const QString &fingerprint) override;
    void setExpectedServerId(const QString &serverId) override;
    TlsTrust tlsTrust() const override { return m_trust; }
    void open(const QUrl &url) override;
    void close() override;

    State state() const override { return m_state; }
    QUrl url() const { return m_url; }
    const protocol::Hello &hello() const override { return m_hello; }

    /*! \brief Sends \a request; \a handler runs once with the reply, unless \a context
     * was destroyed first. On a connection that is not open it gets Disconnected
     * (queued, never re-entrantly). */
    void send(const protocol::OutgoingRequest &request, QObject *context = nullptr,
        ReplyHandler handler = {}) override;
    bool sendBinary(const QByteArray &message) override;

private:
    void setState(State state);
    void onText(const QString &text);
    void onBinary(const QByteArray &message);
    void onDisconnected();
    void onSslErrors(const QList<QSslError> &errors);
    bool checkPinAfterHandshake();
    bool checkPinOfServer(const QString &serverId);
    void failPin(const QString &expected);
    bool acceptRotation(const QString &serverId, const QString &pinned);
    QString pinnedServerId() const;
    void onWatchdogIdle();
    void finish(CloseInfo info);
    void failPending();

    struct Pending
    {
        QPointer<QObject> context;
        bool hasContext = false;
        ReplyHandler handler;
    };

    QWebSocket *m_socket = nullptr;
    QUrl m_url;
    State m_state = Offline;
    protocol::Hello m_hello;
    qint64 m_nextId = 1;
    QHash<qint64, Pending> m_pending;
    QTimer m_idle; //!< silence before we ping
    QTimer m_deadline; //!< no frame by then: dead
    int m_pingIntervalMs = 15000;
    int m_pingTimeoutMs = 10000;
    CloseInfo m_closing; //!< filled in when we drop the socket ourselves
    QAbstractSocket::SocketError m_socketError = QAbstractSocket::UnknownSocketError;
    const PinStore *m_pins = nullptr;
    bool m_allowFirstUse = false;
    QString m_nextExpected; //!< for the next open() only
    QStringList m_expected; //!< this connection: each must equal the presented fingerprint
    TlsTrust m_trust;
    bool m_pinMismatch = false; //!< the handshake was refused for it
    bool m_byInvite = false; //!< m_expected came from an invite, not from the pins
    QString m_nextExpectedServerId; //!< for the next open() only, with m_nextExpected
    QString m_expectedServerId; //!< an invite's or a moved server's id: hello must name it
    QSslCertificate m_peerCertificate; //!< this connection's, once the handshake showed it
    QString m_rotatedServerId; //!< the id a key rotation was accepted for: hello must name it
};

} // namespace confab::client
