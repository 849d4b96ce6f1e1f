// SPDX-License-Identifier: GPL-3.0-or-later
// Hostile uploads (protocol §16.2, §5.25–5.28, §16.3, §16.6) against the real server over
// loopback: chunks at the wrong offset, past the declared size, for someone else's upload or
// before sign-in, binary garbage, a chunk flood, quotas, too many uploads, thousands of
// unfinished uploads expiring, attaching a file one may not read, and a text message past
// maxFrameBytes now that binary messages may be larger.
#include "clientpool.h"
#include "protocol/fileframe.h"
#include "protocol/fileresults.h"
#include "rawwebsocket.h"
#include "testclient.h"
#include "testserver.h"
#include "uploadhelpers.h"

#include <QDir>
#include <QSqlDatabase>
#include <QSqlQuery>
#include <QtTest>
#include <memory>

using namespace Qt::StringLiterals;
using namespace confab;
using protocol::ErrorCode;
using protocol::ServerFrameType;
using test::RawWebSocket;
namespace req = protocol::requests;

class TestHostileUploads : public QObject
{
    Q_OBJECT

private:
    std::unique_ptr<test::TestServer> m_server;
    test::ClientPool m_clients {[this] { return m_server->url(); }};

    static bool succeeded(const std::optional<protocol::ServerFrame> &r)
    {
        return r && r->type == ServerFrameType::Result;
    }
    static ErrorCode errorOf(const std::optional<protocol::ServerFrame> &r)
    {
        return r && r->type == ServerFrameType::Error ? r->error : ErrorCode::Internal;
    }
    static bool closedWith(test::TestClient *c, int code, int timeoutMs = 5000)
    {
        test::TestClient::waitUntil([&] { return c->closeCode() >= 0; }, timeoutMs);
        if (c->closeCode() != code)
            qWarning() << "close code" << c->closeCode() << "expected" << code;
        return c->closeCode() == code;
    }
    bool exec(const QString &sql)
    {
        bool ok = false;
        {
            QSqlDatabase db = m_server->openDatabase(u"poke"_s);
            ok = db.isOpen() && QSqlQuery(db).exec(sql);
        }
        QSqlDatabase::removeDatabase(u"poke"_s);
        return ok;
    }
    QVariant scalar(const QString &sql)
    {
        QVariant v;
        {
            QSqlDatabase db = m_server->openDatabase(u"peek"_s);
            QSqlQuery q(db);
            if (db.isOpen() && q.exec(sql) && q.next())
                v = q.value(0);
        }
        QSqlDatabase::removeDatabase(u"peek"_s);
        return v;
    }
    int tempFiles() const
    {
        return int(QDir(m_server->config().filesPath() + u"/tmp"_s).entryList(QDir::Files).size());
    }
    /*! \brief The file upload_status sees; -1 and \a error when refused. */
    static qint64 offsetOf(test::TestClient *c, qint64 upload, ErrorCode *error = nullptr)
    {
        const auto r = c->request(req::uploadStatus(upload));
        if (error)
            *error = errorOf(r);
        return succeeded(r) ? qint64(r->data().value("offset"_L1).toDouble()) : -1;
    }
    void startServer(const std::function<void(server::ServerConfig &)> &tune = {})
    {
        m_server = std::make_unique<test::TestServer>();
        m_server->config().limits.ratePerSecond = 100'000;
        m_server->config().limits.rateBurst = 100'000;
        if (tune)
            tune(m_server->config());
        QVERIFY(m_server->start());
    }

private Q_SLOTS:
    void cleanup()
    {
        m_clients.clear();
        m_server.reset();
    }

