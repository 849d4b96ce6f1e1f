// SPDX-License-Identifier: GPL-3.0-or-later
// What the server does with clients that misbehave or overreach: oversize and
// malformed frames, floods, missed deadlines, dead peers, revoked sessions,
// connection limits, foreign origins and readers that stop reading.
#include "chat/chatservice.h"
#include "chat/peer.h"
#include "clientpool.h"
#include "rawwebsocket.h"
#include "teamfixture.h"
#include "testclient.h"
#include "testserver.h"

#include <QElapsedTimer>
#include <QJsonArray>
#include <QSemaphore>
#include <QThreadPool>
#include <QWebSocket>
#include <QtTest>
#include <memory>

using namespace Qt::StringLiterals;
using namespace confab;
using protocol::ErrorCode;
using protocol::ServerFrame;
using protocol::ServerFrameType;
namespace req = protocol::requests;

using test::RawWebSocket;

class TestLimits : public QObject
{
    Q_OBJECT

private:
    std::unique_ptr<test::TestServer> m_server;
    test::ClientPool m_clients {[this] { return m_server->url(); }};

    static bool pings(test::TestClient *c)
    {
        const auto r = c->request(req::ping());
        return r && r->type == ServerFrameType::Result;
    }
    static bool closedWith(test::TestClient *c, int code, int timeoutMs = 5000)
    {
        test::TestClient::waitUntil([&] { return c->closeCode() >= 0; }, timeoutMs);
        if (c->closeCode() != code)
            qWarning() << "close code" << c->closeCode() << "expected" << code;
        return c->closeCode() == code && !c->isConnected();
    }
    int serverConnections() const { return m_server->server()->service()->connectionCount(); }
    static std::optional<ErrorCode> errorOf(const std::optional<ServerFrame> &f)
    {
        if (!f || f->type != ServerFrameType::Error)
            return std::nullopt;
        return f->error;
    }
    /*! \brief Waits for the n-th reply that carries no numeric id. */
    static std::optional<ServerFrame> stray(test::TestClient *c, qsizetype n)
    {
        if (!test::TestClient::waitUntil([&] { return c->strayReplies().size() >= n; }, 5000))
            return std::nullopt;
        return c->strayReplies().at(n - 1);
    }

private Q_SLOTS:
    void init()
    {
        // Each test sets the limits it exercises, then starts the server.
        m_server = std::make_unique<test::TestServer>();
    }
    void cleanup()
    {
        m_clients.clear();
        m_server.reset();
    }

    void oversizeTextIsRefusedByBytes()
    {
        m_server->config().limits.maxTextBytes = 1000;
        m_server->config().limits.maxFrameBytes = 4096;
        QVERIFY(m_server->start());
        auto *ana = m_clients.registered(u"ana"_s);
        QVERIFY(ana);
        QCOMPARE(ana->hello().value("limits"_L1).toObject().value("maxTextBytes"_L1).toInt(), 1000);
        const qint64 room = test::createRoom(ana, u"big"_s);
        QVERIFY(room > 0);

        auto r = ana->request(req::send(room, u"t1"_s, QString(1001, u'a')));
        QCOMPARE(errorOf(r), ErrorCode::TooLarge);
        QCOMPARE(r->body.value("field"_L1).toString(), u"text"_s);
        // 334 characters, but 1002 UTF-8 bytes: the limit is on bytes.
        r = ana->request(req::send(room, u"t2"_s, QString(334, QChar(0x20AC))));
        QCOMPARE(errorOf(r), ErrorCode::TooLarge);
        QCOMPARE(r->body.value("field"_L1).toString(), u"text"_s);
        // Exactly at the limit is fine, and nothing refused was stored.
        r = ana->request(req::send(room, u"t3"_s, QString(1000, u'a')));
        QVERIFY(r && r->type == ServerFrameType::Result);
        QCOMPARE(r->data().value("seq"_L1).toInt(), 3);
    }

