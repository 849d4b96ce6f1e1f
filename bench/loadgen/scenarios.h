// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "engine.h"

#include <string>
#include <sys/types.h>
#include <vector>

namespace loadgen {

struct ScenarioSettings
{
    std::string systemName;
    //! Summed: several instances of one server count as one.
    std::vector<pid_t> serverPids;
    //! Reported apart as db_cpu_s (a database's processes); empty: not reported.
    std::vector<pid_t> extraPids;
    int clients = 100;
    int senders = 10;
    double rate = 100; //!< messages per second, all senders together
    double warmupSeconds = 1;
    double durationSeconds = 5;
    //! Longest wait for late deliveries after sending stops; a delivery that has not
    //! arrived by then, or after 2 s without any progress, counts as lost.
    double drainSeconds = 15;
    double p99LimitMs = 100;
    double saturationStart = 50;
    double saturationFactor = 1.6;
    double saturationStepSeconds = 2;
    int saturationMaxSteps = 12;
    int extraConnections = 1000; //!< idle: connections opened while the others stay
    double connectTimeoutSeconds = 300;
    double settleSeconds = 120; //!< longest wait for the server to go quiet after connecting
    double ingestSeconds = 5;
    int ingestWindow = 64; //!< ingest: `send` requests each connection keeps outstanding
    std::string durability; //!< ingest: the server's setting, as the caller started it
    // Reconnect storm: the caller restarts the server once \c stormReadyFile exists and
    // writes the new server's pid to \c stormPidFile.
    std::string stormReadyFile;
    std::string stormPidFile;
    double stormMessages = 10; //!< sent before the restart, so every client has a cursor
    double stormTimeoutSeconds = 120; //!< from the ready file to giving up on the rest
};

/*!
 * \brief Runs the scenarios against one server, each printing a Row.
 */
class Scenarios
{
public:
    Scenarios(Engine &engine, const ScenarioSettings &settings);

    /*! \brief Opens the N clients; keeps set-up time and RSS for idle(). */
    bool connectAll();
    /*! \brief At \a rate messages per second, all senders together, for \a seconds. */
    void fanout(double rate, double seconds);
    void saturation();
    /*! \brief Needs connectAll() first: memory per connection, then more connections timed. */
    void idle();
    void history(double seconds);
    /*! \brief Needs connectAll() first: every client pipelines `send`, acks timed. */
    void ingest();
    /*! \brief Needs connectAll() first: the server is restarted under the clients, which
     * reconnect and resume; timed until all have. */
    void storm();

private:
    struct Measured
    {
        double rate = 0;
        std::uint64_t sent = 0;
        std::uint64_t delivered = 0;
        std::uint64_t lost = 0;
        double deliveriesPerSecond = 0;
        LatencySummary latency;
        double serverCpuSeconds = 0;
        double dbCpuSeconds = 0;
        double loadgenCpuSeconds = 0;
        double wallSeconds = 0;
        double serverRssMiB = 0;
        std::uint64_t errors = 0;
    };
    Measured measure(double rate, double seconds);
    int liveClients() const;

    Engine &m_engine;
    ScenarioSettings m_s;
    int m_phase = 0;
    double m_rssBeforeMiB = 0;
    double m_rssConnectedMiB = 0;
    double m_connectSeconds = 0;
    double m_settleSeconds = 0;
    bool m_connected = false;
};

} // namespace loadgen
