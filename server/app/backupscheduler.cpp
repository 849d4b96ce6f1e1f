// SPDX-License-Identifier: GPL-3.0-or-later
#include "app/backupscheduler.h"

#include "core/logging.h"
#include "identity/serveridentity.h"
#include "storage/backup.h"

#include <QtConcurrent/QtConcurrentRun>

using namespace Qt::StringLiterals;

namespace confab::server {

BackupScheduler::BackupScheduler(const ServerConfig &config, QObject *parent)
    : QObject(parent)
    , m_databasePath(config.databasePath())
    , m_postgres(config.usesPostgres())
    , m_filesPath(config.filesPath())
    , m_identityPath(ServerIdentity::folder(config.dataDir))
    , m_backupDir(config.backupPath())
    , m_keep(config.backupKeep)
{
    m_pool.setMaxThreadCount(1);
    // backup_interval_s is at most 2147483 (serverconfig.cpp): QTimer keeps int milliseconds.
    m_timer.setInterval(std::chrono::seconds(config.backupIntervalS));
    connect(&m_timer, &QTimer::timeout, this, &BackupScheduler::run);
    connect(&m_job, &QFutureWatcher<std::pair<bool, QString>>::finished, this, [this] {
        const auto [written, what] = m_job.result();
        if (written)
            qCInfo(lcStorage).noquote() << "backup written to" << what;
        else
            qCWarning(lcStorage).noquote() << "timed backup failed:" << what;
    });
}

BackupScheduler::~BackupScheduler()
{
    m_job.waitForFinished();
}

void BackupScheduler::start()
{
    if (m_timer.interval() > 0 && m_postgres) {
        qCWarning(lcStorage) << "backup_interval_s is ignored with a PostgreSQL database: back "
                                "it up with pg_dump (docs/postgresql.md)";
        return;
    }
    if (m_timer.interval() > 0)
        m_timer.start();
}

void BackupScheduler::run()
{
    if (m_job.isRunning()) {
        qCWarning(lcStorage) << "the previous timed backup is still running: skipping this one";
        return;
    }
    m_job.setFuture(QtConcurrent::run(&m_pool,
        [db = m_databasePath, files = m_filesPath, identity = m_identityPath, dir = m_backupDir,
            keep = m_keep] {
            QString written;
            QString error;
            const bool ok = backup::writeTimed(db, files, identity, dir, keep, &written, &error);
            return std::pair {ok, ok ? written : error};
        }));
}

} // namespace confab::server
