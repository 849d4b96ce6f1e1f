// SPDX-License-Identifier: GPL-3.0-or-later
#include "net/epolleventdispatcher.h"

#include "core/logging.h"

#include <QCoreApplication>
#include <QSocketNotifier>
#include <QTimerEvent>
#include <cerrno>
#include <climits>
#include <ctime>
#include <sys/epoll.h>
#include <sys/eventfd.h>
#include <unistd.h>

namespace confab::server {

namespace {
constexpr int MaxReady = 512;
constexpr quint32 ErrorEvents = EPOLLERR | EPOLLHUP;

quint32 maskFor(QSocketNotifier::Type type)
{
    switch (type) {
    case QSocketNotifier::Read:
        return EPOLLIN;
    case QSocketNotifier::Write:
        return EPOLLOUT;
    case QSocketNotifier::Exception:
        return EPOLLPRI;
    }
    return 0;
}

quint64 tag(int fd, quint32 generation)
{
    return (quint64(generation) << 32) | quint32(fd);
}
} // namespace

EpollEventDispatcher::EpollEventDispatcher(QObject *parent)
    : QAbstractEventDispatcher(parent)
    , m_epoll(epoll_create1(EPOLL_CLOEXEC))
    , m_wake(eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK))
    , m_readyBuffer(sizeof(epoll_event) * MaxReady)
{
    if (m_epoll < 0 || m_wake < 0) {
        qCWarning(lcNet) << "epoll unavailable:" << strerror(errno);
        return;
    }
    epoll_event ev {};
    ev.events = EPOLLIN;
    ev.data.u64 = tag(m_wake, 0);
    if (epoll_ctl(m_epoll, EPOLL_CTL_ADD, m_wake, &ev) != 0) {
        qCWarning(lcNet) << "epoll refused the wake-up descriptor:" << strerror(errno);
        ::close(m_wake);
        m_wake = -1;
    }
}

EpollEventDispatcher::~EpollEventDispatcher()
{
    if (m_wake >= 0)
        ::close(m_wake);
    if (m_epoll >= 0)
        ::close(m_epoll);
}

qint64 EpollEventDispatcher::nowNs()
{
    timespec ts {};
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return qint64(ts.tv_sec) * 1'000'000'000 + ts.tv_nsec;
}

// ---- socket notifiers ------------------------------------------------------------------

void EpollEventDispatcher::registerSocketNotifier(QSocketNotifier *notifier)
{
    const int fd = int(notifier->socket());
    auto it = m_watches.find(fd);
    if (it == m_watches.end()) {
        it = m_watches.insert(fd, Watch {});
        it->generation = ++m_nextGeneration;
    }
    it->notifiers[notifier->type()] = notifier;
    markDirty(fd, *it);
}

void EpollEventDispatcher::unregisterSocketNotifier(QSocketNotifier *notifier)
{
    const int fd = int(notifier->socket());
    auto it = m_watches.find(fd);
    if (it == m_watches.end() || it->notifiers[notifier->type()] != notifier)
        return;
    it->notifiers[notifier->type()] = nullptr;
    if (!it->notifiers[0] && !it->notifiers[1] && !it->notifiers[2]) {
        // The descriptor may be closed and its number reused before the next wait:
        // events already reported for it must not reach whoever registers next.
        it->generation = ++m_nextGeneration;
    }
    markDirty(fd, *it);
}

void EpollEventDispatcher::markDirty(int fd, Watch &watch)
{
    if (!watch.dirty) {
        watch.dirty = true;
        m_dirty.push_back(fd);
    }
}

