// SPDX-License-Identifier: GPL-3.0-or-later
#include "chat/remotepresence.h"

namespace confab::server {

void RemotePresence::count(qint64 user, int delta, Changes *changes)
{
    int &n = m_count[user];
    const bool before = n > 0;
    n += delta;
    const bool after = n > 0;
    if (n <= 0)
        m_count.remove(user);
    if (before != after)
        changes->append({user, after});
}

RemotePresence::Changes RemotePresence::set(qint64 instance, qint64 user, bool online, qint64 nowMs)
{
    Changes changes;
    Instance &i = m_instances[instance];
    i.heardMs = nowMs;
    if (i.listing && online)
        i.listing->insert(user);
    if (online && !i.users.contains(user)) {
        i.users.insert(user);
        count(user, +1, &changes);
    } else if (!online && i.users.remove(user)) {
        count(user, -1, &changes);
    }
    return changes;
}

void RemotePresence::heard(qint64 instance, qint64 nowMs)
{
    m_instances[instance].heardMs = nowMs;
}

void RemotePresence::begin(qint64 instance, qint64 nowMs)
{
    Instance &i = m_instances[instance];
    i.heardMs = nowMs;
    i.listing.emplace();
}

RemotePresence::Changes RemotePresence::end(qint64 instance, qint64 nowMs)
{
    Changes changes;
    Instance &i = m_instances[instance];
    i.heardMs = nowMs;
    if (!i.listing)
        return changes;
    // Whoever the list left out went offline while this instance was not listening.
    const QSet<qint64> gone = i.users - *i.listing;
    for (const qint64 user : gone) {
        i.users.remove(user);
        count(user, -1, &changes);
    }
    i.listing.reset();
    return changes;
}

RemotePresence::Changes RemotePresence::expire(qint64 nowMs, qint64 timeoutMs)
{
    Changes changes;
    for (auto it = m_instances.begin(); it != m_instances.end();) {
        if (nowMs - it->heardMs < timeoutMs) {
            ++it;
            continue;
        }
        for (const qint64 user : std::as_const(it->users))
            count(user, -1, &changes);
        it = m_instances.erase(it);
    }
    return changes;
}

} // namespace confab::server
