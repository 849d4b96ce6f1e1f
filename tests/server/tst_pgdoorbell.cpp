// SPDX-License-Identifier: GPL-3.0-or-later
// The doorbell between instances on one PostgreSQL (storage/postgres/pgdoorbell.h), against
// a real throw-away cluster: a ring reaches the other instance, many rings in a burst go
// out as few NOTIFYs, and when the listener's connection is killed (pg_terminate_backend) or
// PostgreSQL restarts, it connects and LISTENs again by itself and asks for a poll, since
// rings may have been lost meanwhile.
#include "postgrescluster.h"
#include "storage/postgres/pgdoorbell.h"

#include <QSqlError>
#include <QSqlQuery>
#include <QtTest>

using namespace Qt::StringLiterals;
using namespace std::chrono_literals;
using confab::server::postgres::Doorbell;
using confab::test::PostgresCluster;

class TstPgDoorbell : public QObject
{
    Q_OBJECT

    std::unique_ptr<PostgresCluster> m_cluster;

    std::unique_ptr<Doorbell> instance(std::chrono::milliseconds poll = 300ms)
    {
        Doorbell::Options options;
        options.address.host = m_cluster->socketFolder();
        options.address.port = m_cluster->port();
        options.address.user = PostgresCluster::user();
        options.address.database = u"postgres"_s;
        options.poll = poll;
        return std::make_unique<Doorbell>(options);
    }

    static bool started(Doorbell &doorbell)
    {
        QSignalSpy listening(&doorbell, &Doorbell::listeningChanged);
        doorbell.start();
        return listening.wait(10000) && listening.at(0).at(0).toBool();
    }

    //! Waits until \a spy (of Doorbell::rang) heard \a room at \a seq.
    static bool heard(QSignalSpy &spy, qint64 room, qint64 seq, int timeoutMs = 10000)
    {
        return QTest::qWaitFor(
            [&] {
                for (const QList<QVariant> &ring : spy) {
                    if (ring.at(0).toLongLong() == room && ring.at(1).toLongLong() == seq)
                        return true;
                }
                return false;
            },
            timeoutMs);
    }

    int listeners()
    {
        int count = -1;
        {
            QSqlDatabase db = m_cluster->connect(u"admin"_s);
            const QVariant value = confab::test::queryValue(db,
                u"SELECT count(*) FROM pg_stat_activity WHERE application_name = 'confab-doorbell'"_s);
            count = value.isValid() ? value.toInt() : -1;
        }
        QSqlDatabase::removeDatabase(u"admin"_s);
        return count;
    }

private Q_SLOTS:
    void initTestCase()
    {
        const QString missing = PostgresCluster::unavailableReason();
        if (!missing.isEmpty())
            QSKIP(qPrintable(missing));
        m_cluster = std::make_unique<PostgresCluster>();
        QString error;
        QVERIFY2(m_cluster->start(&error), qPrintable(error));
    }

    void cleanup()
    {
        for (const QString &name : QSqlDatabase::connectionNames())
            QSqlDatabase::removeDatabase(name);
    }

    void payloadsRoundTripAndStayUnderTheLimit()
    {
        QHash<qint64, qint64> rings {{7, 42}, {1, 3}};
        QCOMPARE(Doorbell::payloads(rings), QStringList {u"1:3,7:42"_s});
        QCOMPARE(Doorbell::parse(u"1:3,7:42"_s), rings);
        // Notes (sessions, presence, typing) ride along after the rooms, in order.
        QCOMPARE(Doorbell::payloads(rings, {u"u9"_s, u"t1.5.1"_s}),
            QStringList {u"1:3,7:42,u9,t1.5.1"_s});
        QCOMPARE(Doorbell::parse(u"1:3,7:42,u9,t1.5.1"_s), rings);
        QCOMPARE(
            Doorbell::parseNotes(u"1:3,7:42,u9,t1.5.1"_s), (QStringList {u"u9"_s, u"t1.5.1"_s}));
        QHash<qint64, qint64> many;
        for (qint64 room = 1; room <= 2000; ++room)
            many.insert(room * 1000003, room);
        const QStringList split = Doorbell::payloads(many);
        QVERIFY(split.size() > 1);
        QHash<qint64, qint64> back;
        for (const QString &payload : split) {
            QVERIFY(payload.size() < 8000);
            back.insert(Doorbell::parse(payload));
        }
        QCOMPARE(back, many);
        for (const QString &bad :
            {u""_s, u"1"_s, u"1:"_s, u"x:1"_s, u"1:2,"_s, u"-1:2"_s, u"1:0"_s})
            QVERIFY2(Doorbell::parse(bad).isEmpty(), qPrintable(bad));
    }

    void aRingReachesTheOtherInstance()
    {
        auto a = instance();
        auto b = instance();
        QVERIFY(started(*a));
        QVERIFY(started(*b));
        QSignalSpy heardByA(a.get(), &Doorbell::rang);
        b->ring(7, 42);
        QVERIFY(heard(heardByA, 7, 42));
    }

