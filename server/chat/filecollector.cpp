// SPDX-License-Identifier: GPL-3.0-or-later
#include "chat/filecollector.h"

#include "core/logging.h"
#include "storage/blobstore.h"
#include "storage/filecollection.h"
#include "storage/storagewriter.h"

#include <QDateTime>

namespace confab::server {

namespace {
// The first sweep soon after start, so a server that restarts often still collects.
constexpr int FirstSweepMs = 60 * 1000;
// When a sweep hit its batch size, the next one comes this soon.
constexpr int BacklogSweepMs = 1000;

struct Swept
{
    int files = 0;
    QStringList orphans;
};
} // namespace

FileCollector::FileCollector(StorageWriter &writer, BlobStore &blobs, QObject *parent)
    : QObject(parent)
    , m_writer(writer)
    , m_blobs(blobs)
{
    m_timer.setSingleShot(true);
    connect(
        &m_timer, &QTimer::timeout, this, [this] { collect(QDateTime::currentMSecsSinceEpoch()); });
}

void FileCollector::start()
{
    m_timer.start(FirstSweepMs);
}

void FileCollector::stop()
{
    m_stopped = true;
    m_timer.stop();
}

void FileCollector::collect(qint64 nowMs)
{
    if (m_running || m_stopped)
        return;
    m_running = true;
    m_timer.stop();
    const qint64 cutoff = nowMs - filecollection::UnreferencedLifetimeMs;
    m_writer.submit<Swept>(
        [cutoff](WriteContext &ctx) -> std::optional<Swept> {
            const auto due = filecollection::unreferencedSince(ctx, cutoff, BatchFiles);
            if (!due)
                return std::nullopt;
            const auto orphans = filecollection::removeFiles(ctx, *due);
            if (!orphans)
                return std::nullopt;
            return Swept {int(due->size()), *orphans};
        },
        [this](std::optional<Swept> swept) {
            if (!swept) {
                qCWarning(lcStorage) << "file collection failed; trying again later";
                m_running = false;
                if (!m_stopped)
                    m_timer.start(IntervalMs);
                return;
            }
            removeBlobs(swept->files, swept->orphans);
        });
}

void FileCollector::removeBlobs(int files, const QStringList &sha256s)
{
    const auto finish = [this, files](int blobs) {
        m_running = false;
        if (files > 0)
            qCInfo(lcStorage) << "collected" << files << "unreferenced files and" << blobs
                              << "blobs";
        if (!m_stopped)
            m_timer.start(files >= BatchFiles ? BacklogSweepMs : IntervalMs);
        Q_EMIT collected(files, blobs);
    };
    if (sha256s.isEmpty())
        return finish(0);
    // On the writer thread, between transactions: a blob that an upload recorded again in
    // the meantime has its row back and stays.
    auto removed = std::make_shared<int>(0);
    m_writer.submitOutsideTransaction(
        [this, sha256s, removed](WriteContext &ctx) {
            for (const QString &sha : filecollection::unrecordedBlobs(ctx, sha256s)) {
                if (m_blobs.remove(sha))
                    ++*removed;
            }
            return true;
        },
        [finish, removed](bool) { finish(*removed); });
}

} // namespace confab::server
