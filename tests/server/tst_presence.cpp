// SPDX-License-Identifier: GPL-3.0-or-later
// Presence from the connection table and ephemeral typing indicators.
#include "auth/tokens.h"
#include "clientpool.h"
#include "testclient.h"
#include "testserver.h"

#include <QElapsedTimer>
#include <QJsonArray>
#include <QJsonDocument>
#include <QSqlDatabase>
#include <QSqlError>
#include <QSqlQuery>
#include <QtTest>
#include <memory>

using namespace Qt::StringLiterals;
using namespace confab;
using protocol::ServerFrame;
using protocol::ServerFrameType;
namespace req = protocol::requests;

class TestPresence : public QObject
{
    Q_OBJECT

private:
    std::unique_ptr<test::TestServer> m_server;
    test::ClientPool m_clients {[this] { return m_server->url(); }};
    qint64 m_room = 0;

    static auto presenceOf(const QString &user, bool online)
    {
        return [=](const ServerFrame &f) {
            const auto list = f.body.value(online ? "online"_L1 : "offline"_L1).toArray();
            return f.type == ServerFrameType::Presence && list.contains(QJsonValue(user));
        };
    }
    static auto typingOf(const QString &user, bool typing)
    {
        return [=](const ServerFrame &f) {
            return f.type == ServerFrameType::Typing && f.body.value("user"_L1).toString() == user
                && f.body.value("typing"_L1).toBool() == typing;
        };
    }

    // \a count users with tokens, made members of \a room straight in the stopped server's
    // database: through the API a room this big would take longer than the test itself.
    QStringList seedMembers(qint64 room, int count)
    {
        QStringList tokens;
        {
            QSqlDatabase db = m_server->openDatabase(u"tst-presence-seed"_s);
            if (!db.isOpen() || !db.transaction())
                return {};
            QSqlQuery user(db);
            QSqlQuery token(db);
            QSqlQuery member(db);
            user.prepare(u"INSERT INTO users(name, name_key, password_hash, created_ms) "
                         u"VALUES (?, ?, 'x', 0)"_s);
            token.prepare(u"INSERT INTO tokens(hash, user_id, created_ms, expires_ms) "
                          u"VALUES (?, ?, 0, ?)"_s);
            member.prepare(u"INSERT INTO members(room_id, user_id, read_seq) VALUES (?, ?, 0)"_s);
            const qint64 expires = QDateTime::currentMSecsSinceEpoch() + 24LL * 3600 * 1000;
            for (int i = 0; i < count; ++i) {
                const QString name = u"m%1"_s.arg(i);
                const QString t = u"seed-token-%1-0123456789abcdef0123456789"_s.arg(i);
                user.addBindValue(name);
                user.addBindValue(name);
                bool ok = user.exec();
                const QVariant id = user.lastInsertId();
                token.addBindValue(server::tokens::hash(t));
                token.addBindValue(id);
                token.addBindValue(expires);
                member.addBindValue(room);
                member.addBindValue(id);
                ok = ok && token.exec() && member.exec();
                if (!ok) {
                    qWarning() << "seeding" << user.lastError().text() << token.lastError().text()
                               << member.lastError().text();
                    return {};
                }
                tokens << t;
            }
            user.finish();
            token.finish();
            member.finish();
            if (!db.commit())
                return {};
        }
        QSqlDatabase::removeDatabase(u"tst-presence-seed"_s);
        return tokens;
    }

    // Presence frames as they arrive at \a c: when (ms on \a clock) and who came online.
    struct Heard
    {
        qint64 atMs;
        QStringList online;
    };
    static void record(
        test::TestClient *c, const QElapsedTimer &clock, QList<Heard> *heard, const QString &prefix)
    {
        QObject::connect(&c->socket(), &QWebSocket::textMessageReceived, c,
            [&clock, heard, prefix](const QString &text) {
                const QJsonObject o = QJsonDocument::fromJson(text.toUtf8()).object();
                if (o.value("type"_L1).toString() != "presence"_L1)
                    return;
                QStringList online;
                for (const auto &v : o.value("online"_L1).toArray()) {
                    if (v.toString().startsWith(prefix))
                        online << v.toString();
                }
                if (!online.isEmpty())
                    heard->append({clock.elapsed(), online});
            });
    }

private Q_SLOTS:
    void init()
    {
        m_server = std::make_unique<test::TestServer>();
        m_server->config().limits.typingTtlMs = 400;
        QVERIFY(m_server->start());
    }
    void cleanup()
    {
        m_clients.clear();
        m_server.reset();
    }

