// SPDX-License-Identifier: GPL-3.0-or-later
#include "chat/uploads.h"

#include "chat/peer.h"
#include "chat/peerwrite.h"
#include "core/logging.h"
#include "core/metrics.h"
#include "media/fileinspector.h"
#include "media/filetype.h"
#include "protocol/fileresults.h"
#include "protocol/serverframe.h"
#include "storage/blobstore.h"
#include "storage/statementcache.h"
#include "storage/storagewriter.h"
#include "storage/writecontext.h"

#include <QDateTime>
#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <unistd.h>

using namespace Qt::StringLiterals;
using confab::protocol::ErrorCode;

namespace confab::server {

/*! \brief An unfinished upload this process has touched. */
struct Uploads::Active
{
    UploadRecord row;
    UploadFile file;
    qint64 durable = 0; //!< committed as durable
    bool flushing = false; //!< an fdatasync and its commit are under way
    bool finishing = false;
    bool gone = false; //!< cancelled, expired or finished: late work changes nothing
    QPointer<Peer> lastSender; //!< gets the `uploaded` push
    QList<Waiter> waiters;
    QList<QPair<QPointer<Peer>, QJsonValue>> finishers; //!< upload_finish requests to answer
    QTimer batchTimer;
    qint64 lastUsedMs = 0; //!< wall clock of the last chunk or request; idle ones are let go

