// SPDX-License-Identifier: GPL-3.0-or-later
// Files in the outbox (docs/protocol.md §16.1) against a scripted server: the hash on a
// worker thread, chunks within the window, resuming from upload_status after a dropped
// connection and after an app restart over the same cache, exactly one send with the
// file's id, and cancelling.
#include "files/filetransfers.h"
#include "files/pendingattachments.h"
#include "models/timelinemodel.h"
#include "protocol/fileframe.h"
#include "protocol/fileresults.h"
#include "protocol/results.h"
#include "scriptedconnection.h"
#include "session/messageactions.h"
#include "session/session.h"
#include "settings/appsettings.h"

#include <QCryptographicHash>
#include <QDir>
#include <QImage>
#include <QJsonArray>
#include <QMimeData>
#include <QRandomGenerator>
#include <QSettings>
#include <QTemporaryDir>
#include <QtTest>

using namespace Qt::StringLiterals;
using namespace confab;
using client::ConnectionState;
using protocol::RequestType;
using test::ScriptedConnection;

namespace {

constexpr qint64 Lobby = 1;
constexpr int Chunk = 1024;
constexpr qint64 UploadId = 42;
constexpr qint64 FileId = 7;

protocol::RoomSummary summary(qint64 id, const QString &name)
{
    protocol::RoomSummary s;
    s.id = id;
    s.name = name;
    s.memberCount = 2;
    return s;
}

protocol::Hello filesHello()
{
    protocol::Hello hello;
    hello.features = {protocol::features::Files};
    hello.limits.maxChunkBytes = Chunk;
    return hello;
}

/*! \brief One app over a scripted connection; a later one may share its folder. */
struct ScriptedApp
{
    explicit ScriptedApp(const QString &folder = {})
        : path(folder.isEmpty() ? dir.path() : folder)
        , settingsFile(path + u"/settings.ini"_s, QSettings::IniFormat)
        , settings(&settingsFile)
    {
        client::SessionOptions options;
        options.dataDir = path;
        options.useKeychain = false;
        options.backoffInitialMs = 60000; // the test reconnects with retryNow()
        options.backoffMaxMs = 60000;
        connection = new ScriptedConnection;
        session = std::make_unique<client::Session>(options, &settings, connection);
    }

    /*! \brief Signs in as ana (in Lobby), goes live with Lobby open. */
    void signInAndGoLive()
    {
        session->account()->signIn(u"ws://scripted.invalid"_s, u"ana"_s, u"password-123"_s, false);
        connection->acceptHello(filesHello());
        protocol::SignedIn signedIn;
        signedIn.user = u"ana"_s;
        signedIn.token = u"token-1"_s;
        signedIn.rooms = {summary(Lobby, u"lobby"_s)};
        QVERIFY(connection->reply(RequestType::Login, signedIn.toJson()));
        session->currentRoom()->select(Lobby);
        replySync();
    }

    /*! \brief The link drops and comes back: authenticate, sync, live. */
    void reconnect()
    {
        connection->drop();
        QCOMPARE(session->connectionState(), ConnectionState::Offline);
        session->account()->retryNow();
        connection->acceptHello(filesHello());
        protocol::SignedIn again;
        again.user = u"ana"_s;
        QVERIFY(connection->reply(RequestType::Authenticate, again.toJson()));
        replySync();
    }

    void replySync()
    {
        protocol::SyncResult sync;
        sync.rooms = {{summary(Lobby, u"lobby"_s), {}, false, 0}};
        QVERIFY(connection->reply(RequestType::Sync, sync.toJson()));
        QCOMPARE(session->connectionState(), ConnectionState::Live);
    }

    client::TimelineModel *timeline() const { return session->currentRoom()->timeline(); }

