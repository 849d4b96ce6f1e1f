// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QList>
#include <QString>

/*!
 * \brief Search text on PostgreSQL (protocol §5.23), folded here rather than by the
 * cluster: what SQLite's unicode61 tokenizer does (case and diacritics folded, words of
 * letters, digits and marks), so that both engines find the same messages whatever the
 * cluster's locale.
 */
namespace confab::server::postgres::searchtext {

/*! \brief \a text without case, and its Latin letters without diacritics. */
QString fold(const QString &text);

/*! \brief Where each word of \a text is, in UTF-16 units, and its folded form. */
struct Word
{
    qsizetype start = 0;
    qsizetype length = 0;
    QString folded;
};
QList<Word> words(const QString &text);

/*! \brief What events.search_words is made from: the folded words, space-separated. */
QString indexedWords(const QString &text);

/*!
 * \brief A tsquery requiring every word of \a query; with \a prefix, the last one also as
 * a prefix from \a minPrefix characters on. Empty if \a query has no word.
 */
QString tsquery(const QString &query, bool prefix, int minPrefix);

/*! \brief A LIKE pattern (escape character '\') for \a query anywhere in folded text. */
QString containsPattern(const QString &query);

/*!
 * \brief An excerpt of about \a tokens words of \a text around the first word \a query
 * matches (as tsquery() matches it), each match between \a open and \a close, with
 * \a ellipsis where text was cut.
 */
QString markedWords(const QString &text, const QString &query, bool prefix, int minPrefix,
    int tokens, QChar open, QChar close, const QString &ellipsis);

} // namespace confab::server::postgres::searchtext
