// SPDX-License-Identifier: GPL-3.0-or-later
// The per-account cache on a real SQLite file: rooms, cursors, events, outbox and meta
// survive a reopen; each room keeps only its newest events; a cache written before the
// schema was versioned is adopted, migrations run once, and a newer cache is refused.
#include "store/cacheschema.h"
#include "store/localstore.h"

#include <QJsonDocument>
#include <QSqlDatabase>
#include <QSqlQuery>
#include <QTemporaryDir>
#include <QtTest>

using namespace Qt::StringLiterals;
using confab::client::LocalStore;
using confab::client::OutboxEntry;
using confab::client::RoomSummary;
using confab::client::StoreBatch;
using confab::protocol::EventKind;
using confab::protocol::RoomEvent;
using confab::sqlite::Migration;
using confab::sqlite::Schema;

namespace {

// What LocalStore ran on every open before the cache's schema was versioned, frozen here:
// caches in users' hands look exactly like this, at user_version 0.
const QStringList UnversionedSchema {
    u"PRAGMA journal_mode=WAL"_s,
    u"PRAGMA synchronous=NORMAL"_s,
    u"CREATE TABLE IF NOT EXISTS rooms (id INTEGER PRIMARY KEY, direct INTEGER NOT NULL "
    "DEFAULT 0, name TEXT NOT NULL DEFAULT '', topic TEXT NOT NULL DEFAULT '', "
    "last_seq INTEGER NOT NULL DEFAULT 0, member_count INTEGER NOT NULL DEFAULT 0, "
    "members TEXT NOT NULL DEFAULT '', read_seq INTEGER NOT NULL DEFAULT 0, "
    "unread INTEGER NOT NULL DEFAULT 0, mentions INTEGER NOT NULL DEFAULT 0, "
    "has_summary INTEGER NOT NULL DEFAULT 0, cursor INTEGER NOT NULL DEFAULT 0)"_s,
    u"CREATE TABLE IF NOT EXISTS events (room INTEGER NOT NULL, seq INTEGER NOT NULL, "
    "json TEXT NOT NULL, PRIMARY KEY (room, seq)) WITHOUT ROWID"_s,
    u"CREATE TABLE IF NOT EXISTS outbox (ord INTEGER PRIMARY KEY AUTOINCREMENT, "
    "txn TEXT NOT NULL UNIQUE, room INTEGER NOT NULL, text TEXT NOT NULL, "
    "created INTEGER NOT NULL, failed INTEGER NOT NULL DEFAULT 0, "
    "error TEXT NOT NULL DEFAULT '')"_s,
    u"CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL)"_s,
};

RoomEvent message(qint64 room, qint64 seq, const QString &text)
{
    RoomEvent e;
    e.id = room * 100000 + seq;
    e.room = room;
    e.seq = seq;
    e.timestamp = 1'700'000'000'000 + seq;
    e.kind = EventKind::Message;
    e.sender = u"ana"_s;
    e.txn = u"t%1"_s.arg(seq);
    e.text = text;
    if (text.contains(u"@bob"_s))
        e.mentions = {u"bob"_s};
    return e;
}

RoomSummary room(qint64 id, const QString &name, bool direct = false)
{
    RoomSummary r;
    r.id = id;
    r.name = name;
    r.direct = direct;
    r.topic = direct ? QString() : u"topic of "_s + name;
    r.lastSeq = 7;
    r.memberCount = 2;
    if (direct)
        r.members = {u"ana"_s, u"bob"_s};
    r.readSeq = 3;
    r.unread = 4;
    r.mentions = 1;
    return r;
}

// Runs \a statements on \a path through a plain connection, as code other than
// LocalStore would; returns the first row's first column of the last one.
QVariant raw(const QString &path, const QStringList &statements)
{
    QVariant result;
    {
        QSqlDatabase db = QSqlDatabase::addDatabase(u"QSQLITE"_s, u"raw"_s);
        db.setDatabaseName(path);
        if (db.open()) {
            for (const QString &sql : statements) {
                QSqlQuery q(db);
                if (!q.exec(sql)) {
                    qWarning() << sql << "failed";
                    break;
                }
                if (q.next())
                    result = q.value(0);
            }
        }
        db.close();
    }
    QSqlDatabase::removeDatabase(u"raw"_s);
    return result;
}

int userVersion(const QString &path)
{
    return raw(path, {u"PRAGMA user_version"_s}).toInt();
}

// A cache as the code before versioning left it: a room with its summary and cursor,
// two events, an unsent message, a device id and a txn counter.
void writeUnversionedCache(const QString &path)
{
    QStringList statements = UnversionedSchema;
    statements << u"INSERT INTO rooms VALUES (5, 0, 'five', 'topic of five', 2, 2, '', 1, 1, "
                  "0, 1, 2)"_s;
    for (qint64 seq : {1, 2}) {
        const QString json
            = QString::fromUtf8(QJsonDocument(message(5, seq, u"m%1"_s.arg(seq)).toJson())
                                    .toJson(QJsonDocument::Compact));
        statements << u"INSERT INTO events VALUES (5, %1, '%2')"_s.arg(seq).arg(json);
    }
    statements << u"INSERT INTO outbox (txn, room, text, created) VALUES ('dev:7', 5, 'unsent', "
                  "1000)"_s
               << u"INSERT INTO meta VALUES ('device_id', 'dev'), ('txn_counter', '7')"_s;
    raw(path, statements);
}

// What writeUnversionedCache() wrote, read back through \a s.
void verifyUnversionedRows(LocalStore &s)
{
    const QList<RoomSummary> rooms = s.rooms();
    QCOMPARE(rooms.size(), 1);
    QCOMPARE(rooms.first().name, u"five"_s);
    QCOMPARE(rooms.first().unread, 1);
    QCOMPARE(s.cursors().value(5), 2);
    const QList<RoomEvent> events = s.events(5);
    QCOMPARE(events.size(), 2);
    QCOMPARE(events.last().text, u"m2"_s);
    const QList<OutboxEntry> outbox = s.outbox();
    QCOMPARE(outbox.size(), 1);
    QCOMPARE(outbox.first().text, u"unsent"_s);
    QCOMPARE(s.deviceId(), u"dev"_s);
}

// The version the app's cache is at, and the next one, which only tests know. Functions,
// not constants: cacheSchema() must not run during static initialisation.
int latestVersion()
{
    return confab::client::cacheSchema().latestVersion();
}

int nextVersion()
{
    return latestVersion() + 1;
}

// The cache's schema with a version nextVersion() that only tests know, counting its runs.
Schema withNextVersion(QStringList statements, int *runs)
{
    QList<Migration> migrations = confab::client::cacheSchema().migrations();
    migrations.append({nextVersion(), std::move(statements), [runs](QSqlDatabase &, QString *) {
                           ++*runs;
                           return true;
                       }});
    return Schema(u"client cache"_s, migrations);
}

} // namespace

