// SPDX-License-Identifier: GPL-3.0-or-later
#include "app/datafolderlock.h"

#include <QDir>
#include <QFileInfo>

using namespace Qt::StringLiterals;

namespace confab::server {

DataFolderLock::DataFolderLock(const QString &dataDir)
    : m_dataDir(QFileInfo(dataDir).absoluteFilePath())
    , m_path(QDir(m_dataDir).filePath(u"confabd.lock"_s))
    , m_lock(m_path)
{
    // A server holds it for months: only a holder that is gone makes it stale, never its age.
    m_lock.setStaleLockTime(0);
}

bool DataFolderLock::acquire(QString *error)
{
    if (!QDir().mkpath(m_dataDir)) {
        *error = u"cannot create data folder %1"_s.arg(m_dataDir);
        return false;
    }
    if (m_lock.tryLock(0))
        return true;
    if (m_lock.error() == QLockFile::LockFailedError) {
        qint64 pid = 0;
        QString host;
        QString app;
        m_lock.getLockInfo(&pid, &host, &app);
        *error = u"data folder %1 is in use by another confabd (pid %2 on %3); stop it first, "
                 "or give this one another --data"_s.arg(m_dataDir)
                     .arg(pid)
                     .arg(host);
    } else {
        *error = u"cannot create the lock file %1 in data folder %2"_s.arg(m_path, m_dataDir);
    }
    return false;
}

} // namespace confab::server
