// SPDX-License-Identifier: GPL-3.0-or-later
#include "testing/inmemorypeer.h"

#include "core/closecodes.h"
#include "net/wireframe.h"
#include "protocol/fileframe.h"

#include <QMetaObject>

namespace confab::server {

InMemoryPeer::InMemoryPeer(
    const protocol::Limits &limits, const QHostAddress &address, QObject *parent)
    : Peer(parent)
    , m_limits(limits)
    , m_address(address)
{ }

// A peer deleted while served leaves the service first, as a socket that drops does.
InMemoryPeer::~InMemoryPeer()
{
    disconnectPeer();
}

void InMemoryPeer::send(const WireFrame &frame)
{
    if (m_closing)
        return;
    ++m_framesSent;
    if (m_recording)
        (frame.isBinary() ? m_binaryFrames : m_frames).append(frame.payload().toByteArray());
}

void InMemoryPeer::close(quint16 code, const QString &reason)
{
    if (m_closing)
        return;
    m_closing = true;
    m_closeCode = code;
    m_closeReason = reason;
    // Queued: a socket reports its end from the event loop, never inside the send or
    // close that caused it, and the service relies on not being re-entered there.
    QMetaObject::invokeMethod(this, &InMemoryPeer::disconnectPeer, Qt::QueuedConnection);
}

void InMemoryPeer::feed(const QByteArray &utf8)
{
    if (m_closing)
        return;
    if (const std::optional<protocol::Request> request = decode(utf8, m_limits))
        Q_EMIT requestReceived(this, *request);
}

void InMemoryPeer::feedBinary(const QByteArray &message)
{
    if (m_closing)
        return;
    const std::optional<protocol::FileFrame> frame = protocol::decodeFileFrame(message);
    if (!frame || frame->kind != protocol::FileFrameKind::UploadChunk)
        return failNotFileFrame();
    if (frame->data.size() > m_limits.maxChunkBytes)
        return close(closecodes::TooBig, QStringLiteral("chunk larger than maxChunkBytes"));
    handOnChunk(frame->id, frame->offset, frame->data);
}

void InMemoryPeer::disconnectPeer()
{
    if (m_gone)
        return;
    m_gone = true;
    m_closing = true;
    Q_EMIT closed(this);
}

} // namespace confab::server
