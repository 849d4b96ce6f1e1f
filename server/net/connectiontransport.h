// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "protocol/requestcodec.h"

#include <QByteArray>
#include <QString>
#include <memory>

namespace confab::server {

class WireFrame;

/*!
 * \brief How one client's WebSocket moves bytes, apart from what ClientConnection decides
 * about them (rate, order, output bounds).
 *
 * Two kinds: DescriptorTransport reads and writes frames on the descriptor itself (plain
 * TCP: no Qt socket object, a few hundred bytes per idle connection); QtWebSocketTransport
 * goes through QWebSocket, which is what can speak TLS.
 */
class ConnectionTransport
{
public:
    /*! \brief Told what arrives. Plain callbacks, not signals: they cost nothing per connection. */
    class Receiver
    {
    public:
        virtual void transportText(const QByteArray &utf8) = 0;
        /*!
         * \brief A text message already decoded as a request, by a transport asked to
         * (decodeRequests()), instead of transportText().
         */
        virtual void transportRequest(protocol::DecodedRequest &decoded) = 0;
        virtual void transportBinary(const QByteArray &data) = 0;
        /*! \brief A pong: the peer is there. */
        virtual void transportActivity() = 0;
        /*! \brief Queued output was written: bytesToWrite() went down. */
        virtual void transportWritten() = 0;
        /*!
         * \brief The peer sent its close: requests stop, and the connection ends once the
         * close is echoed (or the server's close grace runs out).
         */
        virtual void transportClosing() = 0;
        /*! \brief The connection is gone; nothing sent now arrives. */
        virtual void transportClosed() = 0;
        /*!
         * \brief The peer broke RFC 6455 or a size limit: close with \a code. What it sends
         * from here on is read and dropped.
         */
        virtual void transportProtocolError(quint16 code, const QString &reason) = 0;

    protected:
        ~Receiver() = default;
    };

    virtual ~ConnectionTransport() = default;

    /*! \brief Starts reading; called once the receiver is ready for the first message. */
    virtual void start(Receiver *receiver) = 0;
    /*! \brief Sends one frame as it is. */
    virtual void send(const WireFrame &frame) = 0;
    /*!
     * \brief Whether sendFramed() works: frames can be gathered and written in one call.
     * Not through TLS, where only QWebSocket can write.
     */
    virtual bool takesFramedBytes() const = 0;
    /*! \brief Writes whole frames, already framed, in one go. */
    virtual void sendFramed(const QByteArray &bytes) = 0;
    /*! \brief Output taken but not yet handed to the kernel. */
    virtual qint64 bytesToWrite() const = 0;
    /*!
     * \brief Of bytesToWrite(), what is held because the kernel did not take it: all of it,
     * except for output on its way to a loop thread, which is gone within a loop turn.
     */
    virtual qint64 bytesQueued() const { return bytesToWrite(); }
    /*!
     * \brief The caller waits for bytesToWrite() to go down: transportWritten() is due even
     * where output to another thread reaches the kernel without being queued.
     */
    virtual void watchOutput() const { }
    /*! \brief Neither side can send any more: the connection has ended. */
    virtual bool isGone() const = 0;
    /*! \brief Sends a close frame after everything queued, then ends the connection. */
    virtual void close(quint16 code, const QString &reason) = 0;
    /*! \brief Ends the connection now, dropping what is queued; transportClosed() follows. */
    virtual void abort() = 0;
    virtual void ping() = 0;
    /*! \brief Reads and hands on every message that has reached the machine, now. */
    virtual void readPending() = 0;
    /*! \brief Largest text and binary messages; a larger one closes with 1009. */
    virtual void setIncomingLimits(qint64 maxText, qint64 maxBinary) = 0;
    /*!
     * \brief Decode text messages as requests under \a limits where that can be done off
     * the main thread (a loop thread); they then arrive through transportRequest().
     */
    virtual void decodeRequests(const std::shared_ptr<const protocol::Limits> &limits)
    {
        Q_UNUSED(limits)
    }
};

} // namespace confab::server
