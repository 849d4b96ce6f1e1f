// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "chat/typingtracker.h"
#include "protocol/request.h"

#include <QHash>
#include <QObject>
#include <QTimer>

namespace confab::server {

class Fanout;
class Peer;
class RoomDirectory;
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

    /*! \brief Records a change; the peers hear of it batched (flush()). */
    void setOnline(qint64 user, bool online);
    /*! \brief The user's last peer went: they are offline and type nowhere. */
    void userLeft(qint64 user);
    /*! \brief \a user stopped typing in \a room, if they were (they sent or left). */
    void stopTyping(qint64 room, qint64 user);
    /*! \brief Ends the typing indicators that were not refreshed in time. */
    void expire(qint64 nowMs);

    void handleTyping(Peer *peer, const protocol::Request &r);

private:
    void flush();
    void tellTypingStopped(const QList<TypingTracker::Key> &keys);

    const Fanout &m_fanout;
    const RoomDirectory &m_rooms;
    RoomViews &m_views;
    StatementCache &m_reader; //!< for the mute check of typing, which writes nothing
    int m_typingTtlMs;
    TypingTracker m_typing;
    // Changes not yet pushed (user -> online). A sign-in storm would otherwise cost one
    // frame per peer per sign-in, O(N^2) for N members of one room.
    QHash<qint64, bool> m_pending;
    QTimer m_timer;
    qint64 m_lastFlush = 0;
};

} // namespace confab::server
