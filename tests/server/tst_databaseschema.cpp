// SPDX-License-Identifier: GPL-3.0-or-later
// The server database's schema versioning on real files: a database written before the
// schema helper was shared is kept with its rows and brought to the latest version (its
// messages indexed), a later migration runs once, a failing one leaves the version before
// it, and a database from a newer confabd is refused.
#include "chat/chatservice.h"
#include "core/serverconfig.h"
#include "storage/accountstore.h"
#include "storage/database.h"
#include "storage/roomstore.h"
#include "storage/statementcache.h"
#include "storage/writecontext.h"

#include <QRegularExpression>
#include <QSqlError>
#include <QSqlQuery>
#include <QTemporaryDir>
#include <QtTest>

using namespace Qt::StringLiterals;
using namespace confab;
using server::Durability;
namespace database = server::database;

namespace {

// The schema exactly as confabd wrote it before this test was written (migration 1 then).
// Frozen here on purpose: database.cpp's version 1 must keep matching it.
const QStringList LegacySchema {
    uR"(CREATE TABLE users(
        id INTEGER PRIMARY KEY,
        name TEXT NOT NULL,
        name_key TEXT NOT NULL UNIQUE,
        password_hash TEXT NOT NULL,
        disabled INTEGER NOT NULL DEFAULT 0,
        created_ms INTEGER NOT NULL))"_s,
    uR"(CREATE TABLE tokens(
        hash BLOB PRIMARY KEY,
        user_id INTEGER NOT NULL REFERENCES users(id),
        created_ms INTEGER NOT NULL,
        expires_ms INTEGER NOT NULL) WITHOUT ROWID)"_s,
    u"CREATE INDEX tokens_user ON tokens(user_id)"_s,
    uR"(CREATE TABLE invites(
        code_hash BLOB PRIMARY KEY,
        uses_left INTEGER NOT NULL,
        created_ms INTEGER NOT NULL) WITHOUT ROWID)"_s,
    uR"(CREATE TABLE rooms(
        id INTEGER PRIMARY KEY,
        kind INTEGER NOT NULL,
        name TEXT NOT NULL,
        name_key TEXT,
        topic TEXT NOT NULL DEFAULT '',
        direct_key TEXT UNIQUE,
        created_ms INTEGER NOT NULL))"_s,
    u"CREATE UNIQUE INDEX rooms_channel_name ON rooms(name_key) WHERE name_key IS NOT NULL"_s,
    uR"(CREATE TABLE members(
        room_id INTEGER NOT NULL REFERENCES rooms(id),
        user_id INTEGER NOT NULL REFERENCES users(id),
        read_seq INTEGER NOT NULL DEFAULT 0,
        PRIMARY KEY(room_id, user_id)) WITHOUT ROWID)"_s,
    u"CREATE INDEX members_user ON members(user_id)"_s,
    uR"(CREATE TABLE events(
        id INTEGER PRIMARY KEY,
        room_id INTEGER NOT NULL REFERENCES rooms(id),
        seq INTEGER NOT NULL,
        ts INTEGER NOT NULL,
        kind INTEGER NOT NULL,
        sender_id INTEGER NOT NULL REFERENCES users(id),
        txn TEXT,
        body TEXT NOT NULL DEFAULT '',
        topic TEXT NOT NULL DEFAULT '',
        mentions TEXT NOT NULL DEFAULT '',
        UNIQUE(room_id, seq)))"_s,
    // The transaction id lives in the same row as the message, so one commit
    // makes both durable and a resend can never create a second row.
    u"CREATE UNIQUE INDEX events_txn ON events(sender_id, txn) WHERE txn IS NOT NULL"_s,
    uR"(CREATE TABLE mentions(
        user_id INTEGER NOT NULL,
        room_id INTEGER NOT NULL,
        seq INTEGER NOT NULL,
        PRIMARY KEY(user_id, room_id, seq)) WITHOUT ROWID)"_s,
    // Lets a running server notice what admin subcommands did from another process.
    uR"(CREATE TABLE admin_log(
        id INTEGER PRIMARY KEY,
        action TEXT NOT NULL,
        subject INTEGER NOT NULL,
        ts INTEGER NOT NULL))"_s,
};

