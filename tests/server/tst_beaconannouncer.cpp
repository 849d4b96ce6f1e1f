// SPDX-License-Identifier: GPL-3.0-or-later
// The server's beacon (protocol §19.3) over real UDP sockets on 127.0.0.1: queries get an
// answer at once and to the asker's own port, but never more than the rate limit allows,
// and nothing a stranger sends stops it. Multicast itself is tested between two network
// namespaces (tests/process/lan_beacon_netns.sh).
#include "lan/beaconannouncer.h"

#include <QElapsedTimer>
#include <QNetworkDatagram>
#include <QSignalSpy>
#include <QTest>
#include <QUdpSocket>

using namespace Qt::StringLiterals;
using confab::lan::BeaconPacket;
using confab::server::BeaconAnnouncer;

namespace {

const QString Id = u"6d3f0c52-6f8e-4b8a-9a43-7e1f0c2d9b11"_s;
const QString Fp = u"5e0b9ad3c1f24e7a8b6d0c3f9e2a71b4d8c6e5f30a1b2c3d4e5f60718293a4b5"_s;

quint16 freeUdpPort()
{
    QUdpSocket probe;
    probe.bind(QHostAddress::LocalHost, 0);
    return probe.localPort();
}

BeaconAnnouncer::Settings settings(quint16 beaconPort)
{
    BeaconAnnouncer::Settings s;
    s.id = Id;
    s.name = u"Workshop"_s;
    s.port = 8747;
    s.fingerprint = Fp;
    s.beaconPort = beaconPort;
    return s;
}

// An app asking: its own socket, as NearbyServers does.
class Asker
{
public:
    explicit Asker(quint16 beaconPort)
        : m_port(beaconPort)
    {
        m_socket.bind(QHostAddress::LocalHost, 0);
    }
    void send(const QByteArray &datagram)
    {
        m_socket.writeDatagram(datagram, QHostAddress::LocalHost, m_port);
    }
    void query() { send(confab::lan::encodeBeacon(BeaconPacket::query())); }
    //! Every datagram that arrives within \a ms.
    QList<QByteArray> collect(int ms)
    {
        QList<QByteArray> got;
        QElapsedTimer timer;
        timer.start();
        while (timer.elapsed() < ms) {
            QTest::qWait(10);
            while (m_socket.hasPendingDatagrams())
                got << m_socket.receiveDatagram().data();
        }
        return got;
    }
    std::optional<BeaconPacket> answer(int ms)
    {
        QElapsedTimer timer;
        timer.start();
        while (!m_socket.hasPendingDatagrams() && timer.elapsed() < ms)
            QTest::qWait(5);
        if (!m_socket.hasPendingDatagrams())
            return std::nullopt;
        return confab::lan::decodeBeacon(m_socket.receiveDatagram().data());
    }

private:
    QUdpSocket m_socket;
    quint16 m_port;
};

} // namespace

