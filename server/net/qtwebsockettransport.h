// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "net/connectiontransport.h"

class QWebSocket;

namespace confab::server {

/*!
 * \brief A WebSocket served through QWebSocket: the TLS path (wss://), where only Qt's
 * socket can encrypt. QtWebSockets decodes and checks frames itself.
 */
class QtWebSocketTransport final : public ConnectionTransport
{
public:
    /*! \brief Takes \a socket, which is deleted with this. */
    explicit QtWebSocketTransport(QWebSocket *socket);
    ~QtWebSocketTransport() override;
    QtWebSocketTransport(const QtWebSocketTransport &) = delete;
    QtWebSocketTransport &operator=(const QtWebSocketTransport &) = delete;

    void start(Receiver *receiver) override;
    void send(const WireFrame &frame) override;
    bool takesFramedBytes() const override { return false; }
    void sendFramed(const QByteArray &) override { }
    qint64 bytesToWrite() const override;
    bool isGone() const override;
    void close(quint16 code, const QString &reason) override;
    void abort() override;
    void ping() override;
    /*! \brief Nothing: frames QtWebSockets has not decoded yet stay unread (protocol.md §2.6). */
    void readPending() override { }
    void setIncomingLimits(qint64 maxText, qint64 maxBinary) override;

private:
    QWebSocket *m_socket;
};

} // namespace confab::server
