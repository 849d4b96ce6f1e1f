// SPDX-License-Identifier: GPL-3.0-or-later
// Files over the real confabd (issue 13, protocol §16): upload and download throughput of one
// large file on loopback, the message latency of another client while a larger upload runs,
// the server's resident memory during uploads, and the time to inspect (type, thumbnail) a
// 12-megapixel JPEG. The client side is written from docs/protocol.md with QtWebSockets, as
// a stranger's client would be. Prints figures; asserts nothing about time.
#include "media/fileinspector.h"
#include "protocol/fileframe.h"
#include "protocol/fileresults.h"
#include "protocol/hello.h"
#include "protocol/requestbuilder.h"
#include "protocol/serverframe.h"

#include <QCommandLineParser>
#include <QCoreApplication>
#include <QCryptographicHash>
#include <QElapsedTimer>
#include <QEventLoop>
#include <QFile>
#include <QImage>
#include <QJsonArray>
#include <QPainter>
#include <QProcess>
#include <QRandomGenerator>
#include <QRegularExpression>
#include <QTemporaryDir>
#include <QThread>
#include <QTimer>
#include <QWebSocket>
#include <algorithm>
#include <atomic>
#include <cstdio>
#include <functional>
#include <memory>

using namespace Qt::StringLiterals;
using namespace confab;
namespace req = protocol::requests;

