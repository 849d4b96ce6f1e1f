// SPDX-License-Identifier: GPL-3.0-or-later
#include "files/filetransfers.h"

#include "files/downloads.h"
#include "files/filecache.h"
#include "session/roomstate.h"
#include "session/session.h"

#include <QDir>
#include <QFileInfo>
#include <QJSEngine>
#include <QStandardPaths>

using namespace Qt::StringLiterals;

namespace confab::client {

FileTransfers::FileTransfers(
    Connection *connection, ConnectionState *state, RoomState *rooms, QObject *parent)
    : QObject(parent)
    , m_connection(connection)
    , m_state(state)
    , m_rooms(rooms)
    , m_capBytes(FileCache::DefaultCapBytes)
{ }

FileTransfers::~FileTransfers() = default;

FileTransfers *FileTransfers::create(QQmlEngine *, QJSEngine *)
{
    Session *session = Session::instance();
    Q_ASSERT(session);
    QJSEngine::setObjectOwnership(session->fileTransfers(), QJSEngine::CppOwnership);
    return session->fileTransfers();
}

void FileTransfers::openCache(const QString &dir)
{
    m_downloads.reset();
    m_cache.reset();
    m_savedPaths.clear();
    if (dir.isEmpty())
        return;
    m_cache = std::make_unique<FileCache>(dir, m_capBytes);
    m_downloads = std::make_unique<Downloads>(m_connection, m_state, m_cache.get());
    connect(m_downloads.get(), &Downloads::saveProgressChanged, this,
        [this](qint64 fileId, double) { announce(fileId); });
    connect(m_downloads.get(), &Downloads::saved, this, [this](qint64 fileId, const QString &path) {
        m_savedPaths.insert(fileId, path);
        announce(fileId);
        Q_EMIT saved(fileId, path);
    });
    connect(
        m_downloads.get(), &Downloads::saveFailed, this, [this](qint64 fileId, const QString &) {
            announce(fileId);
            Q_EMIT saveFailed(fileId, tr("The file could not be saved."));
        });
}

void FileTransfers::setCacheCapBytes(qint64 bytes)
{
    m_capBytes = bytes;
    if (m_cache)
        m_cache->setCapBytes(bytes);
}

void FileTransfers::handleBinary(const QByteArray &message)
{
    if (m_downloads)
        m_downloads->handleBinary(message);
}

void FileTransfers::save(qint64 fileId, const QUrl &destination)
{
    if (!m_downloads || !destination.isLocalFile()) {
        Q_EMIT saveFailed(fileId, tr("The file could not be saved."));
        return;
    }
    m_downloads->save(fileId, destination.toLocalFile());
}

void FileTransfers::cancelSave(qint64 fileId)
{
    if (m_downloads)
        m_downloads->cancelSave(fileId);
}

QUrl FileTransfers::suggestedSaveUrl(qint64 fileId) const
{
    QString dir = QStandardPaths::writableLocation(QStandardPaths::DownloadLocation);
    if (dir.isEmpty())
        dir = QDir::homePath();
    const auto info = m_rooms->findFile(fileId);
    // The name is the sender's suggestion, never a path (§16.4).
    QString name = info ? QFileInfo(info->name).fileName() : QString();
    if (name.isEmpty() || name.startsWith(u'.'))
        name = u"file-%1"_s.arg(fileId);
    const QFileInfo plain(QDir(dir).filePath(name));
    QString candidate = plain.absoluteFilePath();
    for (int n = 2; QFileInfo::exists(candidate) && n < 1000; ++n) {
        const QString suffix = plain.completeSuffix();
        candidate = QDir(dir).filePath(suffix.isEmpty()
                ? u"%1 (%2)"_s.arg(plain.baseName()).arg(n)
                : u"%1 (%2).%3"_s.arg(plain.baseName()).arg(n).arg(suffix));
    }
    return QUrl::fromLocalFile(candidate);
}

std::pair<double, QString> FileTransfers::status(qint64 fileId) const
{
    return {m_downloads ? m_downloads->saveProgress(fileId) : -1.0, m_savedPaths.value(fileId)};
}

void FileTransfers::announce(qint64 fileId)
{
    m_rooms->fileStatusChanged(fileId);
}

} // namespace confab::client
