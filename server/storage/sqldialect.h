// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QSqlDatabase>
#include <QString>
#include <QVariant>

namespace confab::server {

/*! \brief The SQL engine under a connection: storage/ writes SQLite's SQL, and the few
 * places PostgreSQL spells differently are rewritten for it here. */
enum class SqlDialect
{
    SQLite,
    PostgreSQL,
};

/*!
 * \brief The only place that knows how SQLite's SQL and PostgreSQL's differ.
 *
 * Stores keep one text per statement, written for SQLite in the subset both engines share
 * (upserts with ON CONFLICT, coalesce(), RETURNING, aliased subqueries, casts to BIGINT).
 * What has no shared spelling is rewritten once, when a statement is first prepared:
 * - `INSERT OR IGNORE INTO …` becomes `INSERT INTO … ON CONFLICT DO NOTHING`;
 * - `CROSS JOIN t a ON …` (SQLite's inner join in a fixed loop order) becomes `JOIN`;
 * - `instr(a, b)` becomes `strpos(a, b)`, and the two-argument `max(a, ?)` `greatest(a, ?)`;
 * - `json_each(?) j` (a JSON array bound as text) becomes `json_array_elements_text(…)`,
 *   whose values are text: compare them through `CAST(j.value AS BIGINT)`, and
 *   `json_extract(j.value, '$[N]')` reads the Nth number of an inner array.
 * Full-text search has no common form at all and lives in its own files per engine.
 */
namespace sqldialect {

SqlDialect of(const QSqlDatabase &db);

/*! \brief \a sql, written for SQLite, as \a dialect spells it. */
QString translate(const QString &sql, SqlDialect dialect);

/*!
 * \brief \a value as \a dialect binds it: PostgreSQL's integer columns refuse the
 * booleans QPSQL makes of a bool, so a bool is bound as 0 or 1 as SQLite stores it. A null
 * QString is bound as '' on PostgreSQL (a NULL asked for, QVariant(QMetaType), stays
 * NULL); on SQLite it stays as Qt binds it, NULL. Callers write '' where a column is NOT
 * NULL, so both engines store the same.
 */
QVariant bindable(const QVariant &value, SqlDialect dialect);

} // namespace sqldialect
} // namespace confab::server
