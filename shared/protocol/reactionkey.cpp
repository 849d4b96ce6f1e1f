// SPDX-License-Identifier: GPL-3.0-or-later
#include "protocol/reactionkey.h"

#include "protocol/limits.h"

#include <unicode/uchar.h>

namespace confab::protocol {

namespace {
constexpr char16_t EmojiPresentation = u'\uFE0F';

bool isRgiEmoji(QStringView s)
{
    static_assert(sizeof(QChar) == sizeof(UChar));
    return u_stringHasBinaryProperty(
        reinterpret_cast<const UChar *>(s.utf16()), int32_t(s.size()), UCHAR_RGI_EMOJI);
}
} // namespace

std::optional<QString> normalizedReactionKey(QStringView key)
{
    if (key.isEmpty() || key.size() > MaxReactionKeyLength)
        return std::nullopt;
    if (isRgiEmoji(key))
        return key.toString();
    // "❤" is emoji only with U+FE0F after its first code point ("❤️"); keycaps and
    // ZWJ sequences take it in the same place.
    const qsizetype first = key.front().isHighSurrogate() && key.size() > 1 ? 2 : 1;
    if (key.size() > first && key.at(first) == QChar(EmojiPresentation))
        return std::nullopt;
    QString withSelector
        = key.left(first).toString() + QChar(EmojiPresentation) + key.mid(first).toString();
    if (withSelector.size() <= MaxReactionKeyLength && isRgiEmoji(withSelector))
        return withSelector;
    return std::nullopt;
}

} // namespace confab::protocol
