// SPDX-License-Identifier: GPL-3.0-or-later
#include "lan/nearbyservers.h"

#include "core/clientlogging.h"
#include "lan/fingerprint.h"
#ifdef CONFAB_HAVE_AVAHI
#include "lan/mdnsbrowser.h"
#endif

#include <QNetworkDatagram>
#include <QUrl>
#include <algorithm>

using namespace Qt::StringLiterals;

namespace confab::client {

namespace {

namespace beacon = lan::beacon;

// Anyone on the link can send announcements with made-up ids; a list that grew without
// bound would let one of them eat the app's memory. No real LAN has this many servers.
constexpr qsizetype MaxServers = 256;
// Addresses kept per server id from the beacon: a server on two networks, and room for
// whoever else announces its id (the least recently heard goes first).
constexpr qsizetype MaxBeaconsPerServer = 4;

template<typename Shown> QList<int> changedRoles(const Shown &was, const Shown &is)
{
    QList<int> roles;
    if (was.name != is.name)
        roles << NearbyServers::NameRole;
    if (was.host != is.host)
        roles << NearbyServers::HostRole;
    if (was.port != is.port)
        roles << NearbyServers::PortRole;
    if (was.host != is.host || was.port != is.port || was.tls != is.tls)
        roles << NearbyServers::UrlRole;
    if (was.tls != is.tls)
        roles << NearbyServers::SecureRole;
    if (was.fingerprint != is.fingerprint)
        roles << NearbyServers::FingerprintRole << NearbyServers::ShortCodeRole;
    if (was.usersOnline != is.usersOnline)
        roles << NearbyServers::UsersOnlineRole;
    return roles;
}

QUrl urlFor(const QHostAddress &host, quint16 port, bool tls)
{
    QUrl url;
    url.setScheme(tls ? u"wss"_s : u"ws"_s);
    // QUrl brackets an IPv6 address itself; both sources give IPv4 today.
    url.setHost(host.toString());
    url.setPort(port);
    return url;
}

} // namespace

NearbyServers::Shown NearbyServers::Row::shown() const
{
    if (!beacons.isEmpty()) {
        const BeaconPart &newest = beacons.constFirst();
        const lan::BeaconPacket &p = newest.packet;
        return {p.name, newest.host, p.port, p.tls, p.fingerprint, p.usersOnline};
    }
    if (mdns) {
        const lan::MdnsRecord &r = mdns->record;
        // No count of people: TXT records are not meant to change every few seconds.
        return {r.name, mdns->host, mdns->port, r.tls(), r.fingerprint, -1};
    }
    return {};
}

NearbyServers::NearbyServers(QObject *parent)
    : QAbstractListModel(parent)
{
    connect(&m_listener, &QUdpSocket::readyRead, this, [this] { readPending(m_listener); });
    connect(&m_asker, &QUdpSocket::readyRead, this, [this] { readPending(m_asker); });
    connect(&m_tick, &QTimer::timeout, this, &NearbyServers::expire);
}

NearbyServers::~NearbyServers() = default;

int NearbyServers::rowCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : int(m_rows.size());
}

QVariant NearbyServers::data(const QModelIndex &index, int role) const
{
    if (!checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid))
        return {};
    const Row &row = m_rows.at(index.row());
    const Shown p = row.shown();
    switch (role) {
    case Qt::DisplayRole:
    case NameRole:
        return p.name;
    case ServerIdRole:
        return row.id;
    case HostRole:
        return p.host.toString();
    case PortRole:
        return int(p.port);
    case UrlRole:
        return urlFor(p.host, p.port, p.tls).toString();
    case SecureRole:
        return p.tls;
    case FingerprintRole:
        return p.fingerprint;
    case ShortCodeRole:
        return lan::shortCode(p.fingerprint);
    case UsersOnlineRole:
        return p.usersOnline;
    default:
        return {};
    }
}

