// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "net/clientframereader.h"
#include "net/connectiontransport.h"

#include <QList>

class QSocketNotifier;

namespace confab::server {

/*!
 * \brief A plain-TCP WebSocket served on its descriptor: frames decoded by
 * ClientFrameReader as they are read, and written with one send (or sendmsg) per batch.
 *
 * QWebSocket over QTcpSocket cost ~17 KiB per idle connection (a retained 32 KiB write
 * chunk, read buffers, a dozen signal connections) and a few dozen allocations per
 * connect. Here an idle connection holds a read notifier and nothing else: input is read
 * into a per-thread buffer and only a partial frame is kept, and output is queued only
 * when the kernel does not take it at once.
 */
class DescriptorTransport final : public ConnectionTransport
{
public:
    /*!
     * \a fd is an accepted socket whose upgrade has been answered; it is closed with this.
     * \a early holds bytes read together with the upgrade request: the first frames.
     */
    DescriptorTransport(qintptr fd, QByteArray early);
    ~DescriptorTransport() override;
    DescriptorTransport(const DescriptorTransport &) = delete;
    DescriptorTransport &operator=(const DescriptorTransport &) = delete;

    void start(Receiver *receiver) override;
    void send(const WireFrame &frame) override;
    bool takesFramedBytes() const override { return true; }
    void sendFramed(const QByteArray &bytes) override;
    qint64 bytesToWrite() const override { return m_outBytes; }
    bool isGone() const override { return m_gone; }
    void close(quint16 code, const QString &reason) override;
    void abort() override { finish(); }
    void ping() override;
    void readPending() override;
    void setIncomingLimits(qint64 maxText, qint64 maxBinary) override
    {
        m_frames.setLimits(maxText, maxBinary);
    }

    /*!
     * \brief The peer's close is not echoed when it arrives but when echoClose() is called:
     * for an owner on another thread, whose replies to earlier messages are still coming.
     */
    void setEchoCloseLater(bool later) { m_echoLater = later; }
    /*! \brief Echoes the peer's close after what is queued (see setEchoCloseLater()). */
    void echoClose();

    /*! \brief Bytes read from the socket per event-loop turn, at most: others get a turn. */
    static constexpr qint64 ReadBudget = 1024 * 1024;

private:
    void readAvailable(qint64 budget);
    /*! \brief Decodes what arrived; false once reading should stop. */
    bool consume(QByteArrayView fresh);
    void deliver(ClientFrameReader::Message &message);
    /*! \brief Answers the latest ping once nothing else is queued. */
    void sendDuePong();
    void enqueue(const QByteArray &bytes);
    void writeQueued();
    /*! \brief Lets go of the sent start of the first queued buffer once that is worth it. */
    void compactFirst();
    void writeFailed();
    void finishWhenFlushed();
    /*! \brief Closes the descriptor and tells the receiver, once. */
    void finish();

    qintptr m_fd;
    Receiver *m_receiver = nullptr;
    QSocketNotifier *m_reader = nullptr;
    QSocketNotifier *m_writer = nullptr; //!< made the first time the kernel's buffer is full
    QByteArray m_in; //!< the start of a frame not yet complete
    QList<QByteArray> m_out; //!< what the kernel has not taken, in order
    qsizetype m_outOffset = 0; //!< bytes of m_out.first() already sent
    qint64 m_outBytes = 0;
    ClientFrameReader m_frames;
    bool m_gone = false;
    bool m_reading = false;
    bool m_closeSent = false;
    bool m_broken = false; //!< a send failed; the reader will find the end
    bool m_finishWhenFlushed = false; //!< the peer closed; ends once the queue is written
    bool m_pongDue = false;
    bool m_echoLater = false;
    bool m_peerClosed = false; //!< its close frame arrived
    quint16 m_peerCloseCode = 1005;
    QByteArray m_pongPayload;
};

} // namespace confab::server
