// SPDX-License-Identifier: GPL-3.0-or-later
// The `_confab._tcp` TXT record (protocol §19.5): what a server publishes decodes to what it
// meant, and what a stranger on the link can publish under that type decodes to nothing
// unless every field is as strict as the beacon's.
#include "lan/mdnsrecord.h"

#include <QTest>

using namespace Qt::StringLiterals;
using confab::lan::decodeMdnsTxt;
using confab::lan::encodeMdnsTxt;
using confab::lan::MdnsRecord;

namespace {

const QString Id = u"6d3f0c52-6f8e-4b8a-9a43-7e1f0c2d9b11"_s;
const QString Fp = u"5e0b9ad3c1f24e7a8b6d0c3f9e2a71b4d8c6e5f30a1b2c3d4e5f60718293a4b5"_s;

MdnsRecord record(const QString &fingerprint = Fp, const QString &name = u"Workshop"_s)
{
    MdnsRecord r;
    r.version = 1;
    r.id = Id;
    r.name = name;
    r.fingerprint = fingerprint;
    return r;
}

QList<QByteArray> valid()
{
    return {"fp=" + Fp.toLatin1(), "id=" + Id.toLatin1(), "name=Workshop", "v=1"};
}

// valid() with the string for \a key replaced by \a string (or dropped when it is empty).
QList<QByteArray> with(const QByteArray &key, const QByteArray &string)
{
    QList<QByteArray> strings = valid();
    strings.removeIf([&](const QByteArray &s) { return s.startsWith(QByteArray(key + '=')); });
    if (!string.isEmpty())
        strings << string;
    return strings;
}

} // namespace

