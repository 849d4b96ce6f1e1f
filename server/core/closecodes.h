// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "protocol/closecode.h"

#include <QWebSocketProtocol>

namespace confab::server::closecodes {

using namespace protocol::closecode;

//! A message larger than the limit for its kind (text: maxFrameBytes; binary: 17 +
//! maxChunkBytes). QtWebSockets sends it itself for anything past the larger of the two.
inline constexpr quint16 TooBig = 1009;

/*! \brief What QWebSocket::close() takes; QtWebSockets sends the number as it is. */
inline QWebSocketProtocol::CloseCode toQt(quint16 code)
{
    return static_cast<QWebSocketProtocol::CloseCode>(code);
}

} // namespace confab::server::closecodes
