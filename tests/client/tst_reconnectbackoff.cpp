// SPDX-License-Identifier: GPL-3.0-or-later
// Reconnect delays: doubling from the initial delay to the cap, ±20 % jitter, and a reset
// only after a connection that stayed up.
#include "net/reconnectbackoff.h"

#include <QtTest>

using confab::client::ReconnectBackoff;

class TestReconnectBackoff : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void doublesUpToTheCapWithoutJitter()
    {
        ReconnectBackoff b(1000, 60000, 30000);
        b.setRandom([] { return 0.5; }); // jitter factor exactly 1.0
        const QList<int> expected {1000, 2000, 4000, 8000, 16000, 32000, 60000, 60000, 60000};
        for (int want : expected)
            QCOMPARE(b.nextDelayMs(), want);
        // Many more attempts must not overflow.
        for (int i = 0; i < 100; ++i)
            QCOMPARE(b.nextDelayMs(), 60000);
    }

    void jitterStaysWithinTwentyPercent()
    {
        ReconnectBackoff low(1000, 60000);
        low.setRandom([] { return 0.0; });
        QCOMPARE(low.nextDelayMs(), 800);
        ReconnectBackoff high(1000, 60000);
        high.setRandom([] { return 0.999999; });
        QCOMPARE(high.nextDelayMs(), 1200);

        // The real random source: every delay within ±20 %, and not all the same.
        ReconnectBackoff real(1000, 60000);
        QSet<int> seen;
        for (int i = 0; i < 50; ++i) {
            real.reset();
            const int d = real.nextDelayMs();
            QVERIFY2(d >= 800 && d <= 1200, qPrintable(QString::number(d)));
            seen.insert(d);
        }
        QVERIFY(seen.size() > 5);
    }

    void resetsOnlyAfterAStableConnection()
    {
        ReconnectBackoff b(1000, 60000, 30000);
        b.setRandom([] { return 0.5; });
        QCOMPARE(b.nextDelayMs(), 1000);
        QCOMPARE(b.nextDelayMs(), 2000);
        // Up for 5 s only: a flapping server keeps the long delays.
        b.connected(10'000);
        b.disconnected(15'000);
        QCOMPARE(b.nextDelayMs(), 4000);
        // Up for 30 s: back to the start.
        b.connected(20'000);
        b.disconnected(50'000);
        QCOMPARE(b.nextDelayMs(), 1000);
        // A disconnect without a connection in between changes nothing.
        b.disconnected(90'000);
        QCOMPARE(b.nextDelayMs(), 2000);
    }

    void jumpToMaxForAHardBackOff()
    {
        ReconnectBackoff b(1000, 60000);
        b.setRandom([] { return 0.5; });
        b.jumpToMax();
        QCOMPARE(b.nextDelayMs(), 60000);
        b.reset();
        QCOMPARE(b.nextDelayMs(), 1000);
    }

    void smallTestBoundsAreHonoured()
    {
        ReconnectBackoff b(50, 200);
        b.setRandom([] { return 0.5; });
        QCOMPARE(b.nextDelayMs(), 50);
        QCOMPARE(b.nextDelayMs(), 100);
        QCOMPARE(b.nextDelayMs(), 200);
        QCOMPARE(b.nextDelayMs(), 200);
    }
};

QTEST_GUILESS_MAIN(TestReconnectBackoff)
#include "tst_reconnectbackoff.moc"
