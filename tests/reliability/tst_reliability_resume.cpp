// SPDX-License-Identifier: GPL-3.0-or-later
// Resuming through a network that loses acknowledgements, and after an absence
// longer than sync replays: every receiver ends up with the server's exact log.
#include "clientpool.h"
#include "reliability.h"
#include "resumeclient.h"
#include "testclient.h"
#include "testserver.h"

#include <QElapsedTimer>
#include <QJsonArray>
#include <QSqlQuery>
#include <QtTest>
#include <memory>
#include <vector>

using namespace Qt::StringLiterals;
using namespace confab;
using protocol::RoomEvent;
using protocol::ServerFrameType;
namespace req = protocol::requests;

namespace {
struct Row
{
    qint64 id = 0;
    int kind = 0;
    QString sender;
    QString txn;
    QString body;
};

/*! \brief A room's log as the database holds it, by seq. */
QMap<qint64, Row> databaseLog(const QString &location, qint64 room)
{
    QMap<qint64, Row> log;
    test::TestDatabase file(location);
    QSqlQuery q(file.db());
    q.prepare(u"SELECT e.seq, e.id, e.kind, u.name, e.txn, e.body FROM events e "
              u"JOIN users u ON u.id = e.sender_id WHERE e.room_id = ? ORDER BY e.seq"_s);
    q.addBindValue(room);
    if (!q.exec())
        return log;
    while (q.next()) {
        log.insert(q.value(0).toLongLong(),
            Row {q.value(1).toLongLong(), q.value(2).toInt(), q.value(3).toString(),
                q.value(4).toString(), q.value(5).toString()});
    }
    return log;
}

/*! \brief The whole log read with history, forwards, one page at a time. */
QList<RoomEvent> historyLog(test::TestClient *c, qint64 room, int pageSize)
{
    QList<RoomEvent> events;
    qint64 after = 0;
    for (;;) {
        const auto page = c->request(req::historyAfter(room, after, pageSize));
        if (!page || page->type != ServerFrameType::Result)
            return {};
        const auto array = page->data().value("events"_L1).toArray();
        for (const auto &v : array) {
            if (auto e = RoomEvent::fromJson(v.toObject()))
                events.append(*e);
        }
        if (array.isEmpty() || !page->data().value("hasMore"_L1).toBool())
            return events;
        after = events.last().seq;
    }
}

/*!
 * \brief Empty if \a seen (a client's reconstructed timeline) is exactly \a log:
 * the same events, each once, every seq from 1 to the end.
 */
QString compareTimeline(const QMap<qint64, RoomEvent> &seen, const QList<RoomEvent> &log)
{
    if (seen.size() != log.size())
        return u"holds %1 events, the log %2"_s.arg(seen.size()).arg(log.size());
    for (qsizetype i = 0; i < log.size(); ++i) {
        if (log[i].seq != i + 1)
            return u"the server's log skips seq %1"_s.arg(i + 1);
        const auto it = seen.constFind(log[i].seq);
        if (it == seen.cend())
            return u"seq %1 missing"_s.arg(log[i].seq);
        if (!(*it == log[i]))
            return u"seq %1 differs from the log"_s.arg(log[i].seq);
    }
    return {};
}

QString compareWithDatabase(const QList<RoomEvent> &log, const QMap<qint64, Row> &rows)
{
    if (log.size() != rows.size())
        return u"history has %1 events, the database %2"_s.arg(log.size()).arg(rows.size());
    for (const auto &e : log) {
        const Row r = rows.value(e.seq);
        if (r.id != e.id || r.kind != int(e.kind) || r.sender != e.sender || r.txn != e.txn
            || (e.kind == protocol::EventKind::Message && r.body != e.text))
            return u"seq %1 differs from the database"_s.arg(e.seq);
    }
    return {};
}
} // namespace

