// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "chat/roomlog.h"
#include "protocol/request.h"

#include <functional>
#include <optional>

namespace confab::server {

class Fanout;
class Peer;
class Presence;
class Ranks;
class RoomDirectory;
class RoomViews;
class StatementCache;
class WriteContext;

/*!
 * \brief kick, ban, unban, mute and unmute (§17.4): each an event in the room's log,
 * appended through RoomLog::append with the sanction or membership change alongside.
 *
 * The handler checks ranks against what the event loop knows (Ranks); the transaction
 * checks them again against the stored roles, so that a set_role committed in between
 * decides. A kick or ban of a member ends the membership as a leave does: the event goes
 * to the room with them still in it, then they are out.
 */
class Moderation
{
public:
    using Check = std::function<std::optional<RoomLog::Verdict>(WriteContext &)>;

    Moderation(RoomLog &log, RoomDirectory &rooms, const Ranks &ranks, const Fanout &fanout,
        Presence &presence, RoomViews &views, StatementCache &reader);

    void handleKick(Peer *peer, const protocol::Request &r);
    void handleBan(Peer *peer, const protocol::Request &r);
    void handleUnban(Peer *peer, const protocol::Request &r);
    void handleMute(Peer *peer, const protocol::Request &r);
    void handleUnmute(Peer *peer, const protocol::Request &r);

    /*! \brief The `muted` refusal in \a room; \a untilMs 0: the mute has no end. */
    static RoomLog::Verdict mutedRefusal(qint64 room, qint64 untilMs);
    /*!
     * \brief \a check, preceded by the refusal of a muted \a user in \a room: for an
     * Entry of the requests a muted member may not make (§17.4).
     */
    static Check unlessMuted(qint64 room, qint64 user, Check check = {});

private:
    struct Target;
    /*!
     * \brief The channel, the target and the rank check every request starts with;
     * false when \a peer has been answered.
     */
    bool resolve(Peer *peer, const protocol::Request &r, const QString &userName, Target *target);
    /*!
     * \brief What follows the commit of a kick or ban: the member is out of the directory
     * and stops typing, \a peer gets its result, and an invitee hears the invitation ended.
     */
    void removed(Peer *peer, const QJsonValue &requestId, const Target &t, bool wasMember,
        bool wasInvited, const protocol::RoomEvent &e);
    void lift(Peer *peer, const protocol::Request &r, protocol::EventKind kind, int sanction);

    RoomLog &m_log;
    RoomDirectory &m_rooms;
    const Ranks &m_ranks;
    const Fanout &m_fanout;
    Presence &m_presence;
    RoomViews &m_views;
    StatementCache &m_reader;
};

} // namespace confab::server
