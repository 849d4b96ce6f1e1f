// SPDX-License-Identifier: GPL-3.0-or-later
// confabd's server on PostgreSQL when PostgreSQL goes away: a crash (pg_ctl -m immediate)
// and a restart under a running server. What was acknowledged is in the database exactly
// once afterwards, what was not acknowledged is resent by its client and then stored, and
// the server's reader and writer connect again by themselves, without a restart of confabd.
#include "clientpool.h"
#include "postgrescluster.h"
#include "testclient.h"
#include "testserver.h"

#include <QJsonArray>
#include <QSqlQuery>
#include <QtTest>
#include <memory>

using namespace Qt::StringLiterals;
using namespace confab;
using protocol::ServerFrameType;
namespace req = protocol::requests;

class TestPostgresBackend : public QObject
{
    Q_OBJECT

    test::PostgresCluster m_cluster;
    std::unique_ptr<test::TestServer> m_server;
    test::ClientPool m_clients {[this] { return m_server->url(); }};
    int m_databases = 0;

    QString freshDatabase() { return m_cluster.createDatabase(u"backend_%1"_s.arg(++m_databases)); }

    static qint64 sent(test::TestClient *c, qint64 room, const QString &txn, const QString &text)
    {
        const auto r = c->request(req::send(room, txn, text));
        return r && r->type == ServerFrameType::Result
            ? qint64(r->data().value("seq"_L1).toDouble())
            : 0;
    }

    // The texts of the room's messages as the database holds them, in seq order.
    QStringList stored(qint64 room)
    {
        QStringList texts;
        {
            QSqlDatabase db = m_server->openDatabase(u"check"_s);
            QSqlQuery q(db);
            q.prepare(u"SELECT body FROM events WHERE room_id = ? AND kind = 1 ORDER BY seq"_s);
            q.addBindValue(room);
            if (q.exec()) {
                while (q.next())
                    texts.append(q.value(0).toString());
            }
        }
        QSqlDatabase::removeDatabase(u"check"_s);
        return texts;
    }

private Q_SLOTS:
    void initTestCase()
    {
        const QString unavailable = test::PostgresCluster::unavailableReason();
        if (!unavailable.isEmpty())
            QSKIP(qPrintable(unavailable));
        QString error;
        QVERIFY2(m_cluster.start(&error), qPrintable(error));
    }

    void init()
    {
        m_server = std::make_unique<test::TestServer>();
        m_server->config().database = freshDatabase();
        // A commit is flushed before its acknowledgement: the crash below must not lose it.
        m_server->config().durability = server::Durability::Full;
        QVERIFY(m_server->start());
    }

    void cleanup()
    {
        m_clients.clear();
        m_server.reset();
        if (!m_cluster.isRunning()) {
            QString error;
            QVERIFY2(m_cluster.restart(&error), qPrintable(error));
        }
    }

    void acknowledgedMessagesSurviveADatabaseCrash()
    {
        auto *ana = m_clients.registered(u"ana"_s);
        QVERIFY(ana);
        const qint64 room = test::createRoom(ana, u"crash"_s);
        QVERIFY(room > 0);
        for (int i = 0; i < 5; ++i)
            QVERIFY(sent(ana, room, u"before-%1"_s.arg(i), u"before %1"_s.arg(i)) > 0);

        QVERIFY(m_cluster.stop());
        // Not acknowledged while the database is down: the client keeps it and resends.
        const auto during = ana->request(req::send(room, u"during"_s, u"during"_s));
        QVERIFY(during);
        QCOMPARE(during->type, ServerFrameType::Error);

        QString error;
        QVERIFY2(m_cluster.restart(&error), qPrintable(error));
        // The resend, and new messages, go through the same running server.
        QTRY_VERIFY_WITH_TIMEOUT(sent(ana, room, u"during"_s, u"during"_s) > 0, 20000);
        QVERIFY(sent(ana, room, u"after"_s, u"after"_s) > 0);
        // A resend of one that was stored before the crash is recognised, not stored twice.
        QVERIFY(sent(ana, room, u"before-4"_s, u"before 4"_s) > 0);

        QCOMPARE(stored(room),
            (QStringList {u"before 0"_s, u"before 1"_s, u"before 2"_s, u"before 3"_s, u"before 4"_s,
                u"during"_s, u"after"_s}));
        // The reader connected again too: history and a fresh sign-in both work.
        const auto history = ana->request(req::historyBefore(room, 100, 50));
        QVERIFY(history && history->type == ServerFrameType::Result);
        // create, join, then the seven messages
        QCOMPARE(history->data().value("events"_L1).toArray().size(), 2 + 7);
        auto *bob = m_clients.registered(u"bob"_s);
        QVERIFY(bob);
    }

    void seqsStayGapFreeAcrossARestart()
    {
        auto *ana = m_clients.registered(u"ana"_s);
        QVERIFY(ana);
        const qint64 room = test::createRoom(ana, u"seqs"_s);
        const qint64 first = sent(ana, room, u"s1"_s, u"one"_s);
        QVERIFY(first > 0);
        QVERIFY(m_cluster.stop());
        QString error;
        QVERIFY2(m_cluster.restart(&error), qPrintable(error));
        qint64 second = 0;
        QTRY_VERIFY_WITH_TIMEOUT((second = sent(ana, room, u"s2"_s, u"two"_s)) > 0, 20000);
        QCOMPARE(second, first + 1);
    }
};

CONFAB_SERVER_TEST_MAIN(TestPostgresBackend)
#include "tst_postgresbackend.moc"