class TestBeaconAnnouncer : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void answersAQueryAtOnce()
    {
        const quint16 port = freeUdpPort();
        int users = 7;
        BeaconAnnouncer announcer(settings(port), [&users] { return users; });
        QString error;
        QVERIFY2(announcer.start(&error), qPrintable(error));
        Asker asker(port);
        QElapsedTimer took;
        took.start();
        asker.query();
        auto answer = asker.answer(2000);
        QVERIFY(answer);
        QVERIFY2(took.elapsed() < 500, "an answer waited for the next announcement");
        QCOMPARE(answer->kind, BeaconPacket::Kind::Announce);
        QCOMPARE(answer->id, Id);
        QCOMPARE(answer->name, u"Workshop"_s);
        QCOMPARE(answer->port, 8747);
        QVERIFY(answer->tls);
        QCOMPARE(answer->fingerprint, Fp);
        QCOMPARE(answer->usersOnline, 7);
        // Counted when asked, not when started.
        users = 2;
        asker.query();
        answer = asker.answer(2000);
        QVERIFY(answer);
        QCOMPARE(answer->usersOnline, 2);
    }

    void plainServerAnnouncesNoFingerprint()
    {
        const quint16 port = freeUdpPort();
        auto s = settings(port);
        s.fingerprint.clear();
        BeaconAnnouncer announcer(s, [] { return 0; });
        QString error;
        QVERIFY(announcer.start(&error));
        Asker asker(port);
        asker.query();
        const auto answer = asker.answer(2000);
        QVERIFY(answer);
        QVERIFY(!answer->tls);
        QVERIFY(answer->fingerprint.isEmpty());
    }

    void answersAreRateLimited()
    {
        const quint16 port = freeUdpPort();
        BeaconAnnouncer announcer(settings(port), [] { return 0; });
        QString error;
        QVERIFY(announcer.start(&error));
        Asker asker(port);
        for (int i = 0; i < 200; ++i)
            asker.query();
        // A burst of 10, then 10 a second: ~20 in a second, never 200.
        const auto answers = asker.collect(1000);
        QVERIFY2(answers.size() >= 10, qPrintable(QString::number(answers.size())));
        QVERIFY2(answers.size() <= 22, qPrintable(QString::number(answers.size())));
        // Each answer is at most ~10 times the query that caused it (the amplification
        // bound the header promises), here with a short name.
        const qsizetype query = confab::lan::encodeBeacon(BeaconPacket::query()).size();
        for (const QByteArray &answer : answers)
            QVERIFY(answer.size() <= 10 * query);
    }

    void strangersGetNothing()
    {
        const quint16 port = freeUdpPort();
        BeaconAnnouncer announcer(settings(port), [] { return 0; });
        QString error;
        QVERIFY(announcer.start(&error));
        Asker asker(port);
        asker.send("garbage");
        asker.send(QByteArray(4000, '{'));
        asker.send(R"({"confab":"query","v":"1"})"_ba);
        // An oversize query: valid JSON and a valid query, padded past 1024 bytes.
        asker.send(R"({"confab":"query","v":1,"pad":")"_ba + QByteArray(1100, 'x') + R"("})"_ba);
        asker.send(confab::lan::encodeBeacon(BeaconPacket::bye(Id)));
        asker.send(confab::lan::encodeBeacon(BeaconPacket::announce(Id, u"Impostor"_s, 1, {}, 0)));
        QCOMPARE(asker.collect(300).size(), 0);
        // And it still answers a real one.
        asker.query();
        QVERIFY(asker.answer(2000));
    }

    void stoppedIsSilent()
    {
        const quint16 port = freeUdpPort();
        BeaconAnnouncer announcer(settings(port), [] { return 0; });
        QString error;
        QVERIFY(announcer.start(&error));
        QVERIFY(announcer.isRunning());
        announcer.stop();
        announcer.stop();
        QVERIFY(!announcer.isRunning());
        Asker asker(port);
        asker.query();
        QCOMPARE(asker.collect(300).size(), 0);
    }

    void refusesWhatItCannotAnnounce()
    {
        const quint16 port = freeUdpPort();
        auto s = settings(port);
        s.name = u"tab\there"_s;
        BeaconAnnouncer announcer(s, [] { return 0; });
        QString error;
        QVERIFY(!announcer.start(&error));
        QVERIFY2(error.contains(u"name"_s), qPrintable(error));
        QVERIFY(!announcer.isRunning());
        // Listening on loopback only: an announcement would send people nowhere.
        auto local = settings(port);
        local.listen = QHostAddress::LocalHost;
        BeaconAnnouncer loopback(local, [] { return 0; });
        QVERIFY(!loopback.start(&error));
        QVERIFY2(error.contains(u"127.0.0.1"_s), qPrintable(error));
    }
};

QTEST_GUILESS_MAIN(TestBeaconAnnouncer)
#include "tst_beaconannouncer.moc"
