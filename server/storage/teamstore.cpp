// SPDX-License-Identifier: GPL-3.0-or-later
#include "storage/teamstore.h"

#include "core/logging.h"
#include "storage/statementcache.h"
#include "storage/writecontext.h"

#include <QSqlError>

using namespace Qt::StringLiterals;

namespace confab::server::teamstore {

namespace {
const QString RoleQuery = u"SELECT role FROM members WHERE room_id = ? AND user_id = ?"_s;

// A sanction in force: without an end, or ending after now (§17.4: nothing marks the end).
const QString SanctionQuery
    = u"SELECT kind, until_ms, reason, COALESCE(by_id, 0), created_ms FROM sanctions "
      u"WHERE room_id = ? AND user_id = ? AND kind = ? AND (until_ms = 0 OR until_ms > ?)"_s;

const QString InviteSeqQuery
    = u"SELECT event_seq FROM room_invites WHERE room_id = ? AND user_id = ?"_s;

const QString InviteColumns
    = u"SELECT i.room_id, r.name, r.topic, r.private, u.name, i.created_ms, i.event_seq "
      u"FROM room_invites i JOIN rooms r ON r.id = i.room_id JOIN users u ON u.id = i.by_id "_s;
const QString OneInvite = InviteColumns + u"WHERE i.room_id = ? AND i.user_id = ?"_s;
// created_ms ties (two invitations in one write) fall back to the room: a stable order.
const QString InvitesOfUser
    = InviteColumns + u"WHERE i.user_id = ? ORDER BY i.created_ms, i.room_id"_s;

std::optional<SanctionRecord> readSanction(QSqlQuery *q)
{
    if (!q || !q->next())
        return std::nullopt;
    return SanctionRecord {q->value(0).toInt(), q->value(1).toLongLong(), q->value(2).toString(),
        q->value(3).toLongLong(), q->value(4).toLongLong()};
}

RoomInviteRecord inviteFrom(const QSqlQuery &q)
{
    return RoomInviteRecord {q.value(0).toLongLong(), q.value(1).toString(), q.value(2).toString(),
        q.value(3).toBool(), q.value(4).toString(), q.value(5).toLongLong(),
        q.value(6).toLongLong()};
}

QVariant idOrNull(qint64 id)
{
    return id > 0 ? QVariant(id) : QVariant();
}

// Qt binds a null QString as SQL NULL; the text columns hold "" for "none".
QString text(const QString &s)
{
    return s.isNull() ? u""_s : s;
}
} // namespace

std::optional<int> role(StatementCache &db, qint64 roomId, qint64 userId)
{
    QSqlQuery *q = db.run(RoleQuery, {roomId, userId});
    if (!q || !q->next())
        return std::nullopt;
    const int rank = q->value(0).toInt();
    q->finish();
    return rank;
}

bool role(WriteContext &ctx, qint64 roomId, qint64 userId, std::optional<int> *role)
{
    QSqlQuery *q = ctx.run(RoleQuery, {roomId, userId});
    if (!q)
        return false;
    *role = q->next() ? std::optional<int>(q->value(0).toInt()) : std::nullopt;
    q->finish();
    return true;
}

bool setRole(WriteContext &ctx, qint64 roomId, qint64 userId, int role)
{
    return ctx.run(
        u"UPDATE members SET role = ? WHERE room_id = ? AND user_id = ?"_s, {role, roomId, userId});
}

bool setRoomSettings(WriteContext &ctx, qint64 roomId, bool isPrivate, int invitesBy)
{
    return ctx.run(u"UPDATE rooms SET private = ?, invites_by = ? WHERE id = ?"_s,
        {isPrivate ? 1 : 0, invitesBy, roomId});
}

bool roomSettings(WriteContext &ctx, qint64 roomId, bool *isPrivate, int *invitesBy)
{
    QSqlQuery *q = ctx.run(u"SELECT private, invites_by FROM rooms WHERE id = ?"_s, {roomId});
    if (!q)
        return false;
    const bool found = q->next();
    *isPrivate = found && q->value(0).toInt() != 0;
    *invitesBy = found ? q->value(1).toInt() : 0;
    q->finish();
    return true;
}

std::optional<SanctionRecord> activeSanction(
    StatementCache &db, qint64 roomId, qint64 userId, int kind, qint64 nowMs)
{
    QSqlQuery *q = db.run(SanctionQuery, {roomId, userId, kind, nowMs});
    std::optional<SanctionRecord> sanction = readSanction(q);
    if (q)
        q->finish();
    return sanction;
}

bool activeSanction(WriteContext &ctx, qint64 roomId, qint64 userId, int kind,
    std::optional<SanctionRecord> *sanction)
{
    // Per message (a mute is checked in the message's transaction): through the C API.
    WriteStatement &q = ctx.statement(
        "SELECT kind, until_ms, reason, COALESCE(by_id, 0), created_ms FROM sanctions "
        "WHERE room_id = ? AND user_id = ? AND kind = ? AND (until_ms = 0 OR until_ms > ?)");
    bool found = false;
    const auto read = [sanction](const WriteStatement &row) {
        *sanction = SanctionRecord {
            int(row.int64(0)), row.int64(1), row.text(2), row.int64(3), row.int64(4)};
    };
    sanction->reset();
    if (!q.first(&found, read, roomId, userId, kind, ctx.now())) {
        qCWarning(lcStorage) << "query failed:" << q.errorText();
        return false;
    }
    return true;
}

bool putSanction(WriteContext &ctx, qint64 roomId, qint64 userId, const SanctionRecord &sanction)
{
    return ctx.run(u"INSERT INTO sanctions(room_id, user_id, kind, until_ms, reason, by_id, "
                   u"created_ms) VALUES(?, ?, ?, ?, ?, ?, ?) ON CONFLICT(room_id, user_id, kind) "
                   u"DO UPDATE SET until_ms = excluded.until_ms, reason = excluded.reason, "
                   u"by_id = excluded.by_id, created_ms = excluded.created_ms"_s,
        {roomId, userId, sanction.kind, sanction.untilMs, text(sanction.reason),
            idOrNull(sanction.byId), ctx.now()});
}

bool removeSanction(WriteContext &ctx, qint64 roomId, qint64 userId, int kind, bool *removed)
{
    if (removed) {
        std::optional<SanctionRecord> active;
        if (!activeSanction(ctx, roomId, userId, kind, &active))
            return false;
        *removed = active.has_value();
    }
    return ctx.run(u"DELETE FROM sanctions WHERE room_id = ? AND user_id = ? AND kind = ?"_s,
        {roomId, userId, kind});
}

QHash<qint64, qint64> activeMutes(StatementCache &db, qint64 roomId, qint64 nowMs)
{
    QHash<qint64, qint64> mutes;
    QSqlQuery *q = db.run(u"SELECT user_id, until_ms FROM sanctions WHERE room_id = ? "
                          u"AND kind = 2 AND (until_ms = 0 OR until_ms > ?)"_s,
        {roomId, nowMs});
    while (q && q->next())
        mutes.insert(q->value(0).toLongLong(), q->value(1).toLongLong());
    return mutes;
}

qint64 inviteSeq(StatementCache &db, qint64 roomId, qint64 userId)
{
    QSqlQuery *q = db.run(InviteSeqQuery, {roomId, userId});
    const qint64 seq = q && q->next() ? q->value(0).toLongLong() : 0;
    if (q)
        q->finish();
    return seq;
}

bool inviteSeq(WriteContext &ctx, qint64 roomId, qint64 userId, qint64 *eventSeq)
{
    QSqlQuery *q = ctx.run(InviteSeqQuery, {roomId, userId});
    if (!q)
        return false;
    *eventSeq = q->next() ? q->value(0).toLongLong() : 0;
    q->finish();
    return true;
}

bool pendingInvites(WriteContext &ctx, qint64 userId, int *count)
{
    QSqlQuery *q = ctx.run(u"SELECT COUNT(*) FROM room_invites WHERE user_id = ?"_s, {userId});
    if (!q)
        return false;
    *count = q->next() ? q->value(0).toInt() : 0;
    q->finish();
    return true;
}

bool putInvite(
    WriteContext &ctx, qint64 roomId, qint64 userId, qint64 byId, qint64 eventSeq, qint64 *keptSeq)
{
    if (!ctx.run(u"INSERT OR IGNORE INTO room_invites(room_id, user_id, by_id, created_ms, "
                 u"event_seq) VALUES(?, ?, ?, ?, ?)"_s,
            {roomId, userId, byId, ctx.now(), eventSeq}))
        return false;
    return inviteSeq(ctx, roomId, userId, keptSeq);
}

bool removeInvite(WriteContext &ctx, qint64 roomId, qint64 userId, bool *removed)
{
    QSqlQuery *q = ctx.run(
        u"DELETE FROM room_invites WHERE room_id = ? AND user_id = ?"_s, {roomId, userId});
    if (!q)
        return false;
    if (removed)
        *removed = q->numRowsAffected() > 0;
    return true;
}

std::optional<RoomInviteRecord> invite(StatementCache &db, qint64 roomId, qint64 userId)
{
    QSqlQuery *q = db.run(OneInvite, {roomId, userId});
    if (!q || !q->next())
        return std::nullopt;
    const RoomInviteRecord invitation = inviteFrom(*q);
    q->finish();
    return invitation;
}

bool invite(
    WriteContext &ctx, qint64 roomId, qint64 userId, std::optional<RoomInviteRecord> *invitation)
{
    QSqlQuery *q = ctx.run(OneInvite, {roomId, userId});
    if (!q)
        return false;
    *invitation = q->next() ? std::optional(inviteFrom(*q)) : std::nullopt;
    q->finish();
    return true;
}

std::optional<bool> hasInvites(StatementCache &db, qint64 userId)
{
    QSqlQuery *q = db.run(u"SELECT 1 FROM room_invites WHERE user_id = ? LIMIT 1"_s, {userId});
    if (!q)
        return std::nullopt;
    const bool has = q->next();
    const bool failed = q->lastError().isValid();
    q->finish();
    return failed ? std::nullopt : std::optional(has);
}

std::optional<QSet<qint64>> usersWithInvites(StatementCache &db)
{
    QSqlQuery *q = db.run(u"SELECT DISTINCT user_id FROM room_invites"_s);
    if (!q)
        return std::nullopt;
    QSet<qint64> users;
    while (q->next())
        users.insert(q->value(0).toLongLong());
    const bool failed = q->lastError().isValid();
    q->finish();
    return failed ? std::nullopt : std::optional(users);
}

QList<RoomInviteRecord> invitesOf(StatementCache &db, qint64 userId)
{
    QList<RoomInviteRecord> invitations;
    QSqlQuery *q = db.run(InvitesOfUser, {userId});
    while (q && q->next())
        invitations.append(inviteFrom(*q));
    return invitations;
}

bool invitesOf(WriteContext &ctx, qint64 userId, QList<RoomInviteRecord> *invitations)
{
    QSqlQuery *q = ctx.run(InvitesOfUser, {userId});
    if (!q)
        return false;
    invitations->clear();
    while (q->next())
        invitations->append(inviteFrom(*q));
    return true;
}

QSet<qint64> invitees(StatementCache &db, qint64 roomId)
{
    QSet<qint64> users;
    QSqlQuery *q = db.run(u"SELECT user_id FROM room_invites WHERE room_id = ?"_s, {roomId});
    while (q && q->next())
        users.insert(q->value(0).toLongLong());
    return users;
}

} // namespace confab::server::teamstore
