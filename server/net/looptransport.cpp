// SPDX-License-Identifier: GPL-3.0-or-later
#include "net/looptransport.h"

#include "net/ioloop.h"
#include "net/ioloops.h"
#include "net/wireframe.h"

namespace confab::server {

LoopTransport::LoopTransport(
    IoLoops *loops, IoLoop *loop, int loopIndex, quint64 id, std::shared_ptr<LoopLink> link)
    : m_loops(loops)
    , m_loop(loop)
    , m_loopIndex(loopIndex)
    , m_id(id)
    , m_link(std::move(link))
{ }

LoopTransport::~LoopTransport()
{
    if (!m_loops)
        return; // the loops have ended every connection
    m_loops->forget(this);
    if (!m_gone)
        post(LoopCommand::Op::Abort);
}

void LoopTransport::post(LoopCommand::Op op)
{
    LoopCommand command;
    command.op = op;
    post(std::move(command));
}

void LoopTransport::post(LoopCommand command)
{
    if (!m_loops)
        return;
    command.id = m_id;
    m_loop->post(std::move(command));
}

void LoopTransport::start(Receiver *receiver)
{
    m_receiver = receiver;
    post(LoopCommand::Op::Start);
}

void LoopTransport::send(const WireFrame &frame)
{
    sendFramed(frame.bytes());
}

void LoopTransport::sendFramed(const QByteArray &bytes)
{
    if (m_gone || m_closeSent || bytes.isEmpty())
        return;
    m_link->inFlight.fetch_add(bytes.size());
    LoopCommand command;
    command.op = LoopCommand::Op::Send;
    command.bytes = bytes;
    post(std::move(command));
}

qint64 LoopTransport::bytesToWrite() const
{
    if (m_gone)
        return 0;
    return m_link->inFlight.load() + m_link->queued.load();
}

void LoopTransport::watchOutput() const
{
    // Set before the caller reads the counters again: either it sees the loop's hand-on,
    // or the loop sees this flag and reports it (both sequentially consistent).
    m_link->watch.store(true);
}

void LoopTransport::close(quint16 code, const QString &reason)
{
    if (m_gone || m_closeSent)
        return;
    m_closeSent = true;
    LoopCommand command;
    command.op = LoopCommand::Op::Close;
    command.code = code;
    command.reason = reason;
    post(std::move(command));
}

void LoopTransport::abort()
{
    if (m_gone)
        return;
    m_gone = true;
    post(LoopCommand::Op::Abort);
    if (m_receiver)
        m_receiver->transportClosed();
}

void LoopTransport::ping()
{
    if (!m_gone && !m_closeSent)
        post(LoopCommand::Op::Ping);
}

void LoopTransport::readPending()
{
    if (m_gone || !m_loops)
        return;
    // The loop reads what has reached the machine and reports it; then it is delivered,
    // with whatever else the loops reported before.
    Rendezvous read;
    LoopCommand command;
    command.op = LoopCommand::Op::ReadPending;
    command.done = &read;
    post(std::move(command));
    read.wait();
    m_loops->deliverEvents();
}

void LoopTransport::setIncomingLimits(qint64 maxText, qint64 maxBinary)
{
    m_maxText = maxText;
    m_maxBinary = maxBinary;
    LoopCommand command;
    command.op = LoopCommand::Op::Limits;
    command.maxText = maxText;
    command.maxBinary = maxBinary;
    post(std::move(command));
}

void LoopTransport::decodeRequests(const std::shared_ptr<const protocol::Limits> &limits)
{
    LoopCommand command;
    command.op = LoopCommand::Op::Limits;
    command.maxText = m_maxText;
    command.maxBinary = m_maxBinary;
    command.requestLimits = limits;
    post(std::move(command));
}

void LoopTransport::deliver(LoopEvent &event)
{
    if (m_gone || !m_receiver)
        return;
    using Kind = LoopEvent::Kind;
    switch (event.kind) {
    case Kind::Text:
        m_receiver->transportText(event.payload);
        break;
    case Kind::Request:
        m_receiver->transportRequest(*event.request);
        break;
    case Kind::Binary:
        m_receiver->transportBinary(event.payload);
        break;
    case Kind::Activity:
        m_receiver->transportActivity();
        break;
    case Kind::Written:
        m_receiver->transportWritten();
        break;
    case Kind::Closing:
        // The replies to what the peer sent before its close have been posted: the echo
        // follows them, and nothing may follow it.
        post(LoopCommand::Op::EchoClose);
        m_closeSent = true;
        m_receiver->transportClosing();
        break;
    case Kind::Closed:
        m_gone = true;
        m_receiver->transportClosed();
        break;
    case Kind::ProtocolError:
        m_receiver->transportProtocolError(event.code, event.reason);
        break;
    }
}

} // namespace confab::server
