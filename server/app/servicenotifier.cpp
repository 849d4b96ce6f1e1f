// SPDX-License-Identifier: GPL-3.0-or-later
#include "app/servicenotifier.h"

#include <QLoggingCategory>
#include <algorithm>
#include <utility>

#ifdef CONFAB_HAVE_SYSTEMD
#include <systemd/sd-daemon.h>
#endif

using namespace Qt::StringLiterals;

namespace confab::server {

namespace {
Q_LOGGING_CATEGORY(lcService, "confab.service", QtInfoMsg)

// Without a watchdog the status line is refreshed this often; a status nobody reads more
// often than `systemctl status` is run is not worth more wakeups.
constexpr int StatusIntervalMs = 5000;
} // namespace

ServiceNotifier::ServiceNotifier(std::function<int()> connections, QObject *parent)
    : QObject(parent)
    , m_connections(std::move(connections))
{
#ifdef CONFAB_HAVE_SYSTEMD
    m_active = qEnvironmentVariableIsSet("NOTIFY_SOCKET");
    uint64_t usec = 0;
    // 0: not asked for; negative: WATCHDOG_USEC unreadable. Either way, no pings.
    if (m_active && sd_watchdog_enabled(0, &usec) > 0 && usec > 0) {
        m_watchdog = true;
        // Half the interval, as sd_watchdog_enabled(3) advises; at least 1 ms.
        m_timer.setInterval(int(std::max<uint64_t>(1, std::min<uint64_t>(usec / 2000, 1 << 30))));
        m_timer.setTimerType(Qt::PreciseTimer);
    } else {
        m_timer.setInterval(StatusIntervalMs);
    }
#endif
    connect(&m_timer, &QTimer::timeout, this, &ServiceNotifier::tick);
    if (m_active)
        qCInfo(lcService) << "notifying the service manager; watchdog ping every"
                          << (m_watchdog ? m_timer.interval() : 0) << "ms";
}

int ServiceNotifier::pingIntervalMs() const
{
    return m_watchdog ? m_timer.interval() : 0;
}

void ServiceNotifier::ready()
{
    if (!m_active)
        return;
    m_lastStatus = statusText();
    notify("READY=1\nSTATUS=" + m_lastStatus.toUtf8());
    m_timer.start();
}

void ServiceNotifier::stopping()
{
    if (!m_active || m_stopping)
        return;
    m_stopping = true;
    m_lastStatus = u"Shutting down"_s;
    notify("STOPPING=1\nSTATUS=" + m_lastStatus.toUtf8());
}

void ServiceNotifier::tick()
{
    QByteArray state;
    if (m_watchdog)
        state += "WATCHDOG=1\n";
    if (!m_stopping) {
        const QString status = statusText();
        if (status != m_lastStatus) {
            m_lastStatus = status;
            state += "STATUS=" + status.toUtf8();
        }
    }
    if (!state.isEmpty())
        notify(state);
}

QString ServiceNotifier::statusText() const
{
    const int n = m_connections ? m_connections() : 0;
    return n == 1 ? u"Serving 1 connection"_s : u"Serving %1 connections"_s.arg(n);
}

bool ServiceNotifier::notify(const QByteArray &state)
{
#ifdef CONFAB_HAVE_SYSTEMD
    const int result = sd_notify(0, state.constData());
    if (result < 0) {
        // Once: a socket that went away will not come back, and the log should not fill.
        qCWarning(lcService) << "cannot notify the service manager:" << qt_error_string(-result);
        m_active = false;
        m_timer.stop();
        return false;
    }
    qCDebug(lcService) << "notified" << state;
    return true;
#else
    Q_UNUSED(state);
    return false;
#endif
}

} // namespace confab::server
