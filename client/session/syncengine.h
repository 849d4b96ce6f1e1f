// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "models/roomsummary.h"
#include "protocol/roomevent.h"

#include <QElapsedTimer>
#include <QHash>
#include <QList>
#include <QObject>
#include <QSet>
#include <QTimer>

namespace confab::client {

class Connection;
struct Reply;

/*!
 * \brief What one step of the resume or one run of live frames changes, stripped of
 * duplicates. The receiver applies it to the models and the cache in one transaction.
 */
struct SyncBatch
{
    QList<RoomSummary> summaries; //!< authoritative (sync reply)
    QList<qint64> left; //!< rooms the user is no longer in
    QList<qint64> resets; //!< rooms reloaded from scratch: drop what was held first
    QList<protocol::RoomEvent> events; //!< new events, ascending seq within each room
    QHash<qint64, qint64> cursors; //!< the cursors these events raise
    bool live = false; //!< event frames: count unread, notify
};

/*!
 * \brief The cursor rules of docs/protocol.md §7.3 and the resume of §10.
 *
 * Cursors move up only, and only from event frames, sync and history. Between the
 * \c sync request and the handling of its reply, event frames are buffered. A room
 * whose sync entry has a gap is held back until history has been paged down to
 * \c gapFrom, then applied as one batch, so the cache never records a cursor past a
 * hole. A room whose summary says the server's log ends below the cursor (a server
 * restored from a backup) is reloaded: its cursor is reset and the newest history page
 * replaces what was held.
 *
 * Live event frames are coalesced: an event after a quiet spell is applied at once, and
 * those that follow it within \c MaxLiveDelayMs are held until the socket's current burst
 * has been read (a zero timer) or for at most \c MaxLiveDelayMs, then applied as one
 * batch, so a burst of thousands costs a few cache transactions and model insertions
 * instead of one per event. Held frames are applied before anything that could depend on them: any
 * other push (the session's PushRouter releases them first: holdsBack()), the sync and history
 * replies handled here, forget(), noteSeen() and stop().
 */
class SyncEngine : public QObject
{
    Q_OBJECT

public:
    /*! Longest a live frame waits for others to share its batch while frames keep
     * arriving without the event loop getting a turn; also the quiet spell after which
     * a frame is applied on arrival. */
    static constexpr int MaxLiveDelayMs = 5;

    SyncEngine(Connection *connection, QObject *parent = nullptr);

    void setCursors(const QHash<qint64, qint64> &cursors);
    QHash<qint64, qint64> cursors() const { return m_cursors; }
    qint64 cursor(qint64 room) const { return m_cursors.value(room); }
    void forget(qint64 room);
    void setHistoryPageMax(int max) { m_pageMax = std::max(1, max); }

    /*! \brief Sends sync (pipelined behind authenticate is fine) and starts buffering. */
    void startResume();
    /*! \brief The connection ended: applies live frames already received, then drops
     * buffers and unfinished gap fills. */
    void stop();

    /*! \brief An event frame, including kinds this client does not know as placeholders
     * (§7.1: not shown, but their seq counts). */
    void handleEvent(const protocol::RoomEvent &event);
    /*! \brief Events the user paged in: raise cursors by the same rule. */
    void noteSeen(const QList<protocol::RoomEvent> &events);
    /*! \brief Applies the live frames held for coalescing now. */
    void flushLive();

Q_SIGNALS:
    void batchReady(const SyncBatch &batch);
    /*! \brief The sync reply and the buffered frames are applied: the session is live. */
    void resumeApplied();
    /*! \brief Every gap is filled too. */
    void resumeComplete();
    void resumeFailed(const Reply &reply);

private:
    struct Fill
    {
        /*! The server's log is behind the cursor (§7.3): one page of the newest events
         * replaces everything held for the room. */
        bool reload = false;
        qint64 oldCursor = 0; //!< reload: restored if the page cannot be fetched
        qint64 gapFrom = 0;
        qint64 before = 0;
        QList<protocol::RoomEvent> older; //!< pages collected so far
        QList<protocol::RoomEvent> tail; //!< the sync reply's events
        QList<protocol::RoomEvent> live; //!< frames that came while filling
    };

    void onSyncReply(const Reply &reply);
    void requestPage(qint64 room);
    void finishFill(qint64 room);
    void addNew(SyncBatch &batch, const protocol::RoomEvent &event);
    void applyLive(const QList<protocol::RoomEvent> &events);

    Connection *m_connection;
    QHash<qint64, qint64> m_cursors;
    QHash<qint64, Fill> m_fills;
    QList<protocol::RoomEvent> m_buffer; //!< frames that came before the sync reply
    QList<protocol::RoomEvent> m_live; //!< live frames waiting to be applied together
    QTimer m_liveTimer; //!< zero timer: fires once the current read burst is handled
    QElapsedTimer m_liveAge; //!< since the oldest frame in m_live arrived
    QElapsedTimer m_lastLiveApplied; //!< since live frames were last applied
    bool m_resuming = false;
    quint64 m_generation = 0; //!< replies of an older connection are ignored
    int m_pageMax = 200;
};

} // namespace confab::client
