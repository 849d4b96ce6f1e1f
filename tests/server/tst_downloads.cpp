// SPDX-License-Identifier: GPL-3.0-or-later
// download (protocol §5.29, §16.2, §16.3) through real sockets on 127.0.0.1: whole files in
// windows, ranges, a resumed download, thumbnails, pipelining, and who may read what.
#include "clientpool.h"
#include "protocol/fileframe.h"
#include "protocol/fileresults.h"
#include "rawwebsocket.h"
#include "testclient.h"
#include "testserver.h"
#include "uploadhelpers.h"

#include <QBuffer>
#include <QCryptographicHash>
#include <QImage>
#include <QJsonArray>
#include <QRandomGenerator>
#include <QtTest>
#include <memory>

using namespace Qt::StringLiterals;
using namespace confab;
using protocol::ErrorCode;
using protocol::ServerFrameType;
namespace req = protocol::requests;

namespace {

constexpr int ChunkBytes = 64 * 1024;
constexpr qint64 WindowBytes = 1024 * 1024;

QByteArray randomBytes(qsizetype size, quint32 seed)
{
    QByteArray bytes(size, Qt::Uninitialized);
    QRandomGenerator generator(seed);
    generator.fillRange(reinterpret_cast<quint32 *>(bytes.data()), size / 4);
    for (qsizetype i = size / 4 * 4; i < size; ++i)
        bytes[i] = char(generator.generate());
    return bytes;
}

QByteArray pngOf(int width, int height)
{
    QImage image(width, height, QImage::Format_RGB32);
    image.fill(qRgb(40, 120, 200));
    QByteArray bytes;
    QBuffer buffer(&bytes);
    buffer.open(QIODevice::WriteOnly);
    image.save(&buffer, "png");
    return bytes;
}

// The binary messages one client receives, decoded.
class BinaryLog : public QObject
{
public:
    explicit BinaryLog(test::TestClient *client)
    {
        connect(&client->socket(), &QWebSocket::binaryMessageReceived, this,
            [this](const QByteArray &message) { m_messages.append(message); });
    }
    struct Piece
    {
        quint64 stream = 0;
        quint64 offset = 0;
        QByteArray data;
    };
    QList<Piece> take()
    {
        QList<Piece> pieces;
        for (const QByteArray &m : std::exchange(m_messages, {})) {
            const auto frame = protocol::decodeFileFrame(m);
            if (!frame || frame->kind != protocol::FileFrameKind::DownloadData) {
                m_malformed = true;
                continue;
            }
            pieces.append({frame->id, frame->offset, frame->data.toByteArray()});
        }
        return pieces;
    }
    qint64 bytes() const
    {
        qint64 total = 0;
        for (const QByteArray &m : m_messages)
            total += m.size() - protocol::FileFrameHeaderBytes;
        return total;
    }
    bool malformed() const { return m_malformed; }

private:
    QList<QByteArray> m_messages;
    bool m_malformed = false;
};

} // namespace

class TestDownloads : public QObject
{
    Q_OBJECT

private:
    std::unique_ptr<test::TestServer> m_server;
    test::ClientPool m_clients {[this] { return m_server->url(); }};
    std::vector<std::unique_ptr<BinaryLog>> m_logs;
    int m_txn = 0;

    BinaryLog *logOf(test::TestClient *c)
    {
        m_logs.push_back(std::make_unique<BinaryLog>(c));
        return m_logs.back().get();
    }

    // Uploads \a bytes as \a c and returns the finished file, or an empty one.
    static protocol::FileInfo upload(
        test::TestClient *c, const QString &name, const QByteArray &bytes)
    {
        return test::uploadFile(c, name, bytes).value_or(protocol::FileInfo {});
    }

    // Posts a message with \a files in \a room; its seq, or 0.
    qint64 post(test::TestClient *c, qint64 room, const QList<qint64> &files)
    {
        const auto r
            = c->request(req::send(room, u"t%1"_s.arg(++m_txn), u"see attached"_s, 0, files));
        return r && r->type == ServerFrameType::Result
            ? qint64(r->data().value("seq"_L1).toDouble())
            : 0;
    }

