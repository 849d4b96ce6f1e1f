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
    // In WAL mode a statement that was not stepped to its end keeps its read
    // snapshot open, and the connection stops seeing newer commits. Each run
    // starts from the latest commit; callers finish reading before running another.
    finishAll();
    QSqlQuery &q = it.value();
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
    for (auto it = m_statements.begin(); it != m_statements.end(); ++it) {
        if (it.value().isActive())
            it.value().finish();
    }
}

} // namespace confab::server
