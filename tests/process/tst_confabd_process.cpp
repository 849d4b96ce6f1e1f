// SPDX-License-Identifier: GPL-3.0-or-later
// The real confabd binary, as users run it: start, kill -9, restart, signals, exit codes.
#include "testclient.h"
#include "uploadhelpers.h"

#include <QJsonArray>
#include <QProcess>
#include <QRegularExpression>
#include <QSet>
#include <QSqlDatabase>
#include <QSqlQuery>
#include <QTcpServer>
#include <QTemporaryDir>
#include <QtTest>
#include <csignal>
#include <memory>
#include <sys/stat.h>

using namespace Qt::StringLiterals;
using namespace confab;
using protocol::ErrorCode;
using protocol::ServerFrameType;
namespace req = protocol::requests;

class TestConfabdProcess : public QObject
{
    Q_OBJECT

private:
    QTemporaryDir m_dir;
    QString m_dataDir = m_dir.path();
    std::unique_ptr<QProcess> m_process;
    quint16 m_port = 0;

    bool startServer(const QStringList &extra = {})
    {
        m_process = std::make_unique<QProcess>();
        m_process->setProgram(QStringLiteral(CONFABD_PATH));
        // The default rate limit would refuse most of a burst; this test is about durability.
        m_process->setArguments(
            QStringList {u"--data"_s, m_dataDir, u"--port"_s, QString::number(m_port), u"--set"_s,
                u"rate_per_second=100000"_s, u"--set"_s, u"rate_burst=100000"_s}
            + extra);
        m_process->start();
        if (!m_process->waitForStarted(5000))
            return false;
        // The first stdout line says where it listens.
        static const QRegularExpression line(u"listening on ws://127\\.0\\.0\\.1:(\\d+)"_s);
        QByteArray out;
        const bool ok = test::TestClient::waitUntil(
            [&] {
                out += m_process->readAllStandardOutput();
                return line.match(QString::fromUtf8(out)).hasMatch()
                    || m_process->state() == QProcess::NotRunning;
            },
            10000);
        const auto match = line.match(QString::fromUtf8(out));
        if (!ok || !match.hasMatch()) {
            qWarning() << "confabd did not start:" << out << m_process->readAllStandardError();
            return false;
        }
        m_port = quint16(match.captured(1).toUInt());
        return true;
    }
    QUrl url() const { return QUrl(u"ws://127.0.0.1:%1"_s.arg(m_port)); }

    void kill9()
    {
        ::kill(pid_t(m_process->processId()), SIGKILL);
        QVERIFY(m_process->waitForFinished(5000));
        QCOMPARE(m_process->exitStatus(), QProcess::CrashExit);
    }

    QString integrityCheck()
    {
        QString result;
        {
            auto db = QSqlDatabase::addDatabase(u"QSQLITE"_s, u"integrity"_s);
            db.setDatabaseName(m_dir.filePath(u"confab.sqlite3"_s));
            if (db.open()) {
                QSqlQuery q(db);
                if (q.exec(u"PRAGMA integrity_check"_s) && q.next())
                    result = q.value(0).toString();
            }
        }
        QSqlDatabase::removeDatabase(u"integrity"_s);
        return result;
    }

    static int runConfabd(const QStringList &args, QByteArray *err = nullptr)
    {
        QProcess p;
        p.start(QStringLiteral(CONFABD_PATH), args);
        p.waitForFinished(15000);
        if (err)
            *err = p.readAllStandardError();
        return p.exitStatus() == QProcess::NormalExit ? p.exitCode() : -1;
    }

private Q_SLOTS:
    void cleanup()
    {
        if (m_process && m_process->state() != QProcess::NotRunning) {
            m_process->kill();
            m_process->waitForFinished();
        }
        m_process.reset();
        m_dataDir = m_dir.path();
    }

