// SPDX-License-Identifier: GPL-3.0-or-later
#include "storage/writecontext.h"

using namespace Qt::StringLiterals;

namespace confab::server {

namespace {
// Qt binds a null QString as SQL NULL; these columns hold "" for "none".
QString text(const QString &s)
{
    return s.isNull() ? u""_s : s;
}
} // namespace

WriteContext::WriteContext(const QSqlDatabase &db)
    : m_statements(db)
{ }

qint64 WriteContext::lastSeq(qint64 room, bool *ok)
{
    const auto it = m_lastSeq.constFind(room);
    if (it != m_lastSeq.cend()) {
        *ok = true;
        return it.value();
    }
    QSqlQuery *q = run(u"SELECT COALESCE(MAX(seq), 0) FROM events WHERE room_id = ?"_s, {room});
    *ok = q && q->next();
    const qint64 seq = *ok ? q->value(0).toLongLong() : 0;
    if (q)
        q->finish();
    if (*ok)
        m_lastSeq.insert(room, seq);
    return seq;
}

bool WriteContext::appendEvent(protocol::RoomEvent &event, qint64 senderId)
{
    bool ok = false;
    const qint64 seq = lastSeq(event.room, &ok) + 1;
    if (!ok)
        return false;
    event.seq = seq;
    event.timestamp = m_now;
    const QVariant txn = event.txn.isEmpty() ? QVariant() : QVariant(event.txn);
    // react and unreact keep their key where other kinds keep their text.
    const QString body = event.key.isEmpty() ? event.text : event.key;
    const auto seqOrNull = [](qint64 s) { return s > 0 ? QVariant(s) : QVariant(); };
    QSqlQuery *q = run(u"INSERT INTO events(room_id, seq, ts, kind, sender_id, txn, body, topic, "
                       u"mentions, target, reply_to) VALUES(?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"_s,
        {event.room, seq, m_now, int(event.kind), senderId, txn, text(body), text(event.topic),
            text(event.mentions.join(u',')), seqOrNull(event.target), seqOrNull(event.replyTo)});
    if (!q)
        return false;
    event.id = q->lastInsertId().toLongLong();
    m_lastSeq.insert(event.room, seq);
    return true;
}

} // namespace confab::server