    QTemporaryDir dir;
    QString path;
    QSettings settingsFile;
    client::AppSettings settings;
    ScriptedConnection *connection; // owned by the session
    std::unique_ptr<client::Session> session;
};

/*! \brief The upload frames sent since \a from, checked and reassembled: offsets in order
 * from \a start, each chunk at most Chunk bytes. */
QByteArray chunksFrom(const ScriptedConnection *connection, qsizetype from, qint64 start)
{
    QByteArray bytes;
    qint64 next = start;
    for (qsizetype i = from; i < connection->binarySent.size(); ++i) {
        const auto frame = protocol::decodeFileFrame(connection->binarySent.at(i));
        if (!frame || frame->kind != protocol::FileFrameKind::UploadChunk
            || frame->id != quint64(UploadId) || frame->offset != quint64(next)
            || frame->data.size() > Chunk)
            return "bad frame"_ba;
        bytes += frame->data.toByteArray();
        next += frame->data.size();
    }
    return bytes;
}

protocol::UploadState uploadState(qint64 size, qint64 offset)
{
    protocol::UploadState state;
    state.upload = UploadId;
    state.size = size;
    state.offset = offset;
    return state;
}

protocol::FileResult fileResult(const QByteArray &bytes)
{
    protocol::FileResult result;
    result.file.id = FileId;
    result.file.name = u"cat.png"_s;
    result.file.size = bytes.size();
    result.file.type = u"image/png"_s;
    result.file.sha256
        = QString::fromLatin1(QCryptographicHash::hash(bytes, QCryptographicHash::Sha256).toHex());
    result.file.width = 600;
    result.file.height = 300;
    result.file.thumbnail = protocol::Thumbnail {400, 200, 1000, u"image/jpeg"_s};
    return result;
}

QVariant roleOfLastRow(const client::TimelineModel *tl, int role)
{
    return tl->data(tl->index(tl->rowCount() - 1), role);
}

} // namespace

class TestUploads : public QObject
{
    Q_OBJECT

private:
    QTemporaryDir m_files;
    QByteArray m_bytes;
    QString m_path;

private Q_SLOTS:
    void initTestCase()
    {
        m_bytes.resize(10 * Chunk + 123);
        for (char &c : m_bytes)
            c = char(QRandomGenerator::global()->bounded(256));
        m_path = m_files.filePath(u"cat.png"_s);
        QFile f(m_path);
        QVERIFY(f.open(QIODevice::WriteOnly));
        f.write(m_bytes);
    }

