// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "chat/typingtracker.h"
#include "protocol/request.h"

#include <QHash>
#include <QObject>
#include <QTimer>

namespace confab::server {

class ClusterFeed;
class Fanout;
class Peer;
class RoomDirectory;
struct RoomRecord;
class RoomViews;
class StatementCache;

/*!
 * \brief Presence and typing, told to the people who share a room. Memory only: neither
 * is ever stored.
 */
class Presence : public QObject
{
    Q_OBJECT
public:
    Presence(const Fanout &fanout, const RoomDirectory &rooms, RoomViews &views,
        StatementCache &reader, int typingTtlMs, QObject *parent = nullptr);

    /*!
     * \brief \a user's first connection here came, or their last went. The peers hear of
     * it batched (flush()), unless the user is online on another instance all along.
     */
    void setOnline(qint64 user, bool online);
    /*! \brief Another instance: \a user is online there now, or on none. */
    void setOnlineElsewhere(qint64 user, bool online);
    /*! \brief Another instance: \a user started or stopped typing in \a room. */
    void typedElsewhere(qint64 room, qint64 user, bool typing);

    /*!
     * \brief Several instances: \a cluster hears this instance's presence and typing, and
     * says who is online elsewhere.
     */
    void setCluster(ClusterFeed *cluster) { m_cluster = cluster; }
    /*! \brief The user's last peer went: they are offline and type nowhere. */
    void userLeft(qint64 user);
    /*! \brief \a user stopped typing in \a room, if they were (they sent or left). */
    void stopTyping(qint64 room, qint64 user);
    /*! \brief Ends the typing indicators that were not refreshed in time. */
    void expire(qint64 nowMs);

    void handleTyping(Peer *peer, const protocol::Request &r);

private:
    /*! \brief Queues \a user's change for the next frames of their rooms. */
    void queue(qint64 user, bool online);
    void flush();
    void tellTypingStopped(const QList<TypingTracker::Key> &keys);

    const Fanout &m_fanout;
    const RoomDirectory &m_rooms;
    RoomViews &m_views;
    StatementCache &m_reader; //!< for the mute check of typing, which writes nothing
    int m_typingTtlMs;
    TypingTracker m_typing;
    /*! \brief How long \a room waits between presence frames (§6.4). */
    static qint64 intervalMs(const RoomRecord &room);
    /*! \brief Makes the timer fire by \a dueMs (monotonic) at the latest. */
    void scheduleAt(qint64 dueMs);

    // Changes not yet pushed, per room (user -> online). A sign-in storm would otherwise
    // cost one frame per peer per sign-in, O(N^2) for N members of one room.
    struct RoomBatch
    {
        QHash<qint64, bool> changes;
        qint64 lastFlushMs = 0;
    };
    QHash<qint64, RoomBatch> m_batches;
    QTimer m_timer;
    ClusterFeed *m_cluster = nullptr;
};

} // namespace confab::server
