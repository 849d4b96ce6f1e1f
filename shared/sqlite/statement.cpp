// SPDX-License-Identifier: GPL-3.0-or-later
#include "sqlite/statement.h"

#include <QSqlDriver>
#include <QSqlQuery>
#include <QVariant>
#include <sqlite3.h>

namespace confab::sqlite {

static_assert(SQLITE_ROW == 100 && SQLITE_DONE == 101);

Statement::Statement(sqlite3 *db, const char *sql)
    : m_db(db)
    , m_sql(sql)
{
    // Persistent: it is run for every message, for as long as the connection is open.
    const int rc = sqlite3_prepare_v3(db, sql, -1, SQLITE_PREPARE_PERSISTENT, &m_stmt, nullptr);
    if (rc != SQLITE_OK) {
        m_error = sqlite3_extended_errcode(db);
        sqlite3_finalize(m_stmt);
        m_stmt = nullptr;
    }
}

Statement::~Statement()
{
    sqlite3_finalize(m_stmt);
}

qint64 Statement::int64(int column) const
{
    return sqlite3_column_int64(m_stmt, column);
}

QString Statement::text(int column) const
{
    const auto *utf8 = reinterpret_cast<const char *>(sqlite3_column_text(m_stmt, column));
    return QString::fromUtf8(utf8, sqlite3_column_bytes(m_stmt, column));
}

bool Statement::repeatedKey() const
{
    return m_error == SQLITE_CONSTRAINT_UNIQUE;
}

QString Statement::errorText() const
{
    return QString::fromUtf8(sqlite3_errstr(m_error)) + u": "
        + QString::fromUtf8(sqlite3_errmsg(m_db)) + u" in " + QString::fromUtf8(m_sql);
}

sqlite3 *Statement::handle(const QSqlDatabase &db)
{
    if (!db.isOpen() || !db.driver())
        return nullptr;
    const QVariant v = db.driver()->handle();
    if (!v.isValid() || qstrcmp(v.typeName(), "sqlite3*") != 0)
        return nullptr;
    sqlite3 *handle = *static_cast<sqlite3 *const *>(v.constData());
    // A driver with its own copy of SQLite hands out a handle this library cannot use.
    // Asked through the driver, the version is that copy's; it must be ours.
    QSqlQuery q(db);
    if (!q.exec(QStringLiteral("SELECT sqlite_source_id()")) || !q.next()
        || q.value(0).toString() != QString::fromUtf8(sqlite3_sourceid()))
        return nullptr;
    return handle;
}

qint64 Statement::lastInsertRowId(sqlite3 *db)
{
    return sqlite3_last_insert_rowid(db);
}

bool Statement::bind(int index, qint64 value)
{
    return sqlite3_bind_int64(m_stmt, index, value) == SQLITE_OK;
}

bool Statement::bind(int index, const QString &value)
{
    // QString's UTF-16 is bound as it is: SQLite converts it once, as Qt SQL would. A null
    // QString is bound as "" (constData(), unlike utf16(), never allocates).
    return sqlite3_bind_text16(
               m_stmt, index, value.constData(), int(value.size() * 2), SQLITE_STATIC)
        == SQLITE_OK;
}

bool Statement::bind(int index, Null)
{
    return sqlite3_bind_null(m_stmt, index) == SQLITE_OK;
}

int Statement::step()
{
    const int rc = sqlite3_step(m_stmt);
    if (rc != SQLITE_ROW && rc != SQLITE_DONE)
        m_error = m_stmt ? sqlite3_extended_errcode(m_db) : SQLITE_MISUSE;
    return rc;
}

bool Statement::finish(bool ok)
{
    if (ok)
        m_error = 0;
    else if (!m_error)
        m_error = m_stmt ? sqlite3_extended_errcode(m_db) : SQLITE_MISUSE;
    sqlite3_reset(m_stmt);
    return ok;
}

} // namespace confab::sqlite
