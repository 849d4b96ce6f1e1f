// SPDX-License-Identifier: GPL-3.0-or-later
#include "store/localstore.h"

#include "core/clientlogging.h"
#include "models/messagechanges.h"
#include "sqlite/connection.h"
#include "store/cacheschema.h"

#include <QCryptographicHash>
#include <QDir>
#include <QFileInfo>
#include <QJsonDocument>
#include <QSet>
#include <QSqlDatabase>
#include <QSqlError>
#include <QSqlQuery>
#include <QUuid>
#include <QVariant>
#include <algorithm>
#include <atomic>

using namespace Qt::StringLiterals;

namespace confab::client {

namespace {

std::atomic<int> s_connectionCounter {0};

bool run(QSqlQuery &q)
{
    if (q.exec())
        return true;
    qCWarning(lcClientStore) << "query failed:" << q.lastQuery() << q.lastError().text();
    return false;
}

// Qt binds a null QString as SQL NULL; the text columns are NOT NULL.
QString text(const QString &s)
{
    return s.isNull() ? u""_s : s;
}

} // namespace

/*!
 * The statements apply() runs, prepared once per open database: a burst of live events
 * is applied in many batches, and preparing each statement again for every row was most
 * of the cost of a batch.
 */
struct LocalStore::Statements
{
    explicit Statements(const QSqlDatabase &db)
        : upsertRoom(db)
        , deleteRoom(db)
        , deleteEvents(db)
        , resetCursor(db)
        , insertEvent(db)
        , raiseCursor(db)
        , keepFrom(db)
        , trimEvents(db)
        , deleteOutbox(db)
        , readMessage(db)
        , updateMessage(db)
    { }

    bool prepare()
    {
        keepFrom.setForwardOnly(true);
        const std::pair<QSqlQuery *, QString> all[] = {
            {&upsertRoom,
                u"INSERT INTO rooms (id, direct, name, topic, last_seq, member_count, members, "
                "read_seq, unread, mentions, is_private, invites_by, role, is_group, notify, "
                "has_summary) VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,1) "
                "ON CONFLICT(id) DO UPDATE SET direct=excluded.direct, name=excluded.name, "
                "topic=excluded.topic, last_seq=excluded.last_seq, "
                "member_count=excluded.member_count, members=excluded.members, "
                "read_seq=excluded.read_seq, unread=excluded.unread, "
                "mentions=excluded.mentions, is_private=excluded.is_private, "
                "invites_by=excluded.invites_by, role=excluded.role, "
                "is_group=excluded.is_group, notify=excluded.notify, has_summary=1"_s},
            {&deleteRoom, u"DELETE FROM rooms WHERE id = ?"_s},
            {&deleteEvents, u"DELETE FROM events WHERE room = ?"_s},
            {&resetCursor, u"UPDATE rooms SET cursor = 0 WHERE id = ?"_s},
            // A message read again keeps the newer of its two states (§7.4 rule 1).
            {&insertEvent,
                u"INSERT INTO events (room, seq, json, changed_seq) VALUES (?,?,?,?) "
                "ON CONFLICT(room, seq) DO UPDATE SET json = excluded.json, "
                "changed_seq = excluded.changed_seq "
                "WHERE excluded.changed_seq > events.changed_seq"_s},
            {&raiseCursor,
                u"INSERT INTO rooms (id, cursor) VALUES (?, ?) ON CONFLICT(id) DO UPDATE SET "
                "cursor = max(cursor, excluded.cursor)"_s},
            {&keepFrom,
                u"SELECT seq FROM events WHERE room = ? ORDER BY seq DESC LIMIT 1 OFFSET ?"_s},
            {&trimEvents,
                u"DELETE FROM events WHERE room = ? AND seq < (SELECT seq FROM events WHERE "
                "room = ? ORDER BY seq DESC LIMIT 1 OFFSET ?)"_s},
            {&deleteOutbox, u"DELETE FROM outbox WHERE txn = ?"_s},
            {&readMessage, u"SELECT json FROM events WHERE room = ? AND seq = ?"_s},
            {&updateMessage,
                u"UPDATE events SET json = ?, changed_seq = ? WHERE room = ? AND seq = ?"_s},
        };
        for (const auto &[query, sql] : all) {
            if (!query->prepare(sql)) {
                qCWarning(lcClientStore) << "cannot prepare" << sql << query->lastError().text();
                return false;
            }
        }
        return true;
    }

