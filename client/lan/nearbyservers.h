// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "lan/beaconmembership.h"
#include "lan/beaconpacket.h"

#include <QAbstractListModel>
#include <QElapsedTimer>
#include <QHostAddress>
#include <QTimer>
#include <QUdpSocket>
#include <QUrl>
#include <QtQml/qqmlregistration.h>
#include <chrono>

namespace confab::client {

/*!
 * \brief Servers announcing themselves on the local network with the UDP beacon (protocol
 * §19.3), for the sign-in page: one row per server id, updated as announcements arrive.
 *
 * Listens only while \c active, so the app holds no socket when no list is shown. A
 * server is dropped on its bye, or when not heard for beacon::ForgetAfter.
 */
class NearbyServers : public QAbstractListModel
{
    Q_OBJECT
    QML_ELEMENT
    Q_PROPERTY(bool active READ isActive WRITE setActive NOTIFY activeChanged)
    Q_PROPERTY(int count READ count NOTIFY countChanged)

public:
    enum Role
    {
        ServerIdRole = Qt::UserRole + 1, //!< the server's id (UUID), stable across addresses
        NameRole, //!< the name its operator gave it (or its host name)
        HostRole, //!< the address the announcement came from, as text
        PortRole, //!< its WebSocket port
        UrlRole, //!< "wss://host:port" or "ws://host:port", for the address field
        SecureRole, //!< whether it speaks TLS
        FingerprintRole, //!< its certificate's fingerprint (64 hex); empty without TLS
        ShortCodeRole, //!< lan::shortCode() of the fingerprint, to compare with the host's
        UsersOnlineRole //!< accounts signed in there now
    };
    Q_ENUM(Role)

    explicit NearbyServers(QObject *parent = nullptr);
    ~NearbyServers() override;

    int rowCount(const QModelIndex &parent = QModelIndex()) const override;
    QVariant data(const QModelIndex &index, int role) const override;
    QHash<int, QByteArray> roleNames() const override;

    bool isActive() const { return m_active; }
    void setActive(bool active);
    int count() const { return int(m_rows.size()); }

    /*! \brief Asks every server nearby to announce itself now. */
    Q_INVOKABLE void refresh();
    /*! \brief Where the server with \a serverId was last heard (as UrlRole); empty if it
     * is not listed. A reconnect looks for a known server here when its address fails. */
    QUrl urlOf(const QString &serverId) const;

    // For tests: another port than beacon::Port, a shorter memory. Set before activating.
    void setBeaconPort(quint16 port) { m_beaconPort = port; }
    void setForgetAfter(std::chrono::milliseconds after) { m_forgetAfter = after; }

Q_SIGNALS:
    void activeChanged();
    void countChanged();

private:
    struct Row
    {
        lan::BeaconPacket packet;
        QHostAddress host;
        QElapsedTimer heard;
    };

    void listen();
    void readPending(QUdpSocket &socket);
    void heard(const lan::BeaconPacket &packet, const QHostAddress &from);
    void forget(qsizetype row);
    void expire();
    qsizetype rowOf(const QString &id) const;

    QList<Row> m_rows;
    // Announcements and byes arrive on the shared beacon port; answers to our queries on
    // a port of our own, since a unicast datagram to a shared port reaches only one of
    // its sockets (maybe a server's running on this same machine).
    QUdpSocket m_listener;
    QUdpSocket m_asker;
    lan::BeaconMembership m_membership;
    QTimer m_tick; //!< expiry, and a rescan of the interfaces
    QElapsedTimer m_scanned;
    quint16 m_beaconPort = lan::beacon::Port;
    std::chrono::milliseconds m_forgetAfter = lan::beacon::ForgetAfter;
    bool m_active = false;
};

} // namespace confab::client
