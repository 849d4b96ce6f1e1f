// SPDX-License-Identifier: GPL-3.0-or-later
// Seeds a fresh Confab database for the benchmarks through the server's own
// schema code: users u0..u{N-1} with the session tokens "bench-token-<i>", a
// channel "bench" (room 1) holding all of them, and a channel "history"
// (room 2) with a long log whose only member is u0. Bulk SQL inserts take
// seconds; sending a million messages through the protocol would take hours.
#include "auth/passwordhasher.h"
#include "auth/tokens.h"
#include "storage/database.h"

#include <QCommandLineParser>
#include <QCoreApplication>
#include <QDateTime>
#include <QDir>
#include <QElapsedTimer>
#include <QSqlDatabase>
#include <QSqlError>
#include <QSqlQuery>
#include <QVariant>
#include <cstdio>

using namespace Qt::StringLiterals;
using namespace confab::server;

namespace {
bool exec(QSqlQuery &q, const QString &sql, const QVariantList &values = {})
{
    if (!q.prepare(sql)) {
        std::fprintf(stderr, "seed: %s\n", qPrintable(q.lastError().text()));
        return false;
    }
    for (const QVariant &v : values)
        q.addBindValue(v);
    if (!q.exec()) {
        std::fprintf(stderr, "seed: %s\n", qPrintable(q.lastError().text()));
        return false;
    }
    return true;
}

// Generates 1..n in SQL, so a million rows are one statement, not a million round trips.
QString series(const QString &n)
{
    return u"WITH RECURSIVE s(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM s WHERE x < "_s + n
        + u") "_s;
}
} // namespace

int main(int argc, char **argv)
{
    QCoreApplication app(argc, argv);
    QCommandLineParser parser;
    parser.addOptions({{u"data"_s, u"Data folder (must not hold a database yet)."_s, u"dir"_s},
        {u"users"_s, u"Accounts, all members of room 1."_s, u"n"_s, u"100"_s},
        {u"history"_s, u"Messages in room 2."_s, u"n"_s, u"0"_s}});
    parser.process(app);
    const QString dir = parser.value(u"data"_s);
    const qint64 users = parser.value(u"users"_s).toLongLong();
    const qint64 history = parser.value(u"history"_s).toLongLong();
    if (dir.isEmpty() || users < 1 || !QDir().mkpath(dir) || !passwords::initialize())
        return 2;

    QElapsedTimer clock;
    clock.start();
    QString error;
    QSqlDatabase db
        = database::open(dir + u"/confab.sqlite3"_s, u"seed"_s, Durability::Normal, &error);
    if (!error.isEmpty() || !database::migrate(db, &error)) {
        std::fprintf(stderr, "seed: %s\n", qPrintable(error));
        return 1;
    }
    const qint64 now = QDateTime::currentMSecsSinceEpoch();
    const qint64 expires = now + 30LL * 24 * 3600 * 1000;
    // One real Argon2id hash shared by every account keeps `login` usable.
    const QString passwordHash = passwords::hash(u"benchpass"_s);
    const QString n = QString::number(users);
    QSqlQuery q(db);
    bool ok = exec(q, u"PRAGMA synchronous=OFF"_s) && db.transaction();
    // Users are 1-based ids; their names are 0-based like the load generator's clients.
    ok = ok
        && exec(q,
            series(n)
                + u"INSERT INTO users(id, name, name_key, password_hash, created_ms) "
                  u"SELECT x, 'u' || (x - 1), 'u' || (x - 1), ?, ? FROM s"_s,
            {passwordHash, now});
    ok = ok
        && q.prepare(
            u"INSERT INTO tokens(hash, user_id, created_ms, expires_ms) VALUES(?, ?, ?, ?)"_s);
    for (qint64 i = 0; ok && i < users; ++i) {
        q.addBindValue(tokens::hash(u"bench-token-"_s + QString::number(i)));
        q.addBindValue(i + 1);
        q.addBindValue(now);
        q.addBindValue(expires);
        ok = q.exec();
    }
    ok = ok
        && exec(q,
            u"INSERT INTO rooms(id, kind, name, name_key, topic, created_ms) VALUES "
            u"(1, 0, 'bench', 'bench', '', ?), (2, 0, 'history', 'history', '', ?)"_s,
            {now, now});
    // Room 1: created by u0, then everyone joins; read positions at the end.
    ok = ok
        && exec(q,
            u"INSERT INTO events(room_id, seq, ts, kind, sender_id, body, topic) "
            u"VALUES (1, 1, ?, 0, 1, '', ''), (2, 1, ?, 0, 1, '', ''), (2, 2, ?, 2, 1, '', '')"_s,
            {now, now, now});
    ok = ok
        && exec(q,
            series(n)
                + u"INSERT INTO events(room_id, seq, ts, kind, sender_id) SELECT 1, x + 1, ?, 2, x FROM s"_s,
            {now});
    ok = ok
        && exec(q,
            series(n) + u"INSERT INTO members(room_id, user_id, read_seq) SELECT 1, x, ? FROM s"_s,
            {users + 1});
    const qint64 historyLast = history + 2;
    ok = ok
        && exec(q, u"INSERT INTO members(room_id, user_id, read_seq) VALUES (2, 1, ?)"_s,
            {historyLast});
    if (ok && history > 0) {
        // Messages of a typical length from a handful of senders, a second apart.
        ok = exec(q,
            series(QString::number(history))
                + u"INSERT INTO events(room_id, seq, ts, kind, sender_id, txn, body) "
                  u"SELECT 2, x + 2, ? + x * 1000, 1, 1, 'seed-' || x, "
                  u"'history message ' || x || ': the quick brown fox jumps over the lazy dog' "
                  u"FROM s"_s,
            {now - history * 1000});
    }
    ok = ok && db.commit();
    if (!ok) {
        std::fprintf(stderr, "seed: %s\n", qPrintable(db.lastError().text()));
        return 1;
    }
    db = QSqlDatabase();
    database::close(u"seed"_s);
    std::printf("seeded %s: %lld users, room 1 with all of them, room 2 with %lld messages "
                "(last seq %lld) in %.1f s\n",
        qPrintable(dir), users, history, historyLast, double(clock.elapsed()) / 1000.0);
    return 0;
}