    // Issue 13: a network drop resumes the upload where the server's durable bytes end,
    // and the message goes out once, with the file.
    void uploadResumesAfterADroppedConnection()
    {
        ScriptedApp app;
        app.signInAndGoLive();
        if (QTest::currentTestFailed())
            return;
        client::PendingAttachments *pending = app.session->pendingAttachments();
        QVERIFY(pending->available());
        QVERIFY(pending->addUrls({QUrl::fromLocalFile(m_path)}));
        QCOMPARE(pending->count(), 1);
        app.session->currentRoom()->sendMessage(u"our cat"_s);
        QCOMPARE(pending->count(), 0);
        client::TimelineModel *tl = app.timeline();
        QCOMPARE(roleOfLastRow(tl, client::TimelineModel::TextRole).toString(), u"our cat"_s);
        QCOMPARE(roleOfLastRow(tl, client::TimelineModel::UploadProgressRole).toDouble(), 0.0);
        const QVariantList shown
            = roleOfLastRow(tl, client::TimelineModel::AttachmentsRole).toList();
        QCOMPARE(shown.size(), 1);
        QCOMPARE(shown.first().toMap().value(u"fileId"_s).toLongLong(), 0);
        QCOMPARE(shown.first().toMap().value(u"name"_s).toString(), u"cat.png"_s);
        QCOMPARE(shown.first().toMap().value(u"size"_s).toLongLong(), m_bytes.size());
        const QString txn = roleOfLastRow(tl, client::TimelineModel::TxnRole).toString();

        // The hash is computed off the GUI thread, then upload_begin declares it.
        QTRY_COMPARE(app.connection->waiting(RequestType::UploadBegin), 1);
        const auto *begin = app.connection->firstWaiting(RequestType::UploadBegin);
        QCOMPARE(begin->fields.value(u"sha256"_s).toString(),
            QString::fromLatin1(
                QCryptographicHash::hash(m_bytes, QCryptographicHash::Sha256).toHex()));
        QCOMPARE(begin->fields.value(u"size"_s).toInteger(), m_bytes.size());
        QCOMPARE(app.connection->waiting(RequestType::Send), 0);
        QVERIFY(app.connection->reply(
            RequestType::UploadBegin, uploadState(m_bytes.size(), 0).toJson()));
        QTRY_COMPARE(chunksFrom(app.connection, 0, 0), m_bytes);

        // 4 KiB are durable when the link drops: only the rest is sent again.
        app.connection->push(protocol::frames::uploaded(UploadId, 4 * Chunk));
        QTRY_VERIFY(roleOfLastRow(tl, client::TimelineModel::UploadProgressRole).toDouble() > 0.3);
        app.reconnect();
        QCOMPARE(app.connection->waiting(RequestType::UploadStatus), 1);
        QCOMPARE(app.connection->waiting(RequestType::UploadBegin), 0);
        QCOMPARE(app.connection->waiting(RequestType::Send), 0);
        const qsizetype before = app.connection->binarySent.size();
        // The server kept a little more than it had acknowledged.
        QVERIFY(app.connection->reply(
            RequestType::UploadStatus, uploadState(m_bytes.size(), 5 * Chunk).toJson()));
        QTRY_COMPARE(chunksFrom(app.connection, before, 5 * Chunk), m_bytes.mid(5 * Chunk));

        app.connection->push(protocol::frames::uploaded(UploadId, m_bytes.size()));
        QCOMPARE(app.connection->waiting(RequestType::UploadFinish), 1);
        QVERIFY(app.connection->reply(RequestType::UploadFinish, fileResult(m_bytes).toJson()));

        // Exactly one send, with the file and the txn the message had from the start.
        QCOMPARE(app.connection->waiting(RequestType::Send), 1);
        const auto *send = app.connection->firstWaiting(RequestType::Send);
        QCOMPARE(send->fields.value(u"txn"_s).toString(), txn);
        QCOMPARE(send->fields.value(u"attachments"_s).toArray(), QJsonArray {FileId});
        protocol::SendAck ack;
        ack.room = Lobby;
        ack.seq = 2;
        ack.timestamp = 1700000000002;
        QVERIFY(app.connection->reply(RequestType::Send, ack.toJson()));
        QCOMPARE(roleOfLastRow(tl, client::TimelineModel::DeliveryRole).toInt(),
            int(client::TimelineModel::Sent));
        QCOMPARE(roleOfLastRow(tl, client::TimelineModel::UploadProgressRole).toDouble(), -1.0);
        QCOMPARE(app.connection->sentTypes().count(RequestType::Send), 1);
        QVERIFY(app.session->messageSender()); // the outbox is empty: nothing is resent
        app.reconnect();
        QCOMPARE(app.connection->waiting(RequestType::Send), 0);
        QCOMPARE(app.connection->waiting(RequestType::UploadStatus), 0);
    }

    // Issue 13: closing the app mid-upload resumes it in the next run, from the cache.
    void uploadResumesAfterAnAppRestart()
    {
        QTemporaryDir shared;
        QString txn;
        QString copies;
        {
            ScriptedApp first(shared.path());
            first.signInAndGoLive();
            if (QTest::currentTestFailed())
                return;
            copies = first.session->pendingAttachments()->copiesDir();
            QVERIFY(first.session->pendingAttachments()->addUrls({QUrl::fromLocalFile(m_path)}));
            first.session->currentRoom()->sendMessage(QString());
            txn = roleOfLastRow(first.timeline(), client::TimelineModel::TxnRole).toString();
            QTRY_COMPARE(first.connection->waiting(RequestType::UploadBegin), 1);
            QVERIFY(first.connection->reply(
                RequestType::UploadBegin, uploadState(m_bytes.size(), 0).toJson()));
            QTRY_VERIFY(!first.connection->binarySent.isEmpty());
            first.connection->push(protocol::frames::uploaded(UploadId, 3 * Chunk));
        }
        // A pasted image left behind by a crash: nothing will send it.
        QVERIFY(QDir().mkpath(copies));
        const QString stray = copies + u"/stray.png"_s;
        {
            QFile f(stray);
            QVERIFY(f.open(QIODevice::WriteOnly));
            f.write("png");
        }
        ScriptedApp second(shared.path());
        second.signInAndGoLive();
        if (QTest::currentTestFailed())
            return;
        QVERIFY(!QFile::exists(stray));
        // The unsent message is back, still uploading, with its file's name.
        client::TimelineModel *tl = second.timeline();
        QCOMPARE(roleOfLastRow(tl, client::TimelineModel::TxnRole).toString(), txn);
        QCOMPARE(roleOfLastRow(tl, client::TimelineModel::AttachmentsRole)
                     .toList()
                     .first()
                     .toMap()
                     .value(u"name"_s)
                     .toString(),
            u"cat.png"_s);
        // No second upload: the stored one is asked for and continued.
        QTRY_COMPARE(second.connection->waiting(RequestType::UploadStatus), 1);
        QCOMPARE(second.connection->firstWaiting(RequestType::UploadStatus)
                     ->fields.value(u"upload"_s)
                     .toInteger(),
            UploadId);
        QCOMPARE(second.connection->sentTypes().count(RequestType::UploadBegin), 0);
        QVERIFY(second.connection->reply(
            RequestType::UploadStatus, uploadState(m_bytes.size(), 3 * Chunk).toJson()));
        QTRY_COMPARE(chunksFrom(second.connection, 0, 3 * Chunk), m_bytes.mid(3 * Chunk));
        second.connection->push(protocol::frames::uploaded(UploadId, m_bytes.size()));
        QVERIFY(second.connection->reply(RequestType::UploadFinish, fileResult(m_bytes).toJson()));
        QCOMPARE(second.connection->waiting(RequestType::Send), 1);
        const auto *send = second.connection->firstWaiting(RequestType::Send);
        QCOMPARE(send->fields.value(u"txn"_s).toString(), txn);
        QVERIFY(!send->fields.contains(u"text"_s)); // files alone
        QCOMPARE(send->fields.value(u"attachments"_s).toArray(), QJsonArray {FileId});
    }

