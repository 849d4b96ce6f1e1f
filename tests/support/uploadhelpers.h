// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "protocol/fileinfo.h"
#include "testclient.h"

#include <QByteArray>
#include <optional>

namespace confab::test {

/*! \brief \a size bytes that differ from run to run and never compress. */
QByteArray randomBytes(qsizetype size);
QString sha256Hex(const QByteArray &bytes);
/*! \brief The binary message of an upload chunk (§16.2). */
QByteArray uploadChunk(qint64 upload, qint64 offset, QByteArrayView data);

/*! \brief upload_begin; the upload id, or 0 when refused. */
qint64 beginUpload(TestClient *c, const QString &name, qint64 size, const QString &sha256 = {});
/*! \brief Sends bytes [from, end) of \a bytes as chunks of \a chunkBytes, without waiting. */
void sendChunks(TestClient *c, qint64 upload, const QByteArray &bytes, qint64 from = 0,
    qint64 chunkBytes = 64 * 1024);
/*! \brief Waits for an `uploaded` push of \a upload with at least \a offset. */
bool waitUploaded(TestClient *c, qint64 upload, qint64 offset, int timeoutMs = 10000);
/*!
 * \brief Waits for an error frame with a null id (a chunk's, §16.2) of \a code; returns the
 * newest such frame.
 */
std::optional<protocol::ServerFrame> waitChunkError(
    TestClient *c, protocol::ErrorCode code, int timeoutMs = 5000);
/*! \brief upload_finish; the file, or nothing when refused. */
std::optional<protocol::FileInfo> finishUpload(TestClient *c, qint64 upload);
/*! \brief The whole upload: begin, every chunk, the durable ack, finish. */
std::optional<protocol::FileInfo> uploadFile(
    TestClient *c, const QString &name, const QByteArray &bytes, bool declareHash = true);

} // namespace confab::test
