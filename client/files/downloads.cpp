// SPDX-License-Identifier: GPL-3.0-or-later
#include "files/downloads.h"

#include "core/clientlogging.h"
#include "files/filecache.h"
#include "net/connection.h"
#include "protocol/fileframe.h"
#include "protocol/fileresults.h"
#include "protocol/requestbuilder.h"
#include "session/connectionstate.h"

#include <QCoreApplication>
#include <QThreadPool>
#include <QTimer>

using namespace Qt::StringLiterals;

namespace confab::client {

namespace {

constexpr int RequestsAhead = 2;
constexpr int ProgressIntervalMs = 100;

QString hashOf(const QString &path)
{
    QFile file(path);
    QCryptographicHash hash(QCryptographicHash::Sha256);
    if (!file.open(QIODevice::ReadOnly) || !hash.addData(&file))
        return {};
    return QString::fromLatin1(hash.result().toHex());
}

} // namespace

Downloads::Downloads(
    Connection *connection, ConnectionState *state, FileCache *cache, QObject *parent)
    : QObject(parent)
    , m_connection(connection)
    , m_state(state)
    , m_cache(cache)
{
    m_clock.start();
    connect(m_state, &ConnectionState::phaseChanged, this, &Downloads::onPhaseChanged);
}

Downloads::~Downloads() = default;

void Downloads::clear()
{
    const auto jobs = std::exchange(m_jobs, {});
    m_streams.clear();
    for (const auto &job : jobs) {
        if (job->file)
            job->file->remove();
    }
}

std::shared_ptr<Downloads::Job> Downloads::findJob(qint64 fileId, bool thumbnail, bool saving) const
{
    for (const auto &job : m_jobs) {
        if (job->fileId == fileId && job->thumbnail == thumbnail && job->saving == saving)
            return job;
    }
    return nullptr;
}

void Downloads::fetch(qint64 fileId, bool thumbnail, QObject *context, const Done &done)
{
    const Waiter waiter {context, context != nullptr, done};
    if (thumbnail) {
        if (const QString path = m_cache->lookup(fileId, true); !path.isEmpty()) {
            done(path, {});
            return;
        }
    } else {
        QString sha;
        if (const QString path = m_cache->lookupFull(fileId, &sha); !path.isEmpty()) {
            if (m_verified.contains(path)) {
                done(path, {});
                return;
            }
            const bool checking = m_verifying.contains(fileId);
            m_verifying[fileId].append(waiter);
            if (!checking)
                verifyThenServe(fileId, path, sha);
            return;
        }
    }
    auto job = findJob(fileId, thumbnail, false);
    if (!job)
        job = startJob(fileId, thumbnail, false);
    job->waiters.append(waiter);
}

void Downloads::verifyThenServe(qint64 fileId, const QString &path, const QString &sha256)
{
    QPointer<Downloads> self(this);
    QThreadPool::globalInstance()->start([self, fileId, path, sha256] {
        const QString actual = hashOf(path);
        QMetaObject::invokeMethod(
            QCoreApplication::instance(),
            [self, fileId, path, sha256, actual] {
                if (!self)
                    return;
                const auto waiters = self->m_verifying.take(fileId);
                if (actual == sha256) {
                    self->m_verified.insert(path);
                    for (const Waiter &w : waiters) {
                        if (!w.hasContext || w.context)
                            w.done(path, {});
                    }
                    return;
                }
                // Damaged on disk: dropped and read again from the server.
                qCWarning(lcClientStore)
                    << "cached file" << fileId << "is damaged: fetching it again";
                self->m_cache->remove(path);
                auto job = self->findJob(fileId, false, false);
                if (!job)
                    job = self->startJob(fileId, false, false);
                job->waiters.append(waiters);
            },
            Qt::QueuedConnection);
    });
}

void Downloads::save(qint64 fileId, const QString &destination)
{
    if (findJob(fileId, false, true))
        return;
    auto job = startJob(fileId, false, true);
    job->target = destination;
    reportSave(*job, true);
}

void Downloads::cancelSave(qint64 fileId)
{
    const auto job = findJob(fileId, false, true);
    if (!job)
        return;
    m_jobs.removeAll(job);
    for (Stream &stream : m_streams) {
        // Its bytes still come; they are dropped as those of an unknown stream.
        if (stream.job == job)
            stream.job.reset();
    }
    if (job->file)
        job->file->remove();
    Q_EMIT saveProgressChanged(fileId, -1);
}

double Downloads::saveProgress(qint64 fileId) const
{
    const auto job = findJob(fileId, false, true);
    if (!job)
        return -1;
    return job->total > 0 ? double(job->written) / double(job->total) : 0;
}

std::shared_ptr<Downloads::Job> Downloads::startJob(qint64 fileId, bool thumbnail, bool saving)
{
    auto job = std::make_shared<Job>();
    job->fileId = fileId;
    job->thumbnail = thumbnail;
    job->saving = saving;
    m_jobs.append(job);
    if (m_state->isLive())
        request(job);
    return job;
}

void Downloads::request(const std::shared_ptr<Job> &job)
{
    const qint64 window = std::max<qint64>(1, m_connection->limits().downloadWindowBytes);
    // Until the first reply the size is unknown: one request; then two ahead.
    while (job->inFlight < (job->total < 0 ? 1 : RequestsAhead)
        && (job->total < 0 || job->requested < job->total)) {
        const qint64 length
            = job->total < 0 ? window : std::min(window, job->total - job->requested);
        ++job->inFlight;
        const qint64 offset = job->requested;
        job->requested += length;
        ask(job, offset, length);
        if (job->total < 0)
            break;
    }
}

void Downloads::ask(const std::shared_ptr<Job> &job, qint64 offset, qint64 length)
{
    std::weak_ptr<Job> weak = job;
    m_connection->send(protocol::requests::download(job->fileId, offset, length, job->thumbnail),
        this, [this, weak, offset, length](const Reply &reply) {
            const auto job = weak.lock();
            if (!job || !m_jobs.contains(job))
                return;
            // A connection has a few streams under way at most (§5.29): a room full of
            // thumbnails asks again after the wait the server names.
            if (reply.outcome == Reply::Error && reply.error == protocol::ErrorCode::RateLimited) {
                QTimer::singleShot(
                    std::max<qint64>(reply.retryAfterMs, 50), this, [this, weak, offset, length] {
                        if (const auto again = weak.lock(); again && m_jobs.contains(again))
                            ask(again, offset, length);
                    });
                return;
            }
            onStarted(job, reply);
        });
}

void Downloads::onStarted(const std::shared_ptr<Job> &job, const Reply &reply)
{
    if (reply.outcome == Reply::Disconnected)
        return; // onPhaseChanged asks again
    if (!reply.ok()) {
        finishJob(job, {}, u"the server refused the download (%1)"_s.arg(reply.message));
        return;
    }
    const auto started = protocol::DownloadStarted::fromJson(reply.data);
    if (!started) {
        finishJob(job, {}, u"unreadable download reply"_s);
        return;
    }
    if (job->total < 0) {
        // The cache holds full files only for the image provider, and only a file the
        // server decoded as an image may be shown (§16.4): a 100 MB PDF is not fetched
        // (the first window, already asked for, is read and dropped).
        if (!job->saving && !job->thumbnail && !started->file.isDecodedImage()) {
            finishJob(job, {}, u"not an image the server decoded"_s);
            return;
        }
        job->total = started->total;
        job->info = started->file;
        job->requested = started->offset + started->length;
        if (!job->saving)
            job->target = m_cache->pathFor(job->fileId, job->thumbnail, job->info.sha256);
        job->file = std::make_unique<QFile>(job->target + u".part"_s);
        if (!job->file->open(QIODevice::WriteOnly | QIODevice::Truncate)) {
            finishJob(job, {}, job->file->errorString());
            return;
        }
    }
    if (started->length == 0) {
        --job->inFlight;
        if (job->written >= job->total)
            complete(job);
        return;
    }
    m_streams.insert(started->stream, Stream {job, started->offset, started->length, 0});
    request(job);
}

void Downloads::handleBinary(const QByteArray &message)
{
    const auto frame = protocol::decodeFileFrame(message);
    if (!frame || frame->kind != protocol::FileFrameKind::DownloadData)
        return;
    const auto it = m_streams.find(qint64(frame->id));
    if (it == m_streams.end())
        return;
    Stream &stream = *it;
    const qint64 size = frame->data.size();
    const bool inOrder = qint64(frame->offset) == stream.offset + stream.received
        && stream.received + size <= stream.length;
    const auto job = stream.job;
    if (!job) { // a cancelled save: its bytes still come
        stream.received += size;
        if (stream.received >= stream.length)
            m_streams.erase(it);
        return;
    }
    if (!inOrder || qint64(frame->offset) != job->written || !job->file) {
        m_streams.erase(it);
        finishJob(job, {}, u"download data out of order"_s);
        return;
    }
    if (job->file->write(frame->data.data(), size) != size) {
        m_streams.erase(it);
        finishJob(job, {}, job->file->errorString());
        return;
    }
    job->hash.addData(frame->data);
    job->written += size;
    stream.received += size;
    if (job->saving)
        reportSave(*job);
    if (stream.received < stream.length)
        return;
    m_streams.erase(it);
    --job->inFlight;
    if (job->written >= job->total)
        complete(job);
    else
        request(job);
}

void Downloads::complete(const std::shared_ptr<Job> &job)
{
    job->file->close();
    const QString part = job->file->fileName();
    if (!job->thumbnail && QString::fromLatin1(job->hash.result().toHex()) != job->info.sha256) {
        QFile::remove(part);
        finishJob(job, {}, u"the downloaded bytes do not match the file's SHA-256"_s);
        return;
    }
    QFile::remove(job->target);
    if (!QFile::rename(part, job->target)) {
        QFile::remove(part);
        finishJob(job, {}, u"cannot write %1"_s.arg(job->target));
        return;
    }
    if (!job->saving) {
        m_cache->added(job->target);
        if (!job->thumbnail)
            m_verified.insert(job->target);
    }
    finishJob(job, job->target, {});
}

void Downloads::finishJob(
    const std::shared_ptr<Job> &job, const QString &path, const QString &error)
{
    m_jobs.removeAll(job);
    for (Stream &stream : m_streams) {
        if (stream.job == job)
            stream.job.reset();
    }
    if (!error.isEmpty()) {
        qCInfo(lcClientNet) << "download of file" << job->fileId << "failed:" << error;
        if (job->file)
            job->file->remove();
    }
    if (job->saving) {
        Q_EMIT saveProgressChanged(job->fileId, -1);
        if (error.isEmpty())
            Q_EMIT saved(job->fileId, path);
        else
            Q_EMIT saveFailed(job->fileId, error);
    }
    for (const Waiter &w : std::as_const(job->waiters)) {
        if (!w.hasContext || w.context)
            w.done(path, error);
    }
}

void Downloads::onPhaseChanged()
{
    if (!m_state->isLive()) {
        // Streams belong to the connection: what was asked and not here is asked again.
        m_streams.clear();
        for (const auto &job : std::as_const(m_jobs)) {
            job->inFlight = 0;
            job->requested = job->written;
        }
        return;
    }
    const auto jobs = m_jobs;
    for (const auto &job : jobs)
        request(job);
}

void Downloads::reportSave(Job &job, bool force)
{
    const qint64 now = m_clock.elapsed();
    if (!force && now - job.lastProgressMs < ProgressIntervalMs)
        return;
    job.lastProgressMs = now;
    Q_EMIT saveProgressChanged(
        job.fileId, job.total > 0 ? double(job.written) / double(job.total) : 0);
}

} // namespace confab::client
