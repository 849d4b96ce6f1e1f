// SPDX-License-Identifier: GPL-3.0-or-later
// Files in the real app (Main.qml, the Session, a server on 127.0.0.1) in a real window,
// driven as a person does: an image pasted with Ctrl+V, its preview, a caption, the upload
// and the inline thumbnail; a file dropped on the composer; a large upload cancelled
// half-way; the viewer opened from a thumbnail, Left/Right, Esc; a file saved from its card.
// Writes files-*.png to the screenshots.
#include "clientpool.h"
#include "files/filetransfers.h"
#include "files/pendingattachments.h"
#include "models/timelinemodel.h"
#include "session/currentroom.h"
#include "session/messageactions.h"
#include "testserver.h"
#include "timelinecheck.h"
#include "uitestapp.h"

#include <QClipboard>
#include <QCryptographicHash>
#include <QDir>
#include <QDropEvent>
#include <QGuiApplication>
#include <QImage>
#include <QMimeData>
#include <QPainter>
#include <QPointer>
#include <QQmlProperty>
#include <QSqlDatabase>
#include <QSqlQuery>
#include <QTemporaryDir>
#include <QtQml/qqmlextensionplugin.h>
#include <QtTest>

Q_IMPORT_QML_PLUGIN(Confab_ClientPlugin)
Q_IMPORT_QML_PLUGIN(ConfabPlugin)

using namespace Qt::StringLiterals;
using namespace confab;
using namespace confab::test;
using client::TimelineModel;

namespace {

// A picture that is not one flat colour (a thumbnail of it is recognisably the same).
QImage chart(QSize size, QColor colour)
{
    QImage image(size, QImage::Format_RGB32);
    image.fill(Qt::white);
    QPainter p(&image);
    p.fillRect(QRect(QPoint(0, 0), size / 2), colour);
    p.fillRect(QRect(QPoint(size.width() / 2, size.height() / 2), size / 2), colour.darker());
    return image;
}

// Drags \a urls from another application over \a target and drops them there: the
// window gets what the platform would send it.
void dropUrls(QQuickWindow *window, QQuickItem *target, const QList<QUrl> &urls)
{
    QMimeData mime;
    mime.setUrls(urls);
    const QPoint at
        = target->mapToScene(QPointF(target->width() / 2, target->height() / 2)).toPoint();
    QDragEnterEvent enter(at, Qt::CopyAction, &mime, Qt::LeftButton, Qt::NoModifier);
    QCoreApplication::sendEvent(window, &enter);
    QDragMoveEvent move(at, Qt::CopyAction, &mime, Qt::LeftButton, Qt::NoModifier);
    QCoreApplication::sendEvent(window, &move);
    QDropEvent drop(QPointF(at), Qt::CopyAction, &mime, Qt::LeftButton, Qt::NoModifier);
    QCoreApplication::sendEvent(window, &drop);
}

QVariantList attachmentsOf(TimelineModel *tl, int row)
{
    return tl->index(row).data(TimelineModel::AttachmentsRole).toList();
}

// The row of the newest message whose text is \a text, or -1.
int rowWithText(TimelineModel *tl, const QString &text)
{
    for (int row = tl->rowCount() - 1; row >= 0; --row) {
        if (tl->index(row).data(TimelineModel::TextRole).toString() == text)
            return row;
    }
    return -1;
}

// The shown row of a stored message (it has its seq): an own message's row while it is
// sent may be replaced, and its delegate with it.
QQuickItem *shownStoredRow(UiTestApp &app, const QString &text)
{
    QQuickItem *row = shownRow(app, text);
    return row && QQmlProperty::read(row, u"seq"_s).toDouble() > 0 ? row : nullptr;
}

QByteArray sha256Of(const QString &path)
{
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly))
        return {};
    QCryptographicHash hash(QCryptographicHash::Sha256);
    hash.addData(&file);
    return hash.result();
}

} // namespace

