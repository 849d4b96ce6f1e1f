// SPDX-License-Identifier: GPL-3.0-or-later
// Several confabd instances on one PostgreSQL (issue 18): each instance's clients see what
// was sent through the others, in the same order, with the room's seqs gap-free; a txn
// sent to two instances is stored once; a lost doorbell only delays delivery (the poll).
#include "clientpool.h"
#include "core/metrics.h"
#include "postgrescluster.h"
#include "protocol/accountrequests.h"
#include "protocol/closecode.h"
#include "protocol/teamrequests.h"
#include "testclient.h"
#include "testserver.h"

#include <QJsonArray>
#include <QSqlQuery>
#include <QtTest>
#include <memory>

using namespace Qt::StringLiterals;
using namespace confab;
using protocol::EventKind;
using protocol::ServerFrameType;
namespace req = protocol::requests;

class TestInstances : public QObject
{
    Q_OBJECT

    static constexpr int Instances = 3;
    test::PostgresCluster m_cluster;
    std::vector<std::unique_ptr<test::TestServer>> m_servers;
    std::vector<std::unique_ptr<test::ClientPool>> m_pools;
    int m_databases = 0;

    QString freshDatabase()
    {
        return m_cluster.createDatabase(u"instances_%1"_s.arg(++m_databases));
    }

    //! Clients of instance \a i.
    test::ClientPool &on(int i) { return *m_pools.at(std::size_t(i)); }

    static qint64 seqOf(const std::optional<protocol::ServerFrame> &reply)
    {
        return reply && reply->type == ServerFrameType::Result
            ? qint64(reply->data().value("seq"_L1).toDouble())
            : 0;
    }

    //! The room's events \a c received, as "seq kind sender text" lines.
    static QStringList seen(const test::TestClient *c, qint64 room)
    {
        QStringList lines;
        for (const protocol::RoomEvent &e : c->events(room))
            lines.append(u"%1 %2 %3 %4"_s.arg(e.seq).arg(
                QString::fromLatin1(protocol::eventKindName(e.kind)), e.sender, e.text));
        return lines;
    }

    //! Joins \a c to \a room, waiting until its instance has heard of the room.
    static bool joined(test::TestClient *c, qint64 room)
    {
        return test::TestClient::waitUntil(
            [&] {
                const auto r = c->request(req::join(room));
                return r && r->type == ServerFrameType::Result;
            },
            10000);
    }

    int doorbellConnections()
    {
        int count = 0;
        {
            QSqlDatabase admin = m_cluster.connect(u"count"_s);
            count = test::queryValue(admin,
                u"SELECT count(*) FROM pg_stat_activity WHERE application_name = 'confab-doorbell'"_s)
                        .toInt();
        }
        QSqlDatabase::removeDatabase(u"count"_s);
        return count;
    }

    int killDoorbells()
    {
        QSqlDatabase admin = m_cluster.connect(u"killer"_s);
        QSqlQuery q(admin);
        int killed = 0;
        if (q.exec(u"SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
                   "WHERE application_name = 'confab-doorbell'"_s)) {
            while (q.next())
                killed += q.value(0).toBool() ? 1 : 0;
        }
        q = QSqlQuery();
        admin = QSqlDatabase();
        QSqlDatabase::removeDatabase(u"killer"_s);
        return killed;
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
        const QString database = freshDatabase();
        for (int i = 0; i < Instances; ++i) {
            auto server = std::make_unique<test::TestServer>();
            server->config().database = database;
            QVERIFY(server->start());
            test::TestServer *s = server.get();
            m_pools.push_back(std::make_unique<test::ClientPool>([s] { return s->url(); }));
            m_servers.push_back(std::move(server));
        }
    }

    void cleanup()
    {
        m_pools.clear();
        m_servers.clear();
    }

    void onlyOneFirstAccountBecomesAdmin()
    {
        // Registrations racing on every instance of an empty server: one admin.
        QList<test::TestClient *> clients;
        for (int i = 0; i < 3 * Instances; ++i) {
            auto *c = on(i % Instances).connectClient();
            QVERIFY(c);
            clients.append(c);
        }
        for (int i = 0; i < clients.size(); ++i)
            clients.at(i)->sendRaw(QString::fromUtf8(
                req::registerAccount(u"first%1"_s.arg(i), u"password-123"_s).encode(u"r"_s)));
        QVERIFY(test::TestClient::waitUntil(
            [&] {
                return std::all_of(clients.cbegin(), clients.cend(),
                    [](const test::TestClient *c) { return !c->strayReplies().isEmpty(); });
            },
            20000));
        QSqlDatabase db = m_servers.front()->openDatabase(u"check"_s);
        QCOMPARE(test::queryValue(db, u"SELECT count(*) FROM users"_s).toInt(), 3 * Instances);
        QCOMPARE(test::queryValue(db, u"SELECT count(*) FROM users WHERE admin = 1"_s).toInt(), 1);
        db = QSqlDatabase();
        QSqlDatabase::removeDatabase(u"check"_s);
    }

