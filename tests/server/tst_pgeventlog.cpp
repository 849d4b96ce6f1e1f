// SPDX-License-Identifier: GPL-3.0-or-later
// A room's log on PostgreSQL (storage/postgres), against a real throw-away cluster: the
// schema is made once however many instances start at once; ten writers on their own
// connections into one room give a gap-free seq that commits in seq order (a reader never
// sees n + 1 before n); the same txn from two connections is one message; a rollback gives
// its seq back. Skipped, saying why, where PostgreSQL or QPSQL is not installed.
#include "postgrescluster.h"
#include "storage/postgres/pgeventlog.h"
#include "storage/postgres/pgschema.h"

#include <QSqlError>
#include <QSqlQuery>
#include <QtTest>
#include <atomic>
#include <set>
#include <thread>

using namespace Qt::StringLiterals;
using namespace confab;
using namespace confab::server::postgres;
using confab::test::PostgresCluster;

namespace {

constexpr qint64 Room = 1;
constexpr qint64 Alice = 1;

qint64 scalar(QSqlDatabase &db, const QString &sql)
{
    const QVariant value = confab::test::queryValue(db, sql);
    return value.isValid() ? value.toLongLong() : -1;
}

protocol::RoomEvent message(const QString &text, const QString &txn = {})
{
    protocol::RoomEvent event;
    event.room = Room;
    event.kind = protocol::EventKind::Message;
    event.text = text;
    event.txn = txn;
    return event;
}

} // namespace

class TstPgEventLog : public QObject
{
    Q_OBJECT

    std::unique_ptr<PostgresCluster> m_cluster;
    std::atomic<int> m_connections {0};

    //! A connection of this thread's own to \a database (QSqlDatabase is per thread).
    QSqlDatabase connect(const QString &database = u"postgres"_s)
    {
        return m_cluster->connect(u"c%1"_s.arg(++m_connections), database);
    }

    bool createDatabase(const QString &name)
    {
        QSqlDatabase db = connect();
        QSqlQuery query(db);
        return query.exec(u"CREATE DATABASE %1"_s.arg(name));
    }

    //! One transaction: appends a message; its seq, 0 for a resend (then *original is the
    //! first one's), -1 on an error.
    static qint64 send(
        QSqlDatabase &db, protocol::RoomEvent event, protocol::RoomEvent *original, QString *error)
    {
        if (!db.transaction()) {
            *error = db.lastError().text();
            return -1;
        }
        bool repeated = false;
        bool found = false;
        if (eventlog::append(db, event, Alice, 1000, &repeated, error)) {
            *original = event;
        } else if (!repeated || !eventlog::findByTxn(db, Alice, event.txn, original, &found, error)
            || !found) {
            db.rollback();
            return -1;
        }
        if (!db.commit()) {
            *error = db.lastError().text();
            return -1;
        }
        return repeated ? 0 : event.seq;
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
        QSqlDatabase db = connect();
        QVERIFY2(schema::migrate(db, &error), qPrintable(error));
        QSqlQuery query(db);
        QVERIFY2(query.exec(u"INSERT INTO users(name, name_key, password_hash, created_ms) "
                            "VALUES('Alice', 'alice', 'x', 0), ('Bob', 'bob', 'x', 0)"_s),
            qPrintable(query.lastError().text()));
        QVERIFY(query.exec(
            u"INSERT INTO rooms(kind, name, name_key, created_ms) VALUES(0, 'general', 'general', 0)"_s));
        QCOMPARE(scalar(db, u"SELECT id FROM rooms WHERE name = 'general'"_s), Room);
    }

    // Every instance runs the migration at its start; several may start at once.
    void theSchemaIsMadeOnceAndOnlyOnce()
    {
        QVERIFY(createDatabase(u"race"_s));
        std::atomic<int> made {0};
        QStringList errors(4);
        std::vector<std::thread> instances;
        for (int i = 0; i < 4; ++i) {
            instances.emplace_back([&, i] {
                QSqlDatabase db = connect(u"race"_s);
                if (schema::migrate(db, &errors[i]))
                    ++made;
            });
        }
        for (std::thread &t : instances)
            t.join();
        QVERIFY2(made == 4, qPrintable(errors.join(u" | "_s)));
        QSqlDatabase db = connect(u"race"_s);
        QString error;
        QCOMPARE(schema::version(db, &error), schema::latestVersion());
        QCOMPARE(scalar(db, u"SELECT count(*) FROM schema_version"_s), 1);
        // Again: nothing to do.
        QVERIFY2(schema::migrate(db, &error), qPrintable(error));
        QCOMPARE(scalar(db, u"SELECT count(*) FROM schema_version"_s), 1);
    }

    void aNewerSchemaIsRefused()
    {
        QVERIFY(createDatabase(u"newer"_s));
        QSqlDatabase db = connect(u"newer"_s);
        QString error;
        QVERIFY(schema::migrate(db, &error));
        QSqlQuery query(db);
        QVERIFY(query.exec(u"UPDATE schema_version SET version = version + 1"_s));
        QVERIFY(!schema::migrate(db, &error));
        QVERIFY2(error.contains(u"newer"_s), qPrintable(error));
    }