    void presenceFollowsTheLastConnection()
    {
        auto *ana = m_clients.connectClient();
        auto *bob = m_clients.connectClient();
        auto *eve = m_clients.connectClient();
        QVERIFY(ana && bob && eve);
        QVERIFY(ana->registerUser(u"ana"_s) && bob->registerUser(u"bob"_s)
            && eve->registerUser(u"eve"_s));
        const auto created = ana->request(req::createRoom(u"lobby"_s));
        const qint64 room
            = qint64(created->data().value("room"_L1).toObject().value("id"_L1).toDouble());
        QVERIFY(bob->request(req::join(room))->type == ServerFrameType::Result);
        const QString token = bob->token();
        auto *bob2 = m_clients.connectClient();
        QVERIFY(bob2->authenticate(token));
        ana->clearPushes();
        eve->clearPushes();

        // One of two devices leaving is not going offline.
        bob->disconnectNow();
        QVERIFY(!ana->waitPush(presenceOf(u"bob"_s, false), 500));
        bob2->disconnectNow();
        QVERIFY(ana->waitPush(presenceOf(u"bob"_s, false)));
        auto *bob3 = m_clients.connectClient();
        QVERIFY(bob3->authenticate(token));
        QVERIFY(ana->waitPush(presenceOf(u"bob"_s, true)));
        // eve shares no room with bob and hears nothing about him.
        QVERIFY(!eve->waitPush(
            [](const ServerFrame &f) { return f.type == ServerFrameType::Presence; }, 300));
        const auto members = ana->request(req::members(room));
        for (const auto &m : members->data().value("members"_L1).toArray())
            QVERIFY(m.toObject().value("online"_L1).toBool());
    }

