// SPDX-License-Identifier: GPL-3.0-or-later
// Presence from the connection table and ephemeral typing indicators.
#include "clientpool.h"
#include "testclient.h"
#include "testserver.h"

#include <QJsonArray>
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
