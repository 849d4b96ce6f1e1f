// SPDX-License-Identifier: GPL-3.0-or-later
#include "session/uploads.h"

#include "core/clientlogging.h"
#include "net/connection.h"
#include "protocol/fileframe.h"
#include "protocol/fileresults.h"
#include "protocol/requestbuilder.h"
#include "protocol/serverframe.h"
#include "session/connectionstate.h"

#include <QCoreApplication>
#include <QCryptographicHash>
#include <QFileInfo>
#include <QPointer>
#include <QThreadPool>

using namespace Qt::StringLiterals;

namespace confab::client {

namespace {

//! Chunks handed to the socket per event loop pass: reading them must not stall the UI.
constexpr qint64 SliceBytes = 2LL * 1024 * 1024;
constexpr int ProgressIntervalMs = 100;
constexpr int TransientRetryMs = 2000;

// On a worker thread: the file's SHA-256, or an empty string if it is not what was chosen.
QString sha256Of(const QString &path, qint64 size)
{
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly) || file.size() != size)
        return {};
    QCryptographicHash hash(QCryptographicHash::Sha256);
    if (!hash.addData(&file))
        return {};
    return QString::fromLatin1(hash.result().toHex());
}

} // namespace

Uploads::Uploads(Connection *connection, ConnectionState *state, QObject *parent)
    : QObject(parent)
    , m_connection(connection)
    , m_state(state)
{
    m_clock.start();
    m_pumpLater.setSingleShot(true);
    connect(&m_pumpLater, &QTimer::timeout, this, &Uploads::pump);
    m_progressLater.setSingleShot(true);
    m_progressLater.setInterval(ProgressIntervalMs);
    connect(&m_progressLater, &QTimer::timeout, this, [this] {
        if (Job *job = current())
            reportProgress(*job, true);
    });
    m_retry.setSingleShot(true);
    connect(&m_retry, &QTimer::timeout, this, [this] {
        if (Job *job = current(); job && job->step == Step::Waiting)
            advance();
    });
    connect(m_state, &ConnectionState::phaseChanged, this, &Uploads::onPhaseChanged);
}

void Uploads::onHashed(const QString &txn, int position, const QString &sha)
{
    if (!stillCurrent(txn, position) || current()->step != Step::Hashing)
        return;
    Job *job = current();
    if (sha.isEmpty()) {
        fail(tr("%1 cannot be read any more.").arg(job->entry.files.at(job->current).name));
        return;
    }
    job->entry.files[job->current].sha256 = sha;
    persist(*job);
    job->step = Step::Waiting;
    advance();
}

Uploads::~Uploads() = default;

void Uploads::setStore(LocalStore *store)
{
    clear();
    m_store = store;
}

void Uploads::clear()
{
    m_jobs.clear();
    m_pumpLater.stop();
    m_retry.stop();
}

bool Uploads::contains(const QString &txn) const
{
    return find(txn) != nullptr;
}

const Uploads::Job *Uploads::find(const QString &txn) const
{
    for (const auto &job : m_jobs) {
        if (job->entry.txn == txn)
            return job.get();
    }
    return nullptr;
}

Uploads::Job *Uploads::current()
{
    return m_jobs.isEmpty() ? nullptr : m_jobs.first().get();
}

bool Uploads::stillCurrent(const QString &txn, int position) const
{
    return !m_jobs.isEmpty() && m_jobs.first()->entry.txn == txn
        && m_jobs.first()->current == position;
}

double Uploads::progress(const QString &txn) const
{
    const Job *job = find(txn);
    if (!job)
        return -1;
    qint64 total = 0;
    qint64 done = 0;
    for (const OutboxFile &f : job->entry.files) {
        total += f.size;
        done += f.finished() ? f.size : f.durable;
    }
    return total > 0 ? double(done) / double(total) : 0;
}

void Uploads::start(const OutboxEntry &entry)
{
    if (contains(entry.txn) || !entry.uploading())
        return;
    auto job = std::make_shared<Job>();
    job->entry = entry;
    m_jobs.append(job);
    reportProgress(*job, true);
    if (m_jobs.size() == 1)
        advance();
}

void Uploads::cancel(const QString &txn)
{
    for (qsizetype i = 0; i < m_jobs.size(); ++i) {
        if (m_jobs.at(i)->entry.txn != txn)
            continue;
        const auto files = m_jobs.at(i)->entry.files;
        // Unfinished uploads hold quota on the server until they expire: give them back.
        // Offline, the request fails and the upload expires (§16.6).
        for (const OutboxFile &f : files) {
            if (f.upload > 0 && !f.finished())
                m_connection->send(protocol::requests::uploadCancel(f.upload));
        }
        m_jobs.removeAt(i);
        if (i == 0) {
            m_pumpLater.stop();
            advance();
        }
        return;
    }
}

void Uploads::onPhaseChanged()
{
    Job *job = current();
    if (!job)
        return;
    if (!m_state->isLive()) {
        // Replies and acks of this connection will not come; upload_status says what
        // the server kept once it is back. A running hash goes on.
        if (job->step != Step::Hashing)
            job->step = Step::Waiting;
        job->file.reset();
        m_pumpLater.stop();
        return;
    }
    if (job->step == Step::Waiting)
        advance();
}

