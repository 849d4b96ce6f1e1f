// SPDX-License-Identifier: GPL-3.0-or-later
#include "core/trustedproxies.h"

#include <QStringList>

using namespace Qt::StringLiterals;

namespace confab::server {

namespace {
/*! \brief One X-Forwarded-For entry: an address, perhaps "[v6]" or with ":port". */
QHostAddress parseHop(QString hop)
{
    hop = hop.trimmed();
    if (hop.startsWith(u'[')) {
        const qsizetype close = hop.indexOf(u']');
        if (close < 0)
            return {};
        hop = hop.mid(1, close - 1);
    } else if (hop.count(u':') == 1) {
        hop = hop.left(hop.indexOf(u':')); // IPv4 with a port
    }
    QHostAddress address;
    if (!address.setAddress(hop))
        return {};
    return TrustedProxies::normalised(address);
}
} // namespace

QHostAddress TrustedProxies::normalised(const QHostAddress &address)
{
    bool v4 = false;
    const quint32 ipv4 = address.toIPv4Address(&v4);
    return v4 ? QHostAddress(ipv4) : address;
}

TrustedProxies::TrustedProxies(const QString &text)
{
    QString error;
    const bool ok = parse(text, &error);
    Q_ASSERT_X(ok, "TrustedProxies", qPrintable(error));
}

bool TrustedProxies::parse(const QString &text, QString *error, const QString &key)
{
    QList<std::pair<QHostAddress, int>> subnets;
    const QStringList entries = text.split(u',', Qt::SkipEmptyParts);
    for (const QString &raw : entries) {
        const QString entry = raw.trimmed();
        if (entry.isEmpty())
            continue;
        const qsizetype slash = entry.indexOf(u'/');
        QHostAddress address;
        if (!address.setAddress(slash < 0 ? entry : entry.left(slash))) {
            *error = u"%1: '%2' is not an IP address or subnet"_s.arg(key, entry);
            return false;
        }
        address = normalised(address);
        const int width = address.protocol() == QAbstractSocket::IPv4Protocol ? 32 : 128;
        int prefix = width;
        if (slash >= 0) {
            bool ok = false;
            prefix = entry.mid(slash + 1).toInt(&ok);
            if (!ok || prefix < 0 || prefix > width) {
                *error = u"%1: '%2' has a bad prefix length"_s.arg(key, entry);
                return false;
            }
        }
        // The network itself, so that "10.1.2.3/8" means what it says: 10.0.0.0/8.
        subnets.append(
            {QHostAddress::parseSubnet(u"%1/%2"_s.arg(address.toString()).arg(prefix)).first,
                prefix});
    }
    m_subnets = subnets;
    return true;
}

bool TrustedProxies::contains(const QHostAddress &address) const
{
    const QHostAddress a = normalised(address);
    for (const auto &[network, prefix] : m_subnets) {
        if (a.isInSubnet(network, prefix))
            return true;
    }
    return false;
}

QString TrustedProxies::toString() const
{
    QStringList parts;
    for (const auto &[network, prefix] : m_subnets) {
        const int width = network.protocol() == QAbstractSocket::IPv4Protocol ? 32 : 128;
        parts << (prefix == width ? network.toString()
                                  : u"%1/%2"_s.arg(network.toString()).arg(prefix));
    }
    return parts.join(u", "_s);
}

QHostAddress TrustedProxies::clientAddress(
    const QHostAddress &peer, const QByteArray &forwardedFor, bool *fromHeader) const
{
    QHostAddress client = normalised(peer);
    if (fromHeader)
        *fromHeader = false;
    if (m_subnets.isEmpty() || forwardedFor.isEmpty())
        return client;
    const QStringList hops = QString::fromLatin1(forwardedFor).split(u',');
    for (qsizetype i = hops.size() - 1; i >= 0 && contains(client); --i) {
        const QHostAddress hop = parseHop(hops.at(i));
        if (hop.isNull())
            break; // the trusted hop's own address is all that can be believed
        client = hop;
        if (fromHeader)
            *fromHeader = true;
    }
    return client;
}

} // namespace confab::server