    void clientsOnEveryInstanceSeeTheSameLog()
    {
        auto *ana = on(0).registered(u"ana"_s);
        auto *bob = on(1).registered(u"bob"_s);
        auto *cid = on(2).registered(u"cid"_s);
        QVERIFY(ana && bob && cid);
        const qint64 room = test::createRoom(ana, u"everywhere"_s);
        QVERIFY(room > 0);
        // The room was created on instance 0: the others learn of it from the database.
        QVERIFY(joined(bob, room));
        QVERIFY(joined(cid, room));
        // Everyone hears each join, whichever instance it was made on.
        QVERIFY(ana->waitEvent(room, 4, 10000));
        QVERIFY(bob->waitEvent(room, 4, 10000));

        for (int round = 0; round < 5; ++round) {
            QVERIFY(seqOf(ana->request(req::send(room, u"a%1"_s.arg(round), u"from ana"_s))));
            QVERIFY(seqOf(bob->request(req::send(room, u"b%1"_s.arg(round), u"from bob"_s))));
            QVERIFY(seqOf(cid->request(req::send(room, u"c%1"_s.arg(round), u"from cid"_s))));
        }
        // create, join, two joins, fifteen messages
        const qint64 last = 4 + 15;
        for (auto *c : {ana, bob, cid})
            QVERIFY2(c->waitEvent(room, last, 10000), qPrintable(c->user()));
        // From cid's join on, all three saw the same events in the same order.
        const auto fromCidsJoin = [room](const test::TestClient *c) {
            QStringList lines = seen(c, room);
            while (!lines.isEmpty() && !lines.first().startsWith("4 "_L1))
                lines.removeFirst();
            return lines;
        };
        QCOMPARE(fromCidsJoin(ana).size(), 16);
        QCOMPARE(fromCidsJoin(bob), fromCidsJoin(ana));
        QCOMPARE(fromCidsJoin(cid), fromCidsJoin(ana));
        for (qsizetype i = 1; i < fromCidsJoin(ana).size(); ++i)
            QVERIFY(fromCidsJoin(ana).at(i).startsWith(u"%1 "_s.arg(4 + i)));
    }

    void tenWritersOnThreeInstancesGiveAGapFreeLog()
    {
        constexpr int Writers = 10;
        constexpr int Each = 20;
        QList<test::TestClient *> writers;
        for (int i = 0; i < Writers; ++i) {
            auto *c = on(i % Instances).registered(u"writer%1"_s.arg(i));
            QVERIFY(c);
            writers.append(c);
        }
        const qint64 room = test::createRoom(writers.first(), u"busy"_s);
        QVERIFY(room > 0);
        for (auto *c : writers.mid(1))
            QVERIFY(joined(c, room));
        const qint64 before = 1 + Writers; // create and the joins
        // Every writer pipelines its sends: the instances' writers interleave in the room.
        for (int n = 0; n < Each; ++n) {
            for (int i = 0; i < Writers; ++i) {
                writers.at(i)->sendRaw(QString::fromUtf8(
                    req::send(room, u"w%1-%2"_s.arg(i).arg(n), u"%1/%2"_s.arg(i).arg(n))
                        .encode(u"p%1-%2"_s.arg(i).arg(n))));
            }
        }
        const qint64 last = before + Writers * Each;
        for (auto *c : writers) {
            QVERIFY2(c->waitEvent(room, last, 20000), qPrintable(c->user()));
            // Each client got every event once, in seq order, with no gap.
            QList<qint64> seqs;
            for (const protocol::RoomEvent &e : c->events(room))
                seqs.append(e.seq);
            QVERIFY2(std::is_sorted(seqs.cbegin(), seqs.cend()), qPrintable(c->user()));
            QCOMPARE(seqs.last(), last);
            QCOMPARE(seqs.size(), qsizetype(seqs.last() - seqs.first() + 1));
            // Each sender's own messages kept their order.
            QStringList mine;
            for (const protocol::RoomEvent &e : c->events(room)) {
                if (e.kind == EventKind::Message && e.sender == c->user())
                    mine.append(e.text);
            }
            QCOMPARE(mine.size(), Each);
            const QString who = c->user().mid(6);
            for (int n = 0; n < Each; ++n)
                QCOMPARE(mine.at(n), u"%1/%2"_s.arg(who).arg(n));
        }
        // And the database holds the same: seqs 1..last.
        QSqlDatabase db = m_servers.front()->openDatabase(u"check"_s);
        QCOMPARE(test::queryValue(db,
                     u"SELECT count(*) || ':' || min(seq) || ':' || max(seq) FROM events "
                     "WHERE room_id = %1"_s.arg(room))
                     .toString(),
            u"%1:1:%1"_s.arg(last));
        db = QSqlDatabase();
        QSqlDatabase::removeDatabase(u"check"_s);
    }

