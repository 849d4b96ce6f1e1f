// SPDX-License-Identifier: GPL-3.0-or-later
#include "chat/typingtracker.h"

namespace confab::server {

bool TypingTracker::set(qint64 room, qint64 user, bool typing, qint64 expiresAtMs)
{
    const Key key {room, user};
    if (!typing)
        return m_expiry.remove(key) > 0;
    const bool wasTyping = m_expiry.contains(key);
    m_expiry.insert(key, expiresAtMs);
    return !wasTyping;
}

QList<TypingTracker::Key> TypingTracker::expire(qint64 nowMs)
{
    QList<Key> expired;
    for (auto it = m_expiry.begin(); it != m_expiry.end();) {
        if (it.value() <= nowMs) {
            expired.append(it.key());
            it = m_expiry.erase(it);
        } else {
            ++it;
        }
    }
    return expired;
}

QList<TypingTracker::Key> TypingTracker::clearUser(qint64 user)
{
    QList<Key> cleared;
    for (auto it = m_expiry.begin(); it != m_expiry.end();) {
        if (it.key().second == user) {
            cleared.append(it.key());
            it = m_expiry.erase(it);
        } else {
            ++it;
        }
    }
    return cleared;
}

} // namespace confab::server