class TestUiFiles : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase()
    {
        m_server.config().limits.ratePerSecond = 10000;
        m_server.config().limits.rateBurst = 10000;
        // Room for the large upload that is cancelled half-way.
        m_server.config().limits.maxFileBytes = 1024LL * 1024 * 1024;
        QVERIFY(m_server.start());
        QVERIFY(m_files.isValid());
        m_pool = std::make_unique<ClientPool>([this] { return m_server.url(); });
        m_ben = m_pool->registered(u"ben"_s);
        QVERIFY(m_ben);
        TestClient *alice = m_pool->registered(u"alice"_s);
        QVERIFY(alice);
        m_room = createRoom(m_ben, u"media"_s);
        QVERIFY(m_room > 0);
        QVERIFY(alice->request(protocol::requests::join(m_room)));
        QVERIFY(m_ben->request(protocol::requests::send(m_room, u"ben-1"_s, u"send the chart"_s)));
        alice->disconnectNow();
    }

    // Ctrl+V of an image: the preview above the text, the caption, the upload's progress,
    // then the thumbnail in the timeline at the image's aspect; ben gets the file.
    void pasteImageWithCaption()
    {
        UiTestApp app;
        QVERIFY(signIn(app));
        client::PendingAttachments *pending = app.session()->pendingAttachments();
        QVERIFY(pending->available());
        m_ben->clearPushes();

        // 800 × 400: the thumbnail is 400 × 200.
        QGuiApplication::clipboard()->setImage(chart(QSize(800, 400), QColor(0x4f5bd5)));
        QQuickItem *input = app.item(u"composerInput"_s);
        QTRY_VERIFY(input->hasActiveFocus());
        QTest::keyClick(app.window(), Qt::Key_V, Qt::ControlModifier);
        QTRY_COMPARE(pending->count(), 1);
        QCOMPARE(QQmlProperty::read(input, u"text"_s).toString(), QString());
        QPointer<QQuickItem> tile = waitItem(app, u"pendingAttachment"_s);
        QVERIFY(tile);
        QQuickItem *preview = childNamed(tile, u"pendingPreview"_s);
        QVERIFY(preview);
        QTRY_COMPARE(QQmlProperty::read(preview, u"status"_s).toInt(), 1); // Image.Ready
        QVERIFY(QQmlProperty::read(tile, u"isImage"_s).toBool());
        QVERIFY(!QQmlProperty::read(childNamed(tile, u"pendingSize"_s), u"text"_s)
                     .toString()
                     .isEmpty());
        QQuickItem *send = app.item(u"sendButton"_s);
        QVERIFY(send->isEnabled()); // files alone may be sent
        saveScreenshot(app, u"files-preview.png"_s);

        // The model's progress is watched from the start: a small file is up quickly.
        TimelineModel *tl = app.session()->currentRoom()->timeline();
        bool sawProgress = false;
        const auto watch = [&] {
            for (int row = 0; row < tl->rowCount(); ++row) {
                if (tl->index(row).data(TimelineModel::UploadProgressRole).toDouble() >= 0)
                    sawProgress = true;
            }
        };
        QObject guard;
        QObject::connect(tl, &QAbstractItemModel::dataChanged, &guard, watch);
        QObject::connect(tl, &QAbstractItemModel::rowsInserted, &guard, watch);
        // Every frame, laid out (the items are read while the GUI thread waits for the
        // sync): the row's height and whether its thumbnail had loaded.
        struct Frame
        {
            bool loaded = false;
            qreal rowHeight = 0;
            qreal thumbHeight = 0;
        };
        QList<Frame> frames;
        const auto connection = QObject::connect(
            app.window(), &QQuickWindow::beforeSynchronizing, app.window(),
            [&] {
                QQuickItem *shownNow = shownRow(app, u"our chart"_s);
                QQuickItem *thumbNow
                    = shownNow && QQmlProperty::read(shownNow, u"seq"_s).toDouble() > 0
                    ? childNamed(shownNow, u"imageAttachment"_s)
                    : nullptr;
                if (!thumbNow || !reallyVisible(thumbNow))
                    return;
                const int status
                    = QQmlProperty::read(childNamed(thumbNow, u"thumbnailImage"_s), u"status"_s)
                          .toInt();
                frames.append({status == 1, shownNow->height(), thumbNow->height()});
            },
            Qt::DirectConnection);
        typeText(app.window(), u"our chart"_s);
        QTest::keyClick(app.window(), Qt::Key_Return);
        QTRY_COMPARE(pending->count(), 0);
        // The strip's delegate goes with its row.
        QTRY_VERIFY(!tile || !reallyVisible(tile));

        // Delivered: a stored row with the server's file.
        int row = -1;
        QTRY_VERIFY_WITH_TIMEOUT((row = rowWithText(tl, u"our chart"_s)) >= 0 && tl->seqAt(row) > 0
                && attachmentsOf(tl, row).size() == 1
                && attachmentsOf(tl, row).first().toMap().value(u"fileId"_s).toLongLong() > 0,
            15000);
        QVERIFY(sawProgress);
        const QVariantMap file = attachmentsOf(tl, row).first().toMap();
        QVERIFY(file.value(u"isImage"_s).toBool());
        QCOMPARE(file.value(u"width"_s).toInt(), 800);
        QCOMPARE(file.value(u"height"_s).toInt(), 400);
        QCOMPARE(file.value(u"thumbWidth"_s).toInt(), 400);
        QCOMPARE(file.value(u"thumbHeight"_s).toInt(), 200);

        // Its thumbnail's box is 400 × 200 whether or not the pixels are there yet, and the
        // row keeps its height when they arrive: on every frame drawn with the thumbnail,
        // loaded or not, the row is as high as at the end.
        // Found afresh each time: the view may hand the row another delegate.
        const auto thumbnail = [&]() -> QQuickItem * {
            QQuickItem *shown = shownStoredRow(app, u"our chart"_s);
            QQuickItem *thumb = shown && QQmlProperty::read(shown, u"seq"_s).toDouble() > 0
                ? childNamed(shown, u"imageAttachment"_s)
                : nullptr;
            return thumb && reallyVisible(thumb) ? thumb : nullptr;
        };
        QTRY_VERIFY(thumbnail());
        QCOMPARE(thumbnail()->width(), 400.0);
        QCOMPARE(thumbnail()->height(), 200.0);
        QTRY_COMPARE_WITH_TIMEOUT(
            QQmlProperty::read(childNamed(thumbnail(), u"thumbnailImage"_s), u"status"_s).toInt(),
            1, 10000);
        QTRY_VERIFY(frames.size() >= 3 && frames.constLast().loaded);
        QObject::disconnect(connection);
        const qreal rowHeight = shownStoredRow(app, u"our chart"_s)->height();
        int framesBeforeLoad = 0;
        for (const Frame &frame : std::as_const(frames)) {
            QCOMPARE(frame.thumbHeight, 200.0);
            QCOMPARE(frame.rowHeight, rowHeight);
            framesBeforeLoad += frame.loaded ? 0 : 1;
        }
        qInfo() << "frames with the thumbnail:" << frames.size()
                << "of them before it loaded:" << framesBeforeLoad;
        QQuickItem *image = childNamed(thumbnail(), u"thumbnailImage"_s);
        QCOMPARE(QQmlProperty::read(image, u"implicitWidth"_s).toReal()
                / QQmlProperty::read(image, u"implicitHeight"_s).toReal(),
            2.0);

        // Ben's client gets the message with its file.
        const auto event = m_ben->waitPush(
            [](const protocol::ServerFrame &f) {
                return f.type == protocol::ServerFrameType::Event
                    && f.body.value(u"event"_s).toObject().value(u"text"_s).toString()
                    == u"our chart"_s;
            },
            10000);
        QVERIFY(event);
        const QJsonArray files
            = event->body.value(u"event"_s).toObject().value(u"attachments"_s).toArray();
        QCOMPARE(files.size(), 1);
        QCOMPARE(files.first().toObject().value(u"mimeType"_s).toString(), u"image/png"_s);
        QCOMPARE(files.first().toObject().value(u"width"_s).toInt(), 800);
        QCOMPARE(files.first().toObject().value(u"id"_s).toInteger(),
            file.value(u"fileId"_s).toLongLong());
    }

    // A file dragged from the desktop onto the composer: listed, then sent with a caption;
    // not an image, so a card with its name and size.
    void dropFileOnComposer()
    {
        UiTestApp app;
        QVERIFY(signIn(app));
        client::PendingAttachments *pending = app.session()->pendingAttachments();
        const QString path = m_files.filePath(u"notes.txt"_s);
        QVERIFY(writeFile(path, QByteArray("Minutes of Friday's meeting.\n").repeated(40)));

        QQuickItem *composer = app.item(u"composer"_s);
        QVERIFY(composer);
        dropUrls(app.window(), composer, {QUrl::fromLocalFile(path)});
        QTRY_COMPARE(pending->count(), 1);
        QQuickItem *tile = waitItem(app, u"pendingAttachment"_s);
        QVERIFY(tile);
        QCOMPARE(QQmlProperty::read(childNamed(tile, u"pendingName"_s), u"text"_s).toString(),
            u"notes.txt"_s);
        QVERIFY(!QQmlProperty::read(tile, u"isImage"_s).toBool());
        // A folder is no file: refused, and the toast says why.
        dropUrls(app.window(), composer, {QUrl::fromLocalFile(m_files.path())});
        QQuickItem *toast = waitItem(app, u"toastLabel"_s);
        QVERIFY(toast);
        QVERIFY(!QQmlProperty::read(toast, u"text"_s).toString().isEmpty());
        QCOMPARE(pending->count(), 1);
        // The remove button takes it off; a second drop (on the timeline) brings it back.
        click(childNamed(tile, u"removeAttachmentButton"_s));
        QTRY_COMPARE(pending->count(), 0);
        dropUrls(app.window(), app.item(u"timelineView"_s), {QUrl::fromLocalFile(path)});
        QTRY_COMPARE(pending->count(), 1);

        typeText(app.window(), u"minutes attached"_s);
        QTest::keyClick(app.window(), Qt::Key_Return);
        QQuickItem *row = nullptr;
        QTRY_VERIFY_WITH_TIMEOUT((row = shownStoredRow(app, u"minutes attached"_s)), 10000);
        QQuickItem *card = childNamed(row, u"fileCard"_s);
        QVERIFY(card);
        QTRY_VERIFY(reallyVisible(card));
        QCOMPARE(QQmlProperty::read(childNamed(card, u"fileName"_s), u"text"_s).toString(),
            u"notes.txt"_s);
        QTRY_VERIFY_WITH_TIMEOUT(reallyVisible(childNamed(card, u"saveFileButton"_s)), 10000);
        QVERIFY(!reallyVisible(childNamed(row, u"imageAttachment"_s)));
        const auto event = m_ben->waitPush(
            [](const protocol::ServerFrame &f) {
                return f.type == protocol::ServerFrameType::Event
                    && f.body.value(u"event"_s).toObject().value(u"text"_s).toString()
                    == u"minutes attached"_s;
            },
            10000);
        QVERIFY(event);
        const QJsonObject sent = event->body.value(u"event"_s)
                                     .toObject()
                                     .value(u"attachments"_s)
                                     .toArray()
                                     .first()
                                     .toObject();
        QCOMPARE(sent.value(u"name"_s).toString(), u"notes.txt"_s);
        QCOMPARE(sent.value(u"mimeType"_s).toString(), u"text/plain"_s);
        QVERIFY(!sent.contains(u"thumbnail"_s));
    }

    // A large file's upload cancelled half-way: the row goes, nothing reaches the room,
    // and the server keeps neither the file nor the unfinished upload.
    void cancelLargeUpload()
    {
        UiTestApp app;
        QVERIFY(signIn(app));
        // Sparse: hundreds of MiB to send, none of them on this disk.
        const QString path = m_files.filePath(u"big.bin"_s);
        {
            QFile big(path);
            QVERIFY(big.open(QIODevice::WriteOnly));
            QVERIFY(big.resize(qint64(600) * 1024 * 1024));
        }
        dropUrls(app.window(), app.item(u"composer"_s), {QUrl::fromLocalFile(path)});
        QTRY_COMPARE(app.session()->pendingAttachments()->count(), 1);
        typeText(app.window(), u"the big one"_s);
        QTest::keyClick(app.window(), Qt::Key_Return);

        QQuickItem *row = nullptr;
        QTRY_VERIFY_WITH_TIMEOUT((row = shownRow(app, u"the big one"_s)), 10000);
        QQuickItem *bar = childNamed(row, u"uploadProgressBar"_s);
        QVERIFY(bar);
        QTRY_VERIFY_WITH_TIMEOUT(
            reallyVisible(bar) && QQmlProperty::read(bar, u"value"_s).toReal() > 0, 15000);
        const qreal progress = QQmlProperty::read(bar, u"value"_s).toReal();
        QVERIFY2(progress < 1, "the upload finished before it could be cancelled");
        saveScreenshot(app, u"files-uploading.png"_s);
        QQuickItem *cancel = childNamed(row, u"cancelUploadButton"_s);
        QVERIFY(cancel && reallyVisible(cancel));
        click(cancel);

        TimelineModel *tl = app.session()->currentRoom()->timeline();
        QTRY_COMPARE_WITH_TIMEOUT(rowWithText(tl, u"the big one"_s), -1, 10000);
        // What is drawn is the model's rows (the removed row's delegate may linger pooled
        // and culled, never drawn).
        QTRY_COMPARE(checkTimelineSettled(app.window(), app.session()), QString());
        // The server: no file, no upload left behind, no message.
        QTRY_COMPARE_WITH_TIMEOUT(
            serverCount(u"SELECT COUNT(*) FROM uploads WHERE name = 'big.bin'"_s), 0, 10000);
        QCOMPARE(serverCount(u"SELECT COUNT(*) FROM files WHERE name = 'big.bin'"_s), 0);
        QCOMPARE(serverCount(u"SELECT COUNT(*) FROM events WHERE body LIKE '%the big one%'"_s), 0);
        // Nor does it come back with the next start of the app.
        QTest::qWait(500);
        QCOMPARE(rowWithText(tl, u"the big one"_s), -1);
    }

    // Two more images; a click on the newest opens the viewer; Left and Right step through
    // the room's images, + and a double-click zoom, Esc closes.
    void viewerStepsThroughImages()
    {
        UiTestApp app;
        QVERIFY(signIn(app));
        client::PendingAttachments *pending = app.session()->pendingAttachments();
        const QString red = m_files.filePath(u"red.png"_s);
        const QString green = m_files.filePath(u"green.png"_s);
        QVERIFY(chart(QSize(300, 1600), Qt::red).save(red));
        QVERIFY(chart(QSize(640, 480), Qt::darkGreen).save(green));
        QVERIFY(pending->addUrls({QUrl::fromLocalFile(red)}));
        typeText(app.window(), u"red one"_s);
        QTest::keyClick(app.window(), Qt::Key_Return);
        QTRY_COMPARE(pending->count(), 0);
        QVERIFY(pending->addUrls({QUrl::fromLocalFile(green)}));
        typeText(app.window(), u"green one"_s);
        QTest::keyClick(app.window(), Qt::Key_Return);

        TimelineModel *tl = app.session()->currentRoom()->timeline();
        QTRY_VERIFY_WITH_TIMEOUT(rowWithText(tl, u"green one"_s) >= 0
                && attachmentsOf(tl, rowWithText(tl, u"green one"_s))
                        .value(0)
                        .toMap()
                        .value(u"fileId"_s)
                        .toLongLong()
                    > 0,
            15000);
        // Once the view has settled at the bottom (the row may still be moving into place).
        const auto greenThumb = [&]() -> QQuickItem * {
            QQuickItem *row = shownStoredRow(app, u"green one"_s);
            QQuickItem *thumb = row ? childNamed(row, u"imageAttachment"_s) : nullptr;
            return thumb && reallyVisible(thumb) ? thumb : nullptr;
        };
        QTRY_VERIFY(greenThumb());
        QTRY_COMPARE(checkTimelineSettled(app.window(), app.session()), QString());
        // 640 × 480 fits in 400 × 300.
        QCOMPARE(greenThumb()->width(), 400.0);
        QCOMPARE(greenThumb()->height(), 300.0);
        QObject *viewer = nullptr;
        const auto viewerOpen = [&] {
            viewer = app.window()->findChild<QObject *>(u"imageViewer"_s);
            return viewer && viewer->property("opened").toBool();
        };
        // Clicked again only if a click landed while the row still moved (it is at the
        // bottom of a view that follows new rows).
        bool opened = false;
        for (int attempt = 0; attempt < 5 && !opened; ++attempt) {
            QQuickItem *thumb = greenThumb();
            QVERIFY(thumb);
            hover(app, thumb);
            click(thumb);
            opened = QTest::qWaitFor(viewerOpen, 1500);
        }
        QVERIFY(opened);
        QQuickItem *name = app.item(u"viewerName"_s);
        QVERIFY(name);
        QCOMPARE(QQmlProperty::read(name, u"text"_s).toString(), u"green.png"_s);
        QQuickItem *full = app.item(u"viewerImage"_s);
        QTRY_COMPARE_WITH_TIMEOUT(QQmlProperty::read(full, u"status"_s).toInt(), 1, 10000);
        // Fit to the window, never enlarged: the image's own size here.
        QVERIFY(full->width() <= 640 && full->height() <= 480);
        QCOMPARE(qRound(full->width() * 3), qRound(full->height() * 4));
        QVERIFY(!QQmlProperty::read(app.item(u"viewerNext"_s), u"enabled"_s).toBool());
        saveScreenshot(app, u"files-viewer.png"_s);

        QTest::keyClick(app.window(), Qt::Key_Left);
        QTRY_COMPARE(QQmlProperty::read(name, u"text"_s).toString(), u"red.png"_s);
        QVERIFY(QQmlProperty::read(app.item(u"viewerNext"_s), u"enabled"_s).toBool());
        QTest::keyClick(app.window(), Qt::Key_Right);
        QTRY_COMPARE(QQmlProperty::read(name, u"text"_s).toString(), u"green.png"_s);
        QTest::keyClick(app.window(), Qt::Key_Left);
        QTRY_COMPARE(QQmlProperty::read(name, u"text"_s).toString(), u"red.png"_s);

        // 1600 pixels high does not fit: shown smaller. A double-click shows it 1:1, another
        // fits it again; + zooms in.
        QQuickItem *zoom = app.item(u"viewerZoom"_s);
        QTRY_COMPARE_WITH_TIMEOUT(QQmlProperty::read(full, u"status"_s).toInt(), 1, 10000);
        const QString fitted = QQmlProperty::read(zoom, u"text"_s).toString();
        QVERIFY2(fitted != u"100%"_s, qPrintable(fitted));
        QVERIFY(full->height() < 1600);
        QCOMPARE(qRound(full->height()), qRound(full->width() * 16 / 3));
        // The middle of the window is on the image, whatever its zoom.
        const QPoint centre(app.window()->width() / 2, app.window()->height() / 2);
        QTest::mouseDClick(app.window(), Qt::LeftButton, Qt::NoModifier, centre);
        QTRY_COMPARE(QQmlProperty::read(zoom, u"text"_s).toString(), u"100%"_s);
        QCOMPARE(full->height(), 1600.0);
        QTest::mouseDClick(app.window(), Qt::LeftButton, Qt::NoModifier, centre);
        QTRY_COMPARE(QQmlProperty::read(zoom, u"text"_s).toString(), fitted);
        QTest::keyClick(app.window(), Qt::Key_Plus);
        QTRY_VERIFY(QQmlProperty::read(zoom, u"text"_s).toString() != fitted);
        // The next image starts fitted again.
        QTest::keyClick(app.window(), Qt::Key_Right);
        QTRY_COMPARE(QQmlProperty::read(name, u"text"_s).toString(), u"green.png"_s);
        QCOMPARE(QQmlProperty::read(zoom, u"text"_s).toString(), u"100%"_s);

        QTest::keyClick(app.window(), Qt::Key_Escape);
        QTRY_VERIFY(!viewer->property("visible").toBool());
        // Typing goes on where it was: the composer has the keyboard again.
        QTRY_VERIFY(app.item(u"composerInput"_s)->hasActiveFocus());
    }

    // Save on a file's card: the dialog opens; the place is then given as the dialog would
    // (a native dialog cannot be driven from here); the bytes on disk are the file's.
    void saveFromCard()
    {
        UiTestApp app;
        QVERIFY(signIn(app));
        const QString source = m_files.filePath(u"report.csv"_s);
        QByteArray bytes;
        for (int i = 0; i < 20000; ++i)
            bytes += QByteArray::number(i) + ",value " + QByteArray::number(i * 7) + '\n';
        QVERIFY(writeFile(source, bytes));
        QVERIFY(app.session()->pendingAttachments()->addUrls({QUrl::fromLocalFile(source)}));
        typeText(app.window(), u"the numbers"_s);
        QTest::keyClick(app.window(), Qt::Key_Return);

        TimelineModel *tl = app.session()->currentRoom()->timeline();
        qint64 fileId = 0;
        QTRY_VERIFY_WITH_TIMEOUT(rowWithText(tl, u"the numbers"_s) >= 0
                && (fileId = attachmentsOf(tl, rowWithText(tl, u"the numbers"_s))
                                 .value(0)
                                 .toMap()
                                 .value(u"fileId"_s)
                                 .toLongLong())
                    > 0,
            15000);
        QQuickItem *row = nullptr;
        QTRY_VERIFY((row = shownStoredRow(app, u"the numbers"_s)));
        QQuickItem *save = childNamed(row, u"saveFileButton"_s);
        QTRY_VERIFY(save && reallyVisible(save));
        click(save);
        QObject *dialog = nullptr;
        QTRY_VERIFY((dialog = app.window()->findChild<QObject *>(u"saveFileDialog"_s))
            && dialog->property("visible").toBool());
        const QUrl suggested = dialog->property("selectedFile").toUrl();
        QCOMPARE(suggested.fileName(), u"report.csv"_s);
        QMetaObject::invokeMethod(dialog, "reject");
        QTRY_VERIFY(!dialog->property("visible").toBool());

        client::FileTransfers *transfers = app.session()->fileTransfers();
        QSignalSpy saved(transfers, &client::FileTransfers::saved);
        const QString target = m_files.filePath(u"saved/report copy.csv"_s);
        QVERIFY(QDir().mkpath(QFileInfo(target).path()));
        transfers->save(fileId, QUrl::fromLocalFile(target));
        QTRY_COMPARE_WITH_TIMEOUT(saved.size(), 1, 15000);
        QCOMPARE(saved.first().value(0).toLongLong(), fileId);
        QCOMPARE(sha256Of(target), QCryptographicHash::hash(bytes, QCryptographicHash::Sha256));
        QQuickItem *label = childNamed(row, u"savedLabel"_s);
        QTRY_VERIFY(label && reallyVisible(label));
        QVERIFY(QQmlProperty::read(label, u"text"_s).toString().contains(u"report copy.csv"_s));
        saveScreenshot(app, u"files-timeline.png"_s);
    }

    void cleanupTestCase() { m_pool.reset(); }

