// SPDX-License-Identifier: GPL-3.0-or-later
#include "net/reconnectbackoff.h"

#include <QRandomGenerator>
#include <algorithm>
#include <cmath>

namespace confab::client {

ReconnectBackoff::ReconnectBackoff(int initialMs, int maxMs, int stableMs)
    : m_initialMs(std::max(1, initialMs))
    , m_maxMs(std::max(m_initialMs, maxMs))
    , m_stableMs(stableMs)
    , m_random([] { return QRandomGenerator::global()->generateDouble(); })
{ }

void ReconnectBackoff::setRandom(std::function<double()> random)
{
    m_random = std::move(random);
}

int ReconnectBackoff::nextDelayMs()
{
    // Doubling stops at the cap; the exponent is bounded so it cannot overflow.
    const double base
        = std::min(double(m_maxMs), double(m_initialMs) * std::pow(2.0, std::min(m_attempt, 30)));
    ++m_attempt;
    const double jitter = 0.8 + 0.4 * std::clamp(m_random(), 0.0, 1.0);
    return std::max(1, int(std::lround(base * jitter)));
}

void ReconnectBackoff::jumpToMax()
{
    m_attempt = 31;
}

void ReconnectBackoff::connected(qint64 nowMs)
{
    m_connectedAt = nowMs;
}

void ReconnectBackoff::disconnected(qint64 nowMs)
{
    if (m_connectedAt >= 0 && nowMs - m_connectedAt >= m_stableMs)
        m_attempt = 0;
    m_connectedAt = -1;
}

void ReconnectBackoff::reset()
{
    m_attempt = 0;
    m_connectedAt = -1;
}

} // namespace confab::client