    // Downloads with one request and collects its bytes; nullopt on an error reply.
    std::optional<QByteArray> fetch(test::TestClient *c, BinaryLog *log, qint64 file,
        qint64 offset = 0, qint64 length = 0, bool thumbnail = false,
        std::optional<protocol::DownloadStarted> *startedOut = nullptr, ErrorCode *error = nullptr)
    {
        const auto r = c->request(req::download(file, offset, length, thumbnail));
        if (!r)
            return std::nullopt;
        if (r->type != ServerFrameType::Result) {
            if (error)
                *error = r->error;
            return std::nullopt;
        }
        const auto started = protocol::DownloadStarted::fromJson(r->data());
        if (!started)
            return std::nullopt;
        if (startedOut)
            *startedOut = started;
        QByteArray data;
        if (!test::TestClient::waitUntil(
                [&] {
                    for (const auto &piece : log->take()) {
                        if (piece.stream != quint64(started->stream))
                            continue;
                        // In order, no gap (§5.29).
                        if (piece.offset != quint64(started->offset + data.size()))
                            return true;
                        data += piece.data;
                    }
                    return data.size() >= started->length;
                },
                20000))
            return std::nullopt;
        return data;
    }

    ErrorCode downloadError(test::TestClient *c, qint64 file, bool thumbnail = false)
    {
        const auto r = c->request(req::download(file, 0, 0, thumbnail));
        return r && r->type == ServerFrameType::Error ? r->error : ErrorCode::Internal;
    }

    struct Scene
    {
        test::TestClient *ana = nullptr;
        test::TestClient *bob = nullptr;
        test::TestClient *carol = nullptr;
        qint64 room = 0;
        qint64 message = 0;
        QByteArray bytes;
        protocol::FileInfo file;
    };

    // ana and bob share a room where ana posted a file; carol is in no room with it.
    Scene scene(qsizetype size = 3 * 1024 * 1024 + 12345)
    {
        Scene s;
        s.ana = m_clients.registered(u"ana"_s);
        s.bob = m_clients.registered(u"bob"_s);
        s.carol = m_clients.registered(u"carol"_s);
        if (!s.ana || !s.bob || !s.carol)
            return {};
        s.room = test::createRoom(s.ana, u"general"_s);
        const auto joined = s.bob->request(req::join(s.room));
        if (!joined || joined->type != ServerFrameType::Result)
            return {};
        test::createRoom(s.carol, u"elsewhere"_s);
        s.bytes = randomBytes(size, 7);
        s.file = upload(s.ana, u"data.bin"_s, s.bytes);
        if (s.file.id <= 0)
            return {};
        s.message = post(s.ana, s.room, {s.file.id});
        return s;
    }

private Q_SLOTS:
    void init()
    {
        m_server = std::make_unique<test::TestServer>();
        m_server->config().limits.ratePerSecond = 10'000;
        m_server->config().limits.rateBurst = 10'000;
        m_server->config().limits.maxChunkBytes = ChunkBytes;
        m_server->config().limits.downloadWindowBytes = WindowBytes;
        QVERIFY(m_server->start());
    }
    void cleanup()
    {
        m_logs.clear();
        m_clients.clear();
        m_server.reset();
    }

    void wholeFileInWindowsEqualsTheSource()
    {
        const Scene s = scene();
        QVERIFY(s.message > 0);
        BinaryLog *log = logOf(s.bob);
        QByteArray received;
        qint64 lastStream = 0;
        while (received.size() < s.bytes.size()) {
            std::optional<protocol::DownloadStarted> started;
            const auto part = fetch(s.bob, log, s.file.id, received.size(), 0, false, &started);
            QVERIFY(part);
            QVERIFY(started);
            // Streams count from 1 on each connection; a window is at most downloadWindowBytes.
            QCOMPARE(started->stream, lastStream + 1);
            lastStream = started->stream;
            QCOMPARE(started->total, s.bytes.size());
            QCOMPARE(started->type, s.file.type);
            QCOMPARE(started->file.id, s.file.id);
            QCOMPARE(
                started->length, std::min<qint64>(WindowBytes, s.bytes.size() - received.size()));
            QCOMPARE(part->size(), started->length);
            received += *part;
        }
        QCOMPARE(lastStream, 4);
        QCOMPARE(received, s.bytes);
        QCOMPARE(QString::fromLatin1(
                     QCryptographicHash::hash(received, QCryptographicHash::Sha256).toHex()),
            s.file.sha256);
        QVERIFY(!log->malformed());
    }