    void oversizeFrameClosesOnlyThatConnection()
    {
        m_server->config().limits.maxTextBytes = 1000;
        m_server->config().limits.maxFrameBytes = 4096;
        QVERIFY(m_server->start());
        auto *big = m_clients.connectClient();
        auto *bystander = m_clients.connectClient();
        auto *fragmented = m_clients.connectClient();
        QVERIFY(big && bystander && fragmented);
        QVERIFY(pings(big));

        // One frame over the limit.
        big->sendRaw(u"{\"id\":1,\"type\":\"ping\",\"x\":\"%1\"}"_s.arg(QString(5000, u'x')));
        QVERIFY(closedWith(big, 1009));
        // Frames each under the limit that add up to a message over it.
        fragmented->socket().setOutgoingFrameSize(1000);
        fragmented->sendRaw(
            u"{\"id\":1,\"type\":\"ping\",\"x\":\"%1\"}"_s.arg(QString(5000, u'x')));
        QVERIFY(closedWith(fragmented, 1009));

        QVERIFY(pings(bystander));
        auto *later = m_clients.connectClient();
        QVERIFY(later && pings(later));
        QTRY_COMPARE(serverConnections(), 2);
    }

    void badFramesGetErrorsAndTheServerStaysUp()
    {
        QVERIFY(m_server->start());
        auto *c = m_clients.connectClient();
        QVERIFY(c);

        c->sendRaw(u"this is not json"_s);
        auto f = stray(c, 1);
        QVERIFY(f);
        QCOMPARE(f->type, ServerFrameType::Error);
        QCOMPARE(f->error, ErrorCode::BadFrame);
        QVERIFY(f->id.isNull());
        QVERIFY(pings(c));

        c->sendRaw(u"[1, 2, 3]"_s);
        f = stray(c, 2);
        QVERIFY(f);
        QCOMPARE(f->error, ErrorCode::BadFrame);
        QVERIFY(f->id.isNull());

        c->socket().sendBinaryMessage(QByteArrayLiteral("{\"id\":1,\"type\":\"ping\"}"));
        f = stray(c, 3);
        QVERIFY(f);
        QCOMPARE(f->error, ErrorCode::BadFrame);
        QVERIFY(f->id.isNull());
        QVERIFY(pings(c));

        c->sendRaw(u"{\"id\":\"abc-7\",\"type\":\"frobnicate\"}"_s);
        f = stray(c, 4);
        QVERIFY(f);
        QCOMPARE(f->error, ErrorCode::UnknownType);
        QCOMPARE(f->id.toString(), u"abc-7"_s);
        QCOMPARE(f->body.value("field"_L1).toString(), u"type"_s);

        // Validation happens before the session check, so this is about the field.
        c->sendRaw(u"{\"id\":\"m-1\",\"type\":\"send\",\"room\":1,\"txn\":\"a\"}"_s);
        f = stray(c, 5);
        QVERIFY(f);
        QCOMPARE(f->error, ErrorCode::BadRequest);
        QCOMPARE(f->id.toString(), u"m-1"_s);
        QCOMPARE(f->body.value("field"_L1).toString(), u"text"_s);

        c->sendRaw(u"{\"type\":\"ping\"}"_s);
        f = stray(c, 6);
        QVERIFY(f);
        QCOMPARE(f->error, ErrorCode::BadRequest);
        QCOMPARE(f->body.value("field"_L1).toString(), u"id"_s);

        QVERIFY(c->isConnected());
        QVERIFY(pings(c));
        auto *other = m_clients.connectClient();
        QVERIFY(other && pings(other));
    }

    void floodIsRateLimitedThenClosed()
    {
        m_server->config().limits.ratePerSecond = 5;
        m_server->config().limits.rateBurst = 5;
        QVERIFY(m_server->start());
        auto *c = m_clients.connectClient();
        QVERIFY(c);

        QElapsedTimer timer;
        timer.start();
        for (int i = 0; i < 20; ++i)
            c->sendRaw(u"{\"id\":\"p%1\",\"type\":\"ping\"}"_s.arg(i));
        QVERIFY(test::TestClient::waitUntil([&] { return c->strayReplies().size() == 20; }, 5000));
        const qint64 elapsed = timer.elapsed();
        int ok = 0;
        int limited = 0;
        for (const ServerFrame &f : c->strayReplies()) {
            if (f.type == ServerFrameType::Result) {
                ++ok;
                continue;
            }
            QCOMPARE(f.error, ErrorCode::RateLimited);
            const double retry = f.body.value("retryAfterMs"_L1).toDouble();
            QVERIFY2(retry >= 1 && retry <= 201, qPrintable(QString::number(retry)));
            ++limited;
        }
        // The bucket starts full with 5 and refills 5 per second.
        QVERIFY2(ok >= 5 && ok <= 5 + 1 + elapsed * 5 / 1000,
            qPrintable(u"%1 ok in %2 ms"_s.arg(ok).arg(elapsed)));
        QCOMPARE(ok + limited, 20);
        QVERIFY(c->isConnected());

        // Carrying on regardless is a flood: more than 4 × burst refusals in a row.
        for (int i = 0; i < 60; ++i)
            c->sendRaw(u"{\"id\":\"q%1\",\"type\":\"ping\"}"_s.arg(i));
        QVERIFY(closedWith(c, 4004));
        QVERIFY(c->strayReplies().size() < 80);

        auto *fresh = m_clients.connectClient();
        QVERIFY(fresh && pings(fresh));
    }

