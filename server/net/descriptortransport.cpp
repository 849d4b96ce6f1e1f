// SPDX-License-Identifier: GPL-3.0-or-later
#include "net/descriptortransport.h"

#include "core/logging.h"
#include "net/socketcalls.h"
#include "net/wireframe.h"

#include <QSocketNotifier>

namespace confab::server {

namespace {
using socketcalls::Received;

constexpr qsizetype ScratchBytes = 64 * 1024;

QByteArray controlFrame(char opcode, QByteArrayView payload)
{
    QByteArray frame;
    frame.reserve(2 + payload.size());
    frame.append(char(0x80 | opcode)); // FIN; servers never mask (RFC 6455 §5.1)
    frame.append(char(payload.size())); // control payloads are at most 125 bytes
    frame.append(payload);
    return frame;
}

void dropNotifier(QSocketNotifier *&notifier)
{
    if (!notifier)
        return;
    // Possibly inside its own activation: it goes once that has returned.
    notifier->setEnabled(false);
    notifier->deleteLater();
    notifier = nullptr;
}
} // namespace

DescriptorTransport::DescriptorTransport(qintptr fd, QByteArray early)
    : m_fd(fd)
    , m_in(std::move(early))
{
    socketcalls::prepare(fd);
}

DescriptorTransport::~DescriptorTransport()
{
    if (m_gone)
        return;
    delete m_reader;
    delete m_writer;
    socketcalls::close(m_fd);
}

void DescriptorTransport::start(Receiver *receiver)
{
    m_receiver = receiver;
    m_reader = new QSocketNotifier(m_fd, QSocketNotifier::Read);
    QObject::connect(
        m_reader, &QSocketNotifier::activated, m_reader, [this] { readAvailable(ReadBudget); });
    // Frames that came with the upgrade request go after hello, which the caller sent.
    if (!m_in.isEmpty()) {
        m_reading = true;
        consume({});
        m_reading = false;
        if (m_gone)
            m_in = QByteArray();
    }
}

void DescriptorTransport::readPending()
{
    // What has arrived by now, not what a fast sender keeps adding while it is read.
    if (!m_gone && !m_reading && m_receiver && !m_closeSent)
        readAvailable(std::max<qint64>(1, socketcalls::available(m_fd)));
}

void DescriptorTransport::readAvailable(qint64 budget)
{
    // One buffer per thread: an idle connection keeps none of its own.
    static thread_local char scratch[ScratchBytes];
    m_reading = true;
    while (!m_gone && budget > 0) {
        qint64 n = 0;
        const Received got = socketcalls::receive(m_fd, scratch, ScratchBytes, &n);
        if (got == Received::WouldBlock)
            break;
        if (got != Received::Data) {
            // End of stream or a reset: after our close frame this is the normal end.
            finish();
            break;
        }
        budget -= n;
        if (!consume(QByteArrayView(scratch, n)) || n < ScratchBytes)
            break;
    }
    m_reading = false;
    if (m_gone)
        m_in = QByteArray();
}

bool DescriptorTransport::consume(QByteArrayView fresh)
{
    // Past a broken frame nothing can be read as frames: dropped while the close goes out,
    // until the peer ends the stream or the close grace runs out.
    if (m_frames.failure().code)
        return true;
    QByteArrayView data = fresh;
    const bool buffered = !m_in.isEmpty();
    if (buffered) {
        m_in.append(fresh);
        data = m_in;
    }
    qsizetype at = 0;
    bool goOn = true;
    while (goOn) {
        qsizetype used = 0;
        ClientFrameReader::Message message;
        const auto step = m_frames.read(data.sliced(at), &used, &message);
        at += used;
        switch (step) {
        case ClientFrameReader::Step::NeedMore:
            goOn = false;
            break;
        case ClientFrameReader::Step::Fragment:
            break;
        case ClientFrameReader::Step::Failed:
            goOn = false;
            if (m_receiver && !m_closeSent) {
                const auto &failure = m_frames.failure();
                qCDebug(lcNet) << "frame refused:" << failure.reason;
                m_receiver->transportProtocolError(failure.code, QString(failure.reason));
            }
            break;
        case ClientFrameReader::Step::Message:
            deliver(message);
            goOn = !m_gone;
            break;
        }
    }
    if (m_gone)
        return false;
    if (m_frames.failure().code) {
        m_in = QByteArray();
        return true;
    }
    sendDuePong();
    if (buffered) {
        // Cut only when something was taken: a frame arriving in many small reads is
        // appended in place, not copied again on every read.
        if (at == m_in.size())
            m_in = QByteArray();
        else if (at > 0)
            m_in.remove(0, at);
    } else if (at < fresh.size()) {
        const QByteArrayView rest = fresh.sliced(at);
        m_in.reserve(std::max<qint64>(rest.size(), ClientFrameReader::frameSize(rest)));
        m_in.append(rest);
    }
    return true;
}

void DescriptorTransport::deliver(ClientFrameReader::Message &message)
{
    using Kind = ClientFrameReader::Kind;
    switch (message.kind) {
    case Kind::Text:
        // After a close frame, either way, the peer's messages are read only to find its
        // close or the end of the stream.
        if (!m_closeSent && !m_peerClosed)
            m_receiver->transportText(message.payload);
        break;
    case Kind::Binary:
        if (!m_closeSent && !m_peerClosed)
            m_receiver->transportBinary(message.payload);
        break;
    case Kind::Ping:
        // Answered once the frames read with it are handled, and only the latest of
        // several (RFC 6455 §5.5.3): a ping flood costs one send, not one each. A client's
        // own pings are not activity (protocol.md §2.3).
        m_pongDue = true;
        m_pongPayload = message.payload;
        break;
    case Kind::Pong:
        m_receiver->transportActivity();
        break;
    case Kind::Close:
        if (m_peerClosed)
            break;
        m_peerClosed = true;
        m_peerCloseCode = message.closeCode;
        if (m_closeSent) {
            finishWhenFlushed(); // the close handshake is complete
            break;
        }
        if (m_echoLater) {
            // The owner echoes (echoClose()) once it has queued its replies to what came
            // before: they would be lost behind the echo otherwise.
            m_receiver->transportClosing();
            break;
        }
        echoClose();
        m_receiver->transportClosing();
        break;
    }
}

void DescriptorTransport::echoClose()
{
    if (m_gone || m_closeSent || !m_peerClosed)
        return;
    // The peer's code (RFC 6455 §5.5.1), after what is queued.
    QByteArray payload;
    if (m_peerCloseCode != 1005) {
        payload.resize(2);
        payload[0] = char(m_peerCloseCode >> 8);
        payload[1] = char(m_peerCloseCode & 0xFF);
    }
    enqueue(controlFrame(0x8, payload));
    m_closeSent = true;
    finishWhenFlushed();
}

void DescriptorTransport::finishWhenFlushed()
{
    // Ends once the queue is written; the server's close grace bounds the wait.
    if (m_out.isEmpty())
        finish();
    else
        m_finishWhenFlushed = true;
}

void DescriptorTransport::sendDuePong()
{
    if (!m_pongDue || !m_out.isEmpty() || m_closeSent)
        return;
    m_pongDue = false;
    enqueue(controlFrame(0xA, std::exchange(m_pongPayload, {})));
}

void DescriptorTransport::send(const WireFrame &frame)
{
    sendFramed(frame.bytes());
}

void DescriptorTransport::sendFramed(const QByteArray &bytes)
{
    // Nothing may follow a close frame.
    if (!m_closeSent)
        enqueue(bytes);
}

void DescriptorTransport::enqueue(const QByteArray &bytes)
{
    if (m_gone || m_broken || bytes.isEmpty())
        return;
    if (!m_out.isEmpty()) {
        m_out.append(bytes);
        m_outBytes += bytes.size();
        return;
    }
    // The usual case: the kernel takes it all in one call and nothing is kept.
    const qint64 n = socketcalls::send(m_fd, bytes.constData(), bytes.size());
    if (n == bytes.size())
        return;
    if (n < 0) {
        writeFailed();
        return;
    }
    m_out.append(bytes);
    m_outOffset = qsizetype(n);
    m_outBytes = bytes.size() - n;
    compactFirst();
    if (!m_writer) {
        m_writer = new QSocketNotifier(m_fd, QSocketNotifier::Write);
        QObject::connect(
            m_writer, &QSocketNotifier::activated, m_writer, [this] { writeQueued(); });
    }
    m_writer->setEnabled(true);
}

void DescriptorTransport::writeQueued()
{
    constexpr int MostBuffers = 64;
    socketcalls::Buffer buffers[MostBuffers];
    int count = 0;
    for (const QByteArray &chunk : std::as_const(m_out)) {
        const qsizetype skip = count == 0 ? m_outOffset : 0;
        buffers[count++] = {chunk.constData() + skip, chunk.size() - skip};
        if (count == MostBuffers)
            break;
    }
    const qint64 n = socketcalls::sendMany(m_fd, buffers, count);
    if (n < 0) {
        writeFailed();
        return;
    }
    m_outBytes -= n;
    qint64 left = n;
    while (left > 0 && !m_out.isEmpty()) {
        const qsizetype rest = m_out.first().size() - m_outOffset;
        if (left < rest) {
            m_outOffset += qsizetype(left);
            break;
        }
        left -= rest;
        m_out.removeFirst();
        m_outOffset = 0;
    }
    compactFirst();
    if (m_out.isEmpty()) {
        m_out = {}; // its capacity too
        m_writer->setEnabled(false);
        if (m_finishWhenFlushed) {
            finish();
            return;
        }
        if (m_closeSent)
            socketcalls::shutdownSending(m_fd);
        else
            sendDuePong();
    }
    if (n > 0 && m_receiver)
        m_receiver->transportWritten();
}

void DescriptorTransport::compactFirst()
{
    // A large reply the kernel took most of would otherwise stay whole in memory until its
    // last byte is sent: a client that stops reading would hold its full size. Copied only
    // once at least half has gone, so a reply drained slowly is copied at most about once
    // over in all.
    constexpr qsizetype Worth = 64 * 1024;
    if (m_out.isEmpty() || m_outOffset < Worth || m_outOffset < m_out.first().size() / 2)
        return;
    m_out.first() = m_out.first().sliced(m_outOffset);
    m_outOffset = 0;
}

void DescriptorTransport::writeFailed()
{
    // Ended from the event loop, not from inside whichever broadcast was writing: shutting
    // both directions makes the reader see the end of the stream, whatever the error was
    // (a reset, or one like ENOBUFS that would not wake the reader by itself).
    m_broken = true;
    m_out = {};
    m_outBytes = 0;
    if (m_writer)
        m_writer->setEnabled(false);
    socketcalls::shutdownBoth(m_fd);
}

void DescriptorTransport::close(quint16 code, const QString &reason)
{
    if (m_gone || m_closeSent)
        return;
    enqueue(WireFrame::close(code, reason).bytes());
    m_closeSent = true;
    // Only our half: with the peer's frames still unread a full close would be a reset,
    // which can destroy the close frame before the peer reads it. The peer's close, its
    // end of stream, or the server's grace period ends the rest.
    if (m_out.isEmpty())
        socketcalls::shutdownSending(m_fd);
}

void DescriptorTransport::ping()
{
    if (!m_closeSent)
        enqueue(controlFrame(0x9, {}));
}

void DescriptorTransport::finish()
{
    if (m_gone)
        return;
    m_gone = true;
    dropNotifier(m_reader);
    dropNotifier(m_writer);
    socketcalls::close(m_fd);
    m_out = {};
    m_outBytes = 0;
    if (!m_reading)
        m_in = QByteArray();
    if (m_receiver)
        m_receiver->transportClosed();
}

} // namespace confab::server
