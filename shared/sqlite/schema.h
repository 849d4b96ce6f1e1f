// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QList>
#include <QSqlDatabase>
#include <QString>
#include <QStringList>
#include <functional>

namespace confab::sqlite {

/*!
 * \brief One step of a schema: takes a file from version - 1 to \c version.
 */
struct Migration
{
    int version = 0; //!< the version this step produces; the first is 1
    QStringList statements; //!< run in order
    /*! Runs after the statements, inside the step's transaction (it must not begin or end
     * one), for steps SQL alone cannot express; returns false and sets the error to abort
     * the step. May be empty. */
    std::function<bool(QSqlDatabase &db, QString *error)> run;
};

/*!
 * \brief A SQLite file's schema as an ordered list of migrations, versioned by
 * \c{PRAGMA user_version}.
 *
 * Version 1 is the schema as it was when versioning began; later migrations are only
 * ever appended. migrate() applies the missing steps, each in one transaction together
 * with its \c{PRAGMA user_version = N}, so a step that fails leaves the file at the
 * version before it, data and all.
 *
 * A file at version 0 that already holds tables was written before its schema was
 * versioned. It is adopted as version 1 when each of its tables has exactly the columns
 * migration 1 gives that table; what migration 1 creates and the file lacks (left out by a
 * crash between the old code's statements) is created. A file at version 0 with anything
 * else is refused, as is a file whose version is newer than the last migration (written by
 * a newer build): neither is ever changed.
 */
class Schema
{
public:
    /*! \a name says in messages which file this is ("server database", "client cache"). */
    Schema(QString name, QList<Migration> migrations);

    QString name() const { return m_name; }
    const QList<Migration> &migrations() const { return m_migrations; }
    int latestVersion() const;

    /*!
     * \brief Brings \a db to latestVersion(). On failure logs why, sets \a error and
     * returns false; the file stays at the last version that committed.
     *
     * Each step takes SQLite's write lock before it reads the version, so two processes
     * opening the same file at once (confabd and an admin command) migrate it once.
     */
    bool migrate(QSqlDatabase &db, QString *error) const;

    /*! \brief \c{PRAGMA user_version} of \a db, or -1 if it cannot be read. */
    static int version(const QSqlDatabase &db);

private:
    bool step(QSqlDatabase &db, bool *done, QString *error) const;
    bool adopt(QSqlDatabase &db, QString *error) const;
    bool apply(QSqlDatabase &db, const Migration &migration, QString *error) const;

    QString m_name;
    QList<Migration> m_migrations;
};

} // namespace confab::sqlite
