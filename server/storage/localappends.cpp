// SPDX-License-Identifier: GPL-3.0-or-later
#include "storage/localappends.h"

namespace confab::server {

void LocalAppends::stage(qint64 room, qint64 seq)
{
    std::lock_guard lock(m_mutex);
    m_pending[room].insert(seq);
    m_staged.append({room, seq});
}

void LocalAppends::commitStaged()
{
    std::lock_guard lock(m_mutex);
    m_staged.clear();
}

void LocalAppends::discardStaged()
{
    std::lock_guard lock(m_mutex);
    for (const auto &[room, seq] : std::as_const(m_staged)) {
        auto it = m_pending.find(room);
        if (it == m_pending.end())
            continue;
        it->erase(seq);
        if (it->empty())
            m_pending.erase(it);
    }
    m_staged.clear();
}

qint64 LocalAppends::firstAfter(qint64 room, qint64 after) const
{
    std::lock_guard lock(m_mutex);
    const auto it = m_pending.constFind(room);
    if (it == m_pending.cend())
        return 0;
    const auto first = it->upper_bound(after);
    return first == it->end() ? 0 : *first;
}

void LocalAppends::delivered(qint64 room, qint64 seq)
{
    std::lock_guard lock(m_mutex);
    auto it = m_pending.find(room);
    if (it == m_pending.end())
        return;
    // Everything up to it: a seq delivered by a catch-up instead (a commit whose reply was
    // lost) must not hold the room back forever.
    it->erase(it->begin(), it->upper_bound(seq));
    if (it->empty())
        m_pending.erase(it);
}

} // namespace confab::server
