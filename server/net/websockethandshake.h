// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QByteArray>
#include <QByteArrayView>

namespace confab::server {

struct HttpRequestHead;

/*!
 * \brief The server's side of the WebSocket opening handshake (RFC 6455 §4.2), for the
 * plain-TCP path where confabd answers the upgrade itself.
 */
namespace websockethandshake {

enum class Verdict
{
    Accept,
    BadRequest, //!< not GET, no Connection: upgrade, or no valid Sec-WebSocket-Key: 400
    WrongVersion, //!< Sec-WebSocket-Version is not 13: 426 naming the one we speak
};

/*! \brief Whether \a head is a WebSocket upgrade this server can accept (Origin aside). */
Verdict check(const HttpRequestHead &head);
/*! \brief The Sec-WebSocket-Accept value for the client's \a key. */
QByteArray acceptValue(QByteArrayView key);
/*! \brief The whole 101 response to an upgrade that passed check(). */
QByteArray switchingProtocols(const HttpRequestHead &head);

} // namespace websockethandshake
} // namespace confab::server
