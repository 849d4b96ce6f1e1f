// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QHash>
#include <QString>

namespace confab::client {

/*!
 * \brief The local copies of files and thumbnails downloaded from the server, in one
 * folder, under a size cap: the least recently used go first.
 *
 * A full file is kept as "<id>-<sha256>.full", so its expected hash travels with it and a
 * copy damaged on disk is found (see Downloads); a thumbnail as "<id>.thumb". The time a
 * copy was last used is its modification time: it survives restarts without an index.
 * GUI thread only; image providers get paths from Downloads.
 */
class FileCache
{
public:
    static constexpr qint64 DefaultCapBytes = 500LL * 1024 * 1024;

    explicit FileCache(const QString &dir, qint64 capBytes = DefaultCapBytes);

    QString dir() const { return m_dir; }
    qint64 capBytes() const { return m_cap; }
    /*! \brief Evicts at once if the copies now take more. */
    void setCapBytes(qint64 bytes);
    qint64 usedBytes() const { return m_used; }

    /*! \brief The copy's path if held (and marks it used now); empty if not. */
    QString lookup(qint64 fileId, bool thumbnail, const QString &sha256 = {});
    /*! \brief The full copy of \a fileId if held, whatever its hash, which is put in
     * \a sha256 (marks it used now); empty if not held. */
    QString lookupFull(qint64 fileId, QString *sha256);
    /*! \brief Where a copy is written: the caller writes it, then calls added(). */
    QString pathFor(qint64 fileId, bool thumbnail, const QString &sha256 = {}) const;
    /*! \brief The copy at \a path is complete: counted, and older ones evicted to the cap
     * (never this one). */
    void added(const QString &path);
    /*! \brief A copy found damaged: deleted. */
    void remove(const QString &path);

private:
    void scan();
    void evict(const QString &keep);

    QString m_dir;
    qint64 m_cap;
    qint64 m_used = 0;
    QHash<QString, qint64> m_sizes; //!< file name -> bytes
};

} // namespace confab::client