    void chunksStayWithinMaxChunkBytes()
    {
        const Scene s = scene(300 * 1000);
        QVERIFY(s.message > 0);
        BinaryLog *log = logOf(s.bob);
        const auto r = s.bob->request(req::download(s.file.id));
        QVERIFY(r && r->type == ServerFrameType::Result);
        QList<BinaryLog::Piece> pieces;
        QVERIFY(test::TestClient::waitUntil(
            [&] {
                pieces += log->take();
                qint64 total = 0;
                for (const auto &p : pieces)
                    total += p.data.size();
                return total >= 300 * 1000;
            },
            10000));
        QCOMPARE(pieces.size(), 5); // 4 × 64 KiB + the rest
        for (const auto &p : pieces)
            QVERIFY(p.data.size() <= ChunkBytes && !p.data.isEmpty());
    }

    void rangesAndResumeFromAnOffset()
    {
        const Scene s = scene();
        QVERIFY(s.message > 0);
        BinaryLog *log = logOf(s.bob);
        std::optional<protocol::DownloadStarted> started;
        auto part = fetch(s.bob, log, s.file.id, 1000, 5000, false, &started);
        QVERIFY(part);
        QCOMPARE(*part, s.bytes.mid(1000, 5000));
        QCOMPARE(started->offset, 1000);
        QCOMPARE(started->length, 5000);

        // The tail: a length past the end is cut to what is there.
        part = fetch(s.bob, log, s.file.id, s.bytes.size() - 100, 1000, false, &started);
        QVERIFY(part);
        QCOMPARE(*part, s.bytes.right(100));
        QCOMPARE(started->length, 100);

        // At the very end: a result with length 0 and no bytes.
        part = fetch(s.bob, log, s.file.id, s.bytes.size(), 0, false, &started);
        QVERIFY(part);
        QVERIFY(part->isEmpty());
        QCOMPARE(started->length, 0);

        // Past the end, or a window too large.
        ErrorCode error = ErrorCode::Internal;
        QVERIFY(!fetch(s.bob, log, s.file.id, s.bytes.size() + 1, 0, false, nullptr, &error));
        QCOMPARE(error, ErrorCode::BadRequest);
        QVERIFY(!fetch(s.bob, log, s.file.id, 0, WindowBytes + 1, false, nullptr, &error));
        QCOMPARE(error, ErrorCode::TooLarge);
    }

    void resumedDownloadOnANewConnection()
    {
        const Scene s = scene();
        QVERIFY(s.message > 0);
        BinaryLog *log = logOf(s.bob);
        const auto first = fetch(s.bob, log, s.file.id, 0, 700 * 1000);
        QVERIFY(first);
        // The connection drops; a new one carries on from the bytes it has.
        const QString token = s.bob->token();
        s.bob->disconnectNow();
        test::TestClient *again = m_clients.signedIn(token);
        QVERIFY(again);
        BinaryLog *log2 = logOf(again);
        QByteArray received = *first;
        std::optional<protocol::DownloadStarted> started;
        while (received.size() < s.bytes.size()) {
            const auto part = fetch(again, log2, s.file.id, received.size(), 0, false, &started);
            QVERIFY(part && !part->isEmpty());
            received += *part;
        }
        QCOMPARE(started->stream, 3); // numbered per connection
        QCOMPARE(received, s.bytes);
    }

