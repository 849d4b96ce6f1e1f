// SPDX-License-Identifier: GPL-3.0-or-later
// An invite link pasted into the sign-in page: the form gets the address and the code, and
// the server at that address is expected to show the link's key; a damaged link changes
// nothing.
#include "net/pinstore.h"
#include "session/joinlinks.h"
#include "session/servertrust.h"

#include <QSettings>
#include <QTemporaryDir>
#include <QtTest>

using namespace Qt::StringLiterals;
using namespace confab::client;

namespace {
const QString Fingerprint = u"5e0b9ad3c1f24e7a8b6d0c3f9e2a71b4d8c6e5f30a1b2c3d4e5f60718293a4b5"_s;
} // namespace

class TestJoinLinks : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void aValidLinkFillsTheFormAndExpectsItsKey()
    {
        QTemporaryDir dir;
        QSettings settings(dir.filePath(u"pins.ini"_s), QSettings::IniFormat);
        PinStore pins(&settings);
        ServerTrust trust(&pins);
        JoinLinks links(&trust);
        const QString text = u"confab://192.168.1.20:9000/join?fp="_s + Fingerprint
            + u"&name=Workshop&invite=k3J9x"_s;
        QVERIFY(JoinLinks::isJoinLink(text));
        const QVariantMap form = links.use(text);
        QCOMPARE(form.value(u"url"_s).toString(), u"wss://192.168.1.20:9000"_s);
        QCOMPARE(form.value(u"invite"_s).toString(), u"k3J9x"_s);
        QCOMPARE(form.value(u"name"_s).toString(), u"Workshop"_s);
        QCOMPARE(trust.invitedFingerprint(QUrl(u"wss://192.168.1.20:9000"_s)), Fingerprint);
    }

    void aDamagedLinkChangesNothing()
    {
        QTemporaryDir dir;
        QSettings settings(dir.filePath(u"pins.ini"_s), QSettings::IniFormat);
        PinStore pins(&settings);
        ServerTrust trust(&pins);
        JoinLinks links(&trust);
        const QString damaged = u"confab://192.168.1.20:9000/join?fp="_s + Fingerprint.left(40);
        QVERIFY(JoinLinks::isJoinLink(damaged));
        QVERIFY(links.use(damaged).isEmpty());
        QVERIFY(trust.invitedFingerprint(QUrl(u"wss://192.168.1.20:9000"_s)).isEmpty());
        // A message link is not an invite.
        QVERIFY(!JoinLinks::isJoinLink(u"confab://192.168.1.20:9000/room/3/7"_s));
    }
};

QTEST_GUILESS_MAIN(TestJoinLinks)
#include "tst_joinlinks.moc"
