// SPDX-License-Identifier: GPL-3.0-or-later
#include "storage/postgres/pgeventlog.h"

#include "storage/accountstore.h"
#include "storage/writecontext.h"

#include <QSqlError>
#include <QSqlQuery>
#include <optional>

using namespace Qt::StringLiterals;

namespace confab::server::postgres::eventlog {

namespace {

QVariant nullable(qint64 value)
{
    return value > 0 ? QVariant(value) : QVariant(QMetaType::fromType<qint64>());
}

QVariant nullable(const QString &value)
{
    return value.isEmpty() ? QVariant(QMetaType::fromType<QString>()) : QVariant(value);
}

// QPSQL binds a null QString as NULL, which the NOT NULL text columns refuse; SQLite's
// binding makes it ''.
QString text(const QString &value)
{
    return value.isNull() ? u""_s : value;
}

// Prepares \a sql on \a query unless it already holds it (a kept statement).
bool run(QSqlQuery &query, const QString &sql, const QVariantList &values, QString *error)
{
    if (query.lastQuery() != sql && !query.prepare(sql)) {
        *error = query.lastError().text();
        return false;
    }
    for (qsizetype i = 0; i < values.size(); ++i)
        query.bindValue(int(i), values.at(i));
    if (!query.exec()) {
        *error = query.lastError().text();
        return false;
    }
    return true;
}

} // namespace

bool append(QSqlDatabase &db, protocol::RoomEvent &event, qint64 senderId, qint64 nowMs,
    bool *repeatedTxn, QString *error, Statements *kept)
{
    std::optional<Statements> own;
    if (!kept)
        kept = &own.emplace(db);
    QSqlQuery &query = kept->nextSeq;
    // The row lock taken here is the room's sequencer (pgschema.cpp, rooms.last_seq).
    if (!run(query, u"UPDATE rooms SET last_seq = last_seq + 1 WHERE id = ? RETURNING last_seq"_s,
            {event.room}, error))
        return false;
    if (!query.next()) {
        *error = u"no room %1"_s.arg(event.room);
        return false;
    }
    const qint64 seq = query.value(0).toLongLong();
    // react and unreact keep their key where other kinds keep their text.
    const QString &body = event.key.isEmpty() ? event.text : event.key;
    // ON CONFLICT rather than letting the unique key fail: on PostgreSQL a failed statement
    // aborts the whole transaction, and with it the batch it is part of.
    QSqlQuery &insert = kept->insert;
    if (!run(insert,
            u"INSERT INTO events(room_id, seq, ts, kind, sender_id, txn, body, topic, mentions, "
            "target, reply_to, subject_id, detail) VALUES(?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, "
            "(SELECT id FROM users WHERE name_key = ?), ?) "
            "ON CONFLICT (sender_id, txn) WHERE txn IS NOT NULL DO NOTHING RETURNING id"_s,
            {event.room, seq, nowMs, int(event.kind), senderId, nullable(event.txn), text(body),
                text(event.topic), text(event.mentions.join(u',')), nullable(event.target),
                nullable(event.replyTo),
                nullable(event.user.isEmpty() ? QString() : accountstore::nameKey(event.user)),
                WriteContext::detailOf(event)},
            error))
        return false;
    if (insert.next()) {
        event.id = insert.value(0).toLongLong();
        event.seq = seq;
        event.timestamp = nowMs;
        return true;
    }
    if (!repeatedTxn || event.txn.isEmpty()) {
        *error = u"the event was not written"_s;
        return false;
    }
    // A resend: the seq goes back while the room's lock is still held, so no gap is left.
    if (!run(kept->giveBack, u"UPDATE rooms SET last_seq = last_seq - 1 WHERE id = ?"_s,
            {event.room}, error))
        return false;
    *repeatedTxn = true;
    return false;
}

bool findByTxn(QSqlDatabase &db, qint64 senderId, const QString &txn, protocol::RoomEvent *event,
    bool *found, QString *error)
{
    QSqlQuery query(db);
    if (!run(query, u"SELECT id, room_id, seq, ts FROM events WHERE sender_id = ? AND txn = ?"_s,
            {senderId, txn}, error))
        return false;
    *found = query.next();
    if (*found) {
        event->id = query.value(0).toLongLong();
        event->room = query.value(1).toLongLong();
        event->seq = query.value(2).toLongLong();
        event->timestamp = query.value(3).toLongLong();
    }
    return true;
}

} // namespace confab::server::postgres::eventlog
