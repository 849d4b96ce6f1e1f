// SPDX-License-Identifier: GPL-3.0-or-later
#include "admin/backupcommands.h"

#include "app/datafolderlock.h"
#include "identity/serveridentity.h"
#include "storage/backup.h"
#include "storage/blobstore.h"

#include <QDateTime>
#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QSqlDatabase>
#include <QSqlError>
#include <QSqlQuery>
#include <array>

using namespace Qt::StringLiterals;

namespace confab::server::admin {

namespace {

enum Exit
{
    Ok = 0,
    Failed = 1,
    Usage = 2,
    Database = 4,
    InUse = 6, //!< another confabd holds the data folder
};

int backupNow(const ServerConfig &config, const QStringList &a, QTextStream &out, QTextStream &err)
{
    if (a.size() != 1) {
        err << "usage: backup FOLDER   (a new or empty folder)" << Qt::endl;
        return Usage;
    }
    QStringList missing;
    QString error;
    if (!backup::write(config.databasePath(), config.filesPath(),
            ServerIdentity::folder(config.dataDir), a[0], &missing, &error)) {
        err << "backup failed: " << error << Qt::endl;
        return Failed;
    }
    for (const QString &sha : std::as_const(missing))
        err << "note: blob " << sha << " was collected while the backup was written" << Qt::endl;
    out << "backed up " << config.databasePath() << " and its files to "
        << QFileInfo(a[0]).absoluteFilePath() << Qt::endl;
    return Ok;
}

int checkNow(const ServerConfig &config, const QStringList &a, QTextStream &out, QTextStream &err)
{
    if (!a.isEmpty()) {
        err << "usage: check" << Qt::endl;
        return Usage;
    }
    QStringList findings;
    QString error;
    if (!backup::check(config.databasePath(), config.filesPath(), &findings, &error)) {
        err << "check failed: " << error << Qt::endl;
        return Database;
    }
    for (const QString &f : std::as_const(findings))
        out << f << Qt::endl;
    if (findings.isEmpty()) {
        out << "ok" << Qt::endl;
        return Ok;
    }
    err << findings.size() << " problem(s) found in " << config.databasePath() << Qt::endl;
    return Failed;
}

// -wal and -shm first: a database moved without its -wal would lose the commits still there.
constexpr std::array DatabaseSuffixes {"-wal"_L1, "-shm"_L1, ""_L1};

// Puts back what moveAside() moved: the data folder is never left without its database.
void moveBack(const QString &path, const QString &aside)
{
    for (auto it = DatabaseSuffixes.crbegin(); it != DatabaseSuffixes.crend(); ++it) {
        if (QFileInfo::exists(aside + *it) && !QFileInfo::exists(path + *it))
            QFile::rename(aside + *it, path + *it);
    }
}

// Moves the database and its -wal and -shm files to \a aside, which they stay a pair under;
// on a failure, puts back what it had moved.
bool moveAside(const QString &path, const QString &aside, QString *error)
{
    for (const QLatin1String suffix : DatabaseSuffixes) {
        if (QFileInfo::exists(path + suffix) && !QFile::rename(path + suffix, aside + suffix)) {
            *error = u"cannot move %1 to %2"_s.arg(path + suffix, aside + suffix);
            moveBack(path, aside);
            return false;
        }
    }
    return true;
}

// The blobs \a database names; false if it cannot be read, rather than an empty list.
bool namedBlobs(const QString &database, QStringList *blobs, QString *error)
{
    const QString connection = u"confab-restore"_s;
    bool ok = false;
    {
        QSqlDatabase db = QSqlDatabase::addDatabase(u"QSQLITE"_s, connection);
        db.setDatabaseName(database);
        db.setConnectOptions(u"QSQLITE_OPEN_READONLY"_s);
        if (!db.open()) {
            *error = u"cannot open %1: %2"_s.arg(database, db.lastError().text());
        } else {
            QSqlQuery q(db);
            ok = q.exec(u"SELECT sha256 FROM blobs"_s);
            while (ok && q.next())
                blobs->append(q.value(0).toString());
            if (ok && q.lastError().isValid())
                ok = false;
            if (!ok)
                *error = u"cannot list the files of %1: %2"_s.arg(database, q.lastError().text());
        }
    }
    QSqlDatabase::removeDatabase(connection);
    return ok;
}

// The backup's identity replaces the data folder's, whole: moving a server to another
// machine must keep its id and key, or every client would see an impostor (docs/lan.md).
// The one replaced is kept beside it, like the database.
int restoreIdentity(
    const ServerConfig &config, const QDir &from, QTextStream &out, QTextStream &err)
{
    const QString source = from.filePath(backup::IdentityName);
    if (!QFileInfo(source).isDir())
        return Ok; // a backup from before identities, or of a server that never started
    const QString target = ServerIdentity::folder(config.dataDir);
    const QString incoming = target + u".restoring"_s;
    QDir(incoming).removeRecursively();
    QString error;
    if (!backup::copyIdentity(source, incoming, &error)) {
        QDir(incoming).removeRecursively();
        err << "restore failed for the server identity (the database is restored): " << error
            << Qt::endl;
        return Failed;
    }
    QString aside;
    if (QFileInfo::exists(target)) {
        aside = target + u".before-restore-"_s
            + QDateTime::currentDateTimeUtc().toString(u"yyyyMMdd'T'HHmmss'Z'"_s);
        if (!QDir().rename(target, aside)) {
            err << "restore failed for the server identity: cannot move " << target << Qt::endl;
            return Failed;
        }
    }
    if (!QDir().rename(incoming, target)) {
        if (!aside.isEmpty())
            QDir().rename(aside, target);
        err << "restore failed for the server identity: cannot move " << incoming << Qt::endl;
        return Failed;
    }
    BlobStore::syncDirectory(config.dataDir);
    out << "restored the server identity into " << target << Qt::endl;
    if (!aside.isEmpty())
        out << "the previous identity is kept as " << aside << Qt::endl;
    return Ok;
}

int restoreNow(const ServerConfig &config, const QStringList &a, QTextStream &out, QTextStream &err)
{
    if (a.size() != 1) {
        err << "usage: restore FOLDER   (a folder written by confabd backup)" << Qt::endl;
        return Usage;
    }
    DataFolderLock lock(config.dataDir);
    QString error;
    if (!lock.acquire(&error)) {
        err << "restore refused: " << error << Qt::endl;
        return InUse;
    }
    const QDir from(a[0]);
    const QString source = from.filePath(backup::DatabaseName);
    const BlobStore sourceFiles(from.filePath(backup::FilesName));
    QStringList findings;
    if (!backup::check(source, sourceFiles.root(), &findings, &error)) {
        err << "restore refused: " << a[0] << " is not a backup: " << error << Qt::endl;
        return Failed;
    }
    if (!findings.isEmpty()) {
        for (const QString &f : std::as_const(findings))
            err << f << Qt::endl;
        err << "restore refused: the backup " << a[0] << " has the problems above" << Qt::endl;
        return Failed;
    }

    // Files first: blobs the restored database names are in place before it is, and the
    // ones only the replaced database named are collected as strays by the running server.
    const BlobStore files(config.filesPath());
    QStringList blobs;
    if (!namedBlobs(source, &blobs, &error)) {
        err << "restore failed, the database is unchanged: " << error << Qt::endl;
        return Failed;
    }
    if (!backup::makePrivateFolder(files.root(), &error)) {
        err << "restore failed: " << error << Qt::endl;
        return Failed;
    }
    for (const QString &sha : std::as_const(blobs)) {
        if (files.contains(sha))
            continue;
        // The server's own shard folders are left as they are, without a warning each.
        const QString shard = QFileInfo(files.blobPath(sha)).path();
        if ((!QFileInfo(shard).isDir() && !backup::makePrivateFolder(shard, &error))
            || !backup::linkOrCopy(sourceFiles.blobPath(sha), files.blobPath(sha), &error)) {
            err << "restore failed, the database is unchanged: " << error << Qt::endl;
            return Failed;
        }
    }

    const QString target = config.databasePath();
    const QString incoming = target + u".restoring"_s;
    QFile::remove(incoming);
    if (!QFile::copy(source, incoming)
        || !QFile::setPermissions(
            incoming, QFile::ReadOwner | QFile::WriteOwner | QFile::ReadUser | QFile::WriteUser)
        || !BlobStore::syncFile(incoming)) {
        QFile::remove(incoming);
        err << "restore failed, the database is unchanged: cannot copy " << source << " to "
            << incoming << Qt::endl;
        return Failed;
    }
    QString aside;
    if (QFileInfo::exists(target)) {
        aside = target + u".before-restore-"_s
            + QDateTime::currentDateTimeUtc().toString(u"yyyyMMdd'T'HHmmss'Z'"_s);
        if (!moveAside(target, aside, &error)) {
            QFile::remove(incoming);
            err << "restore failed: " << error << Qt::endl;
            return Failed;
        }
    }
    if (!QFile::rename(incoming, target)) {
        QFile::remove(incoming);
        if (!aside.isEmpty())
            moveBack(target, aside);
        err << "restore failed, the database is unchanged: cannot move " << incoming << " to "
            << target << Qt::endl;
        return Failed;
    }
    BlobStore::syncDirectory(config.dataDir);
    out << "restored " << QFileInfo(a[0]).absoluteFilePath() << " into " << target << Qt::endl;
    if (!aside.isEmpty())
        out << "the previous database is kept as " << aside << Qt::endl;
    return restoreIdentity(config, from, out, err);
}

} // namespace

QStringList backupCommandNames()
{
    return {u"backup"_s, u"restore"_s, u"check"_s};
}

int backupCommand(
    const ServerConfig &config, const QStringList &args, QTextStream &out, QTextStream &err)
{
    const QString command = args.value(0);
    if (config.usesPostgres() && backupCommandNames().contains(command)) {
        // These copy and check the SQLite file; PostgreSQL has its own tools for that.
        err << "confabd " << command << " works on the embedded SQLite database; back up "
            << "PostgreSQL with pg_dump and the files folder with it (docs/postgresql.md)"
            << Qt::endl;
        return Usage;
    }
    if (command == "backup"_L1)
        return backupNow(config, args.mid(1), out, err);
    if (command == "restore"_L1)
        return restoreNow(config, args.mid(1), out, err);
    if (command == "check"_L1)
        return checkNow(config, args.mid(1), out, err);
    return -1;
}

} // namespace confab::server::admin
