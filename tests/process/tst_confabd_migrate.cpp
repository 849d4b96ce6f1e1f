// SPDX-License-Identifier: GPL-3.0-or-later
// `confabd migrate --to postgresql://…` with the real binary (docs/postgresql.md, "Moving from
// SQLite"): a chat written by the real confabd on SQLite is copied into a throw-away
// PostgreSQL cluster, and confabd then serves it from there as it was: the same token and
// password sign in, history and read positions are the same, the next message takes the next
// seq, and search finds old messages. It refuses while the server runs and when the
// PostgreSQL database already holds a chat, and never prints the password.
#include "clientpool.h"
#include "confabdcommand.h"
#include "confabdprocess.h"
#include "postgrescluster.h"
#include "protocol/requestbuilder.h"
#include "protocol/searchresults.h"
#include "testclient.h"
#include "uploadhelpers.h"

#include <QJsonArray>
#include <QRegularExpression>
#include <QSqlQuery>
#include <QTemporaryDir>
#include <QtTest>
#include <memory>

using namespace Qt::StringLiterals;
using namespace confab;
using protocol::ServerFrameType;
namespace req = protocol::requests;

namespace {

using Result = test::CommandResult;
using test::confabd;

const QString Password = u"pw-never-shown"_s;

bool succeeded(const std::optional<protocol::ServerFrame> &r)
{
    return r && r->type == ServerFrameType::Result;
}

qint64 seqOf(const std::optional<protocol::ServerFrame> &r)
{
    return succeeded(r) ? qint64(r->data().value("seq"_L1).toDouble()) : -1;
}

QJsonObject roomIn(const QJsonObject &session, qint64 room)
{
    for (const auto &r : session.value("rooms"_L1).toArray()) {
        if (qint64(r.toObject().value("id"_L1).toDouble()) == room)
            return r.toObject();
    }
    return {};
}

QJsonArray history(test::TestClient *c, qint64 room)
{
    const auto r = c->request(req::historyBefore(room, 1000000, 100));
    return succeeded(r) ? r->data().value("events"_L1).toArray() : QJsonArray();
}

QStringList found(test::TestClient *c, const QString &query)
{
    const auto r = c->request(req::search({query, 0, {}, 0, 0}, 20));
    const auto results = succeeded(r) ? protocol::SearchResults::fromJson(r->data()) : std::nullopt;
    if (!results)
        return {u"<search failed>"_s};
    QStringList texts;
    for (const auto &hit : results->hits)
        texts.append(hit.event.text);
    return texts;
}

} // namespace

class TestConfabdMigrate : public QObject
{
    Q_OBJECT

    test::PostgresCluster m_cluster;
    QTemporaryDir m_data;
    QString m_url;
    std::unique_ptr<test::ConfabdProcess> m_sqlite;
    // What the chat looked like on SQLite.
    qint64 m_room = 0;
    QString m_anaToken;
    QJsonArray m_history;
    QJsonObject m_bobsRoom;

    QStringList data(const QStringList &more = {}) const
    {
        return QStringList {u"--data"_s, m_data.path()} + more;
    }

    qint64 targetRows(const QString &table)
    {
        qint64 n = -1;
        {
            QSqlDatabase db = m_cluster.connect(u"count"_s, u"chat"_s);
            n = test::queryValue(db, u"SELECT count(*) FROM "_s + table).toLongLong();
        }
        QSqlDatabase::removeDatabase(u"count"_s);
        return n;
    }

private Q_SLOTS:
    void initTestCase()
    {
        const QString unavailable = test::PostgresCluster::unavailableReason();
        if (!unavailable.isEmpty())
            QSKIP(qPrintable(unavailable));
        QString error;
        QVERIFY2(m_cluster.start(&error), qPrintable(error));
        // The cluster trusts its socket: the password is there to be kept out of the output.
        m_url = m_cluster.createDatabase(u"chat"_s, Password, &error);
        QVERIFY2(!m_url.isEmpty(), qPrintable(error));

        // A chat on SQLite, written by the real server and an admin command beside it.
        m_sqlite = std::make_unique<test::ConfabdProcess>();
        QVERIFY(m_sqlite->start(data()));
        test::TestClient ana;
        test::TestClient bob;
        QVERIFY(ana.open(m_sqlite->url()) && ana.registerUser(u"ana"_s));
        QVERIFY(bob.open(m_sqlite->url()) && bob.registerUser(u"bob"_s));
        m_room = test::createRoom(&ana, u"lobby"_s);
        QVERIFY(m_room > 0);
        QVERIFY(succeeded(bob.request(req::join(m_room))));
        const qint64 hello = seqOf(ana.request(req::send(m_room, u"t1"_s, u"hello from sqlite"_s)));
        const qint64 fox = seqOf(ana.request(req::send(m_room, u"t2"_s, u"the quick brown fox"_s)));
        const qint64 secret = seqOf(ana.request(req::send(m_room, u"t3"_s, u"secret plans"_s)));
        const qint64 cafe
            = seqOf(bob.request(req::send(m_room, u"t4"_s, u"déjà vu at the café"_s)));
        QVERIFY(hello > 0 && fox > 0 && secret > 0 && cafe > 0);
        QVERIFY(succeeded(ana.request(req::edit(m_room, fox, u"the quick brown fox jumps"_s))));
        QVERIFY(succeeded(bob.request(req::react(m_room, hello, u"👍"_s))));
        QVERIFY(succeeded(ana.request(req::redact(m_room, secret))));
        const auto file = test::uploadFile(&ana, u"notes.txt"_s, test::randomBytes(3000));
        QVERIFY(file);
        QVERIFY(
            succeeded(ana.request(req::send(m_room, u"t5"_s, u"see attached"_s, 0, {file->id}))));
        QVERIFY(succeeded(bob.request(req::markRead(m_room, cafe))));
        const Result carol = confabd(data({u"add-user"_s, u"carol"_s}), "carols-password-1\n");
        QVERIFY2(carol.code == 0, qPrintable(carol.err));

        m_anaToken = ana.token();
        QVERIFY(!m_anaToken.isEmpty());
        m_history = history(&ana, m_room);
        QCOMPARE(m_history.size(), 11); // create, 2 joins, 5 messages, edit, react, redact
        test::TestClient bobAgain;
        QVERIFY(bobAgain.open(m_sqlite->url()) && bobAgain.login(u"bob"_s));
        m_bobsRoom = roomIn(bobAgain.session(), m_room);
        QCOMPARE(qint64(m_bobsRoom.value("readSeq"_L1).toDouble()), cafe);
    }

