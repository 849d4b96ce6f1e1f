// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QByteArray>
#include <QCryptographicHash>
#include <QObject>
#include <QString>
#include <atomic>
#include <functional>
#include <memory>

namespace confab::server {

/*!
 * \brief An open descriptor shared by the event loop and the upload writer thread; closed
 * when the last of them lets go.
 */
class Descriptor
{
public:
    explicit Descriptor(int fd)
        : m_fd(fd)
    { }
    ~Descriptor();
    Descriptor(const Descriptor &) = delete;
    Descriptor &operator=(const Descriptor &) = delete;
    int fd() const { return m_fd; }

private:
    int m_fd;
};

/*!
 * \brief The temporary file of one unfinished upload: where the next chunk must start and
 * the SHA-256 of the bytes so far.
 *
 * The event loop only accepts chunks: writing them (pwrite), hashing them and making them
 * durable (fdatasync) happen in order on one writer thread that every upload shares. A
 * pwrite can stall for tens of milliseconds while the kernel flushes dirty pages, and
 * hashing 256 KiB costs about a millisecond: on the event loop, a large upload held up every
 * other user's messages (bench/files.md). Written bytes are handed to the kernel's
 * write-back at once (sync_file_range), so they never pile up as dirty pages that the
 * database's own fsyncs would then have to wait behind.
 */
class UploadFile
{
public:
    /*! \brief What became of a chunk given to append(). */
    enum class Append
    {
        Queued, //!< accepted; written in order on the writer thread
        Busy, //!< the writer is MaxQueuedBytes behind for this upload: refused, try later
        Failed, //!< an earlier write failed, or the file cannot be opened: refused
    };

    /*! \brief Bytes of one upload that may wait for the writer before chunks are refused. */
    static constexpr qint64 MaxQueuedBytes = 32 * 1024 * 1024;
    /*! \brief The same for every upload together. */
    static constexpr qint64 MaxQueuedBytesInAll = 256 * 1024 * 1024;

    /*! \brief The file at \a path, of which the first \a length bytes are kept. */
    UploadFile(const QString &path, qint64 length);

    /*! \brief Opens (creating) the file; false with \a error on failure. */
    bool open(QString *error);
    /*! \brief Accepts \a data at written(); kept by reference until it is written. */
    Append append(const QByteArray &data, QString *error);
    /*!
     * \brief After every chunk appended so far is written, makes the file durable, then
     * calls \a done(synced) on \a context's thread. false: a write or the fdatasync failed.
     */
    void sync(QObject *context, std::function<void(bool synced)> done);

    /*! \brief Bytes accepted: where the next chunk must start. */
    qint64 written() const { return m_written; }
    const QString &path() const { return m_path; }
    /*!
     * \brief The SHA-256 of bytes [0, written()) in lowercase hex, if this process saw all
     * of them; empty when the upload began before a restart (then hash the file). Read it
     * only after a sync() that covered every byte has reported.
     */
    QString sha256() const;

    /*! \brief Waits until the writer thread has done everything queued (at shutdown). */
    static void waitForWriter();

private:
    // What the writer thread works on; it outlives this object while jobs are queued.
    struct Shared
    {
        std::shared_ptr<Descriptor> fd;
        std::atomic<qint64> queued {0};
        std::atomic<bool> failed {false};
        QCryptographicHash hash {QCryptographicHash::Sha256};
        bool hashComplete = false;
    };

    QString m_path;
    qint64 m_written;
    std::shared_ptr<Shared> m_shared;
};

} // namespace confab::server
