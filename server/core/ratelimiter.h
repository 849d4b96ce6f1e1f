// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QtGlobal>
#include <algorithm>

namespace confab::server {

/*!
 * \brief Token bucket: \c rate tokens per second, at most \c burst saved up.
 */
class RateLimiter
{
public:
    RateLimiter(int ratePerSecond, int burst)
        : m_rate(ratePerSecond)
        , m_burst(burst)
        , m_tokens(burst)
    { }

    /*! \brief Takes one token; returns 0 if allowed, else ms until one is available. */
    qint64 take(qint64 nowMs)
    {
        refill(nowMs);
        if (m_tokens >= 1.0) {
            m_tokens -= 1.0;
            return 0;
        }
        return qint64((1.0 - m_tokens) * 1000.0 / m_rate) + 1;
    }

private:
    void refill(qint64 nowMs)
    {
        if (m_last != 0)
            m_tokens
                = std::min<double>(m_burst, m_tokens + double(nowMs - m_last) * m_rate / 1000.0);
        m_last = nowMs;
    }

    double m_rate;
    int m_burst;
    double m_tokens;
    qint64 m_last = 0;
};

} // namespace confab::server
