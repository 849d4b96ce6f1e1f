// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QHash>
#include <QList>
#include <QSet>
#include <optional>
#include <utility>

namespace confab::server {

/*!
 * \brief Who is online on the other instances, as they told this one: each instance's
 * signed-in users, kept while the instance is heard from.
 *
 * An instance tells its changes as they happen, a heartbeat every few seconds, and its
 * whole list when another instance asks (after that one's doorbell was away). An instance
 * not heard from within the time-out is gone (killed, cut off): its users are offline
 * unless another instance has them.
 */
class RemotePresence
{
public:
    //! Users whose "online elsewhere" changed, with the new value.
    using Changes = QList<std::pair<qint64, bool>>;

    /*! \brief \a instance says \a user came online there, or went offline. */
    Changes set(qint64 instance, qint64 user, bool online, qint64 nowMs);
    /*! \brief \a instance is alive. */
    void heard(qint64 instance, qint64 nowMs);
    /*! \brief \a instance starts its whole list: the set() calls up to end() are all of it. */
    void begin(qint64 instance, qint64 nowMs);
    Changes end(qint64 instance, qint64 nowMs);
    /*! \brief Forgets the instances not heard from since \a nowMs - \a timeoutMs. */
    Changes expire(qint64 nowMs, qint64 timeoutMs);

    /*! \brief Whether \a user is online on another instance. */
    bool isOnline(qint64 user) const { return m_count.contains(user); }

private:
    struct Instance
    {
        QSet<qint64> users;
        qint64 heardMs = 0;
        std::optional<QSet<qint64>> listing; //!< between begin() and end()
    };
    void count(qint64 user, int delta, Changes *changes);

    QHash<qint64, Instance> m_instances;
    QHash<qint64, int> m_count; //!< user -> instances that have them online
};

} // namespace confab::server