    // A refused chunk (here: the server lost bytes it held) resumes from upload_status.
    void refusedChunkResumesFromStatus()
    {
        ScriptedApp app;
        app.signInAndGoLive();
        if (QTest::currentTestFailed())
            return;
        QVERIFY(app.session->pendingAttachments()->addUrls({QUrl::fromLocalFile(m_path)}));
        app.session->currentRoom()->sendMessage(u"x"_s);
        QTRY_COMPARE(app.connection->waiting(RequestType::UploadBegin), 1);
        QVERIFY(app.connection->reply(
            RequestType::UploadBegin, uploadState(m_bytes.size(), 0).toJson()));
        QTRY_COMPARE(chunksFrom(app.connection, 0, 0), m_bytes);
        QJsonObject details {{u"upload"_s, UploadId}, {u"expected"_s, 2 * Chunk}};
        // Every chunk after the lost one fails: one upload_status, not one per error.
        for (int i = 0; i < 3; ++i) {
            app.connection->push(protocol::frames::error(
                QJsonValue(), protocol::ErrorCode::BadOffset, u"bad offset"_s, details));
        }
        QCOMPARE(app.connection->waiting(RequestType::UploadStatus), 1);
        const qsizetype before = app.connection->binarySent.size();
        QVERIFY(app.connection->reply(
            RequestType::UploadStatus, uploadState(m_bytes.size(), 2 * Chunk).toJson()));
        QTRY_COMPARE(chunksFrom(app.connection, before, 2 * Chunk), m_bytes.mid(2 * Chunk));
    }

    // Cancel: the upload is abandoned on the server and the message is gone, also from
    // the cache (a restart does not bring it back).
    void cancelAbandonsTheUpload()
    {
        QTemporaryDir shared;
        {
            ScriptedApp app(shared.path());
            app.signInAndGoLive();
            if (QTest::currentTestFailed())
                return;
            QVERIFY(app.session->pendingAttachments()->addUrls({QUrl::fromLocalFile(m_path)}));
            app.session->currentRoom()->sendMessage(u"never mind"_s);
            client::TimelineModel *tl = app.timeline();
            const int rows = tl->rowCount();
            const QString txn = roleOfLastRow(tl, client::TimelineModel::TxnRole).toString();
            QTRY_COMPARE(app.connection->waiting(RequestType::UploadBegin), 1);
            QVERIFY(app.connection->reply(
                RequestType::UploadBegin, uploadState(m_bytes.size(), 0).toJson()));
            app.session->messageActions()->cancelUpload(txn);
            QCOMPARE(tl->rowCount(), rows - 1);
            QCOMPARE(app.connection->waiting(RequestType::UploadCancel), 1);
            QCOMPARE(app.connection->firstWaiting(RequestType::UploadCancel)
                         ->fields.value(u"upload"_s)
                         .toInteger(),
                UploadId);
            const qsizetype sent = app.connection->binarySent.size();
            app.connection->push(protocol::frames::uploaded(UploadId, 2 * Chunk));
            QTest::qWait(20);
            QCOMPARE(app.connection->binarySent.size(), sent);
            QCOMPARE(app.connection->waiting(RequestType::Send), 0);
        }
        ScriptedApp again(shared.path());
        again.signInAndGoLive();
        if (QTest::currentTestFailed())
            return;
        QCOMPARE(again.timeline()->rowCount(), 0);
        QTest::qWait(20);
        QCOMPARE(again.connection->waiting(RequestType::UploadStatus), 0);
        QCOMPARE(again.connection->waiting(RequestType::UploadBegin), 0);
    }

