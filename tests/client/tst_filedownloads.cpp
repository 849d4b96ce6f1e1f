// SPDX-License-Identifier: GPL-3.0-or-later
// Downloads (docs/protocol.md §5.29) against a scripted server: windows pipelined two
// deep, a dropped connection resuming from the bytes written, the cache's size cap, a
// damaged cached copy fetched again, and saving to a chosen path.
#include "files/downloads.h"
#include "files/filecache.h"
#include "protocol/fileframe.h"
#include "protocol/fileresults.h"
#include "scriptedconnection.h"
#include "session/connectionstate.h"

#include <QCryptographicHash>
#include <QRandomGenerator>
#include <QSet>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QtTest>

using namespace Qt::StringLiterals;
using namespace confab;
using protocol::RequestType;
using test::ScriptedConnection;

namespace {

constexpr qint64 Window = 1000;

QByteArray randomBytes(qsizetype size)
{
    QByteArray out(size, '\0');
    for (char &c : out)
        c = char(QRandomGenerator::global()->bounded(256));
    return out;
}

/*! \brief The server's side: files by id, and a stream counter as on one connection. */
struct FakeServer
{
    ScriptedConnection *connection = nullptr;
    QHash<qint64, QByteArray> files;
    qint64 nextStream = 1;
    QList<qint64> offsetsAsked;
    QSet<qint64> notImages; //!< files the server did not decode as images

    protocol::FileInfo info(qint64 id) const
    {
        protocol::FileInfo f;
        f.id = id;
        f.name = u"f%1.bin"_s.arg(id);
        f.size = files.value(id).size();
        f.type = u"image/png"_s;
        if (!notImages.contains(id)) {
            f.width = 100; // as if the server had decoded it
            f.height = 100;
        }
        f.sha256 = QString::fromLatin1(
            QCryptographicHash::hash(files.value(id), QCryptographicHash::Sha256).toHex());
        return f;
    }

    /*! \brief Answers the oldest waiting download and sends its bytes; false if none. */
    bool serveOne()
    {
        const auto *request = connection->firstWaiting(RequestType::Download);
        if (!request)
            return false;
        const qint64 id = request->fields.value(u"file"_s).toInteger();
        const qint64 offset = request->fields.value(u"offset"_s).toInteger();
        const qint64 asked = request->fields.value(u"length"_s).toInteger();
        const QByteArray bytes = files.value(id);
        offsetsAsked.append(offset);
        protocol::DownloadStarted started;
        started.file = info(id);
        started.stream = nextStream++;
        started.offset = offset;
        started.length = std::min(asked, bytes.size() - offset);
        started.total = bytes.size();
        started.type = started.file.type;
        connection->reply(RequestType::Download, started.toJson());
        for (qint64 at = offset; at < offset + started.length; at += 300) {
            protocol::FileFrame frame;
            frame.kind = protocol::FileFrameKind::DownloadData;
            frame.id = quint64(started.stream);
            frame.offset = quint64(at);
            const QByteArray part
                = bytes.mid(at, std::min<qint64>(300, offset + started.length - at));
            frame.data = part;
            Q_EMIT connection->binaryReceived(protocol::encodeFileFrame(frame));
        }
        return true;
    }
    void serveAll()
    {
        while (serveOne()) { }
    }
};

struct Fixture
{
    explicit Fixture(const QString &cacheDir, qint64 cap = FileCache::DefaultCapBytes)
        : cache(cacheDir, cap)
    {
        connection.open(QUrl(u"ws://scripted.invalid"_s));
        protocol::Hello hello;
        hello.features = {protocol::features::Files};
        hello.limits.downloadWindowBytes = Window;
        connection.acceptHello(hello);
        state.setPhase(client::ConnectionState::Live);
        server.connection = &connection;
        QObject::connect(&connection, &client::Connection::binaryReceived, &downloads,
            &client::Downloads::handleBinary);
    }
    using FileCache = client::FileCache;

    ScriptedConnection connection;
    client::ConnectionState state;
    client::FileCache cache;
    client::Downloads downloads {&connection, &state, &cache};
    FakeServer server;
};

/*! \brief Fetches \a id, serving as asked; the local path. */
QString fetched(Fixture &f, qint64 id, bool thumbnail = false)
{
    QString path = u"(none)"_s;
    f.downloads.fetch(
        id, thumbnail, nullptr, [&path](const QString &p, const QString &) { path = p; });
    for (int i = 0; i < 100 && path == u"(none)"_s; ++i) {
        f.server.serveAll();
        QCoreApplication::processEvents();
        QTest::qWait(5);
    }
    return path;
}

QByteArray contents(const QString &path)
{
    QFile file(path);
    return file.open(QIODevice::ReadOnly) ? file.readAll() : QByteArray();
}

} // namespace

