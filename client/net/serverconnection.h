// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "protocol/errorcode.h"
#include "protocol/hello.h"
#include "protocol/requestbuilder.h"
#include "protocol/serverframe.h"

#include <QAbstractSocket>
#include <QHash>
#include <QJsonObject>
#include <QObject>
#include <QPointer>
#include <QTimer>
#include <QUrl>
#include <functional>

class QWebSocket;

namespace confab::client {

/*!
 * \brief The answer to one request: the server's result or error, or a local
 * \c Disconnected outcome when the connection went away before the reply.
 */
struct Reply
{
    enum Outcome
    {
        Ok,
        Error,
        Disconnected
    };
    Outcome outcome = Disconnected;
    QJsonObject data; //!< Ok: the result's data
    protocol::ErrorCode error = protocol::ErrorCode::Internal; //!< Error only
    QString message; //!< Error: the server's English text (logs only)
    qint64 retryAfterMs = 0; //!< rate_limited, throttled

    bool ok() const { return outcome == Ok; }
};

/*!
 * \brief How a connection ended, for the session's reconnect and error decisions.
 */
struct CloseInfo
{
    int code = 0; //!< WebSocket close code; 1006 when no close frame came
    QString reason;
    QAbstractSocket::SocketError socketError = QAbstractSocket::UnknownSocketError;
    bool reachedServer = false; //!< hello was received
    bool watchdog = false; //!< we dropped it: silent for too long
    bool local = false; //!< we closed it on purpose
};

/*!
 * \brief One WebSocket to the server: hello, request ids matched to reply callbacks,
 * and a watchdog that detects a silent (half-open) link with the \c ping request.
 *
 * Reconnecting is the owner's decision; this class reports how a connection ended.
 */
class ServerConnection : public QObject
{
    Q_OBJECT

public:
    enum State
    {
        Offline,
        Connecting,
        Open,
        Ready
    };
    Q_ENUM(State)
    using ReplyHandler = std::function<void(const Reply &)>;

    explicit ServerConnection(QObject *parent = nullptr);
    ~ServerConnection() override;

    /*! \brief A server address as the user typed it, as a ws:// or wss:// URL; empty if
     * it is not one. */
    static QString normalisedUrl(const QString &input);

    void setWatchdog(int pingIntervalMs, int pingTimeoutMs);
    void open(const QUrl &url);
    /*! \brief Closes on purpose; \c closed is still emitted (with \c local set). */
    void close();

    State state() const { return m_state; }
    QUrl url() const { return m_url; }
    /*! \brief The last hello: limits, registration policy and features. */
    const protocol::Hello &hello() const { return m_hello; }
    const protocol::Limits &limits() const { return m_hello.limits; }
    QString registration() const { return m_hello.registration; }

    /*! \brief Sends \a request; \a handler runs once with the reply, unless \a context
     * was destroyed first. On a connection that is not open it gets Disconnected
     * (queued, never re-entrantly). */
    void send(const protocol::OutgoingRequest &request, QObject *context = nullptr,
        ReplyHandler handler = {});

Q_SIGNALS:
    void stateChanged();
    /*! \brief hello arrived: requests may be sent. */
    void ready();
    /*! \brief A frame that is not a reply (event, room, unread, presence, typing). */
    void pushReceived(const protocol::ServerFrame &frame);
    void closed(const CloseInfo &info);

private:
    void setState(State state);
    void onText(const QString &text);
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
