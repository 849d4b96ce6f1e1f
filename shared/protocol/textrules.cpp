// SPDX-License-Identifier: GPL-3.0-or-later
#include "protocol/textrules.h"

#include "protocol/limits.h"

#include <QStringDecoder>
#include <algorithm>

namespace confab::protocol {

namespace {

// C0, DEL and C1.
bool isControlCharacter(QChar c)
{
    const char16_t u = c.unicode();
    return u < 0x20 || (u >= 0x7f && u <= 0x9f);
}

bool isNameChar(QChar c)
{
    const char16_t u = c.unicode();
    return (u >= u'a' && u <= u'z') || (u >= u'A' && u <= u'Z') || (u >= u'0' && u <= u'9')
        || u == u'_' || u == u'.' || u == u'-';
}

bool isAsciiAlnum(QChar c)
{
    const char16_t u = c.unicode();
    return (u >= u'a' && u <= u'z') || (u >= u'A' && u <= u'Z') || (u >= u'0' && u <= u'9');
}
} // namespace

bool isValidUtf8(const QByteArray &bytes)
{
    QStringDecoder decoder(QStringDecoder::Utf8, QStringDecoder::Flag::Stateless);
    const QString decoded = decoder.decode(bytes);
    return !decoder.hasError();
}

bool hasUnpairedSurrogate(QStringView text)
{
    for (qsizetype i = 0; i < text.size(); ++i) {
        const QChar c = text[i];
        if (c.isHighSurrogate()) {
            if (i + 1 >= text.size() || !text[i + 1].isLowSurrogate())
                return true;
            ++i;
        } else if (c.isLowSurrogate()) {
            return true;
        }
    }
    return false;
}

bool hasControlCharacter(QStringView text, QStringView allowed)
{
    return std::any_of(text.begin(), text.end(),
        [&](QChar c) { return isControlCharacter(c) && !allowed.contains(c); });
}

QString withoutControlCharacters(QStringView text, QStringView allowed)
{
    QString out = text.toString();
    out.removeIf([&](QChar c) { return isControlCharacter(c) && !allowed.contains(c); });
    return out;
}

bool isValidUsername(QStringView name)
{
    if (name.isEmpty() || name.size() > MaxUsernameLength || !isAsciiAlnum(name.front()))
        return false;
    for (const QChar c : name) {
        if (!isNameChar(c))
            return false;
    }
    return true;
}

bool isValidTxn(QStringView txn)
{
    if (txn.isEmpty() || txn.size() > MaxTxnLength)
        return false;
    for (const QChar c : txn) {
        if (!isNameChar(c) && c != u':')
            return false;
    }
    return true;
}

QStringList extractMentions(QStringView text)
{
    QStringList names;
    for (qsizetype i = 0; i < text.size(); ++i) {
        if (text[i] != u'@')
            continue;
        // "mail@host" is not a mention: the @ must start a word.
        if (i > 0 && isNameChar(text[i - 1]))
            continue;
        qsizetype end = i + 1;
        // Scan the whole word: a 33-character word must not mention its 32-character prefix.
        while (end < text.size() && isNameChar(text[end]))
            ++end;
        // A trailing dot or dash is punctuation ("hi @ana."), not part of the name.
        while (end > i + 1 && (text[end - 1] == u'.' || text[end - 1] == u'-'))
            --end;
        const QStringView candidate = text.sliced(i + 1, end - i - 1);
        if (isValidUsername(candidate)) {
            const QString lower = candidate.toString().toLower();
            if (!names.contains(lower))
                names.append(lower);
        }
        i = end - 1;
    }
    return names;
}

} // namespace confab::protocol
