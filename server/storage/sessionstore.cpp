// SPDX-License-Identifier: GPL-3.0-or-later
#include "storage/sessionstore.h"

#include "storage/statementcache.h"
#include "storage/writecontext.h"

using namespace Qt::StringLiterals;

namespace confab::server::sessionstore {

QList<SessionRow> sessionsOf(StatementCache &db, qint64 userId, qint64 nowMs)
{
    QList<SessionRow> sessions;
    QSqlQuery *q = db.run(
        u"SELECT s.id, s.token_hash, s.device, s.address, s.created_ms, s.last_seen_ms "
        u"FROM sessions s JOIN tokens t ON t.hash = s.token_hash "
        u"WHERE s.user_id = ? AND t.expires_ms > ? ORDER BY s.last_seen_ms DESC, s.id DESC"_s,
        {userId, nowMs});
    while (q && q->next()) {
        sessions.append(
            SessionRow {q->value(0).toLongLong(), q->value(1).toByteArray(), q->value(2).toString(),
                q->value(3).toString(), q->value(4).toLongLong(), q->value(5).toLongLong()});
    }
    return sessions;
}

QList<std::pair<QByteArray, SessionRecord>> liveSessions(
    StatementCache &db, qint64 nowMs, qsizetype limit)
{
    QList<std::pair<QByteArray, SessionRecord>> live;
    // The columns of accountstore::session(), for every token at once.
    QSqlQuery *q
        = db.run(u"SELECT t.hash, t.user_id, u.name, t.expires_ms, u.disabled, u.admin, s.id, "
                 u"s.device FROM tokens t JOIN users u ON u.id = t.user_id "
                 u"LEFT JOIN sessions s ON s.token_hash = t.hash "
                 u"WHERE t.expires_ms > ? AND u.disabled = 0 "
                 u"ORDER BY coalesce(s.last_seen_ms, 0) DESC LIMIT ?"_s,
            {nowMs, limit});
    while (q && q->next()) {
        live.append({q->value(0).toByteArray(),
            SessionRecord {q->value(1).toLongLong(), q->value(2).toString(),
                q->value(3).toLongLong(), q->value(4).toBool(), q->value(5).toBool(),
                q->value(6).toLongLong(), q->value(7).toString()}});
    }
    // A read cut short by an error leaves the rest to be read at each sign-in.
    if (q)
        q->finish();
    return live;
}

bool insertSession(WriteContext &ctx, const QByteArray &tokenHash, qint64 userId,
    const QString &device, const QString &address)
{
    return ctx.run(u"INSERT INTO sessions(token_hash, user_id, device, address, created_ms, "
                   u"last_seen_ms) VALUES(?, ?, ?, ?, ?, ?)"_s,
        // A null QString binds as SQL NULL: a request without `device` names no device.
        {tokenHash, userId, device.isNull() ? u""_s : device, address.isNull() ? u""_s : address,
            ctx.now(), ctx.now()});
}

bool touchSession(WriteContext &ctx, const QByteArray &tokenHash, const QString &address)
{
    // A connection whose address is unknown says nothing about where the device is now.
    return ctx.run(u"UPDATE sessions SET last_seen_ms = ?, "
                   u"address = coalesce(nullif(?, ''), address) WHERE token_hash = ?"_s,
        {ctx.now(), address.isNull() ? u""_s : address, tokenHash});
}

bool touchSessions(WriteContext &ctx, const QList<Touch> &touches)
{
    for (const Touch &t : touches) {
        if (!ctx.run(u"UPDATE sessions SET last_seen_ms = max(last_seen_ms, ?), "
                     u"address = coalesce(nullif(?, ''), address) WHERE token_hash = ?"_s,
                {t.atMs, t.address.isNull() ? u""_s : t.address, t.tokenHash}))
            return false;
    }
    return true;
}

bool tokenLive(WriteContext &ctx, const QByteArray &tokenHash, bool *live)
{
    QSqlQuery *q = ctx.run(
        u"SELECT 1 FROM tokens WHERE hash = ? AND expires_ms > ?"_s, {tokenHash, ctx.now()});
    if (!q)
        return false;
    *live = q->next();
    q->finish();
    return true;
}

bool tokenOfSession(WriteContext &ctx, qint64 userId, qint64 sessionId, QByteArray *tokenHash)
{
    QSqlQuery *q = ctx.run(
        u"SELECT token_hash FROM sessions WHERE id = ? AND user_id = ?"_s, {sessionId, userId});
    if (!q)
        return false;
    *tokenHash = q->next() ? q->value(0).toByteArray() : QByteArray();
    q->finish();
    return true;
}

bool deleteOtherTokens(WriteContext &ctx, qint64 userId, const QByteArray &keep, int *count)
{
    // Expired tokens the sweep has not pruned yet go too, but they ended long ago: the
    // count is of the sessions this call ends, as `sessions` listed them.
    QSqlQuery *q = ctx.run(
        u"SELECT COUNT(*) FROM tokens WHERE user_id = ? AND hash != ? AND expires_ms > ?"_s,
        {userId, keep, ctx.now()});
    if (!q || !q->next())
        return false;
    *count = q->value(0).toInt();
    q->finish();
    return ctx.run(u"DELETE FROM tokens WHERE user_id = ? AND hash != ?"_s, {userId, keep});
}

} // namespace confab::server::sessionstore
