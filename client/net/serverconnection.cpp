// SPDX-License-Identifier: GPL-3.0-or-later
#include "net/serverconnection.h"

#include "core/clientlogging.h"
#include "protocol/protocolversion.h"

#include <QMetaObject>
#include <QWebSocket>

using namespace Qt::StringLiterals;

namespace confab::client {

namespace {

// Sync and history replies can reach several MiB (protocol §1), and a download frame is
// 17 bytes plus up to maxChunkBytes (§16.2, 4 MiB at most, §13); leave ample room.
constexpr qint64 MaxIncomingBytes = 256LL * 1024 * 1024;

} // namespace

ServerConnection::ServerConnection(QObject *parent)
    : Connection(parent)
{
    m_idle.setSingleShot(true);
    m_deadline.setSingleShot(true);
    connect(&m_idle, &QTimer::timeout, this, &ServerConnection::onWatchdogIdle);
    connect(&m_deadline, &QTimer::timeout, this, [this] {
        qCInfo(lcClientNet) << "no frame from" << m_url << "in time: dropping the connection";
        CloseInfo info;
        info.code = 1006;
        info.watchdog = true;
        finish(info);
    });
}

ServerConnection::~ServerConnection()
{
    if (m_socket) {
        m_socket->disconnect(this);
        m_socket->abort();
        delete m_socket;
    }
}

void ServerConnection::setWatchdog(int pingIntervalMs, int pingTimeoutMs)
{
    m_pingIntervalMs = std::max(10, pingIntervalMs);
    m_pingTimeoutMs = std::max(10, pingTimeoutMs);
}

QString ServerConnection::normalisedUrl(const QString &input)
{
    // "host:port" is accepted for convenience; only ws:// and wss:// are spoken.
    QString text = input.trimmed();
    if (!text.contains(u"://"_s))
        text.prepend(u"ws://"_s);
    const QUrl url(text, QUrl::StrictMode);
    if (!url.isValid() || url.host().isEmpty()
        || (url.scheme() != "ws"_L1 && url.scheme() != "wss"_L1))
        return {};
    return url.adjusted(QUrl::StripTrailingSlash).toString();
}

void ServerConnection::open(const QUrl &url)
{
    if (m_socket)
        close();
    m_url = url;
    // The limits stay until the next hello: a composer keeps checking lengths offline.
    m_hello.registration.clear();
    m_hello.features.clear();
    m_socketError = QAbstractSocket::UnknownSocketError;
    m_socket = new QWebSocket(QString(), QWebSocketProtocol::VersionLatest, this);
    m_socket->setMaxAllowedIncomingMessageSize(MaxIncomingBytes);
    m_socket->setMaxAllowedIncomingFrameSize(MaxIncomingBytes);
    connect(m_socket, &QWebSocket::connected, this, [this] {
        setState(Open);
        // hello is the first frame; until it comes the deadline keeps running.
    });
    connect(m_socket, &QWebSocket::textMessageReceived, this, &ServerConnection::onText);
    connect(m_socket, &QWebSocket::binaryMessageReceived, this, &ServerConnection::onBinary);
    connect(m_socket, &QWebSocket::pong, this, [this] { m_deadline.stop(); });
    connect(m_socket, qOverload<QAbstractSocket::SocketError>(&QWebSocket::error), this,
        [this](QAbstractSocket::SocketError error) { m_socketError = error; });
    connect(m_socket, &QWebSocket::disconnected, this, &ServerConnection::onDisconnected);
    setState(Connecting);
    // One bound for TCP connect + handshake + hello: a silent peer must not hang us.
    m_deadline.start(m_pingIntervalMs + m_pingTimeoutMs);
    qCDebug(lcClientNet) << "connecting to" << url;
    m_socket->open(url);
}

void ServerConnection::close()
{
    if (!m_socket)
        return;
    CloseInfo info;
    info.code = 1000;
    info.local = true;
    finish(info);
}

void ServerConnection::send(
    const protocol::OutgoingRequest &request, QObject *context, ReplyHandler handler)
{
    if (m_state != Ready && !(m_state == Open && request.type == protocol::RequestType::Ping)) {
        if (handler) {
            QPointer<QObject> guard(context);
            const bool hasContext = context != nullptr;
            QMetaObject::invokeMethod(
                this,
                [guard, hasContext, handler] {
                    if (hasContext && !guard)
                        return;
                    handler(Reply {});
                },
                Qt::QueuedConnection);
        }
        return;
    }
    const qint64 id = m_nextId++;
    if (handler)
        m_pending.insert(id, Pending {context, context != nullptr, std::move(handler)});
    m_socket->sendTextMessage(QString::fromUtf8(request.encode(QJsonValue(double(id)))));
}

bool ServerConnection::sendBinary(const QByteArray &message)
{
    if (m_state != Ready)
        return false;
    m_socket->sendBinaryMessage(message);
    return true;
}

void ServerConnection::onBinary(const QByteArray &message)
{
    m_deadline.stop();
    if (m_state == Ready) {
        m_idle.start(m_pingIntervalMs);
        Q_EMIT binaryReceived(message);
    }
}

void ServerConnection::setState(State state)
{
    if (m_state == state)
        return;
    m_state = state;
    Q_EMIT stateChanged();
}

void ServerConnection::onText(const QString &text)
{
    // Any frame proves the link is alive.
    m_deadline.stop();
    if (m_state == Ready)
        m_idle.start(m_pingIntervalMs);
    const auto frame = protocol::decodeServerFrame(text.toUtf8());
    if (!frame) {
        qCDebug(lcClientNet) << "ignoring an unknown frame";
        return;
    }
    if (frame->type == protocol::ServerFrameType::Hello) {
        const auto hello = protocol::Hello::fromJson(frame->body);
        const int version = hello ? hello->protocol : -1;
        if (version != protocol::Version) {
            qCWarning(lcClientNet) << "server speaks protocol" << version << "- closing";
            CloseInfo info;
            info.code = 1002;
            info.reason = u"protocol %1"_s.arg(version);
            finish(info);
            return;
        }
        m_hello = *hello;
        setState(Ready);
        m_idle.start(m_pingIntervalMs);
        Q_EMIT ready();
        return;
    }
    const bool isReply = frame->type == protocol::ServerFrameType::Result
        || frame->type == protocol::ServerFrameType::Error;
    if (!isReply) {
        Q_EMIT pushReceived(*frame);
        return;
    }
    if (!frame->id.isDouble()) {
        // A refused upload chunk names its upload in the details (§16.2).
        qCDebug(lcClientNet) << "error without a request:" << frame->message;
        Q_EMIT unsolicitedError(*frame);
        return;
    }
    const auto it = m_pending.find(qint64(frame->id.toDouble()));
    if (it == m_pending.end())
        return;
    Pending pending = std::move(it.value());
    m_pending.erase(it);
    if (pending.hasContext && !pending.context)
        return;
    Reply reply;
    if (frame->type == protocol::ServerFrameType::Result) {
        reply.outcome = Reply::Ok;
        reply.data = frame->data();
    } else {
        reply.outcome = Reply::Error;
        reply.error = frame->error;
        reply.message = frame->message;
        reply.retryAfterMs = frame->retryAfterMs;
        reply.details = frame->body;
    }
    pending.handler(reply);
}

void ServerConnection::onWatchdogIdle()
{
    if (m_state != Ready)
        return;
    qCDebug(lcClientNet) << "silent for" << m_pingIntervalMs << "ms: pinging";
    send(protocol::requests::ping());
    m_deadline.start(m_pingTimeoutMs);
}

void ServerConnection::onDisconnected()
{
    CloseInfo info;
    if (m_socket) {
        info.code = m_socket->closeCode();
        info.reason = m_socket->closeReason();
    }
    info.socketError = m_socketError;
    if (info.socketError == QAbstractSocket::UnknownSocketError && m_socket)
        info.socketError = m_socket->error();
    finish(info);
}

void ServerConnection::finish(CloseInfo info)
{
    if (!m_socket)
        return;
    m_idle.stop();
    m_deadline.stop();
    QWebSocket *socket = std::exchange(m_socket, nullptr);
    socket->disconnect(this);
    info.reachedServer = m_state == Ready;
    if (info.local && socket->state() == QAbstractSocket::ConnectedState)
        socket->close();
    else if (info.local || info.watchdog || info.code == 1002)
        socket->abort();
    socket->deleteLater();
    qCInfo(lcClientNet) << "connection to" << m_url << "ended: code" << info.code << info.reason
                        << "socket error" << info.socketError
                        << (info.watchdog ? "(watchdog)" : "");
    setState(Offline);
    failPending();
    Q_EMIT closed(info);
}

void ServerConnection::failPending()
{
    const auto pending = std::exchange(m_pending, {});
    for (const Pending &p : pending) {
        if (p.hasContext && !p.context)
            continue;
        p.handler(Reply {});
    }
}

} // namespace confab::client
