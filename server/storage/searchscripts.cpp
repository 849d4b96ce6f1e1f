// SPDX-License-Identifier: GPL-3.0-or-later
// Apart from searchindex.cpp so that a build without indexing (tests/bench/searchindexoff.cpp)
// still has the rule the reading side and the schema's migration use.
#include "storage/searchscripts.h"

#include <QChar>

namespace confab::server::searchindex {

bool isSpaceless(char32_t c)
{
    switch (QChar::script(c)) {
    case QChar::Script_Han:
    case QChar::Script_Hiragana:
    case QChar::Script_Katakana:
    case QChar::Script_Hangul:
    case QChar::Script_Thai:
    case QChar::Script_Lao:
    case QChar::Script_Khmer:
    case QChar::Script_Myanmar:
        return true;
    default:
        return false;
    }
}

bool usesTrigrams(QStringView text)
{
    // Every spaceless script lies above U+0E00 (Thai): most text is decided in one pass
    // over UTF-16 units without decoding.
    for (qsizetype i = 0; i < text.size(); ++i) {
        const QChar c = text[i];
        if (c.unicode() < 0x0E00)
            continue;
        char32_t point = c.unicode();
        if (c.isHighSurrogate() && i + 1 < text.size() && text[i + 1].isLowSurrogate())
            point = QChar::surrogateToUcs4(c, text[++i]);
        if (isSpaceless(point))
            return true;
    }
    return false;
}

} // namespace confab::server::searchindex
