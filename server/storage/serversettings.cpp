// SPDX-License-Identifier: GPL-3.0-or-later
#include "storage/serversettings.h"

#include "storage/statementcache.h"
#include "storage/writecontext.h"

using namespace Qt::StringLiterals;

namespace confab::server::serversettings {

namespace {
const QString ValueQuery = u"SELECT value FROM server_settings WHERE key = ?"_s;

std::optional<QString> readValue(QSqlQuery *q)
{
    if (!q || !q->next())
        return std::nullopt;
    QString v = q->value(0).toString();
    q->finish();
    return v;
}
} // namespace

std::optional<QString> value(StatementCache &db, QLatin1StringView key)
{
    return readValue(db.run(ValueQuery, {QString(key)}));
}

bool value(WriteContext &ctx, QLatin1StringView key, std::optional<QString> *value)
{
    QSqlQuery *q = ctx.run(ValueQuery, {QString(key)});
    if (!q)
        return false;
    *value = readValue(q);
    return true;
}

bool setValue(WriteContext &ctx, QLatin1StringView key, const QString &value)
{
    return ctx.run(u"INSERT INTO server_settings(key, value) VALUES(?, ?) "
                   u"ON CONFLICT(key) DO UPDATE SET value = excluded.value"_s,
        {QString(key), value.isNull() ? u""_s : value});
}

bool probeWrite(WriteContext &ctx)
{
    // Written and removed in one transaction: the page still changes, so the commit takes
    // the write lock, appends to the WAL and syncs like any other, and nothing is left.
    const QString key = u"confabd.health_probe"_s;
    return ctx.run(u"INSERT INTO server_settings(key, value) VALUES(?, '') "
                   u"ON CONFLICT(key) DO UPDATE SET value = ''"_s,
               {key})
        && ctx.run(u"DELETE FROM server_settings WHERE key = ?"_s, {key});
}

} // namespace confab::server::serversettings
