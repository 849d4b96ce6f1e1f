// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QSqlDatabase>
#include <QString>

/*!
 * \brief The server database's schema on PostgreSQL: the tables of database::schema() at
 * its latest version, with the same names and columns so that storage/ speaks one SQL to
 * both, and what several instances on one database need besides (rooms.last_seq).
 *
 * Made in one step, not replayed from SQLite's migrations: a PostgreSQL database starts at
 * the version its first confabd knew, and `confabd migrate` (SqliteImport) copies a SQLite
 * database at that version into it.
 */
namespace confab::server::postgres::schema {

/*! \brief The version a database made by this binary has; database::schema()'s latest. */
int latestVersion();

/*! \brief The database's version; 0 for one without Confab's tables, -1 on an error. */
int version(QSqlDatabase &db, QString *error);

/*!
 * \brief Makes the tables in an empty database, in one transaction; a database already at
 * latestVersion() is left alone, a newer one is refused (an older binary beside a newer one
 * must not write to it). Several instances starting at once are serialised by an advisory
 * lock, so exactly one makes the tables.
 */
bool migrate(QSqlDatabase &db, QString *error);

} // namespace confab::server::postgres::schema
