// SPDX-License-Identifier: GPL-3.0-or-later
#include "lan/avahiqtpoll.h"

#include <QSocketNotifier>
#include <QTimer>
#include <algorithm>
#include <avahi-common/timeval.h>
#include <climits>

// Avahi declares these two structs and leaves their definition to each poll implementation.
// QObjects, so that one freed from inside its own callback can be deleted later, by the
// event loop, rather than under the notifier or timer that is calling it.

struct AvahiWatch : QObject
{
    AvahiWatch(
        int fd, AvahiWatchEvent events, AvahiWatchCallback callback, void *userdata, QObject *owner)
        : QObject(owner)
        , fd(fd)
        , callback(callback)
        , userdata(userdata)
        , read(fd, QSocketNotifier::Read, this)
        , write(fd, QSocketNotifier::Write, this)
    {
        connect(&read, &QSocketNotifier::activated, this, [this] { fire(AVAHI_WATCH_IN); });
        connect(&write, &QSocketNotifier::activated, this, [this] { fire(AVAHI_WATCH_OUT); });
        update(events);
    }

    void update(AvahiWatchEvent events)
    {
        // No notifier for AVAHI_WATCH_ERR/HUP: poll(2) reports them whether asked or not, and
        // a hung-up descriptor reads as readable, which is how Avahi then finds out.
        read.setEnabled(events & AVAHI_WATCH_IN);
        write.setEnabled(events & AVAHI_WATCH_OUT);
    }

    void fire(AvahiWatchEvent event)
    {
        happened = event;
        callback(this, fd, event, userdata);
        // The callback may have freed this watch; then only deleteLater() is pending.
        if (!freed)
            happened = AvahiWatchEvent(0);
    }

    void free()
    {
        freed = true;
        read.setEnabled(false);
        write.setEnabled(false);
        disconnect(&read, nullptr, this, nullptr);
        disconnect(&write, nullptr, this, nullptr);
        deleteLater();
    }

    int fd;
    AvahiWatchCallback callback;
    void *userdata;
    QSocketNotifier read;
    QSocketNotifier write;
    AvahiWatchEvent happened = AvahiWatchEvent(0);
    bool freed = false;
};

struct AvahiTimeout : QObject
{
    AvahiTimeout(const timeval *tv, AvahiTimeoutCallback callback, void *userdata, QObject *owner)
        : QObject(owner)
        , callback(callback)
        , userdata(userdata)
    {
        timer.setSingleShot(true);
        // Avahi's timeouts are protocol timers (probe, announce, D-Bus replies), some tens
        // of milliseconds: a coarse timer's 5% would be noise, but no reason to add it.
        timer.setTimerType(Qt::PreciseTimer);
        connect(&timer, &QTimer::timeout, this, [this] { this->callback(this, this->userdata); });
        update(tv);
    }

    void update(const timeval *tv)
    {
        if (!tv) {
            timer.stop();
            return;
        }
        // tv is an absolute time; avahi_age() is how long ago it was (negative: still to come).
        const AvahiUsec until = -avahi_age(tv);
        const auto ms = std::clamp<AvahiUsec>((until + 999) / 1000, 0, INT_MAX);
        timer.start(int(ms));
    }

    void free()
    {
        timer.stop();
        disconnect(&timer, nullptr, this, nullptr);
        deleteLater();
    }

    AvahiTimeoutCallback callback;
    void *userdata;
    QTimer timer;
};

namespace confab::lan {

namespace {

QObject *ownerOf(const AvahiPoll *api)
{
    return static_cast<QObject *>(api->userdata);
}

AvahiWatch *watchNew(const AvahiPoll *api, int fd, AvahiWatchEvent events,
    AvahiWatchCallback callback, void *userdata)
{
    return new AvahiWatch(fd, events, callback, userdata, ownerOf(api));
}

void watchUpdate(AvahiWatch *watch, AvahiWatchEvent events)
{
    watch->update(events);
}

AvahiWatchEvent watchGetEvents(AvahiWatch *watch)
{
    return watch->happened;
}

void watchFree(AvahiWatch *watch)
{
    watch->free();
}

AvahiTimeout *timeoutNew(
    const AvahiPoll *api, const timeval *tv, AvahiTimeoutCallback callback, void *userdata)
{
    return new AvahiTimeout(tv, callback, userdata, ownerOf(api));
}

void timeoutUpdate(AvahiTimeout *timeout, const timeval *tv)
{
    timeout->update(tv);
}

void timeoutFree(AvahiTimeout *timeout)
{
    timeout->free();
}

} // namespace

AvahiQtPoll::AvahiQtPoll()
{
    m_poll.userdata = &m_owner;
    m_poll.watch_new = watchNew;
    m_poll.watch_update = watchUpdate;
    m_poll.watch_get_events = watchGetEvents;
    m_poll.watch_free = watchFree;
    m_poll.timeout_new = timeoutNew;
    m_poll.timeout_update = timeoutUpdate;
    m_poll.timeout_free = timeoutFree;
}

// m_owner deletes what is left: watches and timeouts freed but not yet deleted later.
AvahiQtPoll::~AvahiQtPoll() = default;

} // namespace confab::lan
