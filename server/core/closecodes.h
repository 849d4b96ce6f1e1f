// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QWebSocketProtocol>

namespace confab::server::closecodes {

// Standard codes Confab uses, plus its own in the 4000–4999 application range.
// Listed with their meaning in docs/protocol.md.
//
// Plain integers, not QWebSocketProtocol::CloseCode: that enum has no fixed
// underlying type and its enumerators end at 1015, so a variable of that type
// holding 4001 is undefined behaviour (UBSan's -fsanitize=enum, found by
// tests/fuzz). The conversion happens once, at the call into QtWebSockets.
inline constexpr quint16 GoingAway = 1001; // shutdown
// Not 1013: QtWebSockets 6.4 clients reject 1012–2999 and report 1002, hiding why they were
// refused.
inline constexpr quint16 TryAgainLater = 4005; // connection limits
inline constexpr quint16 SignedOut = 4001; // token revoked
inline constexpr quint16 AuthTimeout = 4003; // never authenticated
inline constexpr quint16 Flooding = 4004; // kept exceeding the rate

/*! \brief What QWebSocket::close() takes; QtWebSockets sends the number as it is. */
inline QWebSocketProtocol::CloseCode toQt(quint16 code)
{
    return static_cast<QWebSocketProtocol::CloseCode>(code);
}

} // namespace confab::server::closecodes
