// SPDX-License-Identifier: GPL-3.0-or-later
// Uploads and attachments (protocol §16, §5.25–5.28, §5.12) through real sockets on
// 127.0.0.1 and a real SQLite file: an upload in chunks, its durable acks, finishing,
// attaching, what other members see live and from storage, resuming across a dropped
// connection and a restart, dedup, cancel, and a redaction unreferencing the file.
#include "clientpool.h"
#include "protocol/fileresults.h"
#include "protocol/hello.h"
#include "protocol/searchresults.h"
#include "testclient.h"
#include "testserver.h"
#include "uploadhelpers.h"

#include <QBuffer>
#include <QDir>
#include <QDirIterator>
#include <QFile>
#include <QImage>
#include <QJsonArray>
#include <QSqlDatabase>
#include <QSqlQuery>
#include <QtTest>
#include <memory>

using namespace Qt::StringLiterals;
using namespace confab;
using protocol::ErrorCode;
using protocol::FileInfo;
using protocol::RoomEvent;
using protocol::ServerFrameType;
namespace req = protocol::requests;

class TestUploads : public QObject
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
    QString filesDir() const { return m_server->config().filesPath(); }
    /*! \brief Blob files on disk, outside the temporary folder. */
    int blobFiles() const
    {
        int n = 0;
        const QDir root(filesDir());
        QDirIterator it(filesDir(), QDir::Files, QDirIterator::Subdirectories);
        while (it.hasNext()) {
            if (!root.relativeFilePath(it.next()).startsWith(u"tmp/"_s))
                ++n;
        }
        return n;
    }
    QByteArray blobBytes(const QString &sha256) const
    {
        QFile f(filesDir() + u'/' + sha256.left(2) + u'/' + sha256.mid(2));
        return f.open(QIODevice::ReadOnly) ? f.readAll() : QByteArray();
    }
    static qint64 uploadState(test::TestClient *c, qint64 upload, ErrorCode *error = nullptr)
    {
        const auto r = c->request(req::uploadStatus(upload));
        if (error)
            *error = errorOf(r);
        const auto s = succeeded(r) ? protocol::UploadState::fromJson(r->data()) : std::nullopt;
        return s ? s->offset : -1;
    }
    static QList<RoomEvent> history(test::TestClient *c, qint64 room)
    {
        QList<RoomEvent> events;
        const auto r = c->request(req::historyBefore(room, 1000, 200));
        if (!succeeded(r))
            return events;
        for (const auto &v : r->data().value("events"_L1).toArray()) {
            if (auto e = RoomEvent::fromJson(v.toObject()))
                events.append(*e);
        }
        return events;
    }
    static std::optional<protocol::ServerFrame> sendFiles(test::TestClient *c, qint64 room,
        const QString &txn, const QList<qint64> &files, const QString &text = {})
    {
        return c->request(req::send(room, txn, text, 0, files));
    }

