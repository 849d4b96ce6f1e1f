// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QByteArray>
#include <QString>
#include <QStringList>

namespace confab::protocol {

/*!
 * \brief True if \a bytes is well-formed UTF-8 (no overlongs, no surrogates).
 */
bool isValidUtf8(const QByteArray &bytes);

/*!
 * \brief True if \a text has an unpaired UTF-16 surrogate. JSON's \uD800
 * escapes can smuggle these past a UTF-8 check.
 */
bool hasUnpairedSurrogate(QStringView text);

/*!
 * \brief True if \a text has a control character other than those in \a allowed.
 * Covers C0, DEL and C1.
 */
bool hasControlCharacter(QStringView text, QStringView allowed = {});

/*! \brief The control characters a message's text may hold (protocol §4). */
inline constexpr QStringView MessageTextControls = u"\n\t";

/*!
 * \brief \a text without the control characters hasControlCharacter() finds, keeping those
 * in \a allowed: what a client sends instead of text the server would refuse.
 */
QString withoutControlCharacters(QStringView text, QStringView allowed = {});

bool isValidUsername(QStringView name);
bool isValidTxn(QStringView txn);

/*!
 * \brief The lower-cased usernames mentioned as \c @name in \a text, each once,
 * in order of first appearance.
 */
QStringList extractMentions(QStringView text);

} // namespace confab::protocol
