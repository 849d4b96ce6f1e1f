// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <array>
#include <atomic>
#include <cstdint>
#include <sys/types.h>
#include <vector>

namespace loadgen {

std::int64_t nowNs();

/*!
 * \brief Log-linear latency histogram in microseconds (about 6 % resolution).
 *
 * Written by one worker thread with relaxed atomics and read by the controller,
 * so recording a delivery never takes a lock.
 */
class Histogram
{
public:
    static constexpr int Buckets = 16 + 40 * 16;

    void record(std::int64_t micros);
    void reset();
    void addTo(std::array<std::uint64_t, Buckets> *sum, std::int64_t *max) const;

    static int bucketOf(std::int64_t micros);
    static std::int64_t bucketUpperBound(int bucket);

private:
    std::array<std::atomic<std::uint64_t>, Buckets> m_counts {};
    std::atomic<std::int64_t> m_max {0};
};

struct LatencySummary
{
    std::uint64_t count = 0;
    double p50Ms = 0;
    double p99Ms = 0;
    double maxMs = 0;
};
LatencySummary summarize(
    const std::array<std::uint64_t, Histogram::Buckets> &counts, std::int64_t max);

/*! \brief CPU seconds (user + system) and resident set of a process, from /proc. */
struct ProcSample
{
    double cpuSeconds = 0;
    double rssMiB = 0;
    bool ok = false;
};
ProcSample sampleProcess(pid_t pid);
/*! \brief The sum over \a pids (several server instances); ok only if every one was read. */
ProcSample sampleProcesses(const std::vector<pid_t> &pids);
/*! \brief This process's CPU seconds, from getrusage. */
double selfCpuSeconds();

} // namespace loadgen
