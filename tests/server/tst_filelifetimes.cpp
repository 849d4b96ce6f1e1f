// SPDX-License-Identifier: GPL-3.0-or-later
// How long files live (protocol §16.6) through real sockets on 127.0.0.1: the collector
// deletes files no message has had for a day and the blobs nothing uses, and the operator's
// `confabd files` lists, sums and removes them.
#include "admin/admincommands.h"
#include "chat/chatservice.h"
#include "chat/filecollector.h"
#include "clientpool.h"
#include "protocol/results.h"
#include "storage/blobstore.h"
#include "testclient.h"
#include "testserver.h"
#include "uploadhelpers.h"

#include <QDateTime>
#include <QSignalSpy>
#include <QtTest>
#include <memory>

using namespace Qt::StringLiterals;
using namespace confab;
using protocol::ErrorCode;
using protocol::ServerFrameType;
namespace req = protocol::requests;

namespace {
constexpr qint64 HourMs = 60 * 60 * 1000;
} // namespace

class TestFileLifetimes : public QObject
{
    Q_OBJECT

private:
    std::unique_ptr<test::TestServer> m_server;
    test::ClientPool m_clients {[this] { return m_server->url(); }};
    int m_txn = 0;

    qint64 post(test::TestClient *c, qint64 room, const QList<qint64> &files)
    {
        const auto r
            = c->request(req::send(room, u"t%1"_s.arg(++m_txn), u"see attached"_s, 0, files));
        return r && r->type == ServerFrameType::Result
            ? qint64(r->data().value("seq"_L1).toDouble())
            : 0;
    }

    static bool readable(test::TestClient *c, qint64 file)
    {
        const auto r = c->request(req::download(file, 0, 1));
        return r && r->type == ServerFrameType::Result;
    }

    bool onDisk(const QString &sha256) const
    {
        return server::BlobStore(m_server->config().filesPath()).contains(sha256);
    }

    // Runs one collector sweep as if the clock said \a nowMs; the files it deleted.
    int collectAt(qint64 nowMs)
    {
        server::FileCollector *collector = m_server->server()->service()->fileCollector();
        QSignalSpy spy(collector, &server::FileCollector::collected);
        collector->collect(nowMs);
        if (!spy.wait(5000))
            return -1;
        return spy.first().first().toInt();
    }

    int admin(const QStringList &args, QString *output = nullptr)
    {
        QString in;
        QString out;
        QString err;
        QTextStream inStream(&in);
        QTextStream outStream(&out);
        QTextStream errStream(&err);
        const int code
            = server::admin::run(m_server->config(), args, inStream, outStream, errStream);
        if (output)
            *output = out + err;
        return code;
    }

private Q_SLOTS:
    void init()
    {
        m_server = std::make_unique<test::TestServer>();
        m_server->config().limits.ratePerSecond = 10'000;
        m_server->config().limits.rateBurst = 10'000;
        QVERIFY(m_server->start());
    }
    void cleanup()
    {
        m_clients.clear();
        m_server.reset();
    }

