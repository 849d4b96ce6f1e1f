// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QByteArray>
#include <QByteArrayView>
#include <QString>

namespace confab::server {

/*!
 * \brief One server-to-client WebSocket text message, framed once (RFC 6455 §5.2).
 *
 * Frames from a server are never masked, so the same bytes go to every recipient of a
 * broadcast: the event is encoded and framed once instead of once per socket.
 */
class WireFrame
{
public:
    WireFrame() = default;
    /*! \brief Frames \a utf8, which must be valid UTF-8 (the codec's JSON always is). */
    static WireFrame text(QByteArrayView utf8);
    /*! \brief A close frame: \a code, then \a reason cut to fit a control frame's 125 bytes. */
    static WireFrame close(quint16 code, const QString &reason);

    const QByteArray &bytes() const { return m_bytes; }
    QByteArrayView payload() const { return QByteArrayView(m_bytes).sliced(m_headerSize); }
    bool isEmpty() const { return m_bytes.isEmpty(); }

private:
    static WireFrame frame(char opcode, QByteArrayView payload);

    QByteArray m_bytes;
    qsizetype m_headerSize = 0;
};

} // namespace confab::server
