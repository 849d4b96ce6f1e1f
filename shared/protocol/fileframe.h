// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QByteArray>
#include <QByteArrayView>
#include <optional>

namespace confab::protocol {

/*! \brief What a binary message carries (§16.2). Append only; the wire form is the number. */
enum class FileFrameKind : quint8
{
    UploadChunk = 1, //!< client → server: bytes of an upload
    DownloadData = 2, //!< server → client: bytes of a download stream
};

/*!
 * \brief One binary message: a 17-byte header (kind, id, offset; big-endian) and the data.
 * \c data views the message it was decoded from.
 */
struct FileFrame
{
    FileFrameKind kind = FileFrameKind::UploadChunk;
    quint64 id = 0; //!< upload id (chunks) or stream (download data)
    quint64 offset = 0; //!< position of data's first byte in the file
    QByteArrayView data;
};

/*!
 * \brief Reads a binary message. nullopt when it is not a file frame: 17 bytes or fewer, or
 * an unknown kind. The data's size is checked by the receiver against its own limit.
 */
std::optional<FileFrame> decodeFileFrame(QByteArrayView message);

/*! \brief The binary message for \a frame: header, then a copy of its data. */
QByteArray encodeFileFrame(const FileFrame &frame);

/*! \brief Just the 17-byte header, for a sender that writes the data after it. */
QByteArray encodeFileFrameHeader(FileFrameKind kind, quint64 id, quint64 offset);

} // namespace confab::protocol
