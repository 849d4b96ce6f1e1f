// SPDX-License-Identifier: GPL-3.0-or-later
#include "stats.h"

#include <bit>
#include <cstdio>
#include <cstring>
#include <ctime>
#include <string>
#include <sys/resource.h>
#include <unistd.h>

namespace loadgen {

std::int64_t nowNs()
{
    timespec ts {};
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return std::int64_t(ts.tv_sec) * 1'000'000'000 + ts.tv_nsec;
}

int Histogram::bucketOf(std::int64_t micros)
{
    if (micros < 16)
        return micros < 0 ? 0 : int(micros);
    const int msb = 63 - std::countl_zero(std::uint64_t(micros));
    const int sub = int((std::uint64_t(micros) >> (msb - 4)) & 15);
    const int b = 16 + (msb - 4) * 16 + sub;
    return b < Buckets ? b : Buckets - 1;
}

std::int64_t Histogram::bucketUpperBound(int bucket)
{
    if (bucket < 16)
        return bucket;
    const int msb = (bucket - 16) / 16 + 4;
    const int sub = (bucket - 16) % 16;
    return ((std::int64_t(16 + sub + 1)) << (msb - 4)) - 1;
}

void Histogram::record(std::int64_t micros)
{
    m_counts[std::size_t(bucketOf(micros))].fetch_add(1, std::memory_order_relaxed);
    std::int64_t seen = m_max.load(std::memory_order_relaxed);
    while (micros > seen && !m_max.compare_exchange_weak(seen, micros, std::memory_order_relaxed)) {
    }
}

void Histogram::reset()
{
    for (auto &c : m_counts)
        c.store(0, std::memory_order_relaxed);
    m_max.store(0, std::memory_order_relaxed);
}

void Histogram::addTo(std::array<std::uint64_t, Buckets> *sum, std::int64_t *max) const
{
    for (std::size_t i = 0; i < m_counts.size(); ++i)
        (*sum)[i] += m_counts[i].load(std::memory_order_relaxed);
    const std::int64_t m = m_max.load(std::memory_order_relaxed);
    if (m > *max)
        *max = m;
}

LatencySummary summarize(
    const std::array<std::uint64_t, Histogram::Buckets> &counts, std::int64_t max)
{
    LatencySummary s;
    for (std::uint64_t c : counts)
        s.count += c;
    s.maxMs = double(max) / 1000.0;
    if (s.count == 0)
        return s;
    const auto at = [&](double q) {
        const auto rank = std::uint64_t(q * double(s.count - 1)) + 1;
        std::uint64_t seen = 0;
        for (int b = 0; b < Histogram::Buckets; ++b) {
            seen += counts[std::size_t(b)];
            if (seen >= rank)
                return std::min(double(Histogram::bucketUpperBound(b)), double(max)) / 1000.0;
        }
        return s.maxMs;
    };
    s.p50Ms = at(0.50);
    s.p99Ms = at(0.99);
    return s;
}

ProcSample sampleProcess(pid_t pid)
{
    ProcSample s;
    const std::string base = "/proc/" + std::to_string(pid);
    if (FILE *f = std::fopen((base + "/stat").c_str(), "r")) {
        char buf[1024];
        const std::size_t n = std::fread(buf, 1, sizeof buf - 1, f);
        std::fclose(f);
        buf[n] = 0;
        // The command name may contain spaces; the fields resume after its ')'.
        if (const char *p = std::strrchr(buf, ')')) {
            unsigned long utime = 0;
            unsigned long stime = 0;
            // Fields 3..13 are skipped; 14 and 15 are utime and stime in clock ticks.
            if (std::sscanf(
                    p + 2, "%*c %*d %*d %*d %*d %*d %*u %*u %*u %*u %*u %lu %lu", &utime, &stime)
                == 2) {
                s.cpuSeconds = double(utime + stime) / double(sysconf(_SC_CLK_TCK));
                s.ok = true;
            }
        }
    }
    if (FILE *f = std::fopen((base + "/status").c_str(), "r")) {
        char line[256];
        while (std::fgets(line, sizeof line, f)) {
            long kb = 0;
            if (std::sscanf(line, "VmRSS: %ld kB", &kb) == 1) {
                s.rssMiB = double(kb) / 1024.0;
                break;
            }
        }
        std::fclose(f);
    }
    return s;
}

ProcSample sampleProcesses(const std::vector<pid_t> &pids)
{
    ProcSample sum;
    sum.ok = !pids.empty();
    for (const pid_t pid : pids) {
        const ProcSample s = sampleProcess(pid);
        sum.cpuSeconds += s.cpuSeconds;
        sum.rssMiB += s.rssMiB;
        sum.ok = sum.ok && s.ok;
    }
    return sum;
}

double selfCpuSeconds()
{
    rusage u {};
    getrusage(RUSAGE_SELF, &u);
    return double(u.ru_utime.tv_sec + u.ru_stime.tv_sec)
        + double(u.ru_utime.tv_usec + u.ru_stime.tv_usec) / 1e6;
}

} // namespace loadgen
