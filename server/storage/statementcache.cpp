// SPDX-License-Identifier: GPL-3.0-or-later
#include "storage/statementcache.h"

#include "core/logging.h"

#include <QSqlError>

namespace confab::server {

StatementCache::StatementCache(const QSqlDatabase &db)
    : m_db(db)
{ }

QSqlQuery *StatementCache::run(const QString &sql, const QVariantList &values)
{
    // In WAL mode a statement that was not stepped to its end keeps its read
    // snapshot open, and the connection stops seeing newer commits. Each run
    // starts from the latest commit; callers finish reading before running another.
    // Before the lookup: an insert below may move the statement m_active points to.
    finishAll();
    auto it = m_statements.find(sql);
    if (it == m_statements.end()) {
        QSqlQuery q(m_db);
        q.setForwardOnly(true);
        if (!q.prepare(sql)) {
            qCWarning(lcStorage) << "prepare failed:" << q.lastError().text() << sql;
            return nullptr;
        }
        it = m_statements.emplace(sql, std::move(q));
    }
    QSqlQuery &q = it.value();
    m_active = &q;
    for (int i = 0; i < values.size(); ++i)
        q.bindValue(i, values.at(i));
    if (!q.exec()) {
        qCWarning(lcStorage) << "query failed:" << q.lastError().text() << sql;
        return nullptr;
    }
    return &q;
}

void StatementCache::finishAll()
{
    // Every run finishes the one before, so only the last can still be reading.
    if (m_active && m_active->isActive())
        m_active->finish();
    m_active = nullptr;
}

} // namespace confab::server