    void pipelinedDownloadsArriveInRequestOrder()
    {
        const Scene s = scene(2 * 1024 * 1024);
        QVERIFY(s.message > 0);
        BinaryLog *log = logOf(s.bob);
        // Three requests before any byte is read, then a message in the middle of them.
        const QList<QPair<qint64, qint64>> ranges {
            {0, WindowBytes}, {10, 20}, {WindowBytes, WindowBytes}};
        for (qsizetype i = 0; i < ranges.size(); ++i) {
            s.bob->sendRaw(
                QString::fromUtf8(req::download(s.file.id, ranges[i].first, ranges[i].second)
                                      .encode(double(100 + i))));
        }
        const auto ping = s.bob->request(req::ping());
        QVERIFY(ping && ping->type == ServerFrameType::Result);
        QList<BinaryLog::Piece> pieces;
        QVERIFY(test::TestClient::waitUntil(
            [&] {
                pieces += log->take();
                qint64 total = 0;
                for (const auto &p : pieces)
                    total += p.data.size();
                return total >= 2 * WindowBytes + 20;
            },
            20000));
        QByteArray streams[4];
        quint64 lastStream = 0;
        for (const auto &p : pieces) {
            QVERIFY(p.stream >= lastStream); // one stream after the other
            lastStream = p.stream;
            QVERIFY(p.stream >= 1 && p.stream <= 3);
            QCOMPARE(p.offset, quint64(ranges[p.stream - 1].first + streams[p.stream].size()));
            streams[p.stream] += p.data;
        }
        for (int i = 0; i < 3; ++i)
            QCOMPARE(streams[i + 1], s.bytes.mid(ranges[i].first, ranges[i].second));
    }

    void thumbnailDownload()
    {
        auto *ana = m_clients.registered(u"ana"_s);
        QVERIFY(ana);
        const qint64 room = test::createRoom(ana, u"pictures"_s);
        const protocol::FileInfo picture = upload(ana, u"wide.png"_s, pngOf(1200, 600));
        QVERIFY(picture.id > 0);
        QCOMPARE(picture.type, u"image/png"_s);
        QVERIFY(picture.thumbnail);
        QVERIFY(post(ana, room, {picture.id}) > 0);
        BinaryLog *log = logOf(ana);
        std::optional<protocol::DownloadStarted> started;
        const auto bytes = fetch(ana, log, picture.id, 0, 0, true, &started);
        QVERIFY(bytes);
        QCOMPARE(started->total, picture.thumbnail->size);
        QCOMPARE(started->type, picture.thumbnail->type);
        QCOMPARE(bytes->size(), picture.thumbnail->size);
        const QImage thumbnail = QImage::fromData(*bytes);
        QCOMPARE(thumbnail.size(), QSize(400, 200));

        // A file without a thumbnail: not_found on the thumbnail field.
        const protocol::FileInfo text = upload(ana, u"notes.txt"_s, "just words\n");
        QVERIFY(text.id > 0);
        QVERIFY(!text.thumbnail);
        QCOMPARE(downloadError(ana, text.id, true), ErrorCode::NotFound);
    }

    void onlyReadersGetTheFile()
    {
        const Scene s = scene(100 * 1000);
        QVERIFY(s.message > 0);
        // The uploader, and a member of the room: yes.
        BinaryLog *anaLog = logOf(s.ana);
        BinaryLog *bobLog = logOf(s.bob);
        QCOMPARE(*fetch(s.ana, anaLog, s.file.id), s.bytes);
        QCOMPARE(*fetch(s.bob, bobLog, s.file.id), s.bytes);
        // An outsider, a member of another room, and a file that does not exist all look alike.
        QCOMPARE(downloadError(s.carol, s.file.id), ErrorCode::NotFound);
        QCOMPARE(downloadError(s.carol, s.file.id + 1000), ErrorCode::NotFound);
        QCOMPARE(downloadError(s.carol, s.file.id, true), ErrorCode::NotFound);

        // A file not yet posted anywhere is its uploader's alone.
        const protocol::FileInfo draft = upload(s.ana, u"draft.bin"_s, randomBytes(5000, 3));
        QVERIFY(draft.id > 0);
        QCOMPARE(fetch(s.ana, anaLog, draft.id)->size(), 5000);
        QCOMPARE(downloadError(s.bob, draft.id), ErrorCode::NotFound);

        // bob leaves: the room's files are no longer his to read.
        const auto left = s.bob->request(req::leave(s.room));
        QVERIFY(left && left->type == ServerFrameType::Result);
        QCOMPARE(downloadError(s.bob, s.file.id), ErrorCode::NotFound);
    }

