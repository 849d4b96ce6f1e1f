// SPDX-License-Identifier: GPL-3.0-or-later
// The sign-in page's list of servers nearby, fed real UDP datagrams on 127.0.0.1 (a test
// port, so that it runs beside anything on the real beacon port): rows appear, change in
// place, and go on bye or silence. The second source, mDNS (protocol §19.5), is fed as
// MdnsBrowser feeds it: one row per server id whichever sources list it. Multicast between
// machines: tests/process/lan_beacon_netns.sh and lan_mdns_netns.sh.
#include "lan/beaconmembership.h"
#include "lan/beaconpacket.h"
#include "lan/fingerprint.h"
#include "lan/mdnsrecord.h"
#include "lan/nearbyservers.h"

#include <QAbstractItemModelTester>
#include <QNetworkDatagram>
#include <QSignalSpy>
#include <QTest>
#include <QUdpSocket>
#include <QUuid>

using namespace Qt::StringLiterals;
using confab::client::NearbyServers;
using confab::lan::BeaconPacket;
using confab::lan::MdnsRecord;

namespace {

const QString IdA = u"6d3f0c52-6f8e-4b8a-9a43-7e1f0c2d9b11"_s;
const QString IdB = u"0b5e7a1c-2d3f-4e5a-8b6c-7d8e9f0a1b2c"_s;
const QString Fp = u"5e0b9ad3c1f24e7a8b6d0c3f9e2a71b4d8c6e5f30a1b2c3d4e5f60718293a4b5"_s;

quint16 freeUdpPort()
{
    QUdpSocket probe;
    probe.bind(QHostAddress::AnyIPv4, 0);
    return probe.localPort();
}

// A server sending from one loopback address (127.0.0.1, .2, ...).
class FakeServer
{
public:
    FakeServer(const QHostAddress &from, quint16 beaconPort)
        : m_port(beaconPort)
    {
        m_socket.bind(from, 0);
    }
    void send(const BeaconPacket &packet) { send(confab::lan::encodeBeacon(packet)); }
    void send(const QByteArray &datagram)
    {
        QVERIFY(!datagram.isEmpty());
        m_socket.writeDatagram(datagram, QHostAddress::LocalHost, m_port);
    }

private:
    QUdpSocket m_socket;
    quint16 m_port;
};

MdnsRecord mdnsRecord(const QString &id, const QString &name, const QString &fingerprint)
{
    MdnsRecord record;
    record.version = 1;
    record.id = id;
    record.name = name;
    record.fingerprint = fingerprint;
    return record;
}

} // namespace

