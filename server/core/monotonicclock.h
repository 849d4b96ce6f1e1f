// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QElapsedTimer>

namespace confab::server {

/*!
 * \brief Milliseconds on the monotonic clock (CLOCK_MONOTONIC on Linux), for rate limits,
 * heartbeats, deadlines and throttles.
 *
 * Wall-clock time jumps when NTP or an operator sets the clock: a jump forward would
 * expire every deadline at once, one backward would stall rate limits and heartbeats for
 * as long. Wall time stays for what is shown or stored (event timestamps, token expiry).
 * The value is large from the start (time since boot), so 0 still reads as "never".
 */
inline qint64 monotonicMs()
{
    QElapsedTimer t;
    t.start();
    return t.msecsSinceReference();
}

} // namespace confab::server
