// SPDX-License-Identifier: GPL-3.0-or-later
// The throw-away PostgreSQL cluster the PostgreSQL tests run on (tests/support), and the two
// things of Qt's QPSQL driver that storage on PostgreSQL leans on (issue: past one machine):
// LISTEN/NOTIFY through QSqlDriver::subscribeToNotification, and that a commit survives the
// server going down hard. Skipped, saying why, where PostgreSQL or QPSQL is not installed.
#include "postgrescluster.h"

#include <QDir>
#include <QSqlDriver>
#include <QSqlError>
#include <QSqlQuery>
#include <QtTest>

using namespace Qt::StringLiterals;
using confab::test::PostgresCluster;

class TstPostgresCluster : public QObject
{
    Q_OBJECT

    std::unique_ptr<PostgresCluster> m_cluster;

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

    void connectsOverItsSocketOnly()
    {
        QSqlDatabase db = m_cluster->connect(u"a"_s);
        QVERIFY(db.isOpen());
        QCOMPARE(confab::test::queryValue(db, u"SELECT current_user"_s).toString(),
            PostgresCluster::user());
        QCOMPARE(confab::test::queryValue(db, u"SHOW lc_collate"_s).toString(), u"C"_s);
        QCOMPARE(confab::test::queryValue(db, u"SHOW server_encoding"_s).toString(), u"UTF8"_s);
        // No TCP: a system PostgreSQL on this machine's 5432 is left alone.
        QCOMPARE(confab::test::queryValue(db, u"SHOW listen_addresses"_s).toString(), QString());
        QCOMPARE(confab::test::queryValue(db, u"SHOW fsync"_s).toString(), u"on"_s);
    }

    // The doorbell: one connection listens, another notifies after its commit.
    void notificationsReachAListener()
    {
        QSqlDatabase listener = m_cluster->connect(u"listener"_s);
        QSqlDatabase writer = m_cluster->connect(u"writer"_s);
        QVERIFY(listener.isOpen() && writer.isOpen());
        QVERIFY(listener.driver()->hasFeature(QSqlDriver::EventNotifications));
        QVERIFY(listener.driver()->subscribeToNotification(u"confab"_s));
        QSignalSpy rang(listener.driver(),
            qOverload<const QString &, QSqlDriver::NotificationSource, const QVariant &>(
                &QSqlDriver::notification));
        QSqlQuery notify(writer);
        QVERIFY2(notify.exec(u"NOTIFY confab, '7:42'"_s), qPrintable(notify.lastError().text()));
        QTRY_COMPARE_WITH_TIMEOUT(rang.count(), 1, 10000);
        QCOMPARE(rang.at(0).at(0).toString(), u"confab"_s);
        QCOMPARE(rang.at(0).at(1).value<QSqlDriver::NotificationSource>(), QSqlDriver::OtherSource);
        QCOMPARE(rang.at(0).at(2).toString(), u"7:42"_s);
        // Another channel does not ring this one.
        QVERIFY(notify.exec(u"NOTIFY other, 'x'"_s));
        QVERIFY(notify.exec(u"NOTIFY confab, '7:43'"_s));
        QTRY_COMPARE_WITH_TIMEOUT(rang.count(), 2, 10000);
        QCOMPARE(rang.at(1).at(2).toString(), u"7:43"_s);
    }

    // A committed row is there after the server went down as in a crash and came back.
    void aCommitSurvivesAHardStop()
    {
        {
            QSqlDatabase db = m_cluster->connect(u"before"_s);
            QSqlQuery query(db);
            QVERIFY(query.exec(u"CREATE TABLE kept (n bigint PRIMARY KEY)"_s));
            QVERIFY(query.exec(u"INSERT INTO kept VALUES (1), (2), (3)"_s));
        }
        QSqlDatabase::removeDatabase(u"before"_s);
        QVERIFY(m_cluster->stop());
        QVERIFY(!m_cluster->connect(u"down"_s).isOpen());
        QSqlDatabase::removeDatabase(u"down"_s);
        QString error;
        QVERIFY2(m_cluster->restart(&error), qPrintable(error));
        QSqlDatabase db = m_cluster->connect(u"after"_s);
        QCOMPARE(confab::test::queryValue(db, u"SELECT sum(n) FROM kept"_s).toLongLong(), 6);
    }

    void theClusterGoesWithTheTest()
    {
        QString folder;
        {
            PostgresCluster second;
            QString error;
            QVERIFY2(second.start(&error), qPrintable(error));
            folder = second.socketFolder();
            QVERIFY(QFileInfo::exists(folder + u"/.s.PGSQL.5432"_s));
        }
        QVERIFY(!QFileInfo::exists(folder));
    }
};

QTEST_GUILESS_MAIN(TstPostgresCluster)
#include "tst_postgrescluster.moc"
