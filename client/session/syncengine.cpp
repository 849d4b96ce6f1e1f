// SPDX-License-Identifier: GPL-3.0-or-later
#include "session/syncengine.h"

#include "core/clientlogging.h"
#include "net/connection.h"
#include "protocol/results.h"

#include <QJsonArray>

using namespace Qt::StringLiterals;

namespace confab::client {

SyncEngine::SyncEngine(Connection *connection, QObject *parent)
    : QObject(parent)
    , m_connection(connection)
{
    m_liveTimer.setSingleShot(true);
    m_liveTimer.setInterval(0);
    connect(&m_liveTimer, &QTimer::timeout, this, &SyncEngine::flushLive);
}

void SyncEngine::setCursors(const QHash<qint64, qint64> &cursors)
{
    m_cursors = cursors;
}

void SyncEngine::forget(qint64 room)
{
    flushLive();
    m_cursors.remove(room);
    m_fills.remove(room);
}

void SyncEngine::startResume()
{
    stop();
    m_resuming = true;
    const quint64 generation = m_generation;
    m_connection->send(
        protocol::requests::sync(m_cursors), this, [this, generation](const Reply &reply) {
            if (generation == m_generation)
                onSyncReply(reply);
        });
}

void SyncEngine::stop()
{
    // They came on the connection that is ending, before it ended: applied, as they would
    // have been on arrival, so the cursor covers them.
    flushLive();
    ++m_generation;
    m_resuming = false;
    m_buffer.clear();
    m_fills.clear();
}

void SyncEngine::handleEvent(const protocol::RoomEvent &event)
{
    if (m_resuming) {
        m_buffer.append(event);
        return;
    }
    m_live.append(event);
    if (m_live.size() == 1) {
        // After a quiet spell an event is applied at once, as a lone message should be;
        // only what follows it closely waits to share a batch.
        if (!m_lastLiveApplied.isValid() || m_lastLiveApplied.elapsed() >= MaxLiveDelayMs) {
            flushLive();
            return;
        }
        m_liveAge.start();
        m_liveTimer.start();
    }
    // The event loop may not get a turn for a while when frames keep arriving: bound how
    // long the first of them waits to be shown.
    if (m_liveAge.elapsed() >= MaxLiveDelayMs)
        flushLive();
}

void SyncEngine::flushLive()
{
    m_liveTimer.stop();
    if (m_live.isEmpty())
        return;
    applyLive(std::exchange(m_live, {}));
    m_lastLiveApplied.start();
}

void SyncEngine::applyLive(const QList<protocol::RoomEvent> &events)
{
    SyncBatch batch;
    batch.live = true;
    const auto emitBatch = [&] {
        if (!batch.events.isEmpty())
            Q_EMIT batchReady(std::exchange(batch, {}));
        batch.live = true;
    };
    for (const auto &event : events) {
        const auto fill = m_fills.find(event.room);
        if (fill != m_fills.end()) {
            fill->live.append(event);
            continue;
        }
        addNew(batch, event);
        // A leave ends the batch: the user's own leave removes the room and forgets its
        // cursor while the batch is applied, and what follows must find it gone, as when
        // frames were applied one at a time. Leaves are rare; bursts are messages.
        // A kick or ban (§17.7) may be the user's own removal, and ends it the same way.
        if ((event.kind == protocol::EventKind::Leave || protocol::removesUser(event.kind))
            && event.id >= 0)
            emitBatch();
    }
    emitBatch();
}

void SyncEngine::noteSeen(const QList<protocol::RoomEvent> &events)
{
    // Frames that arrived before this page are older news: they take the cursor first.
    flushLive();
    for (const auto &e : events) {
        if (!m_fills.contains(e.room) && e.seq > m_cursors.value(e.room))
            m_cursors.insert(e.room, e.seq);
    }
}

void SyncEngine::addNew(SyncBatch &batch, const protocol::RoomEvent &event)
{
    if (event.seq <= m_cursors.value(event.room))
        return;
    m_cursors.insert(event.room, event.seq);
    batch.cursors.insert(event.room, event.seq);
    batch.events.append(event);
}

void SyncEngine::onSyncReply(const Reply &reply)
{
    if (!reply.ok()) {
        m_resuming = false;
        m_buffer.clear();
        Q_EMIT resumeFailed(reply);
        return;
    }
    SyncBatch batch;
    const protocol::SyncResult result
        = protocol::SyncResult::fromJson(reply.data).value_or(protocol::SyncResult {});
    for (const qint64 id : result.left) {
        batch.left.append(id);
        forget(id);
    }
    for (const protocol::SyncRoom &entry : result.rooms) {
        const RoomSummary &summary = entry.room;
        batch.summaries.append(summary);
        const qint64 cursor = m_cursors.value(summary.id);
        if (cursor > summary.lastSeq) {
            // Events we hold no longer exist on the server, and their seqs will be reused
            // by new ones: start the room again from its newest history page.
            qCWarning(lcClientSession)
                << "room" << summary.id << "is at seq" << summary.lastSeq
                << "on the server, below cursor" << cursor << "- reloading it";
            Fill fill;
            fill.reload = true;
            fill.oldCursor = cursor;
            fill.before = summary.lastSeq + 1;
            m_cursors.remove(summary.id);
            m_fills.insert(summary.id, fill);
            continue;
        }
        const QList<protocol::RoomEvent> &events = entry.events;
        const qint64 gapFrom = entry.gapFrom;
        // With gapFrom 0 the room is new here: its past is history, paged as the user
        // scrolls (§10). Otherwise the hole is filled before anything of it is applied.
        if (entry.gap && gapFrom > 0 && !events.isEmpty()) {
            Fill fill;
            fill.gapFrom = gapFrom;
            fill.before = events.first().seq;
            fill.tail = events;
            m_fills.insert(summary.id, fill);
            continue;
        }
        for (const auto &e : events)
            addNew(batch, e);
    }
    m_resuming = false;
    qCDebug(lcClientSession) << "sync applied:" << batch.summaries.size() << "rooms,"
                             << batch.events.size() << "events," << m_fills.size() << "gaps";
    Q_EMIT batchReady(batch);
    applyLive(std::exchange(m_buffer, {}));
    Q_EMIT resumeApplied();
    if (m_fills.isEmpty()) {
        Q_EMIT resumeComplete();
        return;
    }
    const auto gapRooms = m_fills.keys();
    for (qint64 room : gapRooms)
        requestPage(room);
}

void SyncEngine::requestPage(qint64 room)
{
    const Fill &fill = m_fills[room];
    const quint64 generation = m_generation;
    m_connection->send(protocol::requests::historyBefore(room, fill.before, m_pageMax), this,
        [this, generation, room](const Reply &reply) {
            if (generation != m_generation || !m_fills.contains(room))
                return;
            // Frames read before this reply go to the fill (or are applied) first.
            flushLive();
            if (!m_fills.contains(room))
                return;
            if (!reply.ok()) {
                // Left meanwhile, or disconnected: nothing of the room was applied, so the
                // next resume starts again from the old cursor.
                qCInfo(lcClientSession) << "gap fill of room" << room << "failed";
                const Fill failed = m_fills.take(room);
                if (failed.reload) // so that the next resume notices it again
                    m_cursors.insert(room, failed.oldCursor);
                if (m_fills.isEmpty())
                    Q_EMIT resumeComplete();
                return;
            }
            Fill &fill = m_fills[room];
            const auto history = protocol::HistoryPage::fromJson(reply.data);
            const QList<protocol::RoomEvent> page
                = history ? history->events : QList<protocol::RoomEvent> {};
            QList<protocol::RoomEvent> kept;
            for (const auto &e : page) {
                if (e.seq > fill.gapFrom)
                    kept.append(e);
            }
            fill.older = kept + fill.older;
            const bool hasMore = history && history->hasMore;
            if (fill.reload || page.isEmpty() || page.first().seq <= fill.gapFrom + 1 || !hasMore) {
                finishFill(room);
                return;
            }
            fill.before = page.first().seq;
            requestPage(room);
        });
}

void SyncEngine::finishFill(qint64 room)
{
    const Fill fill = m_fills.take(room);
    SyncBatch batch;
    if (fill.reload)
        batch.resets.append(room);
    for (const auto &e : fill.older)
        addNew(batch, e);
    for (const auto &e : fill.tail)
        addNew(batch, e);
    qCDebug(lcClientSession) << "gap of room" << room << "filled:" << batch.events.size()
                             << "events";
    Q_EMIT batchReady(batch);
    applyLive(fill.live);
    if (m_fills.isEmpty())
        Q_EMIT resumeComplete();
}

} // namespace confab::client
