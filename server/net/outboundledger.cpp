// SPDX-License-Identifier: GPL-3.0-or-later
#include "net/outboundledger.h"

namespace confab::server {

namespace {
template<typename Key> void add(QHash<Key, qint64> &totals, const Key &key, qint64 delta)
{
    const auto it = totals.find(key);
    if (it == totals.end()) {
        if (delta > 0)
            totals.insert(key, delta);
        return;
    }
    *it += delta;
    if (*it <= 0)
        totals.erase(it);
}
} // namespace

void OutboundLedger::adjust(const QHostAddress &address, qint64 user, qint64 delta)
{
    if (delta == 0)
        return;
    m_total += delta;
    m_peakTotal = std::max(m_peakTotal, m_total);
    add(m_byAddress, address, delta);
    if (user != 0)
        add(m_byAccount, user, delta);
}

bool OutboundLedger::overCap(const QHostAddress &address, qint64 user) const
{
    return m_byAddress.value(address) > m_bounds.perAddress
        || (user != 0 && m_byAccount.value(user) > m_bounds.perAccount);
}

} // namespace confab::server
