// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QtGlobal>
#include <functional>

namespace confab::client {

/*!
 * \brief Delays between reconnect attempts: exponential from \c initialMs to \c maxMs,
 * each with ±20 % jitter so that clients dropped together do not return together.
 *
 * Pure logic: the caller passes the clock and may inject the random source.
 */
class ReconnectBackoff
{
public:
    explicit ReconnectBackoff(int initialMs = 1000, int maxMs = 60000, int stableMs = 30000);

    /*! \brief Random source returning a value in [0, 1); default QRandomGenerator. */
    void setRandom(std::function<double()> random);

    /*! \brief The delay before the next attempt; grows with every call. */
    int nextDelayMs();
    /*! \brief The next delay is the longest one (the server asked us to back off hard). */
    void jumpToMax();
    /*! \brief The connection became usable at \a nowMs. */
    void connected(qint64 nowMs);
    /*! \brief The connection dropped at \a nowMs: resets if it had stayed up long enough
     * (a connection that dies right after connecting must not reset to 1 s). */
    void disconnected(qint64 nowMs);
    void reset();
    int attempts() const { return m_attempt; }

private:
    int m_initialMs;
    int m_maxMs;
    int m_stableMs;
    int m_attempt = 0;
    qint64 m_connectedAt = -1;
    std::function<double()> m_random;
};

} // namespace confab::client
