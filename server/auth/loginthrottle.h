// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QHash>
#include <QString>

namespace confab::server {

/*!
 * \brief Slows password guessing keyed by one thing: an account name or a client address.
 *
 * After \c freeFailures failures each further one doubles the wait, up to a cap; a success
 * clears the failures. Attempts still being checked count as possible failures: a burst of
 * parallel wrong passwords gets exactly as many checks as the same attempts one after the
 * other (freeFailures + 1), instead of all passing before the first failure is recorded.
 * Keys are compared case-insensitively.
 */
class LoginThrottle
{
public:
    explicit LoginThrottle(int freeFailures = 5, qint64 maxDelayMs = 15 * 60 * 1000);

    /*! \brief Milliseconds to wait before \a key may try again; 0 = may try now. */
    qint64 retryAfter(const QString &key, qint64 nowMs) const;
    /*!
     * \brief Starts an attempt for \a key if it may try now (returns 0; end it with
     * recordFailure() or recordSuccess()), or returns how long to wait.
     */
    qint64 begin(const QString &key, qint64 nowMs);
    void recordFailure(const QString &key, qint64 nowMs);
    void recordSuccess(const QString &key);
    /*! \brief Ends an attempt that was begun but never checked (the client went away). */
    void abandon(const QString &key);
    /*! \brief Whether \a key failed recently (and is not yet forgotten). */
    bool isFailing(const QString &key) const;
    /*! \brief Drops entries whose wait has passed long ago; bounds memory. */
    void prune(qint64 nowMs);
    /*! \brief A new allowance (a configuration reload); recorded failures are kept. */
    void setFreeFailures(int freeFailures) { m_freeFailures = freeFailures; }
    qsizetype size() const { return m_entries.size(); }

    /*! \brief How long an attempt waits when the ones in progress may use up the allowance. */
    static constexpr qint64 InFlightWaitMs = 1000;

private:
    struct Entry
    {
        int failures = 0;
        int inFlight = 0;
        qint64 blockedUntil = 0;
        qint64 lastFailure = 0;
    };
    void finish(const QString &key);

    QHash<QString, Entry> m_entries;
    int m_freeFailures;
    qint64 m_maxDelayMs;
};

} // namespace confab::server
