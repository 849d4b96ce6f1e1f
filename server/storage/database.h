// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "sqlite/schema.h"

#include <QSqlDatabase>
#include <QString>

namespace confab::server {

enum class Durability
{
    Full, //!< fsync on every commit: an acknowledged message survives power loss
    Normal, //!< no fsync at commit: survives a crash of confabd, not of the machine
};

/*!
 * \brief Opens SQLite connections with the server's settings and keeps the schema current.
 */
namespace database {

/*!
 * \brief The server database's schema: migration 1 is the schema confabd had before
 * versioning was shared with the client; later ones are appended.
 */
const sqlite::Schema &schema();

/*!
 * \brief Opens a connection named \a connectionName on \a path for the calling
 * thread: WAL, foreign keys, busy timeout, durability. Empty \a error on success.
 * A `postgresql://` URL in \a path opens a QPSQL connection to that database instead
 * (postgres::PgAddress), whose commits are as durable as PostgreSQL is set to make them:
 * Durability::Normal changes nothing there (see database.cpp).
 */
QSqlDatabase open(
    const QString &path, const QString &connectionName, Durability durability, QString *error);

/*!
 * \brief Brings the schema to schema().latestVersion(), one forward migration at a time,
 * each in its own transaction. Refuses a database newer than this binary. An existing
 * database older than this binary is first copied to `backups/pre-v<latest>-<time>.sqlite3`
 * beside it (backup::beforeUpgrade()); if that copy cannot be written, nothing is migrated.
 */
bool migrate(QSqlDatabase &db, QString *error);

/*!
 * \brief Whether \a db still answers: on PostgreSQL a round trip (`SELECT 1`), for after a
 * failed statement, since a connection the server dropped still counts as open.
 */
bool isAlive(QSqlDatabase &db);

/*!
 * \brief Opens \a db again with what open() set, after isAlive() said it is gone (a
 * restarted PostgreSQL, a failover). Every QSqlQuery on it must be gone first.
 */
bool reconnect(QSqlDatabase &db, Durability durability, QString *error);

/*!
 * \brief Closes and removes a connection opened by open().
 */
void close(const QString &connectionName);

QString lastError(const QSqlDatabase &db);

} // namespace database
} // namespace confab::server