    void floodCloseComesAfterExactlyFourTimesBurstRefusals()
    {
        constexpr int Burst = 5;
        m_server->config().limits.ratePerSecond = 1;
        m_server->config().limits.rateBurst = Burst;
        QVERIFY(m_server->start());
        auto *c = m_clients.connectClient();
        QVERIFY(c);
        // More than enough to drain the bucket, use up every answered refusal and go on.
        constexpr int Sent = Burst + 4 * Burst + 10;
        for (int i = 0; i < Sent; ++i)
            c->sendRaw(u"{\"id\":\"r%1\",\"type\":\"ping\"}"_s.arg(i));
        QVERIFY(closedWith(c, 4004));
        // A token that refills mid-flood admits a ping and restarts the count, so the exact
        // figure is the run of refusals after the last admitted one, whatever the timing.
        int run = 0;
        int answered = 0;
        for (const ServerFrame &f : c->strayReplies()) {
            // Answered in order, none skipped.
            QCOMPARE(f.id.toString(), u"r%1"_s.arg(answered++));
            if (f.type == ServerFrameType::Result) {
                run = 0;
                continue;
            }
            QCOMPARE(f.error, ErrorCode::RateLimited);
            ++run;
        }
        QCOMPARE(run, 4 * Burst);
        // The refusal after those is the one that closes: it and everything after go unanswered.
        QVERIFY(answered < Sent);
    }

    void malformedFloodIsNotFree()
    {
        m_server->config().limits.ratePerSecond = 5;
        m_server->config().limits.rateBurst = 5;
        QVERIFY(m_server->start());
        auto *c = m_clients.connectClient();
        QVERIFY(c);
        for (int i = 0; i < 60; ++i)
            c->sendRaw(u"garbage %1"_s.arg(i));
        QVERIFY(closedWith(c, 4004));
        auto *fresh = m_clients.connectClient();
        QVERIFY(fresh && pings(fresh));
    }

    void binaryFloodIsNotFree()
    {
        m_server->config().limits.ratePerSecond = 5;
        m_server->config().limits.rateBurst = 5;
        QVERIFY(m_server->start());
        auto *c = m_clients.connectClient();
        QVERIFY(c);
        for (int i = 0; i < 60; ++i)
            c->socket().sendBinaryMessage(QByteArray(16, char(i)));
        QVERIFY(closedWith(c, 4004));
        QVERIFY(c->strayReplies().size() < 60);
        auto *fresh = m_clients.connectClient();
        QVERIFY(fresh && pings(fresh));
    }

    void unauthenticatedConnectionsMeetTheDeadline()
    {
        // A token issued earlier, so signing in later is immediate (no hashing).
        QVERIFY(m_server->start());
        auto *ana = m_clients.registered(u"ana"_s);
        QVERIFY(ana);
        const QString token = ana->token();
        m_server->config().limits.authTimeoutMs = 300;
        QVERIFY(m_server->restart());

        QElapsedTimer timer;
        timer.start();
        auto *idle = m_clients.newClient();
        auto *user = m_clients.newClient();
        QVERIFY(idle->open(m_server->url()));
        QVERIFY(user->open(m_server->url()));
        QCOMPARE(
            user->hello().value("limits"_L1).toObject().value("authTimeoutMs"_L1).toInt(), 300);
        QVERIFY(user->authenticate(token));
        QVERIFY(closedWith(idle, 4003, 2000));
        QVERIFY2(timer.elapsed() >= 295, qPrintable(QString::number(timer.elapsed())));
        // The signed-in one is left alone well past the deadline.
        QVERIFY(!test::TestClient::waitUntil([&] { return !user->isConnected(); }, 1000));
        QVERIFY(pings(user));
        QCOMPARE(user->closeCode(), -1);
    }

