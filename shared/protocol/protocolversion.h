// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

namespace confab::protocol {

/*!
 * \brief Wire protocol version announced in the server's hello frame.
 *
 * Bumped only for incompatible changes; additions that old clients can ignore
 * (new push frames, new optional result fields) keep the number.
 */
inline constexpr int Version = 1;

} // namespace confab::protocol
