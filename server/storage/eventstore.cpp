// SPDX-License-Identifier: GPL-3.0-or-later
#include "storage/eventstore.h"

#include "storage/statementcache.h"
#include "storage/writecontext.h"

#include <algorithm>

using namespace Qt::StringLiterals;

namespace confab::server::eventstore {

namespace {
const QString EventColumns
    = u"SELECT e.id, e.room_id, e.seq, e.ts, e.kind, u.name, e.txn, e.body, "
      u"e.topic, e.mentions FROM events e JOIN users u ON u.id = e.sender_id "_s;

protocol::RoomEvent readEvent(const QSqlQuery &q)
{
    protocol::RoomEvent e;
    e.id = q.value(0).toLongLong();
    e.room = q.value(1).toLongLong();
    e.seq = q.value(2).toLongLong();
    e.timestamp = q.value(3).toLongLong();
    e.kind = protocol::EventKind(q.value(4).toInt());
    e.sender = q.value(5).toString();
    e.txn = q.value(6).toString();
    e.text = q.value(7).toString();
    e.topic = q.value(8).toString();
    const QString mentions = q.value(9).toString();
    if (!mentions.isEmpty())
        e.mentions = mentions.split(u',');
    return e;
}
} // namespace

QList<protocol::RoomEvent> range(
    StatementCache &db, qint64 room, qint64 afterSeq, qint64 beforeSeq, int limit, bool newest)
{
    const QString order = newest ? u"DESC"_s : u"ASC"_s;
    QSqlQuery *q
        = db.run(EventColumns + u"WHERE e.room_id = ? AND e.seq > ? AND e.seq < ? ORDER BY e.seq "_s
                + order + u" LIMIT ?"_s,
            {room, afterSeq, beforeSeq, limit});
    QList<protocol::RoomEvent> events;
    while (q && q->next())
        events.append(readEvent(*q));
    if (newest)
        std::reverse(events.begin(), events.end());
    return events;
}

UnreadCounts unreadCounts(StatementCache &db, qint64 room, qint64 userId, qint64 readSeq)
{
    UnreadCounts counts;
    QSqlQuery *q
        = db.run(u"SELECT COUNT(*) FROM (SELECT 1 FROM events WHERE room_id = ? AND seq > ? "
                 u"AND kind = ? AND sender_id != ? LIMIT ?)"_s,
            {room, readSeq, int(protocol::EventKind::Message), userId, UnreadCountCap});
    if (q && q->next())
        counts.unread = q->value(0).toLongLong();
    q = db.run(u"SELECT COUNT(*) FROM (SELECT 1 FROM mentions WHERE user_id = ? AND room_id = ? "
               u"AND seq > ? LIMIT ?)"_s,
        {userId, room, readSeq, UnreadCountCap});
    if (q && q->next())
        counts.mentions = q->value(0).toLongLong();
    return counts;
}

bool findByTxn(
    WriteContext &ctx, qint64 senderId, const QString &txn, protocol::RoomEvent *event, bool *found)
{
    QSqlQuery *q
        = ctx.run(u"SELECT id, room_id, seq, ts FROM events WHERE sender_id = ? AND txn = ?"_s,
            {senderId, txn});
    if (!q)
        return false;
    *found = q->next();
    if (*found) {
        event->id = q->value(0).toLongLong();
        event->room = q->value(1).toLongLong();
        event->seq = q->value(2).toLongLong();
        event->timestamp = q->value(3).toLongLong();
    }
    q->finish();
    return true;
}

bool insertMentions(WriteContext &ctx, const protocol::RoomEvent &event, qint64 senderId)
{
    for (const QString &name : event.mentions) {
        if (!ctx.run(u"INSERT OR IGNORE INTO mentions(user_id, room_id, seq) SELECT u.id, ?, ? "
                     u"FROM users u JOIN members m ON m.user_id = u.id AND m.room_id = ? "
                     u"WHERE u.name_key = ? AND u.id != ?"_s,
                {event.room, event.seq, event.room, name, senderId}))
            return false;
    }
    return true;
}

} // namespace confab::server::eventstore
