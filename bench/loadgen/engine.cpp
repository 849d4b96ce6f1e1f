// SPDX-License-Identifier: GPL-3.0-or-later
#include "engine.h"

#include <algorithm>
#include <arpa/inet.h>
#include <cerrno>
#include <chrono>
#include <cstring>
#include <fcntl.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <sys/epoll.h>
#include <sys/eventfd.h>
#include <sys/socket.h>
#include <unistd.h>

namespace loadgen {

void PhaseCounters::reset()
{
    sent.store(0);
    delivered.store(0);
    lastDeliveryNs.store(0);
    latency.reset();
}

Worker::Worker(Engine *engine, int id)
    : m_engine(engine)
    , m_id(id)
{
    m_epoll = epoll_create1(EPOLL_CLOEXEC);
    m_wake = eventfd(0, EFD_NONBLOCK | EFD_CLOEXEC);
    epoll_event ev {};
    ev.events = EPOLLIN;
    ev.data.ptr = nullptr; // null marks the wake-up descriptor
    epoll_ctl(m_epoll, EPOLL_CTL_ADD, m_wake, &ev);
    m_buffer.resize(256 * 1024);
}

Worker::~Worker()
{
    close(m_wake);
    close(m_epoll);
}

void Worker::start()
{
    m_thread = std::thread([this] { run(); });
}

void Worker::join()
{
    post([this] { m_stop = true; });
    if (m_thread.joinable())
        m_thread.join();
}

void Worker::post(std::function<void()> f)
{
    {
        std::lock_guard lock(m_postMutex);
        m_posted.push_back(std::move(f));
    }
    const std::uint64_t one = 1;
    [[maybe_unused]] const auto n = write(m_wake, &one, sizeof one);
}

void Worker::run()
{
    epoll_event events[256];
    while (!m_stop) {
        const bool pacing = m_rate > 0 && !m_senders.empty();
        const int n
            = epoll_wait(m_epoll, events, 256, std::min(pacing ? 1 : 100, msUntilNextReconnect()));
        for (int i = 0; i < n; ++i) {
            if (!events[i].data.ptr) {
                std::uint64_t v = 0;
                [[maybe_unused]] const auto r = read(m_wake, &v, sizeof v);
                std::vector<std::function<void()>> posted;
                {
                    std::lock_guard lock(m_postMutex);
                    posted.swap(m_posted);
                }
                for (auto &f : posted)
                    f();
                continue;
            }
            onEvent(*static_cast<Client *>(events[i].data.ptr), events[i].events);
        }
        if (pacing)
            pace();
        // After the batch, so no event still queued for a closed descriptor meets a new one.
        runDueReconnects();
    }
}

void Worker::addClients(int first, int last)
{
    for (int i = first; i < last; ++i) {
        if (i % int(m_engine->m_workers.size()) != m_id)
            continue;
        Client &c = m_engine->client(i);
        c.sender = i < m_engine->senderCount();
        c.mask ^= std::uint32_t(i) * 2654435761u;
        m_pendingConnects.push_back(&c);
    }
    startConnects();
}

void Worker::startConnects()
{
    const int cap
        = std::max(1, m_engine->options().maxInFlightConnects / int(m_engine->m_workers.size()));
    while (m_inFlight < cap && m_nextConnect < m_pendingConnects.size()) {
        Client *c = m_pendingConnects[m_nextConnect++];
        ++m_inFlight;
        beginConnect(*c);
    }
    if (m_nextConnect == m_pendingConnects.size()) {
        m_pendingConnects.clear();
        m_nextConnect = 0;
    }
}

void Worker::beginConnect(Client &c)
{
    c.fd = socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
    if (c.fd < 0)
        return fail(c);
    const int one = 1;
    setsockopt(c.fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
    // Closing with RST leaves no TIME_WAIT behind, so repeated runs of tens of
    // thousands of connections do not run out of local ports.
    const linger lg {1, 0};
    setsockopt(c.fd, SOL_SOCKET, SO_LINGER, &lg, sizeof lg);
    sockaddr_in addr {};
    addr.sin_family = AF_INET;
    addr.sin_port = htons(std::uint16_t(m_engine->options().portFor(c.index)));
    inet_pton(AF_INET, m_engine->options().host.c_str(), &addr.sin_addr);
    c.state = Client::State::Connecting;
    epoll_event ev {};
    ev.events = EPOLLIN | EPOLLOUT;
    ev.data.ptr = &c;
    epoll_ctl(m_epoll, EPOLL_CTL_ADD, c.fd, &ev);
    c.wantWrite = true;
    if (::connect(c.fd, reinterpret_cast<sockaddr *>(&addr), sizeof addr) < 0
        && errno != EINPROGRESS)
        fail(c);
}

void Worker::onEvent(Client &c, std::uint32_t events)
{
    if (c.state == Client::State::Connecting) {
        int err = 0;
        socklen_t len = sizeof err;
        getsockopt(c.fd, SOL_SOCKET, SO_ERROR, &err, &len);
        if (err != 0 || (events & (EPOLLERR | EPOLLHUP)))
            return fail(c);
        if (!(events & EPOLLOUT))
            return;
        onConnected(c);
    }
    if (events & EPOLLOUT)
        flush(c);
    if (c.state != Client::State::Closed && (events & (EPOLLIN | EPOLLHUP | EPOLLERR)))
        readFrom(c);
}

void Worker::onConnected(Client &c)
{
    c.state = Client::State::Upgrading;
    c.connectedNs = nowNs();
    openSession(c);
}

void Worker::readFrom(Client &c)
{
    // Bounded so one busy connection cannot starve the others on this thread.
    for (int round = 0; round < 4 && c.state != Client::State::Closed; ++round) {
        const ssize_t n = ::read(c.fd, m_buffer.data(), m_buffer.size());
        if (n == 0 || (n < 0 && errno != EAGAIN && errno != EINTR))
            return fail(c);
        if (n < 0)
            return;
        std::string_view data(m_buffer.data(), std::size_t(n));
        if (c.in.empty()) {
            const std::size_t used = consume(c, data);
            if (c.state != Client::State::Closed && used < data.size())
                c.in.assign(data.substr(used));
        } else {
            c.in.append(data);
            const std::size_t used = consume(c, c.in);
            if (c.state != Client::State::Closed)
                c.in.erase(0, used);
        }
        // Ingest: the acks in this read queued their follow-up sends; write them at once.
        if (c.ingest && !c.ingest->out.empty()) {
            queue(c, c.ingest->out);
            if (c.ingest) // null if the write failed and closed the client
                c.ingest->out.clear();
        }
        if (std::size_t(n) < m_buffer.size())
            return;
    }
}

std::size_t Worker::consume(Client &c, std::string_view data)
{
    return m_engine->options().system == System::Irc ? consumeIrc(c, data)
                                                     : consumeWebSocket(c, data);
}

void Worker::queue(Client &c, std::string_view bytes)
{
    if (c.state == Client::State::Closed)
        return;
    if (!c.out.empty()) {
        c.out.append(bytes);
        return;
    }
    const ssize_t n = ::send(c.fd, bytes.data(), bytes.size(), MSG_NOSIGNAL);
    if (n < 0 && errno != EAGAIN)
        return fail(c);
    const std::size_t written = n < 0 ? 0 : std::size_t(n);
    if (written < bytes.size()) {
        c.out.assign(bytes.substr(written));
        if (!c.wantWrite) {
            epoll_event ev {};
            ev.events = EPOLLIN | EPOLLOUT;
            ev.data.ptr = &c;
            epoll_ctl(m_epoll, EPOLL_CTL_MOD, c.fd, &ev);
            c.wantWrite = true;
        }
    }
}

void Worker::flush(Client &c)
{
    if (!c.out.empty()) {
        const ssize_t n = ::send(c.fd, c.out.data(), c.out.size(), MSG_NOSIGNAL);
        if (n < 0 && errno != EAGAIN)
            return fail(c);
        if (n > 0)
            c.out.erase(0, std::size_t(n));
    }
    if (c.out.empty() && c.wantWrite) {
        epoll_event ev {};
        ev.events = EPOLLIN;
        ev.data.ptr = &c;
        epoll_ctl(m_epoll, EPOLL_CTL_MOD, c.fd, &ev);
        c.wantWrite = false;
    }
}

void Worker::fail(Client &c)
{
    if (c.state == Client::State::Closed)
        return;
    const bool wasReady = c.state == Client::State::Ready;
    if (c.fd >= 0) {
        epoll_ctl(m_epoll, EPOLL_CTL_DEL, c.fd, nullptr);
        close(c.fd);
        c.fd = -1;
    }
    c.state = Client::State::Closed;
    c.in.clear();
    c.out.clear();
    std::string().swap(c.out);
    c.fragment.clear();
    if (c.ingest) {
        m_ingestOutstanding.fetch_sub(c.ingest->outstanding, std::memory_order_relaxed);
        c.ingest.reset();
    }
    if (m_engine->storm.load(std::memory_order_relaxed))
        return onStormClose(c, wasReady);
    if (wasReady) {
        m_engine->closedAfterReady.fetch_add(1);
    } else {
        m_engine->failed.fetch_add(1);
        --m_inFlight;
        startConnects();
    }
}

void Worker::markReady(Client &c)
{
    if (c.state == Client::State::Ready)
        return;
    c.state = Client::State::Ready;
    if (c.sender)
        m_senders.push_back(&c);
    --m_inFlight;
    m_engine->lastReadyNs.store(nowNs());
    m_engine->ready.fetch_add(1);
    startConnects();
}

void Worker::closeAll()
{
    m_rate = 0;
    m_ingestRunning = false;
    m_ingestOutstanding.store(0);
    m_senders.clear();
    m_reconnects = {};
    m_deadlines = {};
    m_pendingConnects.clear();
    m_nextConnect = 0;
    for (std::size_t i = std::size_t(m_id); i < m_engine->m_clients.size();
         i += m_engine->m_workers.size()) {
        Client &c = *m_engine->m_clients[i];
        if (c.fd >= 0) {
            epoll_ctl(m_epoll, EPOLL_CTL_DEL, c.fd, nullptr);
            close(c.fd);
            c.fd = -1;
        }
        c.state = Client::State::Closed;
        c.ingest.reset();
    }
    m_inFlight = 0;
}

void Worker::setRate(double messagesPerSecond, int phase)
{
    m_rate = messagesPerSecond;
    m_phase = phase;
    m_rateStartNs = nowNs();
    m_rateSent = 0;
}

void Worker::pace()
{
    const double elapsed = double(nowNs() - m_rateStartNs) / 1e9;
    auto due = std::uint64_t(elapsed * m_rate);
    // After a stall, catch up at most a second's worth at once rather than a flood.
    if (due > m_rateSent + std::uint64_t(m_rate) + 1)
        m_rateSent = due - std::uint64_t(m_rate) - 1;
    while (m_rateSent < due && !m_senders.empty()) {
        Client &c = *m_senders[m_nextSender++ % m_senders.size()];
        if (c.state != Client::State::Ready) {
            ++m_rateSent;
            continue;
        }
        sendChat(c);
        ++m_rateSent;
    }
}

void Worker::stopIngest(int phase)
{
    m_ingestRunning = false;
    m_ingestPhase = phase;
}

void Worker::startHistory(int clientIndex, int phase)
{
    Client &c = m_engine->client(clientIndex);
    m_historyRunning = true;
    m_historyPhase = phase;
    sendHistoryRequest(c);
}

Engine::Engine(const Options &options)
    : m_options(options)
{
    runTag = std::to_string(
        std::chrono::system_clock::now().time_since_epoch() / std::chrono::milliseconds(1));
    for (int i = 0; i < std::max(1, options.threads); ++i)
        m_workers.push_back(std::make_unique<Worker>(this, i));
    for (auto &w : m_workers)
        w->start();
}

Engine::~Engine()
{
    closeAll();
    for (auto &w : m_workers)
        w->join();
}

Client &Engine::client(int index)
{
    std::lock_guard lock(m_clientsMutex);
    return *m_clients[std::size_t(index)];
}

bool Engine::connect(int first, int last, double timeoutSeconds, double *seconds)
{
    {
        std::lock_guard lock(m_clientsMutex);
        while (int(m_clients.size()) < last) {
            m_clients.push_back(std::make_unique<Client>());
            m_clients.back()->index = int(m_clients.size()) - 1;
        }
    }
    const int target = ready.load() + failed.load() + (last - first);
    const std::int64_t start = nowNs();
    for (auto &w : m_workers)
        w->post([w = w.get(), first, last] { w->addClients(first, last); });
    while (ready.load() + failed.load() < target) {
        if (double(nowNs() - start) / 1e9 > timeoutSeconds)
            break;
        std::this_thread::sleep_for(std::chrono::milliseconds(5));
    }
    *seconds = double(std::max(lastReadyNs.load(), start) - start) / 1e9;
    return ready.load() + failed.load() >= target && failed.load() == 0;
}

void Engine::setRate(double messagesPerSecond, int phase)
{
    m_currentPhase.store(phase);
    const int withSenders = std::min(m_senderCount, int(m_workers.size()));
    for (std::size_t i = 0; i < m_workers.size(); ++i) {
        // Senders are clients [0, S), dealt round-robin, so worker i holds about S/W of them.
        const int mine
            = (m_senderCount - int(i) + int(m_workers.size()) - 1) / int(m_workers.size());
        const double share = withSenders == 0 || m_senderCount == 0
            ? 0
            : messagesPerSecond * double(mine) / double(m_senderCount);
        Worker *w = m_workers[i].get();
        w->post([w, share, phase] { w->setRate(share, phase); });
    }
}

void Engine::startHistory(int clientIndex, int phase)
{
    m_currentPhase.store(phase);
    Worker &w = workerFor(clientIndex);
    w.post([&w, clientIndex, phase] { w.startHistory(clientIndex, phase); });
}

void Engine::stopHistory()
{
    for (auto &w : m_workers)
        w->post([w = w.get()] { w->stopHistory(); });
}

void Engine::startIngest(int window, int phase)
{
    for (auto &w : m_workers)
        w->post([w = w.get(), window, phase] { w->startIngest(window, phase); });
}

void Engine::setIngestPhase(int phase)
{
    for (auto &w : m_workers)
        w->post([w = w.get(), phase] { w->setIngestPhase(phase); });
}

void Engine::stopIngest(int phase)
{
    for (auto &w : m_workers)
        w->post([w = w.get(), phase] { w->stopIngest(phase); });
}

std::uint64_t Engine::ingestOutstanding() const
{
    std::uint64_t n = 0;
    for (const auto &w : m_workers)
        n += w->ingestOutstanding();
    return n;
}

PhaseTotals Engine::totals(int phase) const
{
    PhaseTotals t;
    std::array<std::uint64_t, Histogram::Buckets> counts {};
    std::int64_t max = 0;
    for (const auto &w : m_workers) {
        PhaseCounters &p = w->counters(phase);
        t.sent += p.sent.load();
        t.delivered += p.delivered.load();
        t.lastDeliveryNs = std::max(t.lastDeliveryNs, p.lastDeliveryNs.load());
        p.latency.addTo(&counts, &max);
    }
    t.latency = summarize(counts, max);
    return t;
}

void Engine::resetPhase(int phase)
{
    for (auto &w : m_workers)
        w->counters(phase).reset();
}

void Engine::closeAll()
{
    std::atomic<int> done {0};
    for (auto &w : m_workers)
        w->post([w = w.get(), &done] {
            w->closeAll();
            done.fetch_add(1);
        });
    while (done.load() < int(m_workers.size()))
        std::this_thread::sleep_for(std::chrono::milliseconds(2));
    ready.store(0);
    failed.store(0);
    closedAfterReady.store(0);
}

} // namespace loadgen
