// SPDX-License-Identifier: GPL-3.0-or-later
#include "storage/database.h"

#include "sqlite/connection.h"
#include "storage/backup.h"
#include "storage/postgres/pgaddress.h"
#include "storage/postgres/pgschema.h"
#include "storage/searchscripts.h"
#include "storage/sqldialect.h"

#include <QSqlError>
#include <QSqlQuery>

using namespace Qt::StringLiterals;

namespace confab::server::database {

namespace {

// Version 1 is the schema every confabd so far has created (and stamped user_version 1);
// its text must never change. Later versions are appended to the list in schema().
const QStringList Version1 {
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

// Conversations (protocol §7.4) and search (§5.23). A message's row holds its current state:
// body is the current text ("" once redacted), so history reads one row per message and
// the search indexes read the text they show from it.
const QStringList Version2 {
    // edit, redact, react, unreact: the seq of the message they change
    u"ALTER TABLE events ADD COLUMN target INTEGER"_s,
    // messages: the seq of the message they answer
    u"ALTER TABLE events ADD COLUMN reply_to INTEGER"_s,
    // messages: the last edit's ts, whether redacted, the seq of the last change
    u"ALTER TABLE events ADD COLUMN edited_ms INTEGER NOT NULL DEFAULT 0"_s,
    u"ALTER TABLE events ADD COLUMN redacted INTEGER NOT NULL DEFAULT 0"_s,
    u"ALTER TABLE events ADD COLUMN changed_seq INTEGER NOT NULL DEFAULT 0"_s,
    // Who reacted with what; react_seq answers a repeated react with the original's seq.
    // key_seq is the react that made the key appear (count 0 -> 1): keys are listed in that
    // order, the order a client that applies react and unreact events arrives at (§7.4).
    uR"(CREATE TABLE reactions(
        room_id INTEGER NOT NULL,
        seq INTEGER NOT NULL,
        key TEXT NOT NULL,
        user_id INTEGER NOT NULL,
        react_seq INTEGER NOT NULL,
        key_seq INTEGER NOT NULL,
        PRIMARY KEY(room_id, seq, key, user_id)) WITHOUT ROWID)"_s,
    // Two external-content indexes over messages' current text, kept by hand in the same
    // transaction as the message, its edits and its redaction: words (diacritics folded)
    // for scripts with spaces, trigrams for Chinese and Japanese and for substrings.
    // prefix='3': a 3-letter prefix of a common word (the shortest search looks up as a
    // prefix, §5.23) is read from its own index instead of merging every word it starts.
    uR"(CREATE VIRTUAL TABLE search_words USING fts5(body, content='events',
        content_rowid='id', tokenize='unicode61 remove_diacritics 2', prefix='3'))"_s,
    uR"(CREATE VIRTUAL TABLE search_trigrams USING fts5(body, content='events',
        content_rowid='id', tokenize='trigram'))"_s,
    u"INSERT INTO search_words(rowid, body) SELECT id, body FROM events WHERE kind = 1"_s,
};

