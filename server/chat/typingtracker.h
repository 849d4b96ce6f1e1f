// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QHash>
#include <QList>
#include <QPair>

namespace confab::server {

/*!
 * \brief Who is typing where. Memory only: typing is never stored, and an
 * indicator the client forgets to clear expires on its own.
 */
class TypingTracker
{
public:
    using Key = QPair<qint64, qint64>; // room, user

    /*! \brief Records a typing state; true if others should be told (the state changed). */
    bool set(qint64 room, qint64 user, bool typing, qint64 expiresAtMs);
    /*! \brief Removes and returns every indicator that expired by \a nowMs. */
    QList<Key> expire(qint64 nowMs);
    /*! \brief Removes and returns every indicator of \a user. */
    QList<Key> clearUser(qint64 user);

private:
    QHash<Key, qint64> m_expiry;
};

} // namespace confab::server