class TestLocalStore : public QObject
{
    Q_OBJECT

    QTemporaryDir m_dir;
    QString path() const { return m_dir.filePath(u"cache.sqlite"_s); }

private Q_SLOTS:
    void init()
    {
        for (const QString &suffix : {u""_s, u"-wal"_s, u"-shm"_s})
            QFile::remove(path() + suffix);
    }

    void pathIsPerAccountAndCaseInsensitiveInTheUser()
    {
        const QString a = LocalStore::pathFor(u"/d"_s, u"ws://h:1"_s, u"Ana"_s);
        QCOMPARE(a, LocalStore::pathFor(u"/d"_s, u"ws://h:1"_s, u"ana"_s));
        QVERIFY(a != LocalStore::pathFor(u"/d"_s, u"ws://h:2"_s, u"ana"_s));
        QVERIFY(a != LocalStore::pathFor(u"/d"_s, u"ws://h:1"_s, u"bob"_s));
        QVERIFY(a.startsWith(u"/d/"_s) && a.endsWith(u".sqlite"_s));
    }

    void roomsCursorsAndEventsSurviveReopen()
    {
        {
            LocalStore s;
            QVERIFY(s.open(path()));
            StoreBatch b;
            b.upserts = {room(1, u"general"_s), room(2, u"bob"_s, true)};
            b.events
                = {message(1, 5, u"hi @bob"_s), message(1, 6, u"two"_s), message(2, 3, u"dm"_s)};
            b.cursors = {{1, 6}, {2, 3}};
            QVERIFY(s.apply(b));
            // Cursors only move up, even if a later batch says less.
            StoreBatch lower;
            lower.cursors = {{1, 2}};
            QVERIFY(s.apply(lower));
        }
        LocalStore s;
        QVERIFY(s.open(path()));
        const auto rooms = s.rooms();
        QCOMPARE(rooms.size(), 2);
        QCOMPARE(rooms[0], room(1, u"general"_s));
        QCOMPARE(rooms[1], room(2, u"bob"_s, true));
        const auto cursors = s.cursors();
        QCOMPARE(cursors.value(1), 6);
        QCOMPARE(cursors.value(2), 3);
        const auto events = s.events(1);
        QCOMPARE(events.size(), 2);
        QCOMPARE(events[0], message(1, 5, u"hi @bob"_s));
        QCOMPARE(events[1], message(1, 6, u"two"_s));
        QCOMPARE(s.events(2).size(), 1);

        // A room removed takes its events and cursor along.
        StoreBatch rm;
        rm.removed = {1};
        QVERIFY(s.apply(rm));
        QCOMPARE(s.rooms().size(), 1);
        QVERIFY(s.events(1).isEmpty());
        QVERIFY(!s.cursors().contains(1));
    }

