// SPDX-License-Identifier: GPL-3.0-or-later
// Files end to end: the app against the real server library on 127.0.0.1. An upload
// survives a server restart and an app restart; the message goes out once with one file;
// the file comes back byte for byte through a save.
#include "files/filetransfers.h"
#include "files/pendingattachments.h"
#include "sessionfixture.h"
#include "testserver.h"
#include "uploadhelpers.h"

#include <QCryptographicHash>
#include <QSignalSpy>
#include <QSqlDatabase>
#include <QSqlQuery>

using namespace Qt::StringLiterals;
using namespace confab;
using test::App;

namespace {

bool signedIn(App &app, const QString &server, const QString &user, bool create)
{
    if (create)
        app->account()->createAccount(server, user, test::Password, {}, false);
    else
        app->account()->signIn(server, user, test::Password, false);
    return test::TestClient::waitUntil(
               [&] { return app->connectionState() == client::ConnectionState::Live; }, 15000)
        && app->account()->status() == client::Account::SignedIn;
}

qint64 serverCount(const QString &databasePath, const QString &sql)
{
    const QString name = u"tst_sessionfiles_%1"_s.arg(quintptr(&sql));
    qint64 count = -1;
    {
        QSqlDatabase db = QSqlDatabase::addDatabase(u"QSQLITE"_s, name);
        db.setDatabaseName(databasePath);
        if (db.open()) {
            QSqlQuery q(db);
            if (q.exec(sql) && q.next())
                count = q.value(0).toLongLong();
        }
    }
    QSqlDatabase::removeDatabase(name);
    return count;
}

QVariant lastRow(const client::TimelineModel *tl, int role)
{
    return tl->data(tl->index(tl->rowCount() - 1), role);
}

} // namespace

