// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QObject>
#include <avahi-common/watch.h>

namespace confab::lan {

/*!
 * \brief Avahi's main-loop interface (AvahiPoll) on Qt's event loop: a QSocketNotifier per
 * watched descriptor, a QTimer per timeout. The server's publisher and the app's browser
 * both talk to avahi-daemon through it, on their own thread, with no thread of Avahi's.
 *
 * Avahi ships a Qt adapter (avahi-qt) for Qt 5 only, and its threaded poll would call
 * back on a thread of its own; this is the small part of either that we need.
 *
 * Free every AvahiClient made with poll() before this: the client frees its watches and
 * timeouts through it.
 */
class AvahiQtPoll
{
public:
    AvahiQtPoll();
    ~AvahiQtPoll();
    AvahiQtPoll(const AvahiQtPoll &) = delete;
    AvahiQtPoll &operator=(const AvahiQtPoll &) = delete;

    const AvahiPoll *poll() const { return &m_poll; }

private:
    AvahiPoll m_poll {};
    //! Parent of every watch and timeout, so that one Avahi did not free goes with the poll.
    QObject m_owner;
};

} // namespace confab::lan