    void batchesSharingRoomsOnTwoInstancesDoNotDeadlock()
    {
        // Each instance's batches append to both rooms, in the opposite order: without the
        // rooms locked in one order first, PostgreSQL breaks the deadlocks by failing
        // batches (and the writer retries them one by one).
        auto *ana = on(0).registered(u"ana"_s);
        auto *bob = on(1).registered(u"bob"_s);
        QVERIFY(ana && bob);
        const qint64 first = test::createRoom(ana, u"first"_s);
        const qint64 second = test::createRoom(ana, u"second"_s);
        QVERIFY(first > 0 && second > 0);
        QVERIFY(joined(bob, first));
        QVERIFY(joined(bob, second));
        const quint64 failuresBefore = server::metrics::registry().commitFailures.value();
        constexpr int Each = 300;
        for (int n = 0; n < Each; ++n) {
            const auto send = [n](test::TestClient *c, qint64 room, const QString &tag) {
                const QString txn = u"%1-%2-%3"_s.arg(tag).arg(room).arg(n);
                c->sendRaw(QString::fromUtf8(req::send(room, txn, txn).encode(txn)));
            };
            send(ana, first, u"a"_s);
            send(ana, second, u"a"_s);
            send(bob, second, u"b"_s);
            send(bob, first, u"b"_s);
        }
        QVERIFY(test::TestClient::waitUntil(
            [&] {
                return ana->strayReplies().size() >= 2 * Each
                    && bob->strayReplies().size() >= 2 * Each;
            },
            30000));
        for (const auto &reply : ana->strayReplies() + bob->strayReplies())
            QCOMPARE(reply.type, ServerFrameType::Result);
        QCOMPARE(server::metrics::registry().commitFailures.value(), failuresBefore);
    }

    void aTxnSentToTwoInstancesIsStoredOnce()
    {
        auto *ana = on(0).registered(u"ana"_s);
        QVERIFY(ana);
        auto *again = on(1).signedIn(ana->token());
        QVERIFY(again);
        const qint64 room = test::createRoom(ana, u"once"_s);
        QVERIFY(room > 0);
        // The same message through both instances at once, as a client resending after a
        // reconnect to another instance would.
        ana->sendRaw(QString::fromUtf8(req::send(room, u"t-1"_s, u"hello"_s).encode(u"x1"_s)));
        again->sendRaw(QString::fromUtf8(req::send(room, u"t-1"_s, u"hello"_s).encode(u"x2"_s)));
        QVERIFY(test::TestClient::waitUntil(
            [&] { return !ana->strayReplies().isEmpty() && !again->strayReplies().isEmpty(); },
            10000));
        const protocol::ServerFrame first = ana->strayReplies().first();
        const protocol::ServerFrame second = again->strayReplies().first();
        QCOMPARE(first.type, ServerFrameType::Result);
        QCOMPARE(second.type, ServerFrameType::Result);
        QCOMPARE(second.data().value("seq"_L1), first.data().value("seq"_L1));
        QCOMPARE(second.data().value("id"_L1), first.data().value("id"_L1));
        QSqlDatabase db = m_servers.front()->openDatabase(u"check"_s);
        QCOMPARE(test::queryValue(
                     db, u"SELECT count(*) FROM events WHERE room_id = %1 AND kind = 1"_s.arg(room))
                     .toInt(),
            1);
        db = QSqlDatabase();
        QSqlDatabase::removeDatabase(u"check"_s);
        // And the one message reached both connections once.
        QVERIFY(again->waitEvent(room, 3, 10000));
        QTest::qWait(200);
        QCOMPARE(again->events(room).size(), ana->events(room).size());
    }

