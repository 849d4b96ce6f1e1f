// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QByteArray>
#include <QString>

namespace confab::server::tokens {

/*!
 * \brief A new secret: 256 random bits from libsodium, base64url without padding.
 */
QString generate();

/*!
 * \brief A registration invite code (§5.1): 22 base64url characters, 132 random bits.
 * confabd create-invite and the app's create_invite both make them.
 */
QString inviteCode();

/*!
 * \brief What the database keeps instead of the secret. SHA-256 suffices: the
 * input has 256 bits of entropy, so there is nothing to brute-force.
 */
QByteArray hash(const QString &token);

} // namespace confab::server::tokens
