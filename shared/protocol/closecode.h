// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QtGlobal>

/*!
 * \brief WebSocket close codes the server uses (protocol §2.7): the standard ones, plus its
 * own in the 4000–4999 application range.
 *
 * Plain integers, not QWebSocketProtocol::CloseCode: that enum has no fixed underlying
 * type and its enumerators end at 1015, so a variable of that type holding 4001 is
 * undefined behaviour (UBSan's -fsanitize=enum, found by tests/fuzz). The server converts
 * once, at the call into QtWebSockets.
 */
namespace confab::protocol::closecode {

inline constexpr quint16 GoingAway = 1001; //!< the server is shutting down
inline constexpr quint16 SignedOut = 4001; //!< the token was revoked: sign in again
inline constexpr quint16 AuthTimeout = 4003; //!< never signed in within authTimeoutMs
inline constexpr quint16 Flooding = 4004; //!< kept exceeding the rate limit
// Not 1013: QtWebSockets 6.4 clients reject 1012–2999 and report 1002, hiding why they
// were refused.
inline constexpr quint16 TryAgainLater = 4005; //!< connection limits: reconnect later

} // namespace confab::protocol::closecode
