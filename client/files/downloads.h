// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "protocol/fileinfo.h"

#include <QCryptographicHash>
#include <QElapsedTimer>
#include <QFile>
#include <QHash>
#include <QList>
#include <QObject>
#include <QPointer>
#include <QSet>
#include <functional>
#include <memory>

namespace confab::client {

class Connection;
class ConnectionState;
class FileCache;
struct Reply;

/*!
 * \brief Reads files and thumbnails from the server (docs/protocol.md §5.29) into the
 * local cache or to a place the user chose.
 *
 * A file is read in windows of the server's downloadWindowBytes, two requests ahead, so
 * the link stays busy; its bytes arrive in order, so the SHA-256 of a full file is
 * computed as they are written and compared with the file's before the copy is kept. A
 * dropped connection resumes from the bytes written. A cached full copy is hashed again
 * (on a worker thread) the first time it is used in a run: a damaged one is fetched anew.
 */
class Downloads : public QObject
{
    Q_OBJECT

public:
    /*! \a path of the local copy, or an empty path and why not (logs). */
    using Done = std::function<void(const QString &path, const QString &error)>;

    Downloads(Connection *connection, ConnectionState *state, FileCache *cache,
        QObject *parent = nullptr);
    ~Downloads() override;

    FileCache *cache() const { return m_cache; }
    /*! \brief The local copy of \a fileId (or its thumbnail) in the cache, fetched if
     * missing; \a done runs once on the GUI thread unless \a context is gone. A full
     * file is fetched only if the server decoded it as an image (§16.4). */
    void fetch(qint64 fileId, bool thumbnail, QObject *context, const Done &done);
    /*! \brief Writes \a fileId to \a destination (replacing it), checked by its hash. */
    void save(qint64 fileId, const QString &destination);
    void cancelSave(qint64 fileId);
    /*! \brief 0..1 while \a fileId is being saved; -1 otherwise. */
    double saveProgress(qint64 fileId) const;
    /*! \brief A binary message from the connection: download data (§16.2). */
    void handleBinary(const QByteArray &message);
    /*! \brief Stops everything, for another account. */
    void clear();

Q_SIGNALS:
    /*! \brief A save progressed (at most ~10 times a second) or ended (-1). */
    void saveProgressChanged(qint64 fileId, double progress);
    void saved(qint64 fileId, const QString &path);
    void saveFailed(qint64 fileId, const QString &reason);

private:
    struct Waiter
    {
        QPointer<QObject> context;
        bool hasContext = false;
        Done done;
    };
    struct Job
    {
        qint64 fileId = 0;
        bool thumbnail = false;
        bool saving = false; //!< to a place the user chose, not to the cache
        QString target; //!< where the copy goes once complete (cache: known once started)
        std::unique_ptr<QFile> file; //!< target + ".part" while it fills
        QCryptographicHash hash {QCryptographicHash::Sha256};
        qint64 written = 0; //!< bytes in file, in order
        qint64 requested = 0; //!< bytes asked for
        qint64 total = -1; //!< unknown until the first reply
        int inFlight = 0; //!< requests whose bytes are not all here
        protocol::FileInfo info;
        QList<Waiter> waiters;
        qint64 lastProgressMs = -1000;
    };
    struct Stream
    {
        std::shared_ptr<Job> job;
        qint64 offset = 0;
        qint64 length = 0;
        qint64 received = 0;
    };

    void onPhaseChanged();
    std::shared_ptr<Job> startJob(qint64 fileId, bool thumbnail, bool saving);
    void request(const std::shared_ptr<Job> &job);
    void ask(const std::shared_ptr<Job> &job, qint64 offset, qint64 length);
    void onStarted(const std::shared_ptr<Job> &job, const Reply &reply);
    void complete(const std::shared_ptr<Job> &job);
    void finishJob(const std::shared_ptr<Job> &job, const QString &path, const QString &error);
    void verifyThenServe(qint64 fileId, const QString &path, const QString &sha256);
    void reportSave(Job &job, bool force = false);
    std::shared_ptr<Job> findJob(qint64 fileId, bool thumbnail, bool saving) const;

    Connection *m_connection;
    ConnectionState *m_state;
    FileCache *m_cache;
    QList<std::shared_ptr<Job>> m_jobs;
    QHash<qint64, Stream> m_streams; //!< stream id (this connection's) -> what it fills
    QSet<QString> m_verified; //!< cached full copies hashed in this run
    QHash<qint64, QList<Waiter>> m_verifying; //!< file id -> who waits for the check
    QElapsedTimer m_clock;
};

} // namespace confab::client
