// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "chat/uploadfile.h"
#include "core/serverconfig.h"
#include "protocol/request.h"
#include "storage/filestore.h"

#include <QHash>
#include <QJsonValue>
#include <QObject>
#include <QPointer>
#include <QThreadPool>
#include <QTimer>
#include <functional>
#include <memory>

namespace confab::server {

class BlobStore;
class Peer;
class StatementCache;
class StorageWriter;

/*!
 * \brief Uploads (protocol §16.1, §5.25–5.28): upload_begin, the binary chunks, durable
 * acknowledgements, upload_status, upload_finish and upload_cancel, and the expiry of
 * uploads left unfinished.
 *
 * Chunks are written to the upload's temporary file on the event loop as they arrive (into
 * the page cache, so memory stays bounded by chunks in flight, not file sizes); durability
 * comes in batches: an fdatasync on a worker thread, then the durable offset is committed
 * through the StorageWriter, then `uploaded` goes to the connection that sent the last
 * chunk. Hashing, type detection and thumbnails at upload_finish run on a worker too, so a
 * large upload never holds up other users' messages.
 */
class Uploads : public QObject
{
    Q_OBJECT
public:
    Uploads(const ServerConfig &config, StorageWriter &writer, StatementCache &reader,
        BlobStore &blobs, QObject *parent = nullptr);
    ~Uploads() override;

    /*!
     * \brief Brings every unfinished upload's file back to its durable length (what a crash
     * wrote past it was never acknowledged) and removes leftovers from the temporary folder.
     */
    bool open(QString *error);
    /*! \brief At shutdown: no more batches or finishes; waits for the workers. */
    void drain();

    void handleBegin(Peer *peer, const protocol::Request &r);
    void handleStatus(Peer *peer, const protocol::Request &r);
    void handleFinish(Peer *peer, const protocol::Request &r);
    void handleCancel(Peer *peer, const protocol::Request &r);
    void handleChunk(Peer *peer, qint64 upload, qint64 offset, const QByteArray &data);

    /*! \brief Deletes uploads idle past uploadExpiryHours (§16.6), a batch at a time. */
    void expire();

    /*! \brief Bytes of the batch that triggers a flush without waiting (§16.1). */
    static constexpr qint64 BatchBytes = 4 * 1024 * 1024;
    /*! \brief Wait after a chunk that did not fill a batch. */
    static constexpr int BatchDelayMs = 100;
    /*! \brief An upload untouched this long leaves memory (and closes its file). */
    static constexpr qint64 IdleReleaseMs = 60 * 1000;

private:
    struct Active;
    struct Finished;
    struct Waiter
    {
        qint64 offset = 0; //!< runs once this many bytes are durable
        std::function<void()> run;
        QPointer<Peer> peer; //!< the request it answers, told shutting_down at a drain
        QJsonValue requestId;
    };

    /*!
     * \brief The in-memory state of \a peer's unfinished upload \a id, loaded from its row
     * if need be; null (and \a row empty) when it is not one of theirs. \a row gets the row
     * of a finished upload of theirs.
     */
    std::shared_ptr<Active> find(Peer *peer, qint64 id, std::optional<UploadRecord> *row = nullptr);
    void flush(const std::shared_ptr<Active> &upload);
    void flushed(const std::shared_ptr<Active> &upload, qint64 target, bool synced);
    void whenDurable(const std::shared_ptr<Active> &upload, Peer *peer, const QJsonValue &requestId,
        std::function<void()> run);
    void finish(const std::shared_ptr<Active> &upload);
    void commitFinish(const std::shared_ptr<Active> &upload, const Finished &result);
    void answerFinish(const std::shared_ptr<Active> &upload,
        const std::function<void(Peer *, const QJsonValue &)> &answer);
    void forget(qint64 id);
    void releaseIdle();
    void removeLater(const QStringList &paths);

    const ServerConfig &m_config;
    StorageWriter &m_writer;
    StatementCache &m_reader;
    BlobStore &m_blobs;
    QHash<qint64, std::shared_ptr<Active>> m_active;
    QThreadPool m_syncPool; //!< fdatasync and unlink: short, never behind a slow finish
    QThreadPool m_finishPool; //!< hashing, inspecting, storing finished files
    QTimer m_expiryTimer;
    bool m_draining = false;
};

} // namespace confab::server
