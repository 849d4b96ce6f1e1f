// SPDX-License-Identifier: GPL-3.0-or-later
// Who is online on the other instances (chat/remotepresence.h): changes, a whole list
// after a doorbell was away, and instances that stop being heard from.
#include "chat/remotepresence.h"

#include <QtTest>

using confab::server::RemotePresence;

class TestRemotePresence : public QObject
{
    Q_OBJECT

    using Changes = RemotePresence::Changes;

private Q_SLOTS:
    void aUserIsOnlineWhileAnyInstanceHasThem()
    {
        RemotePresence p;
        QCOMPARE(p.set(1, 10, true, 0), (Changes {{10, true}}));
        QCOMPARE(p.set(2, 10, true, 0), Changes {});
        QVERIFY(p.isOnline(10));
        QCOMPARE(p.set(1, 10, false, 0), Changes {});
        QVERIFY(p.isOnline(10));
        QCOMPARE(p.set(2, 10, false, 0), (Changes {{10, false}}));
        QVERIFY(!p.isOnline(10));
        // Told twice is counted once.
        QCOMPARE(p.set(1, 11, true, 0), (Changes {{11, true}}));
        QCOMPARE(p.set(1, 11, true, 0), Changes {});
        QCOMPARE(p.set(1, 11, false, 0), (Changes {{11, false}}));
    }

    void aWholeListReplacesWhatWasMissed()
    {
        RemotePresence p;
        p.set(1, 10, true, 0);
        p.set(1, 11, true, 0);
        p.begin(1, 100);
        QCOMPARE(p.set(1, 11, true, 100), Changes {});
        QCOMPARE(p.set(1, 12, true, 100), (Changes {{12, true}}));
        // 10 went offline while the offline note was lost.
        QCOMPARE(p.end(1, 100), (Changes {{10, false}}));
        QVERIFY(!p.isOnline(10));
        QVERIFY(p.isOnline(11) && p.isOnline(12));
        // An end without a begin changes nothing.
        QCOMPARE(p.end(1, 100), Changes {});
    }

    void anInstanceNotHeardFromIsGone()
    {
        RemotePresence p;
        p.set(1, 10, true, 0);
        p.set(2, 10, true, 0);
        p.set(2, 20, true, 0);
        p.heard(1, 9000);
        QCOMPARE(p.expire(10000, 5000), (Changes {{20, false}}));
        QVERIFY(p.isOnline(10));
        QCOMPARE(p.expire(20000, 5000), (Changes {{10, false}}));
        QVERIFY(!p.isOnline(10));
    }
};

QTEST_GUILESS_MAIN(TestRemotePresence)
#include "tst_remotepresence.moc"
