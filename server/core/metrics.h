// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QByteArray>
#include <QtGlobal>
#include <array>
#include <atomic>
#include <cstddef>

namespace confab::server::metrics {

/*!
 * \brief A count that only grows. Relaxed atomics: nothing is ordered by a count, and an
 * uncontended atomic add costs about what a plain one does, so counting sites need no
 * thought about which thread they run on (the writer counts commits, the event loop the rest).
 */
class Counter
{
public:
    void add(quint64 n = 1) { m_value.fetch_add(n, std::memory_order_relaxed); }
    quint64 value() const { return m_value.load(std::memory_order_relaxed); }

private:
    std::atomic<quint64> m_value {0};
};

/*!
 * \brief Durations in fixed buckets, as a Prometheus histogram: quantiles are computed by
 * Prometheus over whatever window is asked, which no summary kept here could do.
 */
class Histogram
{
public:
    //! Upper bounds in seconds, as they appear in the `le` label: a group commit takes a
    //! fraction of a millisecond with durability=normal and one fsync or more with full.
    static constexpr std::array<const char *, 12> Bounds {"0.0005", "0.001", "0.0025", "0.005",
        "0.01", "0.025", "0.05", "0.1", "0.25", "0.5", "1", "2.5"};
    static constexpr std::array<qint64, 12> BoundsNs {500'000, 1'000'000, 2'500'000, 5'000'000,
        10'000'000, 25'000'000, 50'000'000, 100'000'000, 250'000'000, 500'000'000, 1'000'000'000,
        2'500'000'000};

    void observe(qint64 ns);

    struct Snapshot
    {
        std::array<quint64, Bounds.size() + 1> cumulative {}; //!< the last is +Inf: the count
        qint64 sumNs = 0;
    };
    Snapshot snapshot() const;

private:
    std::array<std::atomic<quint64>, Bounds.size() + 1> m_buckets {};
    std::atomic<qint64> m_sumNs {0};
};

/*! \brief Why a request or connection was refused for going too fast or holding too much. */
enum class Refusal
{
    Requests, //!< the connection's request rate (rate_per_second, rate_burst)
    Chunks, //!< the connection's upload chunk rate
    Downloads, //!< too many downloads queued on one connection
    UploadBusy, //!< an upload is ahead of the disk
    LoginName, //!< too many failed sign-ins for one account name
    LoginAddress, //!< too many sign-ins failing or in flight from one address
    LoginBusy, //!< the password hashing pool is full
    Connections, //!< max_connections or max_connections_per_address reached
};
inline constexpr std::size_t RefusalKinds = std::size_t(Refusal::Connections) + 1;
/*! \brief The `kind` label of \a refusal. */
const char *refusalName(Refusal refusal);

/*!
 * \brief Every count confabd keeps, for the whole process.
 *
 * One per process rather than one per server: the counting sites sit deep in the chat
 * logic, and a process serves one server (tests that start several read differences).
 * What depends on one server's state (connections, users, queued bytes) is not counted
 * here but read from it when /metrics is asked, see Gauges.
 */
struct Registry
{
    Counter messagesAccepted; //!< send requests committed and broadcast
    Counter deliveries; //!< room events pushed to connections, one per connection
    Counter loginFailures; //!< password checks that found the password wrong
    Counter uploads; //!< uploads finished and stored as files
    Counter uploadBytes; //!< their sizes as uploaded
    Counter commitFailures; //!< transactions of the writer that rolled back instead
    std::array<Counter, RefusalKinds> refusals;
    Histogram commitSeconds; //!< how long each group commit took, BEGIN to COMMIT
};

Registry &registry();

inline void refused(Refusal kind)
{
    registry().refusals[std::size_t(kind)].add();
}

/*! \brief One server's state at the moment /metrics is asked. */
struct Gauges
{
    qint64 connections = 0;
    qint64 signedInUsers = 0;
    qint64 pendingHandshakes = 0;
    qint64 outboundQueuedBytes = 0;
    qint64 writerPendingJobs = 0;
};

/*! \brief The Prometheus text exposition (format 0.0.4) of registry() and \a gauges. */
QByteArray exposition(const Gauges &gauges);

/*! \brief The Content-Type that exposition() is served with. */
inline constexpr const char *ExpositionContentType = "text/plain; version=0.0.4; charset=utf-8";

} // namespace confab::server::metrics
