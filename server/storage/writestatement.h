// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "sqlite/statement.h"
#include "storage/sqldialect.h"

#include <QSqlQuery>
#include <memory>
#include <optional>

namespace confab::server {

/*!
 * \brief A statement the writer runs per message: on SQLite through the C API
 * (sqlite::Statement, where Qt SQL's binding costs more than the statement), on
 * PostgreSQL through QPSQL, whose cost is the round trip. Same calls for both.
 */
class WriteStatement
{
public:
    /*! \brief On SQLite: \a sql prepared on \a handle. */
    WriteStatement(sqlite3 *handle, const char *sql);
    /*! \brief On PostgreSQL: \a sql (SQLite's spelling, see sqldialect) prepared on \a db. */
    WriteStatement(const QSqlDatabase &db, const char *sql);
    ~WriteStatement();
    WriteStatement(const WriteStatement &) = delete;
    WriteStatement &operator=(const WriteStatement &) = delete;

    bool ok() const;

    /*! \brief See sqlite::Statement::exec(). */
    template<typename... Values> bool exec(const Values &...values)
    {
        if (m_lite)
            return m_lite->exec(values...);
        return execQuery({variant(values)...}) && finish(true);
    }

    /*! \brief See sqlite::Statement::first(); \a read gets this statement. */
    template<typename Read, typename... Values>
    bool first(bool *found, Read &&read, const Values &...values)
    {
        if (m_lite)
            return m_lite->first(
                found, [&](const sqlite::Statement &) { read(*this); }, values...);
        if (!execQuery({variant(values)...}))
            return false;
        *found = m_query->next();
        if (*found)
            read(*this);
        return finish(true);
    }

    qint64 int64(int column) const;
    QString text(int column) const;

    /*! \brief Whether the last error was a UNIQUE constraint. On PostgreSQL the error also
     * ended the transaction; a caller that must go on uses ON CONFLICT instead. */
    bool repeatedKey() const;
    QString errorText() const;

private:
    static QVariant variant(qint64 v) { return QVariant(v); }
    static QVariant variant(int v) { return QVariant(qint64(v)); }
    static QVariant variant(const QString &v)
    {
        return v.isNull() ? QVariant(QStringLiteral("")) : QVariant(v);
    }
    static QVariant variant(sqlite::Null) { return QVariant(QMetaType::fromType<qint64>()); }
    template<typename T> static QVariant variant(const std::optional<T> &v)
    {
        return v ? variant(*v) : variant(sqlite::Null {});
    }
    bool execQuery(const QVariantList &values);
    bool finish(bool ok);

    std::unique_ptr<sqlite::Statement> m_lite;
    std::optional<QSqlQuery> m_query;
    QString m_sql;
    bool m_prepared = false;
};

} // namespace confab::server
