// SPDX-License-Identifier: GPL-3.0-or-later
#include "storage/searchquery.h"

#include "protocol/limits.h"
#include "storage/eventstore.h"
#include "storage/filestore.h"
#include "storage/postgres/pgsearchtext.h"
#include "storage/searchscripts.h"
#include "storage/statementcache.h"

#include <algorithm>

using namespace Qt::StringLiterals;
using confab::protocol::Highlight;
using confab::protocol::SearchHit;

namespace confab::server::searchquery {

namespace {

// Marks around matches in snippet(). A message's text never holds a control character but
// \n and \t (protocol §4, Text), so these cannot be confused with the text itself.
constexpr char16_t MatchOpen = u'\u0002';
constexpr char16_t MatchClose = u'\u0003';
const QString Ellipsis = u"…"_s;
// The scan path cuts its own excerpt; about what 64 tokens of FTS5 give for mixed text.
constexpr qsizetype ScanSnippetUnits = 128;
constexpr qsizetype ScanLeadUnits = 32;

bool isWordCharacter(char32_t c)
{
    return QChar::isLetterOrNumber(c) || QChar::isMark(c);
}

struct Candidate
{
    qint64 id = 0;
    double score = 0;
    QString marked; //!< snippet() of the index paths, with the match markers
};

// The filters every path applies, as SQL over `events e`, appending their values in order.
QString filterSql(const Query &q, QVariantList *values)
{
    QString sql;
    if (q.room > 0) {
        sql += u" AND e.room_id = ?"_s;
        values->append(q.room);
    }
    if (!q.sender.isEmpty()) {
        sql += u" AND e.sender_id = (SELECT id FROM users WHERE name_key = ?)"_s;
        values->append(q.sender.toLower());
    }
    if (q.after) {
        sql += u" AND e.ts > ?"_s;
        values->append(*q.after);
    }
    if (q.before) {
        sql += u" AND e.ts < ?"_s;
        values->append(*q.before);
    }
    return sql;
}

// The id of the oldest event the search may find: the first event of the oldest room the user
// is in (of the filtered room, if any). Both paths walk newest first; this stops a user of
// new, small rooms from walking every match the server's older rooms hold.
qint64 firstEventId(StatementCache &db, const Query &q)
{
    QSqlQuery *row = q.room > 0
        ? db.run(u"SELECT id FROM events WHERE room_id = ? ORDER BY seq LIMIT 1"_s, {q.room})
        : db.run(u"SELECT MIN((SELECT e.id FROM events e WHERE e.room_id = m.room_id "
                 u"ORDER BY e.seq LIMIT 1)) FROM members m WHERE m.user_id = ?"_s,
            {q.userId});
    qint64 first = 0;
    if (row && row->next())
        first = row->value(0).toLongLong();
    if (row)
        row->finish();
    return first;
}

// PostgreSQL's indexes (pgschema.cpp): events.search_words for words, search_text for
// substrings. Snippets are cut afterwards, from the text (postgres::searchtext).
QList<Candidate> postgresCandidates(StatementCache &db, const QString &table,
    const QString &expression, const Query &q, qint64 firstId)
{
    const bool words = table == "search_words"_L1;
    // Normalization 1: the rank divided by 1 + log(words), so shorter texts rank higher.
    QVariantList values = words ? QVariantList {expression, expression} : QVariantList {expression};
    QString sql = words
        ? u"SELECT e.id, ts_rank(e.search_words, to_tsquery('simple', ?), 1) FROM events e "
          u"JOIN members m ON m.room_id = e.room_id WHERE e.search_words @@ "
          u"to_tsquery('simple', ?)"_s
        : u"SELECT e.id, 0 FROM events e JOIN members m ON m.room_id = e.room_id "
          u"WHERE e.search_text LIKE ? ESCAPE '\\'"_s;
    values.append(q.userId);
    sql += u" AND m.user_id = ? AND e.kind = 1 AND e.redacted = 0"_s;
    sql += filterSql(q, &values);
    sql += u" AND e.id >= ? ORDER BY e.id DESC LIMIT ?"_s;
    values.append(firstId);
    values.append(protocol::SearchCandidateCap);
    QList<Candidate> found;
    QSqlQuery *rows = db.run(sql, values);
    while (rows && rows->next())
        found.append({rows->value(0).toLongLong(), -rows->value(1).toDouble(), {}});
    if (rows)
        rows->finish();
    // Higher ts_rank is better (negated above, as BM25 is lower-better); ties to the newer.
    std::stable_sort(found.begin(), found.end(), [](const Candidate &a, const Candidate &b) {
        return a.score != b.score ? a.score < b.score : a.id > b.id;
    });
    return found;
}

// The newest matches, with their BM25 score and snippet. CROSS JOIN keeps the FTS5 scan as
// the outer loop: it walks the index newest first and stops at the cap, whatever the filters.
// The snippets of all candidates cost less than evaluating the expression again per hit: a
// prefix builds its whole merged doclist on each evaluation.
QList<Candidate> indexCandidates(StatementCache &db, const QString &table,
    const QString &expression, const Query &q, qint64 firstId)
{
    if (db.dialect() == SqlDialect::PostgreSQL)
        return postgresCandidates(db, table, expression, q, firstId);
    QVariantList values {QString(QChar(MatchOpen)), QString(QChar(MatchClose)), Ellipsis,
        SnippetTokens, expression, q.userId};
    QString sql
        = u"SELECT f.rowid, bm25(%1), snippet(%1, 0, ?, ?, ?, ?) FROM %1 f "
          u"CROSS JOIN events e ON e.id = f.rowid CROSS JOIN members m ON m.room_id = e.room_id "
          u"WHERE %1 MATCH ? AND m.user_id = ? AND e.kind = 1 AND e.redacted = 0"_s.arg(table);
    sql += filterSql(q, &values);
    // On f.rowid, not e.id, so that FTS5 takes it as a bound of its own scan.
    sql += u" AND f.rowid >= ? ORDER BY f.rowid DESC LIMIT ?"_s;
    values.append(firstId);
    values.append(protocol::SearchCandidateCap);
    QList<Candidate> found;
    QSqlQuery *rows = db.run(sql, values);
    while (rows && rows->next())
        found.append(
            {rows->value(0).toLongLong(), rows->value(1).toDouble(), rows->value(2).toString()});
    if (rows)
        rows->finish();
    // Lower BM25 is better in SQLite; ties go to the newer message.
    std::stable_sort(found.begin(), found.end(), [](const Candidate &a, const Candidate &b) {
        return a.score != b.score ? a.score < b.score : a.id > b.id;
    });
    return found;
}

// The first character of \a text that isSpaceless() takes, as a string: it has no case, so
// SQLite's instr() can narrow the scan before the case-insensitive check here.
QString firstSpaceless(const QString &text)
{
    for (const char32_t c : text.toUcs4()) {
        if (searchindex::isSpaceless(c))
            return QString::fromUcs4(&c, 1);
    }
    return {};
}

// 1-2 characters: no trigram to look up, so the newest messages are read and compared.
QList<Candidate> scanCandidates(StatementCache &db, const Query &q, qint64 firstId)
{
    QVariantList values {q.userId};
    QString window = u"SELECT e.id, e.body FROM events e CROSS JOIN members m "
                     u"ON m.room_id = e.room_id WHERE m.user_id = ? AND e.kind = 1 "
                     u"AND e.redacted = 0"_s;
    window += filterSql(q, &values);
    window += u" AND e.id >= ?"_s;
    values.append(firstId);
    // In one room its (room_id, seq) index gives the newest first; across rooms the rowid.
    window += q.room > 0 ? u" ORDER BY e.seq DESC LIMIT ?"_s : u" ORDER BY e.id DESC LIMIT ?"_s;
    values.append(ShortQueryScanWindow);
    values.append(firstSpaceless(q.text));
    QSqlQuery *rows = db.run(
        u"SELECT id, body FROM ("_s + window + u") AS w WHERE instr(body, ?) > 0"_s, values);
    QList<Candidate> found;
    while (rows && rows->next() && found.size() < protocol::SearchCandidateCap) {
        if (rows->value(1).toString().contains(q.text, Qt::CaseInsensitive))
            found.append({rows->value(0).toLongLong(), 0, {}});
    }
    if (rows)
        rows->finish();
    return found;
}

protocol::RoomEvent readMessage(StatementCache &db, qint64 id)
{
    protocol::RoomEvent e;
    QSqlQuery *q = db.run(u"SELECT e.id, e.room_id, e.seq, e.ts, u.name, e.txn, e.body, "
                          u"e.mentions, e.reply_to, e.edited_ms, e.redacted, e.changed_seq "
                          u"FROM events e JOIN users u ON u.id = e.sender_id WHERE e.id = ?"_s,
        {id});
    if (!q || !q->next())
        return e;
    e.id = q->value(0).toLongLong();
    e.room = q->value(1).toLongLong();
    e.seq = q->value(2).toLongLong();
    e.timestamp = q->value(3).toLongLong();
    e.kind = protocol::EventKind::Message;
    e.sender = q->value(4).toString();
    e.txn = q->value(5).toString();
    e.text = q->value(6).toString();
    const QString mentions = q->value(7).toString();
    if (!mentions.isEmpty())
        e.mentions = mentions.split(u',');
    e.replyTo = q->value(8).toLongLong();
    e.state.editedAt = q->value(9).toLongLong();
    e.state.redacted = q->value(10).toBool();
    e.state.changedSeq = q->value(11).toLongLong();
    q->finish();
    return e;
}

// Never cut a surrogate pair in two.
qsizetype clampToCharacter(const QString &text, qsizetype at)
{
    if (at > 0 && at < text.size() && text.at(at).isLowSurrogate())
        return at - 1;
    return at;
}

// The scan path's own excerpt: a window around the first match, every match in it marked.
SearchHit scanSnippet(const QString &text, const QString &query)
{
    const qsizetype first = std::max<qsizetype>(0, text.indexOf(query, 0, Qt::CaseInsensitive));
    qsizetype from = 0;
    qsizetype to = text.size();
    if (text.size() > ScanSnippetUnits) {
        from = clampToCharacter(text, std::max<qsizetype>(0, first - ScanLeadUnits));
        to = clampToCharacter(text, std::min(text.size(), from + ScanSnippetUnits));
    }
    SearchHit hit;
    const QString prefix = from > 0 ? Ellipsis : QString();
    hit.snippet = prefix + text.mid(from, to - from) + (to < text.size() ? Ellipsis : QString());
    for (qsizetype at = text.indexOf(query, from, Qt::CaseInsensitive);
         at >= 0 && at + query.size() <= to;
         at = text.indexOf(query, at + query.size(), Qt::CaseInsensitive))
        hit.highlights.append({int(prefix.size() + at - from), int(query.size())});
    return hit;
}

} // namespace

Path pathFor(const QString &query)
{
    bool spaceless = false;
    bool word = false;
    qsizetype characters = 0;
    for (const char32_t c : query.toUcs4()) {
        ++characters;
        spaceless = spaceless || searchindex::isSpaceless(c);
        word = word || isWordCharacter(c);
    }
    if (spaceless)
        return characters >= 3 ? Path::Trigrams : Path::Scan;
    return word ? Path::Words : Path::None;
}

QString wordsExpression(const QString &query, bool prefix)
{
    // Words hold only letters, digits and marks, so quoting them is all the escaping
    // needed: FTS5 operators, quotes and parentheses in the query are separators.
    QStringList words;
    QString word;
    for (const char32_t c : query.toUcs4()) {
        if (isWordCharacter(c)) {
            word += QString::fromUcs4(&c, 1);
        } else if (!word.isEmpty()) {
            words.append(word);
            word.clear();
        }
    }
    if (!word.isEmpty())
        words.append(word);
    if (words.isEmpty())
        return {};
    QString expression;
    for (const QString &w : std::as_const(words))
        expression += u'"' + w + u"\" "_s;
    // The last word may still be being typed: it matches as a prefix. Not from one or two
    // characters, where the merged doclist of every word they begin would be most of the index.
    if (prefix && words.last().toUcs4().size() >= MinPrefixLength)
        expression.back() = u'*';
    return expression.trimmed();
}

QString phraseExpression(const QString &query)
{
    QString escaped = query;
    escaped.replace(u'"', u"\"\""_s);
    return u'"' + escaped + u'"';
}

SearchHit unmark(const QString &marked)
{
    SearchHit hit;
    hit.snippet.reserve(marked.size());
    int open = -1;
    for (const QChar c : marked) {
        if (c == MatchOpen) {
            open = int(hit.snippet.size());
        } else if (c == MatchClose) {
            const int length = int(hit.snippet.size()) - open;
            if (open < 0 || length <= 0) {
                open = -1;
                continue;
            }
            // FTS5 marks adjacent tokens of one phrase apart; one highlight reads better.
            if (!hit.highlights.isEmpty()
                && hit.highlights.last().start + hit.highlights.last().length == open)
                hit.highlights.last().length += length;
            else
                hit.highlights.append({open, length});
            open = -1;
        } else {
            hit.snippet.append(c);
        }
    }
    return hit;
}

Page search(StatementCache &db, const Query &query)
{
    const QString text = query.text.trimmed();
    Query q = query;
    q.text = text;
    const Path path = pathFor(text);
    QString table;
    QString expression;
    QList<Candidate> candidates;
    const bool postgres = db.dialect() == SqlDialect::PostgreSQL;
    bool usedPrefix = false;
    const qint64 firstId = path == Path::None ? 0 : firstEventId(db, q);
    switch (path) {
    case Path::None:
        return {};
    case Path::Words: {
        table = u"search_words"_s;
        const auto wordsOf = [&](bool prefix) {
            return postgres ? postgres::searchtext::tsquery(text, prefix, MinPrefixLength)
                            : wordsExpression(text, prefix);
        };
        // The whole last word first: when it alone fills the candidates (a common word typed
        // out), those are the newest matches that matter, and the costly prefix is not needed.
        expression = wordsOf(false);
        candidates = indexCandidates(db, table, expression, q, firstId);
        if (candidates.size() < protocol::SearchCandidateCap && wordsOf(true) != expression) {
            expression = wordsOf(true);
            usedPrefix = true;
            candidates = indexCandidates(db, table, expression, q, firstId);
        }
        break;
    }
    case Path::Trigrams:
        table = u"search_trigrams"_s;
        expression
            = postgres ? postgres::searchtext::containsPattern(text) : phraseExpression(text);
        candidates = indexCandidates(db, table, expression, q, firstId);
        break;
    case Path::Scan:
        candidates = scanCandidates(db, q, firstId);
        break;
    }
    Page page;
    const qsizetype end = std::min<qsizetype>(candidates.size(), qsizetype(q.offset) + q.limit);
    page.hasMore = end < candidates.size();
    QList<protocol::RoomEvent> events;
    QHash<qint64, QString> markedById;
    for (qsizetype i = q.offset; i < end; ++i) {
        markedById.insert(candidates.at(i).id, candidates.at(i).marked);
        protocol::RoomEvent event = readMessage(db, candidates.at(i).id);
        if (event.id != 0)
            events.append(std::move(event));
    }
    eventstore::attachReactions(db, events, q.userId);
    filestore::attachFiles(db, events);
    for (protocol::RoomEvent &event : events) {
        SearchHit hit;
        if (path == Path::Scan || (postgres && path == Path::Trigrams))
            hit = scanSnippet(event.text, text);
        else if (postgres)
            hit = unmark(postgres::searchtext::markedWords(event.text, text, usedPrefix,
                MinPrefixLength, SnippetTokens, QChar(MatchOpen), QChar(MatchClose), Ellipsis));
        else
            hit = unmark(markedById.value(event.id));
        hit.event = std::move(event);
        page.hits.append(std::move(hit));
    }
    return page;
}

} // namespace confab::server::searchquery
