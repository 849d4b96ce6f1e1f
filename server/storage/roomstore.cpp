// SPDX-License-Identifier: GPL-3.0-or-later
#include "storage/roomstore.h"

#include "core/logging.h"
#include "storage/accountstore.h"
#include "storage/statementcache.h"
#include "storage/writecontext.h"

#include <QHash>

using namespace Qt::StringLiterals;

namespace confab::server::roomstore {

namespace {
const QString RoomColumns = u"SELECT r.id, r.kind, r.name, r.topic, "
                            u"(SELECT COALESCE(MAX(seq), 0) FROM events e WHERE e.room_id = r.id), "
                            u"r.private, r.invites_by FROM rooms r "_s;

RoomRecord readRoom(QSqlQuery *q)
{
    RoomRecord room {q->value(0).toLongLong(), RoomKind(q->value(1).toInt()),
        q->value(2).toString(), q->value(3).toString(), {}, q->value(4).toLongLong()};
    room.isPrivate = q->value(5).toBool();
    room.invitesBy = q->value(6).toInt();
    return room;
}

void addMemberRow(RoomRecord &room, const QSqlQuery &q)
{
    const qint64 user = q.value(1).toLongLong();
    room.members.insert(user);
    if (const int role = q.value(2).toInt(); role > 0)
        room.roles.insert(user, role);
}
} // namespace

QList<RoomRecord> loadAll(StatementCache &db)
{
    QList<RoomRecord> rooms;
    QHash<qint64, qsizetype> index;
    QSqlQuery *q = db.run(RoomColumns + u"ORDER BY r.id"_s);
    while (q && q->next()) {
        index.insert(q->value(0).toLongLong(), rooms.size());
        rooms.append(readRoom(q));
    }
    q = db.run(u"SELECT room_id, user_id, role FROM members"_s);
    while (q && q->next()) {
        const auto it = index.constFind(q->value(0).toLongLong());
        if (it != index.cend())
            addMemberRow(rooms[it.value()], *q);
    }
    return rooms;
}

std::optional<RoomRecord> load(StatementCache &db, qint64 roomId)
{
    QSqlQuery *q = db.run(RoomColumns + u"WHERE r.id = ?"_s, {roomId});
    if (!q || !q->next())
        return std::nullopt;
    RoomRecord room = readRoom(q);
    q = db.run(u"SELECT room_id, user_id, role FROM members WHERE room_id = ?"_s, {roomId});
    while (q && q->next())
        addMemberRow(room, *q);
    return room;
}

qint64 readSeq(StatementCache &db, qint64 roomId, qint64 userId)
{
    QSqlQuery *q = db.run(
        u"SELECT read_seq FROM members WHERE room_id = ? AND user_id = ?"_s, {roomId, userId});
    return q && q->next() ? q->value(0).toLongLong() : -1;
}

bool channelNameTaken(WriteContext &ctx, const QString &name, bool *taken)
{
    QSqlQuery *q
        = ctx.run(u"SELECT 1 FROM rooms WHERE name_key = ?"_s, {accountstore::nameKey(name)});
    if (!q)
        return false;
    *taken = q->next();
    q->finish();
    return true;
}

bool insertRoom(WriteContext &ctx, RoomKind kind, const QString &name, const QString &topic,
    const QString &directKey, qint64 *id)
{
    const QVariant key
        = kind == RoomKind::Channel ? QVariant(accountstore::nameKey(name)) : QVariant();
    const QVariant direct = directKey.isEmpty() ? QVariant() : QVariant(directKey);
    QSqlQuery *q
        = ctx.run(u"INSERT INTO rooms(kind, name, name_key, topic, direct_key, created_ms) "
                  u"VALUES(?, ?, ?, ?, ?, ?) RETURNING id"_s,
            {int(kind), name.isNull() ? u""_s : name, key, topic.isNull() ? u""_s : topic, direct,
                ctx.now()});
    if (!q || !q->next())
        return false;
    *id = q->value(0).toLongLong();
    q->finish();
    return true;
}

bool directRoom(WriteContext &ctx, const QString &directKey, qint64 *id)
{
    QSqlQuery *q = ctx.run(u"SELECT id FROM rooms WHERE direct_key = ?"_s, {directKey});
    if (!q)
        return false;
    *id = q->next() ? q->value(0).toLongLong() : 0;
    q->finish();
    return true;
}

bool isMember(WriteContext &ctx, qint64 roomId, qint64 userId, bool *member)
{
    // Per message (RoomLog::append): through the C API.
    WriteStatement &q = ctx.statement("SELECT 1 FROM members WHERE room_id = ? AND user_id = ?");
    if (!q.first(
            member, [](const WriteStatement &) {}, roomId, userId)) {
        qCWarning(lcStorage) << "query failed:" << q.errorText();
        return false;
    }
    return true;
}

bool addMember(WriteContext &ctx, qint64 roomId, qint64 userId, qint64 readSeq)
{
    return ctx.run(u"INSERT OR IGNORE INTO members(room_id, user_id, read_seq) VALUES(?, ?, ?)"_s,
        {roomId, userId, readSeq});
}

bool removeMember(WriteContext &ctx, qint64 roomId, qint64 userId)
{
    return ctx.run(u"DELETE FROM members WHERE room_id = ? AND user_id = ?"_s, {roomId, userId});
}

bool channelsAndGroupsOf(WriteContext &ctx, qint64 userId, QList<qint64> *rooms)
{
    QSqlQuery *q = ctx.run(u"SELECT m.room_id FROM members m JOIN rooms r ON r.id = m.room_id "
                           u"WHERE m.user_id = ? AND r.kind != ? ORDER BY m.room_id"_s,
        {userId, int(RoomKind::Direct)});
    if (!q)
        return false;
    rooms->clear();
    while (q->next())
        rooms->append(q->value(0).toLongLong());
    return true;
}

bool memberCount(WriteContext &ctx, qint64 roomId, int *count)
{
    QSqlQuery *q = ctx.run(u"SELECT COUNT(*) FROM members WHERE room_id = ?"_s, {roomId});
    if (!q || !q->next())
        return false;
    *count = q->value(0).toInt();
    q->finish();
    return true;
}

bool setTopic(WriteContext &ctx, qint64 roomId, const QString &topic)
{
    return ctx.run(
        u"UPDATE rooms SET topic = ? WHERE id = ?"_s, {topic.isNull() ? u""_s : topic, roomId});
}

bool setReadSeq(WriteContext &ctx, qint64 roomId, qint64 userId, qint64 seq)
{
    return ctx.run(u"UPDATE members SET read_seq = ? WHERE room_id = ? AND user_id = ?"_s,
        {seq, roomId, userId});
}

} // namespace confab::server::roomstore
