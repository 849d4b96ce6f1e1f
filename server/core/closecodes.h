// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QWebSocketProtocol>

namespace confab::server::closecodes {

// Standard codes Confab uses, plus its own in the 4000–4999 application range.
// Listed with their meaning in docs/protocol.md.
inline constexpr auto GoingAway = QWebSocketProtocol::CloseCodeGoingAway; // 1001 shutdown
// Not 1013: QtWebSockets 6.4 clients reject 1012–2999 and report 1002, hiding why they were
// refused.
inline constexpr auto TryAgainLater = QWebSocketProtocol::CloseCode(4005); // connection limits
inline constexpr auto SignedOut = QWebSocketProtocol::CloseCode(4001); // token revoked
inline constexpr auto AuthTimeout = QWebSocketProtocol::CloseCode(4003); // never authenticated
inline constexpr auto Flooding = QWebSocketProtocol::CloseCode(4004); // kept exceeding the rate

} // namespace confab::server::closecodes
