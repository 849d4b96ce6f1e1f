// SPDX-License-Identifier: GPL-3.0-or-later
#include "net/upgradegate.h"

#include "core/logging.h"
#include "core/monotonicclock.h"
#include "net/httpprobe.h"
#include "net/socketcalls.h"
#include "net/websockethandshake.h"

#include <QSocketNotifier>
#include <QTcpServer>
#include <QTcpSocket>

using namespace Qt::StringLiterals;

namespace confab::server {

namespace {
using socketcalls::Received;

/*! \brief Hands each accepted descriptor over as it is, without a QTcpSocket. */
class DescriptorListener : public QTcpServer
{
public:
    DescriptorListener(std::function<void(qintptr)> accepted, QObject *parent)
        : QTcpServer(parent)
        , m_accepted(std::move(accepted))
    { }

protected:
    void incomingConnection(qintptr fd) override { m_accepted(fd); }

private:
    std::function<void(qintptr)> m_accepted;
};
} // namespace

UpgradeGate::UpgradeGate(Hooks hooks, QObject *parent)
    : QObject(parent)
    , m_hooks(std::move(hooks))
{
    m_timer.setSingleShot(true);
    connect(&m_timer, &QTimer::timeout, this, &UpgradeGate::expire);
}

UpgradeGate::~UpgradeGate()
{
    close();
}

bool UpgradeGate::listen(const QHostAddress &address, quint16 port, QString *error)
{
    m_listener = new DescriptorListener([this](qintptr fd) { accepted(fd); }, this);
    m_listener->setListenBacklogSize(ListenBacklog);
    if (m_listener->listen(address, port))
        return true;
    *error = m_listener->errorString();
    return false;
}

bool UpgradeGate::isListening() const
{
    return m_listener && m_listener->isListening();
}

quint16 UpgradeGate::port() const
{
    return m_listener ? m_listener->serverPort() : 0;
}

void UpgradeGate::close()
{
    if (m_listener)
        m_listener->close();
    while (!m_pending.empty())
        drop(m_pending.begin(), false);
    m_timer.stop();
}

void UpgradeGate::setHandshakeTimeout(int ms)
{
    m_timeoutMs = ms;
    if (m_timer.isActive())
        armTimer();
}

void UpgradeGate::accepted(qintptr fd)
{
    socketcalls::prepare(fd);
    auto *notifier = new QSocketNotifier(fd, QSocketNotifier::Read, this);
    m_pending.push_back({fd, notifier, {}, monotonicMs()});
    const auto it = std::prev(m_pending.end());
    connect(notifier, &QSocketNotifier::activated, this, [this, it] { readHead(it); });
    if (!m_timer.isActive())
        armTimer();
}

void UpgradeGate::readHead(PendingList::iterator it)
{
    // A head is small; more than it in one read is the first frames, kept for the
    // connection. Past MaxSize without a blank line it is refused, so that is all we hold.
    char buffer[HttpRequestHead::MaxSize];
    qint64 n = 0;
    const Received got = socketcalls::receive(it->fd, buffer, sizeof buffer, &n);
    if (got == Received::WouldBlock)
        return;
    if (got != Received::Data) {
        drop(it, false);
        return;
    }
    it->head.append(buffer, n);
    HttpRequestHead head;
    switch (HttpRequestHead::parse(it->head, &head)) {
    case HttpRequestHead::Parse::Incomplete:
        return;
    case HttpRequestHead::Parse::Complete:
        answer(it, &head);
        return;
    case HttpRequestHead::Parse::Malformed:
    case HttpRequestHead::Parse::TooLarge:
        answer(it, nullptr);
        return;
    }
}

void UpgradeGate::answer(PendingList::iterator it, const HttpRequestHead *head)
{
    const qintptr fd = it->fd;
    const qint64 deadline = it->acceptedAt + m_timeoutMs;
    if (!head || !head->isWebSocketUpgrade()) {
        drop(it, true);
        if (QTcpSocket *socket = adopt(fd, deadline))
            m_hooks.plainRequest(socket, head);
        return;
    }
    const auto verdict = websockethandshake::check(*head);
    const QByteArray origin = head->header("origin");
    if (verdict != websockethandshake::Verdict::Accept
        || (!origin.isEmpty() && !m_hooks.originAllowed(QString::fromUtf8(origin)))) {
        drop(it, true);
        QTcpSocket *socket = adopt(fd, deadline);
        if (!socket)
            return;
        if (verdict == websockethandshake::Verdict::WrongVersion) {
            HttpProbe::respond(socket, 426, "this server speaks WebSocket version 13\n",
                "text/plain; charset=utf-8", {{"Sec-WebSocket-Version", "13"}});
        } else if (verdict == websockethandshake::Verdict::BadRequest) {
            HttpProbe::respond(socket, 400, "not a valid WebSocket upgrade\n");
        } else {
            qCInfo(lcNet) << "refused connection from origin" << origin;
            HttpProbe::respond(socket, 403, "origin not allowed\n");
        }
        return;
    }
    const QByteArray response = websockethandshake::switchingProtocols(*head);
    QByteArray early = it->head.sliced(head->size);
    drop(it, true);
    // A fresh socket's buffer always has room for ~150 bytes; if not, the peer is gone.
    if (socketcalls::send(fd, response.constData(), response.size()) != response.size()) {
        socketcalls::close(fd);
        return;
    }
    if (!early.isEmpty())
        qCDebug(lcNet) << early.size() << "bytes came with the upgrade request";
    m_hooks.upgraded(fd, *head, std::move(early));
}

void UpgradeGate::drop(PendingList::iterator it, bool keep)
{
    it->notifier->setEnabled(false);
    it->notifier->deleteLater(); // perhaps inside its own activation
    if (!keep)
        socketcalls::close(it->fd);
    m_pending.erase(it);
}

QTcpSocket *UpgradeGate::adopt(qintptr fd, qint64 deadline)
{
    auto *socket = new QTcpSocket(this);
    if (!socket->setSocketDescriptor(fd)) {
        delete socket;
        socketcalls::close(fd);
        return nullptr;
    }
    connect(socket, &QAbstractSocket::disconnected, socket, &QObject::deleteLater);
    // A client that never reads its answer is still cut off at the handshake deadline.
    QTimer::singleShot(std::max<qint64>(0, deadline - monotonicMs()), socket, [socket] {
        socket->abort();
        socket->deleteLater();
    });
    return socket;
}

void UpgradeGate::expire()
{
    const qint64 now = monotonicMs();
    while (!m_pending.empty() && m_pending.front().acceptedAt + m_timeoutMs <= now) {
        qCDebug(lcNet) << "handshake timeout" << socketcalls::peerAddress(m_pending.front().fd);
        drop(m_pending.begin(), false);
    }
    armTimer();
}

void UpgradeGate::armTimer()
{
    if (m_pending.empty())
        return;
    const qint64 deadline = m_pending.front().acceptedAt + m_timeoutMs;
    m_timer.start(int(std::max<qint64>(0, deadline - monotonicMs())));
}

} // namespace confab::server
