// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QByteArray>
#include <QByteArrayView>
#include <QString>

namespace confab::server {

/*!
 * \brief One server-to-client WebSocket message (text, or binary file data), framed once
 * (RFC 6455 §5.2).
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
    /*! \brief A binary message of \a head then \a data (a file frame, §16.2). */
    static WireFrame binary(QByteArrayView head, QByteArrayView data);

    bool isBinary() const { return !m_bytes.isEmpty() && m_bytes.front() == char(0x82); }

    const QByteArray &bytes() const { return m_bytes; }
    QByteArrayView payload() const { return QByteArrayView(m_bytes).sliced(m_headerSize); }
    bool isEmpty() const { return m_bytes.isEmpty(); }

private:
    static WireFrame frame(char opcode, QByteArrayView payload, QByteArrayView more = {});

    QByteArray m_bytes;
    qsizetype m_headerSize = 0;
};

} // namespace confab::server
