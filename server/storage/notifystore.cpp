// SPDX-License-Identifier: GPL-3.0-or-later
#include "storage/notifystore.h"

#include "storage/statementcache.h"
#include "storage/writecontext.h"

#include <QSqlError>
#include <QSqlQuery>

using namespace Qt::StringLiterals;

namespace confab::server::notifystore {

protocol::NotifyLevel level(StatementCache &db, qint64 roomId, qint64 userId)
{
    return storedLevel(db, roomId, userId).value_or(protocol::NotifyLevel::All);
}

std::optional<protocol::NotifyLevel> storedLevel(StatementCache &db, qint64 roomId, qint64 userId)
{
    QSqlQuery *q = db.run(
        u"SELECT notify FROM members WHERE room_id = ? AND user_id = ?"_s, {roomId, userId});
    if (!q)
        return std::nullopt;
    if (!q->next())
        return q->lastError().isValid() ? std::nullopt : std::optional(protocol::NotifyLevel::All);
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
    return storedDndUntil(db, userId).value_or(0);
}

std::optional<qint64> storedDndUntil(StatementCache &db, qint64 userId)
{
    QSqlQuery *q = db.run(u"SELECT dnd_until_ms FROM users WHERE id = ?"_s, {userId});
    if (!q)
        return std::nullopt;
    if (!q->next())
        return q->lastError().isValid() ? std::nullopt : std::optional<qint64>(0);
    return q->value(0).toLongLong();
}

QHash<qint64, qint64> allDndUntil(StatementCache &db)
{
    QHash<qint64, qint64> all;
    QSqlQuery *q = db.run(u"SELECT id, dnd_until_ms FROM users WHERE deleted_ms = 0"_s);
    while (q && q->next())
        all.insert(q->value(0).toLongLong(), q->value(1).toLongLong());
    if (q && q->lastError().isValid())
        all.clear();
    if (q)
        q->finish();
    return all;
}

QList<MemberState> memberStates(StatementCache &db, qsizetype limit)
{
    QList<MemberState> rows;
    QSqlQuery *q
        = db.run(u"SELECT room_id, user_id, read_seq, notify FROM members LIMIT ?"_s, {limit});
    while (q && q->next()) {
        rows.append({q->value(0).toLongLong(), q->value(1).toLongLong(), q->value(2).toLongLong(),
            q->value(3).toInt()});
    }
    if (q && q->lastError().isValid())
        rows.clear();
    if (q)
        q->finish();
    return rows;
}

bool setDndUntil(WriteContext &ctx, qint64 userId, qint64 untilMs)
{
    return ctx.run(u"UPDATE users SET dnd_until_ms = ? WHERE id = ?"_s, {untilMs, userId});
}

} // namespace confab::server::notifystore
