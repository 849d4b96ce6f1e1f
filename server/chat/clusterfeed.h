// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "chat/remotepresence.h"
#include "protocol/roomevent.h"
#include "storage/postgres/pgdoorbell.h"

#include <QHash>
#include <QObject>
#include <QSet>
#include <QTimer>
#include <limits>

namespace confab::server {

class Fanout;
class LocalAppends;
class Presence;
class RoomDirectory;
class RoomLog;
class RoomViews;
class StatementCache;

/*!
 * \brief What the other instances on one PostgreSQL append, delivered to this instance's
 * clients as if it had been appended here.
 *
 * The database is the log: an instance keeps, per room, the seq it delivered up to, and
 * reads `seq > cursor` when the doorbell rings, when its poll of the rooms' high-water
 * marks finds one ahead, and before it delivers an event of its own (so that a room's
 * events go out in seq order on every instance). It never reads past an event this
 * instance appended and has not delivered yet (LocalAppends): that one goes out through
 * its own completion, after its ack.
 *
 * An event that changes a room (join, leave, topic, roles, settings, moderation) reloads
 * the room's record from storage and sends the pushes the local path would: the room to a
 * user who joined, the channel to everyone, an invitation to the invitee.
 */
class ClusterFeed : public QObject
{
    Q_OBJECT

public:
    struct Parts
    {
        StatementCache &reader;
        LocalAppends &local;
        RoomDirectory &rooms;
        RoomLog &log;
        RoomViews &views;
        Presence &presence;
        const Fanout &fanout;
    };

    ClusterFeed(
        const postgres::Doorbell::Options &doorbell, Parts parts, QObject *parent = nullptr);
    ~ClusterFeed() override;

    /*! \brief Starts from what the directory holds now, and listens. */
    void start();

    static constexpr qint64 Latest = std::numeric_limits<qint64>::max();
    /*!
     * \brief Delivers the other instances' events of \a room up to \a upTo (Latest: all
     * heard of), stopping before any of this instance's own undelivered ones.
     */
    void catchUp(qint64 room, qint64 upTo = Latest);
    /*!
     * \brief Catches \a room up to what storage holds now: before a request about a room
     * this instance does not know, or of a user it does not know as a member, is refused.
     */
    void refresh(qint64 room);
    /*!
     * \brief Whether this instance's own \a event may go out now: the others' events
     * before it did (catchUp() may fall short when storage does not answer).
     */
    bool deliverable(const protocol::RoomEvent &event) const;
    /*! \brief Keeps \a event until the others' events before it have gone out. */
    void hold(const protocol::RoomEvent &event);
    /*! \brief This instance delivered its own \a event: the cursor moves, the others hear. */
    void sent(const protocol::RoomEvent &event);

    /*! \brief After a commit: \a user's sessions or server role changed here. */
    void userChanged(qint64 user);
    /*! \brief After a commit: \a user read \a room up to \a seq here. */
    void readMoved(qint64 room, qint64 user, qint64 seq);
    /*! \brief \a user started or stopped typing in \a room here. */
    void typingChanged(qint64 room, qint64 user, bool typing);
    /*! \brief \a user's first connection here came, or their last one went. */
    void onlineChanged(qint64 user, bool online);
    /*! \brief Something other instances keep in memory changed here (RoomViews::Shared). */
    void sharedChanged(int what, qint64 a, qint64 b);
    /*! \brief Whether \a user is online on another instance. */
    bool onlineElsewhere(qint64 user) const { return m_elsewhere.isOnline(user); }

    /*! \brief The doorbell, for tests and health: whether the listener hears. */
    bool isListening() const { return m_listening; }

Q_SIGNALS:
    /*! \brief \a user's sessions or role changed, on any instance: read them again. */
    void userRang(qint64 user);
    /*! \brief Another instance: \a user read \a room up to \a seq. */
    void readRang(qint64 room, qint64 user, qint64 seq);
    /*! \brief Another instance: \a user started or stopped typing in \a room. */
    void typingRang(qint64 room, qint64 user, bool typing);
    /*! \brief Another instance changed something kept in memory (RoomViews::Shared). */
    void sharedRang(int what, qint64 a, qint64 b);
    /*! \brief \a user is now online on another instance, or on none. */
    void elsewhereChanged(qint64 user, bool online);
    /*! \brief Whether rings are heard; while not, memory of sessions cannot be trusted. */
    void listeningChanged(bool listening);

private:
    void poll();
    void heardNote(const QString &note);
    void sendHeld(qint64 room);
    void note(QChar kind, const QList<qint64> &fields);
    void announceOnline();
    void tellElsewhere(const RemotePresence::Changes &changes);
    void apply(const protocol::RoomEvent &event);
    /*! \brief Reads \a room's record again; returns who became and who stopped being members. */
    std::pair<QSet<qint64>, QSet<qint64>> reload(qint64 room);
    qint64 userId(const QString &name) const;

    postgres::Doorbell m_doorbell;
    Parts m_parts;
    QHash<qint64, qint64> m_delivered; //!< room -> the seq delivered up to
    QHash<qint64, qint64> m_heard; //!< room -> the highest seq heard of
    QSet<qint64> m_busy; //!< rooms being caught up (an apply may ask again)
    //! This instance's own events waiting for the others' before them, by room, in order.
    QHash<qint64, QList<protocol::RoomEvent>> m_held;
    bool m_listening = false;
    //! This instance among the others, for their presence tables; new at every start.
    qint64 m_instance = 0;
    RemotePresence m_elsewhere;
    QTimer m_heartbeat;
};

} // namespace confab::server
