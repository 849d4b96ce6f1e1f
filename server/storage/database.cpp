// SPDX-License-Identifier: GPL-3.0-or-later
#include "storage/database.h"

#include "core/logging.h"

#include <QSqlError>
#include <QSqlQuery>

using namespace Qt::StringLiterals;

namespace confab::server::database {

namespace {

bool exec(QSqlDatabase &db, const QString &sql, QString *error)
{
    QSqlQuery q(db);
    if (!q.exec(sql)) {
        *error = u"%1 (in: %2)"_s.arg(q.lastError().text(), sql.left(80));
        return false;
    }
    return true;
}

// Migration n brings the schema from version n-1 to n. Append only.
const QStringList Migration1 {
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

const QList<QStringList> Migrations {Migration1};

} // namespace

QString lastError(const QSqlDatabase &db)
{
    return db.lastError().text();
}

QSqlDatabase open(
    const QString &path, const QString &connectionName, Durability durability, QString *error)
{
    QSqlDatabase db = QSqlDatabase::addDatabase(u"QSQLITE"_s, connectionName);
    db.setDatabaseName(path);
    db.setConnectOptions(u"QSQLITE_BUSY_TIMEOUT=5000"_s);
    if (!db.open()) {
        *error = u"cannot open database %1: %2"_s.arg(path, db.lastError().text());
        return db;
    }
    // A file that is not a database only fails on first read; read now so the
    // operator gets the error at start-up, not at the first message.
    const QString sync = durability == Durability::Full ? u"FULL"_s : u"NORMAL"_s;
    const QStringList pragmas {u"PRAGMA journal_mode=WAL"_s, u"PRAGMA synchronous="_s + sync,
        u"PRAGMA foreign_keys=ON"_s, u"PRAGMA temp_store=MEMORY"_s};
    for (const QString &p : pragmas) {
        QSqlQuery q(db);
        if (!q.exec(p)) {
            *error = u"cannot use database %1: %2"_s.arg(path, q.lastError().text());
            db.close();
            return db;
        }
    }
    error->clear();
    return db;
}

bool migrate(QSqlDatabase &db, QString *error)
{
    QSqlQuery q(db);
    if (!q.exec(u"PRAGMA user_version"_s) || !q.next()) {
        *error = q.lastError().text();
        return false;
    }
    const int current = q.value(0).toInt();
    q.finish();
    if (current > SchemaVersion) {
        *error
            = u"database schema version %1 is newer than this confabd supports (%2)"_s.arg(current)
                  .arg(SchemaVersion);
        return false;
    }
    for (int version = current + 1; version <= SchemaVersion; ++version) {
        qCInfo(lcStorage) << "migrating schema to version" << version;
        if (!db.transaction()) {
            *error = db.lastError().text();
            return false;
        }
        for (const QString &sql : Migrations.at(version - 1)) {
            if (!exec(db, sql, error)) {
                db.rollback();
                return false;
            }
        }
        if (!exec(db, u"PRAGMA user_version = %1"_s.arg(version), error) || !db.commit()) {
            if (error->isEmpty())
                *error = db.lastError().text();
            db.rollback();
            return false;
        }
    }
    return true;
}

void close(const QString &connectionName)
{
    {
        QSqlDatabase db = QSqlDatabase::database(connectionName, false);
        if (db.isValid())
            db.close();
    }
    QSqlDatabase::removeDatabase(connectionName);
}

} // namespace confab::server::database
