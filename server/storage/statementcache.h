// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QHash>
#include <QSqlDatabase>
#include <QSqlQuery>
#include <QVariantList>

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

private:
    QSqlDatabase m_db;
    QHash<QString, QSqlQuery> m_statements;
    QSqlQuery *m_active = nullptr; //!< the statement run last, which may still be reading
};

} // namespace confab::server
