// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "auth/loginthrottle.h"

#include <QHash>
#include <QHostAddress>
#include <QString>
#include <optional>

namespace confab::server {

/*!
 * \brief Decides whether a password may be checked now: the one place that keeps guessing
 * slow and keeps a storm of wrong passwords from locking real users out.
 *
 * Three limits, each with its own reason:
 * - per account name (LoginThrottle): guessing one account's password;
 * - per client address (LoginThrottle, a larger allowance, since several people may share
 *   an address): guessing across many names from one place, and that address's share of
 *   the hashing pool (at most a quarter of it in flight);
 * - the hashing pool: Argon2id costs 19 MiB and tens of milliseconds per check, so only
 *   maxHashes run or wait at once. Addresses that have failed recently share at most half
 *   of it, which keeps the other half for everyone else during a storm.
 *
 * Every admitted check must be ended exactly once: succeeded(), failed() or abandoned().
 */
class SignInGate
{
public:
    struct Limits
    {
        int nameFreeFailures = 5;
        int addressFreeFailures = 30;
        int maxHashes = 32;
    };
    enum class Refusal
    {
        Name, //!< too many failures for this account name
        Address, //!< too many failures, or checks in flight, from this address
        Busy, //!< the hashing pool is full (for this address's kind)
    };
    struct Decision
    {
        std::optional<Refusal> refusal; //!< empty: admitted
        qint64 retryAfterMs = 0;
        explicit operator bool() const { return !refusal; }
    };

    explicit SignInGate(const Limits &limits);

    /*! \brief Admits a password check for \a name (a login) from \a address. */
    Decision admitLogin(const QString &name, const QHostAddress &address, qint64 nowMs);
    /*! \brief Admits a password hash for a registration from \a address (no name throttle). */
    Decision admitRegistration(const QHostAddress &address, qint64 nowMs);

    void succeeded(const QString &name, const QHostAddress &address);
    void failed(const QString &name, const QHostAddress &address, qint64 nowMs);
    /*! \brief Ends a check whose outcome says nothing about the password (an error, a
     * registration, a client that left). */
    void abandoned(const QString &name, const QHostAddress &address);

    int hashesInFlight() const { return m_hashes; }
    void prune(qint64 nowMs);
    /*! \brief New per-name and per-address allowances (a configuration reload). */
    void setFreeFailures(int perName, int perAddress)
    {
        m_names.setFreeFailures(perName);
        m_addresses.setFreeFailures(perAddress);
    }

    static constexpr qint64 BusyRetryMs = 1000;

private:
    Decision admitHash(const QString &address, qint64 nowMs);
    void release(const QString &address);

    LoginThrottle m_names;
    LoginThrottle m_addresses;
    QHash<QString, int> m_hashesByAddress;
    int m_hashes = 0;
    int m_failingHashes = 0; //!< of m_hashes, those from addresses that were failing when admitted
    QHash<QString, int> m_failingByAddress;
    int m_maxHashes;
};

} // namespace confab::server
