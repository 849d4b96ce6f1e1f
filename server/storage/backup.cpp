// SPDX-License-Identifier: GPL-3.0-or-later
#include "storage/backup.h"

#include "core/logging.h"
#include "storage/blobstore.h"
#include "storage/database.h"

#include <QAtomicInt>
#include <QDateTime>
#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QRegularExpression>
#include <QSaveFile>
#include <QSqlError>
#include <QSqlQuery>
#include <cerrno>
#include <cstring>
#include <sys/stat.h>
#include <unistd.h>

using namespace Qt::StringLiterals;

namespace confab::server::backup {

namespace {

QAtomicInt s_connections;

constexpr QFile::Permissions OwnerFile
    = QFile::ReadOwner | QFile::WriteOwner | QFile::ReadUser | QFile::WriteUser;
constexpr QFile::Permissions OwnerFolder = OwnerFile | QFile::ExeOwner | QFile::ExeUser;

const QString TimedPrefix = u"confab-"_s;
const QString PartialSuffix = u".partial"_s;

QString utcStamp()
{
    // Sorts by time as text; milliseconds so two backups in one second get two names.
    return QDateTime::currentDateTimeUtc().toString(u"yyyyMMdd'T'HHmmsszzz'Z'"_s);
}

/*!
 * A connection of its own for one job on one thread: backups run on the admin command's
 * main thread, a worker thread (timed) or the writer thread (before an upgrade).
 */
class Connection
{
public:
    Connection(const QString &path, QString *error)
        : m_name(u"confab-backup-%1"_s.arg(s_connections.fetchAndAddRelaxed(1)))
    {
        m_db = QSqlDatabase::addDatabase(u"QSQLITE"_s, m_name);
        m_db.setDatabaseName(path);
        m_db.setConnectOptions(u"QSQLITE_BUSY_TIMEOUT=5000"_s);
        if (!m_db.open())
            *error = u"cannot open database %1: %2"_s.arg(path, m_db.lastError().text());
    }
    ~Connection()
    {
        m_db.close();
        m_db = {};
        QSqlDatabase::removeDatabase(m_name);
    }
    Connection(const Connection &) = delete;
    Connection &operator=(const Connection &) = delete;

