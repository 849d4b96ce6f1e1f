// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QObject>
#include <QTimer>
#include <functional>

namespace confab::server {

/*!
 * \brief Tells the service manager (systemd, Type=notify) how confabd is doing: READY=1 once
 * it listens, STOPPING=1 when it starts to shut down, WATCHDOG=1 from the event loop and a
 * STATUS= line with the number of connections.
 *
 * The watchdog pings come from a timer on the main event loop at half the interval systemd
 * asks for (WatchdogSec=), so a loop that hangs stops pinging and systemd restarts the
 * service. Without NOTIFY_SOCKET (run by hand, in tests, or a build without libsystemd) every
 * call does nothing.
 */
class ServiceNotifier : public QObject
{
    Q_OBJECT
public:
    /*! \p connections is asked for the count on each status update. */
    explicit ServiceNotifier(std::function<int()> connections, QObject *parent = nullptr);

    /*! \brief Whether a service manager listens (NOTIFY_SOCKET set, libsystemd built in). */
    bool active() const { return m_active; }
    /*! \brief The watchdog ping interval in milliseconds; 0 when there is no watchdog. */
    int pingIntervalMs() const;

    /*! \brief Listening: READY=1, and the watchdog pings start. */
    void ready();
    /*! \brief Shutting down: STOPPING=1. Pings go on, since the shutdown runs the loop. */
    void stopping();

private:
    void tick();
    QString statusText() const;
    bool notify(const QByteArray &state);

    std::function<int()> m_connections;
    QTimer m_timer;
    QString m_lastStatus;
    bool m_active = false;
    bool m_watchdog = false;
    bool m_stopping = false;
};

} // namespace confab::server
