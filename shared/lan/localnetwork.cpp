// SPDX-License-Identifier: GPL-3.0-or-later
#include "lan/localnetwork.h"

#include <QHostAddress>
#include <QNetworkInterface>
#include <QStringList>

using namespace Qt::StringLiterals;

namespace confab::lan {

namespace {

bool isLocalIpv4(quint32 a)
{
    const auto in
        = [a](quint32 network, int bits) { return (a >> (32 - bits)) == (network >> (32 - bits)); };
    return in(0x7f000000, 8) // 127/8 loopback
        || in(0x0a000000, 8) // 10/8
        || in(0xac100000, 12) // 172.16/12
        || in(0xc0a80000, 16) // 192.168/16
        || in(0xa9fe0000, 16); // 169.254/16 link-local
}

} // namespace

bool isOnLocalNetwork(const QString &host)
{
    QString name = host.trimmed().toLower();
    if (name.startsWith(u'[') && name.endsWith(u']'))
        name = name.mid(1, name.size() - 2);
    if (name.endsWith(u'.'))
        name.chop(1);
    if (name.isEmpty())
        return false;
    QHostAddress address;
    if (address.setAddress(name)) {
        bool mapped = false;
        const quint32 v4 = address.toIPv4Address(&mapped);
        if (mapped ? isLocalIpv4(v4)
                   : (address.isLoopback() || address.isLinkLocal()
                       || address.isUniqueLocalUnicast() || address.isSiteLocal()))
            return true;
        // On the link of one of this machine's interfaces: a LAN, whatever its addresses
        // (some offices and campuses number theirs from public ranges).
        const QHostAddress plain = mapped ? QHostAddress(v4) : address;
        const QList<QNetworkInterface> interfaces = QNetworkInterface::allInterfaces();
        for (const QNetworkInterface &i : interfaces) {
            for (const QNetworkAddressEntry &entry : i.addressEntries()) {
                if (entry.prefixLength() > 0 && plain.isInSubnet(entry.ip(), entry.prefixLength()))
                    return true;
            }
        }
        return false;
    }
    if (!name.contains(u'.') || name == "localhost"_L1)
        return true;
    static const QStringList lanSuffixes {
        u".local"_s, u".lan"_s, u".internal"_s, u".home.arpa"_s, u".localhost"_s};
    for (const QString &suffix : lanSuffixes) {
        if (name.endsWith(suffix))
            return true;
    }
    return false;
}

} // namespace confab::lan
