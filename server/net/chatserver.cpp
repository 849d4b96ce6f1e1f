// SPDX-License-Identifier: GPL-3.0-or-later
#include "net/chatserver.h"

#include "chat/chatservice.h"
#include "core/closecodes.h"
#include "core/healthcheck.h"
#include "core/logging.h"
#include "core/metrics.h"
#include "core/monotonicclock.h"
#include "lan/fingerprint.h"
#include "net/clientconnection.h"
#include "net/descriptortransport.h"
#include "net/httpprobe.h"
#include "net/ioloops.h"
#include "net/qtwebsockettransport.h"
#include "net/socketcalls.h"
#include "net/upgradegate.h"
#include "protocol/hello.h"
#include "protocol/serverframe.h"

#include <QCoreApplication>
#include <QDateTime>
#include <QFile>
#include <QSslCertificate>
#include <QSslConfiguration>
#include <QSslKey>
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

int sweepInterval(const ServerConfig &config)
{
    return std::clamp(
        std::min(config.limits.authTimeoutMs, config.limits.heartbeatIntervalMs) / 4, 25, 1000);
}

} // namespace

bool ChatServer::loadTls(const ServerConfig &config, QSslConfiguration *tls, QString *error) const
{
    if (config.tlsSelfSigned) {
        *tls = QSslConfiguration::defaultConfiguration();
        tls->setLocalCertificate(m_identity->certificate());
        tls->setPrivateKey(m_identity->key());
        tls->setPeerVerifyMode(QSslSocket::VerifyNone);
        return true;
    }
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
    // Refused ones too, before the loops that serve their sockets end.
    qDeleteAll(findChildren<ClientConnection *>(Qt::FindDirectChildrenOnly));
    m_loops.reset();
}