void EpollEventDispatcher::applyInterestChanges()
{
    for (const int fd : m_dirty) {
        auto it = m_watches.find(fd);
        if (it == m_watches.end())
            continue;
        Watch &w = *it;
        w.dirty = false;
        quint32 want = 0;
        for (int type = 0; type < 3; ++type) {
            if (w.notifiers[type])
                want |= maskFor(QSocketNotifier::Type(type));
        }
        if (want == 0) {
            // EBADF/ENOENT: the descriptor was closed first, which already removed it.
            if (w.inKernel)
                epoll_ctl(m_epoll, EPOLL_CTL_DEL, fd, nullptr);
            m_watches.erase(it);
            continue;
        }
        if (w.inKernel && want == w.kernelMask && w.generation == w.kernelGeneration)
            continue;
        epoll_event ev {};
        ev.events = want;
        ev.data.u64 = tag(fd, w.generation);
        int rc = epoll_ctl(m_epoll, w.inKernel ? EPOLL_CTL_MOD : EPOLL_CTL_ADD, fd, &ev);
        // A closed and reused descriptor is a new file: the kernel dropped the old one.
        if (rc != 0 && errno == ENOENT)
            rc = epoll_ctl(m_epoll, EPOLL_CTL_ADD, fd, &ev);
        else if (rc != 0 && errno == EEXIST)
            rc = epoll_ctl(m_epoll, EPOLL_CTL_MOD, fd, &ev);
        if (rc != 0) {
            qCWarning(lcNet) << "epoll_ctl failed for descriptor" << fd << strerror(errno);
            w.inKernel = false;
            continue;
        }
        w.inKernel = true;
        w.kernelMask = want;
        w.kernelGeneration = w.generation;
    }
    m_dirty.clear();
}

int EpollEventDispatcher::activateSockets(int ready)
{
    const auto *events = reinterpret_cast<const epoll_event *>(m_readyBuffer.data());
    int activated = 0;
    for (int i = 0; i < ready; ++i) {
        const int fd = int(quint32(events[i].data.u64));
        const auto generation = quint32(events[i].data.u64 >> 32);
        const quint32 revents = events[i].events;
        if (fd == m_wake && generation == 0) {
            m_wakePending.store(false);
            drainWakeUp();
            continue;
        }
        // Looked up per notifier: an earlier handler in this batch may have switched
        // any of them off, deleted it or closed the socket.
        const auto deliver = [&](QSocketNotifier::Type type) {
            auto it = m_watches.constFind(fd);
            if (it == m_watches.cend() || it->generation != generation)
                return false;
            QSocketNotifier *n = it->notifiers[type];
            if (!n)
                return false;
            QEvent event(QEvent::SockAct);
            QCoreApplication::sendEvent(n, &event);
            ++activated;
            return true;
        };
        // Errors and hang-ups go to the reader (which then sees the end of the stream),
        // or else to the writer, as Qt's poll loop does.
        bool handled = false;
        if (revents & (EPOLLIN | ErrorEvents))
            handled = deliver(QSocketNotifier::Read);
        if ((revents & EPOLLOUT) || ((revents & ErrorEvents) && !handled))
            handled = deliver(QSocketNotifier::Write) || handled;
        if (revents & EPOLLPRI)
            deliver(QSocketNotifier::Exception);
    }
    return activated;
}

void EpollEventDispatcher::drainWakeUp()
{
    quint64 count = 0;
    while (::read(m_wake, &count, sizeof count) == sizeof count) { }
}

// ---- timers -----------------------------------------------------------------------------

void EpollEventDispatcher::registerTimer(
    int timerId, qint64 interval, Qt::TimerType timerType, QObject *object)
{
    Timer t;
    t.intervalMs = std::max<qint64>(interval, 0);
    t.deadlineNs = nowNs() + t.intervalMs * 1'000'000;
    t.type = timerType;
    t.object = object;
    unregisterTimer(timerId);
    m_timers.insert(timerId, t);
    m_timerQueue.emplace(t.deadlineNs, timerId);
}

bool EpollEventDispatcher::unregisterTimer(int timerId)
{
    auto it = m_timers.find(timerId);
    if (it == m_timers.end())
        return false;
    m_timerQueue.erase({it->deadlineNs, timerId});
    m_timers.erase(it);
    return true;
}

bool EpollEventDispatcher::unregisterTimers(QObject *object)
{
    bool any = false;
    for (auto it = m_timers.begin(); it != m_timers.end();) {
        if (it->object == object) {
            m_timerQueue.erase({it->deadlineNs, it.key()});
            it = m_timers.erase(it);
            any = true;
        } else {
            ++it;
        }
    }
    return any;
}

