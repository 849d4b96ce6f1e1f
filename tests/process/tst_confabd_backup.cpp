// SPDX-License-Identifier: GPL-3.0-or-later
// Backup, restore, check and the data folder lock, through the real confabd binary: a backup
// taken while a client sends over a real socket holds every message acknowledged before it
// began and the uploaded file; restored into a new folder, a server serves them; a second
// server on one folder is refused naming the first; check finds a missing blob; timed
// backups keep the newest N.
#include "confabdcommand.h"
#include "testclient.h"
#include "uploadhelpers.h"

#include <QDateTime>
#include <QDir>
#include <QJsonArray>
#include <QProcess>
#include <QRegularExpression>
#include <QSet>
#include <QSqlDatabase>
#include <QSqlQuery>
#include <QSysInfo>
#include <QTemporaryDir>
#include <QtTest>
#include <csignal>
#include <memory>
#include <sys/stat.h>

using namespace Qt::StringLiterals;
using namespace confab;
using protocol::ServerFrameType;
namespace req = protocol::requests;

namespace {

using Result = test::CommandResult;
using test::confabd;

uint mode(const QString &path)
{
    struct stat st
    {
    };
    return ::stat(QFile::encodeName(path).constData(), &st) == 0 ? st.st_mode & 07777 : 0xffffu;
}

QString blobPath(const QString &root, const QString &sha)
{
    return root + u'/' + sha.left(2) + u'/' + sha.mid(2);
}

class Server
{
public:
    explicit Server(const QString &dataDir, const QStringList &extra = {})
    {
        m_process.setProgram(QStringLiteral(CONFABD_PATH));
        m_process.setArguments(QStringList {u"--data"_s, dataDir, u"--port"_s, u"0"_s, u"--set"_s,
                                   u"rate_per_second=100000"_s, u"--set"_s, u"rate_burst=100000"_s}
            + extra);
    }
    ~Server()
    {
        if (m_process.state() != QProcess::NotRunning) {
            m_process.kill();
            m_process.waitForFinished();
        }
    }
    Server(const Server &) = delete;
    Server &operator=(const Server &) = delete;

    bool start()
    {
        m_process.start();
        if (!m_process.waitForStarted(5000))
            return false;
        static const QRegularExpression line(u"listening on ws://127\\.0\\.0\\.1:(\\d+)"_s);
        QByteArray out;
        test::TestClient::waitUntil(
            [&] {
                out += m_process.readAllStandardOutput();
                return line.match(QString::fromUtf8(out)).hasMatch()
                    || m_process.state() == QProcess::NotRunning;
            },
            15000);
        const auto match = line.match(QString::fromUtf8(out));
        if (!match.hasMatch()) {
            qWarning() << "confabd did not start:" << out << m_process.readAllStandardError();
            return false;
        }
        m_url = QUrl(u"ws://127.0.0.1:%1"_s.arg(match.captured(1)));
        return true;
    }
    QUrl url() const { return m_url; }
    QProcess &process() { return m_process; }

private:
    QProcess m_process;
    QUrl m_url;
};

// The frozen version-4 database (tests/server/fixtures/v4.sql) at \a path, and its version.
int writeVersion4(const QString &path)
{
    QFile file(QStringLiteral(CONFAB_FIXTURES) + u"/v4.sql"_s);
    if (!file.open(QIODevice::ReadOnly))
        return -1;
    int version = -1;
    {
        auto db = QSqlDatabase::addDatabase(u"QSQLITE"_s, u"fixture"_s);
        db.setDatabaseName(path);
        QString statement;
        bool ok = db.open();
        for (const QString &line : QString::fromUtf8(file.readAll()).split(u'\n')) {
            if (line.trimmed().startsWith("--"_L1))
                continue;
            statement += line + u'\n';
            if (ok && line.trimmed().endsWith(u';')) {
                ok = QSqlQuery(db).exec(statement);
                statement.clear();
            }
        }
        QSqlQuery q(db);
        if (ok && q.exec(u"PRAGMA user_version"_s) && q.next())
            version = q.value(0).toInt();
    }
    QSqlDatabase::removeDatabase(u"fixture"_s);
    return version;
}

class TestConfabdBackup : public QObject
{
    Q_OBJECT

