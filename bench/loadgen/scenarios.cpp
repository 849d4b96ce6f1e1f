// SPDX-License-Identifier: GPL-3.0-or-later
#include "scenarios.h"

#include "report.h"

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <fstream>
#include <thread>

namespace loadgen {

namespace {
void sleepSeconds(double s)
{
    std::this_thread::sleep_for(std::chrono::microseconds(std::int64_t(s * 1e6)));
}
} // namespace

Scenarios::Scenarios(Engine &engine, const ScenarioSettings &settings)
    : m_engine(engine)
    , m_s(settings)
{ }

int Scenarios::liveClients() const
{
    return m_engine.ready.load() - m_engine.closedAfterReady.load();
}

bool Scenarios::connectAll()
{
    m_rssBeforeMiB = sampleProcesses(m_s.serverPids).rssMiB;
    m_engine.setSenderCount(m_s.senders);
    m_connected = m_engine.connect(0, m_s.clients, m_s.connectTimeoutSeconds, &m_connectSeconds);
    // A client is ready when its own sign-in or join is answered, but the server may
    // still be telling everyone else about it (presence, JOIN lines): wait until it
    // goes quiet so that backlog does not count against the first scenario.
    const std::int64_t settleStart = nowNs();
    double cpu = sampleProcesses(m_s.serverPids).cpuSeconds;
    for (;;) {
        sleepSeconds(0.5);
        const double next = sampleProcesses(m_s.serverPids).cpuSeconds;
        const bool quiet = next - cpu < 0.05;
        cpu = next;
        if (quiet || double(nowNs() - settleStart) / 1e9 > m_s.settleSeconds)
            break;
    }
    m_settleSeconds = double(nowNs() - settleStart) / 1e9;
    m_rssConnectedMiB = sampleProcesses(m_s.serverPids).rssMiB;
    std::fprintf(stderr, "%s: %d clients ready, %d failed, in %.2f s; server busy %.1f s more\n",
        m_s.systemName.c_str(), m_engine.ready.load(), m_engine.failed.load(), m_connectSeconds,
        m_settleSeconds);
    return m_connected;
}

Scenarios::Measured Scenarios::measure(double rate, double seconds)
{
    Measured m;
    m.rate = rate;
    const int recipients = liveClients() - 1;
    // Warm up under a phase of its own; its late deliveries are ignored.
    const int warm = ++m_phase;
    m_engine.resetPhase(warm);
    m_engine.setRate(rate, warm);
    sleepSeconds(m_s.warmupSeconds);
    const int phase = ++m_phase;
    m_engine.resetPhase(phase);
    const std::uint64_t errorsBefore = m_engine.errors.load();
    const ProcSample server0 = sampleProcesses(m_s.serverPids);
    const ProcSample db0 = sampleProcesses(m_s.extraPids);
    const double self0 = selfCpuSeconds();
    const std::int64_t start = nowNs();
    m_engine.setRate(rate, phase);
    sleepSeconds(seconds);
    m_engine.setRate(0, phase);
    // Drain: wait until every delivery arrived, or until none arrived for a while.
    const std::int64_t drainStart = nowNs();
    std::uint64_t lastSeen = 0;
    std::int64_t lastProgress = drainStart;
    for (;;) {
        const PhaseTotals t = m_engine.totals(phase);
        const std::int64_t now = nowNs();
        if (t.delivered >= t.sent * std::uint64_t(std::max(recipients, 0)))
            break;
        if (t.delivered != lastSeen) {
            lastSeen = t.delivered;
            lastProgress = now;
        }
        if (double(now - drainStart) / 1e9 > m_s.drainSeconds
            || double(now - lastProgress) / 1e9 > 2.0)
            break;
        sleepSeconds(0.005);
    }
    const ProcSample server1 = sampleProcesses(m_s.serverPids);
    const ProcSample db1 = sampleProcesses(m_s.extraPids);
    const double self1 = selfCpuSeconds();
    const PhaseTotals t = m_engine.totals(phase);
    m.sent = t.sent;
    m.delivered = t.delivered;
    const std::uint64_t expected = t.sent * std::uint64_t(std::max(recipients, 0));
    m.lost = expected > t.delivered ? expected - t.delivered : 0;
    const std::int64_t end = std::max(t.lastDeliveryNs, start + std::int64_t(seconds * 1e9));
    m.wallSeconds = double(nowNs() - start) / 1e9;
    m.deliveriesPerSecond = double(t.delivered) / (double(end - start) / 1e9);
    m.latency = t.latency;
    m.serverCpuSeconds = server1.cpuSeconds - server0.cpuSeconds;
    m.dbCpuSeconds = db1.cpuSeconds - db0.cpuSeconds;
    m.loadgenCpuSeconds = self1 - self0;
    m.serverRssMiB = server1.rssMiB;
    m.errors = m_engine.errors.load() - errorsBefore;
    return m;
}

void Scenarios::fanout(double rate, double seconds)
{
    const Measured m = measure(rate, seconds);
    Row row;
    row.add("scenario", std::string("fanout"))
        .add("system", m_s.systemName)
        .add("clients", double(liveClients()))
        .add("target_clients", double(m_s.clients))
        .add("senders", double(m_s.senders))
        .add("rate", m.rate)
        .add("sent", double(m.sent))
        .add("delivered", double(m.delivered))
        .add("deliveries_per_s", m.deliveriesPerSecond)
        .add("p50_ms", m.latency.p50Ms)
        .add("p99_ms", m.latency.p99Ms)
        .add("max_ms", m.latency.maxMs)
        .add("lost", double(m.lost))
        .add("errors", double(m.errors))
        .add("server_cpu_us_per_delivery",
            m.delivered ? m.serverCpuSeconds * 1e6 / double(m.delivered) : 0)
        .add("server_cpu_pct", 100 * m.serverCpuSeconds / m.wallSeconds)
        .add("server_cpu_s", m.serverCpuSeconds)
        .add("loadgen_cpu_pct", 100 * m.loadgenCpuSeconds / m.wallSeconds)
        .add("server_rss_mib", m.serverRssMiB);
    if (!m_s.extraPids.empty()) {
        row.add("db_cpu_s", m.dbCpuSeconds)
            .add("db_cpu_us_per_message", m.sent ? m.dbCpuSeconds * 1e6 / double(m.sent) : 0);
    }
    row.print();
}

void Scenarios::saturation()
{
    double rate = m_s.saturationStart;
    Measured best;
    bool any = false;
    int steps = 0;
    std::string stoppedBy = "max_steps";
    for (; steps < m_s.saturationMaxSteps; ++steps) {
        const Measured m = measure(rate, m_s.saturationStepSeconds);
        const bool ok = m.lost == 0 && m.latency.p99Ms <= m_s.p99LimitMs && m.errors == 0
            && m.latency.count > 0;
        std::fprintf(stderr,
            "%s saturation: rate %.0f msg/s -> %.0f deliveries/s, p99 %.1f ms, lost %llu, "
            "server cpu %.0f %%, loadgen cpu %.0f %%%s\n",
            m_s.systemName.c_str(), rate, m.deliveriesPerSecond, m.latency.p99Ms,
            static_cast<unsigned long long>(m.lost), 100 * m.serverCpuSeconds / m.wallSeconds,
            100 * m.loadgenCpuSeconds / m.wallSeconds, ok ? "" : "  (limit)");
        if (!ok && !any && rate / m_s.saturationFactor >= 1) {
            // Even the starting rate was too much: search downwards instead.
            rate /= m_s.saturationFactor * m_s.saturationFactor;
            continue;
        }
        if (!ok) {
            stoppedBy = m.lost ? "loss" : m.errors ? "errors" : "p99";
            break;
        }
        if (!any || m.deliveriesPerSecond > best.deliveriesPerSecond)
            best = m;
        any = true;
        rate *= m_s.saturationFactor;
        if (liveClients() < m_s.clients)
            break;
    }
    Row()
        .add("scenario", std::string("saturation"))
        .add("system", m_s.systemName)
        .add("clients", double(liveClients()))
        .add("target_clients", double(m_s.clients))
        .add("senders", double(m_s.senders))
        .add("rate", best.rate)
        .add("deliveries_per_s", best.deliveriesPerSecond)
        .add("p50_ms", best.latency.p50Ms)
        .add("p99_ms", best.latency.p99Ms)
        .add("max_ms", best.latency.maxMs)
        .add("steps", double(std::min(steps + 1, m_s.saturationMaxSteps)))
        .add("stopped_by", stoppedBy)
        .add("server_cpu_us_per_delivery",
            best.delivered ? best.serverCpuSeconds * 1e6 / double(best.delivered) : 0)
        .add("server_cpu_pct",
            best.wallSeconds != 0 ? 100 * best.serverCpuSeconds / best.wallSeconds : 0)
        .add("loadgen_cpu_pct",
            best.wallSeconds != 0 ? 100 * best.loadgenCpuSeconds / best.wallSeconds : 0)
        .print();
}

void Scenarios::idle()
{
    const int n = liveClients();
    const int first = m_engine.ready.load() + m_engine.failed.load();
    const ProcSample cpu0 = sampleProcesses(m_s.serverPids);
    double extraSeconds = 0;
    const int readyBefore = m_engine.ready.load();
    m_engine.connect(first, first + m_s.extraConnections, m_s.connectTimeoutSeconds, &extraSeconds);
    const int extra = m_engine.ready.load() - readyBefore;
    const ProcSample cpu1 = sampleProcesses(m_s.serverPids);
    Row()
        .add("scenario", std::string("idle"))
        .add("system", m_s.systemName)
        .add("clients", double(n))
        .add("target_clients", double(m_s.clients))
        .add("server_rss_before_mib", m_rssBeforeMiB)
        .add("server_rss_connected_mib", m_rssConnectedMiB)
        .add("rss_kib_per_connection",
            n ? (m_rssConnectedMiB - m_rssBeforeMiB) * 1024.0 / double(n) : 0)
        .add("initial_setup_per_s", m_connectSeconds > 0 ? double(n) / m_connectSeconds : 0)
        .add("initial_setup_seconds", m_connectSeconds)
        .add("settle_seconds", m_settleSeconds)
        .add("extra_connections", double(extra))
        .add("extra_setup_per_s", extraSeconds > 0 ? double(extra) / extraSeconds : 0)
        .add("server_cpu_ms_per_extra_connection",
            extra ? (cpu1.cpuSeconds - cpu0.cpuSeconds) * 1e3 / double(extra) : 0)
        .add("failed", double(m_engine.failed.load()))
        .print();
}

void Scenarios::history(double seconds)
{
    m_engine.setSenderCount(0);
    double connectSeconds = 0;
    if (!m_engine.connect(0, 1, m_s.connectTimeoutSeconds, &connectSeconds)) {
        std::fprintf(stderr, "history: could not sign in\n");
        return;
    }
    const int phase = ++m_phase;
    m_engine.resetPhase(phase);
    const ProcSample server0 = sampleProcesses(m_s.serverPids);
    const std::int64_t start = nowNs();
    m_engine.startHistory(0, phase);
    sleepSeconds(seconds);
    m_engine.stopHistory();
    sleepSeconds(0.2);
    const double wall = double(nowNs() - start) / 1e9;
    const ProcSample server1 = sampleProcesses(m_s.serverPids);
    const PhaseTotals t = m_engine.totals(phase);
    Row()
        .add("scenario", std::string("history"))
        .add("system", m_s.systemName)
        .add("page", 50.0)
        .add("requests", double(t.delivered))
        .add("pages_per_s", double(t.delivered) / wall)
        .add("p50_ms", t.latency.p50Ms)
        .add("p99_ms", t.latency.p99Ms)
        .add("max_ms", t.latency.maxMs)
        .add("errors", double(m_engine.errors.load()))
        .add("server_cpu_pct", 100 * (server1.cpuSeconds - server0.cpuSeconds) / wall)
        .add("server_rss_mib", server1.rssMiB)
        .print();
}

void Scenarios::ingest()
{
    const int connections = liveClients();
    // Warm up under a phase of its own (the first group commits, page cache, allocator).
    const int warm = ++m_phase;
    m_engine.resetPhase(warm);
    m_engine.startIngest(m_s.ingestWindow, warm);
    sleepSeconds(m_s.warmupSeconds);
    const int phase = ++m_phase;
    m_engine.resetPhase(phase);
    const std::uint64_t errorsBefore = m_engine.errors.load();
    const ProcSample server0 = sampleProcesses(m_s.serverPids);
    const ProcSample db0 = sampleProcesses(m_s.extraPids);
    const double self0 = selfCpuSeconds();
    const std::int64_t start = nowNs();
    m_engine.setIngestPhase(phase);
    sleepSeconds(m_s.ingestSeconds);
    // Acks from here on land in the drain phase: the figures cover [start, end) only.
    const int drain = ++m_phase;
    m_engine.resetPhase(drain);
    m_engine.stopIngest(drain);
    const std::int64_t end = nowNs();
    const ProcSample server1 = sampleProcesses(m_s.serverPids);
    const ProcSample db1 = sampleProcesses(m_s.extraPids);
    const double self1 = selfCpuSeconds();
    const std::int64_t drainStart = nowNs();
    while (m_engine.ingestOutstanding() > 0 && double(nowNs() - drainStart) / 1e9 < 15)
        sleepSeconds(0.005);
    const double wall = double(end - start) / 1e9;
    const PhaseTotals t = m_engine.totals(phase);
    const double serverCpu = server1.cpuSeconds - server0.cpuSeconds;
    const double acks = double(t.delivered);
    Row row;
    row.add("scenario", std::string("ingest"))
        .add("system", m_s.systemName)
        .add("clients", double(connections))
        .add("window", double(m_s.ingestWindow))
        .add("seconds", wall)
        .add("acks", acks)
        .add("acks_per_s", acks / wall)
        .add("p50_ms", t.latency.p50Ms)
        .add("p99_ms", t.latency.p99Ms)
        .add("max_ms", t.latency.maxMs)
        .add("errors", double(m_engine.errors.load() - errorsBefore))
        .add("unacked_after_drain", double(m_engine.ingestOutstanding()))
        .add("server_cpu_pct", 100 * serverCpu / wall)
        .add("server_cpu_us_per_message", acks > 0 ? serverCpu * 1e6 / acks : 0)
        .add("server_cpu_s", serverCpu)
        .add("loadgen_cpu_pct", 100 * (self1 - self0) / wall)
        .add("server_rss_mib", server1.rssMiB)
        .add("payload_bytes", double(m_engine.options().payloadBytes));
    if (!m_s.extraPids.empty()) {
        const double dbCpu = db1.cpuSeconds - db0.cpuSeconds;
        row.add("db_cpu_s", dbCpu).add("db_cpu_us_per_message", acks > 0 ? dbCpu * 1e6 / acks : 0);
    }
    if (!m_s.durability.empty())
        row.add("durability", m_s.durability);
    row.print();
}

void Scenarios::storm()
{
    const int clients = liveClients();
    // Some traffic first, so each client has a real cursor to resume from.
    m_engine.trackCursors = true;
    const int phase = ++m_phase;
    m_engine.resetPhase(phase);
    m_engine.setRate(m_s.stormMessages, phase);
    sleepSeconds(1);
    m_engine.setRate(0, phase);
    const std::int64_t drainStart = nowNs();
    while (double(nowNs() - drainStart) / 1e9 < 10) {
        const PhaseTotals t = m_engine.totals(phase);
        if (t.delivered >= t.sent * std::uint64_t(std::max(clients - 1, 0)))
            break;
        sleepSeconds(0.01);
    }
    const std::uint64_t sentBefore = m_engine.totals(phase).sent;

    const int up = ++m_phase;
    const int session = ++m_phase;
    m_engine.resetPhase(up);
    m_engine.resetPhase(session);
    m_engine.stormUpPhase = up;
    m_engine.stormSessionPhase = session;
    const std::uint64_t errorsBefore = m_engine.errors.load();
    m_engine.storm = true;
    std::ofstream(m_s.stormReadyFile) << "ready\n";
    std::fprintf(stderr,
        "%s storm: %d clients with cursors after %llu messages; restart the server\n",
        m_s.systemName.c_str(), clients, static_cast<unsigned long long>(sentBefore));

    // The restarted server's pid, for its CPU; sampled once it answers the first `hello`.
    const std::int64_t waitStart = nowNs();
    const auto waited = [&] { return double(nowNs() - waitStart) / 1e9; };
    pid_t pid = 0;
    double cpuAtUp = -1;
    const double self0 = selfCpuSeconds();
    while (m_engine.resumed.load() + m_engine.resumeFailed.load() < clients
        && waited() < m_s.stormTimeoutSeconds) {
        if (pid <= 0)
            std::ifstream(m_s.stormPidFile) >> pid;
        if (pid > 0 && cpuAtUp < 0 && m_engine.serverUpNs.load() != 0)
            cpuAtUp = sampleProcess(pid).cpuSeconds;
        sleepSeconds(0.005);
    }
    const double self1 = selfCpuSeconds();
    // A small storm can be over before the caller has written the pid.
    for (int i = 0; i < 400 && pid <= 0; ++i) {
        std::ifstream(m_s.stormPidFile) >> pid;
        sleepSeconds(0.005);
    }
    const ProcSample server = sampleProcess(pid);
    // Without a sample at the first `hello`, the figure starts at the server's own start.
    const bool cpuFromUp = cpuAtUp >= 0;
    if (!cpuFromUp)
        cpuAtUp = 0;
    m_engine.storm = false;
    m_engine.trackCursors = false;

    const std::int64_t closed = m_engine.firstCloseNs.load();
    const std::int64_t serverUp = m_engine.serverUpNs.load();
    const std::int64_t last = m_engine.lastResumeNs.load();
    const auto secondsBetween
        = [](std::int64_t a, std::int64_t b) { return a && b ? double(b - a) / 1e9 : 0.0; };
    const double resumeSeconds = secondsBetween(serverUp, last);
    const PhaseTotals fromUp = m_engine.totals(up);
    const PhaseTotals fromConnect = m_engine.totals(session);
    Row()
        .add("scenario", std::string("storm"))
        .add("system", m_s.systemName)
        .add("clients", double(clients))
        .add("target_clients", double(m_s.clients))
        .add("resumed", double(m_engine.resumed.load()))
        .add("resume_failed", double(m_engine.resumeFailed.load()))
        .add("errors", double(m_engine.errors.load() - errorsBefore))
        .add("retries", double(m_engine.reconnectRetries.load()))
        .add("retry_ms", double(m_engine.options().stormRetryMs))
        .add("messages_before", double(sentBefore))
        .add("caught_up_events", double(m_engine.caughtUpEvents.load()))
        .add("down_seconds", secondsBetween(closed, serverUp))
        .add("resume_seconds", resumeSeconds)
        .add("from_close_seconds", secondsBetween(closed, last))
        .add("p50_ms", fromUp.latency.p50Ms)
        .add("p99_ms", fromUp.latency.p99Ms)
        .add("max_ms", fromUp.latency.maxMs)
        .add("session_p50_ms", fromConnect.latency.p50Ms)
        .add("session_p99_ms", fromConnect.latency.p99Ms)
        .add("server_cpu_seconds", server.cpuSeconds - cpuAtUp)
        .add("server_cpu_pct",
            resumeSeconds > 0 ? 100 * (server.cpuSeconds - cpuAtUp) / resumeSeconds : 0)
        .add("server_cpu_from", std::string(cpuFromUp ? "hello" : "start"))
        .add("loadgen_cpu_pct", waited() > 0 ? 100 * (self1 - self0) / waited() : 0)
        .add("server_rss_mib", server.rssMiB)
        .print();
}

} // namespace loadgen