QList<QAbstractEventDispatcher::TimerInfo> EpollEventDispatcher::registeredTimers(
    QObject *object) const
{
    QList<TimerInfo> list;
    for (auto it = m_timers.cbegin(); it != m_timers.cend(); ++it) {
        if (it->object == object)
            list.append(TimerInfo(it.key(), int(it->intervalMs), it->type));
    }
    return list;
}

int EpollEventDispatcher::remainingTime(int timerId)
{
    auto it = m_timers.constFind(timerId);
    if (it == m_timers.cend())
        return -1;
    const qint64 left = (it->deadlineNs - nowNs()) / 1'000'000;
    return int(std::clamp<qint64>(left, 0, INT_MAX));
}

int EpollEventDispatcher::nextTimeoutMs() const
{
    if (m_timerQueue.empty())
        return -1;
    const qint64 leftNs = m_timerQueue.begin()->first - nowNs();
    if (leftNs <= 0)
        return 0;
    // Rounded up: waking a little early would only spin until the deadline.
    return int(std::min<qint64>((leftNs + 999'999) / 1'000'000, INT_MAX));
}

int EpollEventDispatcher::activateTimers()
{
    const qint64 now = nowNs();
    // Only timers due now: one rescheduled or started by a handler waits for the next pass,
    // so a zero-interval timer cannot starve sockets.
    std::vector<int> due;
    for (auto it = m_timerQueue.begin(); it != m_timerQueue.end() && it->first <= now; ++it)
        due.push_back(it->second);
    int activated = 0;
    for (const int id : due) {
        auto it = m_timers.find(id);
        if (it == m_timers.end() || it->firing || it->deadlineNs > now)
            continue;
        m_timerQueue.erase({it->deadlineNs, id});
        const qint64 intervalNs = it->intervalMs * 1'000'000;
        it->deadlineNs += intervalNs;
        if (it->deadlineNs <= now)
            it->deadlineNs = now + intervalNs;
        m_timerQueue.emplace(it->deadlineNs, id);
        it->firing = true;
        QObject *object = it->object;
        QTimerEvent event(id);
        QCoreApplication::sendEvent(object, &event);
        ++activated;
        // The handler may have killed the timer, or killed it and got the same id back.
        if (auto after = m_timers.find(id); after != m_timers.end())
            after->firing = false;
    }
    return activated;
}

// ---- the loop ---------------------------------------------------------------------------

void EpollEventDispatcher::wakeUp()
{
    if (!m_wakePending.exchange(true)) {
        const quint64 one = 1;
        [[maybe_unused]] const auto written = ::write(m_wake, &one, sizeof one);
    }
}

void EpollEventDispatcher::interrupt()
{
    m_interrupted.store(true);
    wakeUp();
}

bool EpollEventDispatcher::processEvents(QEventLoop::ProcessEventsFlags flags)
{
    m_interrupted.store(false);
    Q_EMIT awake();
    // Everything posted before a wake-up is in the queue before its write to the
    // eventfd, so draining first and then sending can never lose a wake-up.
    if (m_wakePending.exchange(false))
        drainWakeUp();
    QCoreApplication::sendPostedEvents();
    if (m_interrupted.load())
        return false;

    const bool withTimers = !(flags & QEventLoop::X11ExcludeTimers);
    const bool withSockets = !(flags & QEventLoop::ExcludeSocketNotifiers);
    const bool canWait = (flags & QEventLoop::WaitForMoreEvents) && !m_wakePending.load();
    int timeout = 0;
    if (canWait) {
        timeout = withTimers ? nextTimeoutMs() : -1;
        Q_EMIT aboutToBlock();
    }
    applyInterestChanges();
    int ready = 0;
    if (withSockets || timeout != 0) {
        ready = epoll_wait(
            m_epoll, reinterpret_cast<epoll_event *>(m_readyBuffer.data()), MaxReady, timeout);
        if (ready < 0) {
            if (errno != EINTR)
                qCWarning(lcNet) << "epoll_wait failed:" << strerror(errno);
            ready = 0;
        }
    }
    int activated = 0;
    // Level-triggered: socket events skipped here are reported again by the next wait.
    if (withSockets)
        activated += activateSockets(ready);
    if (withTimers)
        activated += activateTimers();
    return activated > 0;
}

} // namespace confab::server
