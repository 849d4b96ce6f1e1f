// SPDX-License-Identifier: GPL-3.0-or-later
#include "net/wireframe.h"

#include "net/frametap.h"

#include <QtEndian>

namespace confab::server {

WireFrame WireFrame::text(QByteArrayView utf8)
{
    frametap::record(utf8);
    return frame(char(0x81), utf8); // FIN, opcode 1 (text): never fragmented
}

WireFrame WireFrame::close(quint16 code, const QString &reason)
{
    QByteArray payload(2, Qt::Uninitialized);
    qToBigEndian(code, payload.data());
    QByteArray text = reason.toUtf8();
    // Cut on a character boundary: the peer must fail a close reason that is not UTF-8.
    qsizetype keep = std::min<qsizetype>(text.size(), 123);
    while (keep > 0 && keep < text.size() && (uchar(text[keep]) & 0xC0) == 0x80)
        --keep;
    payload.append(text.left(keep));
    return frame(char(0x88), payload); // FIN, opcode 8 (close)
}

WireFrame WireFrame::binary(QByteArrayView head, QByteArrayView data)
{
    return frame(char(0x82), head, data); // FIN, opcode 2 (binary)
}

WireFrame WireFrame::frame(char opcode, QByteArrayView utf8, QByteArrayView more)
{
    const auto size = quint64(utf8.size() + more.size());
    WireFrame f;
    char header[10];
    header[0] = opcode;
    if (size < 126) {
        header[1] = char(size);
        f.m_headerSize = 2;
    } else if (size <= 0xFFFF) {
        header[1] = char(126);
        qToBigEndian(quint16(size), header + 2);
        f.m_headerSize = 4;
    } else {
        header[1] = char(127);
        qToBigEndian(size, header + 2);
        f.m_headerSize = 10;
    }
    f.m_bytes.reserve(f.m_headerSize + qsizetype(size));
    f.m_bytes.append(header, f.m_headerSize);
    f.m_bytes.append(utf8);
    f.m_bytes.append(more);
    return f;
}

} // namespace confab::server
