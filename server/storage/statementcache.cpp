// SPDX-License-Identifier: GPL-3.0-or-later
#include "storage/statementcache.h"

#include "core/logging.h"
#include "storage/database.h"
#include "storage/sqldialect.h"

#include <QSqlError>

using namespace Qt::StringLiterals;

namespace confab::server {

StatementCache::StatementCache(const QSqlDatabase &db)
    : m_db(db)
    , m_dialect(sqldialect::of(db))
{ }

QSqlQuery *StatementCache::run(const QString &sql, const QVariantList &values)
{
    QString error;
    QSqlQuery *q = runOnce(sql, values, &error);
    // After a failed reconnect the next tries wait a while: each one can take libpq's
    // connect_timeout, on the event loop's thread.
    if (q || !m_reconnectWith || m_dialect != SqlDialect::PostgreSQL
        || !m_reconnectPause.hasExpired() || database::isAlive(m_db)) {
        if (!q)
            qCWarning(lcStorage).noquote() << error;
        return q;
    }
    // The server went away (a restart, a failover): connect again and try once more.
    m_active = nullptr;
    m_statements.clear();
    QString reconnectError;
    if (!database::reconnect(m_db, *m_reconnectWith, &reconnectError)) {
        qCWarning(lcStorage) << "the database is unreachable:" << reconnectError;
        m_reconnectPause.setRemainingTime(ReconnectPauseMs);
        return nullptr;
    }
    qCInfo(lcStorage) << "reconnected to the database";
    q = runOnce(sql, values, &error);
    if (!q)
        qCWarning(lcStorage).noquote() << error;
    return q;
}

QSqlQuery *StatementCache::runOnce(const QString &sql, const QVariantList &values, QString *error)
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
        if (!q.prepare(sqldialect::translate(sql, m_dialect))) {
            *error = u"prepare failed: %1 %2"_s.arg(q.lastError().text(), sql);
            return nullptr;
        }
        it = m_statements.emplace(sql, std::move(q));
    }
    QSqlQuery &q = it.value();
    m_active = &q;
    for (int i = 0; i < values.size(); ++i)
        q.bindValue(i, sqldialect::bindable(values.at(i), m_dialect));
    if (!q.exec()) {
        *error = u"query failed: %1 %2"_s.arg(q.lastError().text(), sql);
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
