// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "stats.h"

#include <array>
#include <atomic>
#include <cstdint>
#include <functional>
#include <memory>
#include <mutex>
#include <queue>
#include <string>
#include <string_view>
#include <thread>
#include <tuple>
#include <vector>

namespace loadgen {

enum class System
{
    Confab,
    SocketIo,
    Ws,
    Irc,
};

struct Options
{
    System system = System::Confab;
    std::string host = "127.0.0.1";
    //! Client i connects to ports[i % size]: several server instances share the clients.
    std::vector<int> ports;
    int threads = 2;
    int payloadBytes = 64;
    std::int64_t room = 1; //!< Confab room of the fan-out scenarios
    std::int64_t historyRoom = 2; //!< Confab room seeded with the long log
    std::int64_t historyLastSeq = 0; //!< its last seq; pages start at random points below it
    int maxInFlightConnects = 128; //!< per engine, spread over the workers
    int stormRetryMs = 50; //!< storm: wait before retrying a refused reconnect, plus up to 100 %
    //! storm: an attempt without `hello` by then is dropped and retried, as the desktop
    //! client's ServerConnection does (ping interval + ping timeout).
    int stormAttemptTimeoutMs = 25000;

    int portFor(int clientIndex) const { return ports[std::size_t(clientIndex) % ports.size()]; }
};

/*!
 * \brief A client's pipelined `send` requests in the ingest scenario: the send time of
 * each outstanding request, oldest first (the server acknowledges in order per connection).
 */
struct IngestWindow
{
    std::vector<std::int64_t> sentNs; //!< ring buffer of the window's size
    std::size_t head = 0;
    std::size_t outstanding = 0;
    std::uint64_t seq = 0; //!< requests sent so far; patched into the id and txn
    std::string frame; //!< the encoded request, id and txn at the offsets below
    std::size_t idAt = 0;
    std::size_t txnAt = 0;
    std::string out; //!< frames for the next write: one send() per batch of acks
};

/*!
 * \brief Counters of one measurement phase. Phases rotate through four slots so a
 * late delivery from an earlier phase never lands in the current one.
 */
struct PhaseCounters
{
    std::atomic<std::uint64_t> sent {0};
    std::atomic<std::uint64_t> delivered {0}; //!< to clients other than the sender
    std::atomic<std::int64_t> lastDeliveryNs {0};
    Histogram latency;
    void reset();
};

struct Client
{
    enum class State : std::uint8_t
    {
        Idle,
        Connecting,
        Upgrading, //!< TCP up, HTTP upgrade sent
        SigningIn, //!< protocol-level handshake (hello/auth, Engine.IO open, IRC registration)
        Ready,
        Closed,
    };
    int fd = -1;
    int index = 0;
    State state = State::Idle;
    bool sender = false;
    bool wantWrite = false;
    bool historyBusy = false;
    std::uint32_t mask = 0x9E3779B9u;
    std::int64_t nextRequestId = 1;
    std::int64_t requestStartNs = 0;
    std::int64_t sentCount = 0;
    std::string in; //!< unparsed input; empty in the common case of whole frames
    std::string out; //!< bytes the kernel did not take yet
    std::string fragment; //!< WebSocket continuation frames being reassembled
    std::unique_ptr<IngestWindow> ingest; //!< only in the ingest scenario
    // Reconnect storm: what a real client keeps across a drop, and where its resume stands.
    std::int64_t cursor = 0; //!< seq of the newest fan-out room event seen (the resume cursor)
    std::int64_t connectedNs = 0; //!< TCP connection of the current attempt established
    bool resuming = false; //!< dropped by the server; reconnecting until its sync is answered
    bool resumed = false;
    bool resumeError = false; //!< authenticate or sync answered with an error
    int pendingReplies = 0; //!< authenticate and sync, pipelined; answered in order
    std::uint32_t attempt = 0; //!< reconnect attempts so far; ties a deadline to its attempt
};

class Engine;

/*!
 * \brief One thread with its own epoll set, owning every client with index % threads == id.
 */
class Worker
{
public:
    Worker(Engine *engine, int id);
    ~Worker();
    void start();
    void join();
    /*! \brief Runs \a f on the worker's thread. */
    void post(std::function<void()> f);

    // Called on the worker thread.
    void addClients(int first, int last);
    void closeAll();
    void setRate(double messagesPerSecond, int phase);
    void startHistory(int clientIndex, int phase);
    void stopHistory() { m_historyRunning = false; }
    /*! \brief Ingest: every ready client of this worker keeps \a window sends outstanding. */
    void startIngest(int window, int phase);
    /*! \brief Acks and sends from now on count in \a phase. */
    void setIngestPhase(int phase) { m_ingestPhase = phase; }
    /*! \brief Sends no more; outstanding requests are still acknowledged into \a phase. */
    void stopIngest(int phase);
    std::uint64_t ingestOutstanding() const { return m_ingestOutstanding.load(); }
    /*! \brief This worker's counters; per worker so threads never share a cache line. */
    PhaseCounters &counters(int phase) { return m_phases[std::size_t(phase & 3)]; }

private:
    void run();
    void startConnects();
    void beginConnect(Client &c);
    void onEvent(Client &c, std::uint32_t events);
    void onConnected(Client &c);
    void readFrom(Client &c);
    std::size_t consume(Client &c, std::string_view data);
    void queue(Client &c, std::string_view bytes);
    void flush(Client &c);
    void fail(Client &c);
    void markReady(Client &c);
    void pace();
    // Reconnect storm (session.cpp).
    void onStormClose(Client &c, bool wasReady);
    void runDueReconnects();
    int msUntilNextReconnect() const;
    void sendResume(Client &c);
    void onResumeReply(Client &c, std::string_view type, std::string_view frame);
    void trackCursor(Client &c, std::string_view frame);

