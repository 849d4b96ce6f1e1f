// SPDX-License-Identifier: GPL-3.0-or-later
#include "chat/uploadfile.h"

#include "core/logging.h"

#include <QFile>
#include <QFileInfo>
#include <QMetaObject>
#include <QPointer>
#include <QThreadPool>
#include <cerrno>
#include <cstring>
#include <fcntl.h>
#include <unistd.h>

using namespace Qt::StringLiterals;

namespace confab::server {

namespace {

// One thread for every upload: jobs run in the order they were queued, so a sync queued
// after some chunks runs after they are written.
QThreadPool &writer()
{
    static QThreadPool pool;
    static const bool configured = [] {
        pool.setMaxThreadCount(1);
        pool.setExpiryTimeout(-1);
        return true;
    }();
    Q_UNUSED(configured);
    return pool;
}

// Bytes every upload together has waiting for the writer: a slow disk must not let many
// uploads hold a share each of the server's memory.
std::atomic<qint64> &totalQueued()
{
    static std::atomic<qint64> queued {0};
    return queued;
}

bool writeAll(int fd, const QByteArray &data, qint64 offset)
{
    qint64 done = 0;
    while (done < data.size()) {
        const ssize_t n = ::pwrite(
            fd, data.constData() + done, size_t(data.size() - done), off_t(offset + done));
        if (n < 0 && errno == EINTR)
            continue;
        if (n <= 0)
            return false;
        done += n;
    }
#ifdef SYNC_FILE_RANGE_WRITE
    // Start write-back now, without waiting for it: the fdatasync of the batch finds little
    // left to do, and no pile of dirty pages delays the database's fsyncs meanwhile.
    ::sync_file_range(fd, off_t(offset), off_t(data.size()), SYNC_FILE_RANGE_WRITE);
#endif
    return true;
}

} // namespace

Descriptor::~Descriptor()
{
    if (m_fd >= 0)
        ::close(m_fd);
}

UploadFile::UploadFile(const QString &path, qint64 length)
    : m_path(path)
    , m_written(length)
    , m_shared(std::make_shared<Shared>())
{
    m_shared->hashComplete = length == 0;
}

bool UploadFile::open(QString *error)
{
    if (m_shared->fd)
        return true;
    const int fd = ::open(
        QFile::encodeName(m_path).constData(), O_WRONLY | O_CREAT | O_CLOEXEC, S_IRUSR | S_IWUSR);
    if (fd < 0) {
        *error = u"cannot open %1: %2"_s.arg(m_path, QString::fromLocal8Bit(std::strerror(errno)));
        return false;
    }
    m_shared->fd = std::make_shared<Descriptor>(fd);
    // The file's name must be durable before its bytes are acknowledged: the folder is
    // synced on the writer thread, ahead of the first chunk's write and sync.
    writer().start([folder = QFileInfo(m_path).absolutePath()] {
        const int dir = ::open(QFile::encodeName(folder).constData(), O_RDONLY | O_CLOEXEC);
        if (dir >= 0) {
            ::fsync(dir);
            ::close(dir);
        }
    });
    return true;
}

UploadFile::Append UploadFile::append(const QByteArray &data, QString *error)
{
    if (m_shared->failed) {
        *error = u"an earlier write to %1 failed"_s.arg(m_path);
        return Append::Failed;
    }
    if (!open(error))
        return Append::Failed;
    if (m_shared->queued + data.size() > MaxQueuedBytes
        || totalQueued() + data.size() > MaxQueuedBytesInAll)
        return Append::Busy;
    m_shared->queued += data.size();
    totalQueued() += data.size();
    const qint64 offset = m_written;
    m_written += data.size();
    writer().start([shared = m_shared, data, offset, path = m_path] {
        if (!shared->failed) {
            if (writeAll(shared->fd->fd(), data, offset)) {
                if (shared->hashComplete)
                    shared->hash.addData(data);
            } else {
                qCWarning(lcFiles) << "cannot write" << path << std::strerror(errno);
                shared->failed = true;
            }
        }
        shared->queued -= data.size();
        totalQueued() -= data.size();
    });
    return Append::Queued;
}

void UploadFile::sync(QObject *context, std::function<void(bool)> done)
{
    writer().start([shared = m_shared, context = QPointer<QObject>(context),
                       done = std::move(done)]() mutable {
        const bool synced = !shared->failed && (!shared->fd || ::fdatasync(shared->fd->fd()) == 0);
        if (context)
            QMetaObject::invokeMethod(
                context, [done = std::move(done), synced] { done(synced); }, Qt::QueuedConnection);
    });
}

QString UploadFile::sha256() const
{
    if (!m_shared->hashComplete || m_shared->failed)
        return {};
    return QString::fromLatin1(m_shared->hash.resultView().toByteArray().toHex());
}

void UploadFile::waitForWriter()
{
    writer().waitForDone();
}

} // namespace confab::server