void Uploads::advance()
{
    Job *job = current();
    if (!job)
        return;
    while (job->current < job->entry.files.size() && job->entry.files.at(job->current).finished())
        ++job->current;
    if (job->current >= job->entry.files.size()) {
        const QString txn = job->entry.txn;
        reportProgress(*job, true);
        m_jobs.removeFirst();
        Q_EMIT finished(txn);
        advance(); // the next message's files
        return;
    }
    const OutboxFile &f = job->entry.files.at(job->current);
    if (f.sha256.isEmpty()) {
        hash(*job); // needs no connection
        return;
    }
    if (!m_state->isLive()) {
        job->step = Step::Waiting;
        return;
    }
    if (f.upload == 0)
        begin(*job);
    else
        askStatus(*job); // resumed: the server says where to go on
}

void Uploads::hash(Job &job)
{
    job.step = Step::Hashing;
    const OutboxFile &f = job.entry.files.at(job.current);
    QPointer<Uploads> self(this);
    QThreadPool::globalInstance()->start(
        [self, txn = job.entry.txn, position = job.current, path = f.source, size = f.size] {
            const QString sha = sha256Of(path, size);
            // Only the GUI thread looks at self: the session may be gone by now.
            QMetaObject::invokeMethod(
                QCoreApplication::instance(),
                [self, txn, position, sha] {
                    if (self)
                        self->onHashed(txn, position, sha);
                },
                Qt::QueuedConnection);
        });
}

void Uploads::begin(Job &job)
{
    job.step = Step::Beginning;
    const OutboxFile &f = job.entry.files.at(job.current);
    const QString txn = job.entry.txn;
    const int position = job.current;
    m_connection->send(protocol::requests::uploadBegin(f.name, f.size, f.sha256), this,
        [this, txn, position](const Reply &reply) {
            if (!stillCurrent(txn, position))
                return;
            Job &job = *current();
            if (reply.outcome == Reply::Disconnected)
                return; // onPhaseChanged resumes
            if (!reply.ok()) {
                using protocol::ErrorCode;
                switch (reply.error) {
                case ErrorCode::TooLarge:
                    fail(tr("The file is larger than the server takes."));
                    return;
                case ErrorCode::QuotaExceeded:
                    fail(tr("Your storage space on the server is full."));
                    return;
                case ErrorCode::BadRequest:
                case ErrorCode::Forbidden:
                    fail(tr("The server refused the file."));
                    return;
                default: // too_many_uploads, rate_limited, storage_error: later
                    job.step = Step::Waiting;
                    m_retry.start(reply.retryAfterMs > 0
                            ? int(std::min<qint64>(reply.retryAfterMs, 60000))
                            : TransientRetryMs);
                    return;
                }
            }
            const auto state = protocol::UploadState::fromJson(reply.data);
            if (!state) {
                fail(tr("The server's answer could not be read."));
                return;
            }
            OutboxFile &f = job.entry.files[job.current];
            f.upload = state->upload;
            f.durable = state->offset;
            persist(job);
            job.sent = f.durable;
            job.step = Step::Sending;
            pump();
        });
}

void Uploads::askStatus(Job &job)
{
    job.step = Step::AskingStatus;
    job.file.reset();
    m_pumpLater.stop();
    const QString txn = job.entry.txn;
    const int position = job.current;
    m_connection->send(protocol::requests::uploadStatus(job.entry.files.at(job.current).upload),
        this, [this, txn, position](const Reply &reply) {
            if (!stillCurrent(txn, position))
                return;
            Job &job = *current();
            if (reply.outcome == Reply::Disconnected)
                return;
            OutboxFile &f = job.entry.files[job.current];
            if (!reply.ok()) {
                if (reply.error == protocol::ErrorCode::NotFound) {
                    // Expired or lost with the server's disk: upload it again.
                    qCInfo(lcClientSession) << "upload" << f.upload << "is gone: starting again";
                    f.upload = 0;
                    f.durable = 0;
                    persist(job);
                    begin(job);
                    return;
                }
                job.step = Step::Waiting;
                m_retry.start(TransientRetryMs);
                return;
            }
            const auto state = protocol::UploadState::fromJson(reply.data);
            if (!state || state->size != f.size) {
                fail(tr("The server's answer could not be read."));
                return;
            }
            f.durable = state->offset;
            persist(job);
            reportProgress(job);
            job.sent = f.durable;
            if (f.durable >= f.size) {
                finish(job);
                return;
            }
            job.step = Step::Sending;
            pump();
        });
}

