// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "lan/beaconmembership.h"
#include "lan/beaconpacket.h"
#include "lan/mdnsrecord.h"

#include <QAbstractListModel>
#include <QElapsedTimer>
#include <QHostAddress>
#include <QTimer>
#include <QUdpSocket>
#include <QUrl>
#include <QtQml/qqmlregistration.h>
#include <chrono>
#include <memory>
#include <optional>

namespace confab::client {

/*!
 * \brief Servers announcing themselves on the local network, for the sign-in page: one row
 * per server id, from two sources: the UDP beacon (protocol §19.3) and, where built with
 * Avahi, mDNS/DNS-SD (§19.5). A server both describe is one row.
 *
 * Listens only while \c active, so the app holds no socket when no list is shown. The
 * beacon's part of a row goes on its bye or after beacon::ForgetAfter of silence, the mDNS
 * part when avahi-daemon removes the service; the row goes with the last of them. While
 * the beacon is heard its values are shown (they come every few seconds and carry the
 * count of people online, which mDNS does not); otherwise mDNS's.
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
        UsersOnlineRole //!< accounts signed in there now; -1 when only mDNS lists it
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
    /*! \brief Every address the server with \a serverId was last heard at, the beacon's
     * first, then mDNS's, each once; empty if it is not listed. A reconnect looks for a known
     * server here when its address fails, and tries them all: an announcement is anyone's
     * to send, and a forged one must not hide the real one. */
    QList<QUrl> urlsOf(const QString &serverId) const;

    /*! \brief mDNS: the server \a record describes is at \a host, \a port (MdnsBrowser). */
    void mdnsResolved(const lan::MdnsRecord &record, const QHostAddress &host, quint16 port);
    /*! \brief mDNS: no service describes the server with \a id any more. */
    void mdnsRemoved(const QString &id);

    // For tests: another port than beacon::Port, a shorter memory, one source alone. Set
    // before activating.
    void setBeaconPort(quint16 port) { m_beaconPort = port; }
    void setForgetAfter(std::chrono::milliseconds after) { m_forgetAfter = after; }
    void setUseBeacon(bool use) { m_useBeacon = use; }
    void setUseMdns(bool use) { m_useMdns = use; }

Q_SIGNALS:
    void activeChanged();
    void countChanged();

private:
    struct BeaconPart
    {
        lan::BeaconPacket packet;
        QHostAddress host;
        QElapsedTimer heard;
    };
    struct MdnsPart
    {
        lan::MdnsRecord record;
        QHostAddress host;
        quint16 port = 0;
    };
    //! What a row shows, from whichever source it shows.
    struct Shown
    {
        QString name;
        QHostAddress host;
        quint16 port = 0;
        bool tls = false;
        QString fingerprint;
        int usersOnline = -1;
    };
    struct Row
    {
        QString id;
        //! Each address the id was announced from, the most recently heard first: someone
        //! announcing the id from elsewhere must not push the server's own address out.
        QList<BeaconPart> beacons;
        std::optional<MdnsPart> mdns;
        Shown shown() const;
        bool isEmpty() const { return beacons.isEmpty() && !mdns; }
    };

    void listen();
    void readPending(QUdpSocket &socket);
    void heard(const lan::BeaconPacket &packet, const QHostAddress &from);
    void forget(qsizetype row);
    /*!
     * \brief Applies \a change to the row of \a id (a new one if there is none and the list
     * has room), tells views what changed, and drops the row if no source is left in it.
     */
    template<typename Change> void amend(const QString &id, Change change);
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
    //! MdnsBrowser while active, where built with Avahi: a QObject here so that this header
    //! needs no Avahi.
    std::unique_ptr<QObject> m_mdns;
    QElapsedTimer m_scanned;
    quint16 m_beaconPort = lan::beacon::Port;
    std::chrono::milliseconds m_forgetAfter = lan::beacon::ForgetAfter;
    bool m_active = false;
    bool m_useBeacon = true;
    bool m_useMdns = true;
};

} // namespace confab::client
