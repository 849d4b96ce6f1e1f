// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "core/serverconfig.h"
#include "protocol/request.h"

#include <QFile>
#include <QHash>
#include <QObject>
#include <deque>
#include <memory>

namespace confab::server {

class BlobStore;
class Peer;
class StatementCache;

/*!
 * \brief `download` (protocol §5.29, §16.2): checks on every request that the user may read
 * the file (§16.3), answers with the stream's number and length, then sends exactly that
 * many bytes as binary frames of at most maxChunkBytes.
 *
 * A connection's streams go out one after the other in request order, read from the blob
 * a chunk at a time and only while the peer's output has room (Peer::downloadRoom()): a
 * slow reader slows its own download and keeps at most a chunk past the mark in memory,
 * whatever the file's size. The blob is opened when the request is answered, so a file
 * removed after that still delivers the bytes promised.
 */
class Downloads : public QObject
{
    Q_OBJECT
public:
    /*! \brief Streams one connection may have under way; more are refused (§5.29). */
    static constexpr std::size_t MaxQueuedStreams = 8;
    static constexpr qint64 QueuedStreamsRetryMs = 250;

    Downloads(const ServerConfig &config, StatementCache &reader, BlobStore &blobs,
        QObject *parent = nullptr);
    ~Downloads() override;

    void handleDownload(Peer *peer, const protocol::Request &r);

    /*! \brief Chunks sent in one turn of the event loop before others get theirs. */
    static constexpr int ChunksPerTurn = 8;

private:
    struct Stream
    {
        qint64 number = 0;
        qint64 offset = 0;
        qint64 remaining = 0;
        std::shared_ptr<QFile> file; // shared: QHash values must copy
    };
    struct PeerStreams
    {
        qint64 nextNumber = 1;
        std::deque<Stream> queue;
        bool pumpScheduled = false;
    };

    PeerStreams &streamsOf(Peer *peer);
    void pump(Peer *peer);
    void schedulePump(Peer *peer);
    void forget(Peer *peer);

    const ServerConfig &m_config;
    StatementCache &m_reader;
    BlobStore &m_blobs;
    QHash<Peer *, PeerStreams> m_peers;
};

} // namespace confab::server
