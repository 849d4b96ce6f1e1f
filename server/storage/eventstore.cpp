// SPDX-License-Identifier: GPL-3.0-or-later
#include "storage/eventstore.h"

#include "core/logging.h"
#include "protocol/limits.h"
#include "storage/statementcache.h"
#include "storage/writecontext.h"

#include <QHash>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <algorithm>

using namespace Qt::StringLiterals;

namespace confab::server::eventstore {

namespace {
const QString EventColumns
    = u"SELECT e.id, e.room_id, e.seq, e.ts, e.kind, u.name, e.txn, e.body, e.topic, "
      u"e.mentions, e.reply_to, e.target, e.edited_ms, e.redacted, e.changed_seq, "
      u"COALESCE(s.name, ''), e.detail FROM events e JOIN users u ON u.id = e.sender_id "
      u"LEFT JOIN users s ON s.id = e.subject_id "_s;

// The members writecontext.cpp keeps in events.detail.
void readDetail(protocol::RoomEvent &e, const QString &detail)
{
    if (detail.isEmpty())
        return;
    const QJsonObject o = QJsonDocument::fromJson(detail.toUtf8()).object();
    e.reason = o.value("reason"_L1).toString();
    e.until = qint64(o.value("until"_L1).toDouble());
    e.role = o.value("role"_L1).toString();
    e.isPrivate = o.value("private"_L1).toBool();
    e.invitesBy = o.value("invitesBy"_L1).toString();
}

protocol::RoomEvent readEvent(const QSqlQuery &q)
{
    using protocol::EventKind;
    protocol::RoomEvent e;
    e.id = q.value(0).toLongLong();
    e.room = q.value(1).toLongLong();
    e.seq = q.value(2).toLongLong();
    e.timestamp = q.value(3).toLongLong();
    e.kind = EventKind(q.value(4).toInt());
    e.sender = q.value(5).toString();
    e.txn = q.value(6).toString();
    // react and unreact keep their key where the others keep their text.
    if (e.kind == EventKind::React || e.kind == EventKind::Unreact)
        e.key = q.value(7).toString();
    else
        e.text = q.value(7).toString();
    e.topic = q.value(8).toString();
    const QString mentions = q.value(9).toString();
    if (!mentions.isEmpty())
        e.mentions = mentions.split(u',');
    e.replyTo = q.value(10).toLongLong();
    e.target = q.value(11).toLongLong();
    if (e.kind == EventKind::Message) {
        e.state.redacted = q.value(13).toBool();
        // A tombstone shows no edit (§7.4).
        e.state.editedAt = e.state.redacted ? 0 : q.value(12).toLongLong();
        e.state.changedSeq = q.value(14).toLongLong();
    }
    e.user = q.value(15).toString();
    readDetail(e, q.value(16).toString());
    return e;
}

// A message whose state may list reactions: every react changes changed_seq.
bool mayHaveReactions(const protocol::RoomEvent &e)
{
    return e.kind == protocol::EventKind::Message && !e.state.redacted && e.state.changedSeq > 0;
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

void attachReactions(StatementCache &db, QList<protocol::RoomEvent> &events, qint64 viewerId)
{
    // The page's messages as [[room, seq], ...]: one statement for any page, of any rooms.
    QJsonArray wanted;
    QHash<QPair<qint64, qint64>, qsizetype> index;
    for (qsizetype i = 0; i < events.size(); ++i) {
        const protocol::RoomEvent &e = events.at(i);
        if (!mayHaveReactions(e))
            continue;
        wanted.append(QJsonArray {double(e.room), double(e.seq)});
        index.insert({e.room, e.seq}, i);
    }
    if (wanted.isEmpty())
        return;
    QSqlQuery *q
        = db.run(u"SELECT r.room_id, r.seq, r.key, r.user_id, u.name FROM json_each(?) j "
                 u"JOIN reactions r ON r.room_id = json_extract(j.value, '$[0]') "
                 u"AND r.seq = json_extract(j.value, '$[1]') JOIN users u ON u.id = r.user_id "
                 u"ORDER BY r.room_id, r.seq, r.key_seq, r.react_seq"_s,
            {QString::fromUtf8(QJsonDocument(wanted).toJson(QJsonDocument::Compact))});
    while (q && q->next()) {
        const auto found = index.constFind({q->value(0).toLongLong(), q->value(1).toLongLong()});
        if (found == index.cend())
            continue;
        QList<protocol::Reaction> &reactions = events[*found].state.reactions;
        const QString key = q->value(2).toString();
        // Rows come key by key in order of each key's first use.
        if (reactions.isEmpty() || reactions.constLast().key != key)
            reactions.append(protocol::Reaction {key, 0, {}});
        protocol::Reaction &r = reactions.last();
        ++r.count;
        const QString name = q->value(4).toString();
        if (q->value(3).toLongLong() == viewerId)
            r.users.prepend(name);
        else
            r.users.append(name);
    }
    for (qsizetype i : std::as_const(index)) {
        for (protocol::Reaction &r : events[i].state.reactions) {
            if (r.users.size() > protocol::ReactionUsersListed)
                r.users.resize(protocol::ReactionUsersListed);
        }
    }
}

UnreadCounts unreadCounts(StatementCache &db, qint64 room, qint64 userId, qint64 readSeq)
{
    UnreadCounts counts;
    QSqlQuery *q
        = db.run(u"SELECT COUNT(*) FROM (SELECT 1 FROM events WHERE room_id = ? AND seq > ? "
                 u"AND kind = ? AND sender_id != ? AND redacted = 0 LIMIT ?) AS e"_s,
            {room, readSeq, int(protocol::EventKind::Message), userId, UnreadCountCap});
    if (q && q->next())
        counts.unread = q->value(0).toLongLong();
    if (q)
        q->finish();
    counts.mentions = mentionCounts(db, room, userId, readSeq).mentions;
    return counts;
}

UnreadCounts mentionCounts(StatementCache &db, qint64 room, qint64 userId, qint64 readSeq)
{
    UnreadCounts counts;
    QSqlQuery *q
        = db.run(u"SELECT COUNT(*) FROM (SELECT 1 FROM mentions WHERE user_id = ? AND room_id = ? "
                 u"AND seq > ? LIMIT ?) AS m"_s,
            {userId, room, readSeq, UnreadCountCap});
    if (q && q->next())
        counts.mentions = q->value(0).toLongLong();
    // A statement left on its row holds the reader's snapshot, which would keep the
    // write-ahead log from being truncated after a redaction.
    if (q)
        q->finish();
    return counts;
}

bool findByTxn(
    WriteContext &ctx, qint64 senderId, const QString &txn, protocol::RoomEvent *event, bool *found)
{
    WriteStatement &q
        = ctx.statement("SELECT id, room_id, seq, ts FROM events WHERE sender_id = ? AND txn = ?");
    const auto read = [event](const WriteStatement &row) {
        event->id = row.int64(0);
        event->room = row.int64(1);
        event->seq = row.int64(2);
        event->timestamp = row.int64(3);
    };
    if (!q.first(found, read, senderId, txn)) {
        qCWarning(lcStorage) << "query failed:" << q.errorText();
        return false;
    }
    return true;
}

bool insertMentions(WriteContext &ctx, const protocol::RoomEvent &event, qint64 senderId)
{
    for (const QString &name : event.mentions) {
        WriteStatement &q
            = ctx.statement("INSERT OR IGNORE INTO mentions(user_id, room_id, seq) SELECT u.id, ?, "
                            "? FROM users u JOIN members m ON m.user_id = u.id AND m.room_id = ? "
                            "WHERE u.name_key = ? AND u.id != ?");
        if (!q.exec(event.room, event.seq, event.room, name, senderId)) {
            qCWarning(lcStorage) << "query failed:" << q.errorText();
            return false;
        }
    }
    return true;
}

} // namespace confab::server::eventstore
