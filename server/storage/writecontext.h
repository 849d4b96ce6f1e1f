// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "protocol/roomevent.h"
#include "storage/statementcache.h"
#include "storage/writestatement.h"

#include <QHash>
#include <memory>
#include <unordered_map>

struct sqlite3;

namespace confab::server::postgres::eventlog {
struct Statements;
}

namespace confab::server {

class LocalAppends;

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
    ~WriteContext();
    WriteContext(const WriteContext &) = delete;
    WriteContext &operator=(const WriteContext &) = delete;

    /*! \brief See StatementCache::run(). */
    QSqlQuery *run(const QString &sql, const QVariantList &values = {})
    {
        return m_statements.run(sql, values);
    }

    /*!
     * \brief The statement \a sql, prepared on first use, for the statements run per
     * message (WriteStatement). \a sql must be a string literal: statements are kept by its
     * address.
     */
    WriteStatement &statement(const char *sql);

    /*! \brief False on SQLite if the connection's sqlite3 handle cannot be used (see
     * sqlite::Statement). */
    bool hasHandle() const { return m_handle != nullptr || dialect() == SqlDialect::PostgreSQL; }

    SqlDialect dialect() const { return m_statements.dialect(); }

    /*!
     * \brief Appends \a event to its room's log: assigns id, seq and timestamp.
     * \a senderId is the sender's user id. False on a database error, or, with
     * \a repeatedTxn given, when the sender already has an event with this txn: then
     * \a *repeatedTxn is true, nothing was written and the transaction goes on.
     * On PostgreSQL the seq comes from the room's row (postgres::eventlog), which any
     * instance may have advanced.
     */
    bool appendEvent(protocol::RoomEvent &event, qint64 senderId, bool *repeatedTxn = nullptr);

    /*! \brief events.detail for \a event: the members of a team event (§17.7) other than
     * its user, as a JSON object with the wire's names, only those set; "" when none. */
    static QString detailOf(const protocol::RoomEvent &event);

    qint64 now() const { return m_now; }
    void setNow(qint64 ms) { m_now = ms; }

    /*! \brief Forgets cached sequence numbers; used after a rollback. */
    void resetSequences() { m_lastSeq.clear(); }

    QSqlDatabase &database() { return m_statements.database(); }

    /*! \brief Where appendEvent() stages the seqs it takes on PostgreSQL (LocalAppends). */
    void setLocalAppends(LocalAppends *appends) { m_local = appends; }

private:
    qint64 lastSeq(qint64 room, bool *ok);

    StatementCache m_statements;
    sqlite3 *m_handle = nullptr;
    std::unordered_map<const char *, std::unique_ptr<WriteStatement>> m_raw;
    std::unique_ptr<postgres::eventlog::Statements> m_appends; //!< on PostgreSQL
    QHash<qint64, qint64> m_lastSeq;
    qint64 m_now = 0;
    LocalAppends *m_local = nullptr;
};

} // namespace confab::server
