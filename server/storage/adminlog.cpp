// SPDX-License-Identifier: GPL-3.0-or-later
#include "storage/adminlog.h"

#include "storage/statementcache.h"

using namespace Qt::StringLiterals;

namespace confab::server::adminlog {

qint64 latestId(StatementCache &db)
{
    QSqlQuery *q = db.run(u"SELECT COALESCE(MAX(id), 0) FROM admin_log"_s);
    return q && q->next() ? q->value(0).toLongLong() : 0;
}

std::optional<QList<Action>> since(StatementCache &db, qint64 afterId)
{
    QList<Action> actions;
    QSqlQuery *q = db.run(
        u"SELECT id, action, subject FROM admin_log WHERE id > ? ORDER BY id"_s, {afterId});
    if (!q)
        return std::nullopt;
    while (q->next())
        actions.append(
            {q->value(0).toLongLong(), q->value(1).toString(), q->value(2).toLongLong()});
    return actions;
}

} // namespace confab::server::adminlog
