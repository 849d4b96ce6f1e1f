// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "protocol/roomevent.h"
#include "storage/statementcache.h"

#include <QHash>

namespace confab::server {

/*!
 * \brief What a write job sees on the writer thread: the write connection,
 * cached prepared statements, and the per-room sequence counters.
 *
 * Only the writer thread touches it, so nothing here is locked.
 */
class WriteContext
{
public:
    explicit WriteContext(const QSqlDatabase &db);

    /*! \brief See StatementCache::run(). */
    QSqlQuery *run(const QString &sql, const QVariantList &values = {})
    {
        return m_statements.run(sql, values);
    }

    /*!
     * \brief Appends \a event to its room's log: assigns id, seq and timestamp.
     * \a senderId is the sender's user id. False on a database error.
     */
    bool appendEvent(protocol::RoomEvent &event, qint64 senderId);

    qint64 now() const { return m_now; }
    void setNow(qint64 ms) { m_now = ms; }

    /*! \brief Forgets cached sequence numbers; used after a rollback. */
    void resetSequences() { m_lastSeq.clear(); }

    QSqlDatabase &database() { return m_statements.database(); }

private:
    qint64 lastSeq(qint64 room, bool *ok);

    StatementCache m_statements;
    QHash<qint64, qint64> m_lastSeq;
    qint64 m_now = 0;
};

} // namespace confab::server
