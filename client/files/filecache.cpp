// SPDX-License-Identifier: GPL-3.0-or-later
#include "files/filecache.h"

#include "core/clientlogging.h"

#include <QDateTime>
#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <algorithm>

using namespace Qt::StringLiterals;

namespace confab::client {

FileCache::FileCache(const QString &dir, qint64 capBytes)
    : m_dir(dir)
    , m_cap(capBytes)
{
    QDir().mkpath(m_dir);
    scan();
    evict({});
}

void FileCache::scan()
{
    m_sizes.clear();
    m_used = 0;
    const auto entries = QDir(m_dir).entryInfoList(QDir::Files);
    for (const QFileInfo &info : entries) {
        if (info.suffix() == "part"_L1) {
            QFile::remove(info.absoluteFilePath()); // a download cut short by an exit
            continue;
        }
        m_sizes.insert(info.fileName(), info.size());
        m_used += info.size();
    }
}

void FileCache::setCapBytes(qint64 bytes)
{
    m_cap = std::max<qint64>(0, bytes);
    evict({});
}

QString FileCache::pathFor(qint64 fileId, bool thumbnail, const QString &sha256) const
{
    const QString name
        = thumbnail ? u"%1.thumb"_s.arg(fileId) : u"%1-%2.full"_s.arg(fileId).arg(sha256);
    return QDir(m_dir).filePath(name);
}

QString FileCache::lookup(qint64 fileId, bool thumbnail, const QString &sha256)
{
    QString path = pathFor(fileId, thumbnail, sha256);
    if (!m_sizes.contains(QFileInfo(path).fileName()))
        return {};
    QFile file(path);
    if (!file.exists()) {
        remove(path);
        return {};
    }
    // Least recently used goes first: using a copy makes it new.
    if (file.open(QIODevice::ReadWrite))
        file.setFileTime(QDateTime::currentDateTimeUtc(), QFileDevice::FileModificationTime);
    return path;
}

QString FileCache::lookupFull(qint64 fileId, QString *sha256)
{
    const QString prefix = u"%1-"_s.arg(fileId);
    for (auto it = m_sizes.cbegin(); it != m_sizes.cend(); ++it) {
        if (it.key().startsWith(prefix) && it.key().endsWith(u".full"_s)) {
            const QString sha = it.key().mid(prefix.size(), it.key().size() - prefix.size() - 5);
            if (sha256)
                *sha256 = sha;
            return lookup(fileId, false, sha);
        }
    }
    return {};
}

void FileCache::added(const QString &path)
{
    const QFileInfo info(path);
    const QString name = info.fileName();
    m_used -= m_sizes.value(name);
    m_sizes.insert(name, info.size());
    m_used += info.size();
    evict(name);
}

void FileCache::remove(const QString &path)
{
    const QString name = QFileInfo(path).fileName();
    m_used -= m_sizes.take(name);
    QFile::remove(path);
}

void FileCache::evict(const QString &keep)
{
    if (m_used <= m_cap)
        return;
    QList<QFileInfo> entries;
    for (auto it = m_sizes.cbegin(); it != m_sizes.cend(); ++it) {
        if (it.key() != keep)
            entries.append(QFileInfo(QDir(m_dir).filePath(it.key())));
    }
    std::sort(entries.begin(), entries.end(),
        [](const QFileInfo &a, const QFileInfo &b) { return a.lastModified() < b.lastModified(); });
    for (const QFileInfo &info : std::as_const(entries)) {
        if (m_used <= m_cap)
            break;
        qCDebug(lcClientStore) << "cache full: evicting" << info.fileName();
        remove(info.absoluteFilePath());
    }
}

} // namespace confab::client