    void membershipChangesReachTheOtherInstances()
    {
        auto *ana = on(0).registered(u"ana"_s);
        auto *bob = on(1).registered(u"bob"_s);
        QVERIFY(ana && bob);
        // Bob on a second device, on ana's instance.
        auto *bobToo = on(0).signedIn(bob->token());
        QVERIFY(bobToo);
        const qint64 room = test::createRoom(ana, u"members"_s);
        QVERIFY(room > 0);
        QVERIFY(joined(bob, room));
        // Instance 0 learnt the join: bob's device there gets the room, then its events.
        QVERIFY(bobToo->waitPush(
            [room](const protocol::ServerFrame &f) {
                return f.type == ServerFrameType::Room && f.roomSummary()
                    && f.roomSummary()->id == room;
            },
            10000));
        QVERIFY(seqOf(ana->request(req::send(room, u"m1"_s, u"welcome"_s))));
        QVERIFY(bobToo->waitEvent(room, 4, 10000));
        QVERIFY(bob->waitEvent(room, 4, 10000));

        // Bob leaves on instance 1: instance 0 stops sending him the room's events.
        QVERIFY(seqOf(bob->request(req::leave(room))) == 5);
        QVERIFY(ana->waitEvent(room, 5, 10000));
        QVERIFY(bobToo->waitEvent(room, 5, 10000));
        QVERIFY(seqOf(ana->request(req::send(room, u"m2"_s, u"after bob left"_s))) == 6);
        QVERIFY(ana->waitEvent(room, 6, 10000));
        QTest::qWait(300);
        QCOMPARE(bobToo->events(room).last().seq, 5);
        QCOMPARE(bob->events(room).last().seq, 5);

        // A topic set on instance 0 reaches the directory of instance 1's clients.
        bob->clearPushes();
        QVERIFY(seqOf(ana->request(req::setTopic(room, u"news"_s))) == 7);
        const auto entry = bob->waitPush(
            [room](const protocol::ServerFrame &f) {
                return f.type == ServerFrameType::Directory && f.directoryEntry()
                    && f.directoryEntry()->id == room;
            },
            10000);
        QVERIFY(entry);
        QCOMPARE(entry->directoryEntry()->topic, u"news"_s);
    }

    void aSignOutOnOneInstanceEndsTheSessionOnTheOthers()
    {
        auto *ana = on(0).registered(u"ana"_s);
        QVERIFY(ana);
        const QString token = ana->token();
        // Signed in on instance 1 with the same token: instance 1 now remembers it.
        auto *elsewhere = on(1).signedIn(token);
        QVERIFY(elsewhere);
        QVERIFY(on(1).signedIn(token));
        QVERIFY(ana->request(req::logout()));
        // The connection on the other instance ends as a sign-out there would end it...
        QVERIFY(test::TestClient::waitUntil([&] { return elsewhere->closeCode() >= 0; }, 10000));
        QCOMPARE(elsewhere->closeCode(), int(protocol::closecode::SignedOut));
        // ...and the token no longer signs in on any instance.
        for (int i = 0; i < Instances; ++i) {
            auto *c = on(i).connectClient();
            QVERIFY(c);
            QVERIFY2(!c->authenticate(token), qPrintable(u"instance %1"_s.arg(i)));
        }
    }

    void presenceTypingAndReadPositionsCrossInstances()
    {
        auto *ana = on(0).registered(u"ana"_s);
        auto *bob = on(1).registered(u"bob"_s);
        QVERIFY(ana && bob);
        const qint64 room = test::createRoom(ana, u"people"_s);
        QVERIFY(room > 0);
        QVERIFY(joined(bob, room));
        const auto presence = [](test::TestClient *c, const QString &user, bool online) {
            return c->waitPush(
                [&](const protocol::ServerFrame &f) {
                    const auto p = f.presence();
                    return p && (online ? p->online : p->offline).contains(user);
                },
                10000);
        };
        // Bob on instance 1 counts as online on instance 0.
        const auto members = ana->request(req::members(room));
        QVERIFY(members && members->type == ServerFrameType::Result);
        for (const QJsonValue m : members->data().value("members"_L1).toArray())
            QVERIFY2(m["online"_L1].toBool(), qPrintable(m["user"_L1].toString()));

        // Typing on instance 1 shows on instance 0.
        QVERIFY(bob->request(req::typing(room, true)));
        QVERIFY(ana->waitPush(
            [room](const protocol::ServerFrame &f) {
                const auto t = f.typing();
                return t && t->room == room && t->user == "bob"_L1 && t->typing;
            },
            10000));

        // Bob's second device on instance 2; the first goes: he is still online.
        auto *bobToo = on(2).signedIn(bob->token());
        QVERIFY(bobToo);
        // Ana on instance 1 too, beside bob's first device.
        auto *anaThere = on(1).signedIn(ana->token());
        QVERIFY(anaThere);
        QTest::qWait(500);
        ana->clearPushes();
        anaThere->clearPushes();
        bob->disconnectNow();
        // Gone from instance 1, but online on instance 2: no one hears "offline", on
        // instance 1 (where his last connection went) or elsewhere.
        QTest::qWait(1000);
        for (const protocol::ServerFrame &f : ana->pushes() + anaThere->pushes())
            QVERIFY(!(f.presence() && f.presence()->offline.contains(u"bob"_s)));
        // Now his last connection anywhere goes.
        bobToo->disconnectNow();
        QVERIFY(presence(ana, u"bob"_s, false));
        // And comes back, on instance 1.
        auto *bobAgain = on(1).signedIn(bob->token());
        QVERIFY(bobAgain);
        QVERIFY(presence(ana, u"bob"_s, true));

        // Bob reads on instance 1; his device on instance 0 updates its badge.
        auto *bobHere = on(0).signedIn(bob->token());
        QVERIFY(bobHere);
        QVERIFY(seqOf(ana->request(req::send(room, u"r1"_s, u"read me"_s))) == 4);
        QVERIFY(bobHere->waitEvent(room, 4, 10000));
        bobHere->clearPushes();
        QVERIFY(bobAgain->waitEvent(room, 4, 10000));
        QVERIFY(bobAgain->request(req::markRead(room, 4)));
        const auto badge = bobHere->waitPush(
            [room](const protocol::ServerFrame &f) {
                const auto r = f.readState();
                return r && r->room == room;
            },
            10000);
        QVERIFY(badge);
        QCOMPARE(badge->readState()->readSeq, 4);
        QCOMPARE(badge->readState()->unread, 0);
    }

