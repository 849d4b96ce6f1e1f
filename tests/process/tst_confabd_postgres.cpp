// SPDX-License-Identifier: GPL-3.0-or-later
// The real confabd binary on PostgreSQL (database = postgresql://…, docs/postgresql.md), on
// a throw-away cluster: it serves and keeps history across its own restarts without a SQLite
// file, its admin commands work on the same database beside it, the SQLite-only backup
// commands refuse with a pointer to pg_dump, and a bad URL is a configuration error.
#include "clientpool.h"
#include "confabdcommand.h"
#include "confabdprocess.h"
#include "postgrescluster.h"
#include "protocol/requestbuilder.h"
#include "testclient.h"

#include <QJsonArray>
#include <QSqlQuery>
#include <QTemporaryDir>
#include <QtTest>

using namespace Qt::StringLiterals;
using namespace confab;
using protocol::ServerFrameType;
namespace req = protocol::requests;

namespace {

using Result = test::CommandResult;
using test::confabd;

} // namespace

class TestConfabdPostgres : public QObject
{
    Q_OBJECT

    test::PostgresCluster m_cluster;
    QTemporaryDir m_data;
    QString m_url;

    QStringList args(const QStringList &more = {}) const
    {
        return QStringList {u"--data"_s, m_data.path(), u"--set"_s, u"database="_s + m_url} + more;
    }

private Q_SLOTS:
    void initTestCase()
    {
        const QString unavailable = test::PostgresCluster::unavailableReason();
        if (!unavailable.isEmpty())
            QSKIP(qPrintable(unavailable));
        QString error;
        QVERIFY2(m_cluster.start(&error), qPrintable(error));
        m_url = m_cluster.createDatabase(u"chat"_s, u"unused"_s, &error);
        QVERIFY2(!m_url.isEmpty(), qPrintable(error));
    }

    void servesAndKeepsHistoryWithoutASqliteFile()
    {
        qint64 room = 0;
        {
            test::ConfabdProcess server;
            QVERIFY(server.start(args()));
            // The log names the database, never its password.
            QVERIFY(server.waitForLog("postgresql://confab@localhost"));
            QVERIFY(!server.log().contains("unused"));
            test::TestClient ana;
            QVERIFY(ana.open(server.url()) && ana.registerUser(u"ana"_s));
            room = test::createRoom(&ana, u"lobby"_s);
            QVERIFY(room > 0);
            const auto r = ana.request(req::send(room, u"t1"_s, u"kept in postgres"_s));
            QVERIFY(r && r->type == ServerFrameType::Result);
            server.stop();
        }
        QVERIFY(!QFile::exists(m_data.filePath(u"confab.sqlite3"_s)));
        test::ConfabdProcess again;
        QVERIFY(again.start(args()));
        test::TestClient ana;
        QVERIFY(ana.open(again.url()) && ana.login(u"ana"_s));
        const auto history = ana.request(req::historyBefore(room, 100, 10));
        QVERIFY(history && history->type == ServerFrameType::Result);
        const QJsonArray events = history->data().value("events"_L1).toArray();
        QCOMPARE(events.last().toObject().value("text"_L1).toString(), u"kept in postgres"_s);
    }

    void adminCommandsWorkBesideTheServer()
    {
        test::ConfabdProcess server;
        QVERIFY(server.start(args()));
        const Result added = confabd(args({u"add-user"_s, u"bob"_s}), "bobs-password-1\n");
        QVERIFY2(added.code == 0, qPrintable(added.err));
        const Result listed = confabd(args({u"list-users"_s}));
        QCOMPARE(listed.code, 0);
        QVERIFY2(listed.out.contains(u"bob"_s), qPrintable(listed.out));
        test::TestClient bob;
        QVERIFY(bob.open(server.url()) && bob.login(u"bob"_s, u"bobs-password-1"_s));
    }

    void sqliteBackupCommandsRefuse()
    {
        for (const QString &command : {u"backup"_s, u"check"_s}) {
            const Result r = confabd(args({command}));
            QCOMPARE(r.code, 2);
            QVERIFY2(r.err.contains(u"pg_dump"_s), qPrintable(r.err));
        }
    }

    void aBadUrlIsAConfigurationError()
    {
        const Result r = confabd({u"--data"_s, m_data.path(), u"--set"_s,
            u"database=postgresql://localhost"_s, u"list-users"_s});
        QCOMPARE(r.code, 2);
        QVERIFY2(r.err.contains(u"names no database"_s), qPrintable(r.err));
    }
};

QTEST_GUILESS_MAIN(TestConfabdPostgres)
#include "tst_confabd_postgres.moc"
