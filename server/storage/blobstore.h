// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QByteArray>
#include <QString>

namespace confab::server {

/*!
 * \brief File bytes on disk, content addressed (protocol §16): a finished file or thumbnail
 * is `<root>/ab/cdef…`, named by the SHA-256 of its bytes in lowercase hex, so identical
 * bytes are stored once; an upload in progress is `<root>/tmp/<upload id>`.
 *
 * A blob's path only ever appears by linking a complete, fsynced file into place (and the
 * folder is fsynced after), so a crash never leaves a half-written blob under its name.
 * Rows in the `blobs` table (storage/filestore.h) say which blobs exist for the server; a
 * file on disk without a row is garbage a collector may remove, a row whose file is gone
 * is a bug. Whoever removes a blob removes its row in a writer job first, then the file.
 *
 * Every method is thread-safe (plain system calls on distinct paths) and may block on the
 * disk: call them on a worker thread, except uploadPath()/blobPath().
 */
class BlobStore
{
public:
    explicit BlobStore(const QString &root);

    /*! \brief Creates the folders; false with \a error if they cannot be created. */
    bool open(QString *error);

    const QString &root() const { return m_root; }
    QString tempDir() const;
    /*! \brief Where the bytes of unfinished upload \a uploadId are written. */
    QString uploadPath(qint64 uploadId) const;
    /*! \brief Where the blob with SHA-256 \a sha256 (64 lowercase hex digits) lives. */
    QString blobPath(const QString &sha256) const;
    bool contains(const QString &sha256) const;

    /*!
     * \brief Makes the complete file at \a path the blob \a sha256: fsyncs it, hard-links
     * it into place (an existing blob of the same bytes is kept: dedup) and fsyncs the
     * folder. \a path itself stays; remove it once the blob's row is committed.
     */
    bool adopt(const QString &path, const QString &sha256, QString *error);

    /*!
     * \brief Stores \a bytes as a blob (a thumbnail): written to a temporary file, fsynced,
     * then adopted. Returns the SHA-256 hex, empty with \a error on failure.
     */
    QString store(const QByteArray &bytes, QString *error);

    /*! \brief Removes the blob's file (after its row is gone). */
    bool remove(const QString &sha256);

    /*! \brief SHA-256 of a file's first \a length bytes (all when -1), lowercase hex; empty on
     * error. */
    static QString hashFile(const QString &path, qint64 length = -1);
    /*! \brief fdatasync of an open descriptor; false on error. */
    static bool syncDescriptor(int fd);
    /*! \brief fsync of the file at \a path. */
    static bool syncFile(const QString &path);
    /*! \brief fsync of a folder, so that names created or removed in it are durable. */
    static bool syncDirectory(const QString &path);

private:
    QString m_root;
};

} // namespace confab::server
