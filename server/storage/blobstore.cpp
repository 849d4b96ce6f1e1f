// SPDX-License-Identifier: GPL-3.0-or-later
#include "storage/blobstore.h"

#include <QCryptographicHash>
#include <QDir>
#include <QFile>
#include <QTemporaryFile>
#include <cerrno>
#include <cstring>
#include <fcntl.h>
#include <unistd.h>

using namespace Qt::StringLiterals;

namespace confab::server {

namespace {
QString systemError()
{
    return QString::fromLocal8Bit(std::strerror(errno));
}
} // namespace

BlobStore::BlobStore(const QString &root)
    : m_root(QDir::cleanPath(root))
{ }

bool BlobStore::open(QString *error)
{
    if (!QDir().mkpath(tempDir())) {
        *error = u"cannot create the files folder %1"_s.arg(tempDir());
        return false;
    }
    return true;
}

QString BlobStore::tempDir() const
{
    return m_root + u"/tmp"_s;
}

QString BlobStore::uploadPath(qint64 uploadId) const
{
    return tempDir() + u'/' + QString::number(uploadId);
}

QString BlobStore::blobPath(const QString &sha256) const
{
    // 256 folders of the first two digits: no folder grows to millions of entries.
    return m_root + u'/' + sha256.left(2) + u'/' + sha256.mid(2);
}

bool BlobStore::contains(const QString &sha256) const
{
    return QFile::exists(blobPath(sha256));
}

bool BlobStore::adopt(const QString &path, const QString &sha256, QString *error)
{
    if (sha256.size() != 64) {
        *error = u"not a SHA-256: %1"_s.arg(sha256);
        return false;
    }
    if (!syncFile(path)) {
        *error = u"cannot sync %1: %2"_s.arg(path, systemError());
        return false;
    }
    const QString dir = m_root + u'/' + sha256.left(2);
    if (!QFileInfo::exists(dir)) {
        if (!QDir().mkpath(dir)) {
            *error = u"cannot create %1"_s.arg(dir);
            return false;
        }
        // The new folder's name must be durable before the blob in it is relied on.
        if (!syncDirectory(m_root)) {
            *error = u"cannot sync %1: %2"_s.arg(m_root, systemError());
            return false;
        }
    }
    const QByteArray from = QFile::encodeName(path);
    const QByteArray to = QFile::encodeName(blobPath(sha256));
    // A link, never a copy: the name appears at once with every byte behind it. A blob that
    // is already there holds the same bytes (dedup).
    if (::link(from.constData(), to.constData()) != 0 && errno != EEXIST) {
        *error = u"cannot link %1 to %2: %3"_s.arg(path, blobPath(sha256), systemError());
        return false;
    }
    if (!syncDirectory(dir)) {
        *error = u"cannot sync %1: %2"_s.arg(dir, systemError());
        return false;
    }
    return true;
}

QString BlobStore::store(const QByteArray &bytes, QString *error)
{
    QTemporaryFile file(tempDir() + u"/blob-XXXXXX"_s);
    if (!file.open() || file.write(bytes) != bytes.size() || !file.flush()) {
        *error = u"cannot write a blob in %1: %2"_s.arg(tempDir(), file.errorString());
        return {};
    }
    QString sha256
        = QString::fromLatin1(QCryptographicHash::hash(bytes, QCryptographicHash::Sha256).toHex());
    if (!adopt(file.fileName(), sha256, error))
        return {};
    return sha256;
}

bool BlobStore::remove(const QString &sha256)
{
    if (sha256.size() != 64)
        return false;
    return QFile::remove(blobPath(sha256)) || !contains(sha256);
}

QString BlobStore::hashFile(const QString &path, qint64 length)
{
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly))
        return {};
    QCryptographicHash hash(QCryptographicHash::Sha256);
    qint64 left = length < 0 ? file.size() : length;
    QByteArray buffer(1024 * 1024, Qt::Uninitialized);
    while (left > 0) {
        const qint64 n = file.read(buffer.data(), std::min<qint64>(left, buffer.size()));
        if (n <= 0)
            return {};
        hash.addData(QByteArrayView(buffer.constData(), n));
        left -= n;
    }
    return QString::fromLatin1(hash.result().toHex());
}

bool BlobStore::syncDescriptor(int fd)
{
    return ::fdatasync(fd) == 0;
}

bool BlobStore::syncFile(const QString &path)
{
    const int fd = ::open(QFile::encodeName(path).constData(), O_RDONLY | O_CLOEXEC);
    if (fd < 0)
        return false;
    const bool ok = ::fsync(fd) == 0;
    ::close(fd);
    return ok;
}

bool BlobStore::syncDirectory(const QString &path)
{
    const int fd = ::open(QFile::encodeName(path).constData(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (fd < 0)
        return false;
    const bool ok = ::fsync(fd) == 0;
    ::close(fd);
    return ok;
}

} // namespace confab::server
