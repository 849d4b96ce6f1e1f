// SPDX-License-Identifier: GPL-3.0-or-later
// Which addresses get trust on first use (docs/lan.md): the local network's, never the
// internet's, where an unvouched certificate is an attack rather than a LAN server.
#include "lan/localnetwork.h"

#include <QNetworkInterface>
#include <QtTest>

using namespace Qt::StringLiterals;
using confab::lan::isOnLocalNetwork;

class TestLocalNetwork : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void tellsTheLocalNetworkFromTheInternet_data()
    {
        QTest::addColumn<QString>("host");
        QTest::addColumn<bool>("local");
        for (const char *local : {"127.0.0.1", "10.1.2.3", "172.16.0.1", "172.31.255.254",
                 "192.168.1.20", "169.254.7.7", "::1", "[::1]", "fe80::1", "fd12:3456::1",
                 "::ffff:192.168.1.2", "localhost", "workshop", "ana-laptop.local", "nas.lan",
                 "pi.home.arpa", "box.internal", "Ana-Laptop.LOCAL."})
            QTest::newRow(local) << QString::fromLatin1(local) << true;
        for (const char *remote :
            {"8.8.8.8", "172.32.0.1", "172.15.255.255", "192.169.0.1", "203.0.113.9", "2001:db8::1",
                "::ffff:8.8.8.8", "chat.example.org", "local.example.org", "example.lan.com", ""})
            QTest::newRow(remote) << QString::fromLatin1(remote) << false;
    }
    void tellsTheLocalNetworkFromTheInternet()
    {
        QFETCH(QString, host);
        QFETCH(bool, local);
        QCOMPARE(isOnLocalNetwork(host), local);
    }

    void aPublicAddressOnOneOfThisMachinesLinksIsLocal()
    {
        // Whatever this machine's addresses are: a neighbour in a subnet it is on.
        for (const QNetworkInterface &i : QNetworkInterface::allInterfaces()) {
            for (const QNetworkAddressEntry &entry : i.addressEntries()) {
                const QHostAddress ip = entry.ip();
                if (ip.protocol() != QAbstractSocket::IPv4Protocol || ip.isLoopback()
                    || entry.prefixLength() < 1 || entry.prefixLength() > 30)
                    continue;
                const QHostAddress neighbour((ip.toIPv4Address() ^ 1u));
                QVERIFY2(isOnLocalNetwork(neighbour.toString()), qPrintable(neighbour.toString()));
                return;
            }
        }
        QSKIP("this machine has no IPv4 network besides loopback");
    }
};

QTEST_GUILESS_MAIN(TestLocalNetwork)
#include "tst_localnetwork.moc"