    void heartbeatDropsPeersThatNeverAnswer()
    {
        m_server->config().limits.heartbeatIntervalMs = 200;
        m_server->config().limits.authTimeoutMs = 60'000; // only the heartbeat may drop anyone here
        QVERIFY(m_server->start());
        auto *alive = m_clients.registered(u"ana"_s);
        QVERIFY(alive);

        QElapsedTimer timer;
        timer.start();
        RawWebSocket mute;
        mute.setAnswerClose(false); // it answers nothing: no pong, no close
        QVERIFY(mute.open(m_server->server()->port()));
        QVERIFY(test::TestClient::waitUntil([&] { return mute.hasFrame(1); }, 2000)); // hello
        QTRY_COMPARE_WITH_TIMEOUT(serverConnections(), 2, 2000);
        QVERIFY(test::TestClient::waitUntil([&] { return mute.isDisconnected(); }, 5000));
        const qint64 dropped = timer.elapsed();
        // It was pinged first, then dropped without a close frame after 2.5 intervals.
        QVERIFY(mute.hasFrame(0x9));
        QVERIFY(!mute.hasFrame(0x8));
        QVERIFY2(dropped >= 495, qPrintable(QString::number(dropped)));
        QTRY_COMPARE(serverConnections(), 1);

        // QWebSocket answers pings by itself: the same silence from the
        // application, over several more heartbeat deadlines, costs it nothing.
        QVERIFY(!test::TestClient::waitUntil([&] { return !alive->isConnected(); }, 1000));
        QVERIFY(alive->isConnected());
        QVERIFY(pings(alive));
    }

    void requestsBeforeSignInAreRefused()
    {
        QVERIFY(m_server->start());
        auto *c = m_clients.connectClient();
        QVERIFY(c);
        const QList<protocol::OutgoingRequest> closed {req::send(1, u"t"_s, u"hi"_s), req::join(1),
            req::historyBefore(1, 10, 10), req::sync({}), req::listRooms(), req::createRoom(u"x"_s),
            req::members(1), req::markRead(1, 1), req::typing(1, true), req::setTopic(1, u"t"_s),
            req::leave(1), req::openDirect(u"bob"_s), req::logout(), req::logoutAll()};
        for (const auto &r : closed)
            QCOMPARE(errorOf(c->request(r)), ErrorCode::Unauthenticated);
        QVERIFY(pings(c));
        QVERIFY(c->registerUser(u"ana"_s));
        const QString token = c->token();
        QCOMPARE(errorOf(c->request(req::login(u"ana"_s, u"password-123"_s))),
            ErrorCode::AlreadyAuthenticated);
        QCOMPARE(errorOf(c->request(req::registerAccount(u"ana2"_s, u"password-123"_s))),
            ErrorCode::AlreadyAuthenticated);
        QCOMPARE(errorOf(c->request(req::authenticate(token))), ErrorCode::AlreadyAuthenticated);
        // Still the same session, and it works.
        const auto list = c->request(req::listRooms());
        QVERIFY(list && list->type == ServerFrameType::Result);
        QVERIFY(pings(c));
    }

    void nonMembersCannotTouchARoom()
    {
        QVERIFY(m_server->start());
        auto *ana = m_clients.registered(u"ana"_s);
        auto *bob = m_clients.registered(u"bob"_s);
        QVERIFY(ana && bob);
        const qint64 room = test::createRoom(ana, u"private-ish"_s);
        QVERIFY(room > 0);
        const auto attempts = [](qint64 id) {
            return QList<protocol::OutgoingRequest> {req::send(id, u"b1"_s, u"hi"_s),
                req::historyBefore(id, 10, 10), req::historyAfter(id, 0, 10), req::members(id),
                req::markRead(id, 1), req::typing(id, true), req::setTopic(id, u"mine"_s),
                req::leave(id)};
        };
        for (const auto &r : attempts(room)) {
            const auto reply = bob->request(r);
            QVERIFY2(errorOf(reply) == ErrorCode::NotMember,
                qPrintable(QString(protocol::requestTypeName(r.type))));
        }
        const qint64 unknown = room + 1000;
        for (const auto &r : attempts(unknown)) {
            const auto reply = bob->request(r);
            QVERIFY2(errorOf(reply) == ErrorCode::NotFound,
                qPrintable(QString(protocol::requestTypeName(r.type))));
        }
        QCOMPARE(errorOf(bob->request(req::join(unknown))), ErrorCode::NotFound);
        // Nothing bob tried reached the room.
        const auto history = ana->request(req::historyAfter(room, 0, 50));
        QCOMPARE(history->data().value("events"_L1).toArray().size(), 2); // create, join
        QCOMPARE(ana->events(room).size(), 2);
        const auto members = ana->request(req::members(room));
        QCOMPARE(members->data().value("members"_L1).toArray().size(), 1);
    }

