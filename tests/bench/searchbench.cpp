// SPDX-License-Identifier: GPL-3.0-or-later
// Search over a large room (protocol §5.23): builds a server database of N messages with the
// server's schema and the same statements it commits with, then times the server's own query
// code (storage/searchquery) per kind of query, a history page, the index's size, and what
// indexing adds to each message's write. Prints figures; asserts nothing about time.
#include "protocol/limits.h"
#include "protocol/roomevent.h"
#include "storage/database.h"
#include "storage/eventstore.h"
#include "storage/searchquery.h"
#include "storage/searchscripts.h"
#include "storage/statementcache.h"

#include <QCommandLineParser>
#include <QCoreApplication>
#include <QElapsedTimer>
#include <QFileInfo>
#include <QSqlError>
#include <QSqlQuery>
#include <QTemporaryDir>
#include <algorithm>
#include <cmath>
#include <cstdio>
#include <random>

using namespace Qt::StringLiterals;
using namespace confab;
using namespace confab::server;

namespace {

constexpr qint64 RoomId = 1;
constexpr qint64 StartMs = 1'700'000'000'000;

// Pseudo-words from syllables: a vocabulary whose use follows Zipf's law, as text does.
class TextMaker
{
public:
    explicit TextMaker(int vocabulary)
        : m_random(20261205)
    {
        static const char *const syllables[]
            = {"ka", "lo", "mi", "ne", "ru", "sa", "te", "vo", "dra", "ple", "stri", "qua", "ben",
                "dor", "fin", "gal", "hum", "jor", "kel", "lan", "mor", "nix", "pol", "rin", "sel",
                "tor", "ul", "vin", "wes", "yar", "zen", "ce", "de", "fe", "ge", "bi", "ci", "no"};
        constexpr int count = int(std::size(syllables));
        std::uniform_int_distribution<int> pick(0, count - 1);
        std::uniform_int_distribution<int> length(1, 4);
        QSet<QString> seen;
        while (m_words.size() < vocabulary) {
            QString w;
            for (int n = length(m_random); n > 0; --n)
                w += QLatin1StringView(syllables[pick(m_random)]);
            if (!seen.contains(w)) {
                seen.insert(w);
                m_words.append(w);
            }
        }
        std::vector<double> weights;
        for (int r = 1; r <= vocabulary; ++r)
            weights.push_back(1.0 / std::pow(double(r), 1.07));
        m_zipf = std::discrete_distribution<int>(weights.begin(), weights.end());
        // Common Han characters and kana, weighted too, for the messages in Chinese/Japanese.
        const QString han
            = u"的一是不了人我在有他这中大来上国个到说们为子和你地出道也时年得就那要下以生会自"
              u"着去之过家学对可她里后小么心多天而能好都然没日于起还发成事只作当想看文无开手"
              u"十用主行方又如前所本见经头面公同三已老从动两长知民样现分将外但身些与高意进把"
              u"法此实回二理美点月明其种声全工己话儿者向情部正名定女问力机给等几很业最间新什"_s;
        const QString kana
            = u"あいうえおかきくけこさしすせそたちつてとなにぬねのはひふへほまみむめもやゆよらり"
              u"るれろわをんアイウエオカキクケコサシスセソタチツテトナニヌネノ"_s;
        m_cjk = han + kana;
        std::vector<double> cjkWeights;
        for (int r = 1; r <= m_cjk.size(); ++r)
            cjkWeights.push_back(1.0 / std::pow(double(r), 0.9));
        m_cjkZipf = std::discrete_distribution<int>(cjkWeights.begin(), cjkWeights.end());
    }