class TestSessionFiles : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void uploadSurvivesServerAndAppRestartsAndComesBack()
    {
        test::TestServer server;
        QVERIFY(server.start());
        const QString url = server.url().toString();
        const QByteArray bytes = test::randomBytes(24 * 1024 * 1024 + 321);
        QTemporaryDir files;
        const QString source = files.filePath(u"big.bin"_s);
        {
            QFile f(source);
            QVERIFY(f.open(QIODevice::WriteOnly));
            QCOMPARE(f.write(bytes), bytes.size());
        }
        QTemporaryDir shared;
        {
            App ana({}, shared.path());
            QVERIFY(signedIn(ana, url, u"ana"_s, true));
            ana->roomActions()->createRoom(u"general"_s, {});
            QVERIFY(test::TestClient::waitUntil(
                [&] { return ana->currentRoom()->roomId() != 0; }, 10000));
            client::PendingAttachments *pending = ana->pendingAttachments();
            QVERIFY(pending->available());
            QVERIFY(pending->addUrls({QUrl::fromLocalFile(source)}));
            ana->currentRoom()->sendMessage(u"the big one"_s);
            client::TimelineModel *tl = ana->currentRoom()->timeline();
            // Some bytes are durable: the server restarts under the upload.
            QVERIFY(test::TestClient::waitUntil(
                [&] {
                    return lastRow(tl, client::TimelineModel::UploadProgressRole).toDouble() > 0;
                },
                15000));
            server.stop();
            QVERIFY(server.start());
            QVERIFY(test::TestClient::waitUntil(
                [&] { return ana->connectionState() == client::ConnectionState::Live; }, 15000));
            // ... and the app closes while it goes on (or just after it ended).
        }
        App again({}, shared.path());
        QVERIFY(signedIn(again, url, u"ana"_s, false));
        auto *raw = new test::TestClient;
        std::unique_ptr<test::TestClient> owner(raw);
        QVERIFY(raw->open(server.url()));
        QVERIFY(raw->login(u"ana"_s));
        const qint64 room = again->rooms()->rowCount() > 0
            ? again->rooms()
                  ->data(again->rooms()->index(0), client::RoomListModel::RoomIdRole)
                  .toLongLong()
            : 0;
        QVERIFY(room > 0);
        QVERIFY(test::TestClient::waitUntil(
            [&] {
                const auto log = test::serverLog(raw, room);
                return std::any_of(log.cbegin(), log.cend(),
                    [](const protocol::RoomEvent &e) { return e.text == u"the big one"_s; });
            },
            30000));
        // Exactly one message, with one file whose bytes are the source's.
        const auto log = test::serverLog(raw, room);
        QList<protocol::RoomEvent> sent;
        for (const auto &e : log) {
            if (e.text == u"the big one"_s)
                sent.append(e);
        }
        QCOMPARE(sent.size(), 1);
        QCOMPARE(sent.first().attachments.size(), 1);
        const protocol::FileInfo file = sent.first().attachments.first();
        QCOMPARE(file.sha256, test::sha256Hex(bytes));
        QCOMPARE(file.size, bytes.size());
        QCOMPARE(serverCount(server.databasePath(), u"SELECT count(*) FROM files"_s), 1);
        QCOMPARE(serverCount(server.databasePath(), u"SELECT count(*) FROM blobs"_s), 1);
        QCOMPARE(serverCount(server.databasePath(),
                     u"SELECT count(*) FROM uploads WHERE file_id IS NULL"_s),
            0);

        // Saved through the app: the same bytes come back.
        again->currentRoom()->select(room);
        client::FileTransfers *transfers = again->fileTransfers();
        QSignalSpy saved(transfers, &client::FileTransfers::saved);
        const QString destination = files.filePath(u"copy.bin"_s);
        transfers->save(file.id, QUrl::fromLocalFile(destination));
        QVERIFY(saved.wait(30000));
        QFile copy(destination);
        QVERIFY(copy.open(QIODevice::ReadOnly));
        QVERIFY(copy.readAll() == bytes);
        const auto [progress, path] = transfers->status(file.id);
        QCOMPARE(progress, -1.0);
        QCOMPARE(path, destination);
    }

    // Not a check but a measurement (docs/client.md): CONFAB_MEASURE_FILES=<MiB> runs a
    // file of that size up and down through the app over loopback and prints the rates
    // and the longest the GUI thread's event loop went without turning. The in-process
    // server shares that thread; CONFAB_MEASURE_URL=ws://... measures against a confabd
    // of its own instead.
    void measureLoopbackThroughput()
    {
        const int mib = qEnvironmentVariableIntValue("CONFAB_MEASURE_FILES");
        if (mib <= 0)
            QSKIP("set CONFAB_MEASURE_FILES=<MiB> to measure");
        test::TestServer server;
        server.config().limits.maxFileBytes = qint64(mib + 1) * 1024 * 1024;
        QString url = qEnvironmentVariable("CONFAB_MEASURE_URL");
        if (url.isEmpty()) {
            QVERIFY(server.start());
            url = server.url().toString();
        }
        const QByteArray bytes = test::randomBytes(qsizetype(mib) * 1024 * 1024);
        QTemporaryDir files;
        const QString source = files.filePath(u"big.bin"_s);
        {
            QFile f(source);
            QVERIFY(f.open(QIODevice::WriteOnly));
            QCOMPARE(f.write(bytes), bytes.size());
        }
        App ana;
        const QString user = u"m%1"_s.arg(QDateTime::currentMSecsSinceEpoch() % 100000000);
        QVERIFY(signedIn(ana, url, user, true));
        ana->roomActions()->createRoom(user, {});
        QVERIFY(
            test::TestClient::waitUntil([&] { return ana->currentRoom()->roomId() != 0; }, 10000));
        // The event loop's longest pause while files move: a 5 ms timer's worst gap.
        QElapsedTimer loop;
        qint64 worstGapMs = 0;
        QTimer tick;
        tick.setInterval(5);
        QObject::connect(
            &tick, &QTimer::timeout, [&] { worstGapMs = std::max(worstGapMs, loop.restart()); });
        QVERIFY(ana->pendingAttachments()->addUrls({QUrl::fromLocalFile(source)}));
        client::TimelineModel *tl = ana->currentRoom()->timeline();
        QElapsedTimer clock;
        clock.start();
        loop.start();
        tick.start();
        ana->currentRoom()->sendMessage(u"measure"_s);
        QVERIFY(test::TestClient::waitUntil(
            [&] {
                return lastRow(tl, client::TimelineModel::DeliveryRole).toInt()
                    == int(client::TimelineModel::Sent);
            },
            300000));
        const qint64 upMs = clock.elapsed();
        const qint64 upGap = std::exchange(worstGapMs, 0);
        // The message's own event brings the file's id.
        qint64 fileId = 0;
        QVERIFY(test::TestClient::waitUntil(
            [&] {
                fileId = lastRow(tl, client::TimelineModel::AttachmentsRole)
                             .toList()
                             .value(0)
                             .toMap()
                             .value(u"fileId"_s)
                             .toLongLong();
                return fileId > 0;
            },
            10000));
        QSignalSpy saved(ana->fileTransfers(), &client::FileTransfers::saved);
        clock.restart();
        ana->fileTransfers()->save(fileId, QUrl::fromLocalFile(files.filePath(u"copy.bin"_s)));
        QVERIFY(saved.wait(300000));
        const qint64 downMs = clock.elapsed();
        tick.stop();
        const double mb = double(bytes.size()) / 1e6;
        qInfo("%d MiB: upload (hash, chunks, finish, send) %lld ms = %.0f MB/s, worst event "
              "loop gap %lld ms; save %lld ms = %.0f MB/s, worst gap %lld ms",
            mib, upMs, mb * 1000 / double(upMs), upGap, downMs, mb * 1000 / double(downMs),
            worstGapMs);
    }
};

QTEST_MAIN(TestSessionFiles)
#include "tst_sessionfiles.moc"
