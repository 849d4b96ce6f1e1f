// SPDX-License-Identifier: GPL-3.0-or-later
#include "auth/sessioncache.h"

#include "core/monotonicclock.h"

namespace confab::server {

std::optional<SessionRecord> SessionCache::find(const QByteArray &tokenHash) const
{
    const auto it = m_state->byHash.constFind(tokenHash);
    if (!m_state->trusted || it == m_state->byHash.cend() || m_state->revoking.contains(it->userId))
        return std::nullopt;
    if (m_state->maxAgeMs > 0
        && monotonicMs() - m_state->rememberedMs.value(tokenHash) > m_state->maxAgeMs)
        return std::nullopt;
    return it.value();
}

void SessionCache::remember(const QByteArray &tokenHash, const SessionRecord &session)
{
    State &s = *m_state;
    if (!s.trusted || s.revoking.contains(session.userId))
        return;
    if (s.byHash.size() >= Budget && !s.byHash.contains(tokenHash)) {
        s.byHash.clear();
        s.byUser.clear();
        s.rememberedMs.clear();
    }
    s.byHash.insert(tokenHash, session);
    if (s.maxAgeMs > 0)
        s.rememberedMs.insert(tokenHash, monotonicMs());
    s.byUser[session.userId].insert(tokenHash);
}

void SessionCache::forgetUser(qint64 user)
{
    m_state->forget(user);
}

void SessionCache::setTrusted(bool trusted)
{
    m_state->trusted = trusted;
    if (!trusted) {
        m_state->byHash.clear();
        m_state->byUser.clear();
        m_state->rememberedMs.clear();
    }
}

void SessionCache::State::forget(qint64 user)
{
    const auto it = byUser.find(user);
    if (it == byUser.end())
        return;
    for (const QByteArray &hash : std::as_const(*it)) {
        byHash.remove(hash);
        rememberedMs.remove(hash);
    }
    byUser.erase(it);
}

std::shared_ptr<void> SessionCache::revoking(qint64 user)
{
    m_state->forget(user);
    ++m_state->revoking[user];
    const std::weak_ptr<State> weak = m_state;
    return std::shared_ptr<void>(nullptr, [weak, user](void *) {
        const std::shared_ptr<State> s = weak.lock();
        if (!s)
            return;
        // Whatever was remembered before the write was queued is forgotten again.
        s->forget(user);
        const auto it = s->revoking.find(user);
        if (it != s->revoking.end() && --*it <= 0)
            s->revoking.erase(it);
        if (s->revoked)
            s->revoked(user);
    });
}

} // namespace confab::server