const QStringList LegacyRows {
    u"INSERT INTO users VALUES (1, 'Ana', 'ana', 'hash-a', 0, 1000)"_s,
    u"INSERT INTO users VALUES (2, 'Bob', 'bob', 'hash-b', 0, 1001)"_s,
    u"INSERT INTO rooms VALUES (1, 0, 'general', 'general', 'hello all', NULL, 1002)"_s,
    u"INSERT INTO members VALUES (1, 1, 2), (1, 2, 0)"_s,
    u"INSERT INTO events VALUES (1, 1, 1, 1003, 0, 1, 't1', 'first', '', '')"_s,
    u"INSERT INTO events VALUES (2, 1, 2, 1004, 0, 2, 't2', 'second @ana', '', 'ana')"_s,
    u"INSERT INTO mentions VALUES (1, 1, 2)"_s,
};

const QString Connection = u"tst-schema"_s;
// The newest version this build knows: 2 added conversations and the search indexes, 3 files,
// 4 teams.
constexpr int Latest = 5;

QVariant scalar(const QSqlDatabase &db, const QString &sql)
{
    QSqlQuery q(db);
    if (!q.exec(sql) || !q.next())
        return {};
    return q.value(0);
}

} // namespace

class TestDatabaseSchema : public QObject
{
    Q_OBJECT

    QTemporaryDir m_dir;
    server::ServerConfig config() const
    {
        server::ServerConfig c;
        c.dataDir = m_dir.path();
        c.durability = Durability::Normal;
        return c;
    }
    QString path() const { return config().databasePath(); }

    QSqlDatabase open()
    {
        database::close(Connection);
        QString error;
        QSqlDatabase db = database::open(path(), Connection, Durability::Normal, &error);
        if (!error.isEmpty())
            qWarning() << error;
        return db;
    }

    void writeLegacy(int userVersion)
    {
        QSqlDatabase db = open();
        QVERIFY(db.isOpen());
        for (const QString &sql : LegacySchema + LegacyRows)
            QVERIFY2(QSqlQuery(db).exec(sql), qPrintable(sql));
        QVERIFY(QSqlQuery(db).exec(u"PRAGMA user_version = %1"_s.arg(userVersion)));
    }

    // What the rows of LegacyRows read back as, through the server's own store code when the
    // file was brought to the latest version (the store reads the latest schema's columns),
    // and through SQL alone when it was left as it was.
    void verifyLegacyRows(bool migrated = true)
    {
        QSqlDatabase db = open();
        QCOMPARE(scalar(db, u"SELECT group_concat(name, ',') FROM users ORDER BY id"_s).toString(),
            u"Ana,Bob"_s);
        QCOMPARE(
            scalar(db, u"SELECT group_concat(body, '|') FROM events ORDER BY seq"_s).toString(),
            u"first|second @ana"_s);
        QCOMPARE(scalar(db, u"SELECT count(*) FROM mentions"_s).toInt(), 1);
        if (!migrated) {
            QCOMPARE(scalar(db,
                         u"SELECT count(*) || '|' || group_concat(name || '|' || topic) "
                         u"FROM rooms"_s)
                         .toString(),
                u"1|general|hello all"_s);
            QCOMPARE(scalar(db,
                         u"SELECT group_concat(user_id, ',') FROM "
                         u"(SELECT user_id FROM members WHERE room_id = 1 ORDER BY user_id)"_s)
                         .toString(),
                u"1,2"_s);
            QCOMPARE(scalar(db, u"SELECT MAX(seq) FROM events WHERE room_id = 1"_s).toInt(), 2);
            QCOMPARE(scalar(db, u"SELECT read_seq FROM members WHERE room_id = 1 AND user_id = 1"_s)
                         .toInt(),
                2);
            return;
        }
        server::StatementCache reads(db);
        const QList<server::RoomRecord> rooms = server::roomstore::loadAll(reads);
        QCOMPARE(rooms.size(), 1);
        QCOMPARE(rooms.first().name, u"general"_s);
        QCOMPARE(rooms.first().topic, u"hello all"_s);
        QCOMPARE(rooms.first().members, (QSet<qint64> {1, 2}));
        QCOMPARE(rooms.first().lastSeq, 2);
        QCOMPARE(server::roomstore::readSeq(reads, 1, 1), 2);
    }

private Q_SLOTS:
    void cleanup()
    {
        database::close(Connection);
        for (const QString &suffix : {u""_s, u"-wal"_s, u"-shm"_s})
            QFile::remove(path() + suffix);
    }

