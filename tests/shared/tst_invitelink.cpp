// SPDX-License-Identifier: GPL-3.0-or-later
// Invite links (protocol §19.4): they round-trip whatever a name or code holds, and
// anything else pasted into the field is refused rather than half understood.
#include "lan/invitelink.h"

#include <QtTest>

using namespace Qt::StringLiterals;
using confab::lan::InviteLink;

namespace {
const QString Fingerprint = u"5e0b9ad3c1f24e7a8b6d0c3f9e2a71b4d8c6e5f30a1b2c3d4e5f60718293a4b5"_s;
const QString Id = u"6d3f0c52-6f8e-4b8a-9a43-7e1f0c2d9b11"_s;
} // namespace

class TestInviteLink : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void roundTripsEveryMember()
    {
        InviteLink link;
        link.host = u"192.168.1.20"_s;
        link.port = 9000;
        link.fingerprint = Fingerprint;
        link.serverId = Id;
        link.name = u"Ana & Bea's = +chat/ü #1"_s;
        link.invite = u"x7&y=z+%"_s;
        const QString text = link.toString();
        QVERIFY2(text.startsWith(u"confab://192.168.1.20:9000/join?fp="_s + Fingerprint),
            qPrintable(text));
        const auto back = InviteLink::parse(u"  "_s + text + u"\n"_s);
        QVERIFY(back);
        QCOMPARE(back->host, link.host);
        QCOMPARE(back->port, link.port);
        QCOMPARE(back->fingerprint, link.fingerprint);
        QCOMPARE(back->serverId, link.serverId);
        QCOMPARE(back->name, link.name);
        QCOMPARE(back->invite, link.invite);
        QCOMPARE(back->serverUrl(), QUrl(u"wss://192.168.1.20:9000"_s));
    }

    void theLeastLinkIsAnAddressAndAFingerprint()
    {
        const auto link = InviteLink::parse(u"confab://chat.local/join?fp="_s + Fingerprint);
        QVERIFY(link);
        QCOMPARE(link->port, quint16(8747));
        QVERIFY(link->serverId.isEmpty() && link->name.isEmpty() && link->invite.isEmpty());
        const auto v6 = InviteLink::parse(u"confab://[fe80::1]:8747/join?fp="_s + Fingerprint);
        QVERIFY(v6);
        QCOMPARE(v6->serverUrl(), QUrl(u"wss://[fe80::1]:8747"_s));
    }

    void refusesWhatIsNotALink_data()
    {
        QTest::addColumn<QString>("text");
        const QString fp = u"join?fp="_s + Fingerprint;
        QTest::newRow("empty") << QString();
        QTest::newRow("another scheme") << u"wss://192.168.1.20:8747/"_s + fp;
        QTest::newRow("no fingerprint") << u"confab://192.168.1.20:8747/"_s;
        QTest::newRow("short fingerprint") << u"confab://h/join?fp="_s + Fingerprint.left(63);
        QTest::newRow("upper-case fingerprint") << u"confab://h/join?fp="_s + Fingerprint.toUpper();
        QTest::newRow("two fingerprints") << u"confab://h/"_s + fp + u"&fp="_s + Fingerprint;
        QTest::newRow("no host") << u"confab:///"_s + fp;
        QTest::newRow("port 0") << u"confab://h:0/"_s + fp;
        QTest::newRow("port too big") << u"confab://h:65536/"_s + fp;
        QTest::newRow("user info") << u"confab://ana@h/"_s + fp;
        QTest::newRow("another path") << u"confab://h/joins?fp="_s + Fingerprint;
        QTest::newRow("a message link") << u"confab://h:8747/room/12/4711?fp="_s + Fingerprint;
        QTest::newRow("bad id") << u"confab://h/"_s + fp + u"&id=nope"_s;
        QTest::newRow("braced id") << u"confab://h/"_s + fp + u"&id={"_s + Id + u"}"_s;
        QTest::newRow("long name") << u"confab://h/"_s + fp + u"&name="_s + QString(65, u'n');
        QTest::newRow("long invite") << u"confab://h/"_s + fp + u"&invite="_s + QString(65, u'i');
        QTest::newRow("huge") << u"confab://h/"_s + fp + u"&name="_s + QString(5000, u'n');
    }
    void refusesWhatIsNotALink()
    {
        QFETCH(QString, text);
        QVERIFY(!InviteLink::parse(text));
    }

    void tellsInviteLinksFromMessageLinks()
    {
        QVERIFY(InviteLink::looksLikeOne(u" confab://h/join?fp=nonsense"_s));
        QVERIFY(!InviteLink::looksLikeOne(u"confab://h:8747/room/12/4711"_s));
        QVERIFY(!InviteLink::looksLikeOne(u"wss://h/join"_s));
    }
};

QTEST_GUILESS_MAIN(TestInviteLink)
#include "tst_invitelink.moc"
