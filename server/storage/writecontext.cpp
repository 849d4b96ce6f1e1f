// SPDX-License-Identifier: GPL-3.0-or-later
#include "storage/writecontext.h"

#include "core/logging.h"
#include "sqlite/statement.h"
#include "storage/accountstore.h"
#include "storage/localappends.h"
#include "storage/postgres/pgeventlog.h"

#include <QJsonDocument>
#include <QJsonObject>

using namespace Qt::StringLiterals;

namespace confab::server {

QString WriteContext::detailOf(const protocol::RoomEvent &e)
{
    QJsonObject o;
    if (!e.reason.isEmpty())
        o.insert(u"reason"_s, e.reason);
    if (e.until > 0)
        o.insert(u"until"_s, double(e.until));
    if (!e.role.isEmpty())
        o.insert(u"role"_s, e.role);
    if (e.kind == protocol::EventKind::Settings) {
        o.insert(u"private"_s, e.isPrivate);
        o.insert(u"invitesBy"_s, e.invitesBy);
    }
    if (o.isEmpty())
        return u""_s;
    return QString::fromUtf8(QJsonDocument(o).toJson(QJsonDocument::Compact));
}

WriteContext::WriteContext(const QSqlDatabase &db)
    : m_statements(db)
    , m_handle(sqlite::Statement::handle(db))
{ }

WriteContext::~WriteContext() = default;

WriteStatement &WriteContext::statement(const char *sql)
{
    auto it = m_raw.find(sql);
    if (it == m_raw.end()) {
        auto made = dialect() == SqlDialect::PostgreSQL
            ? std::make_unique<WriteStatement>(database(), sql)
            : std::make_unique<WriteStatement>(m_handle, sql);
        it = m_raw.emplace(sql, std::move(made)).first;
        if (!it->second->ok())
            qCWarning(lcStorage) << "prepare failed:" << it->second->errorText();
    }
    return *it->second;
}

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

bool WriteContext::appendEvent(protocol::RoomEvent &event, qint64 senderId, bool *repeatedTxn)
{
    if (dialect() == SqlDialect::PostgreSQL) {
        QString error;
        if (repeatedTxn)
            *repeatedTxn = false;
        if (!m_appends)
            m_appends = std::make_unique<postgres::eventlog::Statements>(database());
        if (postgres::eventlog::append(
                database(), event, senderId, m_now, repeatedTxn, &error, m_appends.get())) {
            if (m_local)
                m_local->stage(event.room, event.seq);
            return true;
        }
        if (!error.isEmpty())
            qCWarning(lcStorage) << "append failed:" << error;
        return false;
    }
    bool ok = false;
    const qint64 seq = lastSeq(event.room, &ok) + 1;
    if (!ok)
        return false;
    event.seq = seq;
    event.timestamp = m_now;
    // react and unreact keep their key where other kinds keep their text.
    const QString &body = event.key.isEmpty() ? event.text : event.key;
    const auto seqOrNull
        = [](qint64 s) { return s > 0 ? std::optional<qint64>(s) : std::optional<qint64>(); };
    const auto textOrNull = [](const QString &s) {
        return s.isEmpty() ? std::optional<QString>() : std::optional<QString>(s);
    };
    // The user an event is about is kept by id (read back by name like the sender), looked
    // up here from the name the event carries: events.subject_id in database.cpp.
    WriteStatement &insert = statement(
        "INSERT INTO events(room_id, seq, ts, kind, sender_id, txn, body, topic, mentions, "
        "target, reply_to, subject_id, detail) VALUES(?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, "
        "(SELECT id FROM users WHERE name_key = ?), ?)");
    if (!insert.exec(event.room, seq, m_now, int(event.kind), senderId, textOrNull(event.txn), body,
            event.topic, event.mentions.join(u','), seqOrNull(event.target),
            seqOrNull(event.replyTo),
            event.user.isEmpty() ? std::optional<QString>()
                                 : std::optional<QString>(accountstore::nameKey(event.user)),
            detailOf(event))) {
        // The unique key on (sender, txn) failed only this statement, not the transaction.
        if (repeatedTxn && insert.repeatedKey() && !event.txn.isEmpty()) {
            *repeatedTxn = true;
            return false;
        }
        qCWarning(lcStorage) << "query failed:" << insert.errorText();
        return false;
    }
    event.id = sqlite::Statement::lastInsertRowId(m_handle);
    m_lastSeq.insert(event.room, seq);
    return true;
}

} // namespace confab::server
