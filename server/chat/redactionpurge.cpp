// SPDX-License-Identifier: GPL-3.0-or-later
#include "chat/redactionpurge.h"

#include "core/logging.h"
#include "storage/statementcache.h"
#include "storage/storagewriter.h"
#include "storage/writecontext.h"

#include <QSqlQuery>
#include <memory>

using namespace Qt::StringLiterals;

namespace confab::server {

namespace {
// A checkpoint that finds a reader still on the log is tried again this much later.
constexpr int RetryMs = 1000;
// How long the checkpoint waits for readers to leave the log; the writer waits with it.
constexpr int CheckpointWaitMs = 200;
constexpr int WriterBusyTimeoutMs = 5000;
// Index pages one merge step writes. A whole 'optimize' of a 1,000,000-message room takes
// the writer ~15 s (docs/performance.md), every ack waiting behind it; steps of this size
// take tens of milliseconds each, and sends queued meanwhile commit between them.
constexpr int MergeStepPages = 500;

const QStringList Indexes {u"search_words"_s, u"search_trigrams"_s};

qint64 totalChanges(WriteContext &ctx)
{
    QSqlQuery *q = ctx.run(u"SELECT total_changes()"_s);
    const qint64 n = q && q->next() ? q->value(0).toLongLong() : -1;
    if (q)
        q->finish();
    return n;
}

/*!
 * One step of merging \a index whole, as FTS5's documentation describes: the first step
 * with a negative page count puts every segment on one level (what 'optimize' merges),
 * later ones carry that merge on, and it is complete when a step changes fewer than two
 * rows. \a more says whether another step is needed.
 */
bool mergeStep(WriteContext &ctx, const QString &index, bool first, bool *more)
{
    const qint64 before = totalChanges(ctx);
    if (before < 0
        || !ctx.run(u"INSERT INTO %1(%1, rank) VALUES('merge', ?)"_s.arg(index),
            {first ? -MergeStepPages : MergeStepPages}))
        return false;
    const qint64 after = totalChanges(ctx);
    *more = after < 0 || after - before >= 2;
    return after >= 0;
}

bool truncateLog(WriteContext &ctx)
{
    QSqlQuery q(ctx.database());
    q.exec(u"PRAGMA busy_timeout = %1"_s.arg(CheckpointWaitMs));
    const bool ran = q.exec(u"PRAGMA wal_checkpoint(TRUNCATE)"_s) && q.next();
    // The first column is 1 when a reader or writer kept the checkpoint from finishing.
    const bool complete = ran && q.value(0).toInt() == 0;
    q.finish();
    q.exec(u"PRAGMA busy_timeout = %1"_s.arg(WriterBusyTimeoutMs));
    return complete;
}
} // namespace

RedactionPurge::RedactionPurge(StorageWriter &writer, StatementCache &reader, int delaySeconds)
    : m_writer(writer)
    , m_reader(reader)
    , m_delayMs(delaySeconds * 1000)
{
    m_timer.setSingleShot(true);
    connect(&m_timer, &QTimer::timeout, this, &RedactionPurge::purge);
    m_retry.setSingleShot(true);
    connect(&m_retry, &QTimer::timeout, this, &RedactionPurge::step);
}

void RedactionPurge::redactionCommitted()
{
    // What it purges is SQLite's: FTS5 segments and the write-ahead log. PostgreSQL keeps a
    // redacted row's old version until VACUUM reuses its space (docs/postgresql.md).
    if (m_reader.dialect() == SqlDialect::PostgreSQL)
        return;
    // The first redaction of a window starts the clock; later ones ride along.
    if (m_running)
        m_again = true;
    else if (!m_timer.isActive())
        m_timer.start(m_delayMs);
}

void RedactionPurge::purgeNow()
{
    if (!m_timer.isActive() && !m_again && !m_running)
        return;
    m_timer.stop();
    m_retry.stop();
    m_again = false;
    // Stopping: no sends wait any more, and a step's completion could not queue the next
    // one on a writer that is finishing. So one job does it all.
    m_reader.finishAll();
    m_writer.submitOutsideTransaction(
        [](WriteContext &ctx) {
            for (const QString &index : Indexes) {
                if (!ctx.run(u"INSERT INTO %1(%1) VALUES('optimize')"_s.arg(index)))
                    return false;
            }
            return truncateLog(ctx);
        },
        [this](bool complete) {
            m_running = false;
            if (complete)
                ++m_completed;
            qCInfo(lcStorage) << "redaction purge at shutdown" << (complete ? "done" : "failed");
        });
}

void RedactionPurge::purge()
{
    m_running = true;
    m_again = false;
    m_index = 0;
    m_firstStep = true;
    step();
}

void RedactionPurge::step()
{
    if (m_index < Indexes.size()) {
        auto more = std::make_shared<bool>(false);
        const QString &index = Indexes.at(m_index);
        m_writer.submitOutsideTransaction(
            [index, first = m_firstStep, more](
                WriteContext &ctx) { return mergeStep(ctx, index, first, more.get()); },
            [this, more](bool ok) {
                if (!ok)
                    qCWarning(lcStorage) << "merging a search index failed; trying the next";
                m_firstStep = !(ok && *more);
                if (m_firstStep)
                    ++m_index;
                step();
            });
        return;
    }
    // The reader's own open statement would hold the log.
    m_reader.finishAll();
    m_writer.submitOutsideTransaction(truncateLog, [this](bool complete) {
        if (!complete) {
            qCInfo(lcStorage) << "redaction purge: the log is in use, truncating it later";
            m_retry.start(RetryMs);
            return;
        }
        m_running = false;
        ++m_completed;
        qCInfo(lcStorage) << "purged redacted text: indexes merged, log truncated";
        if (m_again)
            m_timer.start(m_delayMs);
    });
}

} // namespace confab::server
