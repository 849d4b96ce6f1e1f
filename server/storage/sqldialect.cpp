// SPDX-License-Identifier: GPL-3.0-or-later
#include "storage/sqldialect.h"

#include <QRegularExpression>

using namespace Qt::StringLiterals;

namespace confab::server::sqldialect {

SqlDialect of(const QSqlDatabase &db)
{
    return db.driverName() == "QPSQL"_L1 ? SqlDialect::PostgreSQL : SqlDialect::SQLite;
}

QString translate(const QString &sql, SqlDialect dialect)
{
    if (dialect == SqlDialect::SQLite)
        return sql;
    QString out = sql;
    static const QRegularExpression insertOrIgnore(u"^\\s*INSERT OR IGNORE INTO"_s);
    if (out.contains(insertOrIgnore)) {
        out.replace(insertOrIgnore, u"INSERT INTO"_s);
        const qsizetype returning = out.indexOf(u" RETURNING "_s);
        if (returning >= 0)
            out.insert(returning, u" ON CONFLICT DO NOTHING"_s);
        else
            out.append(u" ON CONFLICT DO NOTHING"_s);
    }
    // SQLite's CROSS JOIN is an inner join that fixes the loop order; PostgreSQL's takes no ON.
    static const QRegularExpression crossJoinOn(u"\\bCROSS JOIN (\\w+ \\w+ ON)\\b"_s);
    out.replace(crossJoinOn, u"JOIN \\1"_s);
    static const QRegularExpression instr(u"\\binstr\\("_s);
    out.replace(instr, u"strpos("_s);
    static const QRegularExpression scalarMax(u"\\bmax\\((\\w+), \\?\\)"_s);
    out.replace(scalarMax, u"greatest(\\1, ?)"_s);
    // Aliases are lower case and keywords upper case throughout storage/.
    static const QRegularExpression jsonEach(u"\\bjson_each\\(\\?\\)( AS)? ([a-z]\\w*)\\b"_s);
    out.replace(jsonEach, u"json_array_elements_text(CAST(? AS json)) AS \\2(value)"_s);
    static const QRegularExpression jsonEachBare(u"\\bjson_each\\(\\?\\)"_s);
    out.replace(jsonEachBare, u"json_array_elements_text(CAST(? AS json)) AS j(value)"_s);
    static const QRegularExpression jsonItem(
        u"\\bjson_extract\\((\\w+)\\.value, '\\$\\[(\\d+)\\]'\\)"_s);
    out.replace(jsonItem, u"CAST(CAST(\\1.value AS json)->>\\2 AS BIGINT)"_s);
    return out;
}

QVariant bindable(const QVariant &value, SqlDialect dialect)
{
    if (dialect == SqlDialect::SQLite)
        return value;
    if (value.typeId() == QMetaType::Bool)
        return QVariant(qint64(value.toBool() ? 1 : 0));
    if (value.typeId() == QMetaType::QString && value.toString().isNull() && !value.isNull())
        return QVariant(u""_s);
    return value;
}

} // namespace confab::server::sqldialect