    // Others' files: what the attachments role says, the viewer's next/previous, the name
    // a save suggests, and a deletion taking the files away.
    void receivedAttachmentsAndTheViewer()
    {
        ScriptedApp app;
        app.signInAndGoLive();
        if (QTest::currentTestFailed())
            return;
        auto image = [](qint64 id, const QString &name) {
            protocol::FileInfo f;
            f.id = id;
            f.name = name;
            f.size = 600000;
            f.type = u"image/jpeg"_s;
            f.sha256 = QString(64, u'a');
            f.width = 1350;
            f.height = 900;
            f.thumbnail = protocol::Thumbnail {400, 267, 18220, u"image/jpeg"_s};
            return f;
        };
        protocol::FileInfo html;
        html.id = 12;
        html.name = u"../../evil.html"_s;
        html.size = 300;
        html.type = u"text/html"_s;
        html.sha256 = QString(64, u'b');
        auto message = [](qint64 seq, const QList<protocol::FileInfo> &files) {
            protocol::RoomEvent e;
            e.id = 100 + seq;
            e.room = Lobby;
            e.seq = seq;
            e.timestamp = 1700000000000 + seq;
            e.sender = u"bob"_s;
            e.text = u"look"_s;
            e.txn = u"b:%1"_s.arg(seq);
            e.attachments = files;
            return e;
        };
        app.connection->push(protocol::frames::event(message(1, {image(10, u"a.jpg"_s), html})));
        app.connection->push(protocol::frames::event(message(2, {image(11, u"b.jpg"_s)})));
        client::TimelineModel *tl = app.timeline();
        QAbstractItemModelTester tester(tl, QAbstractItemModelTester::FailureReportingMode::QtTest);
        QTRY_COMPARE(tl->rowCount(), 2);
        const QVariantList first
            = tl->data(tl->index(0), client::TimelineModel::AttachmentsRole).toList();
        QCOMPARE(first.size(), 2);
        const QVariantMap a = first.at(0).toMap();
        QCOMPARE(a.value(u"fileId"_s).toLongLong(), 10);
        QCOMPARE(a.value(u"isImage"_s).toBool(), true);
        QCOMPARE(a.value(u"thumbWidth"_s).toInt(), 400);
        QCOMPARE(a.value(u"thumbHeight"_s).toInt(), 267);
        QCOMPARE(a.value(u"width"_s).toInt(), 1350);
        QCOMPARE(a.value(u"thumbnailSource"_s).toUrl(), QUrl(u"image://confabfile/10/thumb"_s));
        QCOMPARE(a.value(u"imageSource"_s).toUrl(), QUrl(u"image://confabfile/10/full"_s));
        QCOMPARE(a.value(u"downloadProgress"_s).toDouble(), -1.0);
        QCOMPARE(a.value(u"savedPath"_s).toString(), QString());
        // HTML is never a picture, whatever it is called.
        const QVariantMap h = first.at(1).toMap();
        QCOMPARE(h.value(u"isImage"_s).toBool(), false);
        QVERIFY(h.value(u"thumbnailSource"_s).toUrl().isEmpty());
        QVERIFY(h.value(u"imageSource"_s).toUrl().isEmpty());
        QCOMPARE(
            tl->data(tl->index(0), client::TimelineModel::UploadProgressRole).toDouble(), -1.0);

        QCOMPARE(tl->imageNeighbour(10, 1).value(u"fileId"_s).toLongLong(), 11);
        QCOMPARE(tl->imageNeighbour(11, -1).value(u"fileId"_s).toLongLong(), 10);
        QVERIFY(tl->imageNeighbour(11, 1).isEmpty());
        QVERIFY(tl->imageNeighbour(12, 1).isEmpty()); // not an image

        // The sender's name is a suggestion, never a path.
        const QUrl suggested = app.session->fileTransfers()->suggestedSaveUrl(12);
        QCOMPARE(QFileInfo(suggested.toLocalFile()).fileName(), u"evil.html"_s);

        protocol::RoomEvent redact;
        redact.id = 200;
        redact.room = Lobby;
        redact.seq = 3;
        redact.timestamp = 1700000000003;
        redact.sender = u"bob"_s;
        redact.kind = protocol::EventKind::Redact;
        redact.target = 2;
        app.connection->push(protocol::frames::event(redact));
        QTRY_VERIFY(
            tl->data(tl->index(1), client::TimelineModel::AttachmentsRole).toList().isEmpty());
        QVERIFY(tl->imageNeighbour(10, 1).isEmpty());
    }