class TestNearbyServers : public QObject
{
    Q_OBJECT

private:
    std::unique_ptr<NearbyServers> makeModel(quint16 port)
    {
        auto model = std::make_unique<NearbyServers>();
        new QAbstractItemModelTester(
            model.get(), QAbstractItemModelTester::FailureReportingMode::QtTest, model.get());
        model->setBeaconPort(port);
        // Whatever avahi-daemon on this machine finds must not add rows to these tests.
        model->setUseMdns(false);
        return model;
    }

private Q_SLOTS:
    void rowsFollowAnnouncements()
    {
        const quint16 port = freeUdpPort();
        auto model = makeModel(port);
        QSignalSpy count(model.get(), &NearbyServers::countChanged);
        QSignalSpy changed(model.get(), &QAbstractItemModel::dataChanged);
        QSignalSpy reset(model.get(), &QAbstractItemModel::modelReset);
        model->setActive(true);
        QVERIFY(model->isActive());

        FakeServer one(QHostAddress(u"127.0.0.1"_s), port);
        one.send(BeaconPacket::announce(IdA, u"Workshop"_s, 8747, Fp, 3));
        QTRY_COMPARE(model->count(), 1);
        QCOMPARE(count.size(), 1);
        const QModelIndex row = model->index(0);
        QCOMPARE(row.data(NearbyServers::ServerIdRole).toString(), IdA);
        QCOMPARE(row.data(NearbyServers::NameRole).toString(), u"Workshop"_s);
        QCOMPARE(row.data(NearbyServers::HostRole).toString(), u"127.0.0.1"_s);
        QCOMPARE(row.data(NearbyServers::PortRole).toInt(), 8747);
        QCOMPARE(row.data(NearbyServers::UrlRole).toString(), u"wss://127.0.0.1:8747"_s);
        QCOMPARE(row.data(NearbyServers::SecureRole).toBool(), true);
        QCOMPARE(row.data(NearbyServers::FingerprintRole).toString(), Fp);
        QCOMPARE(row.data(NearbyServers::ShortCodeRole).toString(), confab::lan::shortCode(Fp));
        QCOMPARE(row.data(NearbyServers::UsersOnlineRole).toInt(), 3);
        QCOMPARE(model->roleNames().value(NearbyServers::UsersOnlineRole), "usersOnline"_ba);

        // The same announcement again changes nothing; a new count changes that role only.
        one.send(BeaconPacket::announce(IdA, u"Workshop"_s, 8747, Fp, 3));
        one.send(BeaconPacket::announce(IdA, u"Workshop"_s, 8747, Fp, 4));
        QTRY_COMPARE(changed.size(), 1);
        QCOMPARE(
            changed.at(0).at(2).value<QList<int>>(), QList<int> {NearbyServers::UsersOnlineRole});
        QCOMPARE(row.data(NearbyServers::UsersOnlineRole).toInt(), 4);

        // Heard from another address: still one row, at the newest address.
        FakeServer elsewhere(QHostAddress(u"127.0.0.2"_s), port);
        elsewhere.send(BeaconPacket::announce(IdA, u"Workshop"_s, 8747, Fp, 4));
        QTRY_COMPARE(row.data(NearbyServers::HostRole).toString(), u"127.0.0.2"_s);
        QCOMPARE(model->count(), 1);
        QCOMPARE(row.data(NearbyServers::UrlRole).toString(), u"wss://127.0.0.2:8747"_s);

        // A second server, plain ws://.
        FakeServer two(QHostAddress(u"127.0.0.3"_s), port);
        two.send(BeaconPacket::announce(IdB, u"Ship"_s, 9000, {}, 0));
        QTRY_COMPARE(model->count(), 2);
        const QModelIndex second = model->index(1);
        QCOMPARE(second.data(NearbyServers::UrlRole).toString(), u"ws://127.0.0.3:9000"_s);
        QCOMPARE(second.data(NearbyServers::SecureRole).toBool(), false);
        QCOMPARE(second.data(NearbyServers::ShortCodeRole).toString(), QString());

        // A bye takes back the address it comes from only; the row goes with the last.
        one.send(BeaconPacket::bye(IdA));
        QTRY_COMPARE(model->urlsOf(IdA), QList<QUrl> {QUrl(u"wss://127.0.0.2:8747"_s)});
        QCOMPARE(model->count(), 2);
        elsewhere.send(BeaconPacket::bye(IdA));
        QTRY_COMPARE(model->count(), 1);
        QCOMPARE(model->index(0).data(NearbyServers::ServerIdRole).toString(), IdB);
        QCOMPARE(reset.size(), 0);

        // Closing the list forgets everything and stops listening.
        model->setActive(false);
        QCOMPARE(model->count(), 0);
        two.send(BeaconPacket::announce(IdA, u"Workshop"_s, 8747, Fp, 3));
        QTest::qWait(100);
        QCOMPARE(model->count(), 0);
        // And opening it again listens again.
        model->setActive(true);
        two.send(BeaconPacket::announce(IdA, u"Workshop"_s, 8747, Fp, 3));
        QTRY_COMPARE(model->count(), 1);
    }