ChatServer::StartError ChatServer::start(QString *error)
{
    if (!m_config.validate(error))
        return StartError::Config;
    m_identity = ServerIdentity::loadOrCreate(m_config.dataDir, m_config.displayName(), error);
    if (!m_identity)
        return StartError::Identity;
    const bool secure = m_config.secure();
    QSslConfiguration tls;
    if (secure && !loadTls(m_config, &tls, error))
        return StartError::Tls;
    if (secure)
        m_servedFingerprint = lan::fingerprintOf(tls.localCertificate());

    m_service = new ChatService(m_config, this);
    if (!m_service->open(error))
        return StartError::Database;
    connect(&m_service->writer(), &StorageWriter::completionsStarting, this,
        [this] { m_output.begin(); });
    connect(&m_service->writer(), &StorageWriter::completionsFinished, this,
        [this] { m_output.end(); });
    startHttp();

    bool listening = false;
    QString listenError;
    if (secure) {
        m_server = new QWebSocketServer(u"confabd"_s, QWebSocketServer::SecureMode, this);
        m_server->setSslConfiguration(tls);
        m_server->setHandshakeTimeout(std::chrono::milliseconds(m_config.handshakeTimeoutMs));
        m_server->setMaxPendingConnections(1024);
        connect(m_server, &QWebSocketServer::newConnection, this, &ChatServer::onNewConnection);
        connect(m_server, &QWebSocketServer::originAuthenticationRequired, this,
            &ChatServer::onOriginCheck);
        listening = m_server->listen(m_config.listenAddress, m_config.port);
        listenError = m_server->errorString();
    } else {
        UpgradeGate::Hooks hooks;
        hooks.originAllowed = [this](const QString &origin) { return originAllowed(origin); };
        hooks.upgraded = [this](qintptr fd, const HttpRequestHead &head, QByteArray early) {
            onUpgraded(fd, head, std::move(early));
        };
        hooks.plainRequest
            = [this](QTcpSocket *socket, const HttpRequestHead *head) { serveHttp(socket, head); };
        if (m_config.ioThreads > 0) {
            m_loops = std::make_unique<IoLoops>(m_config.ioThreads);
            qCInfo(lcNet) << "serving plain connections on" << m_config.ioThreads << "loop threads";
        }
        m_gate = new UpgradeGate(std::move(hooks), this);
        m_gate->setHandshakeTimeout(m_config.handshakeTimeoutMs);
        listening = m_gate->listen(m_config.listenAddress, m_config.port, &listenError);
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
    if (m_gate)
        return m_gate->port();
    return m_server ? m_server->serverPort() : 0;
}

QString ChatServer::url() const
{
    const QString scheme = m_config.secure() ? u"wss"_s : u"ws"_s;
    QString host = m_config.listenAddress.toString();
    if (m_config.listenAddress.protocol() == QAbstractSocket::IPv6Protocol)
        host = u'[' + host + u']';
    return u"%1://%2:%3"_s.arg(scheme, host).arg(port());
}

bool ChatServer::originAllowed(const QString &origin) const
{
    // Non-browser clients send no Origin. A browser always does, and a page on
    // another site must not ride on a user's network position (e.g. a LAN server).
    return origin.isEmpty() || m_config.allowedOrigins.contains(origin)
        || m_config.allowedOrigins.contains(u"*"_s);
}

void ChatServer::onOriginCheck(QWebSocketCorsAuthenticator *authenticator)
{
    const bool allowed = originAllowed(authenticator->origin());
    if (!allowed)
        qCInfo(lcNet) << "refused connection from origin" << authenticator->origin();
    authenticator->setAllowed(allowed);
}

void ChatServer::onUpgraded(qintptr fd, const HttpRequestHead &head, QByteArray early)
{
    const QHostAddress via = socketcalls::peerAddress(fd);
    const QHostAddress client
        = m_config.trustedProxies.clientAddress(via, head.header("x-forwarded-for"));
    if (m_loops)
        admit(m_loops->adopt(fd, std::move(early)), client, via);
    else
        admit(std::make_unique<DescriptorTransport>(fd, std::move(early)), client, via);
}

void ChatServer::onNewConnection()
{
    while (QWebSocket *socket = m_server->nextPendingConnection()) {
        const QHostAddress via = socket->peerAddress();
        const QHostAddress client = m_config.trustedProxies.clientAddress(
            via, socket->request().rawHeader("X-Forwarded-For"));
        admit(std::make_unique<QtWebSocketTransport>(socket), client, via);
    }
}

void ChatServer::admit(std::unique_ptr<ConnectionTransport> transport, const QHostAddress &client,
    const QHostAddress &via)
{
    const QString address = client.toString();
    if (m_stopping || !hasRoomFor(address)) {
        if (!m_stopping)
            metrics::refused(metrics::Refusal::Connections);
        // Owned by the server: a refused socket still open when the server goes (within
        // its 1 s grace) would otherwise be leaked. Outside the ledger and the service.
        auto *refused = new ClientConnection(
            std::move(transport), client, m_config.limits, nullptr, now(), this);
        connect(refused, &ClientConnection::closed, refused, &QObject::deleteLater);
        // Closed before it reads: what the client sent is only read to find its close.
        refused->close(closecodes::TryAgainLater, u"too many connections"_s);
        refused->start();
        QTimer::singleShot(1000, refused, [refused] { refused->abort(); });
        return;
    }
    ++m_perAddress[address];
    auto *c = new ClientConnection(
        std::move(transport), client, m_config.limits, &m_ledger, now(), this);
    c->setOutputBatch(&m_output);
    m_connections.insert(c);
    // The service first, so that it has dropped a closed connection before
    // onConnectionClosed() deletes it.
    m_service->addConnection(c);
    connect(c, &ClientConnection::closed, this, &ChatServer::onConnectionClosed);
    c->send(helloFrame());
    // hello goes first, then whatever came with the upgrade request is read.
    c->start();
    if (client != TrustedProxies::normalised(via))
        qCDebug(lcNet) << "connection from" << address << "via" << via;
    else
        qCDebug(lcNet) << "connection from" << address;
}

bool ChatServer::hasRoomFor(const QString &address) const
{
    return m_connections.size() + m_httpOpen < m_config.maxConnections
        && m_perAddress.value(address) < m_config.maxConnectionsPerAddress;
}

QByteArray ChatServer::helloFrame() const
{
    // The service's, not the file's: an admin may have changed it from the app (§17.5).
    const QString registration = registrationPolicyName(m_service->config().registration);
    // Encoded once, not per connection: a connection storm spent 6 % of its time here.
    const QString name = m_config.displayName();
    if (!m_hello.frame.isEmpty() && m_hello.registration == registration
        && m_hello.limits == m_config.limits && m_hello.name == name
        && m_hello.fingerprint == m_servedFingerprint && m_hello.movedTo == m_config.movedTo)
        return m_hello.frame;
    protocol::Hello hello;
    hello.server = u"confabd/%1"_s.arg(QCoreApplication::applicationVersion());
    hello.registration = registration;
    hello.limits = m_config.limits;
    hello.features = {protocol::features::DirectoryPush, protocol::features::Conversations,
        protocol::features::Search, protocol::features::Files, protocol::features::Teams,
        protocol::features::Profiles, protocol::features::Notify, protocol::features::Accounts,
        protocol::features::Groups};
    hello.serverId = m_identity->id();
    hello.name = name;
    hello.fingerprint = m_servedFingerprint;
    hello.movedTo = m_config.movedTo;
    m_hello = {
        hello.encode(), registration, m_config.limits, name, m_servedFingerprint, m_config.movedTo};
    return m_hello.frame;
}

void ChatServer::onConnectionClosed(Peer *peer)
{
    auto *c = static_cast<ClientConnection *>(peer);
    m_connections.remove(c);
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
    const QList<ClientConnection *> conns = m_connections.values();
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
    if (m_gate)
        m_gate->close();
    if (m_server)
        m_server->close();
    if (!m_service) {
        finishStop();
        return;
    }
    // Writes already accepted finish and are acknowledged before anyone is told to go.
    m_service->drain();
    const QList<ClientConnection *> conns = m_connections.values();
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
        const QList<ClientConnection *> left = m_connections.values();
        for (ClientConnection *c : left)
            c->abort();
        finishStop();
    });
}

