// SPDX-License-Identifier: GPL-3.0-or-later
#include "rawwebsocket.h"

#include "testclient.h"

#include <QHostAddress>
#include <algorithm>
#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>
#include <utility>

namespace confab::test {

QByteArray RawWebSocket::frame(
    int opcode, const QByteArray &payload, bool fin, int rsv, bool masked)
{
    QByteArray out;
    out.append(char((fin ? 0x80 : 0) | ((rsv & 7) << 4) | (opcode & 0x0f)));
    const quint64 n = quint64(payload.size());
    const char maskBit = masked ? char(0x80) : char(0);
    if (n < 126) {
        out.append(char(maskBit | char(n)));
    } else if (n < 65536) {
        out.append(char(maskBit | 126));
        out.append(char(n >> 8));
        out.append(char(n & 0xff));
    } else {
        out.append(char(maskBit | 127));
        for (int i = 7; i >= 0; --i)
            out.append(char((n >> (8 * i)) & 0xff));
    }
    if (!masked)
        return out + payload;
    const char mask[4] = {0x37, 0x1b, 0x5c, 0x4e};
    out.append(mask, 4);
    for (qsizetype i = 0; i < payload.size(); ++i)
        out.append(char(payload[i] ^ mask[i % 4]));
    return out;
}

QByteArray RawWebSocket::header(int opcode, quint64 length, bool fin)
{
    QByteArray out;
    out.append(char((fin ? 0x80 : 0) | (opcode & 0x0f)));
    out.append(char(0x80 | 127));
    for (int i = 7; i >= 0; --i)
        out.append(char((length >> (8 * i)) & 0xff));
    out.append("\x01\x02\x03\x04", 4);
    return out;
}

QByteArray RawWebSocket::closePayload(quint16 code, const QByteArray &reason)
{
    QByteArray out;
    out.append(char(code >> 8));
    out.append(char(code & 0xff));
    return out + reason;
}

QByteArray RawWebSocket::upgradeRequest(quint16 port, const QList<Header> &extraHeaders)
{
    // The sample key of RFC 6455 §1.3, so the expected accept value is known.
    QByteArray out = "GET / HTTP/1.1\r\nHost: 127.0.0.1:" + QByteArray::number(port)
        + "\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
          "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n";
    for (const Header &h : extraHeaders)
        out += h.name + ": " + h.value + "\r\n";
    return out + "\r\n";
}

void RawWebSocket::setUp()
{
    m_clock.start();
    connect(&m_socket, &QTcpSocket::readyRead, this, [this] {
        if (m_reading)
            drain();
    });
    connect(&m_socket, &QTcpSocket::disconnected, this, [this] {
        m_disconnected = true;
        m_lifetime = m_clock.elapsed();
    });
    connect(&m_socket, &QTcpSocket::errorOccurred, this, [this] {
        if (m_socket.state() == QAbstractSocket::UnconnectedState && !m_disconnected) {
            m_disconnected = true;
            m_lifetime = m_clock.elapsed();
        }
    });
}

void RawWebSocket::connectAsync(quint16 port)
{
    setUp();
    if (!m_localAddress.isNull())
        m_socket.bind(m_localAddress);
    m_socket.connectToHost(QHostAddress::LocalHost, port);
}

bool RawWebSocket::connectTcp(quint16 port, int receiveBuffer, int timeoutMs)
{
    if (receiveBuffer <= 0) {
        connectAsync(port);
        return TestClient::waitUntil(
                   [&] {
                       return m_socket.state() == QAbstractSocket::ConnectedState || m_disconnected;
                   },
                   timeoutMs)
            && isConnected();
    }
    // SO_RCVBUF only sizes the TCP window if it is set before connect(), and
    // QTcpSocket creates its descriptor only while connecting.
    const int fd = ::socket(AF_INET, SOCK_STREAM, 0);
    if (fd < 0)
        return false;
    ::setsockopt(fd, SOL_SOCKET, SO_RCVBUF, &receiveBuffer, sizeof receiveBuffer);
    if (!m_localAddress.isNull()) {
        sockaddr_in local {};
        local.sin_family = AF_INET;
        local.sin_addr.s_addr = htonl(m_localAddress.toIPv4Address());
        if (::bind(fd, reinterpret_cast<sockaddr *>(&local), sizeof local) != 0) {
            ::close(fd);
            return false;
        }
    }
    sockaddr_in addr {};
    addr.sin_family = AF_INET;
    addr.sin_port = htons(port);
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    if (::connect(fd, reinterpret_cast<sockaddr *>(&addr), sizeof addr) != 0) {
        ::close(fd);
        return false;
    }
    setUp();
    return m_socket.setSocketDescriptor(fd);
}

bool RawWebSocket::open(quint16 port, int timeoutMs)
{
    return connectTcp(port, 0, timeoutMs) && upgrade(port, timeoutMs);
}

bool RawWebSocket::upgrade(quint16 port, int timeoutMs)
{
    sendUpgrade(port);
    return waitResponse(timeoutMs) && isUpgraded();
}

void RawWebSocket::sendUpgrade(
    quint16 port, const QByteArray &sameWrite, const QList<Header> &extraHeaders)
{
    m_socket.write(upgradeRequest(port, extraHeaders) + sameWrite);
}

bool RawWebSocket::waitResponse(int timeoutMs)
{
    TestClient::waitUntil([&] { return !m_response.isEmpty() || m_disconnected; }, timeoutMs);
    return !m_response.isEmpty();
}

bool RawWebSocket::isUpgraded() const
{
    return m_response.startsWith("HTTP/1.1 101")
        && m_response.contains("s3pPLMBiTxaQ9kYGzzhZRbK+xOo=");
}

QByteArray RawWebSocket::statusLine() const
{
    const QByteArray &head = m_response.isEmpty() ? m_buffer : m_response;
    const qsizetype end = head.indexOf("\r\n");
    return end < 0 ? head : head.left(end);
}

void RawWebSocket::write(const QByteArray &bytes)
{
    m_socket.write(bytes);
}

std::optional<protocol::ServerFrame> RawWebSocket::request(
    const protocol::OutgoingRequest &r, qint64 id, int timeoutMs)
{
    sendText(r.encode(double(id)));
    return waitReply(double(id), timeoutMs);
}

std::optional<protocol::ServerFrame> RawWebSocket::waitReply(const QJsonValue &id, int timeoutMs)
{
    std::optional<protocol::ServerFrame> reply;
    TestClient::waitUntil(
        [&] {
            for (const Frame &f : std::as_const(m_frames)) {
                if (f.opcode != Text)
                    continue;
                const auto decoded = protocol::decodeServerFrame(f.payload);
                if (decoded
                    && (decoded->type == protocol::ServerFrameType::Result
                        || decoded->type == protocol::ServerFrameType::Error)
                    && decoded->id == id) {
                    reply = decoded;
                    return true;
                }
            }
            return m_disconnected;
        },
        timeoutMs);
    return reply;
}

void RawWebSocket::stopReading()
{
    m_reading = false;
    m_socket.setReadBufferSize(4096);
}

void RawWebSocket::resumeReading()
{
    m_reading = true;
    m_socket.setReadBufferSize(0);
    drain();
}

void RawWebSocket::drain()
{
    const QByteArray data = m_socket.readAll();
    m_received += data.size();
    m_buffer += data;
    if (m_response.isEmpty()) {
        const qsizetype end = m_buffer.indexOf("\r\n\r\n");
        if (end < 0)
            return;
        m_response = m_buffer.left(end + 4);
        m_buffer.remove(0, end + 4);
    }
    parseFrames();
}

void RawWebSocket::parseFrames()
{
    for (;;) {
        if (m_buffer.size() < 2)
            return;
        const auto b0 = quint8(m_buffer[0]);
        const auto b1 = quint8(m_buffer[1]);
        qsizetype head = 2;
        quint64 length = b1 & 0x7f;
        if (length == 126) {
            if (m_buffer.size() < 4)
                return;
            length = (quint64(quint8(m_buffer[2])) << 8) | quint8(m_buffer[3]);
            head = 4;
        } else if (length == 127) {
            if (m_buffer.size() < 10)
                return;
            length = 0;
            for (int i = 0; i < 8; ++i)
                length = (length << 8) | quint8(m_buffer[2 + i]);
            head = 10;
        }
        if (b1 & 0x80) // servers never mask; skip the key of one that does
            head += 4;
        if (quint64(m_buffer.size()) < quint64(head) + length)
            return;
        const Frame f {b0 & 0x0f, bool(b0 & 0x80), m_buffer.mid(head, qsizetype(length))};
        m_frames.append(f);
        m_buffer.remove(0, head + qsizetype(length));
        if (f.opcode == Close && m_answerClose && !m_closeAnswered) {
            // Completes the closing handshake, as a well-behaved client would.
            m_closeAnswered = true;
            m_socket.write(frame(Close, f.payload.left(2)));
        }
    }
}

bool RawWebSocket::hasFrame(int opcode) const
{
    return std::any_of(
        m_frames.begin(), m_frames.end(), [&](const Frame &f) { return f.opcode == opcode; });
}

int RawWebSocket::closeCode() const
{
    for (const Frame &f : m_frames) {
        if (f.opcode == Close)
            return f.payload.size() >= 2 ? (quint8(f.payload[0]) << 8) | quint8(f.payload[1])
                                         : 1005;
    }
    return -1;
}

QByteArray RawWebSocket::closeReason() const
{
    for (const Frame &f : m_frames) {
        if (f.opcode == Close)
            return f.payload.mid(2);
    }
    return {};
}

QList<protocol::ServerFrame> RawWebSocket::textFrames() const
{
    QList<protocol::ServerFrame> out;
    for (const Frame &f : m_frames) {
        if (f.opcode != Text)
            continue;
        if (const auto decoded = protocol::decodeServerFrame(f.payload))
            out.append(*decoded);
    }
    return out;
}

} // namespace confab::test
