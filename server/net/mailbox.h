// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <mutex>
#include <utility>
#include <vector>

namespace confab::server {

/*!
 * \brief A queue from any thread to one consumer thread, taken whole.
 *
 * The consumer is woken once per batch, not per item: post() says whether the mailbox was
 * empty (the consumer must be woken), and take() swaps the whole queue out under the lock,
 * handing its own emptied vector back so that neither side allocates in the steady state.
 */
template<typename T> class Mailbox
{
public:
    /*! \brief Queues \a item; true if the consumer has to be woken for it. */
    bool post(T item)
    {
        std::lock_guard lock(m_mutex);
        m_items.push_back(std::move(item));
        return !std::exchange(m_wakeDue, true);
    }

    /*! \brief Moves everything queued into \a out, which must be empty. */
    void take(std::vector<T> &out)
    {
        std::lock_guard lock(m_mutex);
        m_wakeDue = false;
        out.swap(m_items);
    }

private:
    std::mutex m_mutex;
    std::vector<T> m_items;
    bool m_wakeDue = false; //!< a wake-up is on its way; further posts need none
};

} // namespace confab::server
