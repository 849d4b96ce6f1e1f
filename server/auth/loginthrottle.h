// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QHash>
#include <QString>

namespace confab::server {

/*!
 * \brief Slows password guessing against one account.
 *
 * Keyed by the lower-cased name whether or not the account exists, so the
 * throttle itself never reveals which names are real. After \c freeFailures
 * failures each further one doubles the wait, up to a cap; a success clears it.
 */
class LoginThrottle
{
public:
    explicit LoginThrottle(int freeFailures = 5, qint64 maxDelayMs = 15 * 60 * 1000);

    /*! \brief Milliseconds to wait before \a name may try again; 0 = may try now. */
    qint64 retryAfter(const QString &name, qint64 nowMs) const;
    void recordFailure(const QString &name, qint64 nowMs);
    void recordSuccess(const QString &name);
    /*! \brief Drops entries whose wait has passed long ago; bounds memory. */
    void prune(qint64 nowMs);

private:
    struct Entry
    {
        int failures = 0;
        qint64 blockedUntil = 0;
        qint64 lastFailure = 0;
    };
    QHash<QString, Entry> m_entries;
    int m_freeFailures;
    qint64 m_maxDelayMs;
};

} // namespace confab::server
