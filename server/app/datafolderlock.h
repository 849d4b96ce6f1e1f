// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QString>
#include <QtGlobal>

#ifndef Q_OS_UNIX
#include <QLockFile>
#endif

namespace confab::server {

/*!
 * \brief One serving confabd per data folder: `DATA/confabd.lock`, held while it runs.
 *
 * Two servers on one database each believe they own it: both accept writes that the other's
 * caches (rooms, sequence numbers, admins) never see, and about half their commits fail as
 * "database is locked". On Unix the lock is a flock() on the file, which the kernel drops
 * when the holder dies (kill -9, a crash, a reboot): a pid check would take a left-over file
 * naming our own pid, as after every restart of a container where confabd is pid 1, for a
 * live holder. The pid in the file only names the holder in the error. Elsewhere it is a
 * QLockFile. `restore` takes it too, so nothing replaces the database under a running
 * server. Other admin commands do not: they are single SQLite transactions, which the server
 * sees through admin_log.
 */
class DataFolderLock
{
public:
    explicit DataFolderLock(const QString &dataDir);
    ~DataFolderLock();
    DataFolderLock(const DataFolderLock &) = delete;
    DataFolderLock &operator=(const DataFolderLock &) = delete;

    /*! \brief Takes the lock without waiting; false with a message naming the holder. */
    bool acquire(QString *error);

private:
    QString m_dataDir;
    QString m_path;
#ifdef Q_OS_UNIX
    int m_fd = -1;
#else
    QLockFile m_lock;
#endif
};

} // namespace confab::server
