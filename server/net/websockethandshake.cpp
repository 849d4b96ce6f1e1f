// SPDX-License-Identifier: GPL-3.0-or-later
#include "net/websockethandshake.h"

#include "net/httpprobe.h"

#include <QCryptographicHash>

namespace confab::server::websockethandshake {

namespace {
// RFC 6455 §1.3: appended to the client's key before hashing.
constexpr QByteArrayView Guid = "258EAFA5-E914-47DA-95CA-C5AB0DC85B11";

bool hasToken(const QByteArray &value, QByteArrayView token)
{
    for (const QByteArray &part : value.split(',')) {
        if (part.trimmed().compare(token, Qt::CaseInsensitive) == 0)
            return true;
    }
    return false;
}
} // namespace

Verdict check(const HttpRequestHead &head)
{
    if (head.method != "GET" || !head.isWebSocketUpgrade()
        || !hasToken(head.header("connection"), "upgrade"))
        return Verdict::BadRequest;
    // A key is 16 random bytes in base64 (§4.1): 24 characters.
    const QByteArray key = head.header("sec-websocket-key");
    const auto decoded
        = QByteArray::fromBase64Encoding(key, QByteArray::AbortOnBase64DecodingErrors);
    if (key.size() != 24 || !decoded || decoded.decoded.size() != 16)
        return Verdict::BadRequest;
    if (head.header("sec-websocket-version") != "13")
        return Verdict::WrongVersion;
    return Verdict::Accept;
}

QByteArray acceptValue(QByteArrayView key)
{
    QCryptographicHash sha1(QCryptographicHash::Sha1);
    sha1.addData(key);
    sha1.addData(Guid);
    return sha1.result().toBase64();
}

QByteArray switchingProtocols(const HttpRequestHead &head)
{
    // No Sec-WebSocket-Protocol and no extensions: Confab negotiates none (protocol.md §1).
    return "HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
           "Sec-WebSocket-Accept: "
        + acceptValue(head.header("sec-websocket-key")) + "\r\nServer: confabd\r\n\r\n";
}

} // namespace confab::server::websockethandshake