    Active(const UploadRecord &r, const QString &path)
        : row(r)
        , file(path, r.durable)
        , durable(r.durable)
    {
        batchTimer.setSingleShot(true);
        batchTimer.setInterval(BatchDelayMs);
    }
};

/*! \brief What the worker made of a complete upload. */
struct Uploads::Finished
{
    QString error; //!< storage trouble: answered storage_error
    QString mismatch; //!< the hash of what arrived, when it is not the one declared
    FileRecord file;
    QString tempPath; //!< the bytes to store: the upload's file, or a scrubbed copy of it
    QString uploadPath; //!< the upload's file, as uploaded
    QByteArray thumbnail; //!< its bytes, to store again if collected before the commit
};

namespace {

// A JPEG's location is erased in a copy (inspectFile rewrites what it is given): the
// upload's own file keeps the bytes as uploaded, so a finish retried after a crash or a
// failed commit still matches the declared hash.
bool copyForScrub(const QString &path, QString *copy)
{
    const QString to = path + u".scrubbed"_s;
    QFile::remove(to);
    if (!QFile::copy(path, to))
        return false;
    *copy = to;
    return true;
}

// How long a client waits when its upload is ahead of the disk (UploadFile::Busy).
constexpr int BusyRetryMs = 100;

qint64 wallNow()
{
    return QDateTime::currentMSecsSinceEpoch();
}

QJsonObject uploadDetails(qint64 upload)
{
    return {{u"upload"_s, double(upload)}};
}

QJsonObject uploadDetails(qint64 upload, qint64 expected)
{
    return {{u"upload"_s, double(upload)}, {u"expected"_s, double(expected)}};
}

void failNotFound(Peer *peer, const QJsonValue &id, qint64 upload)
{
    peer->fail(id, ErrorCode::NotFound, u"no upload %1 of yours"_s.arg(upload),
        protocol::frames::offendingField(u"upload"_s));
}
} // namespace

Uploads::Uploads(const ServerConfig &config, StorageWriter &writer, StatementCache &reader,
    BlobStore &blobs, QObject *parent)
    : QObject(parent)
    , m_config(config)
    , m_writer(writer)
    , m_reader(reader)
    , m_blobs(blobs)
{
    m_syncPool.setMaxThreadCount(4);
    m_finishPool.setMaxThreadCount(2);
    m_expiryTimer.setInterval(60 * 1000);
    connect(&m_expiryTimer, &QTimer::timeout, this, &Uploads::expire);
}

Uploads::~Uploads()
{
    // Their completions are queued to this object and die with it; the jobs must not.
    m_syncPool.waitForDone();
    m_finishPool.waitForDone();
}

bool Uploads::open(QString *error)
{
    if (!m_blobs.open(error))
        return false;
    QSet<QString> keep;
    for (const UploadRecord &u : filestore::unfinishedUploads(m_reader)) {
        const QString path = m_blobs.uploadPath(u.id);
        keep.insert(QFileInfo(path).fileName());
        QFile file(path);
        // Bytes past the durable offset were never acknowledged: the client sends them again.
        if (file.exists() && file.size() > u.durable && !file.resize(u.durable)) {
            *error = u"cannot truncate %1: %2"_s.arg(path, file.errorString());
            return false;
        }
        if (file.size() < u.durable || !file.exists()) {
            // Only a file damaged outside confabd gets here: start that upload over.
            qCWarning(lcFiles) << "upload" << u.id << "has" << file.size() << "of" << u.durable
                               << "durable bytes; restarting it";
            m_writer.submit(
                [id = u.id](WriteContext &ctx) {
                    return ctx.run(u"UPDATE uploads SET durable = 0 WHERE id = ?"_s, {id})
                        != nullptr;
                },
                {});
            file.resize(0);
        }
    }
    QStringList leftovers;
    const QDir temp(m_blobs.tempDir());
    for (const QString &name : temp.entryList(QDir::Files | QDir::Hidden | QDir::System)) {
        if (!keep.contains(name))
            leftovers.append(temp.filePath(name));
    }
    for (const QString &path : std::as_const(leftovers))
        QFile::remove(path);
    qCInfo(lcFiles) << keep.size() << "unfinished uploads;" << leftovers.size()
                    << "leftover temporary files removed";
    m_expiryTimer.start();
    expire();
    return true;
}

void Uploads::drain()
{
    m_draining = true;
    m_expiryTimer.stop();
    for (const auto &upload : std::as_const(m_active))
        upload->batchTimer.stop();
    UploadFile::waitForWriter();
    m_syncPool.waitForDone();
    m_finishPool.waitForDone();
    // Requests still waiting for a batch or a finish get their one reply before the close.
    const auto stopping = [](Peer *p, const QJsonValue &requestId) {
        p->fail(requestId, ErrorCode::ShuttingDown, u"the server is shutting down"_s);
    };
    for (const auto &upload : std::as_const(m_active)) {
        for (const Waiter &w : std::exchange(upload->waiters, {})) {
            if (w.peer)
                stopping(w.peer, w.requestId);
        }
        answerFinish(upload, stopping);
    }
}

std::shared_ptr<Uploads::Active> Uploads::find(
    Peer *peer, qint64 id, std::optional<UploadRecord> *finished)
{
    if (const auto it = m_active.constFind(id); it != m_active.cend()) {
        if (it.value()->row.userId != peer->userId())
            return nullptr;
        it.value()->lastUsedMs = wallNow();
        return it.value();
    }
    std::optional<UploadRecord> row = filestore::upload(m_reader, id);
    if (!row || row->userId != peer->userId())
        return nullptr;
    if (row->fileId != 0) {
        if (finished)
            *finished = row;
        return nullptr;
    }
    auto upload = std::make_shared<Active>(*row, m_blobs.uploadPath(id));
    connect(
        &upload->batchTimer, &QTimer::timeout, this, [this, weak = std::weak_ptr<Active>(upload)] {
            if (auto u = weak.lock())
                flush(u);
        });
    upload->lastUsedMs = wallNow();
    m_active.insert(id, upload);
    return upload;
}

void Uploads::handleBegin(Peer *peer, const protocol::Request &r)
{
    const auto &request = r.as<protocol::body::UploadBegin>();
    const protocol::Limits &limits = m_config.limits;
    if (request.size > limits.maxFileBytes) {
        QJsonObject details = protocol::frames::offendingField(u"size"_s);
        details.insert(u"limit"_s, double(limits.maxFileBytes));
        return peer->fail(r.id, ErrorCode::TooLarge,
            u"size: larger than %1 bytes"_s.arg(limits.maxFileBytes), details);
    }
    struct Begun
    {
        UploadRecord row;
        FileUsage usage;
        ErrorCode refusal = ErrorCode::Internal; //!< Internal: not refused
    };
    UploadRecord row;
    row.userId = peer->userId();
    row.name = request.name;
    row.size = request.size;
    row.sha256 = request.sha256;
    // Checked in the transaction: two begins at once must not both fit the last slot.
    writeFor<Begun>(
        m_writer, peer, r.id,
        [row, limits](WriteContext &ctx) -> std::optional<Begun> {
            Begun b {row, filestore::usage(ctx, row.userId)};
            if (b.usage.uploadsInFlight >= limits.uploadsInFlight) {
                b.refusal = ErrorCode::TooManyUploads;
                return b;
            }
            if (limits.quotaBytes > 0 && b.usage.usedBytes + row.size > limits.quotaBytes) {
                b.refusal = ErrorCode::QuotaExceeded;
                return b;
            }
            b.row.createdMs = b.row.touchedMs = ctx.now();
            if (!filestore::insertUpload(ctx, b.row))
                return std::nullopt;
            return b;
        },
        [id = r.id, limits](Peer *p, const Begun &b) {
            if (!p)
                return;
            if (b.refusal == ErrorCode::TooManyUploads)
                return p->fail(id, b.refusal,
                    u"you already have %1 unfinished uploads"_s.arg(limits.uploadsInFlight),
                    {{u"limit"_s, limits.uploadsInFlight}});
            if (b.refusal == ErrorCode::QuotaExceeded)
                return p->fail(id, b.refusal, u"this upload would pass your storage quota"_s,
                    {{u"quotaBytes"_s, double(limits.quotaBytes)},
                        {u"usedBytes"_s, double(b.usage.usedBytes)}});
            p->reply(id, protocol::UploadState {b.row.id, b.row.size, 0}.toJson());
        });
}

void Uploads::handleChunk(Peer *peer, qint64 id, qint64 offset, const QByteArray &data)
{
    if (m_draining)
        return;
    const std::shared_ptr<Active> upload = find(peer, id);
    if (!upload || upload->finishing)
        return peer->fail(QJsonValue::Null, ErrorCode::NotFound,
            u"no unfinished upload %1 of yours"_s.arg(id), uploadDetails(id));
    const qint64 written = upload->file.written();
    if (offset != written)
        return peer->fail(QJsonValue::Null, ErrorCode::BadOffset,
            u"upload %1 continues at %2"_s.arg(id).arg(written), uploadDetails(id, written));
    if (data.size() > upload->row.size - written)
        return peer->fail(QJsonValue::Null, ErrorCode::TooLarge,
            u"upload %1 is %2 bytes long"_s.arg(id).arg(upload->row.size),
            uploadDetails(id, written));
    QString error;
    switch (upload->file.append(data, &error)) {
    case UploadFile::Append::Queued:
        break;
    case UploadFile::Append::Busy: {
        // The disk is behind this upload: the client waits, as for its chunk rate (§16.2).
        metrics::refused(metrics::Refusal::UploadBusy);
        QJsonObject details = uploadDetails(id);
        details.insert(u"retryAfterMs"_s, BusyRetryMs);
        return peer->fail(QJsonValue::Null, ErrorCode::RateLimited,
            u"upload %1 is ahead of the disk; retry in %2 ms"_s.arg(id).arg(BusyRetryMs), details);
    }
    case UploadFile::Append::Failed:
        qCWarning(lcFiles) << error;
        return peer->fail(QJsonValue::Null, ErrorCode::StorageError,
            u"the chunk could not be stored"_s, uploadDetails(id, written));
    }
    upload->lastSender = peer;
    upload->lastUsedMs = wallNow();
    const qint64 pending = upload->file.written() - upload->durable;
    if (pending >= BatchBytes || upload->file.written() == upload->row.size)
        flush(upload);
    else
        upload->batchTimer.start(); // restarted by every chunk: 100 ms after the last
}

void Uploads::flush(const std::shared_ptr<Active> &upload)
{
    upload->batchTimer.stop();
    if (upload->flushing || upload->gone || m_draining)
        return; // flushed() looks again when the one under way is done
    const qint64 target = upload->file.written();
    if (target <= upload->durable) {
        // Nothing new: whoever waits is served now.
        flushed(upload, target, true);
        return;
    }
    upload->flushing = true;
    // Queued behind the upload's own writes on the writer thread, so it covers them.
    upload->file.sync(
        this, [this, upload, target](bool synced) { flushed(upload, target, synced); });
}

void Uploads::flushed(const std::shared_ptr<Active> &upload, qint64 target, bool synced)
{
    const auto settle = [this, upload](qint64 durable) {
        upload->flushing = false;
        upload->durable = std::max(upload->durable, durable);
        QList<Waiter> ready;
        for (qsizetype i = 0; i < upload->waiters.size();) {
            if (upload->waiters.at(i).offset <= upload->durable)
                ready.append(upload->waiters.takeAt(i));
            else
                ++i;
        }
        for (const Waiter &w : std::as_const(ready))
            w.run();
        // More arrived meanwhile, or someone waits for it: the next batch.
        if (!upload->gone && upload->file.written() > upload->durable
            && (!upload->waiters.isEmpty() || upload->file.written() == upload->row.size
                || upload->file.written() - upload->durable >= BatchBytes))
            flush(upload);
        else if (!upload->gone && upload->file.written() > upload->durable)
            upload->batchTimer.start();
    };
    // A disk that cannot make the bytes durable: whoever waits is told, rather than
    // retrying in a loop; the next chunk or request tries again.
    const auto failed = [this, upload] {
        upload->flushing = false;
        const auto storageError = [](Peer *p, const QJsonValue &requestId) {
            p->fail(requestId, ErrorCode::StorageError, u"the upload could not be saved"_s);
        };
        for (const Waiter &w : std::exchange(upload->waiters, {})) {
            if (w.peer)
                storageError(w.peer, w.requestId);
        }
        answerFinish(upload, storageError);
    };
    if (!synced) {
        qCWarning(lcFiles) << "fdatasync failed for upload" << upload->row.id;
        failed();
        return;
    }
    if (target <= upload->durable || upload->gone || m_draining) {
        settle(upload->gone || m_draining ? upload->durable : target);
        return;
    }
    m_writer.submit(
        [id = upload->row.id, target](
            WriteContext &ctx) { return filestore::setDurable(ctx, id, target, ctx.now()); },
        [upload, target, settle, failed](bool committed) {
            if (!committed) {
                failed();
                return;
            }
            if (upload->lastSender && !upload->gone)
                upload->lastSender->send(protocol::frames::uploaded(upload->row.id, target));
            settle(target);
        });
}

void Uploads::whenDurable(const std::shared_ptr<Active> &upload, Peer *peer,
    const QJsonValue &requestId, std::function<void()> run)
{
    const qint64 offset = upload->file.written();
    if (offset <= upload->durable && !upload->flushing)
        return run();
    upload->waiters.append({offset, std::move(run), peer, requestId});
    flush(upload);
}

void Uploads::handleStatus(Peer *peer, const protocol::Request &r)
{
    const qint64 id = r.as<protocol::body::UploadRef>().upload;
    std::optional<UploadRecord> finished;
    const std::shared_ptr<Active> upload = find(peer, id, &finished);
    if (finished)
        return peer->reply(
            r.id, protocol::UploadState {id, finished->size, finished->size}.toJson());
    if (!upload)
        return failNotFound(peer, r.id, id);
    // Every chunk received is made durable first, so the offset is exactly where to go on.
    whenDurable(upload, peer, r.id, [this, upload, guard = QPointer<Peer>(peer), requestId = r.id] {
        // A status counts as activity for the expiry (§16.6).
        writeFor(
            m_writer, guard, requestId,
            [id = upload->row.id](
                WriteContext &ctx) { return filestore::touchUpload(ctx, id, ctx.now()); },
            [upload, requestId](Peer *p) {
                if (p)
                    p->reply(requestId,
                        protocol::UploadState {upload->row.id, upload->row.size, upload->durable}
                            .toJson());
            });
    });
}

void Uploads::handleCancel(Peer *peer, const protocol::Request &r)
{
    const qint64 id = r.as<protocol::body::UploadRef>().upload;
    const std::shared_ptr<Active> upload = find(peer, id);
    // A finish under way wins: cancelling it would answer both, and §5.28 makes a finished
    // upload not_found.
    if (!upload || upload->finishing)
        return failNotFound(peer, r.id, id);
    upload->gone = true;
    upload->batchTimer.stop();
    forget(id);
    writeFor(
        m_writer, peer, r.id, [id](WriteContext &ctx) { return filestore::deleteUpload(ctx, id); },
        [this, path = upload->file.path(), requestId = r.id](Peer *p) {
            removeLater({path});
            if (p)
                p->reply(requestId);
        });
}

void Uploads::forget(qint64 id)
{
    m_active.remove(id);
}

void Uploads::removeLater(const QStringList &paths)
{
    m_syncPool.start([paths] {
        for (const QString &path : paths)
            QFile::remove(path);
    });
}

void Uploads::handleFinish(Peer *peer, const protocol::Request &r)
{
    const qint64 id = r.as<protocol::body::UploadRef>().upload;
    std::optional<UploadRecord> finished;
    const std::shared_ptr<Active> upload = find(peer, id, &finished);
    if (finished) {
        // Idempotent: a client that lost the reply asks again and gets the same file.
        const std::optional<FileRecord> file = filestore::file(m_reader, finished->fileId);
        if (!file)
            return failNotFound(peer, r.id, id);
        return peer->reply(r.id, protocol::FileResult {file->info}.toJson());
    }
    if (!upload)
        return failNotFound(peer, r.id, id);
    upload->finishers.append({peer, r.id});
    if (upload->finishing)
        return; // answered with the first
    whenDurable(upload, nullptr, {}, [this, upload] {
        if (upload->gone || upload->finishing)
            return;
        if (upload->durable < upload->row.size) {
            const qint64 durable = upload->durable;
            return answerFinish(upload, [durable](Peer *p, const QJsonValue &requestId) {
                p->fail(requestId, ErrorCode::UploadIncomplete,
                    u"only %1 bytes have arrived"_s.arg(durable), {{u"offset"_s, double(durable)}});
            });
        }
        finish(upload);
    });
}

void Uploads::answerFinish(const std::shared_ptr<Active> &upload,
    const std::function<void(Peer *, const QJsonValue &)> &answer)
{
    const auto finishers = std::exchange(upload->finishers, {});
    for (const auto &[peer, requestId] : finishers) {
        if (peer)
            answer(peer, requestId);
    }
}

void Uploads::finish(const std::shared_ptr<Active> &upload)
{
    QString error;
    if (!upload->file.open(&error)) { // an empty upload has no file until now
        qCWarning(lcFiles) << error;
        return answerFinish(upload, [](Peer *p, const QJsonValue &requestId) {
            p->fail(requestId, ErrorCode::StorageError, u"the file could not be stored"_s);
        });
    }
    upload->finishing = true;
    const UploadRecord row = upload->row;
    const QString path = upload->file.path();
    // Known when this process saw every byte; otherwise read back from the file.
    const QString hashed = upload->file.sha256();
    m_finishPool.start([this, upload, row, path, hashed] {
        Finished result;
        result.tempPath = path;
        result.uploadPath = path;
        const QString asUploaded = hashed.isEmpty() ? BlobStore::hashFile(path, row.size) : hashed;
        if (asUploaded.isEmpty()) {
            result.error = u"cannot read %1"_s.arg(path);
        } else if (!row.sha256.isEmpty() && row.sha256 != asUploaded) {
            result.mismatch = asUploaded;
        } else if (detectFileType(path) == "image/jpeg"_L1
            && !copyForScrub(path, &result.tempPath)) {
            result.error = u"cannot copy %1"_s.arg(path);
        } else {
            const QString stored = result.tempPath;
            const InspectedFile inspected = inspectFile(stored);
            FileRecord &f = result.file;
            f.uploaderId = row.userId;
            f.info.name = row.name;
            f.info.type = inspected.type.isEmpty() ? u"application/octet-stream"_s : inspected.type;
            f.info.width = inspected.width;
            f.info.height = inspected.height;
            // Only a JPEG is rewritten (its location erased): the stored bytes are hashed.
            const bool rewritten = f.info.type == "image/jpeg"_L1;
            f.info.sha256 = rewritten ? BlobStore::hashFile(stored) : asUploaded;
            f.info.size = QFileInfo(stored).size();
            if (!inspected.thumbnail.isEmpty()) {
                f.thumbnailSha256 = m_blobs.store(inspected.thumbnail, &result.error);
                result.thumbnail = inspected.thumbnail;
                f.info.thumbnail = protocol::Thumbnail {inspected.thumbnailWidth,
                    inspected.thumbnailHeight, inspected.thumbnail.size(), inspected.thumbnailType};
            }
            if (f.info.sha256.isEmpty())
                result.error = u"cannot read %1"_s.arg(stored);
            else if (result.error.isEmpty())
                m_blobs.adopt(stored, f.info.sha256, &result.error);
        }
        QMetaObject::invokeMethod(
            this, [this, upload, result] { commitFinish(upload, result); }, Qt::QueuedConnection);
    });
}

void Uploads::commitFinish(const std::shared_ptr<Active> &upload, const Finished &result)
{
    const qint64 id = upload->row.id;
    if (m_draining)
        return; // drain() answered shutting_down
    if (upload->gone) {
        // Cancelled or expired while being finished.
        return answerFinish(
            upload, [id](Peer *p, const QJsonValue &requestId) { failNotFound(p, requestId, id); });
    }
    if (!result.error.isEmpty()) {
        qCWarning(lcFiles) << "finishing upload" << id << "failed:" << result.error;
        upload->finishing = false;
        return answerFinish(upload, [](Peer *p, const QJsonValue &requestId) {
            p->fail(requestId, ErrorCode::StorageError, u"the file could not be stored"_s);
        });
    }
    if (!result.mismatch.isEmpty()) {
        // The bytes are not the ones declared: the upload is discarded (§5.27).
        upload->gone = true;
        forget(id);
        m_writer.submit([id](WriteContext &ctx) { return filestore::deleteUpload(ctx, id); },
            [this, upload, result](bool) {
                removeLater({result.tempPath});
                answerFinish(upload, [&result](Peer *p, const QJsonValue &requestId) {
                    p->fail(requestId, ErrorCode::HashMismatch,
                        u"the bytes that arrived are not the ones declared"_s,
                        {{u"sha256"_s, result.mismatch}});
                });
            });
        return;
    }
    struct Committed
    {
        FileRecord file;
        bool found = true;
    };
    FileRecord file = result.file;
    BlobStore *blobs = &m_blobs;
    m_writer.submit<Committed>(
        [id, file, blobs, tempPath = result.tempPath, thumbnail = result.thumbnail](
            WriteContext &ctx) -> std::optional<Committed> {
            Committed c {file};
            const std::optional<UploadRecord> row = filestore::upload(ctx, id);
            if (!row || row->fileId != 0) {
                c.found = false; // cancelled or expired meanwhile
                return c;
            }
            // A collector that removed an unreferenced blob of the same bytes since the
            // link did so in a writer job like this one: link it again before relying on it.
            QString error;
            if (!blobs->contains(file.info.sha256)
                && !blobs->adopt(tempPath, file.info.sha256, &error))
                return std::nullopt;
            if (!file.thumbnailSha256.isEmpty() && !blobs->contains(file.thumbnailSha256)
                && blobs->store(thumbnail, &error) != file.thumbnailSha256)
                return std::nullopt;
            c.file.createdMs = ctx.now();
            if (!filestore::insertBlob(ctx, file.info.sha256, file.info.size)
                || (!file.thumbnailSha256.isEmpty()
                    && !filestore::insertBlob(ctx, file.thumbnailSha256, file.info.thumbnail->size))
                || !filestore::insertFile(ctx, c.file, id))
                return std::nullopt;
            return c;
        },
        [this, upload, tempPath = result.tempPath, uploadPath = result.uploadPath](
            std::optional<Committed> c) {
            upload->finishing = false;
            if (!c) {
                return answerFinish(upload, [](Peer *p, const QJsonValue &requestId) {
                    p->fail(requestId, ErrorCode::StorageError, u"the file could not be saved"_s);
                });
            }
            upload->gone = true;
            forget(upload->row.id);
            removeLater(tempPath == uploadPath ? QStringList {tempPath}
                                               : QStringList {tempPath, uploadPath});
            if (!c->found) {
                return answerFinish(upload, [id = upload->row.id](Peer *p, const QJsonValue &r) {
                    failNotFound(p, r, id);
                });
            }
            metrics::registry().uploads.add();
            metrics::registry().uploadBytes.add(quint64(upload->row.size));
            qCInfo(lcFiles) << "upload" << upload->row.id << "is file" << c->file.info.id
                            << c->file.info.type << c->file.info.size << "bytes";
            const QJsonObject reply = protocol::FileResult {c->file.info}.toJson();
            answerFinish(upload,
                [&reply](Peer *p, const QJsonValue &requestId) { p->reply(requestId, reply); });
        });
}

void Uploads::releaseIdle()
{
    // An upload nobody feeds holds a descriptor and a hash for nothing; its row has all that
    // is needed to pick it up again (the hash is then read back from the file).
    const qint64 cutoff = wallNow() - IdleReleaseMs;
    for (auto it = m_active.begin(); it != m_active.end();) {
        const Active &u = *it.value();
        const bool idle = u.lastUsedMs < cutoff && !u.flushing && !u.finishing
            && u.waiters.isEmpty() && u.finishers.isEmpty() && u.file.written() == u.durable
            && !u.batchTimer.isActive();
        if (idle)
            it = m_active.erase(it);
        else
            ++it;
    }
}

void Uploads::expire()
{
    if (m_draining)
        return;
    releaseIdle();
    constexpr int Batch = 1000;
    const qint64 cutoff = wallNow() - qint64(m_config.limits.uploadExpiryHours) * 3600 * 1000;
    m_writer.submit<filestore::ExpiredUploads>(
        [cutoff](WriteContext &ctx) { return filestore::deleteExpiredUploads(ctx, cutoff, Batch); },
        [this](std::optional<filestore::ExpiredUploads> expired) {
            if (!expired || expired->deleted == 0)
                return;
            QStringList paths;
            for (qint64 id : std::as_const(expired->unfinished)) {
                if (const auto upload = m_active.value(id)) {
                    upload->gone = true;
                    upload->batchTimer.stop();
                    forget(id);
                }
                paths.append(m_blobs.uploadPath(id));
            }
            removeLater(paths);
            qCInfo(lcFiles) << expired->deleted << "uploads expired," << paths.size()
                            << "of them unfinished";
            // A full batch may have left more: go on soon, between other work.
            if (expired->deleted == Batch)
                QTimer::singleShot(0, this, &Uploads::expire);
        });
}

} // namespace confab::server