    void tenWritersGiveAGapFreeSeqInCommitOrder()
    {
        constexpr int Writers = 10;
        constexpr int Each = 30;
        QSqlDatabase setup = connect();
        const qint64 before = scalar(setup, u"SELECT last_seq FROM rooms WHERE id = 1"_s);

        std::atomic<bool> writing {true};
        std::atomic<bool> gap {false};
        std::atomic<qint64> readerCursor {before};
        std::thread reader([&] {
            // Polls as an instance's fan-out would after a doorbell: seq > cursor, in order.
            QSqlDatabase db = connect();
            qint64 cursor = before;
            // fsync stays on: 300 commits that wait for each other may be slow on a CI disk.
            QDeadlineTimer deadline(std::chrono::seconds(240));
            while ((writing || cursor < before + Writers * Each) && !deadline.hasExpired()) {
                QSqlQuery query(db);
                query.exec(
                    u"SELECT seq FROM events WHERE room_id = 1 AND seq > %1 ORDER BY seq"_s.arg(
                        cursor));
                while (query.next()) {
                    const qint64 seq = query.value(0).toLongLong();
                    if (seq != cursor + 1)
                        gap = true;
                    cursor = seq;
                }
                if (!writing && cursor >= before + Writers * Each)
                    break;
                std::this_thread::sleep_for(std::chrono::milliseconds(1));
            }
            readerCursor = cursor;
        });

        std::vector<std::vector<qint64>> seqs(Writers);
        QStringList errors(Writers);
        std::vector<std::thread> writers;
        for (int w = 0; w < Writers; ++w) {
            writers.emplace_back([&, w] {
                QSqlDatabase db = connect();
                for (int i = 0; i < Each && errors[w].isEmpty(); ++i) {
                    protocol::RoomEvent original;
                    seqs[w].push_back(
                        send(db, message(u"w%1 m%2"_s.arg(w).arg(i)), &original, &errors[w]));
                }
            });
        }
        for (std::thread &t : writers)
            t.join();
        writing = false;
        reader.join();

        QVERIFY2(errors.join(QString()).isEmpty(), qPrintable(errors.join(u" | "_s)));
        std::set<qint64> all;
        for (const auto &mine : seqs) {
            // One writer's commits follow each other: its seqs rise.
            QVERIFY(std::is_sorted(mine.cbegin(), mine.cend()));
            all.insert(mine.cbegin(), mine.cend());
        }
        QCOMPARE(qsizetype(all.size()), qsizetype(Writers * Each));
        QCOMPARE(*all.begin(), before + 1);
        QCOMPARE(*all.rbegin(), before + Writers * Each);
        QVERIFY2(!gap, "a reader saw a seq before an earlier one had committed");
        QCOMPARE(readerCursor.load(), before + Writers * Each);
        QCOMPARE(
            scalar(setup, u"SELECT last_seq FROM rooms WHERE id = 1"_s), before + Writers * Each);
        QCOMPARE(scalar(setup, u"SELECT count(*) FROM events WHERE room_id = 1"_s),
            before + Writers * Each);
    }

    // A resend reaching two instances at once: one message, and both answer with it.
    void theSameTxnFromTwoConnectionsIsOneMessage()
    {
        constexpr int Txns = 25;
        QSqlDatabase setup = connect();
        const qint64 before = scalar(setup, u"SELECT last_seq FROM rooms WHERE id = 1"_s);
        std::vector<std::vector<protocol::RoomEvent>> answers(2);
        std::vector<int> written(2, 0);
        QStringList errors(2);
        std::vector<std::thread> instances;
        for (int n = 0; n < 2; ++n) {
            instances.emplace_back([&, n] {
                QSqlDatabase db = connect();
                for (int i = 0; i < Txns && errors[n].isEmpty(); ++i) {
                    protocol::RoomEvent original;
                    const qint64 seq
                        = send(db, message(u"once"_s, u"txn-%1"_s.arg(i)), &original, &errors[n]);
                    written[n] += seq > 0 ? 1 : 0;
                    answers[n].push_back(original);
                }
            });
        }
        for (std::thread &t : instances)
            t.join();
        QVERIFY2(errors.join(QString()).isEmpty(), qPrintable(errors.join(u" | "_s)));
        QCOMPARE(written[0] + written[1], Txns);
        for (int i = 0; i < Txns; ++i) {
            QCOMPARE(answers[0][i].id, answers[1][i].id);
            QCOMPARE(answers[0][i].seq, answers[1][i].seq);
        }
        QCOMPARE(scalar(setup, u"SELECT count(*) FROM events WHERE txn LIKE 'txn-%'"_s), Txns);
        // No seq was lost to the resends.
        QCOMPARE(scalar(setup, u"SELECT last_seq FROM rooms WHERE id = 1"_s), before + Txns);
        QCOMPARE(scalar(setup, u"SELECT max(seq) FROM events WHERE room_id = 1"_s), before + Txns);
    }

    void aRollbackGivesItsSeqBack()
    {
        QSqlDatabase db = connect();
        const qint64 before = scalar(db, u"SELECT last_seq FROM rooms WHERE id = 1"_s);
        QVERIFY(db.transaction());
        protocol::RoomEvent dropped = message(u"dropped"_s);
        QString error;
        QVERIFY2(eventlog::append(db, dropped, Alice, 5, nullptr, &error), qPrintable(error));
        QCOMPARE(dropped.seq, before + 1);
        QVERIFY(db.rollback());
        protocol::RoomEvent kept;
        QCOMPARE(send(db, message(u"kept"_s), &kept, &error), before + 1);
        QCOMPARE(kept.timestamp, 1000);
        QVERIFY(kept.id > 0);
        QCOMPARE(scalar(db, u"SELECT count(*) FROM events WHERE body = 'dropped'"_s), 0);
    }

    void anUnknownRoomIsAnError()
    {
        QSqlDatabase db = connect();
        QVERIFY(db.transaction());
        protocol::RoomEvent event = message(u"nowhere"_s);
        event.room = 999;
        QString error;
        QVERIFY(!eventlog::append(db, event, Alice, 5, nullptr, &error));
        QVERIFY2(error.contains(u"999"_s), qPrintable(error));
        QVERIFY(db.rollback());
    }
};

QTEST_GUILESS_MAIN(TstPgEventLog)
#include "tst_pgeventlog.moc"
