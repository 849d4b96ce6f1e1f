// SPDX-License-Identifier: GPL-3.0-or-later
#include "chat/redactionpurge.h"

#include "core/logging.h"
#include "storage/statementcache.h"
#include "storage/storagewriter.h"
#include "storage/writecontext.h"

#include <QSqlQuery>

using namespace Qt::StringLiterals;

namespace confab::server {

namespace {
// A checkpoint that finds a reader still on the log is tried again this much later.
constexpr int RetryMs = 1000;
// How long the checkpoint waits for readers to leave the log; the writer waits with it.
constexpr int CheckpointWaitMs = 200;
constexpr int WriterBusyTimeoutMs = 5000;

bool mergeAndTruncate(WriteContext &ctx)
{
    for (const QString &sql : {u"INSERT INTO search_words(search_words) VALUES('optimize')"_s,
             u"INSERT INTO search_trigrams(search_trigrams) VALUES('optimize')"_s}) {
        if (!ctx.run(sql))
            return false;
    }
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
}

void RedactionPurge::redactionCommitted()
{
    // The first redaction of a window starts the clock; later ones ride along.
    if (m_running)
        m_again = true;
    else if (!m_timer.isActive())
        m_timer.start(m_delayMs);
}

void RedactionPurge::purgeNow()
{
    if (!m_timer.isActive() && !m_again)
        return;
    m_timer.stop();
    purge();
}

void RedactionPurge::purge()
{
    m_running = true;
    m_again = false;
    // The reader's own open statement would hold the log.
    m_reader.finishAll();
    m_writer.submitOutsideTransaction(mergeAndTruncate, [this](bool complete) {
        m_running = false;
        if (complete) {
            ++m_completed;
            qCInfo(lcStorage) << "purged redacted text: indexes merged, log truncated";
        } else {
            qCInfo(lcStorage) << "redaction purge incomplete, retrying";
            m_timer.start(RetryMs);
            return;
        }
        if (m_again)
            m_timer.start(m_delayMs);
    });
}

} // namespace confab::server
