// SPDX-License-Identifier: GPL-3.0-or-later
// Plain connections served on io_threads loop threads (and on the main thread with 0),
// through real sockets on 127.0.0.1: broadcasts keep the order the server gave them, a
// connection whose output is backed up has its requests held and then answered in order,
// shutdown answers what was sent before it, and a server destroyed with connections open
// ends its loops cleanly.
#include "chat/chatservice.h"
#include "clientpool.h"
#include "rawwebsocket.h"
#include "testclient.h"
#include "testserver.h"

#include <QDir>
#include <QFile>
#include <QJsonDocument>
#include <QRegularExpression>
#include <QtTest>
#include <memory>
#include <vector>

using namespace Qt::StringLiterals;
using namespace confab;
using protocol::ServerFrameType;
using test::RawWebSocket;
using test::TestClient;
namespace req = protocol::requests;

namespace {

constexpr int NoFrame = -1;

/*! \brief Threads of this process that IoLoop named, read from the kernel. */
int loopThreads()
{
    int count = 0;
    const QDir tasks(u"/proc/self/task"_s);
    for (const QString &task : tasks.entryList(QDir::Dirs | QDir::NoDotAndDotDot)) {
        QFile comm(tasks.filePath(task + u"/comm"_s));
        if (comm.open(QIODevice::ReadOnly) && comm.readAll().startsWith("confabd-io-"))
            ++count;
    }
    return count;
}

qint64 idOf(const protocol::ServerFrame &f)
{
    return f.id.isDouble() ? qint64(f.id.toDouble()) : -1;
}

bool isReply(const protocol::ServerFrame &f)
{
    return f.type == ServerFrameType::Result || f.type == ServerFrameType::Error;
}

/*! \brief Where in \a frames the reply with \a id is; -1 if it is not there. */
qsizetype replyAt(const QList<protocol::ServerFrame> &frames, qint64 id)
{
    for (qsizetype i = 0; i < frames.size(); ++i) {
        if (isReply(frames.at(i)) && idOf(frames.at(i)) == id)
            return i;
    }
    return -1;
}

/*! \brief Waits for \a count loop threads: a thread takes its name once it runs. */
bool loopThreadsAre(int count)
{
    return TestClient::waitUntil([count] { return loopThreads() == count; }, 5000);
}

void threadRows()
{
    QTest::addColumn<int>("threads");
    QTest::newRow("io_threads=0") << 0;
    QTest::newRow("io_threads=1") << 1;
    QTest::newRow("io_threads=3") << 3;
}

} // namespace

class TestIoLoops : public QObject
{
    Q_OBJECT

private:
    std::unique_ptr<test::TestServer> m_server;
    test::ClientPool m_clients {[this] { return m_server->url(); }};
    std::vector<std::unique_ptr<RawWebSocket>> m_raw;

    quint16 port() const { return m_server->server()->port(); }
    int connections() const { return m_server->server()->service()->connectionCount(); }

    bool startServer(int threads, qint64 maxOutbound = 0)
    {
        m_server = std::make_unique<test::TestServer>();
        m_server->config().ioThreads = threads;
        if (maxOutbound > 0)
            m_server->config().maxOutboundBytes = maxOutbound;
        return m_server->start();
    }

    /*! \brief A raw socket signed in with \a token; \a receiveBuffer as in connectTcp(). */
    RawWebSocket *rawSignedIn(const QString &token, int receiveBuffer = 0)
    {
        auto s = std::make_unique<RawWebSocket>();
        if (!s->connectTcp(port(), receiveBuffer) || !s->upgrade(port()))
            return nullptr;
        const auto auth = s->request(req::authenticate(token), 1);
        if (!auth || auth->type != ServerFrameType::Result)
            return nullptr;
        m_raw.push_back(std::move(s));
        return m_raw.back().get();
    }

    static bool sent(TestClient *c, qint64 room, const QString &txn, const QString &text)
    {
        const auto r = c->request(req::send(room, txn, text));
        return r && r->type == ServerFrameType::Result;
    }

