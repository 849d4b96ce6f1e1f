// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QByteArray>
#include <QList>
#include <QString>
#include <optional>

namespace confab::lan {

/*!
 * \brief mDNS/DNS-SD (docs/protocol.md §19.5): a server published as a `_confab._tcp`
 * service through the machine's own responder (avahi-daemon; Bonjour elsewhere), beside
 * the UDP beacon. The port is the SRV record's; the rest is the TXT record's.
 *
 * Only the record's format lives here, with no Avahi in it, so that a Bonjour (dns_sd.h)
 * build would share it and tests need no daemon.
 */
namespace mdns {
inline constexpr char ServiceType[] = "_confab._tcp";
//! A DNS label, and so a service instance name, is at most 63 bytes (RFC 6763 §4.1.1).
inline constexpr qsizetype MaxInstanceBytes = 63;
//! A TXT string is at most 255 bytes (its length is one byte): a longer one is malformed.
inline constexpr qsizetype MaxStringBytes = 255;
//! RFC 6763 §6.2: a TXT record should fit one Ethernet packet. Ours is ~200 bytes.
inline constexpr qsizetype MaxRecordBytes = 1300;
//! A TXT record with more strings than this is not one of ours (ours has four).
inline constexpr qsizetype MaxStrings = 32;
} // namespace mdns

/*!
 * \brief What a `_confab._tcp` TXT record says: the same server, by the same id, as the
 * beacon's announcement (beaconpacket.h), without its count of people online.
 */
struct MdnsRecord
{
    int version = 0; //!< "v": protocol version, 1-65535
    QString id; //!< "id": the server id (isServerId)
    QString name; //!< "name": isServerName, in UTF-8
    QString fingerprint; //!< "fp": 64 lowercase hex digits; present exactly when TLS

    bool tls() const { return !fingerprint.isEmpty(); }
    bool operator==(const MdnsRecord &) const = default;
};

/*!
 * \brief The TXT strings ("key=value") for \a record, keys in alphabetical order. Empty if
 * \a record breaks a rule decodeMdnsTxt() checks, so a server never publishes what no app
 * would accept.
 */
QList<QByteArray> encodeMdnsTxt(const MdnsRecord &record);

/*!
 * \brief The record in \a strings (a TXT record's strings, in order), or nullopt unless
 * `id`, `v` and `name` are valid and `fp`, if present, is too.
 *
 * A TXT record is anyone's on the link, so: at most mdns::MaxStrings strings and
 * mdns::MaxRecordBytes in all, no string over mdns::MaxStringBytes; keys are matched
 * without regard to case and only a key's first occurrence counts (RFC 6763 §6.4); a
 * known key without "=" or with an empty value is invalid; `v` is decimal digits without a
 * leading zero; `name` must be valid UTF-8. Unknown keys are ignored.
 */
std::optional<MdnsRecord> decodeMdnsTxt(const QList<QByteArray> &strings);

/*!
 * \brief The service instance name for a server called \a name: \a name cut to
 * mdns::MaxInstanceBytes of UTF-8 at a character boundary. Only a label people see in
 * browsers; the TXT record's `name` is the server's name in full.
 */
QByteArray mdnsInstanceName(const QString &name);

} // namespace confab::lan