QList<QUrl> NearbyServers::urlsOf(const QString &serverId) const
{
    const qsizetype row = serverId.isEmpty() ? -1 : rowOf(serverId);
    if (row < 0)
        return {};
    const Row &found = m_rows.at(row);
    QList<QUrl> urls;
    const auto add = [&urls](const QUrl &url) {
        if (!urls.contains(url))
            urls.append(url);
    };
    for (const BeaconPart &beacon : found.beacons)
        add(urlFor(beacon.host, beacon.packet.port, beacon.packet.tls));
    if (found.mdns)
        add(urlFor(found.mdns->host, found.mdns->port, found.mdns->record.tls()));
    return urls;
}

QHash<int, QByteArray> NearbyServers::roleNames() const
{
    return {{ServerIdRole, "serverId"}, {NameRole, "name"}, {HostRole, "host"}, {PortRole, "port"},
        {UrlRole, "url"}, {SecureRole, "secure"}, {FingerprintRole, "fingerprint"},
        {ShortCodeRole, "shortCode"}, {UsersOnlineRole, "usersOnline"}};
}

void NearbyServers::setActive(bool active)
{
    if (active == m_active)
        return;
    m_active = active;
    if (active) {
        listen();
    } else {
        m_tick.stop();
        // Later, not now: this may run from a slot of the browser's own signal, inside an
        // Avahi callback whose watch deleting it now would free under its feet.
        // A child meanwhile, so that it goes with this list if the list goes first.
        if (QObject *browser = m_mdns.release()) {
            browser->disconnect(this);
            browser->setParent(this);
            browser->deleteLater();
        }
        m_membership.leaveAll(m_listener);
        m_listener.close();
        m_asker.close();
        // What was heard is stale by the time the list opens again.
        if (!m_rows.isEmpty()) {
            beginResetModel();
            m_rows.clear();
            endResetModel();
            Q_EMIT countChanged();
        }
    }
    Q_EMIT activeChanged();
}

void NearbyServers::listen()
{
#ifdef CONFAB_HAVE_AVAHI
    if (m_useMdns) {
        auto browser = std::make_unique<MdnsBrowser>();
        connect(browser.get(), &MdnsBrowser::resolved, this, &NearbyServers::mdnsResolved);
        connect(browser.get(), &MdnsBrowser::removed, this, &NearbyServers::mdnsRemoved);
        browser->start();
        m_mdns = std::move(browser);
    }
#endif
    m_scanned.start();
    m_tick.start(std::min<std::chrono::milliseconds>(std::chrono::seconds(1), m_forgetAfter / 3));
    if (!m_useBeacon)
        return;
    // Shared with the servers on this machine and other instances of the app, which all
    // hear the group's announcements on this port.
    if (!m_listener.bind(QHostAddress::AnyIPv4, m_beaconPort,
            QUdpSocket::ShareAddress | QUdpSocket::ReuseAddressHint)) {
        qCWarning(lcClientLan) << "cannot listen for servers nearby on UDP port" << m_beaconPort
                               << m_listener.errorString();
    } else {
        m_membership.refresh(m_listener);
    }
    if (!m_asker.bind(QHostAddress::AnyIPv4, 0))
        qCWarning(lcClientLan) << "cannot ask for servers nearby:" << m_asker.errorString();
    refresh();
}

void NearbyServers::refresh()
{
    if (!m_active || m_asker.state() != QAbstractSocket::BoundState)
        return;
    const int sent
        = lan::BeaconMembership::sendToGroup(m_asker, lan::BeaconMembership::interfaces(),
            lan::encodeBeacon(lan::BeaconPacket::query()), m_beaconPort);
    qCDebug(lcClientLan) << "asked for servers nearby on" << sent << "interfaces";
}

void NearbyServers::readPending(QUdpSocket &socket)
{
    while (socket.hasPendingDatagrams()) {
        // One byte more than a packet may have, so that a larger one is seen as such.
        const QNetworkDatagram datagram = socket.receiveDatagram(beacon::MaxDatagram + 1);
        if (const auto packet = lan::decodeBeacon(datagram.data()))
            heard(*packet, datagram.senderAddress());
    }
}

