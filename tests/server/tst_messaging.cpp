// SPDX-License-Identifier: GPL-3.0-or-later
// Rooms, broadcast, history, resend and resume through real sockets on 127.0.0.1.
#include "clientpool.h"
#include "protocol/hello.h"
#include "testclient.h"
#include "testserver.h"

#include <QJsonArray>
#include <QSqlDatabase>
#include <QSqlQuery>
#include <QtTest>
#include <memory>

using namespace Qt::StringLiterals;
using namespace confab;
using protocol::ErrorCode;
using protocol::ServerFrameType;
namespace req = protocol::requests;

class TestMessaging : public QObject
{
    Q_OBJECT

private:
    std::unique_ptr<test::TestServer> m_server;
    test::ClientPool m_clients {[this] { return m_server->url(); }};

    static bool joined(test::TestClient *c, qint64 room)
    {
        const auto r = c->request(req::join(room));
        return r && r->type == ServerFrameType::Result;
    }
    static QJsonObject send(
        test::TestClient *c, qint64 room, const QString &txn, const QString &text)
    {
        const auto r = c->request(req::send(room, txn, text));
        return r && r->type == ServerFrameType::Result ? r->data() : QJsonObject();
    }
    static bool succeeded(const std::optional<protocol::ServerFrame> &r)
    {
        return r && r->type == ServerFrameType::Result;
    }
    static qint64 seqOf(const QJsonObject &ack) { return qint64(ack.value("seq"_L1).toDouble()); }
    static QJsonObject roomIn(const QJsonObject &session, qint64 room)
    {
        const auto rooms = session.value("rooms"_L1).toArray();
        for (const auto &r : rooms) {
            if (qint64(r.toObject().value("id"_L1).toDouble()) == room)
                return r.toObject();
        }
        return {};
    }

private Q_SLOTS:
    void init()
    {
        m_server = std::make_unique<test::TestServer>();
        QVERIFY(m_server->start());
    }
    void cleanup()
    {
        m_clients.clear();
        m_server.reset();
    }

    void broadcastReachesExactlyTheMembersOnEveryDevice()
    {
        auto *ana = m_clients.registered(u"ana"_s);
        auto *bob = m_clients.registered(u"bob"_s);
        auto *eve = m_clients.registered(u"eve"_s);
        QVERIFY(ana && bob && eve);
        auto *bob2 = m_clients.signedIn(bob->token());
        QVERIFY(bob2);
        const qint64 room = test::createRoom(ana, u"general"_s);
        QVERIFY(room > 0);
        QVERIFY(joined(bob, room));
        const QJsonObject ack = send(ana, room, u"t1"_s, u"hello @bob"_s);
        QVERIFY(!ack.isEmpty());
        const qint64 seq = seqOf(ack);
        QCOMPARE(seq, 4); // create, join ana, join bob, message
        for (auto *c : {ana, bob, bob2}) {
            const auto e = c->waitEvent(room, seq);
            QVERIFY2(e, qPrintable(c->user()));
            QCOMPARE(e->text, u"hello @bob"_s);
            QCOMPARE(e->sender, u"ana"_s);
            QCOMPARE(e->txn, u"t1"_s);
            QCOMPARE(e->mentions, QStringList {u"bob"_s});
            QCOMPARE(double(e->id), ack.value("id"_L1).toDouble());
            QCOMPARE(double(e->timestamp), ack.value("ts"_L1).toDouble());
        }
        // eve is not a member: let a later message through to be sure she had the chance.
        QVERIFY(!send(bob, room, u"t2"_s, u"second"_s).isEmpty());
        QVERIFY(ana->waitEvent(room, seq + 1));
        QVERIFY(eve->events(room).isEmpty());
        // and she cannot read it either.
        const auto history = eve->request(req::historyBefore(room, 100, 50));
        QVERIFY(history);
        QCOMPARE(history->error, ErrorCode::NotMember);
        const auto sent = eve->request(req::send(room, u"x"_s, u"let me in"_s));
        QCOMPARE(sent->error, ErrorCode::NotMember);
    }