    void settingsProfilesAndDndCrossInstances()
    {
        // The first account is the server's admin.
        auto *ana = on(0).registered(u"ana"_s);
        auto *bob = on(1).registered(u"bob"_s);
        QVERIFY(ana && bob);
        const qint64 room = test::createRoom(ana, u"profiles"_s);
        QVERIFY(room > 0);
        QVERIFY(joined(bob, room));
        auto *anaThere = on(1).signedIn(ana->token());
        QVERIFY(anaThere);

        // A profile changed on instance 0 reaches who shares a room with ana on instance 1.
        QVERIFY(ana->request(req::setProfile(u"Ana B."_s)));
        const auto profile = bob->waitPush(
            [](const protocol::ServerFrame &f) { return f.profile().has_value(); }, 10000);
        QVERIFY(profile);
        QCOMPARE(profile->profile()->displayName, u"Ana B."_s);

        // Do-not-disturb set on instance 0 reaches ana's device on instance 1.
        const qint64 until = QDateTime::currentMSecsSinceEpoch() + 3'600'000;
        QVERIFY(ana->request(req::setDnd(until)));
        QVERIFY(anaThere->waitPush(
            [](const protocol::ServerFrame &f) { return f.type == ServerFrameType::Dnd; }, 10000));

        // Registration closed from the app on instance 0 is closed on instance 2 too.
        const auto closed
            = ana->request(req::setServerSettings(protocol::RegistrationMode::Closed));
        QVERIFY(closed && closed->type == ServerFrameType::Result);
        QVERIFY(test::TestClient::waitUntil(
            [&] {
                auto *c = on(2).connectClient();
                const auto r = c ? c->request(req::registerAccount(u"eve"_s, u"password-123"_s))
                                 : std::nullopt;
                return r && r->type == ServerFrameType::Error
                    && r->error == protocol::ErrorCode::RegistrationClosed;
            },
            10000));
    }

    void aLostDoorbellOnlyDelaysDelivery()
    {
        auto *ana = on(0).registered(u"ana"_s);
        auto *bob = on(1).registered(u"bob"_s);
        QVERIFY(ana && bob);
        const qint64 room = test::createRoom(ana, u"poll"_s);
        QVERIFY(room > 0);
        QVERIFY(joined(bob, room));
        QVERIFY(ana->waitEvent(room, 3, 10000));
        // Every instance's listener connection goes; what is sent meanwhile still arrives,
        // found by the poll and, once they listen again, rung.
        QCOMPARE(killDoorbells(), Instances);
        for (int i = 0; i < 3; ++i)
            QVERIFY(seqOf(ana->request(req::send(room, u"l%1"_s.arg(i), u"lost %1"_s.arg(i)))));
        QVERIFY(bob->waitEvent(room, 6, 10000));
        QCOMPARE(bob->events(room).last().text, u"lost 2"_s);
        // And they listen again.
        QTRY_COMPARE_WITH_TIMEOUT(doorbellConnections(), Instances, 10000);
    }
};

CONFAB_SERVER_TEST_MAIN(TestInstances)
#include "tst_instances.moc"