void NearbyServers::heard(const lan::BeaconPacket &packet, const QHostAddress &from)
{
    switch (packet.kind) {
    case lan::BeaconPacket::Kind::Query:
        return; // other apps asking
    case lan::BeaconPacket::Kind::Bye:
        // From where it was last heard: a server on two networks says bye on both, and a
        // bye from elsewhere is more likely someone else's mischief.
        amend(packet.id, [&](Row &row) {
            row.beacons.removeIf([&](const BeaconPart &b) { return b.host == from; });
        });
        return;
    case lan::BeaconPacket::Kind::Announce:
        break;
    }
    // The newest address is shown: a server heard on two networks is one row, reachable
    // at least where it was heard last. The others are kept for urlsOf().
    amend(packet.id, [&](Row &row) {
        row.beacons.removeIf(
            [&](const BeaconPart &b) { return b.host == from && b.packet.port == packet.port; });
        if (row.beacons.size() >= MaxBeaconsPerServer)
            row.beacons.removeLast();
        BeaconPart part {packet, from, {}};
        part.heard.start();
        row.beacons.prepend(std::move(part));
    });
}

void NearbyServers::mdnsResolved(
    const lan::MdnsRecord &record, const QHostAddress &host, quint16 port)
{
    if (!m_active)
        return;
    amend(record.id, [&](Row &row) { row.mdns = MdnsPart {record, host, port}; });
}

void NearbyServers::mdnsRemoved(const QString &id)
{
    amend(id, [](Row &row) { row.mdns.reset(); });
}

template<typename Change> void NearbyServers::amend(const QString &id, Change change)
{
    const qsizetype at = rowOf(id);
    if (at < 0) {
        Row row {id, {}, {}};
        change(row);
        if (row.isEmpty() || m_rows.size() >= MaxServers)
            return;
        beginInsertRows({}, int(m_rows.size()), int(m_rows.size()));
        m_rows.append(std::move(row));
        endInsertRows();
        Q_EMIT countChanged();
        qCDebug(lcClientLan) << "found" << id << m_rows.last().shown().name << "by"
                             << (m_rows.last().beacons.isEmpty() ? "mDNS" : "beacon");
        return;
    }
    Row &row = m_rows[at];
    const Shown was = row.shown();
    change(row);
    if (row.isEmpty()) {
        forget(at);
        return;
    }
    const QList<int> roles = changedRoles(was, row.shown());
    if (!roles.isEmpty())
        Q_EMIT dataChanged(index(int(at)), index(int(at)), roles);
}

void NearbyServers::forget(qsizetype row)
{
    qCDebug(lcClientLan) << "lost" << m_rows.at(row).id;
    beginRemoveRows({}, int(row), int(row));
    m_rows.removeAt(row);
    endRemoveRows();
    Q_EMIT countChanged();
}

void NearbyServers::expire()
{
    // Backwards, as amend() may remove the row it is given.
    for (qsizetype i = m_rows.size() - 1; i >= 0; --i) {
        const Row &row = m_rows.at(i);
        const auto stale
            = [this](const BeaconPart &b) { return b.heard.elapsed() > m_forgetAfter.count(); };
        if (std::any_of(row.beacons.cbegin(), row.beacons.cend(), stale))
            amend(QString(row.id), [&stale](Row &r) { r.beacons.removeIf(stale); });
    }
    // Interfaces come and go (Wi-Fi joins after the page opened): look again now and then,
    // and ask on a new one at once rather than wait for the next announcements.
    if (m_scanned.elapsed() >= beacon::Interval.count()) {
        m_scanned.restart();
        if (m_listener.state() == QAbstractSocket::BoundState
            && m_membership.refresh(m_listener) > 0)
            refresh();
    }
}

qsizetype NearbyServers::rowOf(const QString &id) const
{
    const auto it = std::find_if(
        m_rows.cbegin(), m_rows.cend(), [&](const Row &row) { return row.id == id; });
    return it == m_rows.cend() ? -1 : qsizetype(it - m_rows.cbegin());
}

} // namespace confab::client
