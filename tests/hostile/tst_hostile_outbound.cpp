// SPDX-License-Identifier: GPL-3.0-or-later
// What a client that asks for a lot and never reads can make the server hold (issue 15,
// hole 2). Before the bound, 24 sockets that each sent one `sync` (~40 bytes) and never
// read grew the server by ~13 MiB each: the whole reply (2 rooms x 500 events x 16 KB)
// sat in the socket's buffer until the heartbeat dropped it. Now one reply carries at
// most max_reply_bytes (the rest follows through `gap` and `history`, §5.13–5.14), a
// connection whose output is backed up gets no further replies until it drains, and the
// output queued for one address or one account is bounded as a whole.
#include "clientpool.h"
#include "rawwebsocket.h"
#include "residentmemory.h"
#include "testclient.h"
#include "testserver.h"

#include <QJsonDocument>
#include <QtTest>
#include <memory>
#include <vector>

using namespace Qt::StringLiterals;
using namespace confab;
using test::RawWebSocket;
namespace req = protocol::requests;

namespace {

constexpr int EventsPerRoom = 500;
constexpr int TextChars = 16'000;
constexpr qint64 ReplyBudget = 1024 * 1024;

} // namespace

class TestHostileOutbound : public QObject
{
    Q_OBJECT

    std::unique_ptr<test::TestServer> m_server;
    QString m_token;
    QList<qint64> m_rooms;

    quint16 port() const { return m_server->server()->port(); }

    // Two rooms of EventsPerRoom messages of TextChars characters each.
    bool seed()
    {
        test::TestClient ana;
        if (!ana.open(m_server->url()) || !ana.registerUser(u"ana"_s))
            return false;
        m_token = ana.token();
        const QString text(TextChars, u'x');
        for (const QString &name : {u"one"_s, u"two"_s}) {
            const qint64 room = test::createRoom(&ana, name);
            if (room <= 0)
                return false;
            m_rooms.append(room);
            for (int i = 0; i < EventsPerRoom; ++i) {
                const auto ack = ana.request(req::send(room, u"%1-%2"_s.arg(name).arg(i), text));
                if (!ack || ack->type != protocol::ServerFrameType::Result)
                    return false;
                ana.clearPushes();
            }
        }
        ana.disconnectNow();
        return true;
    }

    QHash<qint64, qint64> fromTheStart() const
    {
        QHash<qint64, qint64> cursors;
        for (qint64 room : m_rooms)
            cursors.insert(room, 0);
        return cursors;
    }

    // \a count signed-in sockets with a 4 KiB TCP window, each sending four syncs of
    // everything and then never reading: the asks after the first wait for output that
    // never drains.
    bool openNonReaders(int count, std::vector<std::unique_ptr<RawWebSocket>> *sockets)
    {
        for (int i = 0; i < count; ++i) {
            auto s = std::make_unique<RawWebSocket>();
            if (!s->connectTcp(port(), 4096) || !s->upgrade(port()))
                return false;
            const auto auth = s->request(req::authenticate(m_token), 1);
            if (!auth || auth->type != protocol::ServerFrameType::Result)
                return false;
            s->stopReading();
            for (int n = 0; n < 4; ++n)
                s->sendText(req::sync(fromTheStart()).encode(double(10 + n)));
            sockets->push_back(std::move(s));
        }
        return true;
    }

private Q_SLOTS:
    void init()
    {
        m_server = std::make_unique<test::TestServer>();
        m_server->config().limits.rateBurst = 100'000;
        m_server->config().limits.ratePerSecond = 100'000;
        m_server->config().maxReplyBytes = ReplyBudget;
        QVERIFY(m_server->start());
        QVERIFY(seed());
    }

    void cleanup()
    {
        m_server.reset();
        m_rooms.clear();
    }

    void nonReadersAskingForEverythingAreBounded()
    {
        constexpr int Sockets = 24;
        const qint64 before = test::residentKiB();
        std::vector<std::unique_ptr<RawWebSocket>> sockets;
        QVERIFY(openNonReaders(Sockets, &sockets));
        // A reading client's round trip proves the server went through every request above.
        test::TestClient probe;
        QVERIFY(probe.open(m_server->url()) && probe.authenticate(m_token));
        QTest::qWait(500);
        const auto pong = probe.request(req::ping());
        QVERIFY(pong && pong->type == protocol::ServerFrameType::Result);
        const qint64 grown = test::residentKiB() - before;
        // Per socket at most one reply (the budget) plus the kernel's and Qt's buffers.
        const qint64 bound = Sockets * (ReplyBudget / 1024 + 512);
        qInfo("%d non-reading sockets x 4 syncs of %d x %d KB: resident set grew by %lld KiB "
              "(bound %lld KiB; before the fix ~13 MiB per socket)",
            Sockets, EventsPerRoom * int(m_rooms.size()), TextChars / 1000, grown, bound);
        QVERIFY2(grown < bound, qPrintable(QString::number(grown)));
    }