    // Protocols (session.cpp).
    void openSession(Client &c);
    std::size_t consumeWebSocket(Client &c, std::string_view data);
    std::size_t consumeIrc(Client &c, std::string_view data);
    void onText(Client &c, std::string_view text);
    void onConfab(Client &c, std::string_view frame);
    void onSocketIo(Client &c, std::string_view frame);
    void onIrcLine(Client &c, std::string_view line);
    void sendText(Client &c, std::string_view text);
    void sendChat(Client &c);
    void sendHistoryRequest(Client &c);
    void sendIngest(Client &c);
    void onIngestReply(Client &c);
    void onDelivery(Client &c, std::string_view text);

    Engine *m_engine;
    int m_id;
    int m_epoll = -1;
    int m_wake = -1;
    std::thread m_thread;
    std::atomic<bool> m_stop {false};
    std::mutex m_postMutex;
    std::vector<std::function<void()>> m_posted;
    std::vector<Client *> m_pendingConnects;
    std::size_t m_nextConnect = 0;
    int m_inFlight = 0;
    std::vector<Client *> m_senders;
    std::size_t m_nextSender = 0;
    double m_rate = 0;
    int m_phase = 0;
    std::int64_t m_rateStartNs = 0;
    std::uint64_t m_rateSent = 0;
    bool m_historyRunning = false;
    int m_historyPhase = 0;
    bool m_ingestRunning = false;
    int m_ingestPhase = 0;
    std::atomic<std::uint64_t> m_ingestOutstanding {0}; //!< written by this worker only
    std::vector<char> m_buffer;
    std::uint32_t m_random = 0x12345678u;
    //! xorshift32: cheap, and the same sequence every run.
    std::uint32_t nextRandom()
    {
        m_random ^= m_random << 13;
        m_random ^= m_random >> 17;
        m_random ^= m_random << 5;
        return m_random;
    }
    std::array<PhaseCounters, 4> m_phases;
    using Due = std::pair<std::int64_t, Client *>;
    //! Storm: reconnects waiting for their time, soonest first.
    std::priority_queue<Due, std::vector<Due>, std::greater<>> m_reconnects;
    using Deadline = std::tuple<std::int64_t, Client *, std::uint32_t>;
    //! Storm: when each attempt in progress gives up without a `hello`, soonest first.
    std::priority_queue<Deadline, std::vector<Deadline>, std::greater<>> m_deadlines;
};

struct PhaseTotals
{
    std::uint64_t sent = 0;
    std::uint64_t delivered = 0;
    std::int64_t lastDeliveryNs = 0;
    LatencySummary latency;
};

/*!
 * \brief The load generator: clients spread over worker threads, plus the
 * counters the scenarios read.
 */
class Engine
{
public:
    explicit Engine(const Options &options);
    ~Engine();

    const Options &options() const { return m_options; }

    /*! \brief Opens clients [first, last) and waits until they are all signed in or failed. */
    bool connect(int first, int last, double timeoutSeconds, double *seconds);
    /*! \brief Marks clients [0, senders) as senders. Call before connect(). */
    void setSenderCount(int senders) { m_senderCount = senders; }
    int senderCount() const { return m_senderCount; }
    void setRate(double messagesPerSecond, int phase);
    void startHistory(int clientIndex, int phase);
    void stopHistory();
    /*! \brief Every ready client keeps \a window `send` requests outstanding. */
    void startIngest(int window, int phase);
    void setIngestPhase(int phase);
    void stopIngest(int phase);
    /*! \brief Sends not acknowledged yet, over all workers. */
    std::uint64_t ingestOutstanding() const;
    void closeAll();

    PhaseTotals totals(int phase) const;
    /*! \brief Clears a phase slot; only while no worker can be writing to it. */
    void resetPhase(int phase);
    int currentPhase() const { return m_currentPhase.load(std::memory_order_relaxed); }

    std::atomic<int> ready {0};
    std::atomic<int> failed {0};
    std::atomic<int> closedAfterReady {0};
    std::atomic<std::uint64_t> errors {0}; //!< error replies from the server
    std::atomic<std::int64_t> lastReadyNs {0};
    std::string runTag; //!< makes Confab transaction ids unique per run

    // Reconnect storm. While \c storm is set, a connection the server drops reconnects at
    // once and a refused attempt is retried; \c trackCursors makes clients keep the seq of
    // the newest fan-out room event they received.
    std::atomic<bool> storm {false};
    std::atomic<bool> trackCursors {false};
    std::atomic<int> resumed {0};
    std::atomic<int> resumeFailed {0};
    std::atomic<std::uint64_t> reconnectRetries {0};
    std::atomic<std::uint64_t> caughtUpEvents {0}; //!< events the sync replies carried
    std::atomic<std::int64_t> firstCloseNs {0};
    std::atomic<std::int64_t> serverUpNs {0}; //!< the first `hello` after the drop
    std::atomic<std::int64_t> lastResumeNs {0};
    //! Phases whose histograms get each resume's time from serverUpNs and from its connect.
    std::atomic<int> stormUpPhase {0};
    std::atomic<int> stormSessionPhase {0};

private:
    friend class Worker;
    Client &client(int index);
    Worker &workerFor(int index) { return *m_workers[std::size_t(index % int(m_workers.size()))]; }

    Options m_options;
    std::vector<std::unique_ptr<Worker>> m_workers;
    std::vector<std::unique_ptr<Client>> m_clients;
    std::mutex m_clientsMutex;
    std::atomic<int> m_currentPhase {0};
    int m_senderCount = 0;
};

} // namespace loadgen