    void logoutRevokesEveryConnectionOfThatToken()
    {
        QVERIFY(m_server->start());
        auto *first = m_clients.registered(u"ana"_s);
        QVERIFY(first);
        const QString token = first->token();
        auto *sameToken = m_clients.signedIn(token);
        auto *otherSession = m_clients.connectClient();
        QVERIFY(sameToken && otherSession);
        QVERIFY(otherSession->login(u"ana"_s));
        QVERIFY(otherSession->token() != token);

        const auto out = first->request(req::logout());
        QVERIFY(out && out->type == ServerFrameType::Result);
        QVERIFY(closedWith(first, 4001));
        QVERIFY(closedWith(sameToken, 4001));
        QVERIFY(otherSession->isConnected());
        QVERIFY(pings(otherSession));

        auto *again = m_clients.connectClient();
        QVERIFY(again);
        QCOMPARE(errorOf(again->request(req::authenticate(token))), ErrorCode::InvalidToken);
        QVERIFY(again->authenticate(otherSession->token()));

        // logout_all: every connection of the user, whatever its token.
        const QString second = otherSession->token();
        auto *third = m_clients.connectClient();
        QVERIFY(third && third->login(u"ana"_s));
        auto *bob = m_clients.registered(u"bob"_s);
        QVERIFY(bob);
        const auto all = third->request(req::logoutAll());
        QVERIFY(all && all->type == ServerFrameType::Result);
        for (auto *c : {otherSession, again, third})
            QVERIFY(closedWith(c, 4001));
        QVERIFY(bob->isConnected() && pings(bob));
        auto *probe = m_clients.connectClient();
        QVERIFY(probe);
        QCOMPARE(errorOf(probe->request(req::authenticate(second))), ErrorCode::InvalidToken);
        QCOMPARE(
            errorOf(probe->request(req::authenticate(third->token()))), ErrorCode::InvalidToken);
    }

    void connectionsPerAddressAreCapped()
    {
        m_server->config().maxConnectionsPerAddress = 3;
        QVERIFY(m_server->start());
        QList<test::TestClient *> admitted;
        for (int i = 0; i < 3; ++i) {
            auto *c = m_clients.connectClient();
            QVERIFY(c);
            admitted.append(c);
        }
        // On the wire: a close frame with 4005 and no hello.
        RawWebSocket fourth;
        fourth.setAnswerClose(false);
        QVERIFY(fourth.open(m_server->server()->port()));
        QVERIFY(test::TestClient::waitUntil([&] { return fourth.closeCode() >= 0; }, 5000));
        QCOMPARE(fourth.closeCode(), 4005);
        QVERIFY(!fourth.hasFrame(0x1));
        // A Qt client sees the same code (Qt 6.4 would turn 1013 into 1002).
        auto *qtFourth = m_clients.newClient();
        QVERIFY(!qtFourth->open(m_server->url()));
        QCOMPARE(qtFourth->closeCode(), 4005);
        QVERIFY(qtFourth->hello().isEmpty());
        for (auto *c : admitted)
            QVERIFY(pings(c));

        // A slot freed is a slot available again.
        admitted.first()->socket().close();
        QTRY_COMPARE(serverConnections(), 2);
        auto *replacement = m_clients.connectClient();
        QVERIFY(replacement && pings(replacement));
        RawWebSocket overflow;
        overflow.setAnswerClose(false);
        QVERIFY(overflow.open(m_server->server()->port()));
        QVERIFY(test::TestClient::waitUntil([&] { return overflow.closeCode() >= 0; }, 5000));
        QCOMPARE(overflow.closeCode(), 4005);
    }