    void version1IsTheLegacySchema()
    {
        // Every column and index of a fresh database is the one confabd always wrote.
        {
            QSqlDatabase db = open();
            QString error;
            QVERIFY2(database::migrate(db, &error), qPrintable(error));
            QCOMPARE(database::schema().latestVersion(), Latest);
            QCOMPARE(database::schema().migrations().first().statements, LegacySchema);
        }
    }

    void legacyDatabaseIsKept_data()
    {
        QTest::addColumn<int>("userVersion");
        QTest::newRow("stamped 1, as confabd always did") << 1;
        QTest::newRow("unversioned") << 0;
    }

    void legacyDatabaseIsKept()
    {
        QFETCH(int, userVersion);
        writeLegacy(userVersion);
        {
            // The real start-up path: the writer migrates, the reader loads the rooms.
            server::ChatService service(config());
            QString error;
            QVERIFY2(service.open(&error), qPrintable(error));
        }
        QSqlDatabase db = open();
        QCOMPARE(sqlite::Schema::version(db), Latest);
        db = {};
        verifyLegacyRows();
    }

    void version2IndexesExistingMessages()
    {
        writeLegacy(1);
        {
            QSqlDatabase db = open();
            QVERIFY(QSqlQuery(db).exec(u"INSERT INTO events VALUES (3, 1, 3, 1005, 1, 1, 't3', "
                                       u"'Café résumé 東京タワー', '', '')"_s));
        }
        {
            server::ChatService service(config());
            QString error;
            QVERIFY2(service.open(&error), qPrintable(error));
        }
        QSqlDatabase db = open();
        QCOMPARE(sqlite::Schema::version(db), Latest);
        // Both indexes hold the message written before them; only messages are indexed.
        QCOMPARE(scalar(db,
                     u"SELECT group_concat(rowid, ',') FROM search_words "
                     u"WHERE search_words MATCH 'resume'"_s)
                     .toString(),
            u"3"_s);
        QCOMPARE(scalar(db,
                     u"SELECT group_concat(rowid, ',') FROM search_trigrams "
                     u"WHERE search_trigrams MATCH '京タワ'"_s)
                     .toString(),
            u"3"_s);
        QCOMPARE(scalar(db,
                     u"SELECT count(*) FROM search_words WHERE search_words MATCH "
                     u"'first'"_s)
                     .toInt(),
            0);
        // Existing rows read as unchanged messages and events.
        QCOMPARE(scalar(db,
                     u"SELECT count(*) FROM events WHERE redacted = 0 AND changed_seq = 0 "
                     u"AND edited_ms = 0 AND target IS NULL AND reply_to IS NULL"_s)
                     .toInt(),
            3);
    }

