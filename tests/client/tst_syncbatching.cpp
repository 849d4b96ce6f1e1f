// SPDX-License-Identifier: GPL-3.0-or-later
// Live events are applied in batches: a burst that reaches the app in one read lands in a
// few model insertions and cache transactions, in order, without duplicates, with the
// unread counts of §9.3, and the cache keeps exactly the newest 500 with the right cursor.
// A leave ends a batch, so another device's leave and rejoin in one read keep the rejoin.
// The burst is made deterministic by a loopback proxy that holds what the server sends
// and then delivers it in one write.
#include "clientpool.h"
#include "models/roomlistmodel.h"
#include "sessionfixture.h"
#include "store/localstore.h"
#include "testserver.h"

#include <QPointer>
#include <QTcpServer>
#include <QTcpSocket>

using namespace Qt::StringLiterals;
using namespace confab;
using client::Session;
using client::TimelineModel;
using test::App;

namespace {

/*!
 * A loopback TCP proxy for one connection. While held, what the server sends is kept;
 * release() writes all of it to the client at once, as a burst that was queued in the
 * network would arrive.
 */
class HoldingProxy : public QObject
{
public:
    explicit HoldingProxy(quint16 target)
    {
        connect(&m_server, &QTcpServer::newConnection, this, [this, target] {
            while (QTcpSocket *client = m_server.nextPendingConnection()) {
                client->setParent(this);
                auto *upstream = new QTcpSocket(this);
                m_client = client;
                upstream->connectToHost(QHostAddress::LocalHost, target);
                connect(client, &QTcpSocket::readyRead, upstream,
                    [client, upstream] { upstream->write(client->readAll()); });
                connect(upstream, &QTcpSocket::readyRead, client, [this, client, upstream] {
                    const QByteArray data = upstream->readAll();
                    if (m_holding)
                        m_held += data;
                    else
                        client->write(data);
                });
                connect(upstream, &QTcpSocket::disconnected, client,
                    &QTcpSocket::disconnectFromHost, Qt::QueuedConnection);
                connect(client, &QTcpSocket::disconnected, upstream,
                    &QTcpSocket::disconnectFromHost, Qt::QueuedConnection);
            }
        });
        m_server.listen(QHostAddress::LocalHost, 0);
    }

    QString url() const { return u"ws://127.0.0.1:%1"_s.arg(m_server.serverPort()); }
    void hold() { m_holding = true; }
    QByteArray held() const { return m_held; }
    void release()
    {
        m_holding = false;
        if (m_client)
            m_client->write(std::exchange(m_held, {}));
    }

private:
    QTcpServer m_server;
    QPointer<QTcpSocket> m_client;
    bool m_holding = false;
    QByteArray m_held;
};

} // namespace

