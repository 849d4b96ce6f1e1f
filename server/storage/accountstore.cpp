// SPDX-License-Identifier: GPL-3.0-or-later
#include "storage/accountstore.h"

#include "storage/statementcache.h"
#include "storage/writecontext.h"

using namespace Qt::StringLiterals;

namespace confab::server::accountstore {

namespace {
const QString UserColumns
    = u"SELECT id, name, password_hash, disabled, admin, created_ms, deleted_ms > 0 FROM users "_s;

UserRecord userFrom(const QSqlQuery &q)
{
    return UserRecord {q.value(0).toLongLong(), q.value(1).toString(), q.value(2).toString(),
        q.value(3).toBool(), q.value(4).toBool(), q.value(5).toLongLong(), q.value(6).toBool()};
}

std::optional<UserRecord> readUser(QSqlQuery *q)
{
    if (!q || !q->next())
        return std::nullopt;
    return userFrom(*q);
}
} // namespace

QString nameKey(const QString &name)
{
    return name.toLower();
}

std::optional<UserRecord> userByName(StatementCache &db, const QString &name)
{
    return readUser(
        db.run(UserColumns + u"WHERE name_key = ? AND deleted_ms = 0"_s, {nameKey(name)}));
}

std::optional<UserRecord> anyUserByName(StatementCache &db, const QString &name)
{
    return readUser(db.run(UserColumns + u"WHERE name_key = ?"_s, {nameKey(name)}));
}

std::optional<UserRecord> userById(StatementCache &db, qint64 id)
{
    return readUser(db.run(UserColumns + u"WHERE id = ?"_s, {id}));
}

std::optional<SessionRecord> session(StatementCache &db, const QByteArray &tokenHash)
{
    QSqlQuery *q
        = db.run(u"SELECT t.user_id, u.name, t.expires_ms, u.disabled, u.admin, s.id, s.device "
                 u"FROM tokens t JOIN users u ON u.id = t.user_id "
                 u"LEFT JOIN sessions s ON s.token_hash = t.hash WHERE t.hash = ?"_s,
            {tokenHash});
    if (!q || !q->next())
        return std::nullopt;
    return SessionRecord {q->value(0).toLongLong(), q->value(1).toString(),
        q->value(2).toLongLong(), q->value(3).toBool(), q->value(4).toBool(),
        q->value(5).toLongLong(), q->value(6).toString()};
}

QList<UserRecord> allUsers(StatementCache &db)
{
    QList<UserRecord> users;
    QSqlQuery *q = db.run(UserColumns + u"ORDER BY name_key"_s);
    while (q && q->next()) {
        users.append(userFrom(*q));
        users.last().passwordHash.clear();
    }
    return users;
}

QList<UserRecord> searchUsers(
    StatementCache &db, const QString &query, int limit, bool includeDisabled)
{
    // instr, not LIKE: a % or _ in the query is a character of a name, not a wildcard.
    const QString key = nameKey(query.isNull() ? u""_s : query);
    QList<UserRecord> users;
    // The display name matches too (§18.2); a prefix of either name ranks first.
    QSqlQuery *q = db.run(UserColumns
            + u"WHERE (instr(name_key, ?) > 0 OR instr(display_key, ?) > 0) "
              u"AND (CAST(? AS BIGINT) = 1 OR disabled = 0) AND deleted_ms = 0 "
              u"ORDER BY instr(name_key, ?) != 1 AND instr(display_key, ?) != 1, name_key "
              u"LIMIT ?"_s,
        {key, key, includeDisabled ? 1 : 0, key, key, limit});
    while (q && q->next()) {
        users.append(userFrom(*q));
        users.last().passwordHash.clear();
    }
    return users;
}

bool userById(WriteContext &ctx, qint64 id, std::optional<UserRecord> *user)
{
    QSqlQuery *q = ctx.run(UserColumns + u"WHERE id = ?"_s, {id});
    if (!q)
        return false;
    *user = readUser(q);
    q->finish();
    return true;
}

bool nameTaken(WriteContext &ctx, const QString &name, bool *taken)
{
    QSqlQuery *q = ctx.run(u"SELECT 1 FROM users WHERE name_key = ?"_s, {nameKey(name)});
    if (!q)
        return false;
    *taken = q->next();
    q->finish();
    return true;
}

bool oldestUser(WriteContext &ctx, std::optional<UserRecord> *user)
{
    // A deleted account cannot author anything new (§18.1).
    QSqlQuery *q = ctx.run(UserColumns + u"WHERE deleted_ms = 0 ORDER BY id LIMIT 1"_s);
    if (!q)
        return false;
    *user = readUser(q);
    q->finish();
    return true;
}

namespace {
// pg_advisory_xact_lock's key for registrations ("cfab" "user").
constexpr qint64 FirstAccountLock = 0x6366616275736572;
} // namespace

bool insertUser(WriteContext &ctx, const QString &name, const QString &passwordHash, qint64 *id)
{
    // The first account of a server is its admin (§17.1): decided in the insert itself, so
    // two registrations can never both be first. On PostgreSQL two instances' inserts may
    // each not see the other's row (READ COMMITTED): registrations take turns there, the
    // lock held to the commit, so the later insert sees the earlier one.
    if (ctx.dialect() == SqlDialect::PostgreSQL
        && !ctx.run(u"SELECT pg_advisory_xact_lock(?)"_s, {FirstAccountLock}))
        return false;
    QSqlQuery *q
        = ctx.run(u"INSERT INTO users(name, name_key, password_hash, created_ms, admin) "
                  u"VALUES(?, ?, ?, ?, CASE WHEN EXISTS(SELECT 1 FROM users) THEN 0 ELSE 1 END) "
                  u"RETURNING id"_s,
            {name, nameKey(name), passwordHash, ctx.now()});
    if (!q || !q->next())
        return false;
    *id = q->value(0).toLongLong();
    q->finish();
    return true;
}

bool insertToken(WriteContext &ctx, const QByteArray &tokenHash, qint64 userId, qint64 expiresMs)
{
    return ctx.run(
        u"INSERT INTO tokens(hash, user_id, created_ms, expires_ms) VALUES(?, ?, ?, ?)"_s,
        {tokenHash, userId, ctx.now(), expiresMs});
}

bool deleteToken(WriteContext &ctx, const QByteArray &tokenHash)
{
    return ctx.run(u"DELETE FROM tokens WHERE hash = ?"_s, {tokenHash});
}

bool deleteUserTokens(WriteContext &ctx, qint64 userId)
{
    return ctx.run(u"DELETE FROM tokens WHERE user_id = ?"_s, {userId});
}

bool deleteExpiredTokens(WriteContext &ctx)
{
    return ctx.run(u"DELETE FROM tokens WHERE expires_ms <= ?"_s, {ctx.now()});
}

bool setPasswordHash(WriteContext &ctx, qint64 userId, const QString &passwordHash)
{
    return ctx.run(u"UPDATE users SET password_hash = ? WHERE id = ?"_s, {passwordHash, userId});
}

bool setDisabled(WriteContext &ctx, qint64 userId, bool disabled)
{
    return ctx.run(u"UPDATE users SET disabled = ? WHERE id = ?"_s, {disabled ? 1 : 0, userId});
}

bool markDeleted(WriteContext &ctx, qint64 userId)
{
    // The avatar stops being referenced by the profile (§16.6); a message may still have it.
    return ctx.run(u"UPDATE files SET unreferenced_ms = ? WHERE unreferenced_ms IS NULL "
                   u"AND id = (SELECT avatar_file FROM users WHERE id = ?) "
                   u"AND NOT EXISTS(SELECT 1 FROM attachments a JOIN events e "
                   u"ON e.id = a.event_id AND e.redacted = 0 WHERE a.file_id = files.id)"_s,
               {ctx.now(), userId})
        // The server role goes too: nobody can act with it any more, and counting it would
        // let the last admin who is still there give up theirs (§17.5).
        && ctx.run(u"UPDATE users SET deleted_ms = ?, password_hash = '', display_name = '', "
                   u"display_key = '', status = '', avatar_file = NULL, admin = 0 WHERE id = ?"_s,
            {ctx.now(), userId});
}

bool accountLive(WriteContext &ctx, qint64 userId, bool *live)
{
    QSqlQuery *q = ctx.run(u"SELECT 1 FROM users WHERE id = ? AND deleted_ms = 0"_s, {userId});
    if (!q)
        return false;
    *live = q->next();
    q->finish();
    return true;
}

bool hasDeletedMember(WriteContext &ctx, qint64 roomId, bool *deleted)
{
    QSqlQuery *q = ctx.run(u"SELECT 1 FROM members m JOIN users u ON u.id = m.user_id "
                           u"WHERE m.room_id = ? AND u.deleted_ms > 0"_s,
        {roomId});
    if (!q)
        return false;
    *deleted = q->next();
    q->finish();
    return true;
}

bool setAdmin(WriteContext &ctx, qint64 userId, bool admin)
{
    return ctx.run(u"UPDATE users SET admin = ? WHERE id = ?"_s, {admin ? 1 : 0, userId});
}

bool enabledAdmins(WriteContext &ctx, int *count)
{
    QSqlQuery *q = ctx.run(
        u"SELECT COUNT(*) FROM users WHERE admin = 1 AND disabled = 0 AND deleted_ms = 0"_s);
    if (!q || !q->next())
        return false;
    *count = q->value(0).toInt();
    q->finish();
    return true;
}

bool insertInvite(WriteContext &ctx, const QByteArray &codeHash, int uses)
{
    return ctx.run(u"INSERT INTO invites(code_hash, uses_left, created_ms) VALUES(?, ?, ?)"_s,
        {codeHash, uses, ctx.now()});
}

bool consumeInvite(WriteContext &ctx, const QByteArray &codeHash, bool *found)
{
    QSqlQuery *q = ctx.run(u"UPDATE invites SET uses_left = uses_left - 1 "
                           u"WHERE code_hash = ? AND uses_left > 0"_s,
        {codeHash});
    if (!q)
        return false;
    *found = q->numRowsAffected() == 1;
    return true;
}

bool inviteValid(WriteContext &ctx, const QByteArray &codeHash, bool *valid)
{
    QSqlQuery *q
        = ctx.run(u"SELECT 1 FROM invites WHERE code_hash = ? AND uses_left > 0"_s, {codeHash});
    if (!q)
        return false;
    *valid = q->next();
    q->finish();
    return true;
}

bool logAdminAction(WriteContext &ctx, const QString &action, qint64 subject)
{
    return ctx.run(u"INSERT INTO admin_log(action, subject, ts) VALUES(?, ?, ?)"_s,
        {action, subject, ctx.now()});
}

} // namespace confab::server::accountstore
