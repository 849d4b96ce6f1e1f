// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "protocol/errorcode.h"
#include "protocol/request.h"
#include "protocol/roomevent.h"
#include "storage/records.h"

#include <functional>

namespace confab::server {

class ClusterFeed;
class Fanout;
class Peer;
class Presence;
class RoomDirectory;
class RoomViews;
class StorageWriter;
class WriteContext;

/*!
 * \brief Rooms' logs: every event a member adds (send, join, leave, set_topic) goes
 * through append(), the one "append if the author is (or is not yet) a member, then
 * broadcast after the commit" path; events of new rooms go out through broadcast(), and
 * changed rooms through the announcements.
 */
class RoomLog
{
public:
    /*! \brief What an Entry's check found, in the transaction, before the append. */
    struct Verdict
    {
        enum class Outcome
        {
            Append,
            //! The change was made before: nothing is appended, `unchanged` gets \a earlier.
            Unchanged,
            //! Not allowed or not possible: the peer is answered \a code, \a message.
            Refused,
        };
        Outcome outcome = Outcome::Append;
        protocol::RoomEvent earlier;
        protocol::ErrorCode code = protocol::ErrorCode::Internal;
        QString message;
        QJsonObject details; //!< of the refusal
    };

    using Check = std::function<std::optional<Verdict>(WriteContext &)>;

    /*! \brief What one request appends to a room's log, and what changes with it. */
    struct Entry
    {
        //! room, kind, sender and content; the append assigns id, seq and timestamp
        protocol::RoomEvent event;
        qint64 authorId = 0;
        //! The author must not be a member yet (join); otherwise they must be one.
        bool authorJoins = false;
        //! Runs in the transaction after the membership check, before the append: what
        //! the handler saw may have changed since. Nothing = database error.
        Check check;
        //! Runs in the transaction once the check passed, just before the append: completes
        //! the event with what depends on the write's clock (when a ban or mute ends).
        std::function<void(WriteContext &, protocol::RoomEvent &)> stamp;
        //! Further writes in the same transaction, once the event has its seq; may complete
        //! the event with what they read (a message's files).
        std::function<bool(WriteContext &, protocol::RoomEvent &)> alongside;
        //! After the commit, in this order: beforeBroadcast, the event to every member,
        //! afterBroadcast. Each gets the requesting peer, null if it has gone meanwhile.
        std::function<void(Peer *, const protocol::RoomEvent &)> beforeBroadcast;
        std::function<void(Peer *, const protocol::RoomEvent &)> afterBroadcast;
        //! Nothing was appended: a resend of a txn (the original event), or a join by a
        //! member. A non-member's append is answered not_member without it.
        std::function<void(Peer *, const protocol::RoomEvent &)> unchanged;
    };

    RoomLog(StorageWriter &writer, RoomDirectory &rooms, const Fanout &fanout, RoomViews &views,
        Presence &presence);

    /*! \brief An event of \a kind by \a sender in \a room, for an Entry or a new room's log. */
    static protocol::RoomEvent newEvent(
        qint64 room, protocol::EventKind kind, const QString &sender);

    void append(Peer *peer, const QJsonValue &requestId, Entry entry);
    /*!
     * \brief Sends committed events to their rooms' members and advances lastSeq. With
     * several instances, the others' events before each go out first (ClusterFeed).
     */
    void broadcast(const QList<protocol::RoomEvent> &events);
    /*! \brief Sends one committed event to its room's members and advances lastSeq. */
    void send(const protocol::RoomEvent &event);
    /*! \brief Several instances share the database: \a feed orders this one's events
     * among theirs. */
    void setClusterFeed(ClusterFeed *feed) { m_cluster = feed; }
    /*! \brief Sends each member their summary of \a room (a `room` push). */
    void announceRoom(const RoomRecord &room, const Peer *except);
    /*! \brief Tells every signed-in peer about a new or changed channel. */
    void announceChannel(const RoomRecord &room);

    void handleSend(Peer *peer, const protocol::Request &r);
    void handleJoin(Peer *peer, const protocol::Request &r);
    void handleLeave(Peer *peer, const protocol::Request &r);
    void handleSetTopic(Peer *peer, const protocol::Request &r);

private:
    StorageWriter &m_writer;
    RoomDirectory &m_rooms;
    const Fanout &m_fanout;
    RoomViews &m_views;
    Presence &m_presence;
    ClusterFeed *m_cluster = nullptr;
};

} // namespace confab::server