// Files (protocol §16). Bytes live on disk, content addressed (storage/blobstore.h); these
// rows say what they are and who may read them. AUTOINCREMENT: an id that was cancelled,
// expired or deleted never names another upload or file later.
const QStringList Version3 {
    // One row per distinct content: a file's bytes or a thumbnail's. The file on disk
    // exists before its row is committed and is removed only after its row is.
    uR"(CREATE TABLE blobs(
        sha256 TEXT PRIMARY KEY,
        size INTEGER NOT NULL,
        created_ms INTEGER NOT NULL) WITHOUT ROWID)"_s,
    // What upload_finish made. unreferenced_ms: since when no unredacted message has it
    // (set when finished, cleared by an attachment, set again by the last redaction);
    // NULL while referenced.
    uR"(CREATE TABLE files(
        id INTEGER PRIMARY KEY AUTOINCREMENT,
        blob TEXT NOT NULL REFERENCES blobs(sha256),
        name TEXT NOT NULL,
        size INTEGER NOT NULL,
        type TEXT NOT NULL,
        uploader_id INTEGER NOT NULL REFERENCES users(id),
        width INTEGER NOT NULL DEFAULT 0,
        height INTEGER NOT NULL DEFAULT 0,
        thumbnail_blob TEXT REFERENCES blobs(sha256),
        thumbnail_size INTEGER NOT NULL DEFAULT 0,
        thumbnail_type TEXT NOT NULL DEFAULT '',
        thumbnail_width INTEGER NOT NULL DEFAULT 0,
        thumbnail_height INTEGER NOT NULL DEFAULT 0,
        created_ms INTEGER NOT NULL,
        unreferenced_ms INTEGER))"_s,
    u"CREATE INDEX files_blob ON files(blob)"_s,
    u"CREATE INDEX files_thumbnail ON files(thumbnail_blob) WHERE thumbnail_blob IS NOT NULL"_s,
    u"CREATE INDEX files_uploader ON files(uploader_id)"_s,
    uR"(CREATE INDEX files_unreferenced ON files(unreferenced_ms)
        WHERE unreferenced_ms IS NOT NULL)"_s,
    // An upload in progress (file_id NULL) or finished (file_id set, kept so that a repeated
    // upload_finish answers the same file). durable: bytes [0, durable) are on disk for good.
    uR"(CREATE TABLE uploads(
        id INTEGER PRIMARY KEY AUTOINCREMENT,
        user_id INTEGER NOT NULL REFERENCES users(id),
        name TEXT NOT NULL,
        size INTEGER NOT NULL,
        sha256 TEXT NOT NULL DEFAULT '',
        durable INTEGER NOT NULL DEFAULT 0,
        created_ms INTEGER NOT NULL,
        touched_ms INTEGER NOT NULL,
        file_id INTEGER REFERENCES files(id)))"_s,
    u"CREATE INDEX uploads_user ON uploads(user_id)"_s,
    u"CREATE INDEX uploads_touched ON uploads(touched_ms)"_s,
    // A message's files, in the order shown; written in the message's own transaction.
    uR"(CREATE TABLE attachments(
        event_id INTEGER NOT NULL REFERENCES events(id),
        position INTEGER NOT NULL,
        file_id INTEGER NOT NULL REFERENCES files(id),
        PRIMARY KEY(event_id, position)) WITHOUT ROWID)"_s,
    u"CREATE INDEX attachments_file ON attachments(file_id)"_s,
};

// Teams (protocol §17): server and room roles, private channels, invitations, moderation and
// administration from the app.
const QStringList Version4 {
    // The server role. On an upgraded server the oldest account becomes admin (§17.1); on a
    // new one accountstore::insertUser() makes the first account admin.
    u"ALTER TABLE users ADD COLUMN admin INTEGER NOT NULL DEFAULT 0"_s,
    uR"(UPDATE users SET admin = 1 WHERE id = (SELECT MIN(id) FROM users)
        AND NOT EXISTS (SELECT 1 FROM users WHERE admin = 1))"_s,
    // invites_by: 0 any member may invite, 1 moderators and owners only.
    u"ALTER TABLE rooms ADD COLUMN private INTEGER NOT NULL DEFAULT 0"_s,
    u"ALTER TABLE rooms ADD COLUMN invites_by INTEGER NOT NULL DEFAULT 0"_s,
    // 0 member, 1 moderator, 2 owner: the rank of §17.1, so rank comparisons are integer ones.
    u"ALTER TABLE members ADD COLUMN role INTEGER NOT NULL DEFAULT 0"_s,
    // Each channel's creator (the sender of its create event) owns it if still a member.
    uR"(UPDATE members SET role = 2 WHERE EXISTS (SELECT 1 FROM rooms r
        JOIN events e ON e.room_id = r.id AND e.seq = 1 AND e.kind = 0
        WHERE r.id = members.room_id AND r.kind = 0 AND e.sender_id = members.user_id))"_s,
    // Moderation events (§17.7). subject_id: the user acted on, by id, so that the name read
    // back (joined like sender) follows renames as sender does. detail: a JSON object of the
    // other members (reason, until, role, private, invitesBy), '' when there are none; these
    // are shown and never searched or joined on, so one column keeps the row narrow.
    u"ALTER TABLE events ADD COLUMN subject_id INTEGER REFERENCES users(id)"_s,
    u"ALTER TABLE events ADD COLUMN detail TEXT NOT NULL DEFAULT ''"_s,
    // Bans (kind 1) and mutes (kind 2) in force or ended. until_ms 0: no end; a row whose
    // until_ms has passed is ended (nothing is appended when a sanction ends, §17.4), and is
    // replaced by the next one of its kind.
    uR"(CREATE TABLE sanctions(
        room_id INTEGER NOT NULL REFERENCES rooms(id),
        user_id INTEGER NOT NULL REFERENCES users(id),
        kind INTEGER NOT NULL,
        until_ms INTEGER NOT NULL DEFAULT 0,
        reason TEXT NOT NULL DEFAULT '',
        by_id INTEGER REFERENCES users(id),
        created_ms INTEGER NOT NULL,
        PRIMARY KEY(room_id, user_id, kind)) WITHOUT ROWID)"_s,
    // Pending invitations to channels (§17.3); the table invites holds registration codes.
    // event_seq: the invite event's seq, which a repeated invite answers with.
    uR"(CREATE TABLE room_invites(
        room_id INTEGER NOT NULL REFERENCES rooms(id),
        user_id INTEGER NOT NULL REFERENCES users(id),
        by_id INTEGER NOT NULL REFERENCES users(id),
        created_ms INTEGER NOT NULL,
        event_seq INTEGER NOT NULL,
        PRIMARY KEY(room_id, user_id)) WITHOUT ROWID)"_s,
    u"CREATE INDEX room_invites_user ON room_invites(user_id)"_s,
    // What admins and the operator changed (§17.5). actor_id NULL: the operator's shell.
    // AUTOINCREMENT: an entry's id is a page cursor and is never reused.
    uR"(CREATE TABLE audit(
        id INTEGER PRIMARY KEY AUTOINCREMENT,
        ts INTEGER NOT NULL,
        actor_id INTEGER REFERENCES users(id),
        action TEXT NOT NULL,
        subject TEXT NOT NULL,
        detail TEXT NOT NULL DEFAULT ''))"_s,
    // Settings changed from the app, which override the configuration file (registration).
    uR"(CREATE TABLE server_settings(
        key TEXT PRIMARY KEY,
        value TEXT NOT NULL) WITHOUT ROWID)"_s,
};