class TestReliabilityResume : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void lostAcknowledgementsAreResentSafely()
    {
        test::TestServer server;
        QVERIFY(server.start());
        const int writerCount = 4;
        const int perWriter = test::scaled(3000, 20000);

        // Accounts and the room, set up directly; the faults start afterwards.
        QStringList writerTokens;
        QStringList readerTokens;
        QString directToken;
        qint64 room = 0;
        {
            test::TestClient owner;
            QVERIFY(owner.open(server.url()));
            QVERIFY(owner.registerUser(u"w0"_s));
            room = test::createRoom(&owner, u"lossy"_s);
            QVERIFY(room);
            writerTokens << owner.token();
            const QStringList others {u"w1"_s, u"w2"_s, u"w3"_s, u"r0"_s, u"r1"_s, u"direct"_s};
            for (const QString &name : others) {
                test::TestClient c;
                QVERIFY(c.open(server.url()));
                QVERIFY(c.registerUser(name));
                const auto joined = c.request(req::join(room));
                QVERIFY(joined && joined->type == ServerFrameType::Result);
                if (name.startsWith(u'w'))
                    writerTokens << c.token();
                else if (name.startsWith(u'r'))
                    readerTokens << c.token();
                else
                    directToken = c.token();
            }
        }

        test::FaultProxy proxy(server.server()->port());
        QVERIFY(proxy.listen());
        std::vector<std::unique_ptr<test::ResumeClient>> clients;
        const auto add = [&](const QString &token, bool throughProxy) {
            auto c = std::make_unique<test::ResumeClient>(
                [&, throughProxy] { return throughProxy ? proxy.url() : server.url(); });
            c->setToken(token);
            c->setReconnectDelay(10);
            c->setWindow(8);
            c->follow(room, 0);
            c->connectToServer();
            clients.push_back(std::move(c));
            return clients.back().get();
        };
        std::vector<test::ResumeClient *> writers;
        for (int i = 0; i < writerCount; ++i) {
            writers.push_back(add(writerTokens[i], true));
            writers.back()->autoSend(room, u"t%1."_s.arg(i), perWriter);
        }
        for (const QString &t : std::as_const(readerTokens))
            add(t, true);
        add(directToken, false);

        QElapsedTimer clock;
        clock.start();
        QVERIFY2(test::TestClient::waitUntil(
                     [&] {
                         return std::all_of(writers.begin(), writers.end(), [&](auto *w) {
                             return w->autoSent() == perWriter && w->outboxSize() == 0;
                         });
                     },
                     240000),
            "the writers never got every message acknowledged");
        const double seconds = double(clock.elapsed()) / 1000;

        // Calm the network; everyone must converge on the same log.
        proxy.setFaults(false);
        qint64 lastSeq = 0;
        for (auto *w : writers) {
            for (const auto &ack : w->acks())
                lastSeq = qMax(lastSeq, qint64(ack.value("seq"_L1).toDouble()));
        }
        // The cursor alone is not enough: sync moves it past a gap before history has
        // filled it, so also wait until no client has a gap left to page in.
        QVERIFY2(test::TestClient::waitUntil(
                     [&] {
                         return std::all_of(clients.begin(), clients.end(), [&](const auto &c) {
                             return c->isLive() && c->cursor(room) >= lastSeq
                                 && c->openHoles() == 0;
                         });
                     },
                     120000),
            "the clients never caught up with the log");

        // Exactly one stored message per txn, the one its ack names.
        const auto rows = databaseLog(server.databaseLocation(), room);
        QHash<QString, qint64> seqOfTxn;
        for (auto it = rows.cbegin(); it != rows.cend(); ++it) {
            if (it->kind != int(protocol::EventKind::Message))
                continue;
            const QString key = it->sender + u'/' + it->txn;
            QVERIFY2(!seqOfTxn.contains(key), qPrintable(key + u" stored twice"_s));
            seqOfTxn.insert(key, it.key());
        }
        QCOMPARE(seqOfTxn.size(), writerCount * perWriter);
        for (int i = 0; i < writerCount; ++i) {
            const auto &acks = writers[size_t(i)]->acks();
            QCOMPARE(acks.size(), perWriter);
            for (auto it = acks.cbegin(); it != acks.cend(); ++it)
                QCOMPARE(seqOfTxn.value(u"w%1/"_s.arg(i) + it.key()),
                    qint64(it.value().value("seq"_L1).toDouble()));
        }

        test::TestClient auditor;
        QVERIFY(auditor.open(server.url()));
        QVERIFY(auditor.authenticate(directToken));
        const auto log = historyLog(&auditor, room, 200);
        QCOMPARE(log.size(), rows.size());
        const QString dbDiff = compareWithDatabase(log, rows);
        QVERIFY2(dbDiff.isEmpty(), qPrintable(dbDiff));

        int lostAcks = 0;
        int resends = 0;
        int drops = 0;
        int duplicates = 0;
        int gaps = 0;
        int carried = 0;
        for (const auto &c : clients) {
            QVERIFY2(c->violations().isEmpty(), qPrintable(c->violations().join(u'\n')));
            const QString diff = compareTimeline(c->timeline(room), log);
            QVERIFY2(diff.isEmpty(), qPrintable(c->user() + u": "_s + diff));
            lostAcks += c->lostAcks();
            resends += c->resends();
            drops += c->drops();
            duplicates += c->duplicatesIgnored();
            gaps += c->gapsFilled();
            carried += c->holesCarriedOver();
        }
        qInfo("%s mode: %d messages from %d writers in %.1f s through the proxy: %d connections, "
              "%d cut server->client, %d client->server, %d timed; %d drops, %d resends, "
              "%d acks lost after commit (resent, original ack returned), %d duplicate "
              "events ignored; %d sync gaps paged in (%d resumes went on with a gap a drop had "
              "interrupted); %d receivers hold the exact log of %lld events",
            test::longMode() ? "long" : "CI", writerCount * perWriter, writerCount, seconds,
            proxy.connections(), proxy.cutsServerToClient(), proxy.cutsClientToServer(),
            proxy.cutsTimed(), drops, resends, lostAcks, duplicates, gaps, carried,
            int(clients.size()), qint64(log.size()));
        QVERIFY(proxy.cutsServerToClient() > 0);
        QVERIFY(proxy.cutsClientToServer() > 0);
        QVERIFY2(
            lostAcks > 0, "no acknowledgement was lost after its commit; the test proved nothing");
    }

    void gapsBeyondResumeMaxArePagedIn()
    {
        test::TestServer server;
        server.config().limits.resumeMax = 20;
        server.config().limits.historyPageMax = 7; // several pages per hole
        QVERIFY(server.start());
        test::ClientPool pool([&] { return server.url(); });
        auto *bob = pool.registered(u"bob"_s);
        auto *carol = pool.registered(u"carol"_s);
        auto *anaSetup = pool.registered(u"ana"_s);
        QVERIFY(bob && carol && anaSetup);
        const qint64 roomA = test::createRoom(bob, u"busy"_s);
        const qint64 roomB = test::createRoom(bob, u"elsewhere"_s);
        QVERIFY(roomA && roomB);
        const auto ok = [](const std::optional<protocol::ServerFrame> &f) {
            return f && f->type == ServerFrameType::Result;
        };
        QVERIFY(ok(anaSetup->request(req::join(roomA))));

        test::ResumeClient ana([&] { return server.url(); });
        ana.setToken(anaSetup->token());
        ana.follow(roomA, 0);
        ana.connectToServer();
        QVERIFY(test::TestClient::waitUntil([&] { return ana.isLive(); }, 10000));
        ana.queueSend(roomA, u"ana-1"_s, u"before the trip"_s);
        QVERIFY(test::TestClient::waitUntil([&] { return ana.outboxSize() == 0; }, 10000));
        ana.goOffline();
        const qint64 cursorA = ana.cursor(roomA);
        QVERIFY(cursorA > 0);

        // While ana is away: far more than resumeMax events of every kind, and a room she
        // joins on another device (so she resumes it from 0).
        const int missed = test::scaled(100, 1000);
        for (int i = 0; i < missed; ++i) {
            QVERIFY(ok(bob->request(req::send(roomA, u"b%1"_s.arg(i), u"news %1 @ana"_s.arg(i)))));
            if (i % 25 == 0) {
                QVERIFY(ok(carol->request(req::join(roomA))));
                QVERIFY(ok(bob->request(req::setTopic(roomA, u"topic %1"_s.arg(i)))));
                QVERIFY(ok(carol->request(req::leave(roomA))));
            }
        }
        QVERIFY(ok(anaSetup->request(req::join(roomB))));
        for (int i = 0; i < 45; ++i)
            QVERIFY(ok(bob->request(req::send(roomB, u"e%1"_s.arg(i), u"over here %1"_s.arg(i)))));

        ana.connectToServer();
        QVERIFY(test::TestClient::waitUntil([&] { return ana.isLive(); }, 20000));
        QVERIFY2(ana.violations().isEmpty(), qPrintable(ana.violations().join(u'\n')));
        QCOMPARE(ana.gapsFilled(), 2); // one hole per room, each closed with history pages
        QVERIFY(ana.historyPages() > 2);

        for (const qint64 room : {roomA, roomB}) {
            const auto log = historyLog(bob, room, 7);
            QVERIFY(!log.isEmpty());
            QCOMPARE(ana.cursor(room), log.last().seq);
            const QString diff = compareTimeline(ana.timeline(room), log);
            QVERIFY2(diff.isEmpty(), qPrintable(u"room %1: "_s.arg(room) + diff));
            const QString dbDiff
                = compareWithDatabase(log, databaseLog(server.databaseLocation(), room));
            QVERIFY2(dbDiff.isEmpty(), qPrintable(dbDiff));
        }
        qInfo("ana resumed room %lld from cursor %lld past %d missed events (resumeMax 20) and "
              "room %lld from 0: %d holes filled with %d history pages; timelines identical to "
              "the database",
            roomA, cursorA, missed, roomB, ana.gapsFilled(), ana.historyPages());
    }

    /*!
     * Regression: sync moves the cursor past a gap at once, so a gap whose history
     * paging a drop interrupts is never reported again; the client must finish it
     * on the next connection, or those events are lost for good.
     */
    void gapInterruptedByADropIsStillFilled()
    {
        test::TestServer server;
        server.config().limits.resumeMax = 20;
        server.config().limits.historyPageMax = 7;
        QVERIFY(server.start());
        test::ClientPool pool([&] { return server.url(); });
        auto *bob = pool.registered(u"bob"_s);
        auto *anaSetup = pool.registered(u"ana"_s);
        QVERIFY(bob && anaSetup);
        const qint64 room = test::createRoom(bob, u"busy"_s);
        QVERIFY(room);
        const auto joined = anaSetup->request(req::join(room));
        QVERIFY(joined && joined->type == ServerFrameType::Result);
        for (int i = 0; i < 100; ++i) {
            const auto sent = bob->request(req::send(room, u"b%1"_s.arg(i), u"news %1"_s.arg(i)));
            QVERIFY(sent && sent->type == ServerFrameType::Result);
        }

        test::ResumeClient ana([&] { return server.url(); });
        ana.setToken(anaSetup->token());
        ana.follow(room, 0);
        int pages = 0;
        connect(&ana, &test::ResumeClient::historyPageApplied, &ana, [&] {
            if (++pages == 2)
                ana.goOffline(); // cut mid-paging: the sync reply has set the cursor already
        });
        ana.connectToServer();
        QVERIFY(test::TestClient::waitUntil([&] { return ana.isOffline(); }, 10000));
        const auto log = historyLog(bob, room, 7);
        QVERIFY(log.size() > 100);
        QCOMPARE(ana.cursor(room), log.last().seq);
        QCOMPARE(ana.openHoles(), 1);
        QVERIFY(ana.timeline(room).size() < log.size());

        ana.connectToServer();
        QVERIFY(test::TestClient::waitUntil([&] { return ana.isLive(); }, 10000));
        QVERIFY2(ana.violations().isEmpty(), qPrintable(ana.violations().join(u'\n')));
        QCOMPARE(ana.openHoles(), 0);
        QCOMPARE(ana.gapsFilled(), 1);
        QCOMPARE(ana.holesCarriedOver(), 1);
        QCOMPARE(ana.cursor(room), log.last().seq);
        const QString diff = compareTimeline(ana.timeline(room), log);
        QVERIFY2(diff.isEmpty(), qPrintable(diff));
    }
};

CONFAB_SERVER_TEST_MAIN(TestReliabilityResume)
#include "tst_reliability_resume.moc"