    QTemporaryDir m_dir;

    QString path(const QString &name) const { return m_dir.filePath(name); }

    // Every message txn in \a room, read through history pages.
    static QSet<QString> storedTxns(test::TestClient &c, qint64 room)
    {
        QSet<QString> stored;
        qint64 after = 0;
        for (;;) {
            const auto page = c.request(req::historyAfter(room, after, 200));
            if (!page || page->type != ServerFrameType::Result)
                return {u"history failed"_s};
            const auto events = page->data().value("events"_L1).toArray();
            for (const auto &v : events) {
                if (v.toObject().value("kind"_L1).toString() == "message"_L1)
                    stored.insert(v.toObject().value("txn"_L1).toString());
            }
            if (!page->data().value("hasMore"_L1).toBool() || events.isEmpty())
                return stored;
            after = qint64(events.last().toObject().value("seq"_L1).toDouble());
        }
    }

private Q_SLOTS:
    void backupWhileSendingThenRestoreAndServe()
    {
        const QString live = path(u"live"_s);
        Server server(live);
        QVERIFY(server.start());
        test::TestClient ana;
        QVERIFY(ana.open(server.url()));
        QVERIFY(ana.registerUser(u"ana"_s));
        const QString token = ana.token();
        const auto created = ana.request(req::createRoom(u"backed-up"_s));
        QVERIFY(created && created->type == ServerFrameType::Result);
        const qint64 room
            = qint64(created->data().value("room"_L1).toObject().value("id"_L1).toDouble());

        const QByteArray bytes = test::randomBytes(300 * 1024 + 17);
        const qint64 upload
            = test::beginUpload(&ana, u"photo.bin"_s, bytes.size(), test::sha256Hex(bytes));
        QVERIFY(upload > 0);
        test::sendChunks(&ana, upload, bytes, 0, 64 * 1024);
        QVERIFY(test::waitUploaded(&ana, upload, bytes.size()));
        const auto file = test::finishUpload(&ana, upload);
        QVERIFY(file);
        const auto attached = ana.request(req::send(room, u"with-file"_s, u"see"_s, 0, {file->id}));
        QVERIFY(attached && attached->type == ServerFrameType::Result);

        // A sender keeps writing while the backup runs; what was acknowledged before the
        // backup started must be in it.
        test::TestClient sender;
        QVERIFY(sender.open(server.url()));
        QVERIFY(sender.authenticate(token));
        QSet<QString> ackedBefore {u"with-file"_s};
        int sent = 0;
        const auto sendBatch = [&](int n) {
            QSet<QString> acked;
            for (int i = 0; i < n; ++i, ++sent) {
                const QString txn = u"m%1"_s.arg(sent);
                const auto r = sender.request(req::send(room, txn, u"message %1"_s.arg(sent)));
                if (r && r->type == ServerFrameType::Result)
                    acked.insert(txn);
            }
            return acked;
        };
        ackedBefore += sendBatch(200);
        QCOMPARE(ackedBefore.size(), 201);

        const QString copy = path(u"copy"_s);
        QProcess backup;
        backup.start(QStringLiteral(CONFABD_PATH), {u"--data"_s, live, u"backup"_s, copy});
        QVERIFY(backup.waitForStarted());
        int during = 0;
        while (backup.state() != QProcess::NotRunning) {
            during += int(sendBatch(20).size());
            QVERIFY(sent < 200'000);
        }
        QCOMPARE(backup.exitStatus(), QProcess::NormalExit);
        QVERIFY2(backup.exitCode() == 0, backup.readAllStandardError().constData());
        QVERIFY(during > 0);
        // Owner only, whatever the umask of whoever runs it.
        QCOMPARE(mode(copy), 0700u);
        QCOMPARE(mode(copy + u"/confab.sqlite3"_s), 0600u);
        QVERIFY(QFileInfo::exists(blobPath(copy + u"/files"_s, file->sha256)));

        // A second backup to the same place is refused, and leaves the first alone.
        const Result again = confabd({u"--data"_s, live, u"backup"_s, copy});
        QCOMPARE(again.code, 1);
        QVERIFY2(again.err.contains("never overwrites"_L1), qPrintable(again.err));

        // Restore is refused while the server holds its folder...
        const Result busy = confabd({u"--data"_s, live, u"restore"_s, copy});
        QCOMPARE(busy.code, 6);
        QVERIFY2(
            busy.err.contains(u"pid %1"_s.arg(server.process().processId())), qPrintable(busy.err));
        // ...and works in a new folder, where a server then serves the copy.
        const QString restored = path(u"restored"_s);
        const Result restore = confabd({u"--data"_s, restored, u"restore"_s, copy});
        QVERIFY2(restore.code == 0, qPrintable(restore.err));
        QCOMPARE(mode(restored + u"/confab.sqlite3"_s), 0600u);
        const Result checked = confabd({u"--data"_s, restored, u"check"_s});
        QVERIFY2(checked.code == 0, qPrintable(checked.out + checked.err));
        QCOMPARE(checked.out.trimmed(), u"ok"_s);

        Server second(restored);
        QVERIFY(second.start());
        test::TestClient reader;
        QVERIFY(reader.open(second.url()));
        QVERIFY(reader.authenticate(token));
        const QSet<QString> stored = storedTxns(reader, room);
        for (const QString &txn : std::as_const(ackedBefore))
            QVERIFY2(stored.contains(txn), qPrintable(txn + u" is not in the backup"_s));
        // The snapshot is one moment: what it has is a prefix of what was sent.
        QVERIFY(stored.size() >= ackedBefore.size());
        const auto history = reader.request(req::historyAfter(room, 0, 10));
        QVERIFY(history && history->type == ServerFrameType::Result);
        QString attachedSha;
        for (const auto &v : history->data().value("events"_L1).toArray()) {
            const auto files = v.toObject().value("attachments"_L1).toArray();
            if (!files.isEmpty())
                attachedSha = files.first().toObject().value("sha256"_L1).toString();
        }
        QCOMPARE(attachedSha, file->sha256);
        QFile blob(blobPath(restored + u"/files"_s, file->sha256));
        QVERIFY(blob.open(QIODevice::ReadOnly));
        QVERIFY(blob.readAll() == bytes);

        // Restoring over a stopped server's database keeps the old one, and says where.
        second.process().terminate();
        QVERIFY(second.process().waitForFinished(10000));
        const Result over = confabd({u"--data"_s, restored, u"restore"_s, copy});
        QVERIFY2(over.code == 0, qPrintable(over.err));
        static const QRegularExpression kept(u"kept as (\\S+)"_s);
        const auto match = kept.match(over.out);
        QVERIFY2(match.hasMatch(), qPrintable(over.out));
        QVERIFY(QFileInfo(match.captured(1)).isFile());
        QVERIFY(match.captured(1).startsWith(restored + u"/confab.sqlite3.before-restore-"_s));
    }

    // Moving a server: backup on one machine, restore on another. The identity (id, key,
    // certificate) goes along, so every client keeps its pin (docs/lan.md).
    void aBackupCarriesTheIdentityToARestoredServer()
    {
        QTemporaryDir dir;
        const QString data = dir.filePath(u"old"_s);
        {
            Server server(data);
            QVERIFY(server.start());
            server.process().terminate();
            QVERIFY(server.process().waitForFinished(10000));
        }
        const Result before = confabd({u"--data"_s, data, u"identity"_s});
        QCOMPARE(before.code, 0);
        const QString copy = dir.filePath(u"copy"_s);
        const Result backup = confabd({u"--data"_s, data, u"backup"_s, copy});
        QVERIFY2(backup.code == 0, qPrintable(backup.err));
        for (const char *name : {"server-id", "key.pem", "certificate.pem"})
            QCOMPARE(mode(copy + u"/identity/"_s + QLatin1StringView(name)), 0600u);
        QCOMPARE(mode(copy + u"/identity"_s), 0700u);

        // The new machine had started once on its own: its own identity is set aside.
        const QString moved = dir.filePath(u"new"_s);
        const Result own = confabd({u"--data"_s, moved, u"identity"_s});
        QCOMPARE(own.code, 0);
        QVERIFY(own.out != before.out);
        const Result restore = confabd({u"--data"_s, moved, u"restore"_s, copy});
        QVERIFY2(restore.code == 0, qPrintable(restore.err));
        QVERIFY2(restore.out.contains(u"previous identity is kept as"_s), qPrintable(restore.out));
        const Result after = confabd({u"--data"_s, moved, u"identity"_s});
        QCOMPARE(after.code, 0);
        QCOMPARE(after.out, before.out); // id, name, fingerprint and code
        QCOMPARE(mode(moved + u"/identity/key.pem"_s), 0600u);
    }

    void secondServerOnOneFolderIsRefused()
    {
        const QString data = path(u"locked"_s);
        Server first(data);
        QVERIFY(first.start());
        const Result second = confabd({u"--data"_s, data, u"--port"_s, u"0"_s});
        QCOMPARE(second.code, 6);
        QVERIFY2(second.err.contains(QFileInfo(data).absoluteFilePath()), qPrintable(second.err));
        QVERIFY2(second.err.contains(u"pid %1"_s.arg(first.process().processId())),
            qPrintable(second.err));
        // Admin commands that are one transaction still run next to it.
        QCOMPARE(confabd({u"--data"_s, data, u"list-users"_s}).code, 0);

        // A lock whose holder died (kill -9 leaves the file) does not keep the folder.
        ::kill(pid_t(first.process().processId()), SIGKILL);
        QVERIFY(first.process().waitForFinished(5000));
        QVERIFY(QFileInfo::exists(data + u"/confabd.lock"_s));
        Server third(data);
        QVERIFY(third.start());
    }

    void lockFileNamingALivePidDoesNotBlock()
    {
        // After a reboot, a container's confabd is pid 1 again and the file left behind names
        // it: a live pid in the file that no process holds locked must not keep the folder.
        const QString data = path(u"relocked"_s);
        QVERIFY(QDir().mkpath(data));
        QFile stale(data + u"/confabd.lock"_s);
        QVERIFY(stale.open(QIODevice::WriteOnly));
        // QLockFile's format, naming this live process under its own name: a pid check alone
        // would take it for a running holder.
        stale.write(QByteArray::number(QCoreApplication::applicationPid()) + '\n'
            + QCoreApplication::applicationName().toUtf8() + '\n'
            + QSysInfo::machineHostName().toUtf8() + '\n');
        stale.close();
        Server server(data);
        QVERIFY(server.start());
        QCOMPARE(confabd({u"--data"_s, data, u"--port"_s, u"0"_s}).code, 6);
    }

    void checkReportsAMissingBlob()
    {
        const QString data = path(u"checked"_s);
        QString sha;
        {
            Server server(data);
            QVERIFY(server.start());
            test::TestClient ana;
            QVERIFY(ana.open(server.url()));
            QVERIFY(ana.registerUser(u"ana"_s));
            const QByteArray bytes = test::randomBytes(4096);
            const qint64 upload
                = test::beginUpload(&ana, u"a.bin"_s, bytes.size(), test::sha256Hex(bytes));
            QVERIFY(upload > 0);
            test::sendChunks(&ana, upload, bytes, 0, 4096);
            QVERIFY(test::waitUploaded(&ana, upload, bytes.size()));
            const auto file = test::finishUpload(&ana, upload);
            QVERIFY(file);
            sha = file->sha256;
            // Check reads next to a running server.
            const Result ok = confabd({u"--data"_s, data, u"check"_s});
            QVERIFY2(ok.code == 0, qPrintable(ok.out + ok.err));
        }
        QVERIFY(QFile::remove(blobPath(data + u"/files"_s, sha)));
        const Result missing = confabd({u"--data"_s, data, u"check"_s});
        QCOMPARE(missing.code, 1);
        QVERIFY2(missing.out.contains(u"missing file: blob "_s + sha), qPrintable(missing.out));
        QVERIFY2(missing.err.contains("1 problem"_L1), qPrintable(missing.err));
        // A backup of it says so too, and restore refuses that backup.
        const QString copy = path(u"checked-copy"_s);
        const Result backup = confabd({u"--data"_s, data, u"backup"_s, copy});
        QCOMPARE(backup.code, 0);
        QVERIFY2(backup.err.contains(sha), qPrintable(backup.err));
        const Result restore
            = confabd({u"--data"_s, path(u"checked-restore"_s), u"restore"_s, copy});
        QCOMPARE(restore.code, 1);
        QVERIFY2(restore.err.contains(u"missing file: blob "_s + sha), qPrintable(restore.err));
        QVERIFY(!QFileInfo::exists(path(u"checked-restore/confab.sqlite3"_s)));
        // No database at all is not "ok".
        QCOMPARE(confabd({u"--data"_s, path(u"nothing-here"_s), u"check"_s}).code, 4);
    }

    // An upgrade starts with a copy of the database, and without one does not start at all.
    void upgradeNeedsItsCopy()
    {
        const QString data = path(u"upgrade"_s);
        QVERIFY(QDir().mkpath(data));
        QCOMPARE(writeVersion4(data + u"/confab.sqlite3"_s), 4);
        QFile blocker(data + u"/backups"_s); // where the copy's folder would go
        QVERIFY(blocker.open(QIODevice::WriteOnly));
        blocker.close();
        const Result refused = confabd({u"--data"_s, data, u"--port"_s, u"0"_s});
        QCOMPARE(refused.code, 4);
        QVERIFY2(refused.err.contains("cannot back up"_L1), qPrintable(refused.err));
        {
            auto db = QSqlDatabase::addDatabase(u"QSQLITE"_s, u"peek"_s);
            db.setDatabaseName(data + u"/confab.sqlite3"_s);
            QVERIFY(db.open());
            QSqlQuery q(db);
            QVERIFY(q.exec(u"PRAGMA user_version"_s) && q.next());
            QCOMPARE(q.value(0).toInt(), 4);
        }
        QSqlDatabase::removeDatabase(u"peek"_s);

        QVERIFY(QFile::remove(data + u"/backups"_s));
        Server server(data);
        QVERIFY(server.start());
        const QStringList copies
            = QDir(data + u"/backups"_s).entryList({u"pre-v5-*.sqlite3"_s}, QDir::Files);
        QCOMPARE(copies.size(), 1);
        QCOMPARE(mode(data + u"/backups/"_s + copies.first()), 0600u);
        const Result checked = confabd({u"--data"_s, data, u"check"_s});
        // The fixture names two blobs whose bytes it does not ship: check says so, nothing else.
        QCOMPARE(checked.code, 1);
        QCOMPARE(checked.out.count("missing file:"_L1), 2);
        QCOMPARE(checked.out.trimmed().split(u'\n').size(), 2);
    }

    // A folder the operator made keeps its mode: a warning, not a refusal and not a chmod.
    void backupIntoAnExistingLooserFolderWarns()
    {
        const QString data = path(u"looser"_s);
        {
            Server server(data);
            QVERIFY(server.start());
        }
        const QString copy = path(u"looser-copy"_s);
        QVERIFY(QDir().mkpath(copy));
        QVERIFY(::chmod(QFile::encodeName(copy).constData(), 0750) == 0);
        const Result backup = confabd({u"--data"_s, data, u"backup"_s, copy});
        QVERIFY2(backup.code == 0, qPrintable(backup.err));
        QCOMPARE(mode(copy), 0750u);
        QVERIFY2(backup.err.contains(u"can be read by other users"_s), qPrintable(backup.err));
        QVERIFY(QFileInfo(copy + u"/confab.sqlite3"_s).isFile());
    }

    // A restore that cannot move the database aside puts back its -wal, moved first.
    void failedRestorePutsBackWhatItMoved()
    {
        const QString data = path(u"rollback"_s);
        const QString db = data + u"/confab.sqlite3"_s;
        const auto contents = [](const QString &file) {
            QFile f(file);
            return f.open(QIODevice::ReadOnly) ? f.readAll() : QByteArray("(unreadable)");
        };
        {
            Server server(data);
            QVERIFY(server.start());
            test::TestClient ana;
            QVERIFY(ana.open(server.url()));
            QVERIFY(ana.registerUser(u"ana"_s));
            const QString copy = path(u"rollback-copy"_s);
            QVERIFY(confabd({u"--data"_s, data, u"backup"_s, copy}).code == 0);
            ::kill(pid_t(server.process().processId()), SIGKILL); // leaves the -wal
            QVERIFY(server.process().waitForFinished(5000));
        }
        QVERIFY(QFileInfo(db + u"-wal"_s).isFile());
        const QByteArray wal = contents(db + u"-wal"_s);
        // Folders where the database would go aside, for the seconds the restore may take.
        const QDateTime now = QDateTime::currentDateTimeUtc();
        for (int s = 0; s < 30; ++s) {
            const QString aside
                = db + u".before-restore-"_s + now.addSecs(s).toString(u"yyyyMMdd'T'HHmmss'Z'"_s);
            QVERIFY(QDir().mkpath(aside + u"/occupied"_s));
        }
        const Result restore = confabd({u"--data"_s, data, u"restore"_s, path(u"rollback-copy"_s)});
        QCOMPARE(restore.code, 1);
        QVERIFY2(restore.err.contains(u"cannot move"_s), qPrintable(restore.err));
        QVERIFY(QFileInfo(db).isFile());
        QCOMPARE(contents(db + u"-wal"_s), wal);
        QVERIFY(!QFileInfo::exists(db + u".restoring"_s));
        // And the database with its -wal still holds ana.
        QVERIFY2(confabd({u"--data"_s, data, u"list-users"_s}).out.contains(u"ana"_s),
            "the database lost its -wal");
    }

    // QTimer keeps int milliseconds: a longer interval would fire at once or never.
    void backupIntervalBeyondATimerIsRefused()
    {
        const Result refused = confabd({u"--data"_s, path(u"interval"_s), u"--set"_s,
            u"backup_interval_s=2147484"_s, u"check"_s});
        QCOMPARE(refused.code, 2);
        QVERIFY2(
            refused.err.contains(u"backup_interval_s: expected an integer from 0 to 2147483"_s),
            qPrintable(refused.err));
    }

    void timedBackupsKeepTheNewest()
    {
        const QString data = path(u"timed"_s);
        const QString backups = path(u"timed-backups"_s);
        Server server(data,
            {u"--set"_s, u"backup_interval_s=1"_s, u"--set"_s, u"backup_keep=2"_s, u"--set"_s,
                u"backup_dir="_s + backups});
        QVERIFY(server.start());
        test::TestClient ana;
        QVERIFY(ana.open(server.url()));
        QVERIFY(ana.registerUser(u"ana"_s));
        const auto list
            = [&] { return QDir(backups).entryList({u"confab-*Z"_s}, QDir::Dirs, QDir::Name); };
        QVERIFY(test::TestClient::waitUntil([&] { return list().size() >= 2; }, 15000));
        const QStringList first = list();
        // A newer one arrives and the oldest goes: never more than two.
        QVERIFY(test::TestClient::waitUntil(
            [&] { return !first.contains(list().constLast()); }, 15000));
        QVERIFY(test::TestClient::waitUntil([&] { return !list().contains(first.first()); }, 5000));
        // Chat went on meanwhile.
        QVERIFY(ana.request(req::ping()));
        // Stopped (a backup under way is finished first): exactly the newest two are left.
        server.process().terminate();
        QVERIFY(server.process().waitForFinished(15000));
        QCOMPARE(server.process().exitCode(), 0);
        QCOMPARE(list().size(), 2);
        QCOMPARE(QDir(backups).entryList(QDir::AllEntries | QDir::NoDotAndDotDot).size(), 2);
        QCOMPARE(mode(backups), 0700u);
        // Each is a backup that restore takes.
        const Result restore = confabd({u"--data"_s, path(u"timed-restored"_s), u"restore"_s,
            backups + u'/' + list().constLast()});
        QVERIFY2(restore.code == 0, qPrintable(restore.err));
    }
};

} // namespace

QTEST_GUILESS_MAIN(TestConfabdBackup)
#include "tst_confabd_backup.moc"