    void acknowledgedMessagesSurviveKillNine()
    {
        QVERIFY(startServer());
        test::TestClient ana;
        QVERIFY(ana.open(url()));
        QVERIFY(ana.registerUser(u"ana"_s));
        const auto created = ana.request(req::createRoom(u"crash"_s));
        QVERIFY(created && created->type == ServerFrameType::Result);
        const qint64 room
            = qint64(created->data().value("room"_L1).toObject().value("id"_L1).toDouble());
        const QString token = ana.token();

        // Send without waiting for each ack, then kill while acks are still arriving.
        QHash<QString, QJsonObject> acked;
        int sent = 0;
        for (int round = 0; round < 3; ++round) {
            test::TestClient sender;
            QVERIFY(sender.open(url()));
            QVERIFY(sender.authenticate(token));
            for (int i = 0; i < 3000; ++i, ++sent)
                sender.sendRaw(
                    QString::fromUtf8(req::send(room, u"k%1"_s.arg(sent), u"msg %1"_s.arg(sent))
                                          .encode(u"k%1"_s.arg(sent))));
            // Collect acks for a moment, then pull the plug mid-stream.
            test::TestClient::waitUntil([&] { return sender.strayReplies().size() > 50; }, 5000);
            kill9();
            for (const auto &f : sender.strayReplies()) {
                if (f.type == ServerFrameType::Result)
                    acked.insert(f.id.toString(), f.data());
            }
            QCOMPARE(integrityCheck(), u"ok"_s);
            QVERIFY(startServer());
        }
        QVERIFY(acked.size() > 150); // more than 50 per round were acknowledged before each kill

        test::TestClient reader;
        QVERIFY(reader.open(url()));
        QVERIFY(reader.authenticate(token));
        QHash<QString, qint64> stored;
        qint64 after = 0;
        qint64 expectedSeq = 1;
        for (;;) {
            const auto page = reader.request(req::historyAfter(room, after, 200));
            QVERIFY(page && page->type == ServerFrameType::Result);
            const auto events = page->data().value("events"_L1).toArray();
            for (const auto &v : events) {
                const auto o = v.toObject();
                QCOMPARE(
                    qint64(o.value("seq"_L1).toDouble()), expectedSeq++); // gap-free after crashes
                if (o.value("kind"_L1).toString() == "message"_L1) {
                    QVERIFY2(!stored.contains(o.value("txn"_L1).toString()),
                        "a message was stored twice");
                    stored.insert(
                        o.value("txn"_L1).toString(), qint64(o.value("seq"_L1).toDouble()));
                }
            }
            if (!page->data().value("hasMore"_L1).toBool())
                break;
            after = qint64(events.last().toObject().value("seq"_L1).toDouble());
        }
        for (auto it = acked.cbegin(); it != acked.cend(); ++it) {
            QVERIFY2(
                stored.contains(it.key()), qPrintable(u"acknowledged %1 is lost"_s.arg(it.key())));
            QCOMPARE(stored.value(it.key()), qint64(it.value().value("seq"_L1).toDouble()));
        }
        // A resend of an acknowledged transaction returns the original acknowledgement.
        const QString some = acked.cbegin().key();
        const auto resend = reader.request(req::send(room, some, u"again"_s));
        QVERIFY(resend && resend->type == ServerFrameType::Result);
        QCOMPARE(resend->data(), acked.value(some));
        qInfo("sent %d, acknowledged %lld, stored %lld across 3 kills", sent, qint64(acked.size()),
            qint64(stored.size()));
    }

