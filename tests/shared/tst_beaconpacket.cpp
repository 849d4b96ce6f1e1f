// SPDX-License-Identifier: GPL-3.0-or-later
// The beacon datagram (protocol §19.3): what a server sends decodes to what it meant, and
// anything else a stranger on the LAN can send decodes to nothing.
#include "lan/beaconpacket.h"
#include "protocol/protocolversion.h"

#include <QJsonDocument>
#include <QJsonObject>
#include <QTest>

using namespace Qt::StringLiterals;
using confab::lan::BeaconPacket;
using confab::lan::decodeBeacon;
using confab::lan::encodeBeacon;

namespace {

const QString Id = u"6d3f0c52-6f8e-4b8a-9a43-7e1f0c2d9b11"_s;
const QString Fp = u"5e0b9ad3c1f24e7a8b6d0c3f9e2a71b4d8c6e5f30a1b2c3d4e5f60718293a4b5"_s;

QByteArray json(const QJsonObject &object)
{
    return QJsonDocument(object).toJson(QJsonDocument::Compact);
}

QJsonObject announceObject()
{
    return QJsonObject {{u"confab"_s, u"announce"_s}, {u"v"_s, 1}, {u"id"_s, Id},
        {u"name"_s, u"Workshop"_s}, {u"port"_s, 8747}, {u"tls"_s, true}, {u"fp"_s, Fp},
        {u"users"_s, 3}};
}

} // namespace

