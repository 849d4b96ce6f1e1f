// SPDX-License-Identifier: GPL-3.0-or-later
#include "uploadhelpers.h"

#include "protocol/fileframe.h"
#include "protocol/fileresults.h"

#include <QCryptographicHash>
#include <QRandomGenerator>

using namespace Qt::StringLiterals;

namespace confab::test {

QByteArray randomBytes(qsizetype size)
{
    QByteArray bytes(size, Qt::Uninitialized);
    QRandomGenerator::global()->fillRange(reinterpret_cast<quint32 *>(bytes.data()), size / 4);
    for (qsizetype i = size / 4 * 4; i < size; ++i)
        bytes[i] = char(QRandomGenerator::global()->bounded(256));
    return bytes;
}

QString sha256Hex(const QByteArray &bytes)
{
    return QString::fromLatin1(QCryptographicHash::hash(bytes, QCryptographicHash::Sha256).toHex());
}

QByteArray uploadChunk(qint64 upload, qint64 offset, QByteArrayView data)
{
    return protocol::encodeFileFrame(
        {protocol::FileFrameKind::UploadChunk, quint64(upload), quint64(offset), data});
}

qint64 beginUpload(TestClient *c, const QString &name, qint64 size, const QString &sha256)
{
    const auto r = c->request(protocol::requests::uploadBegin(name, size, sha256));
    if (!r || r->type != protocol::ServerFrameType::Result)
        return 0;
    const auto state = protocol::UploadState::fromJson(r->data());
    return state ? state->upload : 0;
}

void sendChunks(
    TestClient *c, qint64 upload, const QByteArray &bytes, qint64 from, qint64 chunkBytes)
{
    for (qint64 at = from; at < bytes.size(); at += chunkBytes) {
        const QByteArrayView part
            = QByteArrayView(bytes).sliced(at, std::min<qint64>(chunkBytes, bytes.size() - at));
        c->socket().sendBinaryMessage(uploadChunk(upload, at, part));
    }
}

bool waitUploaded(TestClient *c, qint64 upload, qint64 offset, int timeoutMs)
{
    return c
        ->waitPush(
            [&](const protocol::ServerFrame &f) {
                const auto u = f.uploaded();
                return u && u->upload == upload && u->offset >= offset;
            },
            timeoutMs)
        .has_value();
}

std::optional<protocol::ServerFrame> waitChunkError(
    TestClient *c, protocol::ErrorCode code, int timeoutMs)
{
    std::optional<protocol::ServerFrame> found;
    TestClient::waitUntil(
        [&] {
            for (const protocol::ServerFrame &f : c->strayReplies()) {
                if (f.type == protocol::ServerFrameType::Error && f.error == code)
                    found = f;
            }
            return found.has_value();
        },
        timeoutMs);
    return found;
}

std::optional<protocol::FileInfo> finishUpload(TestClient *c, qint64 upload)
{
    const auto r = c->request(protocol::requests::uploadFinish(upload), 30000);
    if (!r || r->type != protocol::ServerFrameType::Result)
        return std::nullopt;
    const auto result = protocol::FileResult::fromJson(r->data());
    if (!result)
        return std::nullopt;
    return result->file;
}

std::optional<protocol::FileInfo> uploadFile(
    TestClient *c, const QString &name, const QByteArray &bytes, bool declareHash)
{
    const qint64 upload
        = beginUpload(c, name, bytes.size(), declareHash ? sha256Hex(bytes) : QString());
    if (upload == 0)
        return std::nullopt;
    sendChunks(c, upload, bytes);
    if (!bytes.isEmpty() && !waitUploaded(c, upload, bytes.size()))
        return std::nullopt;
    return finishUpload(c, upload);
}

} // namespace confab::test