    void directConversationIsInvisibleToOthers()
    {
        auto *ana = m_clients.registered(u"ana"_s);
        auto *bob = m_clients.registered(u"bob"_s);
        auto *eve = m_clients.registered(u"eve"_s);
        QVERIFY(ana && bob && eve);
        const auto opened = ana->request(req::openDirect(u"bob"_s));
        QVERIFY(opened && opened->type == ServerFrameType::Result);
        const QJsonObject summary = opened->data().value("room"_L1).toObject();
        const qint64 room = qint64(summary.value("id"_L1).toDouble());
        QCOMPARE(summary.value("kind"_L1).toString(), u"direct"_s);
        QCOMPARE(summary.value("name"_L1).toString(), u"bob"_s);
        // bob learns of it without asking, named after ana.
        const auto pushed = bob->waitPush(
            [&](const protocol::ServerFrame &f) { return f.type == ServerFrameType::Room; });
        QVERIFY(pushed);
        QCOMPARE(pushed->body.value("room"_L1).toObject().value("name"_L1).toString(), u"ana"_s);
        // opening again is idempotent
        const auto again = bob->request(req::openDirect(u"ana"_s));
        QCOMPARE(qint64(again->data().value("room"_L1).toObject().value("id"_L1).toDouble()), room);

        const qint64 seq = seqOf(send(ana, room, u"d1"_s, u"secret"_s));
        QVERIFY(bob->waitEvent(room, seq));
        QVERIFY(!send(bob, room, u"d2"_s, u"reply"_s).isEmpty());
        QVERIFY(ana->waitEvent(room, seq + 1));
        QVERIFY(eve->events(room).isEmpty());
        // An outsider cannot even tell the room exists.
        QCOMPARE(eve->request(req::historyBefore(room, 10, 10))->error, ErrorCode::NotFound);
        QCOMPARE(eve->request(req::join(room))->error, ErrorCode::NotFound);
        QCOMPARE(eve->request(req::members(room))->error, ErrorCode::NotFound);
        const auto list = eve->request(req::listRooms());
        QVERIFY(list->data().value("rooms"_L1).toArray().isEmpty());
        QCOMPARE(ana->request(req::leave(room))->error, ErrorCode::Forbidden);
    }

    void historyPagesBothWays()
    {
        auto *ana = m_clients.registered(u"ana"_s);
        QVERIFY(ana);
        const qint64 room = test::createRoom(ana, u"log"_s);
        for (int i = 0; i < 25; ++i)
            QVERIFY(!send(ana, room, u"h%1"_s.arg(i), u"m%1"_s.arg(i)).isEmpty());
        // seqs: 1 create, 2 join, 3..27 messages
        auto page = ana->request(req::historyBefore(room, 28, 10));
        QVERIFY(page && page->type == ServerFrameType::Result);
        auto events = page->data().value("events"_L1).toArray();
        QCOMPARE(events.size(), 10);
        QCOMPARE(events.first().toObject().value("seq"_L1).toInt(), 18);
        QCOMPARE(events.last().toObject().value("seq"_L1).toInt(), 27);
        QCOMPARE(events.last().toObject().value("text"_L1).toString(), u"m24"_s);
        QVERIFY(page->data().value("hasMore"_L1).toBool());
        // walk back to the start
        qint64 before = 18;
        int total = 10;
        for (;;) {
            page = ana->request(req::historyBefore(room, before, 10));
            events = page->data().value("events"_L1).toArray();
            total += int(events.size());
            if (!page->data().value("hasMore"_L1).toBool())
                break;
            before = events.first().toObject().value("seq"_L1).toInt();
        }
        QCOMPARE(total, 27);
        QCOMPARE(events.first().toObject().value("kind"_L1).toString(), u"create"_s);
        page = ana->request(req::historyAfter(room, 20, 5));
        events = page->data().value("events"_L1).toArray();
        QCOMPARE(events.size(), 5);
        QCOMPARE(events.first().toObject().value("seq"_L1).toInt(), 21);
        QVERIFY(page->data().value("hasMore"_L1).toBool());
        page = ana->request(req::historyAfter(room, 25, 5));
        QCOMPARE(page->data().value("events"_L1).toArray().size(), 2);
        QVERIFY(!page->data().value("hasMore"_L1).toBool());
        // the page size is bounded by the server's limit
        const int max = m_server->config().limits.historyPageMax;
        QCOMPARE(ana->request(req::historyBefore(room, 5, max + 1))->error, ErrorCode::BadRequest);
    }