    void chunksThatBreakTheRules()
    {
        startServer();
        auto *ana = m_clients.registered(u"ana"_s);
        auto *eve = m_clients.registered(u"eve"_s);
        QVERIFY(ana && eve);
        const QByteArray bytes = test::randomBytes(100'000);
        const qint64 upload = test::beginUpload(ana, u"a.bin"_s, bytes.size());
        QVERIFY(upload > 0);
        ana->socket().sendBinaryMessage(test::uploadChunk(upload, 0, bytes.left(40'000)));
        QVERIFY(test::waitUploaded(ana, upload, 40'000));

        // Wrong offset: behind and ahead of where the bytes end.
        ana->socket().sendBinaryMessage(test::uploadChunk(upload, 0, bytes.left(10)));
        auto e = test::waitChunkError(ana, ErrorCode::BadOffset);
        QVERIFY(e);
        QCOMPARE(qint64(e->body.value("expected"_L1).toDouble()), 40'000);
        QCOMPARE(qint64(e->body.value("upload"_L1).toDouble()), upload);
        QVERIFY(e->id.isNull());
        // Past the declared size: refused, and none of its bytes kept.
        ana->socket().sendBinaryMessage(
            test::uploadChunk(upload, 40'000, test::randomBytes(60'001)));
        e = test::waitChunkError(ana, ErrorCode::TooLarge);
        QVERIFY(e);
        QCOMPARE(qint64(e->body.value("expected"_L1).toDouble()), 40'000);
        QCOMPARE(offsetOf(ana, upload), 40'000);

        // Someone else's upload is not_found for them, and changes nothing.
        eve->socket().sendBinaryMessage(test::uploadChunk(upload, 40'000, bytes.mid(40'000)));
        e = test::waitChunkError(eve, ErrorCode::NotFound);
        QVERIFY(e);
        QCOMPARE(qint64(e->body.value("upload"_L1).toDouble()), upload);
        ErrorCode error = ErrorCode::Internal;
        QCOMPARE(offsetOf(eve, upload, &error), -1);
        QCOMPARE(error, ErrorCode::NotFound);
        QCOMPARE(errorOf(eve->request(req::uploadFinish(upload))), ErrorCode::NotFound);
        QCOMPARE(errorOf(eve->request(req::uploadCancel(upload))), ErrorCode::NotFound);
        QCOMPARE(offsetOf(ana, upload), 40'000);
        // An id that never existed, and one past 2^63.
        ana->socket().sendBinaryMessage(test::uploadChunk(upload + 1000, 0, "x"));
        QVERIFY(test::waitChunkError(ana, ErrorCode::NotFound));

        // The owner goes on, and the file is exactly the bytes.
        test::sendChunks(ana, upload, bytes, 40'000);
        QVERIFY(test::waitUploaded(ana, upload, bytes.size()));
        const auto file = test::finishUpload(ana, upload);
        QVERIFY(file);
        QCOMPARE(file->sha256, test::sha256Hex(bytes));
    }

    void binaryGarbage()
    {
        startServer();
        auto *ana = m_clients.registered(u"ana"_s);
        QVERIFY(ana);
        const QList<QByteArray> garbage {QByteArray("\x01", 1), QByteArray(17, '\x01'),
            protocol::encodeFileFrame({protocol::FileFrameKind::DownloadData, 1, 0, "abc"}),
            QByteArray(1, '\x00') + QByteArray(20, 'x'), QByteArray(30, '\xff')};
        for (const QByteArray &g : garbage)
            ana->socket().sendBinaryMessage(g);
        QVERIFY(test::TestClient::waitUntil(
            [&] { return ana->strayReplies().size() >= garbage.size(); }, 5000));
        for (const auto &f : ana->strayReplies()) {
            QCOMPARE(f.error, ErrorCode::BadFrame);
            QVERIFY(f.id.isNull());
        }
        // Still served.
        QVERIFY(succeeded(ana->request(req::ping())));
    }

    void chunkBeforeSignIn()
    {
        startServer();
        RawWebSocket s;
        QVERIFY(s.open(m_server->server()->port()));
        s.sendBinary(test::uploadChunk(1, 0, "hello"));
        const auto reply = s.waitReply(QJsonValue::Null);
        QVERIFY(reply);
        QCOMPARE(reply->error, ErrorCode::Unauthenticated);
        QCOMPARE(scalar(u"SELECT count(*) FROM uploads"_s).toInt(), 0);
    }

    void chunkFloodIsRateLimitedThenClosed()
    {
        startServer([](server::ServerConfig &c) {
            c.limits.chunkRatePerSecond = 5;
            c.limits.rateBurst = 10; // 4004 after 40 refusals in a row
        });
        auto *ana = m_clients.registered(u"ana"_s);
        QVERIFY(ana);
        const qint64 upload = test::beginUpload(ana, u"f.bin"_s, 1'000'000);
        QVERIFY(upload > 0);
        const QByteArray piece(100, 'x');
        for (int i = 0; i < 200; ++i)
            ana->socket().sendBinaryMessage(test::uploadChunk(upload, i * 100, piece));
        QVERIFY(closedWith(ana, 4004));
        int limited = 0;
        for (const auto &f : ana->strayReplies()) {
            if (f.error == ErrorCode::RateLimited) {
                ++limited;
                QCOMPARE(qint64(f.body.value("upload"_L1).toDouble()), upload);
                QVERIFY(f.body.value("retryAfterMs"_L1).toDouble() > 0);
            }
        }
        // The burst went through; 40 refusals were answered, the 41st closed.
        QCOMPARE(limited, 40);
    }

    void quotaAndUploadsInFlight()
    {
        startServer([](server::ServerConfig &c) {
            c.limits.quotaBytes = 1'000'000;
            c.limits.uploadsInFlight = 3;
            c.limits.maxFileBytes = 800'000;
        });
        auto *ana = m_clients.registered(u"ana"_s);
        QVERIFY(ana);
        auto r = ana->request(req::uploadBegin(u"big"_s, 800'001));
        QCOMPARE(errorOf(r), ErrorCode::TooLarge);
        QCOMPARE(r->body.value("field"_L1).toString(), u"size"_s);
        QCOMPARE(r->body.value("limit"_L1).toInt(), 800'000);

        const QByteArray bytes = test::randomBytes(600'000);
        const auto file = test::uploadFile(ana, u"stored.bin"_s, bytes);
        QVERIFY(file);
        // 600 000 stored + 300 000 unfinished; 200 000 more would pass the quota.
        QVERIFY(test::beginUpload(ana, u"u1"_s, 300'000) > 0);
        r = ana->request(req::uploadBegin(u"u2"_s, 100'001));
        QCOMPARE(errorOf(r), ErrorCode::QuotaExceeded);
        QCOMPARE(qint64(r->body.value("usedBytes"_L1).toDouble()), 900'000);
        QCOMPARE(qint64(r->body.value("quotaBytes"_L1).toDouble()), 1'000'000);
        // Exactly at the quota is fine; then the count of unfinished uploads is the limit.
        QVERIFY(test::beginUpload(ana, u"u2"_s, 100'000) > 0);
        QVERIFY(test::beginUpload(ana, u"u3"_s, 0) > 0);
        r = ana->request(req::uploadBegin(u"u4"_s, 0));
        QCOMPARE(errorOf(r), ErrorCode::TooManyUploads);
        QCOMPARE(r->body.value("limit"_L1).toInt(), 3);
        // Another user is not held back by ana's.
        auto *bob = m_clients.registered(u"bob"_s);
        QVERIFY(bob && test::beginUpload(bob, u"b"_s, 500'000) > 0);
    }

    void thousandsOfUnfinishedUploadsExpire()
    {
        startServer([](server::ServerConfig &c) { c.limits.uploadsInFlight = 10'000; });
        auto *ana = m_clients.registered(u"ana"_s);
        QVERIFY(ana);
        constexpr int Count = 2000;
        QList<qint64> ids;
        for (int i = 0; i < Count; ++i) {
            const qint64 id = test::beginUpload(ana, u"u%1"_s.arg(i), 1000);
            QVERIFY(id > 0);
            ids.append(id);
            ana->socket().sendBinaryMessage(test::uploadChunk(id, 0, QByteArray(10, 'x')));
        }
        QTRY_COMPARE_WITH_TIMEOUT(tempFiles(), Count, 20000);
        QTRY_COMPARE_WITH_TIMEOUT(
            scalar(u"SELECT count(*) FROM uploads WHERE durable = 10"_s).toInt(), Count, 20000);
        const QString token = ana->token();
        m_clients.clear();
        m_server->stop();
        // Idle for a day (upload_expiry_hours = 24) but one, which a client still feeds.
        QVERIFY(exec(
            u"UPDATE uploads SET touched_ms = touched_ms - 25 * 3600 * 1000 WHERE id != %1"_s.arg(
                ids.last())));
        QElapsedTimer timer;
        timer.start();
        QVERIFY(m_server->start());
        QTRY_COMPARE_WITH_TIMEOUT(scalar(u"SELECT count(*) FROM uploads"_s).toInt(), 1, 20000);
        QTRY_COMPARE_WITH_TIMEOUT(tempFiles(), 1, 20000);
        qInfo() << Count - 1 << "expired uploads deleted in" << timer.elapsed() << "ms";
        auto *again = m_clients.signedIn(token);
        QVERIFY(again);
        ErrorCode error = ErrorCode::Internal;
        QCOMPARE(offsetOf(again, ids.first(), &error), -1);
        QCOMPARE(error, ErrorCode::NotFound);
        QCOMPARE(offsetOf(again, ids.last()), 10);
    }

    void attachingAFileOneMayNotRead()
    {
        startServer();
        auto *ana = m_clients.registered(u"ana"_s);
        auto *bob = m_clients.registered(u"bob"_s);
        QVERIFY(ana && bob);
        const qint64 anaRoom = test::createRoom(ana, u"ana-only"_s);
        const qint64 shared = test::createRoom(ana, u"shared"_s);
        QVERIFY(succeeded(bob->request(req::join(shared))));
        const auto secret = test::uploadFile(ana, u"secret.txt"_s, "ana's secret\n");
        QVERIFY(secret);
        // Bob cannot attach ana's unfinished-and-unshared file: not_found naming it.
        auto r = bob->request(req::send(shared, u"b1"_s, u"look"_s, 0, {secret->id}));
        QCOMPARE(errorOf(r), ErrorCode::NotFound);
        QCOMPARE(r->body.value("field"_L1).toString(), u"attachments"_s);
        QCOMPARE(qint64(r->body.value("file"_L1).toDouble()), secret->id);
        // Nor a file id that does not exist; nothing was stored.
        r = bob->request(req::send(shared, u"b2"_s, u"look"_s, 0, {secret->id + 100}));
        QCOMPARE(errorOf(r), ErrorCode::NotFound);
        QCOMPARE(scalar(u"SELECT count(*) FROM attachments"_s).toInt(), 0);
        // Shared in a room bob is not in: still not his to read.
        QVERIFY(succeeded(ana->request(req::send(anaRoom, u"a1"_s, {}, 0, {secret->id}))));
        QCOMPARE(errorOf(bob->request(req::send(shared, u"b3"_s, u"x"_s, 0, {secret->id}))),
            ErrorCode::NotFound);
        // Shared where bob is a member: he may pass it on.
        QVERIFY(succeeded(ana->request(req::send(shared, u"a2"_s, {}, 0, {secret->id}))));
        QVERIFY(succeeded(bob->request(req::send(shared, u"b4"_s, u"fwd"_s, 0, {secret->id}))));
    }

    void textPastMaxFrameBytesClosesWhileChunksFit()
    {
        startServer([](server::ServerConfig &c) {
            c.limits.maxFrameBytes = 4096;
            c.limits.maxTextBytes = 1000;
            c.limits.maxChunkBytes = 64 * 1024;
        });
        auto *ana = m_clients.registered(u"ana"_s);
        auto *big = m_clients.registered(u"big"_s);
        QVERIFY(ana && big);
        // A binary message far past maxFrameBytes is a chunk like any other.
        const QByteArray bytes = test::randomBytes(64 * 1024);
        const auto file = test::uploadFile(ana, u"chunk.bin"_s, bytes);
        QVERIFY(file);
        QCOMPARE(file->size, bytes.size());
        // A text message of the same size is closed with 1009.
        big->sendRaw(u"{\"id\":1,\"type\":\"ping\",\"x\":\"%1\"}"_s.arg(QString(8000, u'x')));
        QVERIFY(closedWith(big, 1009));
        // A binary message past 17 + maxChunkBytes is closed by QtWebSockets, also 1009.
        ana->socket().sendBinaryMessage(test::uploadChunk(1, 0, QByteArray(64 * 1024 + 1, 'x')));
        QVERIFY(closedWith(ana, 1009));
    }
};

CONFAB_SERVER_TEST_MAIN(TestHostileUploads)
#include "tst_hostile_uploads.moc"