// Self-service (protocol §18): sessions, profiles, notification levels, group conversations
// (rooms.kind 2, no column of their own), deleted accounts.
const QStringList Version5 {
    // One row per signed-in device: a token's visible side. A token without a row (none after
    // this migration) has no session to list or revoke. AUTOINCREMENT: a revoked session's id
    // is never given to a new one, so revoking from a stale list cannot hit another device.
    uR"(CREATE TABLE sessions(
        id INTEGER PRIMARY KEY AUTOINCREMENT,
        token_hash BLOB NOT NULL UNIQUE,
        user_id INTEGER NOT NULL REFERENCES users(id),
        device TEXT NOT NULL DEFAULT '',
        address TEXT NOT NULL DEFAULT '',
        created_ms INTEGER NOT NULL,
        last_seen_ms INTEGER NOT NULL))"_s,
    u"CREATE INDEX sessions_user ON sessions(user_id)"_s,
    uR"(INSERT INTO sessions(token_hash, user_id, created_ms, last_seen_ms)
        SELECT hash, user_id, created_ms, created_ms FROM tokens ORDER BY created_ms)"_s,
    u"ALTER TABLE users ADD COLUMN display_name TEXT NOT NULL DEFAULT ''"_s,
    u"ALTER TABLE users ADD COLUMN status TEXT NOT NULL DEFAULT ''"_s,
    u"ALTER TABLE users ADD COLUMN avatar_file INTEGER"_s,
    // ms since the epoch; 0: do-not-disturb is off.
    u"ALTER TABLE users ADD COLUMN dnd_until_ms INTEGER NOT NULL DEFAULT 0"_s,
    // A deleted account keeps its row, so its messages keep their sender and its name is
    // never handed to someone else (§18.1).
    u"ALTER TABLE users ADD COLUMN deleted_ms INTEGER NOT NULL DEFAULT 0"_s,
    // The NotifyLevel number: 0 all, 1 mentions, 2 none.
    u"ALTER TABLE members ADD COLUMN notify INTEGER NOT NULL DEFAULT 0"_s,
    // A session lives as long as its token, however the token ends: logout, expiry, or the
    // operator's reset-password or disable-user from another process (§18.1).
    uR"(CREATE TRIGGER tokens_end_sessions AFTER DELETE ON tokens
        BEGIN DELETE FROM sessions WHERE token_hash = OLD.hash; END)"_s,
    // The display name as `users` compares it, like name_key (§18.2).
    u"ALTER TABLE users ADD COLUMN display_key TEXT NOT NULL DEFAULT ''"_s,
    // Every download asks whether its file is an avatar (§16.3).
    u"CREATE INDEX users_avatar ON users(avatar_file) WHERE avatar_file IS NOT NULL"_s,
};