    QSqlQuery upsertRoom;
    QSqlQuery deleteRoom;
    QSqlQuery deleteEvents;
    QSqlQuery resetCursor;
    QSqlQuery insertEvent;
    QSqlQuery raiseCursor;
    QSqlQuery keepFrom; //!< the oldest seq the trim keeps, if the room is full
    QSqlQuery trimEvents;
    QSqlQuery deleteOutbox;
    QSqlQuery readMessage;
    QSqlQuery updateMessage;
};

LocalStore::LocalStore() = default;

LocalStore::~LocalStore()
{
    close();
}

QString LocalStore::pathFor(const QString &dir, const QString &serverUrl, const QString &user)
{
    // Usernames are case-insensitive on the server; the cache must be too.
    const QByteArray key = (serverUrl + u'|' + user.toLower()).toUtf8();
    const QString name
        = QString::fromLatin1(QCryptographicHash::hash(key, QCryptographicHash::Sha1).toHex());
    return QDir(dir).filePath(name + u".sqlite"_s);
}

bool LocalStore::open(const QString &path)
{
    return open(path, cacheSchema());
}

bool LocalStore::open(const QString &path, const sqlite::Schema &schema)
{
    close();
    QDir().mkpath(QFileInfo(path).absolutePath());
    const QString name = u"confab-store-%1"_s.arg(++s_connectionCounter);
    QString error;
    {
        QSqlDatabase db = sqlite::open(path, name, {}, &error);
        if (error.isEmpty())
            schema.migrate(db, &error);
    }
    if (!error.isEmpty()) {
        qCWarning(lcClientStore).noquote() << "cannot open the cache:" << error;
        sqlite::close(name);
        return false;
    }
    m_connection = name;
    m_path = path;
    m_statements = std::make_unique<Statements>(QSqlDatabase::database(m_connection, false));
    if (!m_statements->prepare()) {
        close();
        return false;
    }
    qCDebug(lcClientStore) << "opened" << path;
    return true;
}

void LocalStore::close()
{
    if (m_connection.isEmpty())
        return;
    // Prepared queries hold the connection: gone before it is removed.
    m_statements.reset();
    sqlite::close(m_connection);
    m_connection.clear();
    m_path.clear();
}

QList<RoomSummary> LocalStore::rooms() const
{
    QList<RoomSummary> out;
    QSqlQuery q(QSqlDatabase::database(m_connection, false));
    q.prepare(u"SELECT id, direct, name, topic, last_seq, member_count, members, read_seq, "
              "unread, mentions, is_private, invites_by, role, is_group, notify FROM rooms "
              "WHERE has_summary = 1 "
              "ORDER BY id"_s);
    if (!run(q))
        return out;
    while (q.next()) {
        RoomSummary r;
        r.id = q.value(0).toLongLong();
        r.direct = q.value(1).toBool();
        r.name = q.value(2).toString();
        r.topic = q.value(3).toString();
        r.lastSeq = q.value(4).toLongLong();
        r.memberCount = q.value(5).toInt();
        const QString members = q.value(6).toString();
        if (!members.isEmpty())
            r.members = members.split(u'\n');
        r.readSeq = q.value(7).toLongLong();
        r.unread = q.value(8).toLongLong();
        r.mentions = q.value(9).toLongLong();
        r.isPrivate = q.value(10).toBool();
        r.invitesBy = q.value(11).toString();
        r.role = q.value(12).toString();
        r.group = q.value(13).toBool();
        r.notify = q.value(14).toString();
        out.append(r);
    }
    return out;
}

QHash<qint64, qint64> LocalStore::cursors() const
{
    QHash<qint64, qint64> out;
    QSqlQuery q(QSqlDatabase::database(m_connection, false));
    q.prepare(u"SELECT id, cursor FROM rooms WHERE cursor > 0"_s);
    if (!run(q))
        return out;
    while (q.next())
        out.insert(q.value(0).toLongLong(), q.value(1).toLongLong());
    return out;
}

QList<protocol::RoomEvent> LocalStore::events(qint64 room, int limit) const
{
    QList<protocol::RoomEvent> out;
    QSqlQuery q(QSqlDatabase::database(m_connection, false));
    q.prepare(u"SELECT json FROM (SELECT seq, json FROM events WHERE room = ? ORDER BY seq DESC "
              "LIMIT ?) ORDER BY seq"_s);
    q.addBindValue(room);
    q.addBindValue(limit);
    if (!run(q))
        return out;
    while (q.next()) {
        const auto doc = QJsonDocument::fromJson(q.value(0).toString().toUtf8());
        if (const auto e = protocol::RoomEvent::fromJson(doc.object()))
            out.append(*e);
    }
    return out;
}

bool LocalStore::apply(const StoreBatch &batch)
{
    QSqlDatabase db = QSqlDatabase::database(m_connection, false);
    if (!m_statements || !db.isOpen() || !db.transaction())
        return false;
    Statements &st = *m_statements;
    bool ok = true;
    for (const RoomSummary &r : batch.upserts) {
        if (!ok)
            break;
        QSqlQuery &q = st.upsertRoom;
        q.bindValue(0, r.id);
        q.bindValue(1, r.direct ? 1 : 0);
        q.bindValue(2, text(r.name));
        q.bindValue(3, text(r.topic));
        q.bindValue(4, r.lastSeq);
        q.bindValue(5, r.memberCount);
        q.bindValue(6, text(r.members.join(u'\n')));
        q.bindValue(7, r.readSeq);
        q.bindValue(8, r.unread);
        q.bindValue(9, r.mentions);
        q.bindValue(10, r.isPrivate ? 1 : 0);
        q.bindValue(11, text(r.invitesBy));
        q.bindValue(12, text(r.role));
        q.bindValue(13, r.group ? 1 : 0);
        q.bindValue(14, text(r.notify));
        ok = run(q);
    }
    for (qint64 id : batch.removed) {
        for (QSqlQuery *q : {&st.deleteRoom, &st.deleteEvents}) {
            if (!ok)
                break;
            q->bindValue(0, id);
            ok = run(*q);
        }
    }
    for (qint64 id : batch.resets) {
        for (QSqlQuery *q : {&st.deleteEvents, &st.resetCursor}) {
            if (!ok)
                break;
            q->bindValue(0, id);
            ok = run(*q);
        }
    }
    ok = ok && writeEvents(batch.events);
    for (auto it = batch.cursors.cbegin(); ok && it != batch.cursors.cend(); ++it) {
        st.raiseCursor.bindValue(0, it.key());
        st.raiseCursor.bindValue(1, it.value());
        ok = run(st.raiseCursor);
    }
    for (const QString &txn : batch.deliveredTxns) {
        if (!ok)
            break;
        st.deleteOutbox.bindValue(0, txn);
        ok = run(st.deleteOutbox);
    }
    if (!ok) {
        db.rollback();
        return false;
    }
    return db.commit();
}

bool LocalStore::writeEvents(const QList<protocol::RoomEvent> &events)
{
    Statements &st = *m_statements;
    // Only the newest MaxEventsPerRoom of a room are kept, so only events that survive
    // the trim are written: of a burst of 10 000 the newest 500, and nothing of an older
    // history page that falls below a full room's oldest kept event.
    QHash<qint64, QList<const protocol::RoomEvent *>> perRoom;
    QList<const protocol::RoomEvent *> changes;
    for (const protocol::RoomEvent &e : events) {
        if (protocol::changesMessage(e.kind))
            changes.append(&e);
        else
            perRoom[e.room].append(&e);
    }
    for (auto it = perRoom.begin(); it != perRoom.end(); ++it) {
        const qint64 room = it.key();
        QList<const protocol::RoomEvent *> &newestFirst = it.value();
        std::stable_sort(newestFirst.begin(), newestFirst.end(),
            [](const auto *a, const auto *b) { return a->seq > b->seq; });
        qint64 keepFrom = 0;
        st.keepFrom.bindValue(0, room);
        st.keepFrom.bindValue(1, MaxEventsPerRoom - 1);
        if (!run(st.keepFrom))
            return false;
        if (st.keepFrom.next())
            keepFrom = st.keepFrom.value(0).toLongLong();
        st.keepFrom.finish();

        int kept = 0;
        qint64 previous = 0;
        for (const protocol::RoomEvent *e : std::as_const(newestFirst)) {
            if (e->seq == previous)
                continue;
            // Sorted newest first: everything from here on would be trimmed.
            if (kept == MaxEventsPerRoom || e->seq < keepFrom)
                break;
            previous = e->seq;
            ++kept;
            st.insertEvent.bindValue(0, room);
            st.insertEvent.bindValue(1, e->seq);
            st.insertEvent.bindValue(
                2, QString::fromUtf8(QJsonDocument(e->toJson()).toJson(QJsonDocument::Compact)));
            st.insertEvent.bindValue(3, e->state.changedSeq);
            if (!run(st.insertEvent))
                return false;
        }
        if (kept == 0)
            continue;
        st.trimEvents.bindValue(0, room);
        st.trimEvents.bindValue(1, room);
        st.trimEvents.bindValue(2, MaxEventsPerRoom - 1);
        if (!run(st.trimEvents))
            return false;
    }
    return applyChanges(changes);
}

bool LocalStore::applyChanges(const QList<const protocol::RoomEvent *> &changes)
{
    // In seq order, after the batch's messages: a page can hold a message and its edit.
    QList<const protocol::RoomEvent *> ordered = changes;
    std::stable_sort(ordered.begin(), ordered.end(), [](const auto *a, const auto *b) {
        return a->room != b->room ? a->room < b->room : a->seq < b->seq;
    });
    Statements &st = *m_statements;
    for (const protocol::RoomEvent *change : std::as_const(ordered)) {
        st.readMessage.bindValue(0, change->room);
        st.readMessage.bindValue(1, change->target);
        if (!run(st.readMessage))
            return false;
        // A message not cached is not kept for: the server bundles its state whenever
        // it is read again (§7.4).
        std::optional<protocol::RoomEvent> message;
        if (st.readMessage.next())
            message = protocol::RoomEvent::fromJson(
                QJsonDocument::fromJson(st.readMessage.value(0).toString().toUtf8()).object());
        st.readMessage.finish();
        if (!message || message->kind != protocol::EventKind::Message
            || !applyChange(message->state, message->text, *change, {}))
            continue;
        st.updateMessage.bindValue(
            0, QString::fromUtf8(QJsonDocument(message->toJson()).toJson(QJsonDocument::Compact)));
        st.updateMessage.bindValue(1, message->state.changedSeq);
        st.updateMessage.bindValue(2, change->room);
        st.updateMessage.bindValue(3, change->target);
        if (!run(st.updateMessage))
            return false;
    }
    return true;
}

QList<OutboxEntry> LocalStore::outbox() const
{
    QList<OutboxEntry> out;
    QSqlQuery q(QSqlDatabase::database(m_connection, false));
    q.prepare(u"SELECT ord, txn, room, text, created, failed, error, reply_to FROM outbox "
              "ORDER BY ord"_s);
    if (!run(q))
        return out;
    while (q.next()) {
        OutboxEntry e;
        e.order = q.value(0).toLongLong();
        e.txn = q.value(1).toString();
        e.room = q.value(2).toLongLong();
        e.text = q.value(3).toString();
        e.createdMs = q.value(4).toLongLong();
        e.failed = q.value(5).toBool();
        e.error = q.value(6).toString();
        e.replyTo = q.value(7).toLongLong();
        out.append(e);
    }
    QSqlQuery f(QSqlDatabase::database(m_connection, false));
    f.prepare(u"SELECT txn, source, owned, name, size, sha256, upload, durable, file "
              "FROM outbox_files ORDER BY txn, pos"_s);
    if (!run(f))
        return out;
    QHash<QString, QList<OutboxFile>> files;
    while (f.next()) {
        OutboxFile file;
        file.source = f.value(1).toString();
        file.owned = f.value(2).toBool();
        file.name = f.value(3).toString();
        file.size = f.value(4).toLongLong();
        file.sha256 = f.value(5).toString();
        file.upload = f.value(6).toLongLong();
        file.durable = f.value(7).toLongLong();
        file.file = QJsonDocument::fromJson(f.value(8).toByteArray()).object();
        files[f.value(0).toString()].append(file);
    }
    for (OutboxEntry &e : out)
        e.files = files.value(e.txn);
    return out;
}

namespace {

bool writeOutboxFile(QSqlQuery &q, const QString &txn, int position, const OutboxFile &file)
{
    q.bindValue(0, txn);
    q.bindValue(1, position);
    q.bindValue(2, text(file.source));
    q.bindValue(3, file.owned ? 1 : 0);
    q.bindValue(4, text(file.name));
    q.bindValue(5, file.size);
    q.bindValue(6, text(file.sha256));
    q.bindValue(7, file.upload);
    q.bindValue(8, file.durable);
    q.bindValue(9,
        file.file.isEmpty()
            ? u""_s
            : QString::fromUtf8(QJsonDocument(file.file).toJson(QJsonDocument::Compact)));
    return run(q);
}

const QString UpsertOutboxFile
    = u"INSERT OR REPLACE INTO outbox_files (txn, pos, source, owned, name, size, sha256, "
      "upload, durable, file) VALUES (?,?,?,?,?,?,?,?,?,?)"_s;

} // namespace

bool LocalStore::updateOutboxFile(const QString &txn, int position, const OutboxFile &file)
{
    QSqlQuery q(QSqlDatabase::database(m_connection, false));
    q.prepare(UpsertOutboxFile);
    return writeOutboxFile(q, txn, position, file);
}

bool LocalStore::addOutbox(OutboxEntry &entry)
{
    QSqlQuery q(QSqlDatabase::database(m_connection, false));
    q.prepare(u"INSERT INTO outbox (txn, room, text, created, failed, error, reply_to) "
              "VALUES (?,?,?,?,?,?,?)"_s);
    q.addBindValue(entry.txn);
    q.addBindValue(entry.room);
    q.addBindValue(text(entry.text));
    q.addBindValue(entry.createdMs);
    q.addBindValue(entry.failed ? 1 : 0);
    q.addBindValue(text(entry.error));
    q.addBindValue(entry.replyTo);
    if (entry.files.isEmpty()) {
        if (!run(q))
            return false;
        entry.order = q.lastInsertId().toLongLong();
        return true;
    }
    // The message and its files are one row to the outbox: both or neither.
    QSqlDatabase db = QSqlDatabase::database(m_connection, false);
    if (!db.transaction())
        return false;
    bool ok = run(q);
    entry.order = q.lastInsertId().toLongLong();
    QSqlQuery f(db);
    f.prepare(UpsertOutboxFile);
    for (int i = 0; ok && i < entry.files.size(); ++i)
        ok = writeOutboxFile(f, entry.txn, i, entry.files.at(i));
    if (!ok) {
        db.rollback();
        return false;
    }
    return db.commit();
}

bool LocalStore::markOutboxFailed(const QString &txn, const QString &error)
{
    QSqlQuery q(QSqlDatabase::database(m_connection, false));
    q.prepare(u"UPDATE outbox SET failed = 1, error = ? WHERE txn = ?"_s);
    q.addBindValue(text(error));
    q.addBindValue(txn);
    return run(q);
}

bool LocalStore::requeueOutbox(const QString &oldTxn, const QString &newTxn)
{
    QSqlDatabase db = QSqlDatabase::database(m_connection, false);
    QSqlQuery q(db);
    q.prepare(u"SELECT room, text, created, reply_to FROM outbox WHERE txn = ?"_s);
    q.addBindValue(oldTxn);
    if (!run(q) || !q.next())
        return false;
    OutboxEntry e;
    e.txn = newTxn;
    e.room = q.value(0).toLongLong();
    e.text = q.value(1).toString();
    e.createdMs = q.value(2).toLongLong();
    e.replyTo = q.value(3).toLongLong();
    q.finish();
    if (!db.transaction())
        return false;
    // The files go with the message: moved to the new txn before the old row (whose
    // trigger deletes its files) goes.
    QSqlQuery move(db);
    move.prepare(u"UPDATE outbox_files SET txn = ? WHERE txn = ?"_s);
    move.addBindValue(newTxn);
    move.addBindValue(oldTxn);
    if (!run(move) || !removeOutbox(oldTxn) || !addOutbox(e)) {
        db.rollback();
        return false;
    }
    return db.commit();
}

bool LocalStore::removeOutbox(const QString &txn)
{
    QSqlQuery q(QSqlDatabase::database(m_connection, false));
    q.prepare(u"DELETE FROM outbox WHERE txn = ?"_s);
    q.addBindValue(txn);
    return run(q);
}

QString LocalStore::deviceId()
{
    QString id = meta(u"device_id"_s);
    if (id.isEmpty()) {
        // Short and within the txn alphabet [A-Za-z0-9_.:-].
        id = QUuid::createUuid().toString(QUuid::Id128).left(12);
        setMeta(u"device_id"_s, id);
    }
    return id;
}

qint64 LocalStore::nextTxnCounter()
{
    const qint64 next = meta(u"txn_counter"_s).toLongLong() + 1;
    // Persist before use: a txn must never be handed out twice, even after a crash.
    if (!setMeta(u"txn_counter"_s, QString::number(next)))
        return -1;
    return next;
}

QString LocalStore::meta(const QString &key) const
{
    QSqlQuery q(QSqlDatabase::database(m_connection, false));
    q.prepare(u"SELECT value FROM meta WHERE key = ?"_s);
    q.addBindValue(key);
    if (!run(q) || !q.next())
        return {};
    return q.value(0).toString();
}

bool LocalStore::setMeta(const QString &key, const QString &value)
{
    QSqlQuery q(QSqlDatabase::database(m_connection, false));
    q.prepare(u"INSERT INTO meta (key, value) VALUES (?, ?) ON CONFLICT(key) DO UPDATE SET "
              "value = excluded.value"_s);
    q.addBindValue(key);
    q.addBindValue(text(value));
    return run(q);
}

} // namespace confab::client
