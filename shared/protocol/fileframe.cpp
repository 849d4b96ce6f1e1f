// SPDX-License-Identifier: GPL-3.0-or-later
#include "protocol/fileframe.h"

#include "protocol/limits.h"

#include <QtEndian>

namespace confab::protocol {

std::optional<FileFrame> decodeFileFrame(QByteArrayView message)
{
    if (message.size() <= FileFrameHeaderBytes)
        return std::nullopt;
    const auto kind = quint8(message[0]);
    if (kind != quint8(FileFrameKind::UploadChunk) && kind != quint8(FileFrameKind::DownloadData))
        return std::nullopt;
    const auto *bytes = reinterpret_cast<const uchar *>(message.data());
    return FileFrame {FileFrameKind(kind), qFromBigEndian<quint64>(bytes + 1),
        qFromBigEndian<quint64>(bytes + 9), message.sliced(FileFrameHeaderBytes)};
}

QByteArray encodeFileFrameHeader(FileFrameKind kind, quint64 id, quint64 offset)
{
    QByteArray header(FileFrameHeaderBytes, Qt::Uninitialized);
    auto *bytes = reinterpret_cast<uchar *>(header.data());
    bytes[0] = uchar(kind);
    qToBigEndian(id, bytes + 1);
    qToBigEndian(offset, bytes + 9);
    return header;
}

QByteArray encodeFileFrame(const FileFrame &frame)
{
    QByteArray message = encodeFileFrameHeader(frame.kind, frame.id, frame.offset);
    message.reserve(FileFrameHeaderBytes + frame.data.size());
    message.append(frame.data);
    return message;
}

} // namespace confab::protocol
