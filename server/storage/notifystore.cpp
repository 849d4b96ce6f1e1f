// SPDX-License-Identifier: GPL-3.0-or-later
#include "storage/notifystore.h"

#include "storage/statementcache.h"
#include "storage/writecontext.h"

#include <QSqlQuery>

using namespace Qt::StringLiterals;

namespace confab::server::notifystore {

protocol::NotifyLevel level(StatementCache &db, qint64 roomId, qint64 userId)
{
    QSqlQuery *q = db.run(
        u"SELECT notify FROM members WHERE room_id = ? AND user_id = ?"_s, {roomId, userId});
    if (!q || !q->next())
        return protocol::NotifyLevel::All;
    const int value = q->value(0).toInt();
    // A number this build does not know (a newer server wrote it) reads as the default.
    if (value < int(protocol::NotifyLevel::All) || value > int(protocol::NotifyLevel::Nothing))
        return protocol::NotifyLevel::All;
    return protocol::NotifyLevel(value);
}

bool setLevel(
    WriteContext &ctx, qint64 roomId, qint64 userId, protocol::NotifyLevel level, bool *member)
{
    QSqlQuery *q = ctx.run(u"UPDATE members SET notify = ? WHERE room_id = ? AND user_id = ?"_s,
        {int(level), roomId, userId});
    if (!q)
        return false;
    *member = q->numRowsAffected() > 0;
    return true;
}

qint64 dndUntil(StatementCache &db, qint64 userId)
{
    QSqlQuery *q = db.run(u"SELECT dnd_until_ms FROM users WHERE id = ?"_s, {userId});
    return q && q->next() ? q->value(0).toLongLong() : 0;
}

bool setDndUntil(WriteContext &ctx, qint64 userId, qint64 untilMs)
{
    return ctx.run(u"UPDATE users SET dnd_until_ms = ? WHERE id = ?"_s, {untilMs, userId});
}

} // namespace confab::server::notifystore