    void uploadResumesAfterKillNine()
    {
        QVERIFY(startServer());
        test::TestClient ana;
        QVERIFY(ana.open(url()));
        QVERIFY(ana.registerUser(u"uploader"_s));
        const QString token = ana.token();
        const QByteArray bytes = test::randomBytes(6 * 1024 * 1024 + 777);
        const qint64 upload
            = test::beginUpload(&ana, u"crash.bin"_s, bytes.size(), test::sha256Hex(bytes));
        QVERIFY(upload > 0);
        // One full batch acknowledged, then more in flight when the process dies.
        test::sendChunks(&ana, upload, bytes.left(5 * 1024 * 1024), 0, 256 * 1024);
        QVERIFY(test::waitUploaded(&ana, upload, 4 * 1024 * 1024));
        qint64 acked = 0;
        for (const auto &f : ana.pushes()) {
            if (const auto u = f.uploaded())
                acked = std::max(acked, u->offset);
        }
        kill9();
        QCOMPARE(integrityCheck(), u"ok"_s);

        QVERIFY(startServer());
        test::TestClient again;
        QVERIFY(again.open(url()));
        QVERIFY(again.authenticate(token));
        const auto status = again.request(req::uploadStatus(upload));
        QVERIFY(status && status->type == ServerFrameType::Result);
        const qint64 offset = qint64(status->data().value("offset"_L1).toDouble());
        // Nothing acknowledged is lost, and nothing past the durable offset is kept.
        QVERIFY2(offset >= acked && offset <= 5 * 1024 * 1024,
            qPrintable(u"%1 of %2 acknowledged"_s.arg(offset).arg(acked)));
        QCOMPARE(QFileInfo(m_dir.filePath(u"files/tmp/%1"_s.arg(upload))).size(), offset);
        test::sendChunks(&again, upload, bytes, offset, 256 * 1024);
        QVERIFY(test::waitUploaded(&again, upload, bytes.size()));
        const auto file = test::finishUpload(&again, upload);
        QVERIFY(file);
        QCOMPARE(file->sha256, test::sha256Hex(bytes));
        QFile blob(m_dir.filePath(u"files/%1/%2"_s.arg(file->sha256.left(2), file->sha256.mid(2))));
        QVERIFY(blob.open(QIODevice::ReadOnly));
        QVERIFY(blob.readAll() == bytes);

        // Attached once, whatever the resend; one blob row.
        const auto created = again.request(req::createRoom(u"files"_s));
        QVERIFY(created && created->type == ServerFrameType::Result);
        const qint64 room
            = qint64(created->data().value("room"_L1).toObject().value("id"_L1).toDouble());
        const auto first = again.request(req::send(room, u"f:1"_s, {}, 0, {file->id}));
        QVERIFY(first && first->type == ServerFrameType::Result);
        kill9();
        QVERIFY(startServer());
        test::TestClient third;
        QVERIFY(third.open(url()));
        QVERIFY(third.authenticate(token));
        const auto resend = third.request(req::send(room, u"f:1"_s, {}, 0, {file->id}));
        QVERIFY(resend && resend->type == ServerFrameType::Result);
        QCOMPARE(resend->data(), first->data());
        const auto history = third.request(req::historyBefore(room, 1000, 200));
        QVERIFY(history && history->type == ServerFrameType::Result);
        int withFile = 0;
        for (const auto &v : history->data().value("events"_L1).toArray()) {
            const auto files = v.toObject().value("attachments"_L1).toArray();
            if (!files.isEmpty()) {
                ++withFile;
                QCOMPARE(files.first().toObject().value("sha256"_L1).toString(), file->sha256);
            }
        }
        QCOMPARE(withFile, 1);
        m_process->terminate();
        QVERIFY(m_process->waitForFinished(10000));
        {
            auto peek = QSqlDatabase::addDatabase(u"QSQLITE"_s, u"blobs"_s);
            peek.setDatabaseName(m_dir.filePath(u"confab.sqlite3"_s));
            QVERIFY(peek.open());
            QSqlQuery q(peek);
            QVERIFY(q.exec(u"SELECT count(*) FROM blobs"_s) && q.next());
            QCOMPARE(q.value(0).toInt(), 1);
        }
        QSqlDatabase::removeDatabase(u"blobs"_s);
    }

    void sigtermShutsDownCleanly()
    {
        QVERIFY(startServer());
        test::TestClient c;
        QVERIFY(c.open(url()));
        QVERIFY(c.registerUser(u"term"_s));
        ::kill(pid_t(m_process->processId()), SIGTERM);
        QVERIFY(test::TestClient::waitUntil([&] { return c.closeCode() >= 0; }, 5000));
        QCOMPARE(c.closeCode(), 1001);
        QVERIFY(m_process->waitForFinished(5000));
        QCOMPARE(m_process->exitStatus(), QProcess::NormalExit);
        QCOMPARE(m_process->exitCode(), 0);
    }

    void sigtermAnswersEveryRequestItReads()
    {
        QVERIFY(startServer());
        test::TestClient c;
        QVERIFY(c.open(url()));
        QVERIFY(c.registerUser(u"burst"_s));
        const QString token = c.token();
        const auto created = c.request(req::createRoom(u"burst"_s));
        QVERIFY(created && created->type == ServerFrameType::Result);
        const qint64 room
            = qint64(created->data().value("room"_L1).toObject().value("id"_L1).toDouble());

        constexpr int Sent = 400;
        for (int i = 0; i < Sent; ++i) {
            const auto r = i % 4 == 3 ? req::ping() : req::send(room, u"g%1"_s.arg(i), u"m"_s);
            c.sendRaw(QString::fromUtf8(r.encode(u"g%1"_s.arg(i))));
        }
        QVERIFY(c.socket().flush());
        // At once, so that most of the burst is still on its way; but wherever the server is
        // in it when the signal lands, the checks below hold.
        ::kill(pid_t(m_process->processId()), SIGTERM);
        QVERIFY(test::TestClient::waitUntil([&] { return c.closeCode() >= 0; }, 10000));
        QCOMPARE(c.closeCode(), 1001);
        QVERIFY(m_process->waitForFinished(10000));
        QCOMPARE(m_process->exitCode(), 0);

        // The server reads requests in order and answers each one it reads before its close
        // frame: the answered ids are g0 … g(n-1), each once, and every later one was unread.
        QSet<QString> acked;
        QSet<QString> answered;
        int refused = 0;
        for (const auto &f : c.strayReplies()) {
            const QString id = f.id.toString();
            QVERIFY2(!answered.contains(id), qPrintable(u"%1 answered twice"_s.arg(id)));
            answered.insert(id);
            if (f.type == ServerFrameType::Result) {
                if (f.data().contains("seq"_L1))
                    acked.insert(id);
                continue;
            }
            QCOMPARE(f.error, ErrorCode::ShuttingDown);
            ++refused;
        }
        for (int i = 0; i < answered.size(); ++i)
            QVERIFY2(answered.contains(u"g%1"_s.arg(i)),
                qPrintable(u"g%1 unanswered, but a later request was answered"_s.arg(i)));
        qInfo("sent %d: %lld answered (%d shutting_down), %lld unread", Sent,
            qint64(answered.size()), refused, qint64(Sent - answered.size()));

        // Exactly the acknowledged messages exist: shutting_down and unread mean not done.
        QVERIFY(startServer());
        test::TestClient reader;
        QVERIFY(reader.open(url()));
        QVERIFY(reader.authenticate(token));
        QSet<QString> stored;
        for (qint64 after = 0;;) {
            const auto page = reader.request(req::historyAfter(room, after, 200));
            QVERIFY(page && page->type == ServerFrameType::Result);
            const auto events = page->data().value("events"_L1).toArray();
            for (const auto &v : events) {
                if (v.toObject().value("kind"_L1).toString() == "message"_L1)
                    stored.insert(v.toObject().value("txn"_L1).toString());
            }
            if (!page->data().value("hasMore"_L1).toBool() || events.isEmpty())
                break;
            after = qint64(events.last().toObject().value("seq"_L1).toDouble());
        }
        QCOMPARE(stored, acked);
    }

