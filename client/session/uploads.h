// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "store/localstore.h"

#include <QElapsedTimer>
#include <QFile>
#include <QHash>
#include <QList>
#include <QObject>
#include <QTimer>
#include <memory>

namespace confab::protocol {
struct ServerFrame;
struct UploadProgress;
} // namespace confab::protocol

namespace confab::client {

class Connection;
class ConnectionState;
struct Reply;

/*!
 * \brief The file half of the outbox: uploads the files of an unsent message
 * (docs/protocol.md §16.1) so that the Outbox can then send it with their ids.
 *
 * One file is uploaded at a time, in the order messages were queued. For each: its SHA-256
 * (computed on a worker thread: a 1 GiB file takes seconds), upload_begin, chunks of the
 * server's maxChunkBytes with at most WindowBytes sent and not yet durable, upload_finish.
 * Each `uploaded` push moves the durable offset, which is kept in the cache with the upload
 * id: after a dropped connection, a refused chunk or an app restart, upload_status says
 * where to go on, and only bytes the server did not hold are sent again.
 */
class Uploads : public QObject
{
    Q_OBJECT

public:
    //! Bytes sent and not yet durable, at most (§16.1: keeps loopback and LAN links busy).
    static constexpr qint64 WindowBytes = 16LL * 1024 * 1024;

    Uploads(Connection *connection, ConnectionState *state, QObject *parent = nullptr);
    ~Uploads() override;

    void setStore(LocalStore *store);
    /*! \brief Uploads \a entry's unfinished files (after those queued before it); nothing
     * if it is queued already. */
    void start(const OutboxEntry &entry);
    /*! \brief Stops \a txn's uploads and abandons them on the server (upload_cancel). */
    void cancel(const QString &txn);
    /*! \brief Stops everything, for another account. */
    void clear();
    bool contains(const QString &txn) const;
    /*! \brief 0..1 over all of \a txn's files; -1 when it is not uploading. */
    double progress(const QString &txn) const;

    void handleUploaded(const protocol::UploadProgress &progress);
    /*! \brief An error frame without a request id: a refused chunk names its upload. */
    void handleChunkError(const protocol::ServerFrame &frame);

Q_SIGNALS:
    /*! \brief File \a position of \a txn got further (hash, upload id, durable bytes, or
     * its object once finished): what the cache now holds for it. */
    void fileUpdated(const QString &txn, int position, const confab::client::OutboxFile &file);
    /*! \brief Every file of \a txn is on the server: the message can be sent. */
    void finished(const QString &txn);
    /*! \brief \a txn cannot be uploaded (too large, quota, the file is gone or changed). */
    void failed(const QString &txn, const QString &reason);
    /*! \brief At most ~10 times a second per message, and at 1. */
    void progressChanged(qint64 room, const QString &txn, double progress);

private:
    enum class Step
    {
        Waiting, //!< not the current job, or offline
        Hashing,
        Beginning,
        AskingStatus,
        Sending,
        Finishing,
    };
    struct Job
    {
        OutboxEntry entry;
        int current = 0; //!< the file being uploaded
        Step step = Step::Waiting;
        qint64 sent = 0; //!< bytes of the current file handed to the connection
        std::unique_ptr<QFile> file; //!< open while sending
        qint64 lastProgressMs = -1000;
        double reported = -1;
    };

    void onPhaseChanged();
    void advance();
    void hash(Job &job);
    void onHashed(const QString &txn, int position, const QString &sha);
    void begin(Job &job);
    void askStatus(Job &job);
    void finish(Job &job);
    void pump();
    void fail(const QString &reason);
    void persist(Job &job);
    void reportProgress(Job &job, bool force = false);
    /*! The handler's job is still the current one, at the same file. */
    bool stillCurrent(const QString &txn, int position) const;
    Job *current();
    const Job *find(const QString &txn) const;

    Connection *m_connection;
    ConnectionState *m_state;
    LocalStore *m_store = nullptr;
    QList<std::shared_ptr<Job>> m_jobs; //!< in queue order; the first one runs
    QTimer m_pumpLater; //!< the next slice of chunks, after other events had their turn
    QTimer m_retry; //!< after rate_limited or a transient error
    QTimer m_progressLater; //!< progress held back by the rate limit, reported then
    QElapsedTimer m_clock;
};

} // namespace confab::client