    // Behind a reverse proxy every client has the proxy's address: non-readers there must
    // not add up past the address's cap, nor hold back the clients that do read.
    void nonReadersOfOneAddressStayWithinItsCap()
    {
        constexpr qint64 Cap = 4 * 1024 * 1024;
        m_server->stop();
        m_server->config().maxOutboundBytesPerAddress = Cap;
        QVERIFY(m_server->start());
        const QHostAddress loopback(QHostAddress::LocalHost);
        std::vector<std::unique_ptr<RawWebSocket>> sockets;
        QVERIFY(openNonReaders(24, &sockets));
        test::TestClient reader;
        QVERIFY(reader.open(m_server->url()) && reader.authenticate(m_token));
        const auto &outbound = m_server->server()->outbound();
        // The sweep drops the readers that stalled while the address is past its cap.
        const bool settled = test::TestClient::waitUntil(
            [&] { return outbound.address(loopback) <= Cap; }, 15'000);
        // Everything here comes from one address, so the ledger's peak is the address's.
        const qint64 peak = outbound.peakTotal();
        // Once past the cap, replies shrink to 64 KiB: a non-reader then holds at most the
        // low-water mark plus one such reply. Without any per-address bound each would hold
        // a full reply (the kernel's buffers take part of it, so this catches the bound as a
        // whole, not the smaller replies alone: 7.8 MiB without them, 4.2 MiB with).
        const qint64 bound = Cap + ReplyBudget + 24 * (256 * 1024 + 64 * 1024);
        qInfo("one address, 24 non-readers: peak %lld KiB unsent (bound %lld KiB, and "
              "%lld KiB if each held a full reply), cap %lld KiB, now %lld KiB",
            peak / 1024, bound / 1024, (Cap + 24 * ReplyBudget) / 1024, Cap / 1024,
            outbound.address(loopback) / 1024);
        QVERIFY(settled);
        QVERIFY2(peak <= bound, qPrintable(QString::number(peak)));
        // The reader from the same address was served all along, and still is.
        const auto sync = reader.request(req::sync(fromTheStart()));
        QVERIFY(sync && sync->type == protocol::ServerFrameType::Result);
        QVERIFY(reader.isConnected());
    }

    void aReaderStillGetsEveryEventThroughGapAndHistory()
    {
        test::TestClient bob;
        QVERIFY(bob.open(m_server->url()) && bob.authenticate(m_token));
        const auto sync = bob.request(req::sync(fromTheStart()));
        QVERIFY(sync && sync->type == protocol::ServerFrameType::Result);
        QVERIFY(QJsonDocument(sync->data()).toJson(QJsonDocument::Compact).size() <= ReplyBudget);
        const auto result = protocol::SyncResult::fromJson(sync->data());
        QVERIFY(result);
        QCOMPARE(result->rooms.size(), m_rooms.size());
        for (const protocol::SyncRoom &entry : result->rooms) {
            QVERIFY(!entry.events.isEmpty()); // a gap always comes with the newest event
            QVERIFY(entry.gap);
            QCOMPARE(entry.gapFrom, 0);
            const qint64 last = entry.room.lastSeq; // create, join, then the messages
            QVERIFY(last > EventsPerRoom);
            QCOMPARE(entry.events.last().seq, last);
            // Page back from the oldest event received, as §10 tells clients to.
            QList<qint64> seqs;
            for (const auto &e : entry.events)
                seqs.append(e.seq);
            qint64 before = seqs.first();
            int pages = 0;
            while (before > 1) {
                const auto page = bob.request(req::historyBefore(entry.room.id, before, 200));
                QVERIFY(page && page->type == protocol::ServerFrameType::Result);
                QVERIFY(QJsonDocument(page->data()).toJson(QJsonDocument::Compact).size()
                    <= ReplyBudget);
                const auto history = protocol::HistoryPage::fromJson(page->data());
                QVERIFY(history && !history->events.isEmpty());
                QList<qint64> older;
                for (const auto &e : history->events)
                    older.append(e.seq);
                QCOMPARE(older.last(), before - 1); // no hole between pages
                seqs = older + seqs;
                before = older.first();
                QCOMPARE(history->hasMore, before > 1);
                ++pages;
            }
            QCOMPARE(seqs.size(), last);
            for (int i = 0; i < seqs.size(); ++i)
                QCOMPARE(seqs.at(i), qint64(i + 1));
            qInfo("room %lld: %lld events in the sync reply, the rest in %d history pages",
                entry.room.id, qint64(entry.events.size()), pages);
        }
    }
};

CONFAB_SERVER_TEST_MAIN(TestHostileOutbound)
#include "tst_hostile_outbound.moc"
