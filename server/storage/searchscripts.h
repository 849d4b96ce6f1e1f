// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QStringView>

namespace confab::server::searchindex {

/*!
 * \brief Whether \a c belongs to a script written without spaces between words (Han, kana,
 * Hangul, Thai, Lao, Khmer, Myanmar): text in it is searched by substring (§5.23).
 */
bool isSpaceless(char32_t c);

/*!
 * \brief Whether \a text goes into the trigram index: only a query with a spaceless
 * character uses that index, and it can only match a text with one, so the others stay out
 * of it. That keeps most of a Latin or Cyrillic server's messages out of the index that
 * costs the most to write (one entry per character) and to store.
 */
bool usesTrigrams(QStringView text);

} // namespace confab::server::searchindex
