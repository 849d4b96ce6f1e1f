// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "net/connectiontransport.h"
#include "net/loopmessages.h"

#include <memory>

namespace confab::server {

class IoLoop;
class IoLoops;

/*!
 * \brief A plain connection served on a loop thread, as the main thread sees it: what is
 * sent is posted to the loop, what the loop reports arrives through IoLoops.
 *
 * It answers bytesToWrite() without asking the loop: the two share a LoopLink of atomic
 * counters. An abort() takes effect here at once (transportClosed() is called before it
 * returns, as with DescriptorTransport); the loop closes the socket when it gets to it.
 */
class LoopTransport final : public ConnectionTransport
{
public:
    LoopTransport(
        IoLoops *loops, IoLoop *loop, int loopIndex, quint64 id, std::shared_ptr<LoopLink> link);
    ~LoopTransport() override;
    LoopTransport(const LoopTransport &) = delete;
    LoopTransport &operator=(const LoopTransport &) = delete;

    void start(Receiver *receiver) override;
    void send(const WireFrame &frame) override;
    bool takesFramedBytes() const override { return true; }
    void sendFramed(const QByteArray &bytes) override;
    qint64 bytesToWrite() const override;
    qint64 bytesQueued() const override { return m_link->queued.load(); }
    void watchOutput() const override;
    bool isGone() const override { return m_gone; }
    void close(quint16 code, const QString &reason) override;
    void abort() override;
    void ping() override;
    void readPending() override;
    void setIncomingLimits(qint64 maxText, qint64 maxBinary) override;
    void decodeRequests(const std::shared_ptr<const protocol::Limits> &limits) override;

    quint64 id() const { return m_id; }
    int loopIndex() const { return m_loopIndex; }
    /*! \brief What the loop reported; from IoLoops::deliverEvents(). */
    void deliver(LoopEvent &event);
    /*! \brief The loops have ended, and this connection with them. */
    void loopsEnded()
    {
        m_loops = nullptr;
        m_gone = true;
    }

private:
    void post(LoopCommand::Op op);
    void post(LoopCommand command);

    IoLoops *m_loops;
    IoLoop *m_loop;
    int m_loopIndex;
    quint64 m_id;
    std::shared_ptr<LoopLink> m_link;
    Receiver *m_receiver = nullptr;
    qint64 m_maxText = 0;
    qint64 m_maxBinary = 0;
    bool m_gone = false;
    bool m_closeSent = false;
};

} // namespace confab::server
