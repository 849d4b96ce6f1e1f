// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "storage/database.h"
#include "storage/localappends.h"

#include <QObject>
#include <QString>
#include <condition_variable>
#include <deque>
#include <functional>
#include <memory>
#include <mutex>
#include <optional>

class QThread;

namespace confab::server {

class WriteContext;

/*!
 * \brief The single writer: one thread, one connection, group commit.
 *
 * Jobs queue from the event loop; the writer takes everything queued, runs it
 * in one transaction and commits once, so N messages cost one fsync instead of
 * N. Only after that commit does each job's completion run, on the thread that
 * owns this object, in submission order: nothing is acknowledged or broadcast
 * before it is durable.
 */
class StorageWriter : public QObject
{
    Q_OBJECT
public:
    /*! \brief Runs on the writer thread inside the batch transaction. False = database error. */
    using Apply = std::function<bool(WriteContext &)>;
    /*! \brief Runs on the owner's thread once the job's transaction committed (true) or failed. */
    using Done = std::function<void(bool committed)>;

    explicit StorageWriter(QObject *parent = nullptr);
    ~StorageWriter() override;

    bool start(const QString &path, Durability durability, QString *error);
    /*!
     * \brief Queues a write whose only outcome is whether it committed. \a room: the room
     * whose log it appends to, if it is one room's (see Job::room).
     */
    void submit(Apply apply, Done done, qint64 room = 0);

    /*!
     * \brief Queues a write that produces a \a T. \a apply runs on the writer thread and
     * returns the value, or nothing on a database error (the transaction rolls back);
     * \a done gets the value once it is committed, or nothing if it was not.
     * \a apply may run twice (a batch that failed is retried job by job); the value of
     * the run that committed is the one delivered.
     */
    template<typename T>
    void submit(std::function<std::optional<T>(WriteContext &)> apply,
        std::function<void(std::optional<T>)> done, qint64 room = 0)
    {
        // Filled on the writer thread, read on this one after the commit: the queue's
        // mutex and the queued completion order the two.
        auto result = std::make_shared<std::optional<T>>();
        submit(
            [apply = std::move(apply), result](WriteContext &ctx) {
                *result = apply(ctx);
                return result->has_value();
            },
            [done = std::move(done), result](bool committed) {
                if (done)
                    done(committed ? std::move(*result) : std::nullopt);
            },
            room);
    }

    /*!
     * \brief Queues upkeep that cannot run inside a transaction (a WAL checkpoint): it runs
     * alone, between batches, in autocommit mode; \a done gets whether it returned true.
     */
    void submitOutsideTransaction(Apply apply, Done done);

    /*! \brief Finishes every queued job, delivers completions, stops the thread. */
    void stop();

    /*! \brief Jobs submitted whose completions have not run yet. */
    int pending() const;

    /*! \brief The seqs appended here and not yet delivered (several instances). */
    LocalAppends &localAppends() { return m_localAppends; }

    int maxBatch() const { return m_maxBatch; }
    qint64 committedBatches() const { return m_batches; }

Q_SIGNALS:
    /*! \brief A committed batch's completions are about to run, one after another. */
    void completionsStarting();
    /*! \brief They have all run. */
    void completionsFinished();

private:
    struct Job
    {
        Apply apply;
        Done done;
        bool outsideTransaction = false;
        //! On PostgreSQL a batch locks its jobs' rooms first, in id order: instances
        //! whose batches share rooms then wait for each other instead of deadlocking, and
        //! a job's checks see the room as its append will.
        qint64 room = 0;
    };
    /*! \brief Locks \a batch's rooms (Job::room) on PostgreSQL; false on an error. */
    static bool lockRooms(WriteContext &ctx, const std::deque<Job> &batch);
    void run(const QString &path, Durability durability);
    bool runBatch(WriteContext &ctx, std::deque<Job> &batch, std::vector<bool> &outcome);
    void deliver(std::deque<Job> batch, std::vector<bool> outcome);
    /*! \brief Whether the last batch's transaction committed after all (PostgreSQL). */
    bool committedAfterAll(QSqlDatabase &db);

    QThread *m_thread = nullptr;
    mutable std::mutex m_mutex;
    std::condition_variable m_wake;
    std::condition_variable m_ready;
    std::deque<Job> m_queue;
    bool m_stopping = false;
    int m_state = 0; // 0 starting, 1 ready, -1 failed
    QString m_startError;
    int m_maxBatch = 0;
    qint64 m_batches = 0;
    int m_inFlight = 0;
    LocalAppends m_localAppends;
    QString m_connectionName;
    QString m_transactionId; //!< the running batch's, on PostgreSQL (writer thread only)
};

} // namespace confab::server