    // A group's kind and each room's notification level (§18.3, §18.4) come back as written.
    void groupsAndNotifyLevelsSurviveReopen()
    {
        RoomSummary group = room(3, u"ana, cy"_s, true);
        group.group = true;
        group.members = {u"ana"_s, u"bob"_s, u"cy"_s};
        group.memberCount = 3;
        group.notify = u"mentions"_s;
        RoomSummary quiet = room(4, u"quiet"_s);
        quiet.notify = u"none"_s;
        {
            LocalStore s;
            QVERIFY(s.open(path()));
            StoreBatch b;
            b.upserts = {group, quiet, room(5, u"bob"_s, true)};
            QVERIFY(s.apply(b));
        }
        LocalStore s;
        QVERIFY(s.open(path()));
        const auto rooms = s.rooms();
        QCOMPARE(rooms.size(), 3);
        QCOMPARE(rooms[0], group);
        QCOMPARE(rooms[1], quiet);
        QCOMPARE(rooms[2], room(5, u"bob"_s, true));
        QVERIFY(!rooms[2].group);
        QVERIFY(rooms[2].notify.isEmpty());
    }

    // A cache at version 4 (before groups and levels) gains both columns; a cached direct
    // room of more than two members can only be a group and becomes one, the rest keep
    // "not a group" and no level until the server's summaries come.
    void version4CacheGainsGroupsAndLevels()
    {
        // Written as the app of version 4 left it: that schema, rows through plain SQL.
        const QList<Migration> upTo4 = confab::client::cacheSchema().migrations().mid(0, 4);
        QCOMPARE(upTo4.last().version, 4);
        {
            QSqlDatabase db = QSqlDatabase::addDatabase(u"QSQLITE"_s, u"v4"_s);
            db.setDatabaseName(path());
            QVERIFY(db.open());
            QString error;
            QVERIFY2(Schema(u"client cache"_s, upTo4).migrate(db, &error), qPrintable(error));
            QSqlQuery q(db);
            QVERIFY(q.exec(
                u"INSERT INTO rooms (id, direct, name, member_count, members, has_summary) VALUES "
                "(1, 0, 'general', 5, '', 1), (2, 1, 'bob', 2, 'ana\nbob', 1), "
                "(3, 1, 'bob, cy', 3, 'ana\nbob\ncy', 1)"_s));
            db.close();
        }
        QSqlDatabase::removeDatabase(u"v4"_s);
        QCOMPARE(userVersion(path()), 4);
        LocalStore s;
        QVERIFY(s.open(path()));
        QCOMPARE(userVersion(path()), latestVersion());
        QVERIFY(latestVersion() >= 5);
        const auto rooms = s.rooms();
        QCOMPARE(rooms.size(), 3);
        QVERIFY(!rooms[0].group);
        QVERIFY(!rooms[1].group);
        QVERIFY(rooms[2].group);
        QCOMPARE(rooms[2].members, QStringList({u"ana"_s, u"bob"_s, u"cy"_s}));
        for (const RoomSummary &r : rooms)
            QVERIFY(r.notify.isEmpty());
    }

