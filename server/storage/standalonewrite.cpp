// SPDX-License-Identifier: GPL-3.0-or-later
#include "storage/standalonewrite.h"

#include "storage/statementcache.h"
#include "storage/writecontext.h"

#include <QDateTime>
#include <QSqlError>
#include <QSqlQuery>

using namespace Qt::StringLiterals;

namespace confab::server {

StandaloneWrite::StandaloneWrite(const QString &connectionName)
    : m_connectionName(connectionName)
{ }

StandaloneWrite::~StandaloneWrite()
{
    if (m_open)
        m_db.rollback();
    // Statements and the handle go before the connection is removed.
    m_context.reset();
    m_reads.reset();
    m_db.close();
    m_db = {};
    database::close(m_connectionName);
}

bool StandaloneWrite::begin(const QString &path, Durability durability, QString *error)
{
    m_db = database::open(path, m_connectionName, durability, error);
    if (error->isEmpty())
        database::migrate(m_db, error);
    if (!error->isEmpty())
        return false;
    m_reads = std::make_unique<StatementCache>(m_db);
    m_context = std::make_unique<WriteContext>(m_db);
    m_context->setNow(QDateTime::currentMSecsSinceEpoch());
    // IMMEDIATE: the write lock from the start. A deferred transaction reads first, and if
    // the running server commits meanwhile (a session's last-seen time, §18.1) it can no
    // longer upgrade to a write: SQLite answers "database is locked" without waiting.
    // PostgreSQL locks rows as they are written, so a plain BEGIN never hits that.
    QSqlQuery begin(m_db);
    if (!begin.exec(
            sqldialect::of(m_db) == SqlDialect::PostgreSQL ? u"BEGIN"_s : u"BEGIN IMMEDIATE"_s)) {
        *error = begin.lastError().text();
        return false;
    }
    m_open = true;
    return true;
}

bool StandaloneWrite::commit(QString *error)
{
    if (!m_db.commit()) {
        *error = database::lastError(m_db);
        return false;
    }
    m_open = false;
    return true;
}

} // namespace confab::server
