// SPDX-License-Identifier: GPL-3.0-or-later
#include "lan/beaconmembership.h"

#include "lan/beaconpacket.h"

#include <QUdpSocket>
#include <QVariant>
#include <algorithm>

namespace confab::lan {

namespace {

const QHostAddress &group()
{
    static const QHostAddress address(QString::fromLatin1(beacon::Group));
    return address;
}

bool sameInterface(const QNetworkInterface &a, const QNetworkInterface &b)
{
    // An interface removed and made again under the same name has a new index, and the
    // kernel dropped the old one's memberships with it.
    return a.index() == b.index() && a.name() == b.name();
}

bool hasIPv4(const QNetworkInterface &interface, const QHostAddress &only)
{
    const bool any = only.isNull() || only == QHostAddress::Any || only == QHostAddress::AnyIPv4
        || only == QHostAddress::AnyIPv6;
    const QList<QNetworkAddressEntry> entries = interface.addressEntries();
    return std::any_of(entries.cbegin(), entries.cend(), [&](const QNetworkAddressEntry &e) {
        return e.ip().protocol() == QAbstractSocket::IPv4Protocol && (any || e.ip() == only);
    });
}

} // namespace

QList<QNetworkInterface> BeaconMembership::interfaces(const QHostAddress &only)
{
    QList<QNetworkInterface> usable;
    const auto needed
        = QNetworkInterface::IsUp | QNetworkInterface::IsRunning | QNetworkInterface::CanMulticast;
    for (const QNetworkInterface &interface : QNetworkInterface::allInterfaces()) {
        const auto flags = interface.flags();
        if ((flags & needed) == needed && !(flags & QNetworkInterface::IsLoopBack)
            && hasIPv4(interface, only))
            usable.append(interface);
    }
    return usable;
}

int BeaconMembership::sendToGroup(QUdpSocket &socket, const QList<QNetworkInterface> &interfaces,
    const QByteArray &datagram, quint16 port)
{
    socket.setSocketOption(QAbstractSocket::MulticastTtlOption, beacon::Ttl);
    int sent = 0;
    for (const QNetworkInterface &interface : interfaces) {
        socket.setMulticastInterface(interface);
        if (socket.writeDatagram(datagram, group(), port) == datagram.size())
            ++sent;
    }
    return sent;
}

int BeaconMembership::refresh(QUdpSocket &socket)
{
    const QList<QNetworkInterface> now = interfaces(m_only);
    m_joined.removeIf([&](const QNetworkInterface &was) {
        if (std::any_of(now.cbegin(), now.cend(),
                [&](const QNetworkInterface &is) { return sameInterface(is, was); }))
            return false;
        // Down but not removed keeps the membership in the kernel, and joining again when
        // it comes back up would fail as "already a member"; leaving first avoids that.
        socket.leaveMulticastGroup(group(), was);
        return true;
    });
    int added = 0;
    for (const QNetworkInterface &interface : now) {
        if (std::any_of(m_joined.cbegin(), m_joined.cend(),
                [&](const QNetworkInterface &j) { return sameInterface(j, interface); }))
            continue;
        // One that fails (no address yet, a race with its removal) is tried again next time.
        if (socket.joinMulticastGroup(group(), interface)) {
            m_joined.append(interface);
            ++added;
        }
    }
    return added;
}

void BeaconMembership::leaveAll(QUdpSocket &socket)
{
    for (const QNetworkInterface &interface : std::as_const(m_joined))
        socket.leaveMulticastGroup(group(), interface);
    m_joined.clear();
}

} // namespace confab::lan
