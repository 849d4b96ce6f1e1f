// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "core/serverconfig.h"

#include <QFutureWatcher>
#include <QObject>
#include <QString>
#include <QThreadPool>
#include <QTimer>
#include <utility>

namespace confab::server {

/*!
 * \brief Timed backups (backup_interval_s, backup_keep, backup_dir): every interval a
 * backup::writeTimed() on a thread of its own, with a connection of its own. VACUUM INTO reads
 * one snapshot under WAL, so the writer thread commits on meanwhile and chat never waits.
 * A backup still running when the next is due makes that one skipped, not queued.
 */
class BackupScheduler : public QObject
{
    Q_OBJECT
public:
    explicit BackupScheduler(const ServerConfig &config, QObject *parent = nullptr);
    /*! \brief Waits for a backup under way: a half-written one would be left as .partial. */
    ~BackupScheduler() override;

    /*! \brief Starts the timer if backup_interval_s is not 0. */
    void start();

private:
    void run();

    QString m_databasePath;
    bool m_postgres = false;
    QString m_filesPath;
    QString m_identityPath;
    QString m_backupDir;
    int m_keep = 0;
    QTimer m_timer;
    //! Its own thread: a backup on the global pool would hold up the Argon2 hashing of logins.
    QThreadPool m_pool;
    //! Whether it was written, and its path or why not.
    QFutureWatcher<std::pair<bool, QString>> m_job;
};

} // namespace confab::server