class TestMdnsRecord : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void exactStrings()
    {
        // The documented form: other implementations (avahi-publish, a phone's Bonjour)
        // are written against docs/protocol.md §19.5.
        QCOMPARE(encodeMdnsTxt(record()), valid());
        QCOMPARE(encodeMdnsTxt(record({})),
            (QList<QByteArray> {"id=" + Id.toLatin1(), "name=Workshop", "v=1"}));
    }

    void roundTrip_data()
    {
        QTest::addColumn<MdnsRecord>("record");
        QTest::newRow("tls") << record();
        QTest::newRow("plain") << record({});
        QTest::newRow("unicode name") << record(Fp, u"Café ☕ Bord"_s);
        QTest::newRow("longest name") << record(Fp, QString(64, QChar(0x10d2)));
    }
    void roundTrip()
    {
        QFETCH(MdnsRecord, record);
        const QList<QByteArray> strings = encodeMdnsTxt(record);
        QVERIFY(!strings.isEmpty());
        const auto decoded = decodeMdnsTxt(strings);
        QVERIFY(decoded);
        QCOMPARE(*decoded, record);
        QCOMPARE(decoded->tls(), !record.fingerprint.isEmpty());
    }

    void encodeRefusesInvalid()
    {
        QVERIFY(encodeMdnsTxt(record(Fp, {})).isEmpty());
        QVERIFY(encodeMdnsTxt(record(Fp, QString(65, u'x'))).isEmpty());
        QVERIFY(encodeMdnsTxt(record(Fp.toUpper())).isEmpty());
        MdnsRecord r = record();
        r.id = Id.toUpper();
        QVERIFY(encodeMdnsTxt(r).isEmpty());
        r = record();
        r.version = 0;
        QVERIFY(encodeMdnsTxt(r).isEmpty());
    }

    void rfc6763Keys()
    {
        // Keys are case-insensitive, the first of a key counts, unknown keys and strings
        // without a key are ignored (RFC 6763 §6.4).
        QList<QByteArray> strings {"=x", "", "users=3", "ID=" + Id.toLatin1(), "Name=First",
            "name=Second", "V=1", "tls", "id=00000000-0000-4000-8000-000000000001"};
        const auto decoded = decodeMdnsTxt(strings);
        QVERIFY(decoded);
        QCOMPARE(decoded->id, Id);
        QCOMPARE(decoded->name, u"First"_s);
        QVERIFY(!decoded->tls());
        // Order does not matter.
        QList<QByteArray> reversed = valid();
        std::reverse(reversed.begin(), reversed.end());
        QCOMPARE(decodeMdnsTxt(reversed), std::optional(record()));
    }

    void strangersDecodeToNothing_data()
    {
        QTest::addColumn<QList<QByteArray>>("strings");
        QTest::newRow("empty") << QList<QByteArray> {};
        QTest::newRow("no id") << with("id", {});
        QTest::newRow("no v") << with("v", {});
        QTest::newRow("no name") << with("name", {});
        QTest::newRow("id without value") << with("id", "id");
        QTest::newRow("id empty") << with("id", "id=");
        QTest::newRow("id braces") << with("id", "id={" + Id.toLatin1() + '}');
        QTest::newRow("id uppercase") << with("id", "id=" + Id.toUpper().toLatin1());
        QTest::newRow("id nil") << with("id", "id=00000000-0000-0000-0000-000000000000");
        QTest::newRow("id latin1 lookalike")
            << with("id", "id=6d3f0c52-6f8e-4b8a-9a43-7e1f0c2d9b1\xb9");
        QTest::newRow("v zero") << with("v", "v=0");
        QTest::newRow("v leading zero") << with("v", "v=01");
        QTest::newRow("v plus") << with("v", "v=+1");
        QTest::newRow("v space") << with("v", "v= 1");
        QTest::newRow("v fraction") << with("v", "v=1.0");
        QTest::newRow("v too large") << with("v", "v=65536");
        QTest::newRow("v huge") << with("v", "v=99999999999999999999");
        QTest::newRow("v empty") << with("v", "v=");
        QTest::newRow("name empty") << with("name", "name=");
        QTest::newRow("name too long") << with("name", "name=" + QByteArray(65, 'x'));
        QTest::newRow("name newline") << with("name", "name=Work\nshop");
        QTest::newRow("name nul") << with("name", QByteArray("name=Work\0shop", 14));
        QTest::newRow("name del") << with("name", "name=Work\x7fshop");
        QTest::newRow("name C1 control") << with("name", "name=Work\xc2\x85shop");
        QTest::newRow("name bad utf-8") << with("name", "name=Caf\xe9");
        QTest::newRow("name overlong utf-8") << with("name", "name=\xc0\xaf");
        QTest::newRow("name surrogate utf-8") << with("name", "name=\xed\xa0\x80");
        QTest::newRow("fp uppercase") << with("fp", "fp=" + Fp.toUpper().toLatin1());
        QTest::newRow("fp short") << with("fp", "fp=" + Fp.left(63).toLatin1());
        QTest::newRow("fp long") << with("fp", "fp=" + Fp.toLatin1() + '0');
        QTest::newRow("fp not hex") << with("fp", "fp=" + Fp.left(63).toLatin1() + 'g');
        QTest::newRow("fp without value") << with("fp", "fp");
        QTest::newRow("fp empty") << with("fp", "fp=");
        QTest::newRow("string over 255 bytes")
            << QList<QByteArray> {valid() << "x=" + QByteArray(254, 'y')};
        QList<QByteArray> many = valid();
        for (int i = 0; i < 29; ++i)
            many << "k" + QByteArray::number(i) + "=1";
        QTest::newRow("33 strings") << many;
        QList<QByteArray> large = valid();
        for (int i = 0; i < 5; ++i)
            large << "k" + QByteArray::number(i) + '=' + QByteArray(240, 'y');
        QTest::newRow("over 1300 bytes") << large;
    }
    void strangersDecodeToNothing()
    {
        QFETCH(QList<QByteArray>, strings);
        QCOMPARE(decodeMdnsTxt(strings), std::nullopt);
    }

    void limitsAreInclusive()
    {
        // Just within each cap still decodes: the caps reject only what they name.
        QList<QByteArray> many = valid();
        for (int i = 0; i < 28; ++i)
            many << "k" + QByteArray::number(i) + "=1";
        QCOMPARE(many.size(), 32);
        QVERIFY(decodeMdnsTxt(many));
        QVERIFY(decodeMdnsTxt(valid() << "x=" + QByteArray(253, 'y')));
        QVERIFY(decodeMdnsTxt(with("v", "v=65535")));
    }

    void instanceName()
    {
        using confab::lan::mdnsInstanceName;
        QCOMPARE(mdnsInstanceName(u"Workshop"_s), "Workshop"_ba);
        QCOMPARE(mdnsInstanceName(QString(63, u'x')), QByteArray(63, 'x'));
        QCOMPARE(mdnsInstanceName(QString(64, u'x')), QByteArray(63, 'x'));
        // 21 three-byte characters are 63 bytes; the 22nd is not cut in half.
        const QString georgian(22, QChar(0x10d2));
        QCOMPARE(mdnsInstanceName(georgian), QString(21, QChar(0x10d2)).toUtf8());
        QCOMPARE(
            mdnsInstanceName(u"x"_s + georgian), (u"x"_s + QString(20, QChar(0x10d2))).toUtf8());
    }
};

QTEST_APPLESS_MAIN(TestMdnsRecord)
#include "tst_mdnsrecord.moc"