class TestBeaconPacket : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void exactBytes()
    {
        // The documented form, byte for byte: other implementations (a phone app, a
        // script with socat) are written against docs/protocol.md §19.3.
        QCOMPARE(encodeBeacon(BeaconPacket::query()), R"({"confab":"query","v":1})"_ba);
        QCOMPARE(encodeBeacon(BeaconPacket::bye(Id)),
            R"({"confab":"bye","id":"6d3f0c52-6f8e-4b8a-9a43-7e1f0c2d9b11","v":1})"_ba);
        QCOMPARE(encodeBeacon(BeaconPacket::announce(Id, u"Workshop"_s, 8747, {}, 0)),
            R"({"confab":"announce","id":"6d3f0c52-6f8e-4b8a-9a43-7e1f0c2d9b11","name":"Workshop","port":8747,"tls":false,"users":0,"v":1})"_ba);
    }

    void roundTrip_data()
    {
        QTest::addColumn<BeaconPacket>("packet");
        QTest::newRow("query") << BeaconPacket::query();
        QTest::newRow("bye") << BeaconPacket::bye(Id);
        QTest::newRow("announce tls") << BeaconPacket::announce(Id, u"Workshop"_s, 443, Fp, 12);
        QTest::newRow("announce plain")
            << BeaconPacket::announce(Id, u"Café ☕ Bord"_s, 65535, {}, 0);
        QTest::newRow("longest name")
            << BeaconPacket::announce(Id, QString(64, QChar(0x10d2)), 1, Fp, 2147483647);
    }
    void roundTrip()
    {
        QFETCH(BeaconPacket, packet);
        QCOMPARE(packet.version, confab::protocol::Version);
        const QByteArray datagram = encodeBeacon(packet);
        QVERIFY(!datagram.isEmpty());
        QVERIFY(datagram.size() <= confab::lan::beacon::MaxDatagram);
        const std::optional<BeaconPacket> back = decodeBeacon(datagram);
        QVERIFY(back);
        QVERIFY(*back == packet);
    }

    void unknownMembersIgnored()
    {
        QJsonObject object = announceObject();
        object.insert(u"moved"_s, QJsonObject {{u"to"_s, u"x"_s}});
        object.insert(u"extra"_s, 1.5);
        const auto packet = decodeBeacon(json(object));
        QVERIFY(packet);
        QCOMPARE(packet->name, u"Workshop"_s);
        QCOMPARE(packet->fingerprint, Fp);
        QCOMPARE(packet->usersOnline, 3);
        // A later protocol version is still read: the list shows it, hello decides.
        object.insert(u"v"_s, 2);
        QCOMPARE(decodeBeacon(json(object))->version, 2);
    }

    void hostile_data()
    {
        QTest::addColumn<QByteArray>("datagram");
        const auto with = [](const QString &key, const QJsonValue &value) {
            QJsonObject object = announceObject();
            if (value.isUndefined())
                object.remove(key);
            else
                object.insert(key, value);
            return json(object);
        };
        QTest::newRow("empty") << QByteArray();
        QTest::newRow("not json") << "confab announce"_ba;
        QTest::newRow("array") << R"([{"confab":"query","v":1}])"_ba;
        QTest::newRow("truncated") << R"({"confab":"query","v":1)"_ba;
        QTest::newRow("bad utf-8") << "{\"confab\":\"query\",\"v\":1,\"x\":\"\xff\xfe\"}"_ba;
        QTest::newRow("two objects") << R"({"confab":"query","v":1}{"confab":"query","v":1})"_ba;
        QTest::newRow("unknown kind") << R"({"confab":"moved","v":1})"_ba;
        QTest::newRow("kind not string") << R"({"confab":1,"v":1})"_ba;
        QTest::newRow("no kind") << R"({"v":1})"_ba;
        QTest::newRow("no v") << R"({"confab":"query"})"_ba;
        QTest::newRow("v string") << R"({"confab":"query","v":"1"})"_ba;
        QTest::newRow("v zero") << R"({"confab":"query","v":0})"_ba;
        QTest::newRow("v fraction") << R"({"confab":"query","v":1.5})"_ba;
        QTest::newRow("v huge") << R"({"confab":"query","v":1e300})"_ba;
        QTest::newRow("bye without id") << R"({"confab":"bye","v":1})"_ba;
        QTest::newRow("bye id number") << R"({"confab":"bye","v":1,"id":7})"_ba;
        QTest::newRow("no id") << with(u"id"_s, QJsonValue::Undefined);
        QTest::newRow("id 36 chars, not a uuid")
            << with(u"id"_s, u"6d3f0c52-6f8e-4b8a-9a43-7e1f0c2d9bzz"_s);
        QTest::newRow("id 36 dashes") << with(u"id"_s, QString(36, u'-'));
        QTest::newRow("id upper case") << with(u"id"_s, Id.toUpper());
        QTest::newRow("id braces") << with(u"id"_s, u"{6d3f0c52-6f8e-4b8a-9a43-7e1f0c2d9b11}"_s);
        QTest::newRow("id nil") << with(u"id"_s, u"00000000-0000-0000-0000-000000000000"_s);
        QTest::newRow("no name") << with(u"name"_s, QJsonValue::Undefined);
        QTest::newRow("empty name") << with(u"name"_s, u""_s);
        QTest::newRow("name 65") << with(u"name"_s, QString(65, u'a'));
        QTest::newRow("name newline") << with(u"name"_s, u"Work\nshop"_s);
        QTest::newRow("name number") << with(u"name"_s, 5);
        QTest::newRow("no port") << with(u"port"_s, QJsonValue::Undefined);
        QTest::newRow("port 0") << with(u"port"_s, 0);
        QTest::newRow("port 65536") << with(u"port"_s, 65536);
        QTest::newRow("port negative") << with(u"port"_s, -1);
        QTest::newRow("port string") << with(u"port"_s, u"8747"_s);
        QTest::newRow("port fraction") << with(u"port"_s, 8747.5);
        QTest::newRow("no tls") << with(u"tls"_s, QJsonValue::Undefined);
        QTest::newRow("tls string") << with(u"tls"_s, u"true"_s);
        QTest::newRow("tls number") << with(u"tls"_s, 1);
        QTest::newRow("tls without fp") << with(u"fp"_s, QJsonValue::Undefined);
        QTest::newRow("fp non-hex") << with(u"fp"_s, QString(Fp).replace(0, 1, u'g'));
        QTest::newRow("fp upper case") << with(u"fp"_s, Fp.toUpper());
        QTest::newRow("fp short") << with(u"fp"_s, Fp.left(63));
        QTest::newRow("fp number") << with(u"fp"_s, 5);
        QJsonObject plainWithFp = announceObject();
        plainWithFp.insert(u"tls"_s, false);
        QTest::newRow("fp without tls") << json(plainWithFp);
        QTest::newRow("no users") << with(u"users"_s, QJsonValue::Undefined);
        QTest::newRow("users negative") << with(u"users"_s, -1);
        QTest::newRow("users huge") << with(u"users"_s, 1e12);
        QTest::newRow("users string") << with(u"users"_s, u"3"_s);
        // Valid JSON, valid members, padded past the limit.
        QJsonObject padded = announceObject();
        padded.insert(u"pad"_s, QString(1024, u'x'));
        QTest::newRow("oversize") << json(padded);
    }
    void hostile()
    {
        QFETCH(QByteArray, datagram);
        QVERIFY(!decodeBeacon(datagram));
    }

    void limitIsExact()
    {
        // 1024 bytes decode, 1025 do not, whatever they hold.
        const QByteArray base = json(announceObject());
        const auto padTo = [&](qsizetype size) {
            QByteArray padded = base;
            padded.insert(padded.size() - 1, ",\"pad\":\"\"");
            padded.insert(padded.size() - 2, QByteArray(size - padded.size(), 'x'));
            return padded;
        };
        QCOMPARE(padTo(1024).size(), 1024);
        QVERIFY(decodeBeacon(padTo(1024)));
        QVERIFY(!decodeBeacon(padTo(1025)));
    }

    void invalidIsNeverEncoded()
    {
        // A server with a bad name must fail loudly at start, not send what apps drop.
        QVERIFY(encodeBeacon(BeaconPacket::announce(Id, {}, 8747, {}, 0)).isEmpty());
        QVERIFY(encodeBeacon(BeaconPacket::announce(Id, u"a\tb"_s, 8747, {}, 0)).isEmpty());
        QVERIFY(encodeBeacon(BeaconPacket::announce(Id, u"x"_s, 0, {}, 0)).isEmpty());
        QVERIFY(encodeBeacon(BeaconPacket::announce(Id, u"x"_s, 1, u"abc"_s, 0)).isEmpty());
        QVERIFY(encodeBeacon(BeaconPacket::announce(Id, u"x"_s, 1, {}, -1)).isEmpty());
        QVERIFY(encodeBeacon(BeaconPacket::bye(u"not-an-id"_s)).isEmpty());
    }
};

QTEST_GUILESS_MAIN(TestBeaconPacket)
#include "tst_beaconpacket.moc"