void Uploads::pump()
{
    Job *job = current();
    if (!job || job->step != Step::Sending || !m_state->isLive())
        return;
    const OutboxFile &f = job->entry.files.at(job->current);
    if (!job->file) {
        job->file = std::make_unique<QFile>(f.source);
        if (!job->file->open(QIODevice::ReadOnly) || job->file->size() != f.size) {
            fail(tr("%1 cannot be read any more.").arg(f.name));
            return;
        }
    }
    const qint64 chunk = std::max(1, m_connection->limits().maxChunkBytes);
    qint64 slice = 0;
    while (job->sent < f.size && job->sent - f.durable < WindowBytes && slice < SliceBytes) {
        const qint64 length = std::min(chunk, f.size - job->sent);
        QByteArray message = protocol::encodeFileFrameHeader(
            protocol::FileFrameKind::UploadChunk, quint64(f.upload), quint64(job->sent));
        const qsizetype header = message.size();
        message.resize(header + length);
        if (!job->file->seek(job->sent)
            || job->file->read(message.data() + header, length) != length) {
            fail(tr("%1 cannot be read any more.").arg(f.name));
            return;
        }
        if (!m_connection->sendBinary(message))
            return; // offline: resumed from upload_status
        job->sent += length;
        slice += length;
    }
    // More to send within the window: after the events that queued up meanwhile.
    if (job->sent < f.size && job->sent - f.durable < WindowBytes)
        m_pumpLater.start(0);
}

void Uploads::handleUploaded(const protocol::UploadProgress &progress)
{
    Job *job = current();
    if (!job)
        return;
    OutboxFile &f = job->entry.files[job->current];
    if (f.upload != progress.upload || progress.offset <= f.durable)
        return;
    f.durable = std::min(progress.offset, f.size);
    persist(*job);
    reportProgress(*job);
    if (job->step != Step::Sending)
        return;
    if (f.durable >= f.size)
        finish(*job);
    else
        pump();
}

void Uploads::handleChunkError(const protocol::ServerFrame &frame)
{
    const qint64 upload = frame.body.value(u"upload"_s).toInteger();
    Job *job = current();
    if (upload <= 0 || !job)
        return;
    const OutboxFile &f = job->entry.files.at(job->current);
    // Chunks sent before the status request fail too; their errors come before its reply.
    if (f.upload != upload || job->step != Step::Sending)
        return;
    qCInfo(lcClientSession) << "chunk of upload" << upload << "refused:" << frame.message;
    if (frame.error == protocol::ErrorCode::RateLimited && frame.retryAfterMs > 0) {
        job->step = Step::Waiting;
        job->file.reset();
        m_pumpLater.stop();
        m_retry.start(int(std::min<qint64>(frame.retryAfterMs, 60000)));
        return;
    }
    askStatus(*job);
}

void Uploads::finish(Job &job)
{
    job.step = Step::Finishing;
    job.file.reset();
    const QString txn = job.entry.txn;
    const int position = job.current;
    m_connection->send(protocol::requests::uploadFinish(job.entry.files.at(job.current).upload),
        this, [this, txn, position](const Reply &reply) {
            if (!stillCurrent(txn, position))
                return;
            Job &job = *current();
            if (reply.outcome == Reply::Disconnected)
                return;
            OutboxFile &f = job.entry.files[job.current];
            if (!reply.ok()) {
                using protocol::ErrorCode;
                switch (reply.error) {
                case ErrorCode::UploadIncomplete:
                    askStatus(job);
                    return;
                case ErrorCode::NotFound:
                    f.upload = 0;
                    f.durable = 0;
                    persist(job);
                    begin(job);
                    return;
                case ErrorCode::HashMismatch:
                    // The file changed under the upload: its new bytes need a new hash.
                    f.upload = 0;
                    f.durable = 0;
                    f.sha256.clear();
                    persist(job);
                    fail(tr("%1 changed while it was being sent.").arg(f.name));
                    return;
                default:
                    job.step = Step::Waiting;
                    m_retry.start(TransientRetryMs);
                    return;
                }
            }
            const auto result = protocol::FileResult::fromJson(reply.data);
            if (!result) {
                fail(tr("The server's answer could not be read."));
                return;
            }
            f.file = result->file.toJson();
            f.durable = f.size;
            persist(job);
            job.step = Step::Waiting;
            advance();
        });
}

void Uploads::fail(const QString &reason)
{
    Job *job = current();
    if (!job)
        return;
    const QString txn = job->entry.txn;
    persist(*job);
    m_jobs.removeFirst();
    m_pumpLater.stop();
    qCInfo(lcClientSession) << "upload for" << txn << "failed:" << reason;
    Q_EMIT failed(txn, reason);
    advance();
}

void Uploads::persist(Job &job)
{
    const OutboxFile &f = job.entry.files.at(job.current);
    if (m_store && m_store->isOpen())
        m_store->updateOutboxFile(job.entry.txn, job.current, f);
    Q_EMIT fileUpdated(job.entry.txn, job.current, f);
}

void Uploads::reportProgress(Job &job, bool force)
{
    const qint64 now = m_clock.elapsed();
    const double value = progress(job.entry.txn);
    if (value == job.reported)
        return;
    if (!force && value < 1 && now - job.lastProgressMs < ProgressIntervalMs) {
        if (!m_progressLater.isActive())
            m_progressLater.start();
        return;
    }
    job.lastProgressMs = now;
    job.reported = value;
    Q_EMIT progressChanged(job.entry.room, job.entry.txn, value);
}

} // namespace confab::client
