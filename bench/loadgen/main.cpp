// SPDX-License-Identifier: GPL-3.0-or-later
// confab_loadgen: drives Confab, a socket.io server, a ws server or an IRC
// server with many epoll-driven clients and prints one result row per scenario.
#include "engine.h"
#include "scenarios.h"

#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <map>
#include <sstream>
#include <string>
#include <sys/resource.h>
#include <vector>

using namespace loadgen;

namespace {
void usage()
{
    std::fprintf(stderr,
        "usage: confab_loadgen --system confab|socketio|ws|irc --port P|--ports P1,P2,..\n"
        "  --server-pid PID[,PID..] [--extra-pids PID,..]\n"
        "  [--scenarios fanout,saturation,idle,ingest,fanout@R|history] [--clients N]\n"
        "  [--senders S] [--rate MSG_PER_S] [--duration S] [--warmup S] [--payload BYTES]\n"
        "  [--threads T] [--ingest-seconds S] [--ingest-window W] [--durability LABEL]\n"
        "  [--extra K] [--sat-start R] [--sat-factor F] [--sat-step S] [--sat-max-steps N]\n"
        "  [--p99-limit-ms MS] [--history-seconds S] [--history-last-seq SEQ]\n"
        "  [--connect-timeout S] [--in-flight N]\n"
        "  [--storm-ready-file F --storm-pid-file F] [--storm-messages M] [--storm-retry-ms MS]\n"
        "  [--storm-attempt-timeout-ms MS]\n"
        "  [--storm-timeout S]\n"
        "storm (Confab only): after M messages (1 s), writes the ready file and waits for the\n"
        "  caller to restart the server and write its pid; every client reconnects and resumes\n"
        "  (authenticate + sync), retrying refused attempts after MS..2*MS ms.\n"
        "fanout@R[:S]: fan-out at R msg/s for S s instead of --rate, --duration. ingest (Confab "
        "only): each of the\n"
        "  --clients connections keeps W `send` requests outstanding for S seconds after\n"
        "  --warmup; --durability only labels the row with the server's setting.\n"
        "--ports: client i connects to the (i mod n)th port (several instances of one server);\n"
        "  --server-pid: their CPU and RSS are summed; --extra-pids (a database's processes):\n"
        "  fanout and ingest rows add their CPU as db_cpu_s and db_cpu_us_per_message.\n");
}

// "1,2,3" -> {1, 2, 3}; an empty item or one that is not a number gives 0.
std::vector<int> intList(const std::string &text)
{
    std::vector<int> out;
    std::stringstream list(text);
    std::string item;
    while (std::getline(list, item, ','))
        out.push_back(std::atoi(item.c_str()));
    return out;
}

void raiseFileLimit()
{
    rlimit r {};
    if (getrlimit(RLIMIT_NOFILE, &r) == 0 && r.rlim_cur < r.rlim_max) {
        r.rlim_cur = r.rlim_max;
        setrlimit(RLIMIT_NOFILE, &r);
    }
}
} // namespace

int main(int argc, char **argv)
{
    std::map<std::string, std::string> args;
    for (int i = 1; i < argc; ++i) {
        const std::string key = argv[i];
        if (key.rfind("--", 0) != 0 || i + 1 >= argc) {
            usage();
            return 2;
        }
        args[key.substr(2)] = argv[++i];
    }
    const auto get = [&](const char *key, const std::string &fallback) {
        const auto it = args.find(key);
        return it == args.end() ? fallback : it->second;
    };
    const auto num = [&](const char *key, double fallback) {
        const auto it = args.find(key);
        return it == args.end() ? fallback : std::strtod(it->second.c_str(), nullptr);
    };

    Options o;
    const std::string system = get("system", "confab");
    if (system == "confab")
        o.system = System::Confab;
    else if (system == "socketio")
        o.system = System::SocketIo;
    else if (system == "ws")
        o.system = System::Ws;
    else if (system == "irc")
        o.system = System::Irc;
    else {
        usage();
        return 2;
    }
    o.host = get("host", "127.0.0.1");
    o.ports = intList(get("ports", get("port", "")));
    o.threads = int(num("threads", 2));
    o.payloadBytes = int(num("payload", 64));
    o.historyLastSeq = std::int64_t(num("history-last-seq", 0));
    o.maxInFlightConnects = int(num("in-flight", 128));
    o.stormRetryMs = std::max(1, int(num("storm-retry-ms", 50)));
    o.stormAttemptTimeoutMs = std::max(1, int(num("storm-attempt-timeout-ms", 25000)));
    if (o.ports.empty() || *std::min_element(o.ports.begin(), o.ports.end()) <= 0) {
        usage();
        return 2;
    }
    raiseFileLimit();

    ScenarioSettings s;
    s.systemName = get("name", system);
    for (const int pid : intList(get("server-pid", "")))
        s.serverPids.push_back(pid_t(pid));
    for (const int pid : intList(get("extra-pids", "")))
        s.extraPids.push_back(pid_t(pid));
    s.clients = int(num("clients", 100));
    s.senders = int(num("senders", 10));
    s.rate = num("rate", 100);
    s.warmupSeconds = num("warmup", 1);
    s.durationSeconds = num("duration", 5);
    s.p99LimitMs = num("p99-limit-ms", 100);
    s.saturationStart = num("sat-start", 50);
    s.saturationFactor = num("sat-factor", 1.6);
    s.saturationStepSeconds = num("sat-step", 2);
    s.saturationMaxSteps = int(num("sat-max-steps", 12));
    s.extraConnections = int(num("extra", 1000));
    s.connectTimeoutSeconds = num("connect-timeout", 300);
    s.ingestSeconds = num("ingest-seconds", 5);
    s.ingestWindow = int(num("ingest-window", 64));
    s.durability = get("durability", "");
    s.stormReadyFile = get("storm-ready-file", "");
    s.stormPidFile = get("storm-pid-file", "");
    s.stormMessages = num("storm-messages", 10);
    s.stormTimeoutSeconds = num("storm-timeout", 120);

    Engine engine(o);
    Scenarios scenarios(engine, s);
    std::stringstream list(get("scenarios", "fanout"));
    std::string scenario;
    bool connected = false;
    int status = 0;
    while (std::getline(list, scenario, ',')) {
        if (scenario == "history") {
            scenarios.history(num("history-seconds", 5));
            continue;
        }
        if (!connected) {
            connected = true;
            if (!scenarios.connectAll()) {
                std::fprintf(stderr, "%s: not every client could connect\n", system.c_str());
                status = 1;
            }
        }
        if (scenario == "fanout")
            scenarios.fanout(s.rate, s.durationSeconds);
        else if (scenario.rfind("fanout@", 0) == 0) { // another rate (and time), same clients
            char *end = nullptr;
            const double rate = std::strtod(scenario.c_str() + 7, &end);
            scenarios.fanout(rate, *end == ':' ? std::strtod(end + 1, nullptr) : s.durationSeconds);
        } else if (scenario == "saturation")
            scenarios.saturation();
        else if (scenario == "idle")
            scenarios.idle();
        else if (scenario == "ingest" && o.system == System::Confab)
            scenarios.ingest();
        else if (scenario == "storm" && o.system == System::Confab && !s.stormReadyFile.empty()
            && !s.stormPidFile.empty())
            scenarios.storm();
        else {
            std::fprintf(stderr, "unknown scenario %s\n", scenario.c_str());
            return 2;
        }
    }
    return status;
}
