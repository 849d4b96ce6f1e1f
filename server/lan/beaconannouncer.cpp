// SPDX-License-Identifier: GPL-3.0-or-later
#include "lan/beaconannouncer.h"

#include "core/logging.h"
#include "core/monotonicclock.h"
#include "net/socketcalls.h"

#include <QNetworkDatagram>
#include <QRandomGenerator>
#include <chrono>
#include <iterator>

using namespace Qt::StringLiterals;

namespace confab::server {

namespace beacon = lan::beacon;
namespace net = socketcalls;

BeaconAnnouncer::BeaconAnnouncer(
    Settings settings, std::function<int()> usersOnline, QObject *parent)
    : QObject(parent)
    , m_settings(std::move(settings))
    , m_usersOnline(std::move(usersOnline))
    , m_membership(m_settings.listen)
{
    m_timer.setSingleShot(true);
    connect(&m_timer, &QTimer::timeout, this, &BeaconAnnouncer::announce);
    connect(&m_socket, &QUdpSocket::readyRead, this, &BeaconAnnouncer::readPending);
}

BeaconAnnouncer::~BeaconAnnouncer()
{
    stop();
}

bool BeaconAnnouncer::start(QString *error)
{
    if (m_running)
        return true;
    if (announcement().isEmpty()) {
        *error = u"discovery: cannot announce this server (name '%1' must be 1-%2 characters "
                 "without control characters)"_s.arg(m_settings.name)
                     .arg(beacon::MaxNameLength);
        return false;
    }
    if (m_settings.listen.isLoopback()) {
        *error = u"discovery: confabd listens on %1, which nobody nearby can reach (set listen "
                 "to 0.0.0.0 or a LAN address)"_s.arg(m_settings.listen.toString());
        return false;
    }
    // Shared, so that several servers on one machine (and the app's list, when it runs
    // here too) can all hear the group on the one well-known port.
    if (!m_socket.bind(QHostAddress::AnyIPv4, m_settings.beaconPort,
            QUdpSocket::ShareAddress | QUdpSocket::ReuseAddressHint)) {
        *error = u"discovery: cannot bind UDP port %1: %2"_s.arg(m_settings.beaconPort)
                     .arg(m_socket.errorString());
        return false;
    }
    // Answers to queries are unicast: TTL 1 keeps them on the link too, so a query with a
    // forged source address from beyond the router gets its answer dropped there.
    net::setUnicastTtl(m_socket.socketDescriptor(), beacon::Ttl);
    m_running = true;
    m_burstSent = 0;
    qCInfo(lcLan) << "announcing" << m_settings.id << "on UDP port" << m_settings.beaconPort;
    announce();
    return true;
}

void BeaconAnnouncer::stop()
{
    if (!m_running)
        return;
    m_running = false;
    m_timer.stop();
    // Apps drop the server at once instead of after beacon::ForgetAfter.
    const QByteArray bye = lan::encodeBeacon(lan::BeaconPacket::bye(m_settings.id));
    lan::BeaconMembership::sendToGroup(m_socket, m_membership.joined(), bye, m_settings.beaconPort);
    m_membership.leaveAll(m_socket);
    m_socket.close();
    qCInfo(lcLan) << "stopped announcing";
}

QByteArray BeaconAnnouncer::announcement() const
{
    return lan::encodeBeacon(lan::BeaconPacket::announce(m_settings.id, m_settings.name,
        m_settings.port, m_settings.fingerprint, m_usersOnline ? m_usersOnline() : 0));
}

void BeaconAnnouncer::announce()
{
    // Rescanned each time: interfaces come and go while a server runs for months.
    if (m_membership.refresh(m_socket) > 0)
        m_warnedNoInterface = false;
    if (m_membership.joined().isEmpty() && !m_warnedNoInterface) {
        m_warnedNoInterface = true;
        // Not an error: a laptop's Wi-Fi may come up later; announce() looks each time.
        qCWarning(lcLan) << "no interface to announce on yet (up, multicast-capable, with an"
                            " IPv4 address carrying the listen address)";
    }
    lan::BeaconMembership::sendToGroup(
        m_socket, m_membership.joined(), announcement(), m_settings.beaconPort);
    scheduleNext();
}

void BeaconAnnouncer::scheduleNext()
{
    using namespace std::chrono;
    const auto burst = std::size(beacon::StartBurst);
    if (++m_burstSent < int(burst)) {
        m_timer.start(beacon::StartBurst[m_burstSent] - beacon::StartBurst[m_burstSent - 1]);
        return;
    }
    const auto jitter
        = milliseconds(QRandomGenerator::global()->bounded(int(beacon::Jitter.count()) + 1));
    m_timer.start(beacon::Interval + jitter);
}

void BeaconAnnouncer::readPending()
{
    while (m_socket.hasPendingDatagrams()) {
        // Read even when not answering: unread datagrams would fill the socket's buffer.
        const QNetworkDatagram datagram = m_socket.receiveDatagram(beacon::MaxDatagram + 1);
        if (!m_running)
            continue;
        const std::optional<lan::BeaconPacket> packet = lan::decodeBeacon(datagram.data());
        // Others' announcements and byes (and our own, looped back) are the apps' business.
        if (!packet || packet->kind != lan::BeaconPacket::Kind::Query)
            continue;
        answer(datagram.senderAddress(), quint16(datagram.senderPort()));
    }
}

void BeaconAnnouncer::answer(const QHostAddress &to, quint16 port)
{
    if (port == 0 || m_answers.take(monotonicMs()) != 0) {
        qCDebug(lcLan) << "query from" << to << "not answered (rate limit)";
        return;
    }
    // To the address and port the query came from: an app asks from a port of its own,
    // because a unicast datagram to the shared beacon port reaches only one of the
    // sockets bound there (maybe this server's own).
    m_socket.writeDatagram(announcement(), to, port);
}

} // namespace confab::server