    void refusedWhileTheServerRuns()
    {
        const Result r = confabd(data({u"migrate"_s, u"--to"_s, m_url}));
        QCOMPARE(r.code, 6);
        QVERIFY2(r.err.contains(u"in use by another confabd"_s), qPrintable(r.err));
        QCOMPARE(targetRows(u"pg_tables WHERE tablename = 'users'"_s), 0);
        m_sqlite->stop();
    }

    void copiesAndVerifies()
    {
        const Result r = confabd(data({u"migrate"_s, u"--to"_s, m_url}));
        QVERIFY2(r.code == 0, qPrintable(r.out + r.err));
        qInfo().noquote() << r.out;
        const QString said = r.out + r.err;
        QVERIFY2(!said.contains(Password), qPrintable(said));
        QVERIFY2(r.out.contains(u"into postgresql://confab@localhost"_s), qPrintable(r.out));
        // One line a table: rows on each side, and whether their hashes are the same.
        for (const auto &[table, rows] : {std::pair {u"users"_s, 3}, {u"events"_s, 11},
                 {u"reactions"_s, 1}, {u"files"_s, 1}, {u"attachments"_s, 1}}) {
            const QRegularExpression line(
                u"^%1 +%2 +%2 +same "_s.arg(table).arg(rows), QRegularExpression::MultilineOption);
            QVERIFY2(line.match(r.out).hasMatch(), qPrintable(table + u'\n' + r.out));
        }
        QVERIFY2(!r.out.contains(u"DIFFERENT"_s), qPrintable(r.out));
        QCOMPARE(targetRows(u"events"_s), 11);
    }

    void theCopyServesTheSameChat()
    {
        test::ConfabdProcess server;
        QVERIFY(server.start(data({u"--set"_s, u"database="_s + m_url})));
        QVERIFY(server.waitForLog("postgresql://confab@localhost"));

        test::TestClient ana;
        QVERIFY(ana.open(server.url()) && ana.authenticate(m_anaToken));
        test::TestClient bob;
        QVERIFY(bob.open(server.url()) && bob.login(u"bob"_s));
        test::TestClient carol;
        QVERIFY(carol.open(server.url()) && carol.login(u"carol"_s, u"carols-password-1"_s));

        const QJsonArray after = history(&ana, m_room);
        QCOMPARE(after, m_history);
        const QJsonObject bobsRoom = roomIn(bob.session(), m_room);
        QCOMPARE(bobsRoom.value("readSeq"_L1), m_bobsRoom.value("readSeq"_L1));
        QCOMPARE(bobsRoom.value("unread"_L1), m_bobsRoom.value("unread"_L1));

        // The room's sequencer carries on where SQLite's log ended.
        const qint64 last = qint64(m_history.last().toObject().value("seq"_L1).toDouble());
        QCOMPARE(seqOf(bob.request(req::send(m_room, u"p1"_s, u"first on postgres"_s))), last + 1);

        // Old messages are found as on SQLite: by their current text, diacritics folded.
        QCOMPARE(found(&ana, u"fox"_s), QStringList {u"the quick brown fox jumps"_s});
        QCOMPARE(found(&ana, u"cafe"_s), QStringList {u"déjà vu at the café"_s});
        QCOMPARE(found(&ana, u"postgres"_s), QStringList {u"first on postgres"_s});

        // A new account takes an id past the copied ones.
        test::TestClient dan;
        QVERIFY(dan.open(server.url()) && dan.registerUser(u"dan"_s));
        server.stop();
    }

    void refusesANonEmptyTarget()
    {
        const qint64 events = targetRows(u"events"_s);
        QVERIFY(events > 11);
        // Without --to, into the database the configuration names.
        const Result r = confabd(data({u"--set"_s, u"database="_s + m_url, u"migrate"_s}));
        QCOMPARE(r.code, 2);
        QVERIFY2(r.err.contains(u"is not empty"_s), qPrintable(r.err));
        QVERIFY2(r.err.contains(u"users"_s), qPrintable(r.err));
        QVERIFY2(!r.err.contains(Password), qPrintable(r.err));
        QCOMPARE(targetRows(u"events"_s), events);
    }

    void aBadTargetIsAUsageError()
    {
        const Result none = confabd(data({u"migrate"_s}));
        QCOMPARE(none.code, 2);
        QVERIFY2(none.err.contains(u"usage: migrate --to"_s), qPrintable(none.err));
        const Result bad = confabd(data({u"migrate"_s, u"--to"_s, u"postgresql://localhost"_s}));
        QCOMPARE(bad.code, 2);
        QVERIFY2(bad.err.contains(u"names no database"_s), qPrintable(bad.err));
    }
};

QTEST_GUILESS_MAIN(TestConfabdMigrate)
#include "tst_confabd_migrate.moc"