bool ChatServer::reload(ServerConfig fresh, QString *error)
{
    const bool secure = m_config.secure();
    if (secure != fresh.secure() || m_config.tlsSelfSigned != fresh.tlsSelfSigned) {
        qCWarning(lcServer) << "reload: turning TLS on or off, or between a certificate file"
                            << "and the self-signed one, needs a restart; it stays as it was";
        fresh.tlsCertificate = m_config.tlsCertificate;
        fresh.tlsKey = m_config.tlsKey;
        fresh.tlsSelfSigned = m_config.tlsSelfSigned;
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
    fresh.ioThreads = m_config.ioThreads;
    fresh.backupDir = m_config.backupDir;
    fresh.backupIntervalS = m_config.backupIntervalS;
    fresh.backupKeep = m_config.backupKeep;

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
        m_servedFingerprint = lan::fingerprintOf(next);
    }
    // The beacon announces the name it started with: hello keeps saying the same.
    fresh.discovery = m_config.discovery;
    fresh.serverName = m_config.serverName;
    const bool limitsChanged = !(fresh.limits == m_config.limits);
    const bool moved = !fresh.movedTo.isEmpty() && fresh.movedTo != m_config.movedTo;
    m_config = fresh;
    m_ledger.setBounds({m_config.maxOutboundBytes, m_config.maxOutboundBytesPerAddress,
        m_config.maxOutboundBytesPerAccount});
    if (m_server)
        m_server->setHandshakeTimeout(std::chrono::milliseconds(m_config.handshakeTimeoutMs));
    if (m_gate)
        m_gate->setHandshakeTimeout(m_config.handshakeTimeoutMs);
    m_sweepTimer.setInterval(sweepInterval(m_config));
    if (limitsChanged) {
        for (ClientConnection *c : std::as_const(m_connections))
            c->setLimits(m_config.limits);
    }
    m_service->reconfigure(m_config);
    if (moved) {
        // Those connected now hear it at once; later ones read it in hello. The server
        // keeps serving, so a client that cannot follow yet loses nothing.
        qCInfo(lcServer).noquote() << "reload: telling" << m_connections.size()
                                   << "connections that the server moved to" << m_config.movedTo;
        const QByteArray frame = protocol::frames::moved(m_config.movedTo);
        for (ClientConnection *c : std::as_const(m_connections))
            c->send(frame);
    }
    return true;
}

void ChatServer::startHttp()
{
    m_health = new HealthCheck(m_service->writer(), this);
    HttpProbe::Hooks hooks;
    hooks.notReadyReason = [this] {
        if (m_stopping)
            return u"shutting down"_s;
        if (!(m_gate && m_gate->isListening()) && !(m_server && m_server->isListening()))
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
        g.pendingHandshakes = m_gate ? m_gate->pending() : 0;
        g.outboundQueuedBytes = m_ledger.total();
        g.writerPendingJobs = m_service->writer().pending();
        return metrics::exposition(g);
    };
    // Answered well before the handshake timeout aborts the socket.
    hooks.healthDeadlineMs
        = [this] { return std::clamp(m_config.handshakeTimeoutMs / 2, 50, 2000); };
    m_http = new HttpProbe(*m_health, std::move(hooks), this);
}

void ChatServer::serveHttp(QTcpSocket *tcp, const HttpRequestHead *request)
{
    // Nothing after the head is read: it is dropped as it comes, so that a body or a
    // stream of bytes costs no memory while the answer is prepared.
    tcp->readAll();
    connect(tcp, &QIODevice::readyRead, tcp, [tcp] { tcp->readAll(); });

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