    void keepsOnlyTheNewestEventsPerRoom()
    {
        LocalStore s;
        QVERIFY(s.open(path()));
        StoreBatch b;
        for (qint64 seq = 1; seq <= 700; ++seq)
            b.events.append(message(1, seq, u"m%1"_s.arg(seq)));
        b.events.append(message(2, 1, u"other room"_s));
        b.cursors = {{1, 700}, {2, 1}};
        QVERIFY(s.apply(b));
        auto events = s.events(1);
        QCOMPARE(events.size(), LocalStore::MaxEventsPerRoom);
        QCOMPARE(events.first().seq, 201);
        QCOMPARE(events.last().seq, 700);
        QCOMPARE(s.events(2).size(), 1);
        QCOMPARE(s.events(1, 10).first().seq, 691);

        StoreBatch more;
        more.events = {message(1, 701, u"new"_s)};
        more.cursors = {{1, 701}};
        QVERIFY(s.apply(more));
        events = s.events(1);
        QCOMPARE(events.size(), LocalStore::MaxEventsPerRoom);
        QCOMPARE(events.first().seq, 202);
        QCOMPARE(events.last().text, u"new"_s);
        s.close();

        // Check the file itself, not just what the class reports.
        {
            QSqlDatabase db = QSqlDatabase::addDatabase(u"QSQLITE"_s, u"check"_s);
            db.setDatabaseName(path());
            QVERIFY(db.open());
            QSqlQuery q(db);
            QVERIFY(q.exec(u"SELECT count(*) FROM events WHERE room = 1"_s) && q.next());
            QCOMPARE(q.value(0).toInt(), 500);
            QVERIFY(q.exec(u"PRAGMA journal_mode"_s) && q.next());
            QCOMPARE(q.value(0).toString(), u"wal"_s);
        }
        QSqlDatabase::removeDatabase(u"check"_s);
    }

    void outboxRoundTripInOrder()
    {
        {
            LocalStore s;
            QVERIFY(s.open(path()));
            for (int i = 1; i <= 3; ++i) {
                OutboxEntry e;
                e.txn = u"dev:%1"_s.arg(i);
                e.room = 1;
                e.text = u"message %1"_s.arg(i);
                e.createdMs = 1000 + i;
                QVERIFY(s.addOutbox(e));
                QVERIFY(e.order > 0);
            }
            QVERIFY(s.markOutboxFailed(u"dev:1"_s, u"gone"_s));
            QVERIFY(s.requeueOutbox(u"dev:1"_s, u"dev:4"_s)); // retry: new txn, at the end
            StoreBatch delivered;
            delivered.deliveredTxns = {u"dev:2"_s};
            QVERIFY(s.apply(delivered));
            QVERIFY(s.markOutboxFailed(u"dev:3"_s, u"not a member"_s));
        }
        LocalStore s;
        QVERIFY(s.open(path()));
        const auto rows = s.outbox();
        QCOMPARE(rows.size(), 2);
        QCOMPARE(rows[0].txn, u"dev:3"_s);
        QVERIFY(rows[0].failed);
        QCOMPARE(rows[0].error, u"not a member"_s);
        QCOMPARE(rows[1].txn, u"dev:4"_s);
        QCOMPARE(rows[1].text, u"message 1"_s);
        QCOMPARE(rows[1].createdMs, 1001);
        QVERIFY(!rows[1].failed);
        QVERIFY(s.removeOutbox(u"dev:3"_s));
        QCOMPARE(s.outbox().size(), 1);
    }

    void metaDeviceIdAndTxnCounterPersist()
    {
        QString device;
        {
            LocalStore s;
            QVERIFY(s.open(path()));
            device = s.deviceId();
            QVERIFY(!device.isEmpty());
            QCOMPARE(s.deviceId(), device);
            QCOMPARE(s.nextTxnCounter(), 1);
            QCOMPARE(s.nextTxnCounter(), 2);
            QVERIFY(s.setMeta(u"last_room"_s, u"42"_s));
        }
        LocalStore s;
        QVERIFY(s.open(path()));
        QCOMPARE(s.deviceId(), device);
        QCOMPARE(s.nextTxnCounter(), 3); // never hands out a txn twice
        QCOMPARE(s.meta(u"last_room"_s), u"42"_s);
        // The device id fits the protocol's txn alphabet.
        QVERIFY(QRegularExpression(u"^[A-Za-z0-9_.:-]+$"_s).match(device + u":3"_s).hasMatch());
    }

