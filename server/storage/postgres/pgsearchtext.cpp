// SPDX-License-Identifier: GPL-3.0-or-later
#include "storage/postgres/pgsearchtext.h"

#include <QStringList>
#include <algorithm>

using namespace Qt::StringLiterals;

namespace confab::server::postgres::searchtext {

namespace {

bool isWordCharacter(char32_t c)
{
    return QChar::isLetterOrNumber(c) || QChar::isMark(c);
}

// Whether \a word (folded) is what query word \a wanted asks for.
bool matches(const QString &word, const QString &wanted, bool asPrefix)
{
    return asPrefix ? word.startsWith(wanted) : word == wanted;
}

} // namespace

QString fold(const QString &text)
{
    // As unicode61's remove_diacritics: Latin letters lose their marks (é is e), letters of
    // other scripts keep them (ё stays ё, as in Russian it is a letter of its own).
    QString out;
    out.reserve(text.size());
    for (const char32_t c : text.normalized(QString::NormalizationForm_C).toUcs4()) {
        const QString one = QString::fromUcs4(&c, 1);
        if (QChar::script(c) != QChar::Script_Latin) {
            out += one;
            continue;
        }
        for (const char32_t d : one.normalized(QString::NormalizationForm_KD).toUcs4()) {
            if (!QChar::isMark(d))
                out += QString::fromUcs4(&d, 1);
        }
    }
    return out.toCaseFolded();
}

QList<Word> words(const QString &text)
{
    QList<Word> found;
    qsizetype start = -1;
    for (qsizetype i = 0; i <= text.size();) {
        char32_t c = 0;
        qsizetype width = 1;
        if (i < text.size()) {
            c = text.at(i).unicode();
            if (text.at(i).isHighSurrogate() && i + 1 < text.size()
                && text.at(i + 1).isLowSurrogate()) {
                c = QChar::surrogateToUcs4(text.at(i), text.at(i + 1));
                width = 2;
            }
        }
        const bool inWord = i < text.size() && isWordCharacter(c);
        if (inWord && start < 0) {
            start = i;
        } else if (!inWord && start >= 0) {
            const QString folded = fold(text.mid(start, i - start));
            if (!folded.isEmpty())
                found.append({start, i - start, folded});
            start = -1;
        }
        i += width;
    }
    return found;
}

QString indexedWords(const QString &text)
{
    QStringList folded;
    for (const Word &w : words(text))
        folded.append(w.folded);
    return folded.join(u' ');
}

QString tsquery(const QString &query, bool prefix, int minPrefix)
{
    const QList<Word> ws = words(query);
    QStringList terms;
    for (const Word &w : ws) {
        // Quoted lexemes: a folded word holds no quote or backslash, but never trust that.
        QString lexeme = w.folded;
        lexeme.remove(u'\'').remove(u'\\');
        if (!lexeme.isEmpty())
            terms.append(u'\'' + lexeme + u'\'');
    }
    if (terms.isEmpty())
        return {};
    if (prefix && ws.last().folded.toUcs4().size() >= minPrefix)
        terms.last() += u":*"_s;
    return terms.join(u" & "_s);
}

QString containsPattern(const QString &query)
{
    QString escaped = fold(query);
    escaped.replace(u'\\', u"\\\\"_s).replace(u'%', u"\\%"_s).replace(u'_', u"\\_"_s);
    return u'%' + escaped + u'%';
}

QString markedWords(const QString &text, const QString &query, bool prefix, int minPrefix,
    int tokens, QChar open, QChar close, const QString &ellipsis)
{
    const QList<Word> wanted = words(query);
    const QList<Word> ws = words(text);
    if (ws.isEmpty() || wanted.isEmpty())
        return text;
    const bool lastAsPrefix = prefix && wanted.last().folded.toUcs4().size() >= minPrefix;
    QList<bool> hit(ws.size(), false);
    qsizetype first = -1;
    for (qsizetype i = 0; i < ws.size(); ++i) {
        for (qsizetype j = 0; j < wanted.size(); ++j) {
            if (matches(
                    ws.at(i).folded, wanted.at(j).folded, lastAsPrefix && j == wanted.size() - 1))
                hit[i] = true;
        }
        if (hit[i] && first < 0)
            first = i;
    }
    // A window of `tokens` words, the first match a quarter of the way in.
    const qsizetype count = ws.size();
    qsizetype from = std::max<qsizetype>(0, std::max<qsizetype>(first, 0) - tokens / 4);
    const qsizetype to = std::min(count, from + tokens);
    from = std::max<qsizetype>(0, to - tokens);
    QString out;
    qsizetype cursor = from > 0 ? ws.at(from).start : 0;
    if (from > 0)
        out += ellipsis;
    for (qsizetype i = from; i < to; ++i) {
        out += text.mid(cursor, ws.at(i).start - cursor);
        const QString word = text.mid(ws.at(i).start, ws.at(i).length);
        out += hit.at(i) ? open + word + close : word;
        cursor = ws.at(i).start + ws.at(i).length;
    }
    if (to < count)
        out += ellipsis;
    else
        out += text.mid(cursor);
    return out;
}

} // namespace confab::server::postgres::searchtext
