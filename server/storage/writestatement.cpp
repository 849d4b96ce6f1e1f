// SPDX-License-Identifier: GPL-3.0-or-later
#include "storage/writestatement.h"

#include <QSqlError>

using namespace Qt::StringLiterals;

namespace confab::server {

namespace {
// SQLSTATE unique_violation
const QString UniqueViolation = u"23505"_s;
} // namespace

WriteStatement::WriteStatement(sqlite3 *handle, const char *sql)
    : m_lite(std::make_unique<sqlite::Statement>(handle, sql))
{ }

WriteStatement::WriteStatement(const QSqlDatabase &db, const char *sql)
    : m_query(std::in_place, db)
    , m_sql(sqldialect::translate(QString::fromUtf8(sql), SqlDialect::PostgreSQL))
{
    m_query->setForwardOnly(true);
    m_prepared = m_query->prepare(m_sql);
}

WriteStatement::~WriteStatement() = default;

bool WriteStatement::ok() const
{
    return m_lite ? m_lite->ok() : m_prepared;
}

bool WriteStatement::execQuery(const QVariantList &values)
{
    // A prepare that failed (the server refused it for now) is tried again, not kept.
    if (!m_prepared && !(m_prepared = m_query->prepare(m_sql)))
        return false;
    for (qsizetype i = 0; i < values.size(); ++i)
        m_query->bindValue(int(i), values.at(i));
    return m_query->exec();
}

bool WriteStatement::finish(bool ok)
{
    m_query->finish();
    return ok;
}

qint64 WriteStatement::int64(int column) const
{
    return m_lite ? m_lite->int64(column) : m_query->value(column).toLongLong();
}

QString WriteStatement::text(int column) const
{
    return m_lite ? m_lite->text(column) : m_query->value(column).toString();
}

bool WriteStatement::repeatedKey() const
{
    return m_lite ? m_lite->repeatedKey()
                  : m_query->lastError().nativeErrorCode() == UniqueViolation;
}

QString WriteStatement::errorText() const
{
    return m_lite ? m_lite->errorText() : m_query->lastError().text();
}

} // namespace confab::server
