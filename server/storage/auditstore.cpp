// SPDX-License-Identifier: GPL-3.0-or-later
#include "storage/auditstore.h"

#include "storage/statementcache.h"
#include "storage/writecontext.h"

#include <limits>

using namespace Qt::StringLiterals;

namespace confab::server::auditstore {

bool append(WriteContext &ctx, qint64 actorId, const QString &action, const QString &subject,
    const QString &detail)
{
    const auto textOf = [](const QString &s) { return s.isNull() ? u""_s : s; };
    return ctx.run(
        u"INSERT INTO audit(ts, actor_id, action, subject, detail) VALUES(?, ?, ?, ?, ?)"_s,
        {ctx.now(), actorId > 0 ? QVariant(actorId) : QVariant(), textOf(action), textOf(subject),
            textOf(detail)});
}

QList<AuditRecord> page(StatementCache &db, qint64 beforeId, int limit)
{
    QList<AuditRecord> entries;
    const qint64 before = beforeId > 0 ? beforeId : std::numeric_limits<qint64>::max();
    QSqlQuery *q = db.run(u"SELECT a.id, a.ts, COALESCE(u.name, ''), a.action, a.subject, a.detail "
                          u"FROM audit a LEFT JOIN users u ON u.id = a.actor_id WHERE a.id < ? "
                          u"ORDER BY a.id DESC LIMIT ?"_s,
        {before, limit});
    while (q && q->next())
        entries.append(
            AuditRecord {q->value(0).toLongLong(), q->value(1).toLongLong(), q->value(2).toString(),
                q->value(3).toString(), q->value(4).toString(), q->value(5).toString()});
    return entries;
}

} // namespace confab::server::auditstore
