// SPDX-License-Identifier: GPL-3.0-or-later
#include "auth/loginthrottle.h"

#include <algorithm>

namespace confab::server {

namespace {
constexpr qint64 ForgetAfterMs = 60 * 60 * 1000;
}

LoginThrottle::LoginThrottle(int freeFailures, qint64 maxDelayMs)
    : m_freeFailures(freeFailures)
    , m_maxDelayMs(maxDelayMs)
{ }

qint64 LoginThrottle::retryAfter(const QString &key, qint64 nowMs) const
{
    const auto it = m_entries.constFind(key.toLower());
    if (it == m_entries.cend())
        return 0;
    const qint64 blocked = std::max<qint64>(0, it->blockedUntil - nowMs);
    // Attempts in progress may each end in a failure: within the allowance they count as
    // failures already; past it, one at a time, since each failure sets a longer block.
    if (blocked == 0 && it->inFlight > 0 && it->failures + it->inFlight > m_freeFailures)
        return InFlightWaitMs;
    return blocked;
}

qint64 LoginThrottle::begin(const QString &key, qint64 nowMs)
{
    if (const qint64 wait = retryAfter(key, nowMs))
        return wait;
    ++m_entries[key.toLower()].inFlight;
    return 0;
}

void LoginThrottle::finish(const QString &key)
{
    const auto it = m_entries.find(key.toLower());
    if (it != m_entries.end() && it->inFlight > 0)
        --it->inFlight;
}

void LoginThrottle::recordFailure(const QString &key, qint64 nowMs)
{
    finish(key);
    Entry &e = m_entries[key.toLower()];
    ++e.failures;
    e.lastFailure = nowMs;
    const int over = e.failures - m_freeFailures;
    if (over > 0) {
        const qint64 delay = std::min<qint64>(m_maxDelayMs, qint64(1000) << std::min(over - 1, 20));
        e.blockedUntil = nowMs + delay;
    }
}

void LoginThrottle::recordSuccess(const QString &key)
{
    const auto it = m_entries.find(key.toLower());
    if (it == m_entries.end())
        return;
    // Other attempts may still be in progress: keep counting them.
    const int inFlight = std::max(0, it->inFlight - 1);
    if (inFlight == 0)
        m_entries.erase(it);
    else
        *it = Entry {0, inFlight, 0, 0};
}

void LoginThrottle::abandon(const QString &key)
{
    finish(key);
    const auto it = m_entries.find(key.toLower());
    if (it != m_entries.end() && it->inFlight == 0 && it->failures == 0)
        m_entries.erase(it);
}

bool LoginThrottle::isFailing(const QString &key) const
{
    const auto it = m_entries.constFind(key.toLower());
    return it != m_entries.cend() && it->failures > 0;
}

void LoginThrottle::prune(qint64 nowMs)
{
    m_entries.removeIf([&](const auto &it) {
        const Entry &e = it.value();
        return e.inFlight == 0 && e.blockedUntil < nowMs && nowMs - e.lastFailure > ForgetAfterMs;
    });
}

} // namespace confab::server
