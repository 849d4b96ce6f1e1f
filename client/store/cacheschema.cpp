// SPDX-License-Identifier: GPL-3.0-or-later
#include "store/cacheschema.h"

using namespace Qt::StringLiterals;

namespace confab::client {

namespace {

// Exactly the tables every unversioned cache has: adoption compares a file's columns with
// these, so this text must never change. Later versions are appended in cacheSchema().
const QStringList Version1 {
    u"CREATE TABLE rooms (id INTEGER PRIMARY KEY, direct INTEGER NOT NULL DEFAULT 0, "
    "name TEXT NOT NULL DEFAULT '', topic TEXT NOT NULL DEFAULT '', "
    "last_seq INTEGER NOT NULL DEFAULT 0, member_count INTEGER NOT NULL DEFAULT 0, "
    "members TEXT NOT NULL DEFAULT '', read_seq INTEGER NOT NULL DEFAULT 0, "
    "unread INTEGER NOT NULL DEFAULT 0, mentions INTEGER NOT NULL DEFAULT 0, "
    "has_summary INTEGER NOT NULL DEFAULT 0, cursor INTEGER NOT NULL DEFAULT 0)"_s,
    u"CREATE TABLE events (room INTEGER NOT NULL, seq INTEGER NOT NULL, json TEXT NOT NULL, "
    "PRIMARY KEY (room, seq)) WITHOUT ROWID"_s,
    u"CREATE TABLE outbox (ord INTEGER PRIMARY KEY AUTOINCREMENT, txn TEXT NOT NULL UNIQUE, "
    "room INTEGER NOT NULL, text TEXT NOT NULL, created INTEGER NOT NULL, "
    "failed INTEGER NOT NULL DEFAULT 0, error TEXT NOT NULL DEFAULT '')"_s,
    u"CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL)"_s,
};

// Conversations (§7.4): a cached message's JSON holds its current state (text, editedAt,
// redacted, reactions, replyTo); changed_seq mirrors the state's changedSeq so a write
// can keep the newer of two states in SQL. An unsent reply keeps what it answers.
const QStringList Version2 {
    u"ALTER TABLE events ADD COLUMN changed_seq INTEGER NOT NULL DEFAULT 0"_s,
    u"ALTER TABLE outbox ADD COLUMN reply_to INTEGER NOT NULL DEFAULT 0"_s,
};

// Files (§16): a message with attachments stays in the outbox while its files upload. Each
// file keeps where its bytes are, the upload id and the bytes the server holds durably, so
// a restart resumes the upload; once finished, the file object the server returned.
// `owned`: the bytes are the app's own copy (a pasted image), deleted with the row.
const QStringList Version3 {
    u"CREATE TABLE outbox_files (txn TEXT NOT NULL, pos INTEGER NOT NULL, "
    "source TEXT NOT NULL, owned INTEGER NOT NULL DEFAULT 0, name TEXT NOT NULL, "
    "size INTEGER NOT NULL, sha256 TEXT NOT NULL DEFAULT '', "
    "upload INTEGER NOT NULL DEFAULT 0, durable INTEGER NOT NULL DEFAULT 0, "
    "file TEXT NOT NULL DEFAULT '', PRIMARY KEY (txn, pos)) WITHOUT ROWID"_s,
    // Every way a row leaves the outbox (ack, delivery in a batch, discard) takes its files.
    u"CREATE TRIGGER outbox_files_follow AFTER DELETE ON outbox BEGIN "
    "DELETE FROM outbox_files WHERE txn = old.txn; END"_s,
};

// Teams (§17.2): a channel's privacy, who may invite, and the user's own role in it, so
// the sidebar's lock and the header's menus are right before the first sync.
const QStringList Version4 {
    u"ALTER TABLE rooms ADD COLUMN is_private INTEGER NOT NULL DEFAULT 0"_s,
    u"ALTER TABLE rooms ADD COLUMN invites_by TEXT NOT NULL DEFAULT ''"_s,
    u"ALTER TABLE rooms ADD COLUMN role TEXT NOT NULL DEFAULT ''"_s,
};

// Groups and notification levels (§18.3, §18.4): a group's kind, so the header offers
// "Add people" and Leave before the first sync, and the user's level for each room, so
// the sidebar greys quiet rooms and the notifier holds back from the start. A direct room
// never has more than two members: a cached one with more can only be a group. Other
// rows keep "not a group" and no level ("all") until the sign-in's summaries replace them.
const QStringList Version5 {
    u"ALTER TABLE rooms ADD COLUMN is_group INTEGER NOT NULL DEFAULT 0"_s,
    u"ALTER TABLE rooms ADD COLUMN notify TEXT NOT NULL DEFAULT ''"_s,
    u"UPDATE rooms SET is_group = 1 WHERE direct = 1 AND member_count > 2"_s,
};

} // namespace

const sqlite::Schema &cacheSchema()
{
    static const sqlite::Schema s {u"client cache"_s,
        {{1, Version1, {}}, {2, Version2, {}}, {3, Version3, {}}, {4, Version4, {}},
            {5, Version5, {}}}};
    return s;
}

} // namespace confab::client
