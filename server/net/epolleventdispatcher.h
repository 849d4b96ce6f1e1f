// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QAbstractEventDispatcher>
#include <QHash>
#include <atomic>
#include <set>
#include <vector>

class QSocketNotifier;

namespace confab::server {

/*!
 * \brief An event dispatcher on Linux epoll, for a thread that holds thousands of sockets.
 *
 * Qt's default dispatchers (GLib's and Qt's own poll loop) hand every socket to the
 * kernel on each wakeup and walk lists when a notifier is switched on or off. A server
 * that writes one frame to each of 10,000 sockets switches each write notifier on and
 * off again, so the cost of a delivery grew with the number of connections. Here the
 * kernel keeps the interest set, a wakeup costs only the ready sockets, and notifier
 * changes are folded into one epoll_ctl per socket just before the next wait (a write
 * notifier switched off and on again in between costs nothing).
 *
 * Timers keep Qt's contract (QTimerEvent to the object, intervals rescheduled from their
 * deadline, a timer never re-entered from its own handler) at millisecond precision for
 * every timer type. Install it with QCoreApplication::setEventDispatcher() before the
 * application object exists.
 */
class EpollEventDispatcher : public QAbstractEventDispatcher
{
    Q_OBJECT
public:
    explicit EpollEventDispatcher(QObject *parent = nullptr);
    ~EpollEventDispatcher() override;

    /*! \brief False if the kernel refused epoll or eventfd; the dispatcher must not be used. */
    bool isValid() const { return m_epoll >= 0 && m_wake >= 0; }

    bool processEvents(QEventLoop::ProcessEventsFlags flags) override;
    void registerSocketNotifier(QSocketNotifier *notifier) override;
    void unregisterSocketNotifier(QSocketNotifier *notifier) override;
    void registerTimer(
        int timerId, qint64 interval, Qt::TimerType timerType, QObject *object) override;
    bool unregisterTimer(int timerId) override;
    bool unregisterTimers(QObject *object) override;
    QList<TimerInfo> registeredTimers(QObject *object) const override;
    int remainingTime(int timerId) override;
    void wakeUp() override;
    void interrupt() override;

private:
    struct Watch
    {
        QSocketNotifier *notifiers[3] = {}; // indexed by QSocketNotifier::Type
        quint32 generation = 0;
        quint32 kernelMask = 0;
        quint32 kernelGeneration = 0;
        bool inKernel = false;
        bool dirty = false;
    };
    struct Timer
    {
        qint64 intervalMs = 0;
        qint64 deadlineNs = 0;
        Qt::TimerType type = Qt::CoarseTimer;
        QObject *object = nullptr;
        bool firing = false;
    };

    static qint64 nowNs();
    void markDirty(int fd, Watch &watch);
    void applyInterestChanges();
    int activateSockets(int ready);
    int activateTimers();
    /*! \brief Milliseconds until the next timer is due: -1 for none, 0 if one is due. */
    int nextTimeoutMs() const;
    void drainWakeUp();

    int m_epoll = -1;
    int m_wake = -1;
    std::atomic<bool> m_wakePending {false};
    std::atomic<bool> m_interrupted {false};
    quint32 m_nextGeneration = 0;
    QHash<int, Watch> m_watches;
    std::vector<int> m_dirty;
    std::vector<char> m_readyBuffer; // epoll_event[], kept opaque to keep <sys/epoll.h> out
    QHash<int, Timer> m_timers;
    std::set<std::pair<qint64, int>> m_timerQueue; // (deadline, timer id)
};

} // namespace confab::server