    void resendWithSameTxnYieldsOneMessage()
    {
        auto *ana = m_clients.registered(u"ana"_s);
        QVERIFY(ana);
        const qint64 room = test::createRoom(ana, u"dupes"_s);
        const QJsonObject first = send(ana, room, u"txn-1"_s, u"once"_s);
        QVERIFY(!first.isEmpty());
        QCOMPARE(send(ana, room, u"txn-1"_s, u"once"_s), first);
        // A different device of the same user resending gets the same answer.
        auto *ana2 = m_clients.signedIn(ana->token());
        QVERIFY(ana2);
        QCOMPARE(send(ana2, room, u"txn-1"_s, u"once"_s), first);
        const QString token = ana->token();

        QVERIFY(m_server->restart());
        auto *after = m_clients.signedIn(token);
        QVERIFY(after);
        QCOMPARE(send(after, room, u"txn-1"_s, u"once"_s), first);

        const auto page = after->request(req::historyBefore(room, 1000, 100));
        int copies = 0;
        const auto events = page->data().value("events"_L1).toArray();
        for (const auto &e : events)
            copies += e.toObject().value("txn"_L1).toString() == "txn-1"_L1;
        QCOMPARE(copies, 1);
        // The next message continues the sequence without a hole.
        QCOMPARE(seqOf(send(after, room, u"txn-2"_s, u"next"_s)), seqOf(first) + 1);
    }

    void repeatedTxnInOneBatchIsStoredOnce()
    {
        // Pipelined, so that they reach the writer together and share one transaction: the
        // second is found by the unique key on (sender, txn), not by a lookup before it.
        // String ids: the client keeps their replies apart (strayReplies()).
        auto *ana = m_clients.registered(u"ana"_s);
        QVERIFY(ana);
        const qint64 room = test::createRoom(ana, u"batched"_s);
        const qint64 other = test::createRoom(ana, u"batched-2"_s);
        ana->sendRaw(QString::fromUtf8(req::send(room, u"b-1"_s, u"first"_s).encode(u"p901"_s)));
        ana->sendRaw(QString::fromUtf8(req::send(room, u"b-1"_s, u"again"_s).encode(u"p902"_s)));
        ana->sendRaw(
            QString::fromUtf8(req::send(other, u"b-1"_s, u"elsewhere"_s).encode(u"p903"_s)));
        ana->sendRaw(QString::fromUtf8(req::send(room, u"b-2"_s, u"second"_s).encode(u"p904"_s)));
        QVERIFY(test::TestClient::waitUntil([&] { return ana->strayReplies().size() >= 4; }, 5000));
        QHash<QString, QJsonObject> acks;
        for (const auto &r : ana->strayReplies()) {
            QCOMPARE(r.type, ServerFrameType::Result);
            acks.insert(r.id.toString(), r.data());
        }
        QCOMPARE(acks.size(), 4);
        // The identical ack each time, its room the original's.
        QCOMPARE(acks.value(u"p902"_s), acks.value(u"p901"_s));
        QCOMPARE(acks.value(u"p903"_s), acks.value(u"p901"_s));
        QCOMPARE(qint64(acks.value(u"p901"_s).value("room"_L1).toDouble()), room);
        QCOMPARE(seqOf(acks.value(u"p904"_s)), seqOf(acks.value(u"p901"_s)) + 1);
        const auto page = ana->request(req::historyBefore(room, 1000, 100));
        QVERIFY(page);
        QStringList texts;
        for (const auto &e : page->data().value("events"_L1).toArray()) {
            if (e.toObject().value("kind"_L1).toString() == "message"_L1)
                texts << e.toObject().value("text"_L1).toString();
        }
        texts.sort();
        QCOMPARE(texts, (QStringList {u"first"_s, u"second"_s}));
        const auto empty = ana->request(req::historyBefore(other, 1000, 100));
        QVERIFY(empty);
        for (const auto &e : empty->data().value("events"_L1).toArray())
            QVERIFY(e.toObject().value("kind"_L1).toString() != "message"_L1);
    }

