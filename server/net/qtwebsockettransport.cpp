// SPDX-License-Identifier: GPL-3.0-or-later
#include "net/qtwebsockettransport.h"

#include "core/closecodes.h"
#include "net/wireframe.h"

#include <QWebSocket>

namespace confab::server {

QtWebSocketTransport::QtWebSocketTransport(QWebSocket *socket)
    : m_socket(socket)
{
    m_socket->setParent(nullptr);
}

QtWebSocketTransport::~QtWebSocketTransport()
{
    QObject::disconnect(m_socket, nullptr, nullptr, nullptr);
    delete m_socket;
}

void QtWebSocketTransport::start(Receiver *receiver)
{
    QObject::connect(m_socket, &QWebSocket::textMessageReceived, m_socket,
        [receiver](const QString &text) { receiver->transportText(text.toUtf8()); });
    QObject::connect(m_socket, &QWebSocket::binaryMessageReceived, m_socket,
        [receiver](const QByteArray &data) { receiver->transportBinary(data); });
    QObject::connect(
        m_socket, &QWebSocket::pong, m_socket, [receiver] { receiver->transportActivity(); });
    QObject::connect(
        m_socket, &QWebSocket::disconnected, m_socket, [receiver] { receiver->transportClosed(); });
    QObject::connect(m_socket, &QWebSocket::bytesWritten, m_socket,
        [receiver] { receiver->transportWritten(); });
}

void QtWebSocketTransport::send(const WireFrame &frame)
{
    if (frame.isBinary())
        m_socket->sendBinaryMessage(frame.payload().toByteArray());
    else
        m_socket->sendTextMessage(QString::fromUtf8(frame.payload()));
}

qint64 QtWebSocketTransport::bytesToWrite() const
{
    return m_socket->bytesToWrite();
}

bool QtWebSocketTransport::isGone() const
{
    return m_socket->state() == QAbstractSocket::UnconnectedState;
}

void QtWebSocketTransport::close(quint16 code, const QString &reason)
{
    m_socket->close(closecodes::toQt(code), reason);
}

void QtWebSocketTransport::abort()
{
    m_socket->abort();
}

void QtWebSocketTransport::ping()
{
    m_socket->ping();
}

void QtWebSocketTransport::setIncomingLimits(qint64 maxText, qint64 maxBinary)
{
    // QtWebSockets has one limit for both kinds of message: the larger of the two.
    // ClientConnection enforces the smaller text limit itself.
    const auto largest = quint64(std::max(maxText, maxBinary));
    m_socket->setMaxAllowedIncomingFrameSize(largest);
    m_socket->setMaxAllowedIncomingMessageSize(largest);
}

} // namespace confab::server
