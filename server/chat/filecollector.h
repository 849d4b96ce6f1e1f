// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QFutureWatcher>
#include <QObject>
#include <QStringList>
#include <QTimer>

namespace confab::server {

class BlobStore;
class StorageWriter;

/*!
 * \brief Deletes finished files that no message has referenced for a day, and the blobs
 * nothing uses any more (protocol §16.6), rows first and bytes after the commit.
 *
 * Cheap enough to run often: one indexed query finds the few files due (usually none); a
 * sweep takes at most BatchFiles of them and comes back soon when there were more.
 *
 * Once a day (and once at start) it also looks on disk for blob files that no row names:
 * what a crash between linking a blob and committing its row, or a failed upload_finish
 * after its thumbnail was stored, leaves behind. The folder is listed on a worker thread;
 * only files older than OrphanAgeMs are candidates, and each is removed in a writer job
 * that first checks again that it has no row.
 */
class FileCollector : public QObject
{
    Q_OBJECT
public:
    FileCollector(StorageWriter &writer, BlobStore &blobs, QObject *parent = nullptr);

    void start();
    /*! \brief No further sweeps (shutdown); one already submitted still completes. */
    void stop();
    /*! \brief One sweep now; \a nowMs stands for the clock (tests). */
    void collect(qint64 nowMs);

    /*! \brief Looks for blob files without a row now; \a nowMs stands for the clock. */
    void sweepDisk(qint64 nowMs);

    static constexpr int IntervalMs = 10 * 60 * 1000;
    static constexpr int BatchFiles = 500;
    static constexpr int DiskIntervalMs = 24 * 60 * 60 * 1000;
    /*! \brief A blob file without a row younger than this may be an upload finishing now. */
    static constexpr qint64 OrphanAgeMs = 60 * 60 * 1000;

Q_SIGNALS:
    /*! \brief A sweep finished: \a files deleted, \a blobs removed from disk. */
    void collected(int files, int blobs);
    /*! \brief A disk sweep finished: \a removed blob files had no row. */
    void diskSwept(int removed);

private:
    void removeBlobs(int files, const QStringList &sha256s);

    StorageWriter &m_writer;
    BlobStore &m_blobs;
    QTimer m_timer;
    QTimer m_diskTimer;
    QFutureWatcher<QStringList> m_diskScan;
    bool m_running = false;
    bool m_stopped = false;
};

} // namespace confab::server