    void resumeReplaysExactlyWhatWasMissed()
    {
        auto *ana = m_clients.registered(u"ana"_s);
        auto *bob = m_clients.registered(u"bob"_s);
        QVERIFY(ana && bob);
        const qint64 room = test::createRoom(ana, u"resume"_s);
        QVERIFY(joined(bob, room));
        const qint64 seen = seqOf(send(ana, room, u"r0"_s, u"before"_s));
        QVERIFY(bob->waitEvent(room, seen));
        const QString token = bob->token();
        bob->disconnectNow();
        QVERIFY(test::TestClient::waitUntil([&] { return !bob->isConnected(); }, 2000));
        for (int i = 1; i <= 7; ++i)
            QVERIFY(!send(ana, room, u"r%1"_s.arg(i), u"missed %1"_s.arg(i)).isEmpty());

        auto *back = m_clients.signedIn(token);
        QVERIFY(back);
        const auto sync = back->request(req::sync({{room, seen}}));
        QVERIFY(sync && sync->type == ServerFrameType::Result);
        const auto rooms = sync->data().value("rooms"_L1).toArray();
        QCOMPARE(rooms.size(), 1);
        const QJsonObject entry = rooms.first().toObject();
        QVERIFY(!entry.value("gap"_L1).toBool());
        const auto events = entry.value("events"_L1).toArray();
        QCOMPARE(events.size(), 7);
        for (int i = 0; i < 7; ++i) {
            QCOMPARE(events[i].toObject().value("seq"_L1).toInt(), seen + 1 + i);
            QCOMPARE(events[i].toObject().value("text"_L1).toString(), u"missed %1"_s.arg(i + 1));
        }
        // Live traffic continues right after the replay.
        const qint64 next = seqOf(send(ana, room, u"r8"_s, u"live"_s));
        QCOMPARE(next, seen + 8);
        QVERIFY(back->waitEvent(room, next));
        QCOMPARE(back->events(room).size(), 1);
    }

    void resumeBeyondTheBoundReportsTheGap()
    {
        m_server->config().limits.resumeMax = 5;
        QVERIFY(m_server->restart());
        auto *ana = m_clients.registered(u"ana"_s);
        QVERIFY(ana);
        const qint64 room = test::createRoom(ana, u"busy"_s);
        for (int i = 0; i < 12; ++i)
            QVERIFY(!send(ana, room, u"g%1"_s.arg(i), u"n%1"_s.arg(i)).isEmpty());
        // lastSeq = 14; a cursor of 2 misses 12 events, more than 5
        const auto sync = ana->request(req::sync({{room, 2}}));
        const QJsonObject entry = sync->data().value("rooms"_L1).toArray().first().toObject();
        QVERIFY(entry.value("gap"_L1).toBool());
        QCOMPARE(entry.value("gapFrom"_L1).toInt(), 2);
        const auto events = entry.value("events"_L1).toArray();
        QCOMPARE(events.size(), 5);
        QCOMPARE(events.first().toObject().value("seq"_L1).toInt(), 10);
        QCOMPARE(events.last().toObject().value("seq"_L1).toInt(), 14);
        // Paging back from the first returned event closes the gap exactly.
        const auto page = ana->request(req::historyAfter(room, 2, 5));
        QCOMPARE(
            page->data().value("events"_L1).toArray().first().toObject().value("seq"_L1).toInt(),
            3);
        const auto rest = ana->request(req::historyBefore(room, 10, 10));
        QCOMPARE(rest->data().value("events"_L1).toArray().size(), 9);
    }

    void syncReportsRoomsLeftAndJoinedElsewhere()
    {
        auto *ana = m_clients.registered(u"ana"_s);
        QVERIFY(ana);
        const qint64 a = test::createRoom(ana, u"a"_s);
        const qint64 b = test::createRoom(ana, u"b"_s);
        QVERIFY(ana->request(req::leave(a))->type == ServerFrameType::Result);
        const auto sync = ana->request(req::sync({{a, 2}}));
        QCOMPARE(sync->data().value("left"_L1).toArray(), QJsonArray {double(a)});
        const auto rooms = sync->data().value("rooms"_L1).toArray();
        QCOMPARE(rooms.size(), 1);
        QCOMPARE(
            qint64(rooms.first().toObject().value("room"_L1).toObject().value("id"_L1).toDouble()),
            b);
        QCOMPARE(ana->request(req::send(a, u"x"_s, u"gone"_s))->error, ErrorCode::NotMember);
    }

