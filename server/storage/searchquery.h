// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "protocol/searchresults.h"

#include <QString>
#include <optional>

namespace confab::server {

class StatementCache;

/*!
 * \brief The read side of search (protocol §5.23) over the indexes searchindex keeps:
 * which index a query goes to, the bounded candidate set, ranking, paging and snippets.
 */
namespace searchquery {

// Short queries in scripts without spaces cannot use the trigram index; they scan this many
// of the newest messages of the user's rooms instead.
inline constexpr int ShortQueryScanWindow = 20'000;
// The excerpt shown around a match: FTS5 counts tokens (words, or trigrams for substrings).
inline constexpr int SnippetTokens = 64;
// The last word of a word search matches as a prefix from this many characters on.
inline constexpr int MinPrefixLength = 3;

enum class Path
{
    None, //!< nothing to look for: no word in a query of scripts with spaces
    Words, //!< every word, the last also as a prefix, in search_words
    Trigrams, //!< a substring of 3 or more characters, in search_trigrams
    Scan, //!< a substring of 1 or 2 characters, over the newest messages
};

/*! \brief Where \a query (already trimmed) is looked for. */
Path pathFor(const QString &query);
/*!
 * \brief The FTS5 expression for a word search: each word quoted, and with \a prefix the
 * last one with `*` when it has MinPrefixLength characters or more.
 */
QString wordsExpression(const QString &query, bool prefix = true);
/*! \brief The FTS5 expression for a substring: the query as one quoted string. */
QString phraseExpression(const QString &query);

struct Query
{
    QString text;
    qint64 userId = 0; //!< only rooms this user is a member of now
    qint64 room = 0; //!< 0: every room of the user
    QString sender; //!< empty: anyone
    std::optional<qint64> after;
    std::optional<qint64> before;
    int offset = 0;
    int limit = 20;
};

struct Page
{
    QList<protocol::SearchHit> hits; //!< in rank order
    bool hasMore = false;
};

/*! \brief One ranked page of hits for \a query, each with its event, snippet and highlights. */
Page search(StatementCache &db, const Query &query);

/*!
 * \brief \a marked without the \\u0002 / \\u0003 markers FTS5's snippet() put around
 * matches, and where they were, in UTF-16 units of the result.
 */
protocol::SearchHit unmark(const QString &marked);

} // namespace searchquery
} // namespace confab::server
