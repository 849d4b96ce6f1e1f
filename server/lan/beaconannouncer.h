// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "core/ratelimiter.h"
#include "lan/beaconmembership.h"
#include "lan/beaconpacket.h"

#include <QHostAddress>
#include <QObject>
#include <QTimer>
#include <QUdpSocket>
#include <functional>

namespace confab::server {

/*!
 * \brief Announces this server on the local network with the UDP beacon (protocol §19.3),
 * beside mDNS (mdnsadvertiser.h, where built with Avahi): the way that needs nothing but the
 * link, and the one that carries the count of people online.
 *
 * Announces on every interface the group can use, three times at start and then every
 * interval, answers queries at once to whoever asked, and says bye when stopped.
 */
class BeaconAnnouncer : public QObject
{
    Q_OBJECT
public:
    struct Settings
    {
        QString id; //!< ServerIdentity::id()
        QString name; //!< ServerConfig::displayName()
        quint16 port = 0; //!< the WebSocket port
        QString fingerprint; //!< of the served certificate; empty on ws://
        QHostAddress listen; //!< announce only on the interfaces that carry it, unless "any"
        quint16 beaconPort = lan::beacon::Port; //!< tests use another, to run side by side
    };

    BeaconAnnouncer(Settings settings, std::function<int()> usersOnline, QObject *parent = nullptr);
    /*! \brief Says bye, if started. */
    ~BeaconAnnouncer() override;

    /*! \brief Binds the beacon port and starts announcing; false with \a error if it cannot. */
    bool start(QString *error);
    /*! \brief Says bye and stops; announces nothing more. Safe to call twice. */
    void stop();

    bool isRunning() const { return m_running; }

private:
    void announce();
    void scheduleNext();
    void readPending();
    void answer(const QHostAddress &to, quint16 port);
    QByteArray announcement() const;

    Settings m_settings;
    std::function<int()> m_usersOnline;
    QUdpSocket m_socket;
    lan::BeaconMembership m_membership;
    QTimer m_timer;
    int m_burstSent = 0;
    bool m_running = false;
    bool m_warnedNoInterface = false;
    // Answers to queries, all senders together. An answer (~200 bytes with a short name,
    // at most ~400 with 64 three-byte characters) is about 10 times a query (24 bytes), 16
    // at worst, so a query with a forged source address makes this server send ~10 times
    // what it received to a victim. At 10 answers a second that is at most ~4 KB/s: useless
    // as an amplifier, and ample for a LAN where each app asks once when its list opens.
    RateLimiter m_answers {10, 10};
};

} // namespace confab::server
