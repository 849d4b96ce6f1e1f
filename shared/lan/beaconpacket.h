// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QByteArray>
#include <QString>
#include <chrono>
#include <optional>

namespace confab::lan {

/*!
 * \brief The UDP beacon (docs/protocol.md §19.3): how servers and apps find each other on a
 * link, beside mDNS (mdnsrecord.h) and also where no mDNS responder (avahi-daemon) runs.
 *
 * TTL 1, so a datagram never leaves the link it was sent on; the group is in the
 * organization-local scope (239.255/16), which routers do not forward either.
 */
namespace beacon {
inline constexpr char Group[] = "239.255.87.47";
inline constexpr quint16 Port = 8748;
inline constexpr int Ttl = 1;
//! A datagram larger than this is not a beacon packet; one encoded is always smaller.
inline constexpr qsizetype MaxDatagram = 1024;
inline constexpr std::chrono::milliseconds Interval {5000};
//! Random delay added to each Interval, so servers started together do not stay in step.
inline constexpr std::chrono::milliseconds Jitter {1000};
//! Announcements at these delays after start, so a new server shows up at once even if
//! the first datagram is lost (Wi-Fi drops multicast more often than unicast).
inline constexpr std::chrono::milliseconds StartBurst[] = {
    std::chrono::milliseconds(0), std::chrono::milliseconds(1000), std::chrono::milliseconds(2000)};
//! A server not heard for three intervals is gone (one lost datagram is no reason).
inline constexpr std::chrono::milliseconds ForgetAfter = 3 * Interval;
inline constexpr qsizetype MaxNameLength = 64;
} // namespace beacon

/*!
 * \brief One beacon datagram: a server announcing itself, an app asking who is there, or
 * a server saying it stops.
 */
struct BeaconPacket
{
    enum class Kind
    {
        Announce,
        Query,
        Bye
    };

    Kind kind = Kind::Query;
    int version = 0; //!< "v": the sender's protocol version (protocol/protocolversion.h)
    QString id; //!< announce, bye: the server's id, a UUID as QUuid writes it (36 chars)
    QString name; //!< announce: 1-64 characters, no control characters
    quint16 port = 0; //!< announce: the WebSocket port, 1-65535
    bool tls = false; //!< announce: wss:// rather than ws://
    QString fingerprint; //!< announce with tls: lan::fingerprintOf() of the served certificate
    int usersOnline = 0; //!< announce: accounts signed in now

    static BeaconPacket announce(const QString &id, const QString &name, quint16 port,
        const QString &fingerprint, int usersOnline);
    static BeaconPacket query();
    static BeaconPacket bye(const QString &id);

    bool operator==(const BeaconPacket &) const = default;
};

/*!
 * \brief The datagram for \a packet: compact UTF-8 JSON. Empty if \a packet breaks a rule
 * decodeBeacon() checks, so a server never sends what no app would accept.
 */
QByteArray encodeBeacon(const BeaconPacket &packet);

/*!
 * \brief The packet in \a datagram, or nullopt for anything but one well-formed packet
 * (too large, not a JSON object, an unknown kind, a member of the wrong type or out of
 * range). Members it does not know are ignored, so later versions can add some.
 */
std::optional<BeaconPacket> decodeBeacon(const QByteArray &datagram);

/*! \brief Whether \a text is a UUID as QUuid::toString(QUuid::WithoutBraces) writes it. */
bool isServerId(const QString &text);

/*!
 * \brief Whether \a name may name a server in a list: 1 to beacon::MaxNameLength UTF-16
 * units, no control characters. The beacon and the mDNS TXT record (mdnsrecord.h) alike.
 */
bool isServerName(const QString &name);

} // namespace confab::lan