    // What the server stores (messages, password hashes) is readable by its user only, even
    // when it runs under the common umask 022 that would make new files world-readable.
    void dataFilesArePrivateWhateverTheUmask()
    {
        m_dataDir = m_dir.filePath(u"fresh/data"_s);
        const mode_t previous = ::umask(022);
        const bool started = startServer(); // the child inherits the umask
        ::umask(previous);
        QVERIFY(started);
        test::TestClient ana;
        QVERIFY(ana.open(url()));
        QVERIFY(ana.registerUser(u"ana"_s)); // a committed write: SQLite has made -wal and -shm
        const auto mode = [](const QString &path) {
            struct stat st
            {
            };
            return ::stat(QFile::encodeName(path).constData(), &st) == 0 ? st.st_mode & 07777
                                                                         : 0xffffu;
        };
        QCOMPARE(mode(m_dataDir), 0700u);
        const QString db = m_dataDir + u"/confab.sqlite3"_s;
        for (const QString &suffix : {u""_s, u"-wal"_s, u"-shm"_s})
            QCOMPARE(mode(db + suffix), 0600u);
    }

    void clearExitCodes()
    {
        QByteArray err;
        QTcpServer busy;
        QVERIFY(busy.listen(QHostAddress::LocalHost));
        QCOMPARE(
            runConfabd(
                {u"--data"_s, m_dir.path(), u"--port"_s, QString::number(busy.serverPort())}, &err),
            3);
        QVERIFY(err.contains("cannot listen"));
        QCOMPARE(runConfabd({u"--data"_s, m_dir.path(), u"--set"_s, u"no_such_key=1"_s}, &err), 2);
        QVERIFY(err.contains("unknown setting"));
        // The file limits are range checked like the others, and against each other.
        QCOMPARE(
            runConfabd({u"--data"_s, m_dir.path(), u"--set"_s, u"max_chunk_bytes=4095"_s}, &err),
            2);
        QVERIFY(err.contains("max_chunk_bytes"));
        QCOMPARE(
            runConfabd({u"--data"_s, m_dir.path(), u"--set"_s, u"upload_expiry_hours=0"_s}, &err),
            2);
        QVERIFY(err.contains("upload_expiry_hours"));
        QCOMPARE(runConfabd({u"--data"_s, m_dir.path(), u"--set"_s, u"max_chunk_bytes=1048576"_s,
                                u"--set"_s, u"download_window_bytes=524288"_s},
                     &err),
            2);
        QVERIFY(err.contains("download_window_bytes must be at least max_chunk_bytes"));
        QCOMPARE(runConfabd({u"--registration"_s, u"sometimes"_s}, &err), 2);
        QTemporaryDir bad;
        QFile garbage(bad.filePath(u"confab.sqlite3"_s));
        QVERIFY(garbage.open(QIODevice::WriteOnly));
        garbage.write(QByteArray(8192, 'x'));
        garbage.close();
        QCOMPARE(runConfabd({u"--data"_s, bad.path(), u"--port"_s, u"0"_s}, &err), 4);
        QVERIFY(!err.isEmpty());
    }
};

QTEST_GUILESS_MAIN(TestConfabdProcess)
#include "tst_confabd_process.moc"