// The trigram index holds only texts searchindex::usesTrigrams() takes, which SQL cannot tell.
bool indexTrigrams(QSqlDatabase &db, QString *error)
{
    QSqlQuery messages(db);
    messages.setForwardOnly(true);
    QSqlQuery insert(db);
    if (!messages.exec(u"SELECT id, body FROM events WHERE kind = 1"_s)
        || !insert.prepare(u"INSERT INTO search_trigrams(rowid, body) VALUES(?, ?)"_s)) {
        *error = messages.lastError().text() + insert.lastError().text();
        return false;
    }
    while (messages.next()) {
        const QString body = messages.value(1).toString();
        if (!searchindex::usesTrigrams(body))
            continue;
        insert.addBindValue(messages.value(0));
        insert.addBindValue(body);
        if (!insert.exec()) {
            *error = insert.lastError().text();
            return false;
        }
    }
    return true;
}

// What a PostgreSQL connection is set to after each connect.
bool applySessionSettings(QSqlDatabase &db, Durability durability, QString *error)
{
    // As SQLite's busy timeout: a write that waits this long for another's lock fails
    // (and its batch is retried job by job) rather than hanging the writer.
    // Durability::Normal changes nothing here: with synchronous_commit off a crash of
    // PostgreSQL alone (confabd running on) could take back commits whose seqs clients
    // already have, and the next messages would get those seqs again.
    Q_UNUSED(durability)
    QSqlQuery set(db);
    if (!set.exec(u"SET lock_timeout = %1"_s.arg(sqlite::ConnectionOptions().busyTimeoutMs))) {
        *error = set.lastError().text();
        return false;
    }
    return true;
}

} // namespace

bool isAlive(QSqlDatabase &db)
{
    if (sqldialect::of(db) != SqlDialect::PostgreSQL)
        return db.isOpen();
    QSqlQuery q(db);
    return q.exec(u"SELECT 1"_s);
}

bool reconnect(QSqlDatabase &db, Durability durability, QString *error)
{
    db.close();
    if (!db.open()) {
        *error = db.lastError().text();
        return false;
    }
    if (sqldialect::of(db) == SqlDialect::PostgreSQL)
        return applySessionSettings(db, durability, error);
    return true;
}

const sqlite::Schema &schema()
{
    static const sqlite::Schema s {u"server database"_s,
        {{1, Version1, {}}, {2, Version2, indexTrigrams}, {3, Version3, {}}, {4, Version4, {}},
            {5, Version5, {}}}};
    return s;
}

QString lastError(const QSqlDatabase &db)
{
    return db.lastError().text();
}

QSqlDatabase open(
    const QString &path, const QString &connectionName, Durability durability, QString *error)
{
    if (postgres::PgAddress::isUrl(path)) {
        const postgres::PgAddress address = postgres::PgAddress::fromUrl(path, error);
        if (!error->isEmpty())
            return {};
        QSqlDatabase db = postgres::openConnection(address, connectionName, connectionName, error);
        if (db.isOpen())
            applySessionSettings(db, durability, error);
        return db;
    }
    sqlite::ConnectionOptions options;
    options.synchronous
        = durability == Durability::Full ? sqlite::Synchronous::Full : sqlite::Synchronous::Normal;
    // A redacted message's text must leave the files, not linger in free pages (§5.20).
    options.secureDelete = true;
    return sqlite::open(path, connectionName, options, error);
}

bool migrate(QSqlDatabase &db, QString *error)
{
    if (sqldialect::of(db) == SqlDialect::PostgreSQL)
        return postgres::schema::migrate(db, error);
    // Migrations are one-way: an upgrade keeps the database as it was first, and does not
    // start without that copy. A new file (version 0) has nothing to keep.
    const int version = sqlite::Schema::version(db);
    const int latest = schema().latestVersion();
    if (version > 0 && version < latest
        && backup::beforeUpgrade(db, version, latest, error).isEmpty())
        return false;
    return schema().migrate(db, error);
}

void close(const QString &connectionName)
{
    sqlite::close(connectionName);
}

} // namespace confab::server::database
