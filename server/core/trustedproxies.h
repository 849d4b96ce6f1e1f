// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QByteArray>
#include <QHostAddress>
#include <QList>
#include <QString>
#include <utility>

namespace confab::server {

/*!
 * \brief The reverse proxies whose X-Forwarded-For confabd believes (`trusted_proxies`).
 *
 * Behind a proxy every connection comes from the proxy's address, so per-address limits
 * and the login throttle would treat all users as one. The header is only as honest as
 * whoever wrote it: a client can send any X-Forwarded-For, so it is read only from
 * connections whose peer is listed here, and only as far back as the listed proxies go.
 */
class TrustedProxies
{
public:
    TrustedProxies() = default;
    /*! \brief A list known to be valid (a built-in default); a bad entry is a bug. */
    explicit TrustedProxies(const QString &text);

    /*!
     * \brief Parses a comma-separated list of addresses and CIDR subnets
     * ("127.0.0.1, 10.0.0.0/8, ::1"); false with \a error, which starts with \a key, on
     * the first bad entry, and then the list is as it was. Also metrics_allow's parser.
     */
    bool parse(const QString &text, QString *error,
        const QString &key = QStringLiteral("trusted_proxies"));

    bool isEmpty() const { return m_subnets.isEmpty(); }
    bool contains(const QHostAddress &address) const;
    /*! \brief The list as the configuration would spell it, normalised. */
    QString toString() const;

    /*!
     * \brief The client's address for a connection from \a peer that sent \a forwardedFor.
     *
     * Walks the header from its right-most entry (the one the nearest proxy added) while
     * the hop that wrote it is trusted, and returns the first address that is not a
     * trusted proxy. From an untrusted peer, or if the header is absent or malformed at
     * the point where it would be believed, that hop's own address is the answer.
     * \a fromHeader tells whether the answer came from the header rather than the peer.
     */
    QHostAddress clientAddress(
        const QHostAddress &peer, const QByteArray &forwardedFor, bool *fromHeader = nullptr) const;

    /*! \brief \a address with an IPv4-mapped IPv6 address (::ffff:a.b.c.d) as plain IPv4. */
    static QHostAddress normalised(const QHostAddress &address);

private:
    QList<std::pair<QHostAddress, int>> m_subnets;
};

} // namespace confab::server
