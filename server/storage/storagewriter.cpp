// SPDX-License-Identifier: GPL-3.0-or-later
#include "storage/storagewriter.h"

#include "core/logging.h"
#include "core/metrics.h"
#include "storage/writecontext.h"
#include "storage/writestatement.h"

#include <QCoreApplication>
#include <QDateTime>
#include <QElapsedTimer>
#include <QSqlError>
#include <QSqlQuery>
#include <QThread>
#include <atomic>
#include <set>

using namespace Qt::StringLiterals;

namespace confab::server {

namespace {
// Large enough to amortise fsync under load, small enough that one batch's
// transaction never holds the write lock for long.
constexpr std::size_t MaxBatchJobs = 4096;
// Unique per writer: several instances may share a process (the tests of several instances
// on one PostgreSQL), and Qt names connections process-wide.
QString nextConnectionName()
{
    static std::atomic<int> next {0};
    return u"confab-writer-%1"_s.arg(++next);
}
} // namespace

StorageWriter::StorageWriter(QObject *parent)
    : QObject(parent)
    , m_connectionName(nextConnectionName())
{ }

StorageWriter::~StorageWriter()
{
    stop();
}

bool StorageWriter::start(const QString &path, Durability durability, QString *error)
{
    m_thread = QThread::create([this, path, durability] { run(path, durability); });
    m_thread->setObjectName(u"confab-writer"_s);
    m_thread->start();
    std::unique_lock lock(m_mutex);
    m_ready.wait(lock, [this] { return m_state != 0; });
    if (m_state < 0) {
        *error = m_startError;
        lock.unlock();
        m_thread->wait();
        delete m_thread;
        m_thread = nullptr;
        return false;
    }
    return true;
}

void StorageWriter::submit(Apply apply, Done done, qint64 room)
{
    {
        std::lock_guard lock(m_mutex);
        m_queue.push_back(Job {std::move(apply), std::move(done), false, room});
        ++m_inFlight;
    }
    m_wake.notify_one();
}

void StorageWriter::submitOutsideTransaction(Apply apply, Done done)
{
    {
        std::lock_guard lock(m_mutex);
        m_queue.push_back(Job {std::move(apply), std::move(done), true});
        ++m_inFlight;
    }
    m_wake.notify_one();
}

int StorageWriter::pending() const
{
    std::lock_guard lock(m_mutex);
    return m_inFlight;
}

void StorageWriter::stop()
{
    if (!m_thread)
        return;
    {
        std::lock_guard lock(m_mutex);
        m_stopping = true;
    }
    m_wake.notify_one();
    m_thread->wait();
    delete m_thread;
    m_thread = nullptr;
    // Completions queued to this thread's event loop have not run yet; a
    // stopping server still owes those clients their acknowledgements.
    QCoreApplication::sendPostedEvents(this, QEvent::MetaCall);
}

void StorageWriter::run(const QString &path, Durability durability)
{
    QString error;
    {
        QSqlDatabase db = database::open(path, m_connectionName, durability, &error);
        if (error.isEmpty())
            database::migrate(db, &error);
        std::optional<WriteContext> ctx;
        if (error.isEmpty()) {
            ctx.emplace(db);
            ctx->setLocalAppends(&m_localAppends);
            if (!ctx->hasHandle())
                error = u"the SQLite driver of Qt SQL does not use this program's SQLite library"_s;
        }
        if (!error.isEmpty()) {
            ctx.reset();
            db.close();
        } else {
            {
                std::lock_guard lock(m_mutex);
                m_state = 1;
            }
            m_ready.notify_all();
            // On PostgreSQL a failure may mean the server went away (a restart, a failover):
            // then connect again, before retrying the failed batch and before the next one.
            bool suspect = false;
            const auto recover = [&] {
                if (ctx->dialect() != SqlDialect::PostgreSQL || database::isAlive(db))
                    return;
                ctx.reset();
                QString lost;
                if (database::reconnect(db, durability, &lost))
                    qCInfo(lcStorage) << "the writer reconnected to the database";
                else
                    qCWarning(lcStorage) << "the database is unreachable:" << lost;
                ctx.emplace(db);
                ctx->setLocalAppends(&m_localAppends);
            };
            // Runs jobs in one transaction. After a failure it connects again if the server
            // went away, and counts a commit whose reply was lost with the connection as done:
            // running those jobs again would apply them twice.
            const auto attempt = [&](std::deque<Job> &jobs, std::vector<bool> &result) {
                if (!runBatch(*ctx, jobs, result)) {
                    recover();
                    if (!committedAfterAll(db)) {
                        m_localAppends.discardStaged();
                        return false;
                    }
                    std::fill(result.begin(), result.end(), true);
                }
                m_localAppends.commitStaged();
                return true;
            };
            for (;;) {
                std::deque<Job> batch;
                {
                    std::unique_lock lock(m_mutex);
                    m_wake.wait(lock, [this] { return m_stopping || !m_queue.empty(); });
                    if (m_queue.empty())
                        break;
                    // Upkeep outside a transaction runs alone; a batch stops before it.
                    std::size_t n = 1;
                    if (!m_queue.front().outsideTransaction) {
                        const std::size_t most = std::min(m_queue.size(), MaxBatchJobs);
                        while (n < most && !m_queue[n].outsideTransaction)
                            ++n;
                    }
                    std::move(
                        m_queue.begin(), m_queue.begin() + qsizetype(n), std::back_inserter(batch));
                    m_queue.erase(m_queue.begin(), m_queue.begin() + qsizetype(n));
                }
                std::vector<bool> outcome(batch.size(), false);
                if (std::exchange(suspect, false))
                    recover();
                ctx->setNow(QDateTime::currentMSecsSinceEpoch());
                if (batch.front().outsideTransaction) {
                    outcome[0] = batch.front().apply(*ctx);
                } else if (!attempt(batch, outcome)) {
                    ctx->setNow(QDateTime::currentMSecsSinceEpoch());
                    // One bad job must not fail its neighbours: retry each alone.
                    ctx->resetSequences();
                    for (std::size_t i = 0; i < batch.size(); ++i) {
                        std::deque<Job> single;
                        single.push_back(Job {batch[i].apply, {}, false, batch[i].room});
                        std::vector<bool> one(1, false);
                        if (!attempt(single, one)) {
                            ctx->resetSequences();
                            suspect = true;
                        }
                        outcome[i] = one[0];
                    }
                }
                m_maxBatch = std::max(m_maxBatch, int(batch.size()));
                ++m_batches;
                deliver(std::move(batch), std::move(outcome));
            }
            // Every statement goes before the connection closes (QPSQL frees them on it).
            ctx.reset();
            db.close();
        }
    }
    database::close(m_connectionName);
    if (!error.isEmpty()) {
        std::lock_guard lock(m_mutex);
        m_startError = error;
        m_state = -1;
        m_ready.notify_all();
    }
}

bool StorageWriter::runBatch(WriteContext &ctx, std::deque<Job> &batch, std::vector<bool> &outcome)
{
    QSqlDatabase &db = ctx.database();
    QElapsedTimer took;
    took.start();
    if (!db.transaction()) {
        qCWarning(lcStorage) << "cannot begin transaction:" << db.lastError().text();
        metrics::registry().commitFailures.add();
        return false;
    }
    // On PostgreSQL the connection can drop after the server committed but before its reply
    // arrived: the transaction's id tells afterwards whether it did (committedAfterAll()).
    m_transactionId.clear();
    if (ctx.dialect() == SqlDialect::PostgreSQL) {
        QSqlQuery id(db);
        if (id.exec(u"SELECT CAST(pg_current_xact_id() AS text)"_s) && id.next())
            m_transactionId = id.value(0).toString();
    }
    if (!lockRooms(ctx, batch)) {
        db.rollback();
        metrics::registry().commitFailures.add();
        return false;
    }
    for (auto &op : batch) {
        if (!op.apply(ctx)) {
            db.rollback();
            metrics::registry().commitFailures.add();
            return false;
        }
    }
    if (!db.commit()) {
        qCWarning(lcStorage) << "commit failed:" << db.lastError().text();
        db.rollback();
        metrics::registry().commitFailures.add();
        return false;
    }
    metrics::registry().commitSeconds.observe(took.nsecsElapsed());
    std::fill(outcome.begin(), outcome.end(), true);
    return true;
}

bool StorageWriter::lockRooms(WriteContext &ctx, const std::deque<Job> &batch)
{
    // SQLite's one writer holds the whole database already.
    if (ctx.dialect() != SqlDialect::PostgreSQL)
        return true;
    std::set<qint64> rooms;
    for (const Job &job : batch) {
        if (job.room > 0)
            rooms.insert(job.room);
    }
    if (rooms.empty())
        return true;
    QStringList ids;
    for (const qint64 room : rooms)
        ids.append(QString::number(room));
    // Locked as the rows come out of the sort: in id order on every instance.
    WriteStatement &lock = ctx.statement(
        "SELECT id FROM rooms WHERE id = ANY(CAST(? AS BIGINT[])) ORDER BY id FOR UPDATE");
    return lock.exec(u"{"_s + ids.join(u',') + u"}"_s);
}

bool StorageWriter::committedAfterAll(QSqlDatabase &db)
{
    if (m_transactionId.isEmpty())
        return false;
    QSqlQuery status(db);
    status.prepare(u"SELECT pg_xact_status(CAST(? AS xid8))"_s);
    status.addBindValue(m_transactionId);
    const bool committed
        = status.exec() && status.next() && status.value(0).toString() == "committed"_L1;
    if (committed)
        qCWarning(lcStorage) << "a commit whose reply was lost did commit; not retrying it";
    return committed;
}

void StorageWriter::deliver(std::deque<Job> batch, std::vector<bool> outcome)
{
    const int count = int(batch.size());
    QMetaObject::invokeMethod(
        this,
        [this, count, batch = std::move(batch), outcome = std::move(outcome)]() mutable {
            Q_EMIT completionsStarting();
            for (std::size_t i = 0; i < batch.size(); ++i) {
                if (batch[i].done)
                    batch[i].done(outcome[i]);
            }
            Q_EMIT completionsFinished();
            std::lock_guard lock(m_mutex);
            m_inFlight -= count;
        },
        Qt::QueuedConnection);
}

} // namespace confab::server
