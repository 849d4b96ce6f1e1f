// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "protocol/requestbuilder.h"
#include "protocol/serverframe.h"

#include <QByteArray>
#include <QElapsedTimer>
#include <QHostAddress>
#include <QList>
#include <QObject>
#include <QTcpSocket>
#include <optional>

namespace confab::test {

/*!
 * \brief A WebSocket client written against the TCP stream by hand, for what
 * QWebSocket will not do: break RFC 6455 on purpose (reserved bits, unknown
 * opcodes, unmasked or oversize frames, lying lengths, bad close codes,
 * half-finished handshakes), send frames in the same write as the upgrade,
 * leave pings unanswered, or stop reading.
 *
 * Everything runs on the test's event loop: the waits spin it through
 * TestClient::waitUntil(). Frames the server sends are parsed as they arrive
 * (while reading) and kept in order; a close frame is answered unless
 * setAnswerClose(false).
 */
class RawWebSocket : public QObject
{
public:
    /*! \brief One frame the server sent. */
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

    /*! \brief One extra line of the upgrade request, e.g. {"Origin", "https://x"}. */
    struct Header
    {
        QByteArray name;
        QByteArray value;
    };

    /*!
     * \brief Builds one client frame. \a rsv is the three reserved bits (0–7);
     * an unmasked frame is what RFC 6455 forbids a client to send.
     */
    static QByteArray frame(
        int opcode, const QByteArray &payload, bool fin = true, int rsv = 0, bool masked = true);
    /*!
     * \brief A masked header that announces \a length bytes (in the 64-bit
     * form), with no payload after it: a length that may lie.
     */
    static QByteArray header(int opcode, quint64 length, bool fin = true);
    /*! \brief A close frame's payload: the code, then the reason. */
    static QByteArray closePayload(quint16 code, const QByteArray &reason = {});
    /*!
     * \brief The HTTP upgrade request, with the sample key of RFC 6455 §1.3 (so
     * the expected accept value is known) and \a extraHeaders before the blank line.
     */
    static QByteArray upgradeRequest(quint16 port, const QList<Header> &extraHeaders = {});

    /*!
     * \brief Opens the TCP connection to 127.0.0.1. A \a receiveBuffer > 0
     * shrinks the kernel's receive buffer (and so the TCP window) before
     * connecting, so a reader that stops reading backs up into the server quickly.
     */
    bool connectTcp(quint16 port, int receiveBuffer = 0, int timeoutMs = 5000);
    /*!
     * \brief Connects from \a address instead of 127.0.0.1 (another loopback address such
     * as 127.0.0.2): a second client address for per-address limits. Before connecting.
     */
    void setLocalAddress(const QHostAddress &address) { m_localAddress = address; }
    /*! \brief Starts connecting without waiting: for hundreds at once. */
    void connectAsync(quint16 port);
    /*! \brief TCP connect, then the HTTP upgrade; true on "101" with the right accept key. */
    bool open(quint16 port, int timeoutMs = 5000);
    /*! \brief Sends the upgrade and waits for the response (the TCP side must be connected). */
    bool upgrade(quint16 port, int timeoutMs = 5000);
    /*!
     * \brief Writes the upgrade request and, in the same write, \a sameWrite
     * (frames that need not wait for the 101); does not wait.
     */
    void sendUpgrade(
        quint16 port, const QByteArray &sameWrite = {}, const QList<Header> &extraHeaders = {});
    /*! \brief Waits for the whole response head, or the disconnect; true if the head came. */
    bool waitResponse(int timeoutMs = 5000);
    /*! \brief Whether the response is a "101" with the accept value of the sample key. */
    bool isUpgraded() const;

    void write(const QByteArray &bytes);
    /*! \brief Sends one masked text frame, as RFC 6455 requires of clients. */
    void sendText(const QByteArray &payload) { write(frame(Text, payload)); }
    /*! \brief Sends one masked binary frame (an upload chunk, protocol §16.2). */
    void sendBinary(const QByteArray &payload) { write(frame(Binary, payload)); }
    /*! \brief Sends \a r with integer \a id and waits for the reply with that id. */
    std::optional<protocol::ServerFrame> request(
        const protocol::OutgoingRequest &r, qint64 id, int timeoutMs = 5000);
    /*! \brief Waits for a reply (result or error) whose id equals \a id. */
    std::optional<protocol::ServerFrame> waitReply(const QJsonValue &id, int timeoutMs = 5000);

    /*!
     * \brief Stops taking bytes off the socket: Qt's buffer fills to a few
     * KiB, then the kernel's, then the server's.
     */
    void stopReading();
    /*! \brief Takes bytes off the socket again, and parses what is buffered. */
    void resumeReading();
    /*! \brief Reads what the socket has now and parses it (even while not reading). */
    void drain();
    /*! \brief Answer the server's close frame (the polite default) or not. */
    void setAnswerClose(bool answer) { m_answerClose = answer; }

    bool isConnected() const { return m_socket.state() == QAbstractSocket::ConnectedState; }
    bool isDisconnected() const { return m_disconnected; }
    /*! \brief Milliseconds from connect to disconnect; -1 while connected. */
    qint64 lifetimeMs() const { return m_lifetime; }
    /*! \brief Bytes read off the socket so far, response head included. */
    qint64 received() const { return m_received; }
    bool hasFrame(int opcode) const;
    QList<Frame> frames() const { return m_frames; }
    /*! \brief The code of the first close frame received; -1 if none, 1005 if it had no code. */
    int closeCode() const;
    /*! \brief The reason of the first close frame received. */
    QByteArray closeReason() const;
    /*! \brief The decoded text frames received, pushes and replies alike. */
    QList<protocol::ServerFrame> textFrames() const;
    /*! \brief The HTTP response head, blank line included; empty until it is complete. */
    QByteArray response() const { return m_response; }
    /*!
     * \brief The response's status line without its CRLF, e.g. "HTTP/1.1 101
     * Switching Protocols"; taken from what arrived if the head never completed.
     */
    QByteArray statusLine() const;
    QTcpSocket &socket() { return m_socket; }

private:
    void setUp();
    void parseFrames();

    QTcpSocket m_socket;
    QHostAddress m_localAddress;
    QElapsedTimer m_clock;
    QByteArray m_response;
    QByteArray m_buffer;
    QList<Frame> m_frames;
    qint64 m_lifetime = -1;
    qint64 m_received = 0;
    bool m_reading = true;
    bool m_answerClose = true;
    bool m_closeAnswered = false;
    bool m_disconnected = false;
};

} // namespace confab::test