    void unreadCountsFollowTheUserAcrossDevices()
    {
        auto *ana = m_clients.registered(u"ana"_s);
        auto *bob = m_clients.registered(u"bob"_s);
        QVERIFY(ana && bob);
        auto *bob2 = m_clients.signedIn(bob->token());
        QVERIFY(bob2);
        const qint64 room = test::createRoom(ana, u"counts"_s);
        QVERIFY(joined(bob, room));
        qint64 last = 0;
        for (int i = 0; i < 4; ++i)
            last = seqOf(send(ana, room, u"u%1"_s.arg(i), i == 2 ? u"hey @bob"_s : u"msg"_s));
        QVERIFY(bob2->waitEvent(room, last));

        // A fresh sign-in carries the counts.
        auto *bob3 = m_clients.connectClient();
        QVERIFY(bob3->login(u"bob"_s));
        QJsonObject summary = roomIn(bob3->session(), room);
        QCOMPARE(summary.value("unread"_L1).toInt(), 4);
        QCOMPARE(summary.value("mentions"_L1).toInt(), 1);

        // Reading on one device updates every other one at once.
        const auto read = bob->request(req::markRead(room, last - 1));
        QVERIFY(read && read->type == ServerFrameType::Result);
        QCOMPARE(read->data().value("unread"_L1).toInt(), 1);
        QCOMPARE(read->data().value("mentions"_L1).toInt(), 0);
        for (auto *c : {bob2, bob3}) {
            const auto push
                = c->waitPush([](const auto &f) { return f.type == ServerFrameType::Unread; });
            QVERIFY(push);
            QCOMPARE(push->body.value("unread"_L1).toInt(), 1);
            QCOMPARE(push->body.value("readSeq"_L1).toInt(), last - 1);
        }
        QVERIFY(
            !bob->waitPush([](const auto &f) { return f.type == ServerFrameType::Unread; }, 200));
        // ana's own messages never count as unread for her.
        auto *ana2 = m_clients.connectClient();
        QVERIFY(ana2->login(u"ana"_s));
        QCOMPARE(roomIn(ana2->session(), room).value("unread"_L1).toInt(), 0);
        // Sign-ins after the read, a new message and its redaction count what is left: the
        // read position and the counts each sign-in reads are not kept from before.
        const auto signInUnread = [this, room] {
            auto *c = m_clients.connectClient();
            return c && c->login(u"bob"_s) ? roomIn(c->session(), room).value("unread"_L1).toInt()
                                           : -1;
        };
        QCOMPARE(signInUnread(), 1);
        const qint64 extra = seqOf(send(ana, room, u"u9"_s, u"one more"_s));
        QVERIFY(extra > last && bob2->waitEvent(room, extra));
        QCOMPARE(signInUnread(), 2);
        const auto redacted = ana->request(req::redact(room, extra));
        QVERIFY(redacted && redacted->type == ServerFrameType::Result);
        QVERIFY(bob2->waitEvent(room, seqOf(redacted->data())));
        QCOMPARE(signInUnread(), 1);
        // Persisted: survives a restart.
        QVERIFY(m_server->restart());
        auto *later = m_clients.connectClient();
        QVERIFY(later->login(u"bob"_s));
        QCOMPARE(roomIn(later->session(), room).value("unread"_L1).toInt(), 1);
    }

    void topicAndMembers()
    {
        auto *ana = m_clients.registered(u"ana"_s);
        auto *bob = m_clients.registered(u"bob"_s);
        QVERIFY(ana && bob);
        const qint64 room = test::createRoom(ana, u"Topics"_s);
        QCOMPARE(bob->request(req::createRoom(u"topics"_s))->error, ErrorCode::NameTaken);
        QVERIFY(joined(bob, room));
        const auto topic = ana->request(req::setTopic(room, u"Plans for Q4"_s));
        QVERIFY(topic && topic->type == ServerFrameType::Result);
        const auto e = bob->waitEvent(room, qint64(topic->data().value("seq"_L1).toDouble()));
        QVERIFY(e);
        QCOMPARE(e->kind, protocol::EventKind::Topic);
        QCOMPARE(e->topic, u"Plans for Q4"_s);
        const auto list = bob->request(req::listRooms());
        QCOMPARE(list->data()
                     .value("rooms"_L1)
                     .toArray()
                     .first()
                     .toObject()
                     .value("topic"_L1)
                     .toString(),
            u"Plans for Q4"_s);
        const auto members = bob->request(req::members(room));
        const auto array = members->data().value("members"_L1).toArray();
        QCOMPARE(array.size(), 2);
        QCOMPARE(array[0].toObject().value("user"_L1).toString(), u"ana"_s);
        QVERIFY(array[0].toObject().value("online"_L1).toBool());
    }

