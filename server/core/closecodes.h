// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QWebSocketProtocol>

namespace confab::server::closecodes {

// Standard codes Confab uses, plus its own in the 4000–4999 application range.
// Listed with their meaning in docs/protocol.md.
inline constexpr auto GoingAway = QWebSocketProtocol::CloseCodeGoingAway;             // 1001 shutdown
inline constexpr auto TryAgainLater = QWebSocketProtocol::CloseCode(1013);            // connection limits
inline constexpr auto SignedOut = QWebSocketProtocol::CloseCode(4001);                // token revoked
inline constexpr auto AuthTimeout = QWebSocketProtocol::CloseCode(4003);              // never authenticated
inline constexpr auto Flooding = QWebSocketProtocol::CloseCode(4004);                 // kept exceeding the rate

} // namespace confab::server::closecodes