class TestFileDownloads : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void windowsArePipelinedTwoDeep()
    {
        QTemporaryDir dir;
        Fixture f(dir.path());
        f.server.files.insert(7, randomBytes(3500));
        QString path;
        f.downloads.fetch(
            7, false, nullptr, [&path](const QString &p, const QString &) { path = p; });
        // The size is unknown: one request first.
        QCOMPARE(f.connection.waiting(RequestType::Download), 1);
        QVERIFY(f.server.serveOne());
        // Its reply told the size; the bytes of window 1 came: two more are asked ahead.
        QCOMPARE(f.connection.waiting(RequestType::Download), 2);
        f.server.serveAll();
        QVERIFY(!path.isEmpty());
        QCOMPARE(contents(path), f.server.files.value(7));
        QCOMPARE(f.server.offsetsAsked, (QList<qint64> {0, 1000, 2000, 3000}));
        // Cached now: no request.
        const int sent = int(f.connection.sentTypes().size());
        QCOMPARE(fetched(f, 7), path);
        QCOMPARE(int(f.connection.sentTypes().size()), sent);
    }

    void aDropResumesFromTheBytesWritten()
    {
        QTemporaryDir dir;
        Fixture f(dir.path());
        f.server.files.insert(7, randomBytes(3500));
        QString path;
        f.downloads.fetch(
            7, false, nullptr, [&path](const QString &p, const QString &) { path = p; });
        QVERIFY(f.server.serveOne());
        f.connection.drop();
        f.state.setPhase(client::ConnectionState::Offline);
        f.connection.open(QUrl(u"ws://scripted.invalid"_s));
        protocol::Hello hello;
        hello.limits.downloadWindowBytes = Window;
        f.connection.acceptHello(hello);
        f.state.setPhase(client::ConnectionState::Live);
        f.server.serveAll();
        QCOMPARE(contents(path), f.server.files.value(7));
        QCOMPARE(f.server.offsetsAsked.mid(0, 2), (QList<qint64> {0, 1000}));
    }

    void theCacheKeepsToItsCap()
    {
        QTemporaryDir dir;
        Fixture f(dir.path(), 5000);
        f.server.files.insert(1, randomBytes(3000));
        f.server.files.insert(2, randomBytes(3000));
        const QString first = fetched(f, 1);
        QVERIFY(QFile::exists(first));
        const QString second = fetched(f, 2);
        QVERIFY(QFile::exists(second));
        QVERIFY(!QFile::exists(first)); // least recently used
        QVERIFY(f.cache.usedBytes() <= 5000);
        // The cap survives a restart: a smaller one evicts at once.
        client::FileCache again(dir.path(), 1000);
        QCOMPARE(again.usedBytes(), 0);
    }

    void aDamagedCopyIsFetchedAgain()
    {
        QTemporaryDir dir;
        QByteArray original = randomBytes(2500);
        QString path;
        {
            Fixture f(dir.path());
            f.server.files.insert(9, original);
            path = fetched(f, 9);
            QCOMPARE(contents(path), original);
        }
        {
            QFile file(path);
            QVERIFY(file.open(QIODevice::ReadWrite));
            file.seek(100);
            file.write("damaged");
        }
        Fixture f(dir.path()); // the next run checks its copies once
        f.server.files.insert(9, original);
        const QString again = fetched(f, 9);
        QCOMPARE(contents(again), original);
        QCOMPARE(f.server.offsetsAsked.first(), 0);
    }

    // Only a file the server decoded may become a picture: anything else is not fetched
    // into the cache (it can still be saved).
    void onlyDecodedImagesAreFetchedWhole()
    {
        QTemporaryDir dir;
        Fixture f(dir.path());
        f.server.files.insert(3, randomBytes(3500));
        f.server.notImages.insert(3);
        QString path = u"(none)"_s;
        QString error;
        f.downloads.fetch(3, false, nullptr, [&](const QString &p, const QString &e) {
            path = p;
            error = e;
        });
        f.server.serveAll();
        QVERIFY(path.isEmpty());
        QVERIFY(!error.isEmpty());
        QCOMPARE(f.server.offsetsAsked, QList<qint64> {0}); // not a byte more was asked
        QCOMPARE(f.cache.usedBytes(), 0);
    }

    void saveWritesTheFileWithProgress()
    {
        QTemporaryDir dir;
        Fixture f(dir.path() + u"/cache"_s);
        f.server.files.insert(5, randomBytes(3500));
        QSignalSpy saved(&f.downloads, &client::Downloads::saved);
        QSignalSpy progress(&f.downloads, &client::Downloads::saveProgressChanged);
        const QString destination = dir.filePath(u"saved.bin"_s);
        f.downloads.save(5, destination);
        QCOMPARE(f.downloads.saveProgress(5), 0.0);
        f.server.serveAll();
        QCOMPARE(saved.size(), 1);
        QCOMPARE(saved.first().at(1).toString(), destination);
        QCOMPARE(contents(destination), f.server.files.value(5));
        QCOMPARE(f.downloads.saveProgress(5), -1.0);
        QVERIFY(progress.size() >= 2);
        QCOMPARE(progress.last().at(1).toDouble(), -1.0);
        QVERIFY(!QFile::exists(destination + u".part"_s));
    }
};

QTEST_MAIN(TestFileDownloads)
#include "tst_filedownloads.moc"