    void twoStoresAtOnce()
    {
        LocalStore a;
        LocalStore b;
        QVERIFY(a.open(path()));
        QVERIFY(b.open(m_dir.filePath(u"other.sqlite"_s)));
        StoreBatch batch;
        batch.upserts = {room(9, u"nine"_s)};
        QVERIFY(a.apply(batch));
        QCOMPARE(a.rooms().size(), 1);
        QCOMPARE(b.rooms().size(), 0);
    }

    void messagesKeepTheirCurrentState()
    {
        const auto changeOf = [](qint64 seq, EventKind kind, qint64 target, const QString &arg) {
            RoomEvent e;
            e.id = 900 + seq;
            e.room = 1;
            e.seq = seq;
            e.timestamp = 1'700'000'001'000 + seq;
            e.kind = kind;
            e.sender = u"ana"_s;
            e.target = target;
            (kind == EventKind::Edit ? e.text : e.key) = arg;
            return e;
        };
        {
            LocalStore s;
            QVERIFY(s.open(path()));
            StoreBatch b;
            RoomEvent reply = message(1, 6, u"answer"_s);
            reply.replyTo = 5;
            // A page with a message and its changes; one change names a message not cached.
            b.events = {message(1, 5, u"original"_s), reply, message(1, 7, u"gone soon"_s),
                changeOf(8, EventKind::Edit, 5, u"edited"_s),
                changeOf(9, EventKind::React, 5, u"👍"_s), changeOf(10, EventKind::React, 5, u"🎉"_s),
                changeOf(11, EventKind::Unreact, 5, u"🎉"_s), changeOf(12, EventKind::Redact, 7, {}),
                changeOf(13, EventKind::React, 2, u"👀"_s)};
            QVERIFY(s.apply(b));
            // The same change again (a sync after a drop) is not applied twice.
            StoreBatch again;
            again.events = {changeOf(9, EventKind::React, 5, u"👍"_s)};
            QVERIFY(s.apply(again));
        }
        // A cold start: what the next open reads, with no network.
        LocalStore s;
        QVERIFY(s.open(path()));
        const QList<RoomEvent> events = s.events(1);
        QCOMPARE(events.size(), 3); // changes are not stored as events
        QCOMPARE(events[0].text, u"edited"_s);
        QCOMPARE(events[0].state.editedAt, 1'700'000'001'008);
        QCOMPARE(events[0].state.changedSeq, 11);
        QCOMPARE(events[0].state.reactions.size(), 1);
        QCOMPARE(events[0].state.reactions[0].key, u"👍"_s);
        QCOMPARE(events[0].state.reactions[0].count, 1);
        QCOMPARE(events[1].replyTo, 5);
        QVERIFY(events[2].state.redacted);
        QCOMPARE(events[2].text, QString());
        QCOMPARE(
            raw(path(), {u"SELECT count(*) FROM events WHERE json LIKE '%gone soon%'"_s}).toInt(),
            0);

        // A page read later carries the server's state: newer replaces, older does not.
        RoomEvent newer = message(1, 5, u"edited twice"_s);
        newer.state.changedSeq = 20;
        newer.state.editedAt = 1'700'000'002'000;
        RoomEvent older = message(1, 6, u"answer"_s);
        older.state.changedSeq = 0;
        StoreBatch page;
        page.events = {newer, older};
        QVERIFY(s.apply(page));
        const QList<RoomEvent> after = s.events(1);
        QCOMPARE(after[0].text, u"edited twice"_s);
        QCOMPARE(after[0].state.changedSeq, 20);
        QVERIFY(after[0].state.reactions.isEmpty());
        QCOMPARE(after[1].replyTo, 5);
    }

