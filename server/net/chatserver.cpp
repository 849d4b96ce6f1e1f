// SPDX-License-Identifier: GPL-3.0-or-later
#include "net/chatserver.h"

#include "chat/chatservice.h"
#include "core/closecodes.h"
#include "core/healthcheck.h"
#include "core/logging.h"
#include "core/metrics.h"
#include "core/monotonicclock.h"
#include "net/clientconnection.h"
#include "net/httpprobe.h"
#include "protocol/hello.h"

#include <QCoreApplication>
#include <QDateTime>
#include <QFile>
#include <QSslCertificate>
#include <QSslConfiguration>
#include <QSslKey>
#include <QTcpServer>
#include <QTcpSocket>
#include <QWebSocket>
#include <QWebSocketCorsAuthenticator>
#include <QWebSocketServer>

using namespace Qt::StringLiterals;

namespace confab::server {

namespace {
qint64 now()
{
    return monotonicMs();
}

// How long a closed connection may take to finish its close handshake and
// flush what is queued for it before its socket is aborted.
constexpr qint64 CloseGraceMs = 2000;

constexpr int ListenBacklog = 4096;
const char *const HeldTailProperty = "confabHeldTail";
constexpr QLatin1StringView HandshakeTimerName("confab-handshake-timeout");
// X-Forwarded-For of an upgrade request, all its lines: QWebSocket::request() keeps one.
const char *const ForwardedForProperty = "confabForwardedFor";

/*!
 * Keeps the bytes after the HTTP upgrade request out of the socket until the connection
 * is listening. Qt 6.4's QWebSocketServer builds the QWebSocket, which at once decodes
 * whatever is buffered after the request, before newConnection lets anyone connect to
 * it: frames sent in the same write as the upgrade were decoded and dropped unseen.
 * Connected before QWebSocketServer's handler, so it runs first on every readyRead.
 */
void holdBytesAfterUpgradeRequest(QTcpSocket *tcp)
{
    const QByteArray buffered = tcp->peek(tcp->bytesAvailable());
    const qsizetype end = buffered.indexOf("\r\n\r\n");
    if (end < 0 || end + 4 == buffered.size())
        return;
    const qsizetype requestSize = end + 4;
    const QByteArray all = tcp->read(buffered.size());
    QByteArray held = tcp->property(HeldTailProperty).toByteArray();
    held.append(all.mid(requestSize));
    tcp->setProperty(HeldTailProperty, held);
    // The request goes back for QWebSocketServer to read, last byte first.
    for (qsizetype i = requestSize - 1; i >= 0; --i)
        tcp->ungetChar(all[i]);
}

int sweepInterval(const ServerConfig &config)
{
    return std::clamp(
        std::min(config.limits.authTimeoutMs, config.limits.heartbeatIntervalMs) / 4, 25, 1000);
}

bool loadTls(const ServerConfig &config, QSslConfiguration *tls, QString *error)
{
    QFile certFile(config.tlsCertificate);
    QFile keyFile(config.tlsKey);
    if (!certFile.open(QIODevice::ReadOnly) || !keyFile.open(QIODevice::ReadOnly)) {
        *error = u"cannot read TLS certificate or key"_s;
        return false;
    }
    const QList<QSslCertificate> chain = QSslCertificate::fromDevice(&certFile, QSsl::Pem);
    const QSslKey key(&keyFile, QSsl::Rsa, QSsl::Pem);
    QSslKey finalKey = key;
    if (finalKey.isNull()) {
        keyFile.seek(0);
        finalKey = QSslKey(&keyFile, QSsl::Ec, QSsl::Pem);
    }
    if (chain.isEmpty() || finalKey.isNull()) {
        *error = u"TLS certificate or key is not valid PEM"_s;
        return false;
    }
    *tls = QSslConfiguration::defaultConfiguration();
    tls->setLocalCertificateChain(chain);
    tls->setPrivateKey(finalKey);
    tls->setPeerVerifyMode(QSslSocket::VerifyNone);
    return true;
}
} // namespace

ChatServer::ChatServer(const ServerConfig &config, QObject *parent)
    : QObject(parent)
    , m_config(config)
    , m_ledger({config.maxOutboundBytes, config.maxOutboundBytesPerAddress,
          config.maxOutboundBytesPerAccount})
{
    m_sweepTimer.setInterval(sweepInterval(config));
    connect(&m_sweepTimer, &QTimer::timeout, this, &ChatServer::sweep);
}

ChatServer::~ChatServer()
{
    // The service first: stopping its writer delivers the last completions, which may
    // still send to connections. Then the connections, which must not report their
    // closing to a server that is half destroyed.
    delete m_service;
    m_service = nullptr;
    for (ClientConnection *c : std::as_const(m_connections))
        disconnect(c, nullptr, this, nullptr);
    qDeleteAll(std::exchange(m_connections, {}));
}

ChatServer::StartError ChatServer::start(QString *error)
{
    if (!m_config.validate(error))
        return StartError::Config;
    const bool secure = !m_config.tlsCertificate.isEmpty();
    QSslConfiguration tls;
    if (secure && !loadTls(m_config, &tls, error))
        return StartError::Tls;

    m_service = new ChatService(m_config, this);
    if (!m_service->open(error))
        return StartError::Database;
    connect(&m_service->writer(), &StorageWriter::completionsStarting, this,
        [this] { m_output.begin(); });
    connect(&m_service->writer(), &StorageWriter::completionsFinished, this,
        [this] { m_output.end(); });
    startHttp();

    m_server = new QWebSocketServer(u"confabd"_s,
        secure ? QWebSocketServer::SecureMode : QWebSocketServer::NonSecureMode, this);
    if (secure)
        m_server->setSslConfiguration(tls);
    m_server->setHandshakeTimeout(std::chrono::milliseconds(m_config.handshakeTimeoutMs));
    m_server->setMaxPendingConnections(1024);
    connect(m_server, &QWebSocketServer::newConnection, this, &ChatServer::onNewConnection);
    connect(m_server, &QWebSocketServer::originAuthenticationRequired, this,
        &ChatServer::onOriginCheck);
    bool listening = false;
    QString listenError;
    if (secure) {
        listening = m_server->listen(m_config.listenAddress, m_config.port);
        listenError = m_server->errorString();
    } else {
        m_tcpServer = new QTcpServer(this);
        m_tcpServer->setMaxPendingConnections(1024);
        // Qt's default kernel backlog is 50: 10,000 clients reconnecting after a restart
        // overflowed it ~60,000 times and waited out TCP's 1/3/7 s SYN retries (the kernel
        // caps the value at net.core.somaxconn). TLS listens through QWebSocketServer,
        // which has no such setting in Qt 6.4.
        m_tcpServer->setListenBacklogSize(ListenBacklog);
        connect(m_tcpServer, &QTcpServer::newConnection, this, &ChatServer::onTcpConnection);
        listening = m_tcpServer->listen(m_config.listenAddress, m_config.port);
        listenError = m_tcpServer->errorString();
    }
    if (!listening) {
        *error = u"cannot listen on %1 port %2: %3"_s.arg(m_config.listenAddress.toString())
                     .arg(m_config.port)
                     .arg(listenError);
        return StartError::Listen;
    }
    m_sweepTimer.start();
    return StartError::None;
}

quint16 ChatServer::port() const
{
    if (m_tcpServer)
        return m_tcpServer->serverPort();
    return m_server ? m_server->serverPort() : 0;
}

QString ChatServer::url() const
{
    const QString scheme = m_config.tlsCertificate.isEmpty() ? u"ws"_s : u"wss"_s;
    QString host = m_config.listenAddress.toString();
    if (m_config.listenAddress.protocol() == QAbstractSocket::IPv6Protocol)
        host = u'[' + host + u']';
    return u"%1://%2:%3"_s.arg(scheme, host).arg(port());
}

void ChatServer::onOriginCheck(QWebSocketCorsAuthenticator *authenticator)
{
    // Non-browser clients send no Origin. A browser always does, and a page on
    // another site must not ride on a user's network position (e.g. a LAN server).
    const QString origin = authenticator->origin();
    const bool allowed = origin.isEmpty() || m_config.allowedOrigins.contains(origin)
        || m_config.allowedOrigins.contains(u"*"_s);
    if (!allowed)
        qCInfo(lcNet) << "refused connection from origin" << origin;
    authenticator->setAllowed(allowed);
}

void ChatServer::onTcpConnection()
{
    while (QTcpSocket *tcp = m_tcpServer->nextPendingConnection()) {
        const std::pair key {tcp->peerAddress(), tcp->peerPort()};
        m_handshaking.insert(key, tcp);
        // Frames are written as they are ready, often a reply and then a push in quick
        // succession: with Nagle the second waits for the peer's delayed ACK (40 ms).
        tcp->setSocketOption(QAbstractSocket::LowDelayOption, 1);
        // A failed or timed-out handshake deletes the socket without a QWebSocket.
        connect(tcp, &QObject::destroyed, this, [this, key, tcp] {
            auto it = m_handshaking.find(key);
            if (it != m_handshaking.end() && it.value() == tcp)
                m_handshaking.erase(it);
        });
        // QWebSocketServer enforces its handshake timeout only on sockets it accepted.
        // A child timer, deleted once the handshake is done (releaseHeldBytes): a single-shot
        // timer would hold a timer and an object per connection for the whole timeout.
        auto *timeout = new QTimer(tcp);
        timeout->setObjectName(HandshakeTimerName);
        timeout->setSingleShot(true);
        connect(timeout, &QTimer::timeout, this, [this, key, tcp] {
            auto it = m_handshaking.find(key);
            if (it == m_handshaking.end() || it.value() != tcp)
                return;
            m_handshaking.erase(it);
            qCDebug(lcNet) << "handshake timeout" << key.first;
            tcp->abort();
            tcp->deleteLater();
        });
        timeout->start(m_config.handshakeTimeoutMs);
        // A child of the socket, so the hold ends with it if the handshake fails.
        auto *holder = new QObject(tcp);
        holder->setObjectName(u"confab-upgrade-hold"_s);
        connect(tcp, &QIODevice::readyRead, holder, [tcp] { holdBytesAfterUpgradeRequest(tcp); });
        readRequestHead(tcp);
    }
}

void ChatServer::onNewConnection()
{
    while (QWebSocket *socket = m_server->nextPendingConnection()) {
        QTcpSocket *plain = m_handshaking.take({socket->peerAddress(), socket->peerPort()});
        // Refused or not: the hold must not outlive the handshake.
        if (plain) {
            releaseHeldBytes(plain);
            // QWebSocketServer deletes the socket on `disconnected` from a slot that finds it
            // with sender(), a walk over every socket still connected to the server: each
            // disconnect cost O(connections), and shutting down 10,000 took 8-12 s. The same
            // deleteLater, connected to the socket itself.
            disconnect(plain, &QTcpSocket::disconnected, m_server, nullptr);
            connect(plain, &QTcpSocket::disconnected, plain, &QObject::deleteLater);
        }
        // Under built-in TLS QWebSocketServer read the head itself and there is no `plain`.
        const QByteArray forwardedFor = plain ? plain->property(ForwardedForProperty).toByteArray()
                                              : socket->request().rawHeader("X-Forwarded-For");
        const QHostAddress client
            = m_config.trustedProxies.clientAddress(socket->peerAddress(), forwardedFor);
        const QString address = client.toString();
        if (m_stopping || !hasRoomFor(address)) {
            if (!m_stopping)
                metrics::refused(metrics::Refusal::Connections);
            // Owned by the server: a refused socket still open when the server goes
            // (within its 1 s grace) would otherwise be leaked.
            socket->setParent(this);
            socket->close(closecodes::toQt(closecodes::TryAgainLater), u"too many connections"_s);
            connect(socket, &QWebSocket::disconnected, socket, &QObject::deleteLater);
            QTimer::singleShot(1000, socket, [socket] { socket->abort(); });
            continue;
        }
        ++m_perAddress[address];
        auto *c
            = new ClientConnection(socket, plain, client, m_config.limits, &m_ledger, now(), this);
        c->setOutputBatch(&m_output);
        m_connections.append(c);
        // The service first, so that it has dropped a closed connection before
        // onConnectionClosed() deletes it.
        m_service->addConnection(c);
        connect(c, &ClientConnection::closed, this, &ChatServer::onConnectionClosed);
        c->send(helloFrame());
        if (client != TrustedProxies::normalised(socket->peerAddress()))
            qCDebug(lcNet) << "connection from" << address << "via" << socket->peerAddress();
        else
            qCDebug(lcNet) << "connection from" << address;
    }
}

bool ChatServer::hasRoomFor(const QString &address) const
{
    return m_connections.size() + m_httpOpen < m_config.maxConnections
        && m_perAddress.value(address) < m_config.maxConnectionsPerAddress;
}

void ChatServer::releaseHeldBytes(QTcpSocket *plain)
{
    delete plain->findChild<QObject *>(u"confab-upgrade-hold"_s, Qt::FindDirectChildrenOnly);
    delete plain->findChild<QTimer *>(HandshakeTimerName, Qt::FindDirectChildrenOnly);
    const QByteArray held = plain->property(HeldTailProperty).toByteArray();
    plain->setProperty(HeldTailProperty, {});
    if (held.isEmpty())
        return;
    qCDebug(lcNet) << held.size() << "bytes came with the upgrade request";
    for (qsizetype i = held.size() - 1; i >= 0; --i)
        plain->ungetChar(held[i]);
    // QWebSocket decodes on readyRead only. Queued, so that the frames are handled from the
    // event loop like any others, after hello and the connection's setup.
    QMetaObject::invokeMethod(
        plain, [plain] { Q_EMIT plain->readyRead(); }, Qt::QueuedConnection);
}

QByteArray ChatServer::helloFrame() const
{
    // The service's, not the file's: an admin may have changed it from the app (§17.5).
    const QString registration = registrationPolicyName(m_service->config().registration);
    // Encoded once, not per connection: a connection storm spent 6 % of its time here.
    if (!m_hello.frame.isEmpty() && m_hello.registration == registration
        && m_hello.limits == m_config.limits)
        return m_hello.frame;
    protocol::Hello hello;
    hello.server = u"confabd/%1"_s.arg(QCoreApplication::applicationVersion());
    hello.registration = registration;
    hello.limits = m_config.limits;
    hello.features = {protocol::features::DirectoryPush, protocol::features::Conversations,
        protocol::features::Search, protocol::features::Files, protocol::features::Teams,
        protocol::features::Profiles, protocol::features::Notify, protocol::features::Accounts,
        protocol::features::Groups};
    m_hello = {hello.encode(), registration, m_config.limits};
    return m_hello.frame;
}

void ChatServer::onConnectionClosed(Peer *peer)
{
    auto *c = static_cast<ClientConnection *>(peer);
    m_connections.removeOne(c);
    c->leaveLedger(); // deleted later, perhaps after the ledger
    c->deleteLater();
    const QString address = c->peerAddress().toString();
    auto it = m_perAddress.find(address);
    if (it != m_perAddress.end() && --it.value() <= 0)
        m_perAddress.erase(it);
    if (m_stopping && m_connections.isEmpty())
        finishStop();
}

void ChatServer::sweep()
{
    const qint64 t = now();
    const QList<ClientConnection *> conns = m_connections;
    for (ClientConnection *c : conns) {
        if (c->isClosing()) {
            // QAbstractSocket::close() waits until everything queued is written,
            // which is forever for a peer that stopped reading: buffers and the
            // per-address slot would be held for good.
            if (c->closingSince() && t - c->closingSince() > CloseGraceMs)
                c->abort();
            continue;
        }
        if (!c->isAuthenticated() && t - c->connectedAt() > m_config.limits.authTimeoutMs) {
            c->close(closecodes::AuthTimeout, u"authentication timeout"_s);
            continue;
        }
        if (!c->heartbeat(t, m_config.limits.heartbeatIntervalMs)) {
            qCInfo(lcNet) << "heartbeat timeout" << c->peerAddress() << c->userName();
            c->abort();
            continue;
        }
        if (c->isStalledOverCap(t)) {
            qCInfo(lcNet) << "dropping stalled reader" << c->peerAddress() << c->userName()
                          << c->queuedBytes() << "bytes unsent; its address has"
                          << m_ledger.address(c->peerAddress());
            c->abort();
        }
    }
}

void ChatServer::shutdown()
{
    if (m_stopping)
        return;
    m_stopping = true;
    qCInfo(lcServer) << "shutting down";
    m_sweepTimer.stop();
    if (m_tcpServer)
        m_tcpServer->close();
    if (m_server)
        m_server->close();
    if (!m_service) {
        finishStop();
        return;
    }
    // Writes already accepted finish and are acknowledged before anyone is told to go.
    m_service->drain();
    const QList<ClientConnection *> conns = m_connections;
    if (conns.isEmpty()) {
        finishStop();
        return;
    }
    for (ClientConnection *c : conns) {
        // What a client sent before the close is answered shutting_down rather than
        // dropped unread, so that no reply means the request was never taken off the wire.
        c->readPending();
        c->releaseWaiting(true);
        c->close(closecodes::GoingAway, u"server shutting down"_s);
    }
    // A peer that never answers the close handshake does not hold the exit.
    QTimer::singleShot(CloseGraceMs, this, [this] {
        const QList<ClientConnection *> left = m_connections;
        for (ClientConnection *c : left)
            c->abort();
        finishStop();
    });
}

bool ChatServer::reload(ServerConfig fresh, QString *error)
{
    const bool secure = !m_config.tlsCertificate.isEmpty();
    if (secure != !fresh.tlsCertificate.isEmpty()) {
        qCWarning(lcServer) << "reload: turning TLS on or off needs a restart; it stays"
                            << (secure ? "on" : "off");
        fresh.tlsCertificate = m_config.tlsCertificate;
        fresh.tlsKey = m_config.tlsKey;
    }
    QSslConfiguration tls;
    if (secure && !loadTls(fresh, &tls, error))
        return false;

    const QList<std::pair<QString, QString>> before = m_config.settings();
    const QList<std::pair<QString, QString>> after = fresh.settings();
    const QStringList restartKeys = ServerConfig::restartKeys();
    for (qsizetype i = 0; i < before.size() && i < after.size(); ++i) {
        const auto &[key, old] = before.at(i);
        const QString &value = after.at(i).second;
        if (old == value)
            continue;
        if (restartKeys.contains(key))
            qCWarning(lcServer).noquote() << "reload:" << key << "changed to" << value
                                          << "but needs a restart; keeping" << old;
        else
            qCInfo(lcServer).noquote()
                << "reload:" << key << "changed from" << old << "to" << value;
    }
    fresh.listenAddress = m_config.listenAddress;
    fresh.port = m_config.port;
    fresh.dataDir = m_config.dataDir;
    fresh.filesDir = m_config.filesDir;
    fresh.durability = m_config.durability;
    fresh.limits.typingTtlMs = m_config.limits.typingTtlMs;
    fresh.redactionPurgeDelayS = m_config.redactionPurgeDelayS;

    if (secure) {
        // Replaced even when the file names are the same: rotation swaps the files' contents.
        const QSslCertificate current = m_server->sslConfiguration().localCertificate();
        const QSslCertificate next = tls.localCertificate();
        if (current != next)
            qCInfo(lcServer).noquote()
                << "reload: new TLS certificate for" << next.subjectDisplayName() << "valid until"
                << next.expiryDate().toString(Qt::ISODate) << "; connections made before keep"
                << "the old one";
        m_server->setSslConfiguration(tls);
    }
    const bool limitsChanged = !(fresh.limits == m_config.limits);
    m_config = fresh;
    m_ledger.setBounds({m_config.maxOutboundBytes, m_config.maxOutboundBytesPerAddress,
        m_config.maxOutboundBytesPerAccount});
    m_server->setHandshakeTimeout(std::chrono::milliseconds(m_config.handshakeTimeoutMs));
    m_sweepTimer.setInterval(sweepInterval(m_config));
    if (limitsChanged) {
        for (ClientConnection *c : std::as_const(m_connections))
            c->setLimits(m_config.limits);
    }
    m_service->reconfigure(m_config);
    return true;
}

void ChatServer::startHttp()
{
    m_health = new HealthCheck(m_service->writer(), this);
    HttpProbe::Hooks hooks;
    hooks.notReadyReason = [this] {
        if (m_stopping)
            return u"shutting down"_s;
        if (!m_tcpServer || !m_tcpServer->isListening())
            return u"not listening"_s;
        return QString();
    };
    hooks.mayReadMetrics = [this](const QTcpSocket &tcp, const HttpRequestHead &request) {
        return mayReadMetrics(tcp, request);
    };
    hooks.metrics = [this] {
        metrics::Gauges g;
        g.connections = m_connections.size();
        g.signedInUsers = m_service->signedInUsers();
        g.pendingHandshakes = m_handshaking.size();
        g.outboundQueuedBytes = m_ledger.total();
        g.writerPendingJobs = m_service->writer().pending();
        return metrics::exposition(g);
    };
    // Answered well before the handshake timeout aborts the socket.
    hooks.healthDeadlineMs
        = [this] { return std::clamp(m_config.handshakeTimeoutMs / 2, 50, 2000); };
    m_http = new HttpProbe(*m_health, std::move(hooks), this);
}

void ChatServer::readRequestHead(QTcpSocket *tcp)
{
    // Read here before QWebSocketServer sees the socket: it would close a request that
    // asks for no upgrade without a word, where a monitor needs an HTTP answer.
    auto *reader = new QObject(tcp);
    const auto onData = [this, tcp, reader] {
        HttpRequestHead head;
        const HttpRequestHead::Parse parsed
            = HttpRequestHead::parse(tcp->peek(HttpRequestHead::MaxSize), &head);
        if (parsed == HttpRequestHead::Parse::Incomplete)
            return;
        disconnect(tcp, nullptr, reader, nullptr);
        reader->deleteLater();
        if (parsed == HttpRequestHead::Parse::Complete && head.isWebSocketUpgrade()) {
            // It reads the head again from the socket; the hold keeps what followed it.
            tcp->setProperty(ForwardedForProperty, head.header("x-forwarded-for"));
            m_server->handleConnection(tcp);
            return;
        }
        serveHttp(tcp, parsed == HttpRequestHead::Parse::Complete ? &head : nullptr);
    };
    connect(tcp, &QIODevice::readyRead, reader, onData);
    // Until QWebSocketServer has it, a socket whose peer left is nobody else's to delete.
    connect(tcp, &QAbstractSocket::disconnected, reader, [tcp] { tcp->deleteLater(); });
    if (tcp->bytesAvailable())
        onData();
}

void ChatServer::serveHttp(QTcpSocket *tcp, const HttpRequestHead *request)
{
    // Nothing after the head is read: it is dropped as it comes, so that a body or a
    // stream of bytes costs no memory while the answer is prepared.
    delete tcp->findChild<QObject *>(u"confab-upgrade-hold"_s, Qt::FindDirectChildrenOnly);
    tcp->setProperty(HeldTailProperty, {});
    tcp->readAll();
    connect(tcp, &QIODevice::readyRead, tcp, [tcp] { tcp->readAll(); });
    connect(tcp, &QAbstractSocket::disconnected, tcp, &QObject::deleteLater);

    // Counted like a connection until the socket is gone, so that plain requests are no
    // way around max_connections and max_connections_per_address. The handshake timeout,
    // set when the socket was accepted, still ends one whose client never reads the answer.
    const QString address = m_config.trustedProxies
                                .clientAddress(tcp->peerAddress(),
                                    request ? request->header("x-forwarded-for") : QByteArray())
                                .toString();
    if (!hasRoomFor(address)) {
        metrics::refused(metrics::Refusal::Connections);
        HttpProbe::respond(tcp, 503, "too many connections\n", "text/plain; charset=utf-8",
            {{"Retry-After", "1"}});
        return;
    }
    ++m_perAddress[address];
    ++m_httpOpen;
    connect(tcp, &QObject::destroyed, this, [this, address] {
        --m_httpOpen;
        auto it = m_perAddress.find(address);
        if (it != m_perAddress.end() && --it.value() <= 0)
            m_perAddress.erase(it);
    });
    if (!request) {
        qCDebug(lcHttp) << "malformed or oversized request from" << tcp->peerAddress();
        HttpProbe::respond(tcp, 400, "malformed or oversized HTTP request\n");
        return;
    }
    m_http->answer(tcp, *request);
}

bool ChatServer::mayReadMetrics(const QTcpSocket &tcp, const HttpRequestHead &request) const
{
    const QHostAddress peer = tcp.peerAddress();
    if (!m_config.trustedProxies.contains(peer)) {
        // A proxy nobody named in trusted_proxies relays the whole network from its own
        // address (often loopback): a request it forwarded comes from someone unknown.
        const bool forwarded = request.hasHeader("x-forwarded-for")
            || request.hasHeader("forwarded") || request.hasHeader("x-real-ip");
        return !forwarded && m_config.mayReadMetrics(peer);
    }
    // From a trusted proxy only X-Forwarded-For is read. Without a client it names (the
    // proxy sent Forwarded or X-Real-IP, or nothing) the proxy's own address would be
    // judged, and that is loopback for anyone the proxy relays.
    bool fromHeader = false;
    const QHostAddress client = m_config.trustedProxies.clientAddress(
        peer, request.header("x-forwarded-for"), &fromHeader);
    return fromHeader && m_config.mayReadMetrics(client);
}

void ChatServer::finishStop()
{
    if (m_stopped)
        return;
    m_stopped = true;
    Q_EMIT stopped();
}

} // namespace confab::server
