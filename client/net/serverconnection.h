// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "net/connection.h"

#include <QHash>
#include <QPointer>
#include <QTimer>

class QWebSocket;

namespace confab::client {

/*!
 * \brief One WebSocket to the server: hello, request ids matched to reply callbacks,
 * and a watchdog that detects a silent (half-open) link with the \c ping request.
 *
 * Reconnecting is the owner's decision; this class reports how a connection ended.
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
};

} // namespace confab::client