    void directoryChangesArePushedToEveryoneSignedIn()
    {
        auto *ana = m_clients.registered(u"ana"_s);
        auto *bob = m_clients.registered(u"bob"_s);
        QVERIFY(ana && bob);
        auto *ana2 = m_clients.signedIn(ana->token());
        QVERIFY(ana2);
        test::TestClient anonymous;
        QVERIFY(anonymous.open(m_server->url()));
        QVERIFY(anonymous.hello()
                    .value("features"_L1)
                    .toArray()
                    .contains(QJsonValue(protocol::features::DirectoryPush)));
        const auto directoryOf = [](qint64 room) {
            return [room](const protocol::ServerFrame &f) {
                return f.directoryEntry() && f.directoryEntry()->id == room;
            };
        };

        const auto created = ana->request(req::createRoom(u"design"_s, u"Pixels"_s));
        QVERIFY(succeeded(created));
        const qint64 room
            = qint64(created->data().value("room"_L1).toObject().value("id"_L1).toDouble());
        // Bob is not a member; the creator's devices are.
        const auto toBob = bob->waitPush(directoryOf(room));
        QVERIFY(toBob);
        QCOMPARE(*toBob->directoryEntry(),
            (protocol::DirectoryEntry {room, u"design"_s, u"Pixels"_s, 1, false}));
        for (auto *c : {ana, ana2}) {
            const auto toAna = c->waitPush(directoryOf(room));
            QVERIFY(toAna);
            QVERIFY(toAna->directoryEntry()->joined);
        }

        QVERIFY(joined(bob, room));
        QVERIFY(succeeded(ana->request(req::setTopic(room, u"Pixels and type"_s))));
        const auto changed = bob->waitPush(directoryOf(room));
        QVERIFY(changed);
        QCOMPARE(*changed->directoryEntry(),
            (protocol::DirectoryEntry {room, u"design"_s, u"Pixels and type"_s, 2, true}));

        // A direct conversation is nobody else's business, and a connection that has not
        // signed in hears nothing: a round trip on each proves nothing was queued before.
        auto *eve = m_clients.registered(u"eve"_s);
        QVERIFY(eve);
        const auto direct = ana->request(req::openDirect(u"bob"_s));
        QVERIFY(succeeded(direct));
        QVERIFY(succeeded(eve->request(req::ping())));
        QVERIFY(succeeded(anonymous.request(req::ping())));
        for (const auto &f : eve->pushes())
            QVERIFY2(f.type != ServerFrameType::Directory, "eve heard of a direct room");
        QVERIFY(anonymous.pushes().isEmpty());
    }

    void databaseHoldsWhatWasAcknowledged()
    {
        auto *ana = m_clients.registered(u"ana"_s);
        QVERIFY(ana);
        const qint64 room = test::createRoom(ana, u"durable"_s);
        for (int i = 0; i < 20; ++i)
            QVERIFY(!send(ana, room, u"d%1"_s.arg(i), u"x"_s).isEmpty());
        m_server->stop();
        {
            QSqlDatabase db = m_server->openDatabase(u"check"_s);
            QVERIFY(db.isOpen());
            QSqlQuery q(db);
            QVERIFY(q.exec(
                u"SELECT COUNT(*), MIN(seq), MAX(seq) FROM events WHERE room_id = %1 AND kind = 1"_s
                    .arg(room)));
            QVERIFY(q.next());
            QCOMPARE(q.value(0).toInt(), 20);
            QCOMPARE(q.value(1).toInt(), 3);
            QCOMPARE(q.value(2).toInt(), 22);
            QVERIFY(q.exec(u"SELECT password_hash FROM users"_s));
            QVERIFY(q.next());
            QVERIFY(q.value(0).toString().startsWith("$argon2id$v=19$m=19456,t=2,p=1$"_L1));
            QVERIFY(q.exec(u"SELECT length(hash) FROM tokens"_s));
            QVERIFY(q.next());
            QCOMPARE(q.value(0).toInt(), 32); // a SHA-256, never the token itself
        }
        QSqlDatabase::removeDatabase(u"check"_s);
    }
};

CONFAB_SERVER_TEST_MAIN(TestMessaging)
#include "tst_messaging.moc"
