// SPDX-License-Identifier: GPL-3.0-or-later
// The sign-in gate's arithmetic: parallel attempts count against the allowance, addresses
// are limited on their own, and failing addresses leave half of the hashing pool to others.
// The same rules against the real server are in tst_accounts.
#include "auth/signingate.h"

#include <QtTest>

using namespace Qt::StringLiterals;
using confab::server::LoginThrottle;
using confab::server::SignInGate;
using Refusal = SignInGate::Refusal;

namespace {
const QHostAddress Attacker(u"192.0.2.1"_s);
const QHostAddress Office(u"198.51.100.7"_s);
} // namespace

class TestSignInGate : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void parallelAttemptsGetAsManyChecksAsSequentialOnes()
    {
        LoginThrottle sequential(5);
        int checkedOneByOne = 0;
        for (int i = 0; i < 40; ++i) {
            if (sequential.begin(u"ana"_s, 0) == 0) {
                ++checkedOneByOne;
                sequential.recordFailure(u"ana"_s, 0);
            }
        }
        QCOMPARE(checkedOneByOne, 6); // 5 free failures, then the 6th blocks

        LoginThrottle parallel(5);
        int admitted = 0;
        for (int i = 0; i < 40; ++i)
            admitted += parallel.begin(u"Ana"_s, 0) == 0 ? 1 : 0;
        QCOMPARE(admitted, checkedOneByOne);
        QCOMPARE(parallel.begin(u"ana"_s, 0), LoginThrottle::InFlightWaitMs);
        for (int i = 0; i < admitted; ++i)
            parallel.recordFailure(u"ana"_s, 0);
        QCOMPARE(parallel.retryAfter(u"ana"_s, 0), 1000); // the block, as after 6 in a row
    }

    void successClearsTheNameButKeepsCountingOthersInFlight()
    {
        LoginThrottle t(1);
        QCOMPARE(t.begin(u"bob"_s, 0), 0);
        QCOMPARE(t.begin(u"bob"_s, 0), 0);
        QCOMPARE(t.begin(u"bob"_s, 0), LoginThrottle::InFlightWaitMs);
        t.recordSuccess(u"bob"_s);
        QCOMPARE(t.begin(u"bob"_s, 0), 0); // one in flight + this one = the allowance
        QCOMPARE(t.begin(u"bob"_s, 0), LoginThrottle::InFlightWaitMs);
        t.abandon(u"bob"_s);
        t.abandon(u"bob"_s);
        QCOMPARE(t.size(), 0);
    }

    void loginStormIsLimitedPerName()
    {
        SignInGate gate({5, 1000, 1000});
        int admitted = 0;
        for (int i = 0; i < 40; ++i) {
            const auto d = gate.admitLogin(u"victim"_s, Attacker, 0);
            if (d)
                ++admitted;
            else
                QCOMPARE(*d.refusal, Refusal::Name);
        }
        QCOMPARE(admitted, 6);
    }

    void oneAddressGuessingManyNamesIsLimited()
    {
        SignInGate gate({5, 30, 1000});
        int checked = 0;
        for (int i = 0; i < 200; ++i) {
            const QString name = u"user%1"_s.arg(i);
            const auto d = gate.admitLogin(name, Attacker, 0);
            if (!d) {
                QCOMPARE(*d.refusal, Refusal::Address);
                continue;
            }
            ++checked;
            gate.failed(name, Attacker, 0);
        }
        QCOMPARE(checked, 31); // the address allowance, then the address waits
        QVERIFY(gate.admitLogin(u"ana"_s, Office, 0)); // others are not affected
    }

    void oneAddressTakesAtMostAQuarterOfThePool()
    {
        SignInGate gate({5, 1000, 16});
        int admitted = 0;
        for (int i = 0; i < 16; ++i)
            admitted += gate.admitLogin(u"u%1"_s.arg(i), Attacker, 0) ? 1 : 0;
        QCOMPARE(admitted, 4);
        QCOMPARE(gate.hashesInFlight(), 4);
        const auto d = gate.admitRegistration(Attacker, 0);
        QVERIFY(!d);
        QCOMPARE(*d.refusal, Refusal::Address);
        QCOMPARE(d.retryAfterMs, SignInGate::BusyRetryMs);
    }

    void failingAddressesLeaveHalfThePoolToOthers()
    {
        SignInGate gate({5, 1000, 16});
        // Eight attacking addresses, each with a failure on record, fill what they may.
        QList<QHostAddress> attackers;
        for (int i = 1; i <= 8; ++i) {
            attackers.append(QHostAddress(u"203.0.113.%1"_s.arg(i)));
            QVERIFY(gate.admitLogin(u"x"_s + QString::number(i), attackers.last(), 0));
            gate.failed(u"x"_s + QString::number(i), attackers.last(), 0);
        }
        int admitted = 0;
        for (int round = 0; round < 4; ++round) {
            for (const QHostAddress &a : attackers)
                admitted += gate.admitLogin(a.toString() + QString::number(round), a, 0) ? 1 : 0;
        }
        QCOMPARE(admitted, 8); // half of 16
        QCOMPARE(gate.hashesInFlight(), 8);
        // A real user from a clean address still gets a check, and so do seven more.
        for (int i = 0; i < 8; ++i)
            QVERIFY(
                gate.admitLogin(u"real%1"_s.arg(i), QHostAddress(u"10.0.0.%1"_s.arg(i + 1)), 0));
        const auto full = gate.admitLogin(u"late"_s, Office, 0);
        QVERIFY(!full);
        QCOMPARE(*full.refusal, Refusal::Busy);
        // Releasing a failing slot lets a failing address in again, not more.
        gate.failed(attackers.first().toString() + u"0"_s, attackers.first(), 0);
        QVERIFY(gate.admitLogin(u"y9"_s, attackers.at(1), 0));
    }

    void addressSuccessDoesNotResetItsFailures()
    {
        SignInGate gate({1000, 2, 1000});
        for (int i = 0; i < 3; ++i) {
            QVERIFY(gate.admitLogin(u"n%1"_s.arg(i), Attacker, 0));
            gate.failed(u"n%1"_s.arg(i), Attacker, 0);
        }
        QVERIFY(!gate.admitLogin(u"mine"_s, Attacker, 0)); // blocked for 1 s
        QVERIFY(gate.admitLogin(u"mine"_s, Attacker, 1000));
        gate.succeeded(u"mine"_s, Attacker);
        const auto d = gate.admitLogin(u"n9"_s, Attacker, 1000);
        QVERIFY(d); // the block has passed
        gate.failed(u"n9"_s, Attacker, 1000);
        const auto again = gate.admitLogin(u"n10"_s, Attacker, 1000);
        QVERIFY(!again);
        QCOMPARE(again.retryAfterMs, 2000); // the doubling went on: the success cleared nothing
    }

    void ipv4MappedAddressesAreTheSameClient()
    {
        SignInGate gate({1000, 0, 1000});
        QVERIFY(gate.admitLogin(u"a"_s, QHostAddress(u"::ffff:192.0.2.1"_s), 0));
        gate.failed(u"a"_s, QHostAddress(u"::ffff:192.0.2.1"_s), 0);
        const auto d = gate.admitLogin(u"b"_s, Attacker, 0);
        QVERIFY(!d);
        QCOMPARE(*d.refusal, Refusal::Address);
    }
};

QTEST_GUILESS_MAIN(TestSignInGate)
#include "tst_signingate.moc"
