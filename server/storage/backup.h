// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QSqlDatabase>
#include <QString>
#include <QStringList>

namespace confab::server::backup {

/*!
 * A backup is a folder (docs/operations.md, "Backups"):
 *   BACKUP/confab.sqlite3      the database, as one consistent snapshot (VACUUM INTO)
 *   BACKUP/files/ab/cdef…      every blob that snapshot's `blobs` rows name
 *   BACKUP/identity/…          the server's id, key and certificate (docs/lan.md), so that a
 *                              restore on another machine keeps every client's pin
 * The folders are 0700 and the files 0600 whatever the umask (a blob hard-linked from the
 * live files folder shares that file's mode). A folder rather than an archive: a blob is
 * hard-linked when the backup is on the data folder's file system, so a daily backup costs
 * the database's size, and the copy is inspected with the sqlite3 shell as it is.
 */
constexpr QLatin1String DatabaseName("confab.sqlite3");
constexpr QLatin1String FilesName("files");
constexpr QLatin1String IdentityName("identity");

/*!
 * \brief Copies the server identity in the folder \a from (server-id, key.pem,
 * certificate.pem) to the folder \a to: 0700, files 0600, each replaced whole. A missing
 * \a from is no error (a server that never started has none); false with \a error if a
 * file cannot be copied.
 */
bool copyIdentity(const QString &from, const QString &to, QString *error);

/*!
 * \brief Writes a consistent copy of the database at \a databasePath to \a target, which
 * must not exist or be empty; created 0600. Reads in one transaction, next to a running
 * server's writer (WAL: neither waits for the other).
 */
bool copyDatabase(const QString &databasePath, const QString &target, QString *error);

/*!
 * \brief Writes the backup folder \a target (which must not exist or be an empty folder):
 * the database first, the identity in \a identityFolder, then each blob the copy's rows
 * name, from \a filesRoot. \a missing
 * gets the blobs the copy names that were gone from \a filesRoot (collected meanwhile).
 */
bool write(const QString &databasePath, const QString &filesRoot, const QString &identityFolder,
    const QString &target, QStringList *missing, QString *error);

/*!
 * \brief What is wrong with the database at \a databasePath and the blobs under
 * \a filesRoot: PRAGMA integrity_check and foreign_key_check, a schema version this build
 * does not know, and `blobs` rows whose file is missing or has another size. Empty when
 * all is well. False with \a error when the file cannot be opened as a database at all.
 */
bool check(
    const QString &databasePath, const QString &filesRoot, QStringList *findings, QString *error);

/*!
 * \brief The timed backup: writes `confab-<UTC time>` under \a backupDir (through a
 * `.partial` name, so a half-written one is never counted) and then removes the oldest
 * timed backups beyond \a keep. \a written gets the new folder's path.
 */
bool writeTimed(const QString &databasePath, const QString &filesRoot,
    const QString &identityFolder, const QString &backupDir, int keep, QString *written,
    QString *error);

/*!
 * \brief Before \a db (at schema version \a from) is migrated to \a to: a copy of it as
 * `backups/pre-v<to>-<UTC time>.sqlite3` in its folder. Logs and returns the path; empty
 * with \a error if it could not be written.
 */
QString beforeUpgrade(QSqlDatabase &db, int from, int to, QString *error);

/*!
 * \brief Creates \a path (and parents) with mode 0700 whatever the umask. A folder that
 * exists keeps its mode; looser than 0700, a warning says so.
 */
bool makePrivateFolder(const QString &path, QString *error);

/*! \brief Links \a from to \a to, or copies it where a link cannot be made; 0600 copies. */
bool linkOrCopy(const QString &from, const QString &to, QString *error);

} // namespace confab::server::backup
