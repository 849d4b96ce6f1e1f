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

qint64 LoginThrottle::retryAfter(const QString &name, qint64 nowMs) const
{
    const auto it = m_entries.constFind(name.toLower());
    if (it == m_entries.cend())
        return 0;
    return std::max<qint64>(0, it->blockedUntil - nowMs);
}

void LoginThrottle::recordFailure(const QString &name, qint64 nowMs)
{
    Entry &e = m_entries[name.toLower()];
    ++e.failures;
    e.lastFailure = nowMs;
    const int over = e.failures - m_freeFailures;
    if (over > 0) {
        const qint64 delay = std::min<qint64>(m_maxDelayMs, qint64(1000) << std::min(over - 1, 20));
        e.blockedUntil = nowMs + delay;
    }
}

void LoginThrottle::recordSuccess(const QString &name)
{
    m_entries.remove(name.toLower());
}

void LoginThrottle::prune(qint64 nowMs)
{
    m_entries.removeIf([&](const auto &it) {
        return it.value().blockedUntil < nowMs && nowMs - it.value().lastFailure > ForgetAfterMs;
    });
}

} // namespace confab::server
