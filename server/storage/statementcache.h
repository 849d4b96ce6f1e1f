// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "storage/database.h"
#include "storage/sqldialect.h"

#include <QDeadlineTimer>
#include <QHash>
#include <QSqlDatabase>
#include <QSqlQuery>
#include <QVariantList>
#include <optional>

namespace confab::server {

/*!
 * \brief Prepared statements for one connection, prepared on first use and reused.
 *
 * Every query Confab runs goes through here, so user input only ever reaches
 * SQLite as a bound value.
 */
class StatementCache
{
public:
    explicit StatementCache(const QSqlDatabase &db);

    /*!
     * \brief Binds \a values positionally and runs \a sql. Returns the active
     * query, positioned before its first row, or nullptr after logging the error.
     * Any other statement of this cache still being read is reset first, so read
     * a result to the end (or copy it) before running the next query.
     */
    QSqlQuery *run(const QString &sql, const QVariantList &values = {});

    /*!
     * \brief Resets every statement still being read, ending this connection's read
     * snapshot: a checkpoint cannot truncate the write-ahead log while one is open.
     */
    void finishAll();

    QSqlDatabase &database() { return m_db; }
    SqlDialect dialect() const { return m_dialect; }

    /*!
     * \brief On PostgreSQL, a statement that fails because the server went away connects
     * again (set as with \a durability) and runs once more. Only for a connection used
     * outside transactions: the server's reader, not the writer's.
     */
    void reconnectOnLoss(Durability durability) { m_reconnectWith = durability; }

private:
    QSqlQuery *runOnce(const QString &sql, const QVariantList &values, QString *error);

    QSqlDatabase m_db;
    SqlDialect m_dialect;
    std::optional<Durability> m_reconnectWith;
    static constexpr int ReconnectPauseMs = 2000;
    QDeadlineTimer m_reconnectPause {0}; //!< no reconnect before it expires
    QHash<QString, QSqlQuery> m_statements;
    QSqlQuery *m_active = nullptr; //!< the statement run last, which may still be reading
};

} // namespace confab::server