private Q_SLOTS:
    void init()
    {
        m_server = std::make_unique<test::TestServer>();
        m_server->config().limits.ratePerSecond = 100'000;
        m_server->config().limits.rateBurst = 100'000;
        QVERIFY(m_server->start());
    }
    void cleanup()
    {
        m_clients.clear();
        m_server.reset();
    }

    void helloAnnouncesFiles()
    {
        auto *c = m_clients.connectClient();
        QVERIFY(c);
        const auto hello = protocol::Hello::fromJson(c->hello());
        QVERIFY(hello);
        QVERIFY(hello->has(protocol::features::Files));
        QCOMPARE(hello->limits.maxChunkBytes, 256 * 1024);
        QCOMPARE(hello->limits.maxFileBytes, qint64(100) * 1024 * 1024);
        QCOMPARE(hello->limits.quotaBytes, qint64(10) * 1024 * 1024 * 1024);
        QCOMPARE(hello->limits.uploadExpiryHours, 24);
    }

    void uploadAttachAndAnotherMemberSees()
    {
        auto *ana = m_clients.registered(u"ana"_s);
        auto *bob = m_clients.registered(u"bob"_s);
        QVERIFY(ana && bob);
        const qint64 room = test::createRoom(ana, u"files"_s);
        QVERIFY(room > 0);
        QVERIFY(succeeded(bob->request(req::join(room))));

        const QByteArray bytes = test::randomBytes(1024 * 1024);
        const qint64 upload
            = test::beginUpload(ana, u"data.bin"_s, bytes.size(), test::sha256Hex(bytes));
        QVERIFY(upload > 0);
        test::sendChunks(ana, upload, bytes, 0, 64 * 1024);
        // Durable acks arrive, the last one for the whole upload.
        QVERIFY(test::waitUploaded(ana, upload, bytes.size()));
        QCOMPARE(uploadState(ana, upload), bytes.size());
        const auto file = test::finishUpload(ana, upload);
        QVERIFY(file);
        QCOMPARE(file->size, bytes.size());
        QCOMPARE(file->sha256, test::sha256Hex(bytes));
        QCOMPARE(file->name, u"data.bin"_s);
        QCOMPARE(file->type, u"application/octet-stream"_s);
        QVERIFY(!file->thumbnail);
        QCOMPARE(blobBytes(file->sha256), bytes);
        // The temporary file is gone once the file is stored.
        QTRY_VERIFY(!QFile::exists(filesDir() + u"/tmp/"_s + QString::number(upload)));

        // Files alone, no text; bob sees the file live and from storage.
        bob->clearPushes();
        const auto ack = sendFiles(ana, room, u"f1"_s, {file->id});
        QVERIFY2(succeeded(ack), ack ? qPrintable(ack->message) : "no reply");
        const qint64 seq = qint64(ack->data().value("seq"_L1).toDouble());
        const auto live = bob->waitEvent(room, seq);
        QVERIFY(live);
        QCOMPARE(live->attachments.size(), 1);
        QCOMPARE(live->attachments.first(), *file);
        QCOMPARE(live->text, QString());
        const QList<RoomEvent> stored = history(bob, room);
        QVERIFY(!stored.isEmpty());
        QCOMPARE(stored.last().seq, seq);
        QCOMPARE(stored.last().attachments, QList<FileInfo> {*file});
        // Referenced now; the redaction drops it from the message and unreferences it.
        QCOMPARE(scalar(u"SELECT unreferenced_ms IS NULL FROM files WHERE id = %1"_s.arg(file->id))
                     .toInt(),
            1);
        QVERIFY(succeeded(ana->request(req::redact(room, seq))));
        QVERIFY(history(bob, room).last().kind != protocol::EventKind::Message
            || history(bob, room).last().attachments.isEmpty());
        QList<RoomEvent> after = history(bob, room);
        const auto message = std::find_if(
            after.cbegin(), after.cend(), [seq](const RoomEvent &e) { return e.seq == seq; });
        QVERIFY(message != after.cend());
        QVERIFY(message->state.redacted);
        QVERIFY(message->attachments.isEmpty());
        QCOMPARE(scalar(u"SELECT unreferenced_ms IS NULL FROM files WHERE id = %1"_s.arg(file->id))
                     .toInt(),
            0);
        // Bob lost the only message that showed him the file: he cannot attach it.
        const auto refused = sendFiles(bob, room, u"b1"_s, {file->id}, u"mine?"_s);
        QCOMPARE(errorOf(refused), ErrorCode::NotFound);
    }

    void textAndFilesTogether()
    {
        auto *ana = m_clients.registered(u"ana"_s);
        QVERIFY(ana);
        const qint64 room = test::createRoom(ana, u"both"_s);
        const auto a = test::uploadFile(ana, u"a.txt"_s, "hello a\n");
        const auto b = test::uploadFile(ana, u"b.txt"_s, "hello b\n");
        QVERIFY(a && b);
        QCOMPARE(a->type, u"text/plain"_s);
        const auto ack = sendFiles(ana, room, u"t1"_s, {b->id, a->id}, u"two files"_s);
        QVERIFY(succeeded(ack));
        const auto live = ana->waitEvent(room, qint64(ack->data().value("seq"_L1).toDouble()));
        QVERIFY(live);
        QCOMPARE(live->text, u"two files"_s);
        // In the order given.
        QCOMPARE(live->attachments, (QList<FileInfo> {*b, *a}));
        QCOMPARE(history(ana, room).last().attachments, (QList<FileInfo> {*b, *a}));
        // Every other read from storage carries them too: search, context and sync.
        const qint64 seq = live->seq;
        req::SearchFilter filter;
        filter.query = u"files"_s;
        const auto found = ana->request(req::search(filter, 10));
        QVERIFY(succeeded(found));
        const auto hits = protocol::SearchResults::fromJson(found->data());
        QVERIFY(hits && hits->hits.size() == 1);
        QCOMPARE(hits->hits.first().event.attachments, (QList<FileInfo> {*b, *a}));
        const auto context = ana->request(req::context(room, seq, 3));
        QVERIFY(succeeded(context));
        bool inContext = false;
        for (const auto &v : context->data().value("events"_L1).toArray()) {
            const auto e = RoomEvent::fromJson(v.toObject());
            if (e && e->seq == seq)
                inContext = e->attachments == QList<FileInfo> {*b, *a};
        }
        QVERIFY(inContext);
        const auto synced = ana->request(req::sync({{room, seq - 1}}));
        QVERIFY(succeeded(synced));
        bool inSync = false;
        for (const auto &r : synced->data().value("rooms"_L1).toArray()) {
            for (const auto &v : r.toObject().value("events"_L1).toArray()) {
                const auto e = RoomEvent::fromJson(v.toObject());
                if (e && e->seq == seq)
                    inSync = e->attachments == QList<FileInfo> {*b, *a};
            }
        }
        QVERIFY(inSync);
        // Neither text nor files: bad_request on text.
        const auto empty = ana->request(req::send(room, u"t2"_s, {}));
        QCOMPARE(errorOf(empty), ErrorCode::BadRequest);
    }

    void emptyFile()
    {
        auto *ana = m_clients.registered(u"ana"_s);
        QVERIFY(ana);
        const qint64 upload = test::beginUpload(ana, u"empty"_s, 0, test::sha256Hex({}));
        QVERIFY(upload > 0);
        const auto file = test::finishUpload(ana, upload);
        QVERIFY(file);
        QCOMPARE(file->size, 0);
        QCOMPARE(file->sha256, test::sha256Hex({}));
        QCOMPARE(blobFiles(), 1);
    }

    void imageGetsAThumbnailStoredAsABlob()
    {
        auto *ana = m_clients.registered(u"ana"_s);
        QVERIFY(ana);
        QImage image(800, 600, QImage::Format_RGB32);
        image.fill(Qt::darkCyan);
        QByteArray png;
        QBuffer buffer(&png);
        QVERIFY(buffer.open(QIODevice::WriteOnly) && image.save(&buffer, "PNG"));
        const auto file = test::uploadFile(ana, u"picture.png"_s, png);
        QVERIFY(file);
        QCOMPARE(file->type, u"image/png"_s);
        QCOMPARE(file->width, 800);
        QCOMPARE(file->height, 600);
        QVERIFY(file->thumbnail);
        QCOMPARE(file->thumbnail->width, 400);
        QCOMPARE(file->thumbnail->height, 300);
        // The thumbnail is a blob of its own, as durable as the file.
        QCOMPARE(scalar(u"SELECT count(*) FROM blobs"_s).toInt(), 2);
        QCOMPARE(blobFiles(), 2);
        const QString thumb = scalar(u"SELECT thumbnail_blob FROM files"_s).toString();
        QCOMPARE(blobBytes(thumb).size(), file->thumbnail->size);
        QCOMPARE(blobBytes(file->sha256), png);
    }

    void resumableAcrossDroppedConnection()
    {
        auto *ana = m_clients.registered(u"ana"_s);
        QVERIFY(ana);
        const QString token = ana->token();
        const qint64 room = test::createRoom(ana, u"resume"_s);
        const QByteArray bytes = test::randomBytes(3 * 1024 * 1024 + 12345);
        const qint64 upload
            = test::beginUpload(ana, u"big.bin"_s, bytes.size(), test::sha256Hex(bytes));
        QVERIFY(upload > 0);
        // Half of it, then the connection drops with chunks possibly still unsent.
        const QByteArray half = bytes.left(bytes.size() / 2);
        test::sendChunks(ana, upload, half, 0, 100'000);
        QVERIFY(test::waitUploaded(ana, upload, 100'000));
        ana->disconnectNow();

        auto *again = m_clients.signedIn(token);
        QVERIFY(again);
        const qint64 offset = uploadState(again, upload);
        QVERIFY2(offset >= 100'000 && offset <= half.size(), qPrintable(QString::number(offset)));
        // A chunk at the wrong place is refused, then the rest from the durable offset.
        again->socket().sendBinaryMessage(test::uploadChunk(upload, 0, bytes.left(10)));
        const auto wrong = test::waitChunkError(again, ErrorCode::BadOffset);
        QVERIFY(wrong);
        QCOMPARE(qint64(wrong->body.value("upload"_L1).toDouble()), upload);
        QCOMPARE(qint64(wrong->body.value("expected"_L1).toDouble()), offset);
        test::sendChunks(again, upload, bytes, offset, 100'000);
        QVERIFY(test::waitUploaded(again, upload, bytes.size()));
        const auto file = test::finishUpload(again, upload);
        QVERIFY(file);
        QCOMPARE(file->sha256, test::sha256Hex(bytes));
        QCOMPARE(blobBytes(file->sha256), bytes);
        // Finishing again answers the same file.
        const auto repeated = test::finishUpload(again, upload);
        QVERIFY(repeated);
        QCOMPARE(repeated->id, file->id);

        // One message, whatever the resends of its txn.
        const auto first = sendFiles(again, room, u"r1"_s, {file->id});
        const auto resend = sendFiles(again, room, u"r1"_s, {file->id});
        QVERIFY(succeeded(first) && succeeded(resend));
        QCOMPARE(resend->data(), first->data());
        int messages = 0;
        for (const RoomEvent &e : history(again, room))
            messages += e.kind == protocol::EventKind::Message ? 1 : 0;
        QCOMPARE(messages, 1);

        // The same bytes again: a file of its own, the blob stored once.
        const auto twin = test::uploadFile(again, u"copy.bin"_s, bytes, false);
        QVERIFY(twin);
        QVERIFY(twin->id != file->id);
        QCOMPARE(twin->sha256, file->sha256);
        QCOMPARE(scalar(u"SELECT count(*) FROM blobs"_s).toInt(), 1);
        QCOMPARE(scalar(u"SELECT count(*) FROM files"_s).toInt(), 2);
        QCOMPARE(blobFiles(), 1);
    }

    void resumesAfterRestart()
    {
        auto *ana = m_clients.registered(u"ana"_s);
        QVERIFY(ana);
        const QString token = ana->token();
        const QByteArray bytes = test::randomBytes(600 * 1000);
        const qint64 upload = test::beginUpload(ana, u"r.bin"_s, bytes.size());
        QVERIFY(upload > 0);
        test::sendChunks(ana, upload, bytes.left(300'000), 0, 100'000);
        QVERIFY(test::waitUploaded(ana, upload, 300'000));
        m_clients.clear();
        QVERIFY(m_server->restart());
        auto *again = m_clients.signedIn(token);
        QVERIFY(again);
        QCOMPARE(uploadState(again, upload), 300'000);
        test::sendChunks(again, upload, bytes, 300'000, 100'000);
        QVERIFY(test::waitUploaded(again, upload, bytes.size()));
        const auto file = test::finishUpload(again, upload);
        QVERIFY(file);
        // Hashed from the file: this process did not see the first half arrive.
        QCOMPARE(file->sha256, test::sha256Hex(bytes));
    }

    void finishBeforeEveryByte()
    {
        auto *ana = m_clients.registered(u"ana"_s);
        QVERIFY(ana);
        const QByteArray bytes = test::randomBytes(200'000);
        const qint64 upload = test::beginUpload(ana, u"part.bin"_s, bytes.size());
        test::sendChunks(ana, upload, bytes.left(150'000), 0, 50'000);
        const auto r = ana->request(req::uploadFinish(upload));
        QCOMPARE(errorOf(r), ErrorCode::UploadIncomplete);
        // Every chunk received is durable before the answer.
        QCOMPARE(qint64(r->body.value("offset"_L1).toDouble()), 150'000);
    }

    void hashMismatchDiscards()
    {
        auto *ana = m_clients.registered(u"ana"_s);
        QVERIFY(ana);
        const QByteArray bytes = test::randomBytes(70'000);
        const QByteArray other = test::randomBytes(70'000);
        const qint64 upload
            = test::beginUpload(ana, u"m.bin"_s, bytes.size(), test::sha256Hex(other));
        test::sendChunks(ana, upload, bytes);
        QVERIFY(test::waitUploaded(ana, upload, bytes.size()));
        const auto r = ana->request(req::uploadFinish(upload));
        QCOMPARE(errorOf(r), ErrorCode::HashMismatch);
        QCOMPARE(r->body.value("sha256"_L1).toString(), test::sha256Hex(bytes));
        ErrorCode error = ErrorCode::Internal;
        QCOMPARE(uploadState(ana, upload, &error), -1);
        QCOMPARE(error, ErrorCode::NotFound);
        QCOMPARE(scalar(u"SELECT count(*) FROM files"_s).toInt(), 0);
        QTRY_VERIFY(!QFile::exists(filesDir() + u"/tmp/"_s + QString::number(upload)));
    }

    void cancelDeletes()
    {
        auto *ana = m_clients.registered(u"ana"_s);
        QVERIFY(ana);
        const QByteArray bytes = test::randomBytes(100'000);
        const qint64 upload = test::beginUpload(ana, u"c.bin"_s, bytes.size());
        test::sendChunks(ana, upload, bytes.left(50'000));
        QVERIFY(test::waitUploaded(ana, upload, 50'000));
        QVERIFY(QFile::exists(filesDir() + u"/tmp/"_s + QString::number(upload)));
        QVERIFY(succeeded(ana->request(req::uploadCancel(upload))));
        QTRY_VERIFY(!QFile::exists(filesDir() + u"/tmp/"_s + QString::number(upload)));
        ErrorCode error = ErrorCode::Internal;
        QCOMPARE(uploadState(ana, upload, &error), -1);
        QCOMPARE(error, ErrorCode::NotFound);
        QCOMPARE(errorOf(ana->request(req::uploadCancel(upload))), ErrorCode::NotFound);
        QCOMPARE(scalar(u"SELECT count(*) FROM uploads"_s).toInt(), 0);
    }
};

CONFAB_SERVER_TEST_MAIN(TestUploads)
#include "tst_serveruploads.moc"
