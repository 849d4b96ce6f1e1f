// SPDX-License-Identifier: GPL-3.0-or-later
#include "chat/filecollector.h"

#include "core/logging.h"
#include "storage/blobstore.h"
#include "storage/filecollection.h"
#include "storage/storagewriter.h"

#include <QDateTime>
#include <QDir>
#include <QDirIterator>
#include <QFileInfo>
#include <QtConcurrent>

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

bool isHex(QStringView text)
{
    return std::all_of(text.begin(), text.end(),
        [](QChar c) { return (c >= u'0' && c <= u'9') || (c >= u'a' && c <= u'f'); });
}

// Blob files under \a root (`ab/cdef…`, 64 hex digits in all) last changed before \a cutoff.
QStringList oldBlobFiles(const QString &root, qint64 cutoffMs)
{
    QStringList found;
    const QDir top(root);
    for (const QString &folder : top.entryList(QDir::Dirs | QDir::NoDotAndDotDot)) {
        if (folder.size() != 2 || !isHex(folder))
            continue; // tmp/ and anything else is not a blob folder
        QDirIterator files(top.filePath(folder), QDir::Files);
        while (files.hasNext()) {
            files.next();
            const QFileInfo info = files.fileInfo();
            const QString sha = folder + info.fileName();
            if (sha.size() == 64 && isHex(sha)
                && info.lastModified().toMSecsSinceEpoch() < cutoffMs)
                found.append(sha);
        }
    }
    return found;
}
} // namespace

FileCollector::FileCollector(StorageWriter &writer, BlobStore &blobs, QObject *parent)
    : QObject(parent)
    , m_writer(writer)
    , m_blobs(blobs)
{
    m_timer.setSingleShot(true);
    connect(
        &m_timer, &QTimer::timeout, this, [this] { collect(QDateTime::currentMSecsSinceEpoch()); });
    m_diskTimer.setSingleShot(true);
    connect(&m_diskTimer, &QTimer::timeout, this,
        [this] { sweepDisk(QDateTime::currentMSecsSinceEpoch()); });
    connect(&m_diskScan, &QFutureWatcher<QStringList>::finished, this, [this] {
        const QStringList candidates = m_diskScan.result();
        if (m_stopped || candidates.isEmpty()) {
            Q_EMIT diskSwept(0);
            return;
        }
        auto removed = std::make_shared<int>(0);
        m_writer.submitOutsideTransaction(
            [this, candidates, removed](WriteContext &ctx) {
                for (qsizetype at = 0; at < candidates.size(); at += BatchFiles) {
                    const QStringList batch = candidates.mid(at, BatchFiles);
                    for (const QString &sha : filecollection::unrecordedBlobs(ctx, batch)) {
                        if (m_blobs.remove(sha))
                            ++*removed;
                    }
                }
                return true;
            },
            [this, removed](bool) {
                if (*removed > 0)
                    qCInfo(lcStorage) << "removed" << *removed << "blob files no row named";
                Q_EMIT diskSwept(*removed);
            });
    });
}

void FileCollector::start()
{
    m_timer.start(FirstSweepMs);
    m_diskTimer.start(FirstSweepMs * 2);
}

void FileCollector::sweepDisk(qint64 nowMs)
{
    if (m_stopped || m_diskScan.isRunning())
        return;
    m_diskTimer.start(DiskIntervalMs);
    m_diskScan.setFuture(QtConcurrent::run(oldBlobFiles, m_blobs.root(), nowMs - OrphanAgeMs));
}

void FileCollector::stop()
{
    m_stopped = true;
    m_timer.stop();
    m_diskTimer.stop();
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
