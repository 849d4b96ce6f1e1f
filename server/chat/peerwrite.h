// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "chat/peer.h"
#include "storage/storagewriter.h"

#include <QPointer>

namespace confab::server {

/*!
 * \brief Queues a write on behalf of \a peer's request \a requestId. If it does not
 * commit, the peer (if still there) is told storage_error; if it does, \a done gets
 * the value and the peer, or null if it went away meanwhile: what the write changed
 * must still be applied and broadcast. \a room: the room whose log it appends to, if
 * one (StorageWriter::submit).
 */
template<typename T>
void writeFor(StorageWriter &writer, Peer *peer, const QJsonValue &requestId,
    std::function<std::optional<T>(WriteContext &)> apply, std::function<void(Peer *, T)> done,
    qint64 room = 0)
{
    QPointer<Peer> guard(peer);
    writer.submit<T>(
        std::move(apply),
        [guard, requestId, done = std::move(done)](std::optional<T> result) {
            if (!result) {
                if (guard)
                    guard->fail(requestId, protocol::ErrorCode::StorageError,
                        QStringLiteral("the change could not be saved"));
                return;
            }
            done(guard.data(), std::move(*result));
        },
        room);
}

/*! \brief writeFor() for a write whose only outcome is that it committed. */
inline void writeFor(StorageWriter &writer, Peer *peer, const QJsonValue &requestId,
    StorageWriter::Apply apply, std::function<void(Peer *)> done)
{
    writeFor<bool>(
        writer, peer, requestId,
        [apply = std::move(apply)](WriteContext &ctx) -> std::optional<bool> {
            if (!apply(ctx))
                return std::nullopt;
            return true;
        },
        [done = std::move(done)](Peer *p, bool) { done(p); });
}

} // namespace confab::server