    void bigRoomsHearOfSignInsPaced()
    {
        auto *ana = m_clients.registered(u"ana"_s);
        auto *bob = m_clients.registered(u"bob"_s);
        QVERIFY(ana && bob);
        const QString anaToken = ana->token();
        const QString bobToken = bob->token();
        const qint64 room = test::createRoom(ana, u"town"_s);
        QVERIFY(room > 0 && bob->request(req::join(room))->type == ServerFrameType::Result);
        m_clients.clear();
        m_server->stop();
        constexpr int Seeded = 2000;
        const QStringList tokens = seedMembers(room, Seeded);
        QCOMPARE(tokens.size(), Seeded);
        QVERIFY(m_server->start());
        // §6.4: members × 0.25 ms between a room's frames, at least 250 ms.
        const qint64 intervalMs = (Seeded + 2) / 4;
        QVERIFY(intervalMs > 250);

        auto *watchA = m_clients.signedIn(anaToken);
        auto *watchB = m_clients.signedIn(bobToken);
        QVERIFY(watchA && watchB);
        QElapsedTimer clock;
        clock.start();
        QList<Heard> heardA;
        QList<Heard> heardB;
        record(watchA, clock, &heardA, u"m"_s);
        record(watchB, clock, &heardB, u"m"_s);
        // A quiet spell, so that the first sign-in below goes out at once.
        QTest::qWait(int(intervalMs) + 100);

        constexpr int SigningIn = 8;
        qint64 firstSignIn = 0;
        for (int i = 0; i < SigningIn; ++i) {
            auto *c = m_clients.signedIn(tokens.at(i));
            QVERIFY2(c, qPrintable(u"m%1"_s.arg(i)));
            if (i == 0)
                firstSignIn = clock.elapsed();
            QTest::qWait(60);
        }
        const auto everyone = [](const QList<Heard> &heard) {
            QSet<QString> names;
            for (const Heard &h : heard)
                names.unite(QSet<QString>(h.online.cbegin(), h.online.cend()));
            return names.size() == SigningIn;
        };
        QTRY_VERIFY_WITH_TIMEOUT(everyone(heardA) && everyone(heardB), 10'000);
        for (const QList<Heard> *heard : {&heardA, &heardB}) {
            // Fewer frames than sign-ins: they were batched...
            QVERIFY2(heard->size() >= 2 && heard->size() < SigningIn,
                qPrintable(QString::number(heard->size())));
            // ...the first without waiting for a whole interval (generous for slow machines)...
            QVERIFY2(heard->first().atMs - firstSignIn < intervalMs + 1000,
                qPrintable(QString::number(heard->first().atMs - firstSignIn)));
            // ...and the next ones an interval apart (80 %, for timer slack).
            for (qsizetype i = 1; i < heard->size(); ++i) {
                const qint64 gap = heard->at(i).atMs - heard->at(i - 1).atMs;
                QVERIFY2(gap >= intervalMs * 8 / 10,
                    qPrintable(u"gap %1 ms < %2 ms"_s.arg(gap).arg(intervalMs * 8 / 10)));
            }
        }

        // A small room beside it is still told within its own 250 ms interval.
        auto *cy = m_clients.registered(u"cy"_s);
        QVERIFY(cy);
        const QString cyToken = cy->token();
        const qint64 small = test::createRoom(cy, u"nook"_s);
        QVERIFY(small > 0 && watchA->request(req::join(small))->type == ServerFrameType::Result);
        cy->disconnectNow();
        QVERIFY(watchA->waitPush(presenceOf(u"cy"_s, false)));
        QTest::qWait(400);
        watchA->clearPushes();
        QElapsedTimer quick;
        quick.start();
        QVERIFY(m_clients.signedIn(cyToken));
        QVERIFY(watchA->waitPush(presenceOf(u"cy"_s, true), 2000));
        QVERIFY2(quick.elapsed() < 1000, qPrintable(QString::number(quick.elapsed())));

        // Someone whose "online" is still queued in the big room leaves it and signs off:
        // the small room tells of the "offline" within its 250 ms, and the big room's
        // batch, due later, must not then report them online again.
        const QString leaverName = u"m%1"_s.arg(Seeded - 1);
        auto *leaver = m_clients.signedIn(tokens.last());
        QVERIFY(leaver);
        QVERIFY(leaver->request(req::join(small))->type == ServerFrameType::Result);
        leaver->disconnectNow();
        QVERIFY(watchA->waitPush(presenceOf(leaverName, false), 3000));
        QTest::qWait(int(intervalMs) + 100);
        QStringList heard; // "on"/"off" for the leaver, in arrival order
        const auto tap = QObject::connect(&watchA->socket(), &QWebSocket::textMessageReceived,
            watchA, [&heard, leaverName](const QString &text) {
                const QJsonObject o = QJsonDocument::fromJson(text.toUtf8()).object();
                if (o.value("type"_L1).toString() != "presence"_L1)
                    return;
                if (o.value("online"_L1).toArray().contains(QJsonValue(leaverName)))
                    heard << u"on"_s;
                if (o.value("offline"_L1).toArray().contains(QJsonValue(leaverName)))
                    heard << u"off"_s;
            });
        // Goes out at once (a quiet spell), so the big room's next frame waits an interval.
        QVERIFY(m_clients.signedIn(tokens.at(SigningIn)));
        auto *again = m_clients.signedIn(tokens.last());
        QVERIFY(again);
        QVERIFY(again->request(req::leave(room))->type == ServerFrameType::Result);
        again->disconnectNow();
        QTRY_VERIFY_WITH_TIMEOUT(heard.contains(u"off"_s), 3000);
        QTest::qWait(int(intervalMs) * 2 + 200);
        QObject::disconnect(tap);
        QVERIFY2(heard.last() == u"off"_s, qPrintable(heard.join(u',')));
    }

    void typingIsBroadcastOnceAndExpires()
    {
        auto *ana = m_clients.connectClient();
        auto *bob = m_clients.connectClient();
        auto *eve = m_clients.connectClient();
        QVERIFY(ana->registerUser(u"ana"_s) && bob->registerUser(u"bob"_s)
            && eve->registerUser(u"eve"_s));
        const auto created = ana->request(req::createRoom(u"typing"_s));
        const qint64 room
            = qint64(created->data().value("room"_L1).toObject().value("id"_L1).toDouble());
        QVERIFY(bob->request(req::join(room))->type == ServerFrameType::Result);

        QVERIFY(ana->request(req::typing(room, true))->type == ServerFrameType::Result);
        QVERIFY(ana->request(req::typing(room, true))->type == ServerFrameType::Result);
        QVERIFY(bob->waitPush(typingOf(u"ana"_s, true)));
        // Refreshing an indicator that is already on tells nobody again.
        QVERIFY(!bob->waitPush(typingOf(u"ana"_s, true), 100));
        QVERIFY(!ana->waitPush(typingOf(u"ana"_s, true), 50));
        // Never cleared by the client: the server expires it.
        QVERIFY(bob->waitPush(typingOf(u"ana"_s, false), 3000));
        QVERIFY(!eve->waitPush(typingOf(u"ana"_s, true), 10));
        QCOMPARE(eve->request(req::typing(room, true))->error, protocol::ErrorCode::NotMember);

        // Sending a message ends typing at once.
        QVERIFY(ana->request(req::typing(room, true))->type == ServerFrameType::Result);
        QVERIFY(bob->waitPush(typingOf(u"ana"_s, true)));
        QVERIFY(ana->request(req::send(room, u"t"_s, u"done"_s))->type == ServerFrameType::Result);
        QVERIFY(bob->waitPush(typingOf(u"ana"_s, false), 300));
    }
};

CONFAB_SERVER_TEST_MAIN(TestPresence)
#include "tst_presence.moc"
