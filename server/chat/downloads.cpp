// SPDX-License-Identifier: GPL-3.0-or-later
#include "chat/downloads.h"

#include "chat/peer.h"
#include "core/logging.h"
#include "core/metrics.h"
#include "protocol/fileresults.h"
#include "protocol/serverframe.h"
#include "storage/blobstore.h"
#include "storage/filestore.h"

#include <QPointer>
#include <QTimer>

using namespace Qt::StringLiterals;
using confab::protocol::ErrorCode;

namespace confab::server {

namespace {
// RFC 6455's "unexpected condition": bytes already announced cannot be read from storage.
constexpr quint16 UnreadableDownload = 1011;
} // namespace

Downloads::Downloads(
    const ServerConfig &config, StatementCache &reader, BlobStore &blobs, QObject *parent)
    : QObject(parent)
    , m_config(config)
    , m_reader(reader)
    , m_blobs(blobs)
{ }

Downloads::~Downloads() = default;

void Downloads::handleDownload(Peer *peer, const protocol::Request &r)
{
    const auto &body = r.as<protocol::body::Download>();
    const auto notFound = [&](const QString &field, const QString &message) {
        peer->fail(r.id, ErrorCode::NotFound, message, protocol::frames::offendingField(field));
    };
    bool ok = true;
    // Asked again on every request: a member who left, or a message since redacted, reads
    // nothing more from the next request on (§16.3).
    const bool readable = filestore::canRead(m_reader, peer->userId(), body.file, &ok);
    if (!ok)
        return peer->fail(r.id, ErrorCode::Internal, u"cannot read the file's rows"_s);
    const std::optional<FileRecord> file
        = readable ? filestore::file(m_reader, body.file) : std::nullopt;
    if (!file)
        return notFound(u"file"_s, u"no such file"_s);
    if (body.thumbnail && (!file->info.thumbnail || file->thumbnailSha256.isEmpty()))
        return notFound(u"thumbnail"_s, u"this file has no thumbnail"_s);

    const qint64 total = body.thumbnail ? file->info.thumbnail->size : file->info.size;
    if (body.offset > total) {
        return peer->fail(r.id, ErrorCode::BadRequest, u"offset is past the end"_s,
            protocol::frames::offendingField(u"offset"_s));
    }
    const qint64 window = m_config.limits.downloadWindowBytes;
    if (body.length && *body.length > window) {
        return peer->fail(r.id, ErrorCode::TooLarge,
            u"length is over downloadWindowBytes (%1)"_s.arg(window),
            protocol::frames::offendingField(u"length"_s));
    }
    const qint64 length = std::min(body.length.value_or(window), total - body.offset);

    // Each stream waiting holds an open blob: a connection that pipelines without reading
    // must not hold the server's descriptors.
    if (length > 0 && streamsOf(peer).queue.size() >= MaxQueuedStreams) {
        metrics::refused(metrics::Refusal::Downloads);
        return peer->fail(r.id, ErrorCode::RateLimited,
            u"%1 downloads are already under way on this connection"_s.arg(MaxQueuedStreams),
            protocol::frames::retryAfter(QueuedStreamsRetryMs));
    }

    Stream stream;
    stream.offset = body.offset;
    stream.remaining = length;
    if (length > 0) {
        const QString sha = body.thumbnail ? file->thumbnailSha256 : file->info.sha256;
        stream.file = std::make_shared<QFile>(m_blobs.blobPath(sha));
        if (!stream.file->open(QIODevice::ReadOnly) || stream.file->size() < total
            || !stream.file->seek(body.offset)) {
            qCWarning(lcStorage) << "cannot read blob" << sha << "of file" << body.file
                                 << stream.file->errorString();
            return peer->fail(r.id, ErrorCode::Internal, u"the file's bytes cannot be read"_s);
        }
    }

    PeerStreams &streams = streamsOf(peer);
    stream.number = streams.nextNumber++;
    protocol::DownloadStarted started;
    started.file = file->info;
    started.stream = stream.number;
    started.offset = body.offset;
    started.length = length;
    started.total = total;
    started.type = body.thumbnail ? file->info.thumbnail->type : file->info.type;
    peer->reply(r.id, started.toJson());
    qCDebug(lcNet) << peer->userName() << "downloads" << length << "bytes of file" << body.file
                   << (body.thumbnail ? "(thumbnail)" : "") << "as stream" << stream.number;
    if (length == 0)
        return;
    streams.queue.push_back(std::move(stream));
    pump(peer);
}

Downloads::PeerStreams &Downloads::streamsOf(Peer *peer)
{
    auto found = m_peers.find(peer);
    if (found != m_peers.end())
        return *found;
    connect(peer, &Peer::outputDrained, this, &Downloads::pump);
    connect(peer, &Peer::closed, this, &Downloads::forget);
    return m_peers[peer];
}

void Downloads::pump(Peer *peer)
{
    const auto found = m_peers.find(peer);
    if (found == m_peers.end())
        return;
    PeerStreams &streams = *found;
    const qint64 chunkBytes = m_config.limits.maxChunkBytes;
    QByteArray buffer;
    for (int sent = 0; !streams.queue.empty() && !peer->isClosing(); ++sent) {
        if (peer->downloadRoom() <= 0)
            return; // outputDrained() calls again
        if (sent == ChunksPerTurn)
            return schedulePump(peer);
        Stream &stream = streams.queue.front();
        const qint64 size = std::min(chunkBytes, stream.remaining);
        buffer.resize(size);
        if (stream.file->read(buffer.data(), size) != size) {
            // The promised bytes cannot all come: the stream cannot end as announced.
            qCWarning(lcStorage) << "blob" << stream.file->fileName() << "ended early for"
                                 << peer->userName() << stream.file->errorString();
            streams.queue.clear();
            return peer->close(UnreadableDownload, u"a download could not be read"_s);
        }
        peer->sendFileData(stream.number, stream.offset, buffer);
        stream.offset += size;
        stream.remaining -= size;
        if (stream.remaining == 0)
            streams.queue.pop_front();
    }
}

void Downloads::schedulePump(Peer *peer)
{
    PeerStreams &streams = m_peers[peer];
    if (streams.pumpScheduled)
        return;
    streams.pumpScheduled = true;
    QTimer::singleShot(0, this, [this, guard = QPointer<Peer>(peer), peer] {
        if (!guard)
            return;
        const auto found = m_peers.find(peer);
        if (found == m_peers.end())
            return;
        found->pumpScheduled = false;
        pump(peer);
    });
}

void Downloads::forget(Peer *peer)
{
    m_peers.remove(peer);
    disconnect(peer, nullptr, this, nullptr);
}

} // namespace confab::server