    void redactedMessagesFileIsNoLongerReadableByTheRoom()
    {
        const Scene s = scene(50 * 1000);
        QVERIFY(s.message > 0);
        BinaryLog *bobLog = logOf(s.bob);
        QCOMPARE(*fetch(s.bob, bobLog, s.file.id), s.bytes);
        const auto redacted = s.ana->request(req::redact(s.room, s.message));
        QVERIFY(redacted);
        QVERIFY2(redacted->type == ServerFrameType::Result, qPrintable(redacted->message));
        QCOMPARE(downloadError(s.bob, s.file.id), ErrorCode::NotFound);
        // Still its uploader's.
        BinaryLog *anaLog = logOf(s.ana);
        QCOMPARE(*fetch(s.ana, anaLog, s.file.id), s.bytes);
        // Posting it again shares it again.
        QVERIFY(post(s.ana, s.room, {s.file.id}) > 0);
        QCOMPARE(*fetch(s.bob, bobLog, s.file.id), s.bytes);
    }

    void aSlowReaderIsNotDroppedForItsOwnDownload()
    {
        const Scene s = scene(4 * 1024 * 1024);
        QVERIFY(s.message > 0);
        BinaryLog *log = logOf(s.bob);
        // Four windows of 1 MiB asked at once: 4 MiB, as much as maxOutboundBytes allows
        // unsent. The server must pace them to the reader instead of queueing them.
        for (int i = 0; i < 4; ++i) {
            s.bob->sendRaw(QString::fromUtf8(
                req::download(s.file.id, i * WindowBytes, WindowBytes).encode(double(200 + i))));
        }
        QByteArray received;
        QVERIFY(test::TestClient::waitUntil(
            [&] {
                for (const auto &p : log->take())
                    received += p.data;
                return received.size() >= 4 * WindowBytes || !s.bob->isConnected();
            },
            30000));
        QVERIFY(s.bob->isConnected());
        QCOMPARE(received, s.bytes);
    }

    void aStalledReaderHoldsOnlyAFewChunks()
    {
        const Scene s = scene(4 * 1024 * 1024);
        QVERIFY(s.message > 0);
        // bob on a socket with a 4 KiB receive window that stops reading after asking for
        // the whole file: the server must not read the blob ahead into memory for him.
        test::RawWebSocket raw;
        QVERIFY(raw.connectTcp(m_server->server()->port(), 4096));
        QVERIFY(raw.upgrade(m_server->server()->port()));
        const auto auth = raw.request(req::authenticate(s.bob->token()), 1);
        QVERIFY(auth && auth->type == ServerFrameType::Result);
        raw.stopReading();
        for (int i = 0; i < 4; ++i)
            raw.sendText(
                req::download(s.file.id, i * WindowBytes, WindowBytes).encode(double(10 + i)));
        QTest::qWait(1000);
        const qint64 held = m_server->server()->outbound().total();
        qInfo("a stalled downloader of 4 MiB: %lld bytes unsent in the server", held);
        // The output mark (a quarter of max_outbound_bytes, 256 KiB) plus one chunk and framing.
        QVERIFY2(held <= 256 * 1024 + ChunkBytes + 1024, qPrintable(QString::number(held)));
        QVERIFY(raw.isConnected());

        raw.resumeReading();
        QByteArray received;
        QVERIFY(test::TestClient::waitUntil(
            [&] {
                received.clear();
                for (const auto &frame : raw.frames()) {
                    if (frame.opcode != test::RawWebSocket::Binary)
                        continue;
                    const auto data = protocol::decodeFileFrame(frame.payload);
                    if (data && data->offset == quint64(received.size()))
                        received += data->data.toByteArray();
                }
                return received.size() >= s.bytes.size() || !raw.isConnected();
            },
            30000));
        QCOMPARE(received, s.bytes);
    }
};

CONFAB_SERVER_TEST_MAIN(TestDownloads)
#include "tst_downloads.moc"
