// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

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

    static constexpr int IntervalMs = 10 * 60 * 1000;
    static constexpr int BatchFiles = 500;

Q_SIGNALS:
    /*! \brief A sweep finished: \a files deleted, \a blobs removed from disk. */
    void collected(int files, int blobs);

private:
    void removeBlobs(int files, const QStringList &sha256s);

    StorageWriter &m_writer;
    BlobStore &m_blobs;
    QTimer m_timer;
    bool m_running = false;
    bool m_stopped = false;
};

} // namespace confab::server