    // Every address an id is announced from is kept for urlsOf() (the newest shown), so
    // that someone announcing a server's id elsewhere does not push its own address out;
    // up to four, the least recently heard going first, each forgotten after its silence.
    void everyAnnouncedAddressIsKept()
    {
        const quint16 port = freeUdpPort();
        auto model = makeModel(port);
        model->setForgetAfter(std::chrono::milliseconds(600));
        model->setActive(true);
        const auto url
            = [](int host, int port) { return QUrl(u"wss://127.0.0.%1:%2"_s.arg(host).arg(port)); };
        FakeServer real(QHostAddress(u"127.0.0.1"_s), port);
        real.send(BeaconPacket::announce(IdA, u"Workshop"_s, 8747, Fp, 1));
        QTRY_COMPARE(model->count(), 1);
        FakeServer forger(QHostAddress(u"127.0.0.5"_s), port);
        forger.send(BeaconPacket::announce(IdA, u"Workshop"_s, 9999, Fp, 1));
        QTRY_COMPARE(model->urlsOf(IdA), (QList<QUrl> {url(5, 9999), url(1, 8747)}));
        QCOMPARE(model->index(0).data(NearbyServers::HostRole).toString(), u"127.0.0.5"_s);
        real.send(BeaconPacket::announce(IdA, u"Workshop"_s, 8747, Fp, 1));
        QTRY_COMPARE(model->urlsOf(IdA), (QList<QUrl> {url(1, 8747), url(5, 9999)}));
        QCOMPARE(model->count(), 1);

        std::vector<std::unique_ptr<FakeServer>> more;
        for (int host : {6, 7, 8}) {
            more.push_back(
                std::make_unique<FakeServer>(QHostAddress(u"127.0.0.%1"_s.arg(host)), port));
            more.back()->send(BeaconPacket::announce(IdA, u"Workshop"_s, 9999, Fp, 1));
            QTRY_COMPARE(model->urlsOf(IdA).value(0), url(host, 9999));
        }
        QCOMPARE(model->urlsOf(IdA),
            (QList<QUrl> {url(8, 9999), url(7, 9999), url(6, 9999), url(1, 8747)}));

        // Only the real server goes on: the others fall silent and are forgotten.
        QVERIFY(QTest::qWaitFor(
            [&] {
                real.send(BeaconPacket::announce(IdA, u"Workshop"_s, 8747, Fp, 1));
                QTest::qWait(100);
                return model->urlsOf(IdA) == QList<QUrl> {url(1, 8747)};
            },
            5000));
        QCOMPARE(model->count(), 1);
        QVERIFY(model->urlsOf(IdB).isEmpty());
    }

    void silenceForgets()
    {
        const quint16 port = freeUdpPort();
        auto model = makeModel(port);
        model->setForgetAfter(std::chrono::milliseconds(600));
        model->setActive(true);
        FakeServer one(QHostAddress(u"127.0.0.1"_s), port);
        FakeServer two(QHostAddress(u"127.0.0.2"_s), port);
        one.send(BeaconPacket::announce(IdA, u"Workshop"_s, 8747, Fp, 0));
        two.send(BeaconPacket::announce(IdB, u"Ship"_s, 9000, {}, 0));
        QTRY_COMPARE(model->count(), 2);
        // B keeps announcing, A falls silent: only A goes.
        for (int i = 0; i < 8; ++i) {
            QTest::qWait(150);
            two.send(BeaconPacket::announce(IdB, u"Ship"_s, 9000, {}, 0));
        }
        QCOMPARE(model->count(), 1);
        QCOMPARE(model->index(0).data(NearbyServers::ServerIdRole).toString(), IdB);
        QTRY_COMPARE_WITH_TIMEOUT(model->count(), 0, 2000);
    }

