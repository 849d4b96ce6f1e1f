// SPDX-License-Identifier: GPL-3.0-or-later
// A history page with its messages' state bundled (issue 12: p99 <= 1 ms), through the server's
// own read code (eventstore::range, eventstore::attachReactions) on a database with the
// server's schema: one room of --messages messages, --reacted percent of them with 1-5 keys
// from 1-8 users each, some edited and some redacted.
#include "storage/database.h"
#include "storage/eventstore.h"
#include "storage/statementcache.h"

#include <QCommandLineParser>
#include <QCoreApplication>
#include <QElapsedTimer>
#include <QSqlError>
#include <QSqlQuery>
#include <QTemporaryDir>
#include <algorithm>
#include <cstdio>
#include <random>

using namespace Qt::StringLiterals;
using namespace confab;

namespace {
constexpr qint64 RoomId = 1;
constexpr int Users = 50;

double percentile(std::vector<double> v, double p)
{
    std::sort(v.begin(), v.end());
    return v.at(std::min(v.size() - 1, std::size_t(p * double(v.size()))));
}

bool exec(QSqlQuery &q, const QString &sql)
{
    if (q.exec(sql))
        return true;
    std::fprintf(stderr, "%s: %s\n", qPrintable(sql), qPrintable(q.lastError().text()));
    return false;
}

bool fill(QSqlDatabase &db, int messages, int reactedPercent, std::mt19937 &random)
{
    QSqlQuery q(db);
    if (!db.transaction()) {
        std::fprintf(stderr, "no transaction: %s\n", qPrintable(db.lastError().text()));
        return false;
    }
    if (!exec(q, u"INSERT INTO rooms(id, kind, name, created_ms) VALUES(1, 0, 'big', 0)"_s))
        return false;
    for (int u = 1; u <= Users; ++u) {
        if (!exec(q,
                u"INSERT INTO users(id, name, name_key, password_hash, created_ms) "
                u"VALUES(%1, 'user%1', 'user%1', '', 0)"_s.arg(u)))
            return false;
    }
    QSqlQuery event(db);
    event.prepare(
        u"INSERT INTO events(id, room_id, seq, ts, kind, sender_id, txn, body, "
        u"edited_ms, redacted, changed_seq) VALUES(?, 1, ?, ?, 1, ?, ?, COALESCE(?, ''), ?, ?, ?)"_s);
    QSqlQuery reaction(db);
    reaction.prepare(u"INSERT OR IGNORE INTO reactions(room_id, seq, key, user_id, react_seq, "
                     u"key_seq) VALUES(1, ?, ?, ?, ?, ?)"_s);
    const QStringList keys {u"👍"_s, u"❤️"_s, u"😂"_s, u"🎉"_s, u"👀"_s};
    std::uniform_int_distribution<int> percent(0, 99);
    std::uniform_int_distribution<int> user(1, Users);
    for (int seq = 1; seq <= messages; ++seq) {
        const bool reacted = percent(random) < reactedPercent;
        const bool edited = percent(random) < 5;
        const bool redacted = !reacted && percent(random) < 1;
        const qint64 changed = reacted || edited || redacted ? seq + 1 : 0;
        event.addBindValue(seq);
        event.addBindValue(seq);
        event.addBindValue(1'700'000'000'000LL + seq);
        event.addBindValue(user(random));
        event.addBindValue(u"t%1"_s.arg(seq));
        event.addBindValue(redacted ? QString() : u"message %1 with a line of text"_s.arg(seq));
        event.addBindValue(edited ? 1'700'000'000'000LL + seq : 0);
        event.addBindValue(redacted ? 1 : 0);
        event.addBindValue(changed);
        if (!event.exec()) {
            std::fprintf(stderr, "%s\n", qPrintable(event.lastError().text()));
            return false;
        }
        if (!reacted)
            continue;
        const int keyCount = 1 + int(random() % 5);
        for (int k = 0; k < keyCount; ++k) {
            const int people = 1 + int(random() % 8);
            for (int p = 0; p < people; ++p) {
                reaction.addBindValue(seq);
                reaction.addBindValue(keys.at(k));
                reaction.addBindValue(user(random));
                reaction.addBindValue(seq + 1);
                reaction.addBindValue(seq + 1);
                if (!reaction.exec()) {
                    std::fprintf(stderr, "%s\n", qPrintable(reaction.lastError().text()));
                    return false;
                }
            }
        }
    }
    return db.commit();
}
} // namespace

int main(int argc, char *argv[])
{
    QCoreApplication app(argc, argv);
    QCommandLineParser parser;
    parser.addHelpOption();
    parser.addOption({u"messages"_s, u"Messages in the room."_s, u"n"_s, u"1000000"_s});
    parser.addOption({u"reacted"_s, u"Percent of messages with reactions."_s, u"p"_s, u"10"_s});
    parser.addOption({u"pages"_s, u"History pages to time."_s, u"n"_s, u"5000"_s});
    parser.process(app);
    const int messages = parser.value(u"messages"_s).toInt();
    const int pages = parser.value(u"pages"_s).toInt();

    QTemporaryDir dir;
    const QString path = dir.filePath(u"history.sqlite3"_s);
    QString error;
    QSqlDatabase writer
        = server::database::open(path, u"writer"_s, server::Durability::Normal, &error);
    if (!error.isEmpty() || !server::database::migrate(writer, &error)) {
        std::fprintf(stderr, "%s\n", qPrintable(error));
        return 1;
    }
    std::mt19937 random(12);
    QElapsedTimer wall;
    wall.start();
    if (!fill(writer, messages, parser.value(u"reacted"_s).toInt(), random))
        return 1;
    std::printf("Filled %d messages in %.1f s\n", messages, double(wall.nsecsElapsed()) / 1e9);

    QSqlDatabase readerDb
        = server::database::open(path, u"reader"_s, server::Durability::Normal, &error);
    server::StatementCache reader(readerDb);
    std::uniform_int_distribution<int> point(51, std::max(52, messages));
    for (const bool bundled : {false, true}) {
        std::vector<double> ms;
        qint64 reactions = 0;
        for (int i = 0; i < pages; ++i) {
            const qint64 before = point(random);
            QElapsedTimer t;
            t.start();
            auto page = server::eventstore::range(reader, RoomId, 0, before, 50, true);
            if (bundled)
                server::eventstore::attachReactions(reader, page, 1 + i % Users);
            ms.push_back(double(t.nsecsElapsed()) / 1e6);
            for (const auto &e : page)
                reactions += e.state.reactions.size();
        }
        std::printf("History page of 50, %s (%d pages, %.1f keys a page): p50 %.3f ms, "
                    "p95 %.3f ms, p99 %.3f ms, max %.3f ms\n",
            bundled ? "range + attachReactions" : "range only", pages, double(reactions) / pages,
            percentile(ms, 0.5), percentile(ms, 0.95), percentile(ms, 0.99),
            *std::max_element(ms.begin(), ms.end()));
    }
    return 0;
}