    QSqlDatabase &db() { return m_db; }

private:
    QString m_name;
    QSqlDatabase m_db;
};

bool vacuumInto(QSqlDatabase &db, const QString &target, QString *error)
{
    // VACUUM INTO takes an empty file: created first with the owner-only mode, the copy is
    // never readable by others, not even for a moment.
    QFile file(target);
    if (!file.open(QIODevice::WriteOnly | QIODevice::NewOnly, OwnerFile)) {
        *error = u"cannot create %1: %2"_s.arg(target, file.errorString());
        return false;
    }
    file.close();
    QSqlQuery q(db);
    q.prepare(u"VACUUM INTO ?"_s);
    q.addBindValue(QFileInfo(target).absoluteFilePath());
    if (!q.exec()) {
        *error = u"cannot copy the database to %1: %2"_s.arg(target, q.lastError().text());
        QFile::remove(target);
        return false;
    }
    return BlobStore::syncFile(target);
}

// SHA-256 names of the blobs the database at \a path has rows for; none before version 3.
bool blobRows(QSqlDatabase &db, QList<std::pair<QString, qint64>> *rows, QString *error)
{
    QSqlQuery q(db);
    q.setForwardOnly(true);
    if (!q.exec(u"SELECT count(*) FROM sqlite_master WHERE type = 'table' AND name = 'blobs'"_s)
        || !q.next()) {
        *error = q.lastError().text();
        return false;
    }
    if (q.value(0).toInt() == 0)
        return true;
    if (!q.exec(u"SELECT sha256, size FROM blobs ORDER BY sha256"_s)) {
        *error = q.lastError().text();
        return false;
    }
    while (q.next())
        rows->append({q.value(0).toString(), q.value(1).toLongLong()});
    return true;
}

bool isEmptyOrAbsent(const QString &path)
{
    const QFileInfo info(path);
    if (!info.exists())
        return true;
    return info.isDir()
        && QDir(path).entryList(QDir::AllEntries | QDir::NoDotAndDotDot | QDir::Hidden).isEmpty();
}

} // namespace

bool makePrivateFolder(const QString &path, QString *error)
{
    const QFileInfo existing(path);
    if (existing.isDir()) {
        // The operator's folder, made looser on purpose or not: theirs to change, not ours,
        // and a backup that fails over it would be worse than one others may read.
        constexpr QFile::Permissions Others = QFile::ReadGroup | QFile::WriteGroup | QFile::ExeGroup
            | QFile::ReadOther | QFile::WriteOther | QFile::ExeOther;
        if (existing.permissions() & Others)
            qCWarning(lcStorage).noquote()
                << "folder" << path << "can be read by other users than its owner";
        return true;
    }
    if (!QDir().mkpath(path) || !QFile::setPermissions(path, OwnerFolder)) {
        *error = u"cannot create folder %1"_s.arg(path);
        return false;
    }
    return true;
}

bool linkOrCopy(const QString &from, const QString &to, QString *error)
{
    if (::link(QFile::encodeName(from).constData(), QFile::encodeName(to).constData()) == 0)
        return true;
    // Another file system (EXDEV) or one without hard links: a copy, owner-only.
    if (errno == EEXIST) {
        *error = u"%1 exists"_s.arg(to);
        return false;
    }
    if (!QFile::copy(from, to) || !QFile::setPermissions(to, OwnerFile)
        || !BlobStore::syncFile(to)) {
        *error = u"cannot copy %1 to %2"_s.arg(from, to);
        return false;
    }
    return true;
}

bool copyDatabase(const QString &databasePath, const QString &target, QString *error)
{
    if (!QFileInfo(databasePath).isFile()) {
        *error = u"no database at %1"_s.arg(databasePath);
        return false;
    }
    Connection source(databasePath, error);
    return error->isEmpty() && vacuumInto(source.db(), target, error);
}

bool copyIdentity(const QString &from, const QString &to, QString *error)
{
    if (!QFileInfo(from).isDir())
        return true;
    if (!makePrivateFolder(to, error))
        return false;
    for (const char *name : {"server-id", "key.pem", "certificate.pem"}) {
        QFile source(QDir(from).filePath(QLatin1StringView(name)));
        if (!source.exists())
            continue;
        const QString target = QDir(to).filePath(QLatin1StringView(name));
        QSaveFile copy(target);
        if (!source.open(QIODevice::ReadOnly) || !copy.open(QIODevice::WriteOnly)
            || copy.write(source.readAll()) != source.size() || !copy.setPermissions(OwnerFile)
            || !copy.commit()) {
            *error = u"cannot copy %1 to %2"_s.arg(source.fileName(), target);
            return false;
        }
    }
    return true;
}

bool write(const QString &databasePath, const QString &filesRoot, const QString &identityFolder,
    const QString &target, QStringList *missing, QString *error)
{
    if (!isEmptyOrAbsent(target)) {
        *error = u"%1 exists and is not an empty folder: a backup never overwrites anything"_s.arg(
            target);
        return false;
    }
    const QDir dir(target);
    if (!makePrivateFolder(target, error)
        || !copyDatabase(databasePath, dir.filePath(DatabaseName), error)
        || !copyIdentity(identityFolder, dir.filePath(IdentityName), error))
        return false;
    // The copy's rows say which blobs belong: files uploaded after the snapshot are not
    // named, and a blob named is never removed before its row (storage/blobstore.h), except
    // by the collector after the snapshot was taken.
    QList<std::pair<QString, qint64>> rows;
    {
        Connection copy(dir.filePath(DatabaseName), error);
        if (!error->isEmpty() || !blobRows(copy.db(), &rows, error))
            return false;
    }
    const BlobStore from(filesRoot);
    const BlobStore to(dir.filePath(FilesName));
    if (!makePrivateFolder(to.root(), error))
        return false;
    for (const auto &[sha, size] : std::as_const(rows)) {
        Q_UNUSED(size);
        if (!from.contains(sha)) {
            missing->append(sha);
            continue;
        }
        const QString folder = QFileInfo(to.blobPath(sha)).path();
        if (!makePrivateFolder(folder, error)
            || !linkOrCopy(from.blobPath(sha), to.blobPath(sha), error))
            return false;
    }
    BlobStore::syncDirectory(target);
    return true;
}

bool check(
    const QString &databasePath, const QString &filesRoot, QStringList *findings, QString *error)
{
    if (!QFileInfo(databasePath).isFile()) {
        *error = u"no database at %1"_s.arg(databasePath);
        return false;
    }
    Connection c(databasePath, error);
    if (!error->isEmpty())
        return false;
    QSqlQuery q(c.db());
    q.setForwardOnly(true);
    if (!q.exec(u"PRAGMA integrity_check"_s)) {
        *error = u"%1 is not a readable database: %2"_s.arg(databasePath, q.lastError().text());
        return false;
    }
    while (q.next()) {
        if (q.value(0).toString() != "ok"_L1)
            findings->append(u"integrity: "_s + q.value(0).toString());
    }
    if (!q.exec(u"PRAGMA foreign_key_check"_s)) {
        *error = q.lastError().text();
        return false;
    }
    while (q.next()) {
        findings->append(u"foreign key: %1 row %2 names a missing row of %3"_s.arg(
            q.value(0).toString(), q.value(1).toString(), q.value(2).toString()));
    }
    const int version = sqlite::Schema::version(c.db());
    const int latest = database::schema().latestVersion();
    if (version > latest) {
        findings->append(
            u"schema version %1 is newer than the %2 this confabd knows"_s.arg(version).arg(
                latest));
    }
    QList<std::pair<QString, qint64>> rows;
    if (!blobRows(c.db(), &rows, error))
        return false;
    const BlobStore blobs(filesRoot);
    for (const auto &[sha, size] : std::as_const(rows)) {
        const QFileInfo file(blobs.blobPath(sha));
        if (!file.exists())
            findings->append(
                u"missing file: blob %1 (%2 bytes) is not at %3"_s.arg(sha).arg(size).arg(
                    file.filePath()));
        else if (file.size() != size)
            findings->append(u"wrong size: blob %1 is %2 bytes on disk, %3 in its row"_s.arg(sha)
                                 .arg(file.size())
                                 .arg(size));
    }
    return true;
}

bool writeTimed(const QString &databasePath, const QString &filesRoot,
    const QString &identityFolder, const QString &backupDir, int keep, QString *written,
    QString *error)
{
    if (!makePrivateFolder(backupDir, error))
        return false;
    QDir dir(backupDir);
    const QString name = TimedPrefix + utcStamp();
    const QString partial = dir.filePath(name + PartialSuffix);
    QStringList missing;
    if (!write(databasePath, filesRoot, identityFolder, partial, &missing, error)) {
        QDir(partial).removeRecursively();
        return false;
    }
    if (!missing.isEmpty())
        qCWarning(lcStorage) << "backup" << name << "lacks" << missing.size()
                             << "files collected while it was written";
    if (!dir.rename(name + PartialSuffix, name)) {
        *error = u"cannot rename %1 to %2"_s.arg(partial, name);
        QDir(partial).removeRecursively();
        return false;
    }
    *written = dir.filePath(name);
    // Only timed backups count towards keep: the ones before upgrades stay until removed.
    static const QRegularExpression timed(u"^confab-\\d{8}T\\d{9}Z$"_s);
    QStringList names;
    for (const QString &entry : dir.entryList(QDir::Dirs | QDir::NoDotAndDotDot, QDir::Name)) {
        if (timed.match(entry).hasMatch())
            names.append(entry);
        else if (entry.startsWith(TimedPrefix) && entry.endsWith(PartialSuffix)
            && entry != name + PartialSuffix)
            // What a crash or shutdown in the middle of a timed backup left.
            QDir(dir.filePath(entry)).removeRecursively();
    }
    while (names.size() > keep) {
        const QString oldest = names.takeFirst();
        if (!QDir(dir.filePath(oldest)).removeRecursively())
            qCWarning(lcStorage) << "cannot remove old backup" << dir.filePath(oldest);
    }
    return true;
}

QString beforeUpgrade(QSqlDatabase &db, int from, int to, QString *error)
{
    const QString folder = QFileInfo(db.databaseName()).dir().filePath(u"backups"_s);
    QString path = QDir(folder).filePath(u"pre-v%1-%2.sqlite3"_s.arg(to).arg(utcStamp()));
    if (!makePrivateFolder(folder, error) || !vacuumInto(db, path, error)) {
        *error = u"cannot back up %1 before migrating it from schema version %2 to %3, so it "
                 "is not migrated: %4"_s.arg(db.databaseName())
                     .arg(from)
                     .arg(to)
                     .arg(*error);
        qCCritical(lcStorage).noquote() << *error;
        return {};
    }
    qCInfo(lcStorage).noquote() << "backed up" << db.databaseName() << "at schema version" << from
                                << "to" << path << "before migrating it to version" << to;
    return path;
}

} // namespace confab::server::backup
