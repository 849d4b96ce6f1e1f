// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QByteArrayView>
#include <QCryptographicHash>
#include <QString>
#include <memory>

namespace confab::server {

/*!
 * \brief An open descriptor shared by the event loop (which writes) and a worker thread
 * (which makes it durable); closed when the last of them lets go.
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
 * the SHA-256 of the bytes so far, computed as they are written.
 *
 * Chunks are written with pwrite() on the event loop as they arrive: that only copies them
 * into the page cache. Making them durable (fdatasync) is the worker's, through descriptor().
 */
class UploadFile
{
public:
    /*! \brief The file at \a path, of which the first \a length bytes are kept. */
    UploadFile(const QString &path, qint64 length);

    /*! \brief Opens (creating) the file; false with \a error on failure. */
    bool open(QString *error);
    /*! \brief Appends \a data at written(); false with \a error on failure (nothing counted). */
    bool append(QByteArrayView data, QString *error);

    qint64 written() const { return m_written; }
    const QString &path() const { return m_path; }
    std::shared_ptr<Descriptor> descriptor() const { return m_fd; }
    /*!
     * \brief The SHA-256 of bytes [0, written()) in lowercase hex, if this process saw all
     * of them; empty when the upload began before a restart (then hash the file).
     */
    QString sha256() const;

private:
    QString m_path;
    qint64 m_written;
    std::shared_ptr<Descriptor> m_fd;
    QCryptographicHash m_hash {QCryptographicHash::Sha256};
    bool m_hashComplete;
};

} // namespace confab::server