    QString message()
    {
        // One message in twenty is Chinese or Japanese.
        if (std::uniform_int_distribution<int>(0, 19)(m_random) == 0) {
            QString s;
            for (int n = std::uniform_int_distribution<int>(6, 40)(m_random); n > 0; --n)
                s += m_cjk.at(m_cjkZipf(m_random));
            if (m_sampleCjk.isEmpty() && s.size() >= 12)
                m_sampleCjk = s;
            return s + u"。"_s;
        }
        QStringList words;
        for (int n = std::uniform_int_distribution<int>(3, 30)(m_random); n > 0; --n)
            words.append(m_words.at(m_zipf(m_random)));
        words.first()[0] = words.first().at(0).toUpper();
        return words.join(u' ') + u"."_s;
    }

    const QStringList &words() const { return m_words; }
    //! The first Chinese/Japanese message made: queries are cut from it, so they match.
    const QString &sampleCjk() const { return m_sampleCjk; }
    std::mt19937 &random() { return m_random; }

private:
    std::mt19937 m_random;
    QStringList m_words;
    QString m_cjk;
    QString m_sampleCjk;
    std::discrete_distribution<int> m_zipf;
    std::discrete_distribution<int> m_cjkZipf;
};

bool exec(QSqlDatabase &db, const QString &sql)
{
    QSqlQuery q(db);
    if (q.exec(sql))
        return true;
    std::fprintf(stderr, "%s: %s\n", qPrintable(sql), qPrintable(q.lastError().text()));
    return false;
}

struct BuildCost
{
    double seconds = 0;
    double eventNs = 0; //!< per message: the events row
    double wordsNs = 0; //!< per message: its search_words entry
    double trigramsNs = 0; //!< per message: its search_trigrams entry
};

// Writes the room with the statements the server commits a message with (events row, then
// searchindex::add's two inserts), 50,000 messages per transaction, timing each statement.
std::optional<BuildCost> build(QSqlDatabase &db, int messages, TextMaker &maker)
{
    BuildCost cost;
    QElapsedTimer total;
    total.start();
    if (!exec(db,
            u"INSERT INTO users(id, name, name_key, password_hash, created_ms) VALUES "
            u"(1, 'ana', 'ana', 'x', 0), (2, 'bob', 'bob', 'x', 0)"_s)
        || !exec(db,
            u"INSERT INTO rooms(id, kind, name, name_key, created_ms) "
            u"VALUES (1, 0, 'bench', 'bench', 0)"_s)
        || !exec(db, u"INSERT INTO members(room_id, user_id) VALUES (1, 1), (1, 2)"_s))
        return std::nullopt;
    QSqlQuery event(db);
    event.prepare(u"INSERT INTO events(id, room_id, seq, ts, kind, sender_id, txn, body, "
                  u"changed_seq) VALUES(?, 1, ?, ?, 1, ?, ?, ?, ?)"_s);
    // One message in ten has a reaction, so history pages bundle some state (§7.4).
    QSqlQuery reaction(db);
    reaction.prepare(u"INSERT INTO reactions(room_id, seq, key, user_id, react_seq, key_seq) "
                     u"VALUES(1, ?, ?, ?, ?, ?)"_s);
    QSqlQuery words(db);
    words.prepare(u"INSERT INTO search_words(rowid, body) VALUES(?, ?)"_s);
    QSqlQuery trigrams(db);
    trigrams.prepare(u"INSERT INTO search_trigrams(rowid, body) VALUES(?, ?)"_s);
    qint64 eventNs = 0;
    qint64 wordsNs = 0;
    qint64 trigramsNs = 0;
    QElapsedTimer t;
    for (int i = 1; i <= messages; ++i) {
        if (i % 50'000 == 1 && !db.transaction())
            return std::nullopt;
        const QString text = maker.message();
        t.start();
        event.addBindValue(i);
        event.addBindValue(i);
        event.addBindValue(StartMs + qint64(i) * 1000);
        event.addBindValue(1 + i % 2);
        event.addBindValue(u"b%1"_s.arg(i));
        event.addBindValue(text);
        event.addBindValue(i % 10 == 0 ? i : 0);
        bool ok = event.exec();
        eventNs += t.nsecsElapsed();
        t.start();
        words.addBindValue(i);
        words.addBindValue(text);
        ok = ok && words.exec();
        wordsNs += t.nsecsElapsed();
        // As searchindex::add: the trigram index holds only texts with a spaceless script.
        t.start();
        if (searchindex::usesTrigrams(text)) {
            trigrams.addBindValue(i);
            trigrams.addBindValue(text);
            ok = ok && trigrams.exec();
        }
        trigramsNs += t.nsecsElapsed();
        if (i % 10 == 0) {
            reaction.addBindValue(i);
            reaction.addBindValue(i % 20 == 0 ? u"👍"_s : u"🎉"_s);
            reaction.addBindValue(1 + (i / 10) % 2);
            reaction.addBindValue(i);
            reaction.addBindValue(i);
            ok = ok && reaction.exec();
        }
        if (!ok) {
            std::fprintf(stderr, "insert failed: %s\n", qPrintable(db.lastError().text()));
            return std::nullopt;
        }
        if ((i % 50'000 == 0 || i == messages) && !db.commit())
            return std::nullopt;
        if (i % 200'000 == 0)
            std::fprintf(stderr, "  %d messages written\n", i);
    }
    cost.seconds = double(total.nsecsElapsed()) / 1e9;
    cost.eventNs = double(eventNs) / messages;
    cost.wordsNs = double(wordsNs) / messages;
    cost.trigramsNs = double(trigramsNs) / messages;
    return cost;
}

// Room 2: 100 messages, half of them with \a word, and user 3 its only member.
bool addSmallRoom(QSqlDatabase &db, const QString &word)
{
    if (!db.transaction()
        || !exec(db,
            u"INSERT INTO users(id, name, name_key, password_hash, created_ms) "
            u"VALUES (3, 'cy', 'cy', 'x', 0)"_s)
        || !exec(db,
            u"INSERT INTO rooms(id, kind, name, name_key, created_ms) "
            u"VALUES (2, 0, 'small', 'small', 0)"_s)
        || !exec(db, u"INSERT INTO members(room_id, user_id) VALUES (2, 3)"_s))
        return false;
    QSqlQuery event(db);
    event.prepare(u"INSERT INTO events(room_id, seq, ts, kind, sender_id, txn, body) "
                  u"VALUES(2, ?, ?, 1, 3, ?, ?)"_s);
    QSqlQuery words(db);
    words.prepare(u"INSERT INTO search_words(rowid, body) VALUES(?, ?)"_s);
    for (int i = 1; i <= 100; ++i) {
        const QString text = i % 2 ? word + u" in the small room"_s : u"small talk"_s;
        event.addBindValue(i);
        event.addBindValue(StartMs + i);
        event.addBindValue(u"s%1"_s.arg(i));
        event.addBindValue(text);
        if (!event.exec())
            return false;
        words.addBindValue(event.lastInsertId());
        words.addBindValue(text);
        if (!words.exec())
            return false;
    }
    return db.commit();
}

double percentile(std::vector<double> sorted, double p)
{
    std::sort(sorted.begin(), sorted.end());
    const auto at = size_t(std::min(double(sorted.size() - 1), std::ceil(p * sorted.size()) - 1));
    return sorted.at(at);
}

void printTimes(const char *label, const QString &query, std::vector<double> ms, int hits,
    bool more, int candidates)
{
    std::printf("| %s | `%s` | %d%s | %d | %.2f | %.2f | %.2f | %.2f |\n", label, qPrintable(query),
        candidates, candidates >= protocol::SearchCandidateCap ? " (cap)" : "", hits,
        percentile(ms, 0.5), percentile(ms, 0.95), percentile(ms, 0.99),
        *std::max_element(ms.begin(), ms.end()));
    Q_UNUSED(more);
}

// How many candidates \a query has: the page at the last offset tells whether the cap is hit.
int candidateCount(StatementCache &db, searchquery::Query q)
{
    int lo = 0;
    int hi = protocol::SearchCandidateCap;
    q.limit = 1;
    // The smallest offset with no hit is the number of candidates.
    while (lo < hi) {
        const int mid = (lo + hi) / 2;
        q.offset = mid;
        if (searchquery::search(db, q).hits.isEmpty())
            hi = mid;
        else
            lo = mid + 1;
    }
    return lo;
}

void timeQuery(
    StatementCache &db, const char *label, const QString &text, int runs, qint64 user = 1)
{
    searchquery::Query q;
    q.text = text;
    q.userId = user;
    q.limit = 20;
    searchquery::search(db, q); // warm the statement cache and the page cache
    std::vector<double> ms;
    searchquery::Page page;
    for (int i = 0; i < runs; ++i) {
        QElapsedTimer t;
        t.start();
        page = searchquery::search(db, q);
        ms.push_back(double(t.nsecsElapsed()) / 1e6);
    }
    printTimes(label, text, ms, int(page.hits.size()), page.hasMore, candidateCount(db, q));
    std::fflush(stdout);
}

void printSizes(QSqlDatabase &db, const QString &path, int messages)
{
    QSqlQuery q(db);
    if (q.exec(u"SELECT CASE WHEN name LIKE 'search_words%' THEN 'search_words' "
               u"WHEN name LIKE 'search_trigrams%' THEN 'search_trigrams' ELSE 'rest' END AS part, "
               u"SUM(pgsize) FROM dbstat GROUP BY part ORDER BY part"_s)) {
        std::printf("\n| Part of the database | MiB | Bytes per message |\n|---|---:|---:|\n");
        while (q.next()) {
            const double bytes = q.value(1).toDouble();
            std::printf("| %s | %.1f | %.0f |\n", qPrintable(q.value(0).toString()),
                bytes / 1048576.0, bytes / messages);
        }
    } else {
        std::printf("\n(dbstat unavailable: %s)\n", qPrintable(q.lastError().text()));
    }
    if (q.exec(u"SELECT page_count * page_size FROM pragma_page_count, pragma_page_size"_s)
        && q.next())
        std::printf("\nDatabase: %.1f MiB (%.0f bytes per message)\n",
            q.value(0).toDouble() / 1048576.0, q.value(0).toDouble() / messages);
    Q_UNUSED(path);
}

} // namespace

int main(int argc, char **argv)
{
    QCoreApplication app(argc, argv);
    QCommandLineParser parser;
    parser.addOptions({{u"messages"_s, u"Messages in the room."_s, u"n"_s, u"1000000"_s},
        {u"runs"_s, u"Timed runs per query."_s, u"n"_s, u"200"_s},
        {u"vocabulary"_s, u"Distinct words."_s, u"n"_s, u"30000"_s},
        {u"keep"_s, u"Keep the database at this path (reused if it exists)."_s, u"path"_s}});
    parser.process(app);
    const int messages = parser.value(u"messages"_s).toInt();
    const int runs = std::max(1, parser.value(u"runs"_s).toInt());
    QTemporaryDir dir;
    const QString path
        = parser.isSet(u"keep"_s) ? parser.value(u"keep"_s) : dir.filePath(u"confabd.sqlite"_s);
    const bool reuse = QFileInfo::exists(path);
    QElapsedTimer wall;
    wall.start();

    QString error;
    QSqlDatabase writer = database::open(path, u"bench-writer"_s, Durability::Normal, &error);
    if (!error.isEmpty() || !database::migrate(writer, &error)) {
        std::fprintf(stderr, "cannot open %s: %s\n", qPrintable(path), qPrintable(error));
        return 1;
    }
    TextMaker maker(parser.value(u"vocabulary"_s).toInt());
    std::printf("# Search over one room of %d messages\n\n", messages);
    if (!reuse) {
        std::fprintf(stderr, "writing %d messages to %s\n", messages, qPrintable(path));
        const auto cost = build(writer, messages, maker);
        if (!cost)
            return 1;
        std::printf("Written in %.1f s (50,000 messages per transaction, synchronous=NORMAL).\n"
                    "Per message: events row %.1f µs, search_words %.1f µs, search_trigrams "
                    "%.1f µs (the two indexes add %.0f%% to the statements of a message's "
                    "write).\n\n",
            cost->seconds, cost->eventNs / 1000, cost->wordsNs / 1000, cost->trigramsNs / 1000,
            100.0 * (cost->wordsNs + cost->trigramsNs) / cost->eventNs);
    }
    while (maker.sampleCjk().isEmpty()) // a reused database: the same first messages
        maker.message();
    QSqlDatabase readerDb = database::open(path, u"bench-reader"_s, Durability::Normal, &error);
    if (!error.isEmpty())
        return 1;
    StatementCache reader(readerDb);

    // The words to look for, by how often they occur.
    const QStringList &words = maker.words();
    const QString common = words.at(0);
    const QString rare = words.at(words.size() * 2 / 3);
    const QString prefix = words.at(50).left(4);
    std::printf("%d timed runs per query, 20 hits per page, user a member of the room.\n\n", runs);
    std::printf("| Query | Text | Candidates | Hits | p50 ms | p95 ms | p99 ms | max ms |\n"
                "|---|---|---:|---:|---:|---:|---:|---:|\n");
    timeQuery(reader, "common word", common, runs);
    timeQuery(reader, "rare word", rare, runs);
    timeQuery(reader, "two words", words.at(1) + u' ' + words.at(3), runs);
    timeQuery(reader, "prefix of the last word", prefix, runs);
    timeQuery(reader, "3-letter prefix of the commonest words", common.left(3), runs);
    const QString cjk = maker.sampleCjk();
    timeQuery(reader, "3-character CJK substring", cjk.mid(0, 3), runs);
    timeQuery(reader, "6-character CJK substring", cjk.mid(2, 6), runs);
    timeQuery(reader, "3-character CJK, common characters", u"的一是"_s, runs);
    timeQuery(reader, "2-character CJK (scan)", u"的一"_s, runs);
    timeQuery(reader, "2-character CJK, only in old messages (scan)", cjk.mid(1, 2), runs);
    timeQuery(reader, "1-character CJK (scan)", cjk.mid(4, 1), runs);
    timeQuery(reader, "no match", u"zzqqxx"_s, runs);
    // The other side of filtering inside the index scan: a user of a small room only walks
    // past every match in the large room before the cap or the end.
    if (!reuse && !addSmallRoom(writer, common))
        return 1;
    timeQuery(reader, "common word, user only in a 100-message room", common, runs, 3);

    // A history page as History::handleHistory reads it: 50 events before a random point.
    std::vector<double> ms;
    std::uniform_int_distribution<int> point(51, std::max(52, messages));
    for (int i = 0; i < runs * 5; ++i) {
        const qint64 before = point(maker.random());
        QElapsedTimer t;
        t.start();
        auto page = eventstore::range(reader, RoomId, 0, before, 50, true);
        eventstore::attachReactions(reader, page, 1);
        ms.push_back(double(t.nsecsElapsed()) / 1e6);
        if (page.size() != std::min<qint64>(50, before - 1))
            std::fprintf(stderr, "short history page at %lld\n", before);
    }
    std::printf("\nHistory page of 50 with bundled state (eventstore::range and "
                "attachReactions, as History reads it; a reaction on one message in ten; %d "
                "pages): p50 %.3f ms, p95 %.3f ms, "
                "p99 %.3f ms, max %.3f ms\n",
        runs * 5, percentile(ms, 0.5), percentile(ms, 0.95), percentile(ms, 0.99),
        *std::max_element(ms.begin(), ms.end()));

    printSizes(readerDb, path, messages);
    std::printf("\nTotal %.1f s\n", double(wall.nsecsElapsed()) / 1e9);
    return 0;
}