    void strangersAddNothing()
    {
        const quint16 port = freeUdpPort();
        auto model = makeModel(port);
        model->setActive(true);
        FakeServer stranger(QHostAddress(u"127.0.0.1"_s), port);
        stranger.send("garbage"_ba);
        stranger.send(confab::lan::encodeBeacon(BeaconPacket::query()));
        stranger.send(QByteArray("{\"confab\":\"announce\",\"v\":1,\"id\":\"") + IdA.toLatin1()
            + "\",\"name\":\"x\",\"port\":1,\"tls\":true,\"users\":0}");
        stranger.send(QByteArray(3000, ' ')
            + confab::lan::encodeBeacon(BeaconPacket::announce(IdA, u"Padded"_s, 1, {}, 0)));
        QTest::qWait(200);
        QCOMPARE(model->count(), 0);
        // Made-up ids without end: the list stops growing.
        for (int i = 0; i < 300; ++i) {
            const QString id = QUuid::createUuid().toString(QUuid::WithoutBraces);
            stranger.send(BeaconPacket::announce(id, u"Flood"_s, 1, {}, 0));
            if (i % 50 == 0)
                QTest::qWait(20);
        }
        QTRY_COMPARE(model->count(), 256);
        QTest::qWait(100);
        QCOMPARE(model->count(), 256);
    }

    void mdnsAndBeaconAreOneRow()
    {
        const quint16 port = freeUdpPort();
        auto model = makeModel(port);
        QSignalSpy count(model.get(), &NearbyServers::countChanged);
        model->setActive(true);
        const QHostAddress mdnsHost(u"127.0.0.5"_s);

        // mDNS alone: its values, and no count of people (the TXT record has none).
        model->mdnsResolved(mdnsRecord(IdA, u"Workshop (mDNS)"_s, Fp), mdnsHost, 8747);
        QCOMPARE(model->count(), 1);
        const QModelIndex row = model->index(0);
        QCOMPARE(row.data(NearbyServers::ServerIdRole).toString(), IdA);
        QCOMPARE(row.data(NearbyServers::NameRole).toString(), u"Workshop (mDNS)"_s);
        QCOMPARE(row.data(NearbyServers::UrlRole).toString(), u"wss://127.0.0.5:8747"_s);
        QCOMPARE(row.data(NearbyServers::FingerprintRole).toString(), Fp);
        QCOMPARE(row.data(NearbyServers::UsersOnlineRole).toInt(), -1);

        // The beacon heard too: the same row, now showing the beacon's values and count.
        QSignalSpy changed(model.get(), &QAbstractItemModel::dataChanged);
        FakeServer one(QHostAddress(u"127.0.0.1"_s), port);
        one.send(BeaconPacket::announce(IdA, u"Workshop"_s, 8747, Fp, 3));
        QTRY_COMPARE(row.data(NearbyServers::UsersOnlineRole).toInt(), 3);
        QCOMPARE(model->count(), 1);
        QCOMPARE(row.data(NearbyServers::NameRole).toString(), u"Workshop"_s);
        QCOMPARE(row.data(NearbyServers::HostRole).toString(), u"127.0.0.1"_s);
        QCOMPARE(changed.size(), 1);

        // mDNS again (its resolver reports a change): the beacon's values stay shown.
        model->mdnsResolved(mdnsRecord(IdA, u"Renamed"_s, Fp), mdnsHost, 8747);
        QCOMPARE(row.data(NearbyServers::NameRole).toString(), u"Workshop"_s);
        QCOMPARE(row.data(NearbyServers::UsersOnlineRole).toInt(), 3);
        QCOMPARE(changed.size(), 1);

        // The beacon's bye: the row stays, as mDNS still lists the server, with its values.
        one.send(BeaconPacket::bye(IdA));
        QTRY_COMPARE(row.data(NearbyServers::HostRole).toString(), u"127.0.0.5"_s);
        QCOMPARE(model->count(), 1);
        QCOMPARE(row.data(NearbyServers::NameRole).toString(), u"Renamed"_s);
        QCOMPARE(row.data(NearbyServers::UsersOnlineRole).toInt(), -1);

        // The last source gone, the row goes.
        model->mdnsRemoved(IdA);
        QCOMPARE(model->count(), 0);

        // And the other way round: mDNS removed while the beacon is heard keeps the row.
        model->mdnsResolved(mdnsRecord(IdB, u"Ship"_s, {}), mdnsHost, 9000);
        FakeServer two(QHostAddress(u"127.0.0.3"_s), port);
        two.send(BeaconPacket::announce(IdB, u"Ship"_s, 9000, {}, 2));
        QTRY_COMPARE(model->index(0).data(NearbyServers::UsersOnlineRole).toInt(), 2);
        model->mdnsRemoved(IdB);
        QCOMPARE(model->count(), 1);
        QCOMPARE(model->index(0).data(NearbyServers::UrlRole).toString(), u"ws://127.0.0.3:9000"_s);
        two.send(BeaconPacket::bye(IdB));
        QTRY_COMPARE(model->count(), 0);
        // Rows came and went one at a time, never by a reset.
        QCOMPARE(count.size(), 4);
    }