    void unreferencedFilesGoAfterADay()
    {
        auto *ana = m_clients.registered(u"ana"_s);
        QVERIFY(ana);
        const qint64 room = test::createRoom(ana, u"general"_s);
        const auto draft = test::uploadFile(ana, u"draft.bin"_s, test::randomBytes(10'000));
        const auto posted = test::uploadFile(ana, u"posted.bin"_s, test::randomBytes(20'000));
        QVERIFY(draft && posted);
        const qint64 message = post(ana, room, {posted->id});
        QVERIFY(message > 0);
        const qint64 now = QDateTime::currentMSecsSinceEpoch();

        // Within the day: nothing goes.
        QCOMPARE(collectAt(now + 23 * HourMs), 0);
        QVERIFY(readable(ana, draft->id));
        // A day on: the file no message has is gone, rows and bytes; the posted one stays.
        QCOMPARE(collectAt(now + 25 * HourMs), 1);
        QVERIFY(!readable(ana, draft->id));
        QVERIFY(!onDisk(draft->sha256));
        QVERIFY(readable(ana, posted->id));
        QVERIFY(onDisk(posted->sha256));

        // Its message redacted, the posted one has a day from then.
        const auto redacted = ana->request(req::redact(room, message));
        QVERIFY(redacted && redacted->type == ServerFrameType::Result);
        const qint64 redactedAt = QDateTime::currentMSecsSinceEpoch();
        QCOMPARE(collectAt(redactedAt + 23 * HourMs), 0);
        QVERIFY(readable(ana, posted->id));
        QCOMPARE(collectAt(redactedAt + 25 * HourMs), 1);
        QVERIFY(!readable(ana, posted->id));
        QVERIFY(!onDisk(posted->sha256));
    }

    void sharedBlobsStayWhileAFileUsesThem()
    {
        auto *ana = m_clients.registered(u"ana"_s);
        auto *bob = m_clients.registered(u"bob"_s);
        QVERIFY(ana && bob);
        const qint64 room = test::createRoom(ana, u"general"_s);
        const QByteArray bytes = test::randomBytes(30'000);
        // The same bytes twice: two files, one blob (§16.5).
        const auto kept = test::uploadFile(ana, u"kept.bin"_s, bytes);
        const auto dropped = test::uploadFile(bob, u"copy.bin"_s, bytes);
        QVERIFY(kept && dropped);
        QCOMPARE(kept->sha256, dropped->sha256);
        QVERIFY(post(ana, room, {kept->id}) > 0);
        QCOMPARE(collectAt(QDateTime::currentMSecsSinceEpoch() + 25 * HourMs), 1);
        QVERIFY(!readable(bob, dropped->id));
        QVERIFY(readable(ana, kept->id));
        QVERIFY(onDisk(kept->sha256));
    }

    void operatorListsSumsAndRemoves()
    {
        auto *ana = m_clients.registered(u"ana"_s);
        auto *bob = m_clients.registered(u"bob"_s);
        QVERIFY(ana && bob);
        const qint64 room = test::createRoom(ana, u"general"_s);
        QVERIFY(bob->request(req::join(room)));
        const auto big = test::uploadFile(ana, u"big.bin"_s, test::randomBytes(200'000));
        const auto note = test::uploadFile(ana, u"note.txt"_s, "see the big one\n");
        const auto small = test::uploadFile(bob, u"small.txt"_s, "hello\n");
        QVERIFY(big && note && small);
        const qint64 message = post(ana, room, {big->id, note->id});
        QVERIFY(message > 0);
        QVERIFY(post(bob, room, {small->id}) > 0);

        QString out;
        QCOMPARE(admin({u"files"_s, u"list"_s}, &out), 0);
        QVERIFY2(out.contains(u"%1\t200000\t"_s.arg(big->id)), qPrintable(out));
        QVERIFY2(out.contains(u"big.bin"_s) && out.contains(u"small.txt"_s), qPrintable(out));
        QCOMPARE(admin({u"files"_s, u"list"_s, u"--min-size"_s, u"1000"_s}, &out), 0);
        QVERIFY(out.contains(u"big.bin"_s) && !out.contains(u"small.txt"_s));
        QCOMPARE(admin({u"files"_s, u"list"_s, u"--user"_s, u"bob"_s}, &out), 0);
        QVERIFY(!out.contains(u"big.bin"_s) && out.contains(u"small.txt"_s));
        QCOMPARE(admin({u"files"_s, u"list"_s, u"--user"_s, u"nobody"_s}, &out), 1);
        QCOMPARE(admin({u"files"_s, u"usage"_s}, &out), 0);
        QVERIFY2(out.contains(u"ana\t2\t200016\t0\t0\t200016"_s), qPrintable(out));
        QVERIFY2(out.contains(u"bob\t1\t6\t0\t0\t6"_s), qPrintable(out));

        QVERIFY(readable(bob, big->id));
        QCOMPARE(admin({u"files"_s, u"remove"_s, QString::number(big->id)}, &out), 0);
        QCOMPARE(admin({u"files"_s, u"remove"_s, QString::number(big->id)}, &out), 1);
        QCOMPARE(admin({u"files"_s, u"remove"_s, u"x"_s}, &out), 2);
        // Gone for everyone, its uploader included, and from the disk.
        QVERIFY(!readable(bob, big->id));
        QVERIFY(!readable(ana, big->id));
        QVERIFY(!onDisk(big->sha256));
        // The message keeps its text and its other file.
        const auto page = bob->request(req::historyBefore(room, 1'000'000, 50));
        QVERIFY(page && page->type == ServerFrameType::Result);
        const auto history = protocol::HistoryPage::fromJson(page->data());
        QVERIFY(history);
        bool found = false;
        for (const protocol::RoomEvent &e : history->events) {
            if (e.seq != message)
                continue;
            found = true;
            QCOMPARE(e.text, u"see attached"_s);
            QCOMPARE(e.attachments.size(), 1);
            QCOMPARE(e.attachments.first().id, note->id);
        }
        QVERIFY(found);
        QVERIFY(readable(bob, note->id));
    }

    void blobFilesNoRowNamesAreRemovedOnceOld()
    {
        auto *ana = m_clients.registered(u"ana"_s);
        QVERIFY(ana);
        const auto kept = test::uploadFile(ana, u"kept.bin"_s, test::randomBytes(10'000));
        QVERIFY(kept);
        // What a crash between linking a blob and committing its row leaves: a blob file
        // no row names. One old, one fresh (it may be an upload finishing right now).
        const server::BlobStore store(m_server->config().filesPath());
        const auto plant = [&](const QByteArray &bytes, qint64 ageMs) {
            const QString sha = test::sha256Hex(bytes);
            QDir().mkpath(QFileInfo(store.blobPath(sha)).path());
            QFile file(store.blobPath(sha));
            if (!file.open(QIODevice::WriteOnly) || file.write(bytes) != bytes.size()
                || !file.flush()) // a write after the time is set would set it again
                return QString();
            file.setFileTime(
                QDateTime::currentDateTime().addMSecs(-ageMs), QFileDevice::FileModificationTime);
            return sha;
        };
        const QString old = plant("left behind by a crash", 2 * HourMs);
        const QString fresh = plant("an upload finishing now", 0);
        QVERIFY(!old.isEmpty() && !fresh.isEmpty());
        // The uploaded file's blob is older than the cut-off too, but it has a row.
        QFile keptFile(store.blobPath(kept->sha256));
        QVERIFY(keptFile.open(QIODevice::ReadOnly));
        QVERIFY(keptFile.setFileTime(
            QDateTime::currentDateTime().addMSecs(-2 * HourMs), QFileDevice::FileModificationTime));
        keptFile.close();

        server::FileCollector *collector = m_server->server()->service()->fileCollector();
        QSignalSpy swept(collector, &server::FileCollector::diskSwept);
        collector->sweepDisk(QDateTime::currentMSecsSinceEpoch());
        QVERIFY(swept.wait(5000));
        QCOMPARE(swept.first().first().toInt(), 1);
        QVERIFY(!onDisk(old));
        QVERIFY(onDisk(fresh));
        QVERIFY(onDisk(kept->sha256));
        QVERIFY(readable(ana, kept->id));
    }
};

CONFAB_SERVER_TEST_MAIN(TestFileLifetimes)
#include "tst_filelifetimes.moc"
