// SPDX-License-Identifier: GPL-3.0-or-later
#include "app/datafolderlock.h"

#include <QCoreApplication>
#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QSysInfo>

#ifdef Q_OS_UNIX
#include <cerrno>
#include <fcntl.h>
#include <sys/file.h>
#include <unistd.h>
#endif

using namespace Qt::StringLiterals;

namespace confab::server {

namespace {

QString inUse(const QString &dataDir, qint64 pid, const QString &host)
{
    return u"data folder %1 is in use by another confabd (pid %2 on %3); stop it first, "
           "or give this one another --data"_s.arg(dataDir)
               .arg(pid)
               .arg(host);
}

} // namespace

DataFolderLock::DataFolderLock(const QString &dataDir)
    : m_dataDir(QFileInfo(dataDir).absoluteFilePath())
    , m_path(QDir(m_dataDir).filePath(u"confabd.lock"_s))
#ifndef Q_OS_UNIX
    , m_lock(m_path)
#endif
{
#ifndef Q_OS_UNIX
    // A server holds it for months: only a holder that is gone makes it stale, never its age.
    m_lock.setStaleLockTime(0);
#endif
}

DataFolderLock::~DataFolderLock()
{
#ifdef Q_OS_UNIX
    // The file stays: removing it would let a third process lock a new inode while a second
    // still waits on this one. Closing the descriptor releases the flock.
    if (m_fd >= 0)
        ::close(m_fd);
#endif
}

bool DataFolderLock::acquire(QString *error)
{
    if (!QDir().mkpath(m_dataDir)) {
        *error = u"cannot create data folder %1"_s.arg(m_dataDir);
        return false;
    }
#ifdef Q_OS_UNIX
    if (m_fd >= 0)
        return true;
    const int fd
        = ::open(QFile::encodeName(m_path).constData(), O_RDWR | O_CREAT | O_CLOEXEC, 0600);
    if (fd < 0) {
        *error = u"cannot create the lock file %1 in data folder %2"_s.arg(m_path, m_dataDir);
        return false;
    }
    if (::flock(fd, LOCK_EX | LOCK_NB) != 0) {
        const bool held = errno == EWOULDBLOCK;
        char buffer[64] = {};
        const ssize_t n = ::pread(fd, buffer, sizeof buffer - 1, 0);
        ::close(fd);
        if (!held) {
            *error = u"cannot lock %1 in data folder %2"_s.arg(m_path, m_dataDir);
            return false;
        }
        const QList<QByteArray> lines = QByteArray(buffer, n > 0 ? int(n) : 0).split('\n');
        *error = inUse(m_dataDir, lines.value(0).trimmed().toLongLong(),
            QString::fromUtf8(lines.value(2).trimmed()));
        return false;
    }
    // Ours now: whatever a dead holder wrote is replaced by our pid, name and host, the
    // lines of QLockFile's format.
    const QByteArray info = QByteArray::number(qint64(::getpid())) + '\n'
        + QCoreApplication::applicationName().toUtf8() + '\n' + QSysInfo::machineHostName().toUtf8()
        + '\n';
    // The flock is what counts: a pid that could not be written only makes the message vaguer.
    const bool written = ::ftruncate(fd, 0) == 0
        && ::pwrite(fd, info.constData(), size_t(info.size()), 0) == info.size();
    Q_UNUSED(written);
    m_fd = fd;
    return true;
#else
    if (m_lock.tryLock(0))
        return true;
    if (m_lock.error() == QLockFile::LockFailedError) {
        qint64 pid = 0;
        QString host;
        QString app;
        m_lock.getLockInfo(&pid, &host, &app);
        *error = inUse(m_dataDir, pid, host);
    } else {
        *error = u"cannot create the lock file %1 in data folder %2"_s.arg(m_path, m_dataDir);
    }
    return false;
#endif
}

} // namespace confab::server
