// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QHash>
#include <functional>
#include <memory>

namespace confab::server {

/*!
 * \brief The keys a queued write is changing, for the caches of what storage says (issue 17).
 *
 * A cache filled from the reader could otherwise remember the old value between a write's
 * commit and its completion, and answer with it after the commit. So a write that changes
 * what a cache holds takes hold() before it is queued and keeps the handle in its completion:
 * while any handle for a key lives, readers go to storage and remember nothing for it.
 * Completions run, and are destroyed, on the event loop's thread; a job that failed is
 * destroyed there too, so a handle never outlives its write for long.
 */
template<typename Key> class InFlight
{
public:
    bool contains(const Key &key) const { return m_counts->contains(key); }

    /*!
     * \brief Marks \a key as changing until the returned handle's last copy is gone; then
     * \a released runs (to drop what was cached before the write was queued), unless this
     * object is gone by then.
     */
    [[nodiscard]] std::shared_ptr<void> hold(const Key &key, std::function<void()> released = {})
    {
        ++(*m_counts)[key];
        const std::weak_ptr<QHash<Key, int>> weak = m_counts;
        return std::shared_ptr<void>(nullptr, [weak, key, released = std::move(released)](void *) {
            const auto counts = weak.lock();
            if (!counts)
                return;
            const auto it = counts->find(key);
            if (it != counts->end() && --*it <= 0)
                counts->erase(it);
            if (released)
                released();
        });
    }

private:
    // Shared with the handles, which may outlive this object.
    std::shared_ptr<QHash<Key, int>> m_counts = std::make_shared<QHash<Key, int>>();
};

} // namespace confab::server