    // A burst of commits in one room is one NOTIFY or a few, naming the last seq.
    void aBurstIsCoalesced()
    {
        auto a = instance();
        auto b = instance();
        QVERIFY(started(*a));
        QVERIFY(started(*b));
        QSignalSpy heardByA(a.get(), &Doorbell::rang);
        for (qint64 seq = 1; seq <= 200; ++seq)
            b->ring(9, seq);
        QVERIFY(heard(heardByA, 9, 200));
        QVERIFY2(heardByA.size() < 10, qPrintable(QString::number(heardByA.size())));
    }

    void theListenerComesBackAfterItsConnectionIsKilled()
    {
        // Checks (and regular polls) every 3 s: the poll right after the reconnect must
        // come long before the next regular one.
        auto a = instance(3s);
        auto b = instance();
        QVERIFY(started(*a));
        QVERIFY(started(*b));
        // The previous test's sessions may take a moment to leave pg_stat_activity.
        QTRY_COMPARE_WITH_TIMEOUT(listeners(), 2, 10000);
        QSignalSpy listening(a.get(), &Doorbell::listeningChanged);
        QStringList events; // "up", "down", "poll", in the order a's owner hears them
        connect(a.get(), &Doorbell::listeningChanged, this,
            [&events](bool up) { events.append(up ? u"up"_s : u"down"_s); });
        connect(a.get(), &Doorbell::pollDue, this, [&events] { events.append(u"poll"_s); });
        QSignalSpy heardByA(a.get(), &Doorbell::rang);
        {
            QSqlDatabase db = m_cluster->connect(u"killer"_s);
            QSqlQuery kill(db);
            // Both: a's is the one checked, b's must come back to ring.
            QVERIFY2(kill.exec(u"SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
                               "WHERE application_name = 'confab-doorbell'"_s),
                qPrintable(kill.lastError().text()));
        }
        QTRY_VERIFY_WITH_TIMEOUT(listening.size() >= 2, 15000);
        QCOMPARE(listening.at(0).at(0).toBool(), false);
        QCOMPARE(listening.last().at(0).toBool(), true);
        // Asked at once to read what it may have missed.
        QTRY_VERIFY_WITH_TIMEOUT(events.mid(events.lastIndexOf(u"up"_s)).contains(u"poll"_s), 1500);
        QTRY_COMPARE_WITH_TIMEOUT(listeners(), 2, 10000);
        b->ring(3, 5);
        QVERIFY(heard(heardByA, 3, 5));
    }

    void aNoteSaidWhileAwayIsSentOnceBack()
    {
        auto a = instance();
        QVERIFY(started(*a));
        int aPid = 0;
        {
            QSqlDatabase db = m_cluster->connect(u"admin"_s);
            aPid = confab::test::queryValue(db,
                u"SELECT pid FROM pg_stat_activity WHERE application_name = 'confab-doorbell'"_s)
                       .toInt();
        }
        QSqlDatabase::removeDatabase(u"admin"_s);
        QVERIFY(aPid > 0);
        auto b = instance();
        QVERIFY(started(*b));
        QSignalSpy noted(b.get(), &Doorbell::noted);
        // Only a's connection goes; a does not know yet when it says something.
        {
            QSqlDatabase db = m_cluster->connect(u"admin"_s);
            QVERIFY(confab::test::queryValue(db, u"SELECT pg_terminate_backend(%1)"_s.arg(aPid))
                        .toBool());
        }
        QSqlDatabase::removeDatabase(u"admin"_s);
        QSignalSpy aListening(a.get(), &Doorbell::listeningChanged);
        // Said before a noticed: the send fails.
        a->note(u"u41"_s);
        // Said while a knows it is away.
        QVERIFY(QTest::qWaitFor(
            [&] { return !aListening.isEmpty() && !aListening.first().at(0).toBool(); }, 10000));
        a->note(u"u42"_s);
        // A revocation must not be lost with the connection: both go once a is back.
        const auto heardNote = [&](const QString &note) {
            for (const QList<QVariant> &n : std::as_const(noted)) {
                if (n.at(0).toString() == note)
                    return true;
            }
            return false;
        };
        QVERIFY(QTest::qWaitFor([&] { return heardNote(u"u41"_s) && heardNote(u"u42"_s); }, 10000));
    }

    void bothComeBackAfterPostgresRestarts()
    {
        auto a = instance();
        auto b = instance();
        QVERIFY(started(*a));
        QVERIFY(started(*b));
        QSignalSpy heardByA(a.get(), &Doorbell::rang);
        QSignalSpy listening(a.get(), &Doorbell::listeningChanged);
        QVERIFY(m_cluster->stop());
        QTRY_VERIFY_WITH_TIMEOUT(!listening.isEmpty(), 10000);
        QCOMPARE(listening.at(0).at(0).toBool(), false);
        // Rung while PostgreSQL is down: lost, which the poll makes up for.
        b->ring(4, 1);
        QTest::qWait(500);
        QString error;
        QVERIFY2(m_cluster->restart(&error), qPrintable(error));
        QTRY_VERIFY_WITH_TIMEOUT(listening.last().at(0).toBool(), 15000);
        QTRY_COMPARE_WITH_TIMEOUT(listeners(), 2, 15000);
        b->ring(4, 2);
        QVERIFY(heard(heardByA, 4, 2, 15000));
    }
};

QTEST_GUILESS_MAIN(TstPgDoorbell)
#include "tst_pgdoorbell.moc"