class TestSyncBatching : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void burstIsAppliedInBatches()
    {
        constexpr int Burst = 1200; // more than the cache keeps of a room
        constexpr int ReadBehind = 10; // another device marks all but these read
        test::TestServer server;
        // bob pipelines the burst; the default rate limit would pace it.
        server.config().limits.ratePerSecond = 1'000'000;
        server.config().limits.rateBurst = 1'000'000;
        QVERIFY(server.start());
        HoldingProxy proxy(quint16(server.url().port()));

        client::SessionOptions options;
        options.pingIntervalMs = 120'000; // held for a while: not a dead link
        App ana(options);
        ana->account()->createAccount(proxy.url(), u"ana"_s, test::Password, {}, false);
        QTRY_COMPARE_WITH_TIMEOUT(ana->connectionState(), client::ConnectionState::Live, 15000);
        ana->roomActions()->createRoom(u"burst"_s, {});
        QTRY_VERIFY_WITH_TIMEOUT(ana->currentRoom()->roomId() != 0, 10000);
        const qint64 room = ana->currentRoom()->roomId();
        TimelineModel *tl = ana->currentRoom()->timeline();
        QVERIFY(tl);

        test::TestClient bob;
        QVERIFY(bob.open(server.url()) && bob.registerUser(u"bob"_s));
        const auto joined = bob.request(protocol::requests::join(room));
        QVERIFY(joined && joined->type == protocol::ServerFrameType::Result);
        // bob's join is shown: everything before the burst is applied.
        QTRY_COMPARE_WITH_TIMEOUT(test::timelineSeqs(tl).size(), 3, 10000);
        const qint64 before = tl->highestSeq();
        test::TestClient anaElsewhere;
        QVERIFY(anaElsewhere.open(server.url()) && anaElsewhere.login(u"ana"_s));

        proxy.hold();
        for (int i = 0; i < Burst; ++i) {
            const auto send = protocol::requests::send(room, u"b%1"_s.arg(i), u"burst %1"_s.arg(i));
            bob.sendRaw(QString::fromUtf8(send.encode(double(1'000'000 + i))));
        }
        const qint64 last = before + Burst;
        const auto lastEvent = bob.waitEvent(room, last, 60000);
        QVERIFY(lastEvent);
        QCOMPARE(lastEvent->text, u"burst %1"_s.arg(Burst - 1));
        // Read on another device: the unread push comes after the events, in the same read.
        const auto marked
            = anaElsewhere.request(protocol::requests::markRead(room, last - ReadBehind));
        QVERIFY(marked && marked->type == protocol::ServerFrameType::Result);
        QTRY_VERIFY_WITH_TIMEOUT(proxy.held().contains(R"("type":"unread")"), 10000);
        QVERIFY(proxy.held().contains(u"burst %1"_s.arg(Burst - 1).toUtf8()));
        QCOMPARE(tl->highestSeq(), before); // nothing got through while held

        QSignalSpy inserted(tl, &QAbstractItemModel::rowsInserted);
        proxy.release();
        QTRY_COMPARE_WITH_TIMEOUT(tl->highestSeq(), last, 15000);

        // In order, once each, nothing missing: the timeline is the server's log.
        const auto log = test::serverLog(&bob, room);
        QCOMPARE(log.size(), 3 + Burst);
        QCOMPARE(test::timelineSeqs(tl), test::seqsOf(log));
        // A few insertions for the whole burst, not one per event.
        int rows = 0;
        for (const auto &args : std::as_const(inserted))
            rows += args.at(2).toInt() - args.at(1).toInt() + 1;
        QCOMPARE(rows, Burst);
        qInfo() << Burst << "events in" << inserted.size() << "insertions";
        QVERIFY2(inserted.size() <= Burst / 20, qPrintable(QString::number(inserted.size())));

        // The unread push came after the events: it is the last word (§9.3), so the
        // events are not counted on top of it.
        QTRY_COMPARE_WITH_TIMEOUT(ana->rooms()->room(room)->readSeq, last - ReadBehind, 10000);
        QCOMPARE(ana->rooms()->room(room)->unread, ReadBehind);

        // The cache holds exactly the newest 500 events and the cursor at the last one.
        const QString dataDir = ana.path;
        ana.session.reset();
        client::LocalStore store;
        QVERIFY(store.open(client::LocalStore::pathFor(dataDir, proxy.url(), u"ana"_s)));
        const auto cached = store.events(room, 10 * Burst);
        QCOMPARE(test::seqsOf(cached), test::seqsOf(log.mid(log.size() - 500)));
        QCOMPARE(cached.last().text, u"burst %1"_s.arg(Burst - 1));
        QCOMPARE(store.cursors().value(room), last);
    }

    void ownLeaveEndsTheBatch()
    {
        // Another device leaves the room and joins it again, and messages follow, all in
        // one read. Applied one by one, the leave forgets the room and what follows starts
        // it afresh; in one batch the leave would also drop the join and its cursor.
        test::TestServer server;
        QVERIFY(server.start());
        HoldingProxy proxy(quint16(server.url().port()));
        client::SessionOptions options;
        options.pingIntervalMs = 120'000;
        App ana(options);
        ana->account()->createAccount(proxy.url(), u"ana"_s, test::Password, {}, false);
        QTRY_COMPARE_WITH_TIMEOUT(ana->connectionState(), client::ConnectionState::Live, 15000);
        test::TestClient bob;
        QVERIFY(bob.open(server.url()) && bob.registerUser(u"bob"_s));
        const qint64 room = test::createRoom(&bob, u"hall"_s);
        QVERIFY(room > 0);
        ana->roomActions()->joinRoom(room);
        QTRY_COMPARE_WITH_TIMEOUT(ana->currentRoom()->roomId(), room, 10000);
        test::TestClient anaElsewhere;
        QVERIFY(anaElsewhere.open(server.url()) && anaElsewhere.login(u"ana"_s));

        proxy.hold();
        // Something first, so that the leave does not arrive after a quiet spell (which
        // would apply it on its own anyway).
        const auto first = bob.request(protocol::requests::send(room, u"r"_s, u"before"_s));
        QVERIFY(first && first->type == protocol::ServerFrameType::Result);
        const auto left = anaElsewhere.request(protocol::requests::leave(room));
        QVERIFY(left && left->type == protocol::ServerFrameType::Result);
        const auto joined = anaElsewhere.request(protocol::requests::join(room));
        QVERIFY(joined && joined->type == protocol::ServerFrameType::Result);
        for (int i = 0; i < 3; ++i) {
            const auto r = bob.request(
                protocol::requests::send(room, u"r%1"_s.arg(i), u"after %1"_s.arg(i)));
            QVERIFY(r && r->type == protocol::ServerFrameType::Result);
        }
        QTRY_VERIFY_WITH_TIMEOUT(proxy.held().contains("after 2"), 10000);
        const auto log = test::serverLog(&bob, room);
        QVERIFY(log.size() >= 5);
        const auto rejoin = log.mid(log.size() - 4); // ana's join, then bob's three
        QCOMPARE(rejoin.first().kind, protocol::EventKind::Join);
        QCOMPARE(log.at(log.size() - 5).kind, protocol::EventKind::Leave);

        proxy.release();
        QTRY_VERIFY_WITH_TIMEOUT(
            ana->rooms()->room(room) && ana->rooms()->room(room)->lastSeq == log.last().seq, 10000);

        // The cache has the room again from its join on, with the cursor at its end.
        const QString dataDir = ana.path;
        ana.session.reset();
        client::LocalStore store;
        QVERIFY(store.open(client::LocalStore::pathFor(dataDir, proxy.url(), u"ana"_s)));
        QCOMPARE(test::seqsOf(store.events(room)), test::seqsOf(rejoin));
        QCOMPARE(store.cursors().value(room), log.last().seq);
    }
};

QTEST_MAIN(TestSyncBatching)
#include "tst_syncbatching.moc"
