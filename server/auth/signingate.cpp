// SPDX-License-Identifier: GPL-3.0-or-later
#include "auth/signingate.h"

#include "core/metrics.h"

#include <algorithm>

namespace confab::server {

namespace {

// One key per client, whether it arrived over IPv4 or as an IPv4-mapped IPv6 address.
QString addressKey(const QHostAddress &address)
{
    bool isV4 = false;
    const quint32 v4 = address.toIPv4Address(&isV4);
    return isV4 ? QHostAddress(v4).toString() : address.toString();
}

} // namespace

SignInGate::SignInGate(const Limits &limits)
    : m_names(limits.nameFreeFailures)
    , m_addresses(limits.addressFreeFailures)
    , m_maxHashes(std::max(1, limits.maxHashes))
{ }

SignInGate::Decision SignInGate::admitHash(const QString &address, qint64 nowMs)
{
    if (const qint64 wait = m_addresses.retryAfter(address, nowMs))
        return {Refusal::Address, wait};
    if (m_hashes >= m_maxHashes)
        return {Refusal::Busy, BusyRetryMs};
    // One address may not take the whole pool, even before it has failed.
    if (m_hashesByAddress.value(address) >= std::max(1, m_maxHashes / 4))
        return {Refusal::Address, BusyRetryMs};
    const bool failing = m_addresses.isFailing(address);
    if (failing && m_failingHashes >= std::max(1, m_maxHashes / 2))
        return {Refusal::Busy, BusyRetryMs};
    m_addresses.begin(address, nowMs);
    ++m_hashes;
    ++m_hashesByAddress[address];
    if (failing) {
        ++m_failingHashes;
        ++m_failingByAddress[address];
    }
    return {};
}

void SignInGate::release(const QString &address)
{
    m_hashes = std::max(0, m_hashes - 1);
    if (const auto it = m_hashesByAddress.find(address); it != m_hashesByAddress.end()) {
        if (--*it <= 0)
            m_hashesByAddress.erase(it);
    }
    if (const auto it = m_failingByAddress.find(address); it != m_failingByAddress.end()) {
        m_failingHashes = std::max(0, m_failingHashes - 1);
        if (--*it <= 0)
            m_failingByAddress.erase(it);
    }
}

SignInGate::Decision SignInGate::admitLogin(
    const QString &name, const QHostAddress &address, qint64 nowMs)
{
    if (const qint64 wait = m_names.retryAfter(name, nowMs))
        return {Refusal::Name, wait};
    const Decision hash = admitHash(addressKey(address), nowMs);
    if (hash)
        m_names.begin(name, nowMs);
    return hash;
}

SignInGate::Decision SignInGate::admitRegistration(const QHostAddress &address, qint64 nowMs)
{
    return admitHash(addressKey(address), nowMs);
}

void SignInGate::succeeded(const QString &name, const QHostAddress &address)
{
    m_names.recordSuccess(name);
    // A success clears the account's failures, not the address's: one valid account must
    // not let an address reset its allowance for guessing others.
    const QString key = addressKey(address);
    m_addresses.abandon(key);
    release(key);
}

void SignInGate::failed(const QString &name, const QHostAddress &address, qint64 nowMs)
{
    metrics::registry().loginFailures.add();
    m_names.recordFailure(name, nowMs);
    const QString key = addressKey(address);
    m_addresses.recordFailure(key, nowMs);
    release(key);
}

void SignInGate::abandoned(const QString &name, const QHostAddress &address)
{
    if (!name.isEmpty())
        m_names.abandon(name);
    const QString key = addressKey(address);
    m_addresses.abandon(key);
    release(key);
}

void SignInGate::prune(qint64 nowMs)
{
    m_names.prune(nowMs);
    m_addresses.prune(nowMs);
}

} // namespace confab::server
