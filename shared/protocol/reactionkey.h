// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QString>
#include <optional>

namespace confab::protocol {

/*!
 * \brief \a key as a reaction key (protocol §4 ReactionKey), or nullopt if it is not one emoji.
 *
 * A key is one RGI emoji (Unicode UTS #51: single emoji, modifier and ZWJ sequences, flags,
 * keycaps), checked with ICU's emoji data rather than hand-kept ranges. A key that lacks only
 * its emoji presentation selector ("❤" for "❤️") is accepted and returned with it, so the
 * same emoji typed two ways is one reaction.
 */
std::optional<QString> normalizedReactionKey(QStringView key);

} // namespace confab::protocol
