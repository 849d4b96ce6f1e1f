// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QSqlDatabase>
#include <QString>

namespace confab::sqlite {

enum class Synchronous
{
    Full, //!< fsync on every commit: a committed write survives power loss
    Normal, //!< no fsync at commit (WAL): survives a crash of the process, not of the machine
};

/*!
 * \brief The per-connection settings that differ between Confab's SQLite files.
 *
 * WAL, foreign keys and in-memory temporary tables are always on: both the server and
 * the client want them, and a connection without them would behave differently from the
 * one that wrote the file.
 */
struct ConnectionOptions
{
    Synchronous synchronous = Synchronous::Normal;
    int busyTimeoutMs = 5000; //!< how long a write waits for another connection's lock
    //! Overwrite deleted content with zeros (PRAGMA secure_delete): the server promises that
    //! a deleted message's text leaves its files; the client cache does not need the writes.
    bool secureDelete = false;
};

/*!
 * \brief Opens a Qt SQL connection named \a connectionName on the SQLite file \a path for
 * the calling thread and applies \a options. Empty \a error on success; on failure the
 * returned connection is closed and \a error says why. Close it with close().
 *
 * The settings are applied with statements that read the file, so a file that is not a
 * database fails here and not at the first query. The file and its folder are made private
 * to their owner first (makePrivate()).
 */
QSqlDatabase open(const QString &path, const QString &connectionName,
    const ConnectionOptions &options, QString *error);

/*!
 * \brief Closes and removes a connection opened by open(). Every QSqlQuery on it must be
 * gone first.
 */
void close(const QString &connectionName);

} // namespace confab::sqlite
