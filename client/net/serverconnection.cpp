// SPDX-License-Identifier: GPL-3.0-or-later
#include "net/serverconnection.h"

#include "core/clientlogging.h"
#include "lan/fingerprint.h"
#include "lan/keyrotation.h"
#include "lan/localnetwork.h"
#include "net/pinstore.h"
#include "protocol/protocolversion.h"

#include <QMetaObject>
#include <QSslSocket>
#include <QWebSocket>
#include <algorithm>

using namespace Qt::StringLiterals;

namespace confab::client {

namespace {

// Sync and history replies can reach several MiB (protocol §1), and a download frame is
// 17 bytes plus up to maxChunkBytes (§16.2, 4 MiB at most, §13); leave ample room.
constexpr qint64 MaxIncomingBytes = 256LL * 1024 * 1024;

QSslCertificate peerCertificateOf(const QWebSocket *socket)
{
    // QWebSocket copies its TLS socket's configuration (peer certificate included) before
    // it passes sslErrors on; the TLS socket is its child, asked directly should a build
    // not copy it.
    QSslCertificate certificate = socket->sslConfiguration().peerCertificate();
    if (certificate.isNull()) {
        if (const auto *tls = socket->findChild<QSslSocket *>())
            certificate = tls->peerCertificate();
    }
    return certificate;
}

// What a LAN server's self-made certificate draws: nobody vouches for it, or it names
// another host than the address used. Anything else (expired, revoked, malformed) is not
// waved through on first use.
bool isUnvouched(const QSslError &error)
{
    switch (error.error()) {
    case QSslError::SelfSignedCertificate:
    case QSslError::SelfSignedCertificateInChain:
    case QSslError::UnableToGetIssuerCertificate:
    case QSslError::UnableToGetLocalIssuerCertificate:
    case QSslError::UnableToVerifyFirstCertificate:
    case QSslError::CertificateUntrusted:
    case QSslError::HostNameMismatch:
        return true;
    default:
        return false;
    }
}

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
    m_trust = {};
    m_pinMismatch = false;
    m_expected.clear();
    m_byInvite = false;
    m_peerCertificate.clear();
    m_rotatedServerId.clear();
    if (url.scheme() == "wss"_L1) {
        // An invite names the key outright: the host vouches for it, so it wins over what
        // was pinned. That is the deliberate way back after a host had to make a new key
        // (docs/lan.md); a key that merely changed still meets the old pin.
        m_byInvite = !m_nextExpected.isEmpty();
        const QString expected
            = m_byInvite ? m_nextExpected : (m_pins ? m_pins->expectedFor(url) : QString());
        if (!expected.isEmpty())
            m_expected.append(expected);
    }
    m_nextExpected.clear();
    // Also on ws://: following a server that moved (§19.5) is only safe to the same id.
    m_expectedServerId = std::exchange(m_nextExpectedServerId, {});
    m_socket = new QWebSocket(QString(), QWebSocketProtocol::VersionLatest, this);
    m_socket->setMaxAllowedIncomingMessageSize(MaxIncomingBytes);
    m_socket->setMaxAllowedIncomingFrameSize(MaxIncomingBytes);
    connect(m_socket, &QWebSocket::sslErrors, this, &ServerConnection::onSslErrors);
    connect(m_socket, &QWebSocket::connected, this, [this] {
        if (!checkPinAfterHandshake())
            return;
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

void ServerConnection::setExpectedFingerprint(const QString &fingerprint)
{
    m_nextExpected = fingerprint.toLower();
}

void ServerConnection::setExpectedServerId(const QString &serverId)
{
    m_nextExpectedServerId = serverId;
}

void ServerConnection::onSslErrors(const QList<QSslError> &errors)
{
    m_peerCertificate = peerCertificateOf(m_socket);
    m_trust.fingerprint = lan::fingerprintOf(m_peerCertificate);
    const bool known = !m_trust.fingerprint.isEmpty();
    if (!m_expected.isEmpty()) {
        // The pin is the trust anchor: who signed the certificate, for which name and
        // until when does not matter, only whose key it is.
        if (known
            && (std::all_of(m_expected.cbegin(), m_expected.cend(),
                    [this](const QString &expected) { return expected == m_trust.fingerprint; })
                || (m_expected.size() == 1 && acceptRotation(pinnedServerId(), m_expected[0])))) {
            m_trust.kind = TlsTrust::Pinned;
            m_socket->ignoreSslErrors();
            return;
        }
        m_pinMismatch = true;
        qCWarning(lcClientNet) << m_url << "presented key" << m_trust.fingerprint
                               << "instead of the pinned" << m_expected << "- refused";
        return; // not ignored: the handshake fails
    }
    // Only on the local network: on the internet an unvouched certificate is an attack on
    // a server a CA vouches for, and nobody has a host's screen to compare a code with.
    if (m_allowFirstUse && known && lan::isOnLocalNetwork(m_url.host())
        && std::all_of(errors.cbegin(), errors.cend(), isUnvouched)) {
        m_trust.kind = TlsTrust::FirstUse;
        m_socket->ignoreSslErrors();
        return;
    }
    qCInfo(lcClientNet) << "refusing the certificate of" << m_url << errors;
}

bool ServerConnection::checkPinAfterHandshake()
{
    if (m_url.scheme() != "wss"_L1 || m_trust.kind != TlsTrust::Plain)
        return true; // no TLS, or decided in onSslErrors()
    // No TLS errors: the system's CAs vouch for it. A pin still wins over any CA.
    m_peerCertificate = peerCertificateOf(m_socket);
    m_trust.fingerprint = lan::fingerprintOf(m_peerCertificate);
    m_trust.kind = TlsTrust::CaTrusted;
    for (const QString &expected : std::as_const(m_expected)) {
        if (expected != m_trust.fingerprint && !acceptRotation(pinnedServerId(), expected)) {
            failPin(expected);
            return false;
        }
    }
    if (!m_expected.isEmpty())
        m_trust.kind = TlsTrust::Pinned;
    return true;
}

QString ServerConnection::pinnedServerId() const
{
    // The id the expected key was pinned for: an invite's or a followed server's, else the
    // one this address led to.
    if (m_byInvite)
        return m_expectedServerId;
    return m_pins ? m_pins->serverIdFor(m_url) : QString();
}

bool ServerConnection::acceptRotation(const QString &serverId, const QString &pinned)
{
    // Only the certificate's own extension counts, and only a chain the pinned key signed
    // the first step of: anyone can copy a chain, nobody can end it at their own key.
    const auto rotations = lan::KeyRotations::ofCertificate(m_peerCertificate.toDer());
    if (!rotations || !rotations->handsOver(serverId, pinned, m_trust.fingerprint))
        return false;
    qCInfo(lcClientNet) << m_url << "server" << serverId << "rotated its key from" << pinned << "to"
                        << m_trust.fingerprint << "(signed by the pinned key)";
    m_trust.rotatedFrom = pinned;
    m_rotatedServerId = serverId;
    return true;
}

bool ServerConnection::checkPinOfServer(const QString &serverId)
{
    if ((!m_expectedServerId.isEmpty() && serverId != m_expectedServerId)
        || (!m_rotatedServerId.isEmpty() && serverId != m_rotatedServerId)) {
        // The link, the server that moved, or the key rotation named another server than
        // the one that answered.
        failPin(m_expected.value(0));
        return false;
    }
    if (!m_pins || serverId.isEmpty())
        return true;
    const QString pinned = m_pins->fingerprintOf(serverId);
    if (pinned.isEmpty())
        return true;
    if (m_trust.kind == TlsTrust::Plain) {
        // A server pinned with TLS now speaking in clear (or someone using its id to get a
        // password sent in clear): the same hard stop as a changed key.
        failPin(pinned);
        return false;
    }
    // An invite link may replace what an address led to, never the key of a server id
    // already pinned: a forged link naming a known id must not take its pin over. A host
    // who lost the key lost the id with it (identity/ goes whole), so the way back is a
    // new id, which nothing pins yet.
    if (pinned != m_trust.fingerprint && m_trust.rotatedFrom != pinned
        && !acceptRotation(serverId, pinned)) {
        // A known server at a new address with a new key its pinned key did not hand over
        // to: the same hard stop as at the old address, or an impostor could just move.
        failPin(pinned);
        return false;
    }
    if (m_trust.kind == TlsTrust::FirstUse)
        m_trust.kind = TlsTrust::Pinned; // the same server and key at another address
    return true;
}

void ServerConnection::failPin(const QString &expected)
{
    qCWarning(lcClientNet) << m_url << "presented key" << m_trust.fingerprint << "but its pin is"
                           << expected << "- closing";
    CloseInfo info;
    info.code = 1006;
    info.pinMismatch = true;
    info.presentedFingerprint = m_trust.fingerprint;
    info.expectedFingerprint = expected;
    finish(info);
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
        if (!checkPinOfServer(hello->serverId))
            return;
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
    if (m_pinMismatch) {
        info.pinMismatch = true;
        info.presentedFingerprint = m_trust.fingerprint;
        const auto differs = std::find_if(m_expected.cbegin(), m_expected.cend(),
            [this](const QString &expected) { return expected != m_trust.fingerprint; });
        info.expectedFingerprint = differs != m_expected.cend() ? *differs : QString();
    }
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
    else if (info.local || info.watchdog || info.code == 1002 || info.pinMismatch)
        socket->abort();
    socket->deleteLater();
    qCInfo(lcClientNet) << "connection to" << m_url << "ended: code" << info.code << info.reason
                        << "socket error" << info.socketError << (info.watchdog ? "(watchdog)" : "")
                        << (info.pinMismatch ? "(pin mismatch)" : "");
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