private:
    static bool writeFile(const QString &path, const QByteArray &bytes)
    {
        QFile file(path);
        return file.open(QIODevice::WriteOnly) && file.write(bytes) == bytes.size();
    }

    // One number the server's database holds, read beside the running server.
    int serverCount(const QString &sql)
    {
        const QString connection = u"uifiles-server"_s;
        int count = -1;
        {
            QSqlDatabase db = QSqlDatabase::addDatabase(u"QSQLITE"_s, connection);
            db.setDatabaseName(m_server.databasePath());
            db.setConnectOptions(u"QSQLITE_OPEN_READONLY"_s);
            if (db.open()) {
                QSqlQuery q(db);
                if (q.exec(sql) && q.next())
                    count = q.value(0).toInt();
                db.close();
            }
        }
        QSqlDatabase::removeDatabase(connection);
        return count;
    }

    static void saveScreenshot(UiTestApp &app, const QString &name)
    {
        QDir().mkpath(QStringLiteral(CONFAB_SCREENSHOT_DIR));
        app.window()->grabWindow().save(QDir(QStringLiteral(CONFAB_SCREENSHOT_DIR)).filePath(name));
    }

    bool signIn(UiTestApp &app)
    {
        SignInSteps steps;
        steps.server = m_server.url();
        steps.rooms = 1;
        steps.open = m_room;
        steps.alsoLive = [&] { return app.session()->pendingAttachments()->available(); };
        return signInAndOpen(app, steps);
    }

    TestServer m_server;
    QTemporaryDir m_files;
    std::unique_ptr<ClientPool> m_pool;
    TestClient *m_ben = nullptr;
    qint64 m_room = 0;
};

QTEST_MAIN(TestUiFiles)
#include "tst_uifiles.moc"