    void version3AddsFilesToAnOlderDatabase()
    {
        writeLegacy(1);
        {
            server::ChatService service(config());
            QString error;
            QVERIFY2(service.open(&error), qPrintable(error));
        }
        QSqlDatabase db = open();
        QCOMPARE(sqlite::Schema::version(db), Latest);
        QSqlQuery q(db);
        const QString sha(64, u'a');
        // A file of Ana's, attached to her message (event 1), its upload finished.
        QVERIFY2(q.exec(u"INSERT INTO blobs VALUES ('%1', 5, 1000)"_s.arg(sha)),
            qPrintable(q.lastError().text()));
        QVERIFY2(q.exec(u"INSERT INTO files(blob, name, size, type, uploader_id, created_ms) "
                        u"VALUES ('%1', 'a.txt', 5, 'text/plain', 1, 1000)"_s.arg(sha)),
            qPrintable(q.lastError().text()));
        QCOMPARE(q.lastInsertId().toLongLong(), 1);
        QVERIFY2(
            q.exec(u"INSERT INTO uploads(user_id, name, size, created_ms, touched_ms, file_id) "
                   u"VALUES (1, 'a.txt', 5, 1000, 1000, 1)"_s),
            qPrintable(q.lastError().text()));
        QVERIFY2(q.exec(u"INSERT INTO attachments VALUES (1, 0, 1)"_s),
            qPrintable(q.lastError().text()));
        // Foreign keys hold: no attachment of a file that does not exist.
        QVERIFY(!q.exec(u"INSERT INTO attachments VALUES (1, 1, 99)"_s));
        // A new upload row starts durable at 0 with no expected hash.
        QVERIFY(q.exec(u"INSERT INTO uploads(user_id, name, size, created_ms, touched_ms) "
                       u"VALUES (2, 'b', 9, 1, 1)"_s));
        QCOMPARE(scalar(db,
                     u"SELECT durable || '/' || sha256 || '/' || ifnull(file_id, 'none') "
                     u"FROM uploads WHERE id = 2"_s)
                     .toString(),
            u"0//none"_s);
        // Ids are never reused: an upload that went away never names a later one.
        QVERIFY(q.exec(u"DELETE FROM uploads WHERE id = 2"_s));
        QVERIFY(q.exec(u"INSERT INTO uploads(user_id, name, size, created_ms, touched_ms) "
                       u"VALUES (2, 'c', 9, 1, 1)"_s));
        QCOMPARE(q.lastInsertId().toLongLong(), 3);
        QCOMPARE(scalar(db, u"SELECT unreferenced_ms IS NULL FROM files"_s).toInt(), 1);
        db = {};
        verifyLegacyRows();
    }

    void version4GivesTeamRolesToAnOlderDatabase()
    {
        // A version-3 database: Ana and Bob, a channel Bob created with both in it, and a
        // direct room Ana started.
        {
            QSqlDatabase db = open();
            const sqlite::Schema version3(
                u"server database"_s, database::schema().migrations().mid(0, 3));
            QString error;
            QVERIFY2(version3.migrate(db, &error), qPrintable(error));
            QCOMPARE(sqlite::Schema::version(db), 3);
            QSqlQuery q(db);
            for (const QString &sql :
                {
                    u"INSERT INTO users VALUES (1, 'Ana', 'ana', 'hash-a', 0, 1000)"_s,
                    u"INSERT INTO users VALUES (2, 'Bob', 'bob', 'hash-b', 0, 1001)"_s,
                    u"INSERT INTO rooms VALUES (1, 0, 'general', 'general', '', NULL, 1002)"_s,
                    u"INSERT INTO rooms VALUES (2, 1, '', NULL, '', '1:2', 1003)"_s,
                    // create (kind 0) and join (kind 2) events: Bob's channel, Ana's direct room
                    u"INSERT INTO events(room_id, seq, ts, kind, sender_id) VALUES "
                    u"(1, 1, 1002, 0, 2), (1, 2, 1002, 2, 2), (1, 3, 1004, 2, 1), "
                    u"(2, 1, 1003, 0, 1), (2, 2, 1003, 2, 1), (2, 3, 1003, 2, 2)"_s,
                    u"INSERT INTO members(room_id, user_id) VALUES (1, 1), (1, 2), (2, 1), (2, 2)"_s,
                })
                QVERIFY2(q.exec(sql), qPrintable(q.lastError().text() + u' ' + sql));
        }
        {
            server::ChatService service(config());
            QString error;
            QVERIFY2(service.open(&error), qPrintable(error));
        }
        QSqlDatabase db = open();
        QCOMPARE(sqlite::Schema::version(db), Latest);
        server::StatementCache reads(db);
        // The oldest account is the admin.
        QVERIFY(server::accountstore::userById(reads, 1)->admin);
        QVERIFY(!server::accountstore::userById(reads, 2)->admin);
        const QList<server::RoomRecord> rooms = server::roomstore::loadAll(reads);
        QCOMPARE(rooms.size(), 2);
        // The channel's creator owns it; everyone else is a member; nothing is private.
        const server::RoomRecord &channel = rooms.at(0);
        QCOMPARE(channel.members, (QSet<qint64> {1, 2}));
        QCOMPARE(channel.roles, (QHash<qint64, int> {{2, 2}}));
        QCOMPARE(channel.roleOf(1), 0);
        QCOMPARE(channel.roleOf(2), 2);
        QVERIFY(!channel.isPrivate);
        QCOMPARE(channel.invitesBy, 0);
        // Direct rooms have no roles.
        const server::RoomRecord &direct = rooms.at(1);
        QCOMPARE(direct.kind, server::RoomKind::Direct);
        QCOMPARE(direct.members, (QSet<qint64> {1, 2}));
        QVERIFY(direct.roles.isEmpty());
        // Events written before read as having no subject or detail.
        QCOMPARE(scalar(db,
                     u"SELECT count(*) FROM events WHERE subject_id IS NULL "
                     u"AND detail = ''"_s)
                     .toInt(),
            6);
    }