    /*! \brief The room events among \a frames, in arrival order. */
    static QList<protocol::RoomEvent> eventsIn(const QList<protocol::ServerFrame> &frames)
    {
        QList<protocol::RoomEvent> events;
        for (const auto &f : frames) {
            if (const auto e = f.roomEvent())
                events.append(*e);
        }
        return events;
    }

private Q_SLOTS:
    void cleanup()
    {
        m_raw.clear();
        m_clients.clear();
        m_server.reset();
        QVERIFY(loopThreadsAre(0)); // the loops of the server just ended have ended too
    }

    void startsAsManyLoopsAsConfigured_data() { threadRows(); }
    void startsAsManyLoopsAsConfigured()
    {
        QFETCH(int, threads);
        QVERIFY(startServer(threads));
        QVERIFY(loopThreadsAre(threads));
        auto *ana = m_clients.registered(u"ana"_s);
        QVERIFY(ana);
        const auto pong = ana->request(req::ping());
        QVERIFY(pong && pong->type == ServerFrameType::Result);
    }

    // 12 connections, so that 3 loops serve 4 each, all sending at once: each receives
    // every message once, in the order of the seqs the server gave them, and each
    // sender's own messages in the order it sent them.
    void broadcastsArriveOnceInSeqOrder_data() { threadRows(); }
    void broadcastsArriveOnceInSeqOrder()
    {
        QFETCH(int, threads);
        constexpr int Clients = 12;
        constexpr int Rounds = 10;
        constexpr int Total = Clients * Rounds;
        QVERIFY(startServer(threads));
        auto *ana = m_clients.registered(u"ana"_s);
        QVERIFY(ana);
        const qint64 room = test::createRoom(ana, u"general"_s);
        QVERIFY(room > 0);
        QList<RawWebSocket *> clients;
        while (clients.size() < Clients) {
            RawWebSocket *c = rawSignedIn(ana->token());
            QVERIFY(c);
            clients.append(c);
        }
        // Without waiting for replies: the requests of all twelve overlap.
        for (int round = 0; round < Rounds; ++round) {
            for (int i = 0; i < Clients; ++i) {
                const QString txn = u"c%1-r%2"_s.arg(i).arg(round);
                clients[i]->sendText(
                    req::send(room, txn, u"m %1"_s.arg(txn)).encode(double(1000 + round)));
            }
        }
        const auto acksOf = [](RawWebSocket *c) {
            QList<protocol::ServerFrame> acks;
            for (const auto &f : c->textFrames()) {
                if (isReply(f) && idOf(f) >= 1000)
                    acks.append(f);
            }
            return acks;
        };
        const bool all = TestClient::waitUntil(
            [&] {
                for (RawWebSocket *c : std::as_const(clients)) {
                    if (eventsIn(c->textFrames()).size() < Total || acksOf(c).size() < Rounds)
                        return false;
                }
                return true;
            },
            30'000);
        QVERIFY2(all, "not every client received every message and its acknowledgements");
        QTest::qWait(100); // a duplicate, had there been one, would have arrived by now
        const QList<protocol::RoomEvent> reference = eventsIn(clients[0]->textFrames());
        for (int i = 0; i < Clients; ++i) {
            const QList<protocol::RoomEvent> got = eventsIn(clients[i]->textFrames());
            QCOMPARE(got.size(), Total);
            for (int k = 0; k < Total; ++k) {
                // Nothing else happens in the room meanwhile: the seqs are consecutive.
                QCOMPARE(got[k].seq, reference.first().seq + k);
                QCOMPARE(got[k].txn, reference[k].txn);
            }
            // Its own messages in the order it sent them, each acknowledged with its seq.
            const QList<protocol::ServerFrame> acks = acksOf(clients[i]);
            QCOMPARE(acks.size(), Rounds);
            qint64 last = 0;
            int own = 0;
            for (const auto &e : got) {
                if (!e.txn.startsWith(u"c%1-"_s.arg(i)))
                    continue;
                QCOMPARE(e.txn, u"c%1-r%2"_s.arg(i).arg(own));
                QVERIFY(e.seq > last);
                last = e.seq;
                const auto &ack = acks[own];
                QCOMPARE(ack.type, ServerFrameType::Result);
                QCOMPARE(idOf(ack), 1000 + own);
                QCOMPARE(qint64(ack.data().value("seq"_L1).toDouble()), e.seq);
                ++own;
            }
            QCOMPARE(own, Rounds);
        }
    }

    // A reply larger than the low-water mark puts the connection's next request on hold
    // while the reply is on its way to the loop. The kernel takes a reply this small in
    // one call, so nothing stays queued that would report its writing: the request goes
    // on only because the loop reports the hand-on it was asked to watch for.
    void heldRequestGoesOnWhenTheKernelTakesItAll_data() { threadRows(); }
    void heldRequestGoesOnWhenTheKernelTakesItAll()
    {
        QFETCH(int, threads);
        constexpr qint64 MaxOutbound = 32 * 1024; // low water: 8 KiB
        QVERIFY(startServer(threads, MaxOutbound));
        auto *ana = m_clients.registered(u"ana"_s);
        QVERIFY(ana);
        const qint64 room = test::createRoom(ana, u"general"_s);
        QVERIFY(room > 0);
        for (int i = 0; i < 6; ++i)
            QVERIFY(sent(ana, room, u"t%1"_s.arg(i), QString(2000, QChar(u'a' + i))));
        RawWebSocket *s = rawSignedIn(ana->token());
        QVERIFY(s);
        for (int round = 0; round < 30; ++round) {
            const qint64 pageId = 100 + 2 * round;
            const qint64 pingId = pageId + 1;
            // One write, so that the loop reports both requests together.
            s->write(RawWebSocket::frame(RawWebSocket::Text,
                         req::historyBefore(room, 1000, 50).encode(double(pageId)))
                + RawWebSocket::frame(RawWebSocket::Text, req::ping().encode(double(pingId))));
            const auto pong = s->waitReply(double(pingId), 5000);
            QVERIFY2(pong,
                qPrintable(u"round %1: the ping after the page was never answered"_s.arg(round)));
            QCOMPARE(pong->type, ServerFrameType::Result);
            const QList<protocol::ServerFrame> frames = s->textFrames();
            const qsizetype page = replyAt(frames, pageId);
            QVERIFY(page >= 0);
            QCOMPARE(frames[page].type, ServerFrameType::Result);
            QVERIFY(QJsonDocument(frames[page].data()).toJson().size() > MaxOutbound / 4);
            QVERIFY(page < replyAt(frames, pingId));
        }
        QVERIFY(s->isConnected());
    }

    // One reader stops reading while another client sends large messages: its requests
    // wait behind its output and are answered, in order, after everything broadcast
    // meanwhile once it reads again. A reader that never reads again is dropped when its
    // output passes the bound, and nobody else notices.
    void backedUpReaderIsAnsweredInOrderAndNonReaderDropped_data() { threadRows(); }
    void backedUpReaderIsAnsweredInOrderAndNonReaderDropped()
    {
        QFETCH(int, threads);
        constexpr qint64 MaxOutbound = 2 * 1024 * 1024; // low water: 256 KiB
        constexpr qint64 LowWater = 256 * 1024;
        const QString text(16'000, u'x');
        QVERIFY(startServer(threads, MaxOutbound));
        auto *ana = m_clients.registered(u"ana"_s);
        QVERIFY(ana);
        const qint64 room = test::createRoom(ana, u"general"_s);
        QVERIFY(room > 0);
        auto *watcher = m_clients.signedIn(ana->token());
        QVERIFY(watcher);
        RawWebSocket *slow = rawSignedIn(ana->token(), 4096);
        RawWebSocket *never = rawSignedIn(ana->token(), 4096);
        QVERIFY(slow && never);
        slow->stopReading();
        never->stopReading();
        const int open = connections();
        QCOMPARE(open, 4);
        const auto &outbound = m_server->server()->outbound();
        const QHostAddress loopback(QHostAddress::LocalHost);

        // Until each non-reader holds well past the low-water mark: the ledger counts what
        // the two hold together, not what the kernel buffers for them (megabytes here).
        int n = 0;
        while (outbound.address(loopback) < 2 * (LowWater + 128 * 1024) && n < 400) {
            QVERIFY(sent(ana, room, u"a%1"_s.arg(n), text));
            ++n;
        }
        QVERIFY2(n < 400, qPrintable(QString::number(outbound.address(loopback))));
        qInfo("%d messages of 16 KB: %lld KiB held for the two non-readers", n,
            outbound.address(loopback) / 1024);
        for (qint64 id = 11; id <= 15; ++id)
            slow->sendText(req::ping().encode(double(id)));
        slow->socket().flush();
        QTest::qWait(300); // the pings reach the server and wait there
        const int firstAfterPings = n;
        for (int i = 0; i < 5; ++i, ++n)
            QVERIFY(sent(ana, room, u"a%1"_s.arg(n), u"after the pings"_s));
        const QString lastBefore = u"a%1"_s.arg(n - 1);

        slow->resumeReading();
        const bool answered
            = TestClient::waitUntil([&] { return replyAt(slow->textFrames(), 15) >= 0; }, 20'000);
        QVERIFY2(answered, "the held pings were never answered");
        QList<protocol::ServerFrame> frames = slow->textFrames();
        QList<protocol::RoomEvent> events = eventsIn(frames);
        qsizetype lastEventAt = -1;
        for (qsizetype i = 0; i < frames.size(); ++i) {
            const auto e = frames[i].roomEvent();
            if (e && e->txn == lastBefore)
                lastEventAt = i;
        }
        QVERIFY2(lastEventAt >= 0, "the messages sent after the pings did not all arrive");
        qsizetype previous = lastEventAt;
        for (qint64 id = 11; id <= 15; ++id) {
            const qsizetype at = replyAt(frames, id);
            QVERIFY2(at > previous,
                qPrintable(u"ping %1 at %2, after %3"_s.arg(id).arg(at).arg(previous)));
            QCOMPARE(frames[at].type, ServerFrameType::Result);
            previous = at;
        }
        // Every message once, in seq order.
        QCOMPARE(events.size(), n);
        for (int i = 0; i < n; ++i) {
            QCOMPARE(events[i].txn, u"a%1"_s.arg(i));
            QCOMPARE(events[i].seq, events.first().seq + i);
        }
        QCOMPARE(events[firstAfterPings].text, u"after the pings"_s);

        // The one that never reads passes the bound; the others get everything.
        for (int i = 0; connections() == open && i < 400; ++i, ++n)
            QVERIFY(sent(ana, room, u"a%1"_s.arg(n), text));
        QVERIFY(TestClient::waitUntil([&] { return connections() == open - 1; }, 10'000));
        const QString last = u"a%1"_s.arg(n - 1);
        QVERIFY(TestClient::waitUntil(
            [&] {
                const auto got = eventsIn(slow->textFrames());
                return !got.isEmpty() && got.last().txn == last;
            },
            20'000));
        QCOMPARE(eventsIn(slow->textFrames()).size(), n);
        QVERIFY(watcher->waitEvent(room, events.first().seq + n - 1, 10'000));
        QCOMPARE(watcher->events(room).last().txn, last);
        never->resumeReading();
        QVERIFY(TestClient::waitUntil([&] { return never->isDisconnected(); }, 10'000));
        QVERIFY(eventsIn(never->textFrames()).size() < n);
        QVERIFY(slow->isConnected() && watcher->isConnected() && ana->isConnected());
        const auto pong = slow->request(req::ping(), 20);
        QVERIFY(pong && pong->type == ServerFrameType::Result);
    }

    // Requests already on the wire when the server shuts down are each answered (normally
    // or with shutting_down), and then every client is told 1001.
    void shutdownAnswersWhatWasSentBefore_data() { threadRows(); }
    void shutdownAnswersWhatWasSentBefore()
    {
        QFETCH(int, threads);
        constexpr int Sockets = 6;
        constexpr int Requests = 5;
        QVERIFY(startServer(threads));
        auto *ana = m_clients.registered(u"ana"_s);
        QVERIFY(ana);
        QList<RawWebSocket *> sockets;
        for (int i = 0; i < Sockets; ++i) {
            RawWebSocket *s = rawSignedIn(ana->token());
            QVERIFY(s);
            sockets.append(s);
        }
        for (RawWebSocket *s : std::as_const(sockets)) {
            QByteArray bytes;
            for (int id = 10; id < 10 + Requests; ++id)
                bytes += RawWebSocket::frame(RawWebSocket::Text, req::ping().encode(double(id)));
            s->write(bytes);
            QVERIFY(s->socket().flush());
        }
        m_server->stop(); // at once: the server's loop has not run since the writes
        const bool closed = TestClient::waitUntil(
            [&] {
                for (RawWebSocket *s : std::as_const(sockets)) {
                    if (!s->isDisconnected())
                        return false;
                }
                return true;
            },
            10'000);
        QVERIFY(closed);
        for (RawWebSocket *s : std::as_const(sockets)) {
            const QList<protocol::ServerFrame> frames = s->textFrames();
            qsizetype previous = -1;
            for (int id = 10; id < 10 + Requests; ++id) {
                const qsizetype at = replyAt(frames, id);
                QVERIFY2(
                    at > previous, qPrintable(u"request %1 unanswered or out of order"_s.arg(id)));
                const auto &reply = frames[at];
                QVERIFY(reply.type == ServerFrameType::Result
                    || reply.error == protocol::ErrorCode::ShuttingDown);
                previous = at;
            }
            QCOMPARE(s->closeCode(), 1001);
        }
        QVERIFY(TestClient::waitUntil([&] { return ana->closeCode() == 1001; }, 5000));
    }

    // A peer's close is echoed and a protocol violation answered 1002, each ending that one
    // connection; the others on the same loop go on.
    void closesEndOnlyTheirConnection_data() { threadRows(); }
    void closesEndOnlyTheirConnection()
    {
        QFETCH(int, threads);
        QVERIFY(startServer(threads));
        auto *ana = m_clients.registered(u"ana"_s);
        QVERIFY(ana);
        // Six, so that each of three loops serves two besides the first client.
        QList<RawWebSocket *> sockets;
        for (int i = 0; i < 6; ++i) {
            RawWebSocket *s = rawSignedIn(ana->token());
            QVERIFY(s);
            sockets.append(s);
        }
        const int open = connections();
        RawWebSocket *polite = sockets[0];
        RawWebSocket *broken = sockets[1];
        polite->write(
            RawWebSocket::frame(RawWebSocket::Close, RawWebSocket::closePayload(1000, "bye")));
        broken->write(RawWebSocket::frame(
            RawWebSocket::Text, req::ping().encode(7.0), true, 0, /*masked=*/false));
        QVERIFY(TestClient::waitUntil(
            [&] { return polite->isDisconnected() && broken->isDisconnected(); }, 5000));
        QCOMPARE(polite->closeCode(), 1000);
        QCOMPARE(broken->closeCode(), 1002);
        QCOMPARE(replyAt(broken->textFrames(), 7), -1); // the unmasked frame was not read
        QVERIFY(TestClient::waitUntil([&] { return connections() == open - 2; }, 5000));
        for (qsizetype i = 2; i < sockets.size(); ++i) {
            const auto pong = sockets[i]->request(req::ping(), 50);
            QVERIFY(pong && pong->type == ServerFrameType::Result);
            QCOMPARE(sockets[i]->closeCode(), NoFrame);
        }
        const auto pong = ana->request(req::ping());
        QVERIFY(pong && pong->type == ServerFrameType::Result);
    }

    // No shutdown: the server goes with connections open, one of them backed up and one
    // with a request the server has not read. Its loops end, every socket is closed, and
    // (under ASan) nothing leaks.
    void destroyedWithConnectionsOpen_data() { threadRows(); }
    void destroyedWithConnectionsOpen()
    {
        QFETCH(int, threads);
        QTemporaryDir dir;
        server::ServerConfig config;
        config.dataDir = dir.path();
        config.port = 0;
        config.durability = server::Durability::Normal;
        config.ioThreads = threads;
        auto server = std::make_unique<server::ChatServer>(config);
        QString error;
        QCOMPARE(server->start(&error), server::ChatServer::StartError::None);
        QVERIFY(loopThreadsAre(threads));
        const QUrl url(u"ws://127.0.0.1:%1"_s.arg(server->port()));
        TestClient ana;
        QVERIFY(ana.open(url) && ana.registerUser(u"ana"_s));
        const qint64 room = test::createRoom(&ana, u"general"_s);
        QVERIFY(room > 0);
        std::vector<std::unique_ptr<RawWebSocket>> sockets;
        for (int i = 0; i < 5; ++i) {
            auto s = std::make_unique<RawWebSocket>();
            QVERIFY(s->connectTcp(server->port(), 4096) && s->upgrade(server->port()));
            const auto auth = s->request(req::authenticate(ana.token()), 1);
            QVERIFY(auth && auth->type == ServerFrameType::Result);
            sockets.push_back(std::move(s));
        }
        sockets[0]->stopReading();
        for (int i = 0; i < 20; ++i)
            QVERIFY(sent(&ana, room, u"t%1"_s.arg(i), QString(16'000, u'x')));
        sockets[1]->sendText(req::ping().encode(9.0));
        QVERIFY(sockets[1]->socket().flush());
        server.reset();
        QCoreApplication::sendPostedEvents(nullptr, QEvent::DeferredDelete);
        QVERIFY(loopThreadsAre(0));
        sockets[0]->resumeReading();
        QVERIFY(TestClient::waitUntil(
            [&] {
                for (const auto &s : sockets) {
                    if (!s->isDisconnected())
                        return false;
                }
                return !ana.isConnected();
            },
            10'000));
    }

    void ioThreadsSetting()
    {
        server::ServerConfig config;
        QVERIFY(config.ioThreads >= 1 && config.ioThreads <= 8);
        QCOMPARE(config.ioThreads, server::ServerConfig::defaultIoThreads());
        QString error;
        for (const int n : {0, 1, 64}) {
            QVERIFY2(config.set(u"io_threads"_s, QString::number(n), &error), qPrintable(error));
            QCOMPARE(config.ioThreads, n);
        }
        for (const QString &bad : {u"65"_s, u"-1"_s, u"two"_s}) {
            error.clear();
            QVERIFY(!config.set(u"io_threads"_s, bad, &error));
            QVERIFY(!error.isEmpty());
            QCOMPARE(config.ioThreads, 64); // unchanged
        }
        QVERIFY(server::ServerConfig::restartKeys().contains(u"io_threads"_s));
        bool listed = false;
        for (const auto &[key, value] : config.settings())
            listed = listed || (key == u"io_threads"_s && value == u"64"_s);
        QVERIFY(listed);
    }

    // A reload that asks for another number of loops keeps the running ones, and says so.
    void reloadKeepsTheLoops()
    {
        QVERIFY(startServer(1));
        QVERIFY(loopThreadsAre(1));
        server::ServerConfig fresh = m_server->config();
        fresh.ioThreads = 3;
        fresh.port = 0; // as the server was started
        QTest::ignoreMessage(QtWarningMsg,
            QRegularExpression(
                u"reload: io_threads changed to 3 but needs a restart; keeping 1"_s));
        QString error;
        QVERIFY2(m_server->server()->reload(fresh, &error), qPrintable(error));
        QTest::qWait(100); // a thread that had been started would have its name by now
        QCOMPARE(loopThreads(), 1);
        auto *ana = m_clients.registered(u"ana"_s);
        QVERIFY(ana);
        const auto pong = ana->request(req::ping());
        QVERIFY(pong && pong->type == ServerFrameType::Result);
        QCOMPARE(loopThreads(), 1);
    }
};

CONFAB_SERVER_TEST_MAIN(TestIoLoops)
#include "tst_ioloops.moc"