    // A file over the server's limit is refused when chosen; per room lists.
    void pendingAttachmentsArePerRoom()
    {
        ScriptedApp app;
        app.signInAndGoLive();
        if (QTest::currentTestFailed())
            return;
        client::PendingAttachments *pending = app.session->pendingAttachments();
        QAbstractItemModelTester tester(
            pending, QAbstractItemModelTester::FailureReportingMode::QtTest);
        QSignalSpy rejected(pending, &client::PendingAttachments::rejected);
        QVERIFY(!pending->addUrls({QUrl::fromLocalFile(m_files.path())}));
        QCOMPARE(rejected.size(), 1);
        QVERIFY(!pending->addUrls({QUrl(u"https://example.org/cat.png"_s)}));
        QCOMPARE(rejected.size(), 2);
        pending->setLimits(true, 100);
        QVERIFY(!pending->addUrls({QUrl::fromLocalFile(m_path)}));
        QCOMPARE(rejected.size(), 3);
        pending->setLimits(true, 1 << 20);
        QVERIFY(pending->addUrls({QUrl::fromLocalFile(m_path)}));
        QCOMPARE(pending->count(), 1);
        const QModelIndex first = pending->index(0);
        QCOMPARE(
            pending->data(first, client::PendingAttachments::NameRole).toString(), u"cat.png"_s);
        QCOMPARE(pending->data(first, client::PendingAttachments::SizeRole).toLongLong(),
            m_bytes.size());
        QVERIFY(
            !pending->data(first, client::PendingAttachments::SizeTextRole).toString().isEmpty());
        // Random bytes named .png are no image: no preview.
        QCOMPARE(pending->data(first, client::PendingAttachments::IsImageRole).toBool(), false);

        // A pasted image becomes a PNG copy of the app's own, with a preview; text is not
        // the files' business (the composer pastes it).
        QMimeData text;
        text.setText(u"just words"_s);
        QVERIFY(!pending->addMimeData(&text));
        QMimeData pasted;
        QImage screenshot(64, 32, QImage::Format_RGB32);
        screenshot.fill(Qt::blue);
        pasted.setImageData(screenshot);
        QVERIFY(pending->addMimeData(&pasted));
        QCOMPARE(pending->count(), 2);
        const QModelIndex image = pending->index(1);
        QVERIFY(pending->data(image, client::PendingAttachments::IsImageRole).toBool());
        const QUrl preview
            = pending->data(image, client::PendingAttachments::PreviewSourceRole).toUrl();
        QCOMPARE(preview.scheme(), u"image"_s);
        QCOMPARE(preview.host(), u"confabpending"_s);
        const QString copiesDir = pending->copiesDir();
        QVERIFY(copiesDir.startsWith(app.path));
        const QStringList copies = QDir(copiesDir).entryList(QDir::Files);
        QCOMPARE(copies.size(), 1);
        QVERIFY(copies.first().endsWith(u".png"_s));
        pending->remove(1);
        QVERIFY(QDir(copiesDir).entryList(QDir::Files).isEmpty());

        app.session->currentRoom()->select(0);
        QCOMPARE(pending->count(), 0);
        app.session->currentRoom()->select(Lobby);
        QCOMPARE(pending->count(), 1);
        pending->remove(0);
        QCOMPARE(pending->count(), 0);
    }
};

QTEST_MAIN(TestUploads)
#include "tst_uploads.moc"