    void version5GivesEveryTokenASession()
    {
        // A version-4 database: Ana signed in on two devices, Bob on one.
        {
            QSqlDatabase db = open();
            const sqlite::Schema version4(
                u"server database"_s, database::schema().migrations().mid(0, 4));
            QString error;
            QVERIFY2(version4.migrate(db, &error), qPrintable(error));
            QSqlQuery q(db);
            for (const QString &sql :
                {
                    u"INSERT INTO users(id, name, name_key, password_hash, disabled, created_ms) "
                    u"VALUES (1, 'Ana', 'ana', 'h', 0, 1000), (2, 'Bob', 'bob', 'h', 0, 1001)"_s,
                    u"INSERT INTO tokens VALUES (x'0a', 1, 3000, 9000), (x'0b', 2, 2000, 9000), "
                    u"(x'0c', 1, 1000, 9000)"_s,
                    u"INSERT INTO rooms VALUES (1, 0, 'general', 'general', '', NULL, 1002, 0, 0)"_s,
                    u"INSERT INTO members(room_id, user_id) VALUES (1, 1)"_s,
                })
                QVERIFY2(q.exec(sql), qPrintable(q.lastError().text() + u' ' + sql));
        }
        QSqlDatabase db = open();
        QString error;
        QVERIFY2(database::migrate(db, &error), qPrintable(error));
        QCOMPARE(sqlite::Schema::version(db), Latest);
        // One session per token, numbered in sign-in order, last seen when it signed in.
        QCOMPARE(scalar(db,
                     u"SELECT group_concat(id || ':' || hex(token_hash) || ':' || user_id || ':' "
                     u"|| last_seen_ms, ' ') FROM (SELECT * FROM sessions ORDER BY id)"_s)
                     .toString(),
            u"1:0C:1:1000 2:0B:2:2000 3:0A:1:3000"_s);
        // Profiles, do-not-disturb and notification levels start empty.
        QCOMPARE(scalar(db,
                     u"SELECT display_name || '/' || status || '/' || ifnull(avatar_file, 0) "
                     u"|| '/' || dnd_until_ms || '/' || deleted_ms FROM users WHERE id = 1"_s)
                     .toString(),
            u"//0/0/0"_s);
        QCOMPARE(scalar(db, u"SELECT notify FROM members"_s).toInt(), 0);
    }

    void upgradeKeepsAnExistingAdmin()
    {
        // Only when no account is admin does the oldest become one: running the step's
        // statements over a database that has one changes nothing.
        QSqlDatabase db = open();
        QString error;
        QVERIFY2(database::migrate(db, &error), qPrintable(error));
        QSqlQuery q(db);
        const QString insert = u"INSERT INTO users(id, name, name_key, password_hash, disabled, "
                               u"created_ms, admin) VALUES "_s;
        QVERIFY(q.exec(insert + u"(1, 'Ana', 'ana', 'h', 0, 1, 0)"_s));
        QVERIFY(q.exec(insert + u"(2, 'Bob', 'bob', 'h', 0, 2, 1)"_s));
        QVERIFY(q.exec(database::schema().migrations().at(3).statements.at(1)));
        QCOMPARE(scalar(db, u"SELECT group_concat(admin, ',') FROM users ORDER BY id"_s).toString(),
            u"0,1"_s);
    }