    void foreignOriginsAreRefused()
    {
        m_server->config().allowedOrigins = {u"https://chat.example"_s};
        QVERIFY(m_server->start());
        const auto tryOrigin = [&](const QString &origin) {
            QWebSocket ws(origin);
            bool hello = false;
            bool gone = false;
            connect(&ws, &QWebSocket::textMessageReceived, this, [&](const QString &text) {
                const auto f = protocol::decodeServerFrame(text.toUtf8());
                hello = hello || (f && f->type == ServerFrameType::Hello);
            });
            connect(&ws, &QWebSocket::disconnected, this, [&] { gone = true; });
            ws.open(m_server->url());
            test::TestClient::waitUntil([&] { return hello || gone; }, 5000);
            ws.abort();
            return hello;
        };
        QVERIFY(!tryOrigin(u"https://evil.example"_s));
        QVERIFY(tryOrigin(u"https://chat.example"_s));
        QVERIFY(!tryOrigin(u"https://chat.example.evil"_s));
        auto *noOrigin = m_clients.connectClient();
        QVERIFY(noOrigin && pings(noOrigin));
    }

    void slowReaderIsDroppedWithoutHurtingOthers()
    {
        m_server->config().maxOutboundBytes = 64 * 1024;
        m_server->config().limits.maxTextBytes = 60'000;
        m_server->config().limits.maxFrameBytes = 64 * 1024;
        QVERIFY(m_server->start());
        auto *sender = m_clients.registered(u"sender"_s);
        auto *rita = m_clients.registered(u"rita"_s);
        QVERIFY(sender && rita);
        const qint64 room = test::createRoom(sender, u"firehose"_s);
        QVERIFY(room > 0);
        const QString token = rita->token();
        rita->disconnectNow();
        QTRY_COMPARE(serverConnections(), 1);

        RawWebSocket slow;
        slow.setAnswerClose(false);
        QVERIFY(slow.open(m_server->server()->port()));
        const auto auth = slow.request(req::authenticate(token), 1);
        QVERIFY(auth && auth->type == ServerFrameType::Result);
        const auto joined = slow.request(req::join(room), 2);
        QVERIFY(joined && joined->type == ServerFrameType::Result);
        QCOMPARE(serverConnections(), 2);
        slow.stopReading();

        // Far more than any socket buffers hold: the server must give up on rita.
        const QString text(60'000, u'z');
        int sent = 0;
        while (serverConnections() == 2 && sent < 1500) {
            const auto ack = sender->request(req::send(room, u"f%1"_s.arg(sent), text));
            QVERIFY2(
                ack && ack->type == ServerFrameType::Result, qPrintable(QString::number(sent)));
            ++sent;
            sender->clearPushes();
        }
        qInfo() << "slow reader dropped after" << sent << "messages of 60 kB";
        QCOMPARE(serverConnections(), 1);
        QVERIFY(sender->isConnected());
        // Business as usual for everyone else.
        for (int i = 0; i < 5; ++i) {
            const auto ack = sender->request(req::send(room, u"after%1"_s.arg(i), u"still here"_s));
            QVERIFY(ack && ack->type == ServerFrameType::Result);
        }
        auto *fresh = m_clients.connectClient();
        QVERIFY(fresh && pings(fresh));
        // Once rita reads again she finds the stream cut off.
        slow.resumeReading();
        QVERIFY(test::TestClient::waitUntil(
            [&] {
                slow.drain();
                return slow.isDisconnected();
            },
            20000));
    }

    void closedPeersThatStopReadingAreAbortedAfterAGrace()
    {
        // Large enough that only the close, never the slow-reader rule, ends rita's connection.
        m_server->config().maxOutboundBytes = 256 * 1024 * 1024;
        m_server->config().limits.maxTextBytes = 60'000;
        m_server->config().limits.maxFrameBytes = 64 * 1024;
        QVERIFY(m_server->start());
        auto *sender = m_clients.registered(u"sender"_s);
        auto *rita = m_clients.registered(u"rita"_s);
        QVERIFY(sender && rita);
        const qint64 room = test::createRoom(sender, u"firehose"_s);
        QVERIFY(room > 0);
        RawWebSocket stuck;
        stuck.setAnswerClose(false);
        QVERIFY(stuck.open(m_server->server()->port()));
        const auto auth = stuck.request(req::authenticate(rita->token()), 1);
        QVERIFY(auth && auth->type == ServerFrameType::Result);
        const auto joined = stuck.request(req::join(room), 2);
        QVERIFY(joined && joined->type == ServerFrameType::Result);
        stuck.stopReading();
        // More than the kernel buffers hold, so the server has bytes queued for her.
        const QString text(60'000, u'z');
        for (int i = 0; i < 250; ++i) {
            const auto ack = sender->request(req::send(room, u"f%1"_s.arg(i), text));
            QVERIFY(ack && ack->type == ServerFrameType::Result);
            sender->clearPushes();
        }
        QCOMPARE(serverConnections(), 3);
        // Signing out closes her socket, which can never flush what is queued.
        const auto out = rita->request(req::logout());
        QVERIFY(out && out->type == ServerFrameType::Result);
        QVERIFY(closedWith(rita, 4001));
        // A closed connection must not hold its buffers (and its per-address slot) forever.
        QVERIFY(test::TestClient::waitUntil([&] { return serverConnections() == 1; }, 6000));
        QVERIFY(sender->isConnected() && pings(sender));
    }

    void shutdownAnswersEveryRequestItReads()
    {
        QVERIFY(m_server->start());
        auto *ana = m_clients.registered(u"ana"_s);
        QVERIFY(ana);
        const auto created = ana->request(req::createRoom(u"general"_s));
        QVERIFY(created && created->type == ServerFrameType::Result);
        const qint64 room
            = qint64(created->data().value("room"_L1).toObject().value("id"_L1).toDouble());
        auto *hashing = m_clients.connectClient();
        QVERIFY(hashing);
        // Every hashing thread waits here, so that the login is still in progress at shutdown.
        const test::HashingHold hold;
        QVERIFY(hold.holding());
        hashing->sendRaw(QString::fromUtf8(req::login(u"ana"_s, u"password-123"_s).encode(u"h"_s)));
        QVERIFY(test::TestClient::waitUntil(
            [&] {
                const auto conns = m_server->server()->service()->connections();
                return std::any_of(conns.begin(), conns.end(),
                    [](const server::Peer *c) { return c->signInPending(); });
            },
            5000));

        // Written to the kernel but not yet read by the server: nothing runs the event loop
        // between the flush and the shutdown.
        constexpr int Sent = 20;
        for (int i = 0; i < Sent; ++i) {
            const auto r = i % 2 ? req::ping() : req::send(room, u"t%1"_s.arg(i), u"hi"_s);
            ana->sendRaw(QString::fromUtf8(r.encode(u"s%1"_s.arg(i))));
        }
        QVERIFY(ana->socket().flush());
        m_server->server()->shutdown();

        QVERIFY(closedWith(ana, 1001));
        QVERIFY(closedWith(hashing, 1001));
        const auto replies = ana->strayReplies();
        QCOMPARE(replies.size(), Sent);
        for (int i = 0; i < Sent; ++i) {
            QCOMPARE(replies[i].id.toString(), u"s%1"_s.arg(i));
            QCOMPARE(replies[i].type, ServerFrameType::Error);
            QCOMPARE(replies[i].error, ErrorCode::ShuttingDown);
        }
        QCOMPARE(hashing->strayReplies().size(), 1);
        QCOMPARE(hashing->strayReplies().first().id.toString(), u"h"_s);
        QCOMPARE(hashing->strayReplies().first().error, ErrorCode::ShuttingDown);
    }

    void shutdownSaysGoingAwayWithoutWaitingOutTheGrace()
    {
        QVERIFY(m_server->start());
        auto *ana = m_clients.registered(u"ana"_s);
        auto *idle = m_clients.connectClient();
        QVERIFY(ana && idle);
        QElapsedTimer timer;
        timer.start();
        m_server->stop();
        const qint64 took = timer.elapsed();
        QVERIFY(closedWith(ana, 1001));
        QVERIFY(closedWith(idle, 1001));
        // Both answered the close at once; the 2 s grace is for peers that do not.
        QVERIFY2(took < 1000, qPrintable(u"%1 ms"_s.arg(took)));
    }
};

CONFAB_SERVER_TEST_MAIN(TestLimits)
#include "tst_limits.moc"
