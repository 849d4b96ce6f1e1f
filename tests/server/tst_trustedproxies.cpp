// SPDX-License-Identifier: GPL-3.0-or-later
// Whose X-Forwarded-For is believed, and how far back (trusted_proxies).
#include "core/serverconfig.h"
#include "core/trustedproxies.h"

#include <QtTest>

using namespace Qt::StringLiterals;
using confab::server::ServerConfig;
using confab::server::TrustedProxies;

class TestTrustedProxies : public QObject
{
    Q_OBJECT

private:
    static TrustedProxies parsed(const QString &text)
    {
        TrustedProxies proxies;
        QString error;
        if (!proxies.parse(text, &error))
            qWarning() << error;
        return proxies;
    }
    static QString client(const TrustedProxies &proxies, const char *peer, const QByteArray &xff)
    {
        return proxies.clientAddress(QHostAddress(QString::fromLatin1(peer)), xff).toString();
    }

private Q_SLOTS:
    void parsesAddressesAndSubnets()
    {
        const TrustedProxies p = parsed(u" 127.0.0.1, 10.1.2.3/8 ,::1, 2001:db8::/32"_s);
        QCOMPARE(p.toString(), u"127.0.0.1, 10.0.0.0/8, ::1, 2001:db8::/32"_s);
        QVERIFY(p.contains(QHostAddress(u"10.200.0.1"_s)));
        QVERIFY(p.contains(QHostAddress(u"::ffff:127.0.0.1"_s))); // a dual-stack socket's view
        QVERIFY(p.contains(QHostAddress(u"2001:db8:1::5"_s)));
        QVERIFY(!p.contains(QHostAddress(u"127.0.0.2"_s)));
        QVERIFY(!p.contains(QHostAddress(u"11.0.0.1"_s)));
        QVERIFY(parsed(QString()).isEmpty());
    }

    void refusesWhatIsNotAnAddress_data()
    {
        QTest::addColumn<QString>("value");
        QTest::newRow("name") << u"proxy.example.org"_s;
        QTest::newRow("prefix too long") << u"10.0.0.0/33"_s;
        QTest::newRow("prefix not a number") << u"10.0.0.0/x"_s;
        QTest::newRow("one bad of two") << u"127.0.0.1, 300.1.1.1"_s;
    }
    void refusesWhatIsNotAnAddress()
    {
        QFETCH(QString, value);
        ServerConfig config;
        QString error;
        QVERIFY(!config.set(u"trusted_proxies"_s, value, &error));
        QVERIFY2(error.startsWith("trusted_proxies:"_L1), qPrintable(error));
        QVERIFY(config.trustedProxies.isEmpty()); // nothing half-applied
    }

    void believesOnlyTrustedHops()
    {
        const TrustedProxies p = parsed(u"127.0.0.1, 10.0.0.0/8"_s);
        // From a proxy: the right-most address that is not a proxy.
        QCOMPARE(client(p, "127.0.0.1", "203.0.113.7"), u"203.0.113.7"_s);
        QCOMPARE(client(p, "127.0.0.1", "198.51.100.1, 203.0.113.7, 10.0.0.5"), u"203.0.113.7"_s);
        // A client's own claim to the left of the real client is not believed.
        QCOMPARE(client(p, "127.0.0.1", "10.9.9.9, 203.0.113.7"), u"203.0.113.7"_s);
        // From anyone else the header means nothing.
        QCOMPARE(client(p, "203.0.113.7", "10.0.0.1, 198.51.100.1"), u"203.0.113.7"_s);
        // No header, or a malformed entry where it would be believed: the proxy's own address.
        QCOMPARE(client(p, "127.0.0.1", ""), u"127.0.0.1"_s);
        QCOMPARE(client(p, "127.0.0.1", "198.51.100.1, garbage"), u"127.0.0.1"_s);
        QCOMPARE(client(p, "127.0.0.1", "garbage, 10.0.0.5"), u"10.0.0.5"_s);
        // Ports and brackets some proxies add.
        QCOMPARE(client(p, "127.0.0.1", "203.0.113.7:51234"), u"203.0.113.7"_s);
        QCOMPARE(client(p, "127.0.0.1", "[2001:db8::7]:443"), u"2001:db8::7"_s);
        QCOMPARE(client(p, "127.0.0.1", "2001:db8::7"), u"2001:db8::7"_s);
        // Nothing trusted: never read.
        QCOMPARE(client(parsed(QString()), "127.0.0.1", "203.0.113.7"), u"127.0.0.1"_s);
    }

    void saysWhetherTheHeaderNamedTheClient()
    {
        // /metrics via a trusted proxy is served only to a client the header named.
        const TrustedProxies p = parsed(u"127.0.0.1"_s);
        const auto fromHeader = [&p](const char *peer, const QByteArray &xff) {
            bool from = true;
            p.clientAddress(QHostAddress(QString::fromLatin1(peer)), xff, &from);
            return from;
        };
        QVERIFY(fromHeader("127.0.0.1", "203.0.113.7"));
        QVERIFY(fromHeader("127.0.0.1", "127.0.0.1")); // a client on the proxy's host
        QVERIFY(!fromHeader("127.0.0.1", ""));
        QVERIFY(!fromHeader("127.0.0.1", "garbage"));
        QVERIFY(!fromHeader("203.0.113.7", "127.0.0.1")); // not a trusted peer
    }

    void metricsAllowIsTheSameList()
    {
        ServerConfig config;
        QString error;
        QVERIFY(!config.set(u"metrics_allow"_s, u"10.0.0.0/99"_s, &error));
        QVERIFY2(error.startsWith("metrics_allow:"_L1), qPrintable(error));
        QVERIFY(config.mayReadMetrics(QHostAddress(u"127.0.0.9"_s))); // default kept
        QVERIFY(config.set(u"metrics_allow"_s, u"10.1.2.3/8, ::ffff:192.0.2.7"_s, &error));
        QCOMPARE(config.metricsAllow.toString(), u"10.0.0.0/8, 192.0.2.7"_s);
        QVERIFY(config.mayReadMetrics(QHostAddress(u"::ffff:10.200.0.1"_s)));
        QVERIFY(!config.mayReadMetrics(QHostAddress(u"127.0.0.1"_s)));
    }
};

QTEST_GUILESS_MAIN(TestTrustedProxies)
#include "tst_trustedproxies.moc"