    void firstAccountIsAdmin()
    {
        QSqlDatabase db = open();
        QString error;
        QVERIFY2(database::migrate(db, &error), qPrintable(error));
        server::WriteContext ctx(db);
        ctx.setNow(5000);
        qint64 ana = 0;
        qint64 bob = 0;
        QVERIFY(server::accountstore::insertUser(ctx, u"Ana"_s, u"hash"_s, &ana));
        QVERIFY(server::accountstore::insertUser(ctx, u"Bob"_s, u"hash"_s, &bob));
        server::StatementCache reads(db);
        const auto first = server::accountstore::userById(reads, ana);
        QVERIFY(first && first->admin);
        QCOMPARE(first->createdMs, 5000);
        QVERIFY(!server::accountstore::userByName(reads, u"bob"_s)->admin);
        // Still the first only while there is no other account at all, admin or not.
        QVERIFY(server::accountstore::setAdmin(ctx, ana, false));
        qint64 cy = 0;
        QVERIFY(server::accountstore::insertUser(ctx, u"Cy"_s, u"hash"_s, &cy));
        QVERIFY(!server::accountstore::userById(reads, cy)->admin);
    }

    void laterMigrationRunsOnce()
    {
        writeLegacy(1);
        int runs = 0;
        QList<sqlite::Migration> migrations = database::schema().migrations();
        migrations.append(
            {Latest + 1, {u"ALTER TABLE users ADD COLUMN bio TEXT NOT NULL DEFAULT ''"_s},
                [&runs](QSqlDatabase &db, QString *) {
                    ++runs;
                    return QSqlQuery(db).exec(u"UPDATE users SET bio = 'was ' || name"_s);
                }});
        const sqlite::Schema next(u"server database"_s, migrations);
        for (int i = 0; i < 3; ++i) {
            QSqlDatabase db = open();
            QString error;
            QVERIFY2(next.migrate(db, &error), qPrintable(error));
            QCOMPARE(sqlite::Schema::version(db), Latest + 1);
        }
        QCOMPARE(runs, 1);
        QCOMPARE(
            scalar(open(), u"SELECT group_concat(bio, ',') FROM users ORDER BY id"_s).toString(),
            u"was Ana,was Bob"_s);
        verifyLegacyRows();
    }

    void failingMigrationLeavesVersion1()
    {
        writeLegacy(1);
        QList<sqlite::Migration> migrations = database::schema().migrations();
        migrations.append({Latest + 1,
            {u"ALTER TABLE users ADD COLUMN bio TEXT NOT NULL DEFAULT ''"_s,
                u"DELETE FROM events"_s, u"UPDATE no_such_table SET x = 1"_s},
            {}});
        const sqlite::Schema next(u"server database"_s, migrations);
        {
            QSqlDatabase db = open();
            QString error;
            QTest::ignoreMessage(QtWarningMsg,
                QRegularExpression(u"migrating to version %1 failed"_s.arg(Latest + 1)));
            QVERIFY(!next.migrate(db, &error));
            QVERIFY2(error.contains(u"no_such_table"_s), qPrintable(error));
            // The migrations before the failing one stay applied, each in its own transaction.
            QCOMPARE(sqlite::Schema::version(db), Latest);
            QVERIFY(!QSqlQuery(db).exec(u"SELECT bio FROM users"_s));
        }
        verifyLegacyRows();
    }

    void newerDatabaseIsRefused()
    {
        writeLegacy(Latest + 1);
        {
            server::ChatService service(config());
            QString error;
            QTest::ignoreMessage(QtCriticalMsg,
                QRegularExpression(
                    u"server database .* has schema version %1, newer than"_s.arg(Latest + 1)));
            QVERIFY(!service.open(&error));
            QVERIFY2(error.contains(u"newer version of Confab"_s), qPrintable(error));
        }
        QSqlDatabase db = open();
        QCOMPARE(sqlite::Schema::version(db), Latest + 1);
        db = {};
        verifyLegacyRows(false);
    }
};

QTEST_GUILESS_MAIN(TestDatabaseSchema)
#include "tst_databaseschema.moc"
