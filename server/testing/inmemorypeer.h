// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "chat/peer.h"
#include "protocol/limits.h"

#include <QByteArray>
#include <QList>
#include <optional>

namespace confab::server {

/*!
 * \brief A Peer with no transport, for tests and fuzzers: request frames are fed in as
 * text, and whatever the service sends is recorded as the JSON it would have put on the
 * wire. No rate limit, no heartbeat, no output bound: those are the transport's.
 */
class InMemoryPeer : public Peer
{
    Q_OBJECT
public:
    explicit InMemoryPeer(const protocol::Limits &limits = {},
        const QHostAddress &address = QHostAddress::LocalHost, QObject *parent = nullptr);
    ~InMemoryPeer() override;

    using Peer::send;
    void send(const WireFrame &frame) override;
    /*! \brief Records the close; closed() follows from the event loop, as a socket's would. */
    void close(quint16 code, const QString &reason) override;
    QHostAddress peerAddress() const override { return m_address; }
    bool isClosing() const override { return m_closing; }

    /*! \brief Handles one text message from the client, as if it had arrived. */
    void feed(const QByteArray &utf8);
    /*! \brief Handles one binary message from the client (an upload chunk, §16.2). */
    void feedBinary(const QByteArray &message);
    /*! \brief The client goes away without a close handshake. */
    void disconnectPeer();

    /*! \brief Every frame sent to this peer since the last takeFrames(), as UTF-8 JSON. */
    const QList<QByteArray> &frames() const { return m_frames; }
    QList<QByteArray> takeFrames() { return std::exchange(m_frames, {}); }
    /*! \brief Binary messages sent (download data, §16.2), header included. */
    QList<QByteArray> takeBinaryFrames() { return std::exchange(m_binaryFrames, {}); }
    /*! \brief When false, sent frames are counted but not kept (fuzzers). */
    void setRecording(bool recording) { m_recording = recording; }
    qint64 framesSent() const { return m_framesSent; }

    std::optional<quint16> closeCode() const { return m_closeCode; }
    const QString &closeReason() const { return m_closeReason; }

private:
    protocol::Limits m_limits;
    QHostAddress m_address;
    QList<QByteArray> m_frames;
    QList<QByteArray> m_binaryFrames;
    qint64 m_framesSent = 0;
    std::optional<quint16> m_closeCode;
    QString m_closeReason;
    bool m_recording = true;
    bool m_closing = false;
    bool m_gone = false;
};

} // namespace confab::server
