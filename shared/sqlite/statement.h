// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QSqlDatabase>
#include <QString>
#include <optional>

struct sqlite3;
struct sqlite3_stmt;

namespace confab::sqlite {

/*! \brief Binds SQL NULL in Statement::exec() and Statement::first(). */
struct Null
{
};

/*!
 * \brief One prepared statement on a connection's sqlite3 handle, bound and stepped
 * through the C API.
 *
 * For the few statements a hot path runs per message: Qt SQL spends more on QVariant
 * binding, QSqlField records and result bookkeeping than SQLite spends running them.
 * exec() and first() reset the statement before returning, so it never holds a read
 * snapshot open, and texts are bound without a copy (they outlive the call). Nothing is
 * logged here: a caller expecting a constraint error (a repeated key) tells it from others.
 */
class Statement
{
public:
    /*! \brief Prepares \a sql (a string literal) on \a db; see ok(). */
    Statement(sqlite3 *db, const char *sql);
    ~Statement();
    Statement(const Statement &) = delete;
    Statement &operator=(const Statement &) = delete;

    bool ok() const { return m_stmt != nullptr; }

    /*! \brief Binds \a values in order and runs the statement to its end. False on an error. */
    template<typename... Values> bool exec(const Values &...values)
    {
        if (!bindAll(values...))
            return finish(false);
        return finish(stepDone());
    }

    /*!
     * \brief Binds \a values, steps once and, if there is a row, sets \a *found and calls
     * \a read with this statement (read its columns with int64() and text()). False on an error.
     */
    template<typename Read, typename... Values>
    bool first(bool *found, Read &&read, const Values &...values)
    {
        if (!bindAll(values...))
            return finish(false);
        const int rc = step();
        *found = rc == Row;
        if (*found)
            read(*this);
        return finish(rc == Row || rc == Done);
    }

    qint64 int64(int column) const;
    QString text(int column) const;

    /*! \brief The last error's extended result code (SQLITE_CONSTRAINT_UNIQUE, …); 0 if none. */
    int errorCode() const { return m_error; }
    /*! \brief Whether the last error was a UNIQUE constraint: the row's key is taken. */
    bool repeatedKey() const;
    QString errorText() const;

    /*!
     * \brief The sqlite3 handle under a Qt SQL connection, or nullptr if \a db is not an open
     * SQLite connection or its driver was built against another SQLite than this program
     * (the handle would then belong to a different library).
     */
    static sqlite3 *handle(const QSqlDatabase &db);

    /*! \brief The rowid of the last row this connection inserted. */
    static qint64 lastInsertRowId(sqlite3 *db);

private:
    static constexpr int Row = 100; // SQLITE_ROW
    static constexpr int Done = 101; // SQLITE_DONE

    bool bind(int index, qint64 value);
    bool bind(int index, int value) { return bind(index, qint64(value)); }
    bool bind(int index, const QString &value);
    bool bind(int index, Null);
    template<typename T> bool bind(int index, const std::optional<T> &value)
    {
        return value ? bind(index, *value) : bind(index, Null {});
    }
    template<typename... Values> bool bindAll(const Values &...values)
    {
        m_error = 0;
        [[maybe_unused]] int index = 0;
        return (bind(++index, values) && ...);
    }
    int step();
    bool stepDone() { return step() == Done; }
    /*! \brief Resets the statement, keeping the error if \a ok is false; returns \a ok. */
    bool finish(bool ok);

    sqlite3 *m_db = nullptr;
    sqlite3_stmt *m_stmt = nullptr;
    const char *m_sql = nullptr;
    int m_error = 0;
};

} // namespace confab::sqlite
