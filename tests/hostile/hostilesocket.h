// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "protocol/requestbuilder.h"
#include "protocol/serverframe.h"

#include <QByteArray>
#include <QElapsedTimer>
#include <QList>
#include <QObject>
#include <QTcpSocket>
#include <optional>

namespace confab::test {

/*!
 * \brief A WebSocket client written against the TCP stream by hand, so that it
 * can break RFC 6455 on purpose: reserved bits, unknown opcodes, unmasked or
 * oversize frames, bad close codes, half-finished handshakes, never reading.
 */
class HostileSocket : public QObject
{
public:
    struct Frame
    {
        int opcode = 0;
        bool fin = true;
        QByteArray payload;
    };

    enum Opcode
    {
        Continuation = 0x0,
        Text = 0x1,
        Binary = 0x2,
        Close = 0x8,
        Ping = 0x9,
        Pong = 0xA,
    };

    /*!
     * \brief Builds one frame. \a rsv is the three reserved bits (0–7); an
     * unmasked frame is what RFC 6455 forbids a client to send.
     */
    static QByteArray frame(
        int opcode, const QByteArray &payload, bool fin = true, int rsv = 0, bool masked = true);
    /*! \brief A header that announces \a length bytes, with no payload after it. */
    static QByteArray header(int opcode, quint64 length, bool fin = true);
    /*! \brief A close frame's payload: the code, then the reason. */
    static QByteArray closePayload(quint16 code, const QByteArray &reason = {});
    static QByteArray upgradeRequest(quint16 port);

    /*!
     * \brief Opens the TCP connection. A \a receiveBuffer > 0 shrinks the
     * kernel's receive buffer (and so the TCP window) before connecting, so a
     * reader that stops reading backs up into the server quickly.
     */
    bool connectTcp(quint16 port, int receiveBuffer = 0, int timeoutMs = 5000);
    /*! \brief Starts connecting without waiting: for hundreds at once. */
    void connectAsync(quint16 port);
    /*! \brief TCP connect, then the HTTP upgrade; true on "101" with the right accept key. */
    bool open(quint16 port, int timeoutMs = 5000);
    /*! \brief Sends the upgrade and waits for the response (the TCP side must be connected). */
    bool upgrade(quint16 port, int timeoutMs = 5000);

    void write(const QByteArray &bytes);
    void sendText(const QByteArray &payload) { write(frame(Text, payload)); }
    /*! \brief Sends \a r with integer \a id and waits for the reply with that id. */
    std::optional<protocol::ServerFrame> request(
        const protocol::OutgoingRequest &r, qint64 id, int timeoutMs = 5000);
    /*! \brief Waits for a reply (result or error) whose id equals \a id. */
    std::optional<protocol::ServerFrame> waitReply(const QJsonValue &id, int timeoutMs = 5000);

    /*! \brief Stops taking bytes off the socket, so they back up into the server. */
    void stopReading();
    /*! \brief Answer the server's close frame (the polite default) or not. */
    void setAnswerClose(bool answer) { m_answerClose = answer; }

    bool isConnected() const { return m_socket.state() == QAbstractSocket::ConnectedState; }
    bool isDisconnected() const { return m_disconnected; }
    /*! \brief Milliseconds from connect to disconnect; -1 while connected. */
    qint64 lifetimeMs() const { return m_lifetime; }
    bool hasFrame(int opcode) const;
    QList<Frame> frames() const { return m_frames; }
    /*! \brief The code of the first close frame received; -1 if none, 1005 if it had no code. */
    int closeCode() const;
    QByteArray closeReason() const;
    /*! \brief The decoded text frames received, pushes and replies alike. */
    QList<protocol::ServerFrame> textFrames() const;
    QByteArray response() const { return m_response; }
    QTcpSocket &socket() { return m_socket; }

private:
    void setUp();
    void drain();
    void parseFrames();

    QTcpSocket m_socket;
    QElapsedTimer m_clock;
    QByteArray m_response;
    QByteArray m_buffer;
    QList<Frame> m_frames;
    qint64 m_lifetime = -1;
    bool m_reading = true;
    bool m_answerClose = true;
    bool m_closeAnswered = false;
    bool m_disconnected = false;
    bool m_upgrading = false;
};

/*!
 * \brief Memory this process uses, in KiB: VmRSS from /proc/self/status, or
 * under AddressSanitizer the live heap (its quarantine keeps freed memory
 * resident, up to 256 MiB, which would swamp any bound on VmRSS).
 */
qint64 residentKiB();

} // namespace confab::test
