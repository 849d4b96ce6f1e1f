// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QHostAddress>
#include <QList>
#include <QNetworkInterface>

class QUdpSocket;

namespace confab::lan {

/*!
 * \brief The beacon group (beacon::Group) joined on each interface that can carry it, for
 * the server's announcer and the app's list alike.
 *
 * Interfaces come and go (Wi-Fi joins, a cable is plugged, a VPN starts), so refresh()
 * is meant to be called again and again: it joins what is new and forgets what is gone.
 */
class BeaconMembership
{
public:
    /*!
     * \brief Interfaces the beacon uses: up, running, multicast-capable, not loopback, with
     * an IPv4 address (the group is IPv4). Only those carrying \a only, when it is one
     * address rather than "any": a server listening on one address is reachable only there.
     */
    static QList<QNetworkInterface> interfaces(const QHostAddress &only = {});

    /*!
     * \brief Sends \a datagram to the group once on each of \a interfaces (the kernel would
     * otherwise pick one interface, and people on the others would never hear it). Sets
     * \a socket's multicast TTL to beacon::Ttl. Returns how many sends succeeded.
     */
    static int sendToGroup(QUdpSocket &socket, const QList<QNetworkInterface> &interfaces,
        const QByteArray &datagram, quint16 port);

    explicit BeaconMembership(const QHostAddress &only = {})
        : m_only(only)
    { }

    /*!
     * \brief Joins the group on interfaces() not joined yet on \a socket (bound already)
     * and forgets those gone. Returns how many it joined now.
     */
    int refresh(QUdpSocket &socket);
    /*! \brief Leaves the group on every joined interface. */
    void leaveAll(QUdpSocket &socket);

    const QList<QNetworkInterface> &joined() const { return m_joined; }

private:
    QHostAddress m_only;
    QList<QNetworkInterface> m_joined;
};

} // namespace confab::lan
