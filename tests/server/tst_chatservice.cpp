// SPDX-License-Identifier: GPL-3.0-or-later
// ChatService driven through in-memory peers: the chat logic and real SQLite storage,
// with no socket anywhere (the transport has its own tests: tst_limits, tst_hostile_*).
#include "chat/chatservice.h"
#include "core/closecodes.h"
#include "protocol/fileframe.h"
#include "protocol/requestbuilder.h"
#include "protocol/results.h"
#include "protocol/serverframe.h"
#include "testing/inmemorypeer.h"

#include <QTemporaryDir>
#include <QtTest>
#include <memory>

using namespace Qt::StringLiterals;
using namespace confab;
using protocol::ErrorCode;
using protocol::ServerFrameType;
using server::InMemoryPeer;
namespace req = protocol::requests;

class TestChatService : public QObject
{
    Q_OBJECT

private:
    std::unique_ptr<QTemporaryDir> m_dir;
    std::unique_ptr<server::ChatService> m_service;
    int m_nextId = 1;

    std::unique_ptr<InMemoryPeer> connect()
    {
        auto peer = std::make_unique<InMemoryPeer>(m_service->config().limits);
        m_service->addConnection(peer.get());
        return peer;
    }

    // Feeds \a request and waits for its reply; pushes that arrive meanwhile stay recorded.
    std::optional<protocol::ServerFrame> request(
        InMemoryPeer *peer, const protocol::OutgoingRequest &request)
    {
        const int id = m_nextId++;
        peer->feed(request.encode(id));
        std::optional<protocol::ServerFrame> reply;
        const bool answered = QTest::qWaitFor(
            [&] {
                const QList<QByteArray> &frames = peer->frames();
                for (const QByteArray &f : frames) {
                    auto frame = protocol::decodeServerFrame(f);
                    if (frame && frame->id.toInt() == id
                        && (frame->type == ServerFrameType::Result
                            || frame->type == ServerFrameType::Error)) {
                        reply = frame;
                        return true;
                    }
                }
                return false;
            },
            10'000);
        return answered ? reply : std::nullopt;
    }

    static QList<protocol::RoomEvent> pushedEvents(InMemoryPeer *peer)
    {
        QList<protocol::RoomEvent> events;
        const QList<QByteArray> &frames = peer->frames();
        for (const QByteArray &f : frames) {
            const auto frame = protocol::decodeServerFrame(f);
            if (frame && frame->type == ServerFrameType::Event) {
                if (auto e = frame->roomEvent())
                    events.append(*e);
            }
        }
        return events;
    }

    std::unique_ptr<InMemoryPeer> registered(const QString &name)
    {
        auto peer = connect();
        const auto r = request(peer.get(), req::registerAccount(name, u"password-123"_s));
        if (!r || r->type != ServerFrameType::Result)
            return nullptr;
        return peer;
    }

private Q_SLOTS:
    void init()
    {
        m_dir = std::make_unique<QTemporaryDir>();
        QVERIFY(m_dir->isValid());
        server::ServerConfig config;
        config.dataDir = m_dir->path();
        config.durability = server::Durability::Normal;
        m_service = std::make_unique<server::ChatService>(config);
        QString error;
        QVERIFY2(m_service->open(&error), qPrintable(error));
    }
    void cleanup()
    {
        m_service.reset();
        m_dir.reset();
    }

    void registerCreateSendAndReadHistory()
    {
        auto ana = registered(u"ana"_s);
        auto bob = registered(u"bob"_s);
        QVERIFY(ana && bob);
        QVERIFY(ana->isAuthenticated());
        QCOMPARE(m_service->connectionCount(), 2);

        const auto created = request(ana.get(), req::createRoom(u"general"_s, u"all"_s));
        QVERIFY(created && created->type == ServerFrameType::Result);
        const auto room = protocol::RoomResult::fromJson(created->data());
        QVERIFY(room && room->room.id > 0);
        const qint64 roomId = room->room.id;
        QCOMPARE(room->room.name, u"general"_s);

        const auto joined = request(bob.get(), req::join(roomId));
        QVERIFY(joined && joined->type == ServerFrameType::Result);
        bob->takeFrames();

        const auto sent = request(ana.get(), req::send(roomId, u"t1"_s, u"hello @bob"_s));
        QVERIFY(sent && sent->type == ServerFrameType::Result);
        const auto ack = protocol::SendAck::fromJson(sent->data());
        QVERIFY(ack);
        QCOMPARE(ack->room, roomId);
        QCOMPARE(ack->seq, 4); // create, join ana, join bob, message
        QCOMPARE(ack->txn, u"t1"_s);

        // The other member hears of it as a push, after the commit.
        QTRY_COMPARE(pushedEvents(bob.get()).size(), 1);
        const protocol::RoomEvent pushed = pushedEvents(bob.get()).constFirst();
        QCOMPARE(pushed.seq, 4);
        QCOMPARE(pushed.sender, u"ana"_s);
        QCOMPARE(pushed.text, u"hello @bob"_s);
        QCOMPARE(pushed.mentions, QStringList {u"bob"_s});

        const auto history = request(bob.get(), req::historyBefore(roomId, 100, 10));
        QVERIFY(history && history->type == ServerFrameType::Result);
        const auto page = protocol::HistoryPage::fromJson(history->data());
        QVERIFY(page);
        QCOMPARE(page->room, roomId);
        QCOMPARE(page->events.size(), 4);
        QCOMPARE(page->events.last().text, u"hello @bob"_s);
        QCOMPARE(page->events.last().id, ack->id);
        QVERIFY(!page->hasMore);

        // A resend with the same txn is acknowledged with the original, not stored twice.
        const auto resent = request(ana.get(), req::send(roomId, u"t1"_s, u"hello @bob"_s));
        QVERIFY(resent && resent->type == ServerFrameType::Result);
        QCOMPARE(protocol::SendAck::fromJson(resent->data())->seq, 4);
    }

    void requestsBeforeSignInAreRefused()
    {
        auto peer = connect();
        const auto r = request(peer.get(), req::listRooms());
        QVERIFY(r && r->type == ServerFrameType::Error);
        QCOMPARE(r->error, ErrorCode::Unauthenticated);
        // A frame that is no request is answered by the peer's decoder, with no id.
        peer->feed("{not json");
        QCOMPARE(peer->frames().size(), 2);
        const auto bad = protocol::decodeServerFrame(peer->frames().last());
        QVERIFY(bad && bad->type == ServerFrameType::Error);
        QCOMPARE(bad->error, ErrorCode::BadFrame);
    }

    void logoutClosesThePeerWithSignedOut()
    {
        auto ana = registered(u"ana"_s);
        QVERIFY(ana);
        const auto r = request(ana.get(), req::logout());
        QVERIFY(r && r->type == ServerFrameType::Result);
        QCOMPARE(ana->closeCode(), std::optional<quint16>(server::closecodes::SignedOut));
        // The close reaches the service from the event loop, as a socket's would.
        QTRY_COMPARE(m_service->connectionCount(), 0);
        QVERIFY(ana->isClosing());
    }

    void downloadsUnderWayAreCapped()
    {
        // Each stream under way holds an open blob (§5.29): ten pipelined downloads of a file
        // of many small chunks (8 go out per turn) leave eight under way and refuse the rest.
        server::ServerConfig config = m_service->config();
        config.limits.maxChunkBytes = 4096;
        m_service.reset();
        m_service = std::make_unique<server::ChatService>(config);
        QString error;
        QVERIFY2(m_service->open(&error), qPrintable(error));
        auto ana = registered(u"ana"_s);
        QVERIFY(ana);
        const int chunk = m_service->config().limits.maxChunkBytes;
        const QByteArray bytes(256 * chunk, 'x');
        const auto begun = request(ana.get(), req::uploadBegin(u"big.bin"_s, bytes.size()));
        QVERIFY(begun && begun->type == ServerFrameType::Result);
        const auto upload = quint64(begun->data().value("upload"_L1).toDouble());
        for (qsizetype offset = 0; offset < bytes.size(); offset += chunk)
            ana->feedBinary(protocol::encodeFileFrame({protocol::FileFrameKind::UploadChunk, upload,
                quint64(offset), QByteArrayView(bytes).sliced(offset, chunk)}));
        const auto finished = request(ana.get(), req::uploadFinish(qint64(upload)));
        QVERIFY(finished && finished->type == ServerFrameType::Result);
        const auto file
            = qint64(finished->data().value("file"_L1).toObject().value("id"_L1).toDouble());

        const int first = m_nextId;
        for (int i = 0; i < 10; ++i)
            ana->feed(req::download(file).encode(m_nextId++));
        QHash<int, protocol::ServerFrame> replies;
        QVERIFY(QTest::qWaitFor(
            [&] {
                for (const QByteArray &f : ana->frames()) {
                    const auto frame = protocol::decodeServerFrame(f);
                    if (frame && frame->id.isDouble() && frame->id.toInt() >= first)
                        replies.insert(frame->id.toInt(), *frame);
                }
                return replies.size() == 10;
            },
            10'000));
        for (int i = 0; i < 10; ++i) {
            const protocol::ServerFrame &reply = replies.value(first + i);
            if (i < 8) {
                QCOMPARE(reply.type, ServerFrameType::Result);
                continue;
            }
            QCOMPARE(reply.type, ServerFrameType::Error);
            QCOMPARE(reply.error, ErrorCode::RateLimited);
            QCOMPARE(reply.retryAfterMs, 250);
        }
    }

    void goneMidRequestIsNotAnswered()
    {
        auto ana = registered(u"ana"_s);
        QVERIFY(ana);
        const auto created = request(ana.get(), req::createRoom(u"general"_s));
        QVERIFY(created && created->type == ServerFrameType::Result);
        const qint64 roomId = protocol::RoomResult::fromJson(created->data())->room.id;
        ana->takeFrames();
        ana->feed(req::send(roomId, u"t2"_s, u"gone"_s).encode(99));
        ana.reset(); // deleted before the commit: the completion must not touch it
        QCOMPARE(m_service->connectionCount(), 0);
        // The write still commits; whoever signs in next sees it.
        auto bob = registered(u"bob"_s);
        QVERIFY(bob);
        const auto joined = request(bob.get(), req::join(roomId));
        QVERIFY(joined && joined->type == ServerFrameType::Result);
        const auto history = request(bob.get(), req::historyBefore(roomId, 100, 10));
        const auto page = protocol::HistoryPage::fromJson(history->data());
        QVERIFY(page);
        QCOMPARE(page->events.at(2).text, u"gone"_s);
    }
};

QTEST_GUILESS_MAIN(TestChatService)
#include "tst_chatservice.moc"