    void mdnsKeepsWhatSilenceForgets()
    {
        const quint16 port = freeUdpPort();
        auto model = makeModel(port);
        model->setForgetAfter(std::chrono::milliseconds(300));
        model->setActive(true);
        model->mdnsResolved(mdnsRecord(IdA, u"Workshop"_s, Fp), QHostAddress(u"127.0.0.5"_s), 8747);
        FakeServer one(QHostAddress(u"127.0.0.1"_s), port);
        one.send(BeaconPacket::announce(IdA, u"Workshop"_s, 8747, Fp, 1));
        QTRY_COMPARE(model->index(0).data(NearbyServers::UsersOnlineRole).toInt(), 1);
        // The beacon falls silent: its part goes, mDNS's row stays.
        QTRY_COMPARE(model->index(0).data(NearbyServers::UsersOnlineRole).toInt(), -1);
        QCOMPARE(model->count(), 1);
        QCOMPARE(model->index(0).data(NearbyServers::HostRole).toString(), u"127.0.0.5"_s);
    }

    void mdnsOnlyWhileActive()
    {
        auto model = makeModel(freeUdpPort());
        model->mdnsResolved(mdnsRecord(IdA, u"Workshop"_s, Fp), QHostAddress(u"127.0.0.5"_s), 8747);
        QCOMPARE(model->count(), 0);
        model->setActive(true);
        // A removal of what is not listed adds nothing.
        model->mdnsRemoved(IdA);
        QCOMPARE(model->count(), 0);
        model->mdnsResolved(mdnsRecord(IdA, u"Workshop"_s, Fp), QHostAddress(u"127.0.0.5"_s), 8747);
        QCOMPARE(model->count(), 1);
        model->setActive(false);
        QCOMPARE(model->count(), 0);
    }

    void asksWhenActivated()
    {
        // The query goes to the multicast group, so this needs an interface that carries it.
        if (confab::lan::BeaconMembership::interfaces().isEmpty())
            QSKIP("no multicast-capable IPv4 interface here");
        const quint16 port = freeUdpPort();
        QUdpSocket server;
        QVERIFY(server.bind(
            QHostAddress::AnyIPv4, port, QUdpSocket::ShareAddress | QUdpSocket::ReuseAddressHint));
        confab::lan::BeaconMembership membership;
        QVERIFY(membership.refresh(server) > 0);
        auto model = makeModel(port);
        model->setActive(true);
        QTRY_VERIFY(server.hasPendingDatagrams());
        const QNetworkDatagram query = server.receiveDatagram();
        const auto packet = confab::lan::decodeBeacon(query.data());
        QVERIFY(packet);
        QCOMPARE(packet->kind, BeaconPacket::Kind::Query);
        // Answered to the asking socket (not the shared port): the row appears.
        QVERIFY(query.senderPort() != port);
        server.writeDatagram(
            confab::lan::encodeBeacon(BeaconPacket::announce(IdA, u"Workshop"_s, 8747, Fp, 1)),
            query.senderAddress(), quint16(query.senderPort()));
        QTRY_COMPARE(model->count(), 1);
        membership.leaveAll(server);
    }
};

QTEST_GUILESS_MAIN(TestNearbyServers)
#include "tst_nearbyservers.moc"
