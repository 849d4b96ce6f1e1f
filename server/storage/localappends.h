// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QHash>
#include <QList>
#include <mutex>
#include <set>
#include <utility>

namespace confab::server {

/*!
 * \brief The seqs this instance's writer appended that its event loop has not delivered
 * yet, when several instances share one PostgreSQL.
 *
 * An instance that catches up on the others' events reads `seq > cursor` from the
 * database, where its own committed events are visible before their completions run. It
 * stops before the first seq listed here, so that its own events go out through their
 * completions, after their acks, and never twice.
 *
 * The writer stages a seq in the transaction that appends it, before the commit (a reader
 * may see the row the moment it commits), and drops what it staged if the transaction did
 * not commit: the seq is then free for another instance. The event loop drops a seq once
 * it delivered it.
 */
class LocalAppends
{
public:
    /*! \brief Writer thread: \a room's \a seq was appended in the open transaction. */
    void stage(qint64 room, qint64 seq);
    /*! \brief Writer thread: the transaction committed; its seqs stay until delivered. */
    void commitStaged();
    /*! \brief Writer thread: the transaction did not commit; its seqs are not ours. */
    void discardStaged();

    /*! \brief Event loop: the lowest seq of \a room above \a after still undelivered; 0 if none. */
    qint64 firstAfter(qint64 room, qint64 after) const;
    /*! \brief Event loop: \a room's \a seq has gone out. */
    void delivered(qint64 room, qint64 seq);

private:
    mutable std::mutex m_mutex;
    QHash<qint64, std::set<qint64>> m_pending;
    QList<std::pair<qint64, qint64>> m_staged;
};

} // namespace confab::server