namespace {

constexpr qint64 MiB = 1024 * 1024;

/*! \brief One connection, driven synchronously: requests wait for their replies. */
class Connection : public QObject
{
public:
    explicit Connection(const QUrl &url)
    {
        m_socket.setMaxAllowedIncomingMessageSize(64 * MiB);
        connect(&m_socket, &QWebSocket::textMessageReceived, this, &Connection::onText);
        connect(&m_socket, &QWebSocket::binaryMessageReceived, this, [this](const QByteArray &m) {
            if (onBinary)
                onBinary(m);
        });
        m_socket.open(url);
        waitFor([this] { return m_hello.has_value(); }, 10'000);
    }

    const protocol::Hello &hello() const { return *m_hello; }
    bool ready() const { return m_hello.has_value(); }
    QWebSocket &socket() { return m_socket; }

    std::optional<protocol::ServerFrame> request(
        const protocol::OutgoingRequest &r, int timeoutMs = 60'000)
    {
        const qint64 id = ++m_nextId;
        m_socket.sendTextMessage(QString::fromUtf8(r.encode(id)));
        waitFor([&] { return m_replies.contains(id); }, timeoutMs);
        if (!m_replies.contains(id))
            return std::nullopt;
        return m_replies.take(id);
    }

    /*! \brief Sends without waiting; the reply lands in replies(). */
    qint64 post(const protocol::OutgoingRequest &r)
    {
        const qint64 id = ++m_nextId;
        m_socket.sendTextMessage(QString::fromUtf8(r.encode(id)));
        return id;
    }
    QHash<qint64, protocol::ServerFrame> &replies() { return m_replies; }

    bool waitFor(const std::function<bool()> &done, int timeoutMs)
    {
        QElapsedTimer t;
        t.start();
        while (!done() && t.elapsed() < timeoutMs)
            QCoreApplication::processEvents(QEventLoop::WaitForMoreEvents, 50);
        return done();
    }

    std::function<void(const protocol::ServerFrame &)> onPush;
    std::function<void(const QByteArray &)> onBinary;

private:
    void onText(const QString &text)
    {
        const auto frame = protocol::decodeServerFrame(text.toUtf8());
        if (!frame)
            return;
        if (frame->type == protocol::ServerFrameType::Hello) {
            m_hello = protocol::Hello::fromJson(frame->body);
            return;
        }
        if ((frame->type == protocol::ServerFrameType::Result
                || frame->type == protocol::ServerFrameType::Error)
            && frame->id.isDouble()) {
            m_replies.insert(qint64(frame->id.toDouble()), *frame);
            return;
        }
        if (onPush)
            onPush(*frame);
    }

    QWebSocket m_socket;
    std::optional<protocol::Hello> m_hello;
    QHash<qint64, protocol::ServerFrame> m_replies;
    qint64 m_nextId = 0;
};

/*! \brief The real confabd in a temporary data folder. */
class ServerProcess
{
public:
    bool start(const QStringList &settings)
    {
        QStringList args {u"--data"_s, m_dir.path(), u"--port"_s, u"0"_s};
        for (const QString &s : settings)
            args << u"--set"_s << s;
        m_process.setProgram(QStringLiteral(CONFABD_PATH));
        m_process.setArguments(args);
        m_process.setProcessChannelMode(QProcess::MergedChannels);
        m_process.start();
        static const QRegularExpression line(u"listening on ws://127\\.0\\.0\\.1:(\\d+)"_s);
        QByteArray output;
        QElapsedTimer t;
        t.start();
        while (t.elapsed() < 20'000 && m_process.state() != QProcess::NotRunning) {
            m_process.waitForReadyRead(200);
            output += m_process.readAll();
            const auto match = line.match(QString::fromUtf8(output));
            if (match.hasMatch()) {
                m_port = match.captured(1).toUShort();
                // Keep reading its log so that it never blocks on a full pipe.
                QObject::connect(&m_process, &QProcess::readyRead, [this] { m_process.readAll(); });
                return true;
            }
        }
        std::fprintf(stderr, "confabd did not start:\n%s\n", output.constData());
        return false;
    }
    ~ServerProcess()
    {
        m_process.terminate();
        m_process.waitForFinished(10'000);
    }
    QUrl url() const { return QUrl(u"ws://127.0.0.1:%1"_s.arg(m_port)); }
    qint64 pid() const { return m_process.processId(); }
    QString dataDir() const { return m_dir.path(); }

    /*! \brief Resident set size now, in KiB, from /proc (Linux only; 0 elsewhere). */
    qint64 residentKiB() const
    {
        QFile status(u"/proc/%1/status"_s.arg(pid()));
        if (!status.open(QIODevice::ReadOnly))
            return 0;
        for (const QByteArray &l : status.readAll().split('\n')) {
            if (l.startsWith("VmRSS:"))
                return l.mid(6).trimmed().split(' ').value(0).toLongLong();
        }
        return 0;
    }

private:
    QTemporaryDir m_dir;
    QProcess m_process;
    quint16 m_port = 0;
};

QByteArray randomBytes(qint64 size)
{
    QByteArray bytes(size, Qt::Uninitialized);
    auto *words = reinterpret_cast<quint32 *>(bytes.data());
    QRandomGenerator generator(20261205);
    generator.fillRange(words, size_t(size / 4));
    return bytes;
}

struct UploadOutcome
{
    qint64 fileId = 0;
    double seconds = 0;
    qint64 peakResidentKiB = 0;
};

/*!
 * \brief Uploads \a bytes as §16.1 describes: upload_begin, chunks of maxChunkBytes with at
 * most \a window bytes not yet acknowledged by `uploaded`, then upload_finish.
 */
UploadOutcome upload(
    Connection &c, const QByteArray &bytes, qint64 window, const ServerProcess *server = nullptr)
{
    UploadOutcome out;
    const QString sha
        = QString::fromLatin1(QCryptographicHash::hash(bytes, QCryptographicHash::Sha256).toHex());
    QElapsedTimer clock;
    clock.start();
    const auto begun = c.request(req::uploadBegin(u"bench.bin"_s, bytes.size(), sha));
    if (!begun || begun->type != protocol::ServerFrameType::Result) {
        std::fprintf(
            stderr, "upload_begin failed: %s\n", begun ? qPrintable(begun->message) : "no reply");
        return out;
    }
    const auto state = protocol::UploadState::fromJson(begun->data());
    const int chunk = c.hello().limits.maxChunkBytes;
    qint64 durable = 0;
    qint64 sent = 0;
    c.onPush = [&](const protocol::ServerFrame &f) {
        if (const auto p = f.uploaded(); p && p->upload == state->upload)
            durable = std::max(durable, p->offset);
        if (f.type == protocol::ServerFrameType::Error)
            std::fprintf(stderr, "chunk refused: %s\n", qPrintable(f.message));
    };
    QElapsedTimer sample;
    sample.start();
    while (durable < bytes.size()) {
        // Keep the socket's own buffer short too, so the window is what bounds the bytes
        // in flight rather than QWebSocket's queue.
        while (sent < bytes.size() && sent - durable < window
            && c.socket().bytesToWrite() < 4 * chunk) {
            const qint64 n = std::min<qint64>(chunk, bytes.size() - sent);
            c.socket().sendBinaryMessage(
                protocol::encodeFileFrame({protocol::FileFrameKind::UploadChunk,
                    quint64(state->upload), quint64(sent), QByteArrayView(bytes).sliced(sent, n)}));
            sent += n;
        }
        QCoreApplication::processEvents(QEventLoop::WaitForMoreEvents, 20);
        if (server && sample.elapsed() >= 50) {
            out.peakResidentKiB = std::max(out.peakResidentKiB, server->residentKiB());
            sample.restart();
        }
    }
    const auto finished = c.request(req::uploadFinish(state->upload), 300'000);
    out.seconds = clock.nsecsElapsed() / 1e9;
    c.onPush = nullptr;
    if (!finished || finished->type != protocol::ServerFrameType::Result) {
        std::fprintf(stderr, "upload_finish failed: %s\n",
            finished ? qPrintable(finished->message) : "no reply");
        return out;
    }
    out.fileId = protocol::FileResult::fromJson(finished->data())->file.id;
    return out;
}

/*! \brief Downloads file \a id whole, two windows in flight; returns seconds, or -1. */
double download(Connection &c, qint64 id, const QByteArray &expected)
{
    const qint64 window = c.hello().limits.downloadWindowBytes;
    QByteArray received;
    received.reserve(expected.size());
    c.onBinary = [&](const QByteArray &m) {
        if (const auto f = protocol::decodeFileFrame(m); f && qint64(f->offset) == received.size())
            received.append(f->data);
    };
    QElapsedTimer clock;
    clock.start();
    qint64 requested = 0;
    const auto ask = [&] {
        if (requested < expected.size()) {
            c.post(req::download(id, requested, window));
            requested += std::min(window, expected.size() - requested);
        }
    };
    ask();
    ask();
    while (received.size() < expected.size() && clock.elapsed() < 300'000) {
        QCoreApplication::processEvents(QEventLoop::WaitForMoreEvents, 20);
        // One window fully arrived: ask for the one after the next.
        if (received.size() + window >= requested)
            ask();
    }
    const double seconds = clock.nsecsElapsed() / 1e9;
    c.onBinary = nullptr;
    return received == expected ? seconds : -1;
}

/*!
 * \brief A client that sends a message every \a periodMs on its own thread and records
 * each one's ack latency, so that the upload's thread never delays its measurements.
 */
class Chatter : public QThread
{
public:
    Chatter(QUrl url, QString token, qint64 room, int periodMs)
        : m_url(std::move(url))
        , m_token(std::move(token))
        , m_room(room)
        , m_periodMs(periodMs)
    { }
    std::atomic<bool> stop {false};
    QList<double> latenciesMs;

protected:
    void run() override
    {
        Connection c(m_url);
        if (!c.ready() || !c.request(req::authenticate(m_token)))
            return;
        int n = 0;
        QElapsedTimer clock;
        while (!stop) {
            ++n;
            clock.start();
            const auto ack = c.request(req::send(m_room, u"chat-%1"_s.arg(n), u"ping %1"_s.arg(n)));
            if (ack && ack->type == protocol::ServerFrameType::Result)
                latenciesMs.append(clock.nsecsElapsed() / 1e6);
            const qint64 rest = m_periodMs - clock.elapsed();
            if (rest > 0)
                QThread::msleep(quint64(rest));
        }
    }

private:
    QUrl m_url;
    QString m_token;
    qint64 m_room;
    int m_periodMs;
};

double percentile(QList<double> values, double p)
{
    if (values.isEmpty())
        return 0;
    std::sort(values.begin(), values.end());
    return values.at(std::min<qsizetype>(values.size() - 1, qsizetype(p * values.size())));
}

void thumbnailTiming(int runs)
{
    QTemporaryDir dir;
    // 4000 × 3000 with detail everywhere, so JPEG has real work to decode.
    QImage image(4000, 3000, QImage::Format_RGB32);
    QPainter painter(&image);
    QLinearGradient gradient(0, 0, 4000, 3000);
    gradient.setColorAt(0, Qt::darkBlue);
    gradient.setColorAt(1, Qt::yellow);
    painter.fillRect(image.rect(), gradient);
    QRandomGenerator noise(7);
    for (int i = 0; i < 20'000; ++i)
        painter.fillRect(int(noise.bounded(4000)), int(noise.bounded(3000)), 12, 12,
            QColor::fromRgb(noise.generate()));
    painter.end();
    const QString path = dir.filePath(u"photo.jpg"_s);
    image.save(path, "JPEG", 90);
    const QByteArray original = [&] {
        QFile f(path);
        f.open(QIODevice::ReadOnly);
        return f.readAll();
    }();
    QList<double> ms;
    server::InspectedFile result;
    for (int i = 0; i < runs; ++i) {
        // inspectFile may rewrite the file (EXIF); start from the same bytes each time.
        QFile f(path);
        f.open(QIODevice::WriteOnly | QIODevice::Truncate);
        f.write(original);
        f.close();
        QElapsedTimer t;
        t.start();
        result = server::inspectFile(path);
        ms.append(t.nsecsElapsed() / 1e6);
    }
    std::printf("thumbnail of a 12-megapixel JPEG (%.1f MiB): p50 %.1f ms, max %.1f ms over %d "
                "runs -> %s %dx%d, %lld bytes\n",
        double(original.size()) / MiB, percentile(ms, 0.5), percentile(ms, 1.0), runs,
        qPrintable(result.thumbnailType), result.thumbnailWidth, result.thumbnailHeight,
        qint64(result.thumbnail.size()));
}

} // namespace

int main(int argc, char **argv)
{
    QCoreApplication app(argc, argv);
    QCommandLineParser parser;
    parser.addOptions({{u"size-mib"_s, u"File for the throughput runs."_s, u"n"_s, u"100"_s},
        {u"large-mib"_s, u"Upload during which a chatter's latency is measured."_s, u"n"_s,
            u"1024"_s},
        {u"window-mib"_s, u"Unacknowledged upload bytes."_s, u"n"_s, u"16"_s},
        {u"thumbnail-runs"_s, u"Inspections of the 12-megapixel JPEG."_s, u"n"_s, u"5"_s}});
    parser.process(app);
    const qint64 size = parser.value(u"size-mib"_s).toLongLong() * MiB;
    const qint64 large = parser.value(u"large-mib"_s).toLongLong() * MiB;
    const qint64 window = parser.value(u"window-mib"_s).toLongLong() * MiB;

    ServerProcess server;
    if (!server.start({u"rate_per_second=100000"_s, u"rate_burst=100000"_s,
            u"max_file_bytes=%1"_s.arg(std::max(size, large)), u"quota_bytes=0"_s,
            u"chunk_rate_per_second=1000000"_s}))
        return 1;
    Connection owner(server.url());
    if (!owner.ready() || !owner.hello().has(protocol::features::Files)) {
        std::fprintf(stderr, "no hello with the files feature\n");
        return 1;
    }
    const auto signedIn = owner.request(req::registerAccount(u"bench"_s, u"bench-password"_s));
    const QString token = signedIn->data().value("token"_L1).toString();
    const auto created = owner.request(req::createRoom(u"files"_s));
    const qint64 room
        = qint64(created->data().value("room"_L1).toObject().value("id"_L1).toDouble());
    const qint64 idleKiB = server.residentKiB();
    std::printf("confabd %s, chunks of %d KiB, upload window %lld MiB, download window %lld MiB; "
                "resident at rest %lld MiB\n",
        qPrintable(owner.hello().server), owner.hello().limits.maxChunkBytes / 1024, window / MiB,
        owner.hello().limits.downloadWindowBytes / MiB, idleKiB / 1024);

    const QByteArray bytes = randomBytes(size);
    const UploadOutcome up = upload(owner, bytes, window, &server);
    if (!up.fileId)
        return 1;
    std::printf("upload %lld MiB: %.2f s, %.0f MB/s (to durable and finished); server resident "
                "peak %lld MiB\n",
        size / MiB, up.seconds, double(size) / 1e6 / up.seconds, up.peakResidentKiB / 1024);
    // Attach it, so that a download is authorised as a room member's would be.
    owner.request(req::send(room, u"bench-file"_s, {}, 0, {up.fileId}));
    const double down = download(owner, up.fileId, bytes);
    if (down < 0) {
        std::fprintf(stderr, "download differs from the upload\n");
        return 1;
    }
    std::printf("download %lld MiB: %.2f s, %.0f MB/s (bytes checked)\n", size / MiB, down,
        double(size) / 1e6 / down);

    // A healthy client's messages while a large upload runs, then the same client alone.
    const auto chatterAlone = [&](int seconds) {
        Chatter chatter(server.url(), token, room, 20);
        chatter.start();
        QThread::sleep(quint64(seconds));
        chatter.stop = true;
        chatter.wait();
        return chatter.latenciesMs;
    };
    const QList<double> quiet = chatterAlone(3);
    Chatter chatter(server.url(), token, room, 20);
    chatter.start();
    const QByteArray largeBytes = randomBytes(large);
    const UploadOutcome big = upload(owner, largeBytes, window, &server);
    chatter.stop = true;
    chatter.wait();
    if (!big.fileId)
        return 1;
    std::printf("upload %lld MiB: %.2f s, %.0f MB/s; server resident peak %lld MiB\n", large / MiB,
        big.seconds, double(large) / 1e6 / big.seconds, big.peakResidentKiB / 1024);
    std::printf("message ack latency, quiet:         n=%lld p50 %.2f ms p99 %.2f ms max %.2f ms\n",
        qint64(quiet.size()), percentile(quiet, 0.5), percentile(quiet, 0.99),
        percentile(quiet, 1.0));
    std::printf("message ack latency, during upload: n=%lld p50 %.2f ms p99 %.2f ms max %.2f ms\n",
        qint64(chatter.latenciesMs.size()), percentile(chatter.latenciesMs, 0.5),
        percentile(chatter.latenciesMs, 0.99), percentile(chatter.latenciesMs, 1.0));

    thumbnailTiming(parser.value(u"thumbnail-runs"_s).toInt());
    return 0;
}
