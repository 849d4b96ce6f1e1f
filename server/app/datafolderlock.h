// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QLockFile>
#include <QString>

namespace confab::server {

/*!
 * \brief One serving confabd per data folder: `DATA/confabd.lock`, held while it runs.
 *
 * Two servers on one database each believe they own it: both accept writes that the other's
 * caches (rooms, sequence numbers, admins) never see, and about half their commits fail as
 * "database is locked". The lock names the holder's pid; a lock left by a process that no
 * longer runs (kill -9, a crash) is stale and taken over. `restore` takes it too, so nothing
 * replaces the database under a running server. Other admin commands do not: they are
 * single SQLite transactions, which the server sees through admin_log.
 */
class DataFolderLock
{
public:
    explicit DataFolderLock(const QString &dataDir);

    /*! \brief Takes the lock without waiting; false with a message naming the holder. */
    bool acquire(QString *error);

private:
    QString m_dataDir;
    QString m_path;
    QLockFile m_lock;
};

} // namespace confab::server