    void outboxKeepsWhatAReplyAnswers()
    {
        {
            LocalStore s;
            QVERIFY(s.open(path()));
            OutboxEntry e {u"dev:1"_s, 3, u"me too"_s, 1000, false, {}, 0, 42, {}};
            QVERIFY(s.addOutbox(e));
            QVERIFY(s.requeueOutbox(u"dev:1"_s, u"dev:2"_s));
        }
        LocalStore s;
        QVERIFY(s.open(path()));
        const QList<OutboxEntry> outbox = s.outbox();
        QCOMPARE(outbox.size(), 1);
        QCOMPARE(outbox.first().txn, u"dev:2"_s);
        QCOMPARE(outbox.first().replyTo, 42);
    }

    void unversionedCacheIsAdoptedWithItsRows()
    {
        writeUnversionedCache(path());
        QCOMPARE(userVersion(path()), 0);
        {
            LocalStore s;
            QVERIFY(s.open(path()));
            verifyUnversionedRows(s);
            QCOMPARE(s.nextTxnCounter(), 8); // never hands out a txn twice
        }
        QCOMPARE(userVersion(path()), latestVersion());
        LocalStore s;
        QVERIFY(s.open(path()));
        verifyUnversionedRows(s);
    }

    void laterMigrationRunsOnce()
    {
        writeUnversionedCache(path());
        int runs = 0;
        const Schema next = withNextVersion(
            {u"ALTER TABLE rooms ADD COLUMN muted INTEGER NOT NULL DEFAULT 0"_s}, &runs);
        for (int i = 0; i < 3; ++i) {
            LocalStore s;
            QVERIFY(s.open(path(), next));
            verifyUnversionedRows(s);
        }
        QCOMPARE(runs, 1);
        QCOMPARE(userVersion(path()), nextVersion());
        QCOMPARE(raw(path(), {u"SELECT muted FROM rooms WHERE id = 5"_s}).toInt(), 0);
    }

    void failingMigrationKeepsTheVersionAndTheRows()
    {
        writeUnversionedCache(path());
        int runs = 0;
        const Schema broken = withNextVersion(
            {u"DELETE FROM events"_s, u"ALTER TABLE no_such_table ADD COLUMN x"_s}, &runs);
        {
            LocalStore s;
            QTest::ignoreMessage(
                QtWarningMsg, QRegularExpression(u"version %1 failed"_s.arg(nextVersion())));
            QTest::ignoreMessage(QtWarningMsg, QRegularExpression(u"cannot open the cache"_s));
            QVERIFY(!s.open(path(), broken));
            QVERIFY(!s.isOpen());
        }
        QCOMPARE(runs, 0);
        // Adoption and the app's migrations committed on their own; the failed step did not.
        QCOMPARE(userVersion(path()), latestVersion());
        LocalStore s;
        QVERIFY(s.open(path()));
        verifyUnversionedRows(s);
    }

    void newerCacheIsRefusedAndLeftAlone()
    {
        writeUnversionedCache(path());
        {
            // At the app's version first: a newer build's file has every earlier step.
            LocalStore s;
            QVERIFY(s.open(path()));
        }
        raw(path(), {u"PRAGMA user_version = %1"_s.arg(nextVersion())});
        {
            LocalStore s;
            QTest::ignoreMessage(QtCriticalMsg,
                QRegularExpression(u"client cache .* has schema version %1, newer than the %2 "_s
                                       .arg(nextVersion())
                                       .arg(latestVersion())));
            QTest::ignoreMessage(QtWarningMsg, QRegularExpression(u"cannot open the cache"_s));
            QVERIFY(!s.open(path()));
            QVERIFY(!s.isOpen());
        }
        QCOMPARE(userVersion(path()), nextVersion());
        QCOMPARE(raw(path(), {u"SELECT count(*) FROM events"_s}).toInt(), 2);
        QCOMPARE(raw(path(), {u"SELECT text FROM outbox"_s}).toString(), u"unsent"_s);
        // The build that wrote it still opens it.
        int runs = 0;
        LocalStore s;
        QVERIFY(s.open(path(), withNextVersion({}, &runs)));
        QCOMPARE(runs, 0);
        verifyUnversionedRows(s);
    }
};

QTEST_GUILESS_MAIN(TestLocalStore)
#include "tst_localstore.moc"
