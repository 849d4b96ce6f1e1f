// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "chat/inflight.h"
#include "chat/unreadindex.h"
#include "protocol/directoryentry.h"
#include "protocol/request.h"
#include "protocol/results.h"
#include "protocol/roomsummary.h"
#include "protocol/selfserviceresults.h"
#include "protocol/teamresults.h"
#include "storage/profilestore.h"
#include "storage/records.h"

#include <QHash>
#include <QSet>
#include <functional>
#include <memory>
#include <optional>

namespace confab::server {

class Fanout;
class Peer;
class Ranks;
class RoomDirectory;
class StatementCache;

/*!
 * \brief What a user may see of rooms and users: summaries with their read state, the
 * signed-in state, directory entries, user names, and the membership check every room
 * request starts with.
 */
class RoomViews
{
public:
    RoomViews(StatementCache &reader, const RoomDirectory &rooms, const Ranks &ranks);

    const Ranks &ranks() const { return m_ranks; }

    /*!
     * \brief Fills the caches of the signed-in state from storage at start (do-not-disturb,
     * who has no invitation, members' read positions and levels), so that the reconnect
     * storm after a restart reads none of them per sign-in. Before any request.
     */
    void warmUp();
    /*! \brief Member rows read at start at most; the rest are read at first use. */
    static constexpr qsizetype MemberRowsAtStart = 2'000'000;

    QString userName(qint64 id);
    void rememberName(qint64 id, const QString &name) { m_userNames.insert(id, name); }
    /*!
     * \brief \a id's profile (§18.2), kept here like the names: members lists show one per
     * member.
     */
    protocol::Profile profile(qint64 id);
    void rememberProfile(qint64 id, const ProfileRecord &profile)
    {
        m_profiles.insert(id, profile);
    }
    /*! \brief Reads \a id's profile again next time: it changed outside set_profile. */
    void forgetProfile(qint64 id) { m_profiles.remove(id); }

    protocol::RoomSummary summary(const RoomRecord &room, qint64 user);
    /*! \brief \a user's read position in \a room; -1 if not a member. From memory when known. */
    qint64 readSeq(qint64 room, qint64 user);
    /*! \brief \a user's read state in \a room at \a readSeq, counted from memory. */
    protocol::ReadState readState(qint64 room, qint64 user, qint64 readSeq);
    /*! \brief A read position committed by mark_read. */
    void readSeqCommitted(qint64 room, qint64 user, qint64 seq);
    /*! \brief A message of \a room was redacted (committed): counts are taken afresh. */
    void messageRedacted(qint64 room) { m_unread.forget(room); }
    /*!
     * \brief The signed-in result without token and expiry: who, every room, the server
     * role and the pending invitations.
     */
    protocol::SignedIn sessionState(qint64 user, const QString &name);
    static protocol::DirectoryEntry directoryEntry(const RoomRecord &room, qint64 user);

    /*!
     * \brief \a user's notification level in \a room (§18.3), from memory when known: kept
     * with the read position in RoomDirectory, so a join or leave drops it.
     */
    protocol::NotifyLevel notifyLevel(qint64 room, qint64 user);
    /*! \brief set_notify is about to change \a user's level in \a room: hold until its completion.
     */
    [[nodiscard]] std::shared_ptr<void> notifyLevelChanging(qint64 room, qint64 user);
    /*! \brief When \a user's do-not-disturb ends (0: off), from memory when known. */
    qint64 dndUntil(qint64 user);
    /*! \brief set_dnd is about to change \a user's do-not-disturb: hold until its completion. */
    [[nodiscard]] std::shared_ptr<void> dndChanging(qint64 user);
    /*!
     * \brief An invitation of \a user is about to be written: hold until its completion.
     * (Only a new invitation matters: memory keeps who has none, and a removal keeps that so.)
     */
    [[nodiscard]] std::shared_ptr<void> invitationsChanging(qint64 user);

    /*! \brief What this instance keeps in memory that another instance may change. */
    enum class Shared
    {
        Profile = 1, //!< a user's profile (a: the user)
        Dnd = 2, //!< a user's do-not-disturb (a: the user)
        NotifyLevel = 3, //!< a member's notification level (a: the room, b: the user)
        Settings = 4, //!< the server's settings set from the app
    };
    /*! \brief Several instances: \a hook tells the others what changed here. */
    void setSharedHook(std::function<void(Shared, qint64, qint64)> hook)
    {
        m_shared = std::move(hook);
    }
    /*! \brief A change of \a what committed here: the other instances drop their copy. */
    void changedHere(Shared what, qint64 a, qint64 b = 0) const
    {
        if (m_shared)
            m_shared(what, a, b);
    }
    /*! \brief \a user's do-not-disturb changed on another instance. */
    void forgetDnd(qint64 user) { m_dnd.remove(user); }
    /*! \brief \a user was invited on another instance: what memory knew of them is stale. */
    void forgetNoInvitations(qint64 user) { m_noInvitations.remove(user); }
    /*! \brief Whether \a user has a pending invitation to \a room. */
    bool isInvited(qint64 room, qint64 user) const;
    /*! \brief Who has a pending invitation to \a room. */
    QSet<qint64> invitees(qint64 room) const;
    /*! \brief \a user's pending invitations, as the sign-in results and `invited` show them. */
    QList<protocol::Invitation> invitationsOf(qint64 user) const;
    std::optional<protocol::Invitation> invitation(qint64 room, qint64 user) const;
    /*!
     * \brief Whether \a room is hidden from \a user as if it did not exist (§17.2): a direct
     * room or a private channel, and \a user is neither a member nor invited.
     */
    bool hiddenFrom(const RoomRecord &room, qint64 user) const;
    /*!
     * \brief Sends \a user's connections `unlisted` if \a roomId is a private channel they
     * may no longer see: their invitation to it just ended without a join (§17.6).
     */
    void unlistIfHidden(const Fanout &fanout, qint64 roomId, qint64 user) const;

    /*!
     * \brief The room \a r names, if \a peer's user is a member; otherwise null, and the
     * peer has been answered not_found or not_member.
     */
    const RoomRecord *memberRoom(Peer *peer, const protocol::Request &r) const;
    /*!
     * \brief With several instances: \a refresh brings a room up to date from storage
     * before memberRoom() refuses it (ClusterFeed::refresh).
     */
    void setRefresh(std::function<void(qint64 room)> refresh)
    {
        m_beforeRefusing = std::move(refresh);
    }

private:
    /*! \brief A group's members, sorted, and its name for \a user. */
    void conversationMembers(const RoomRecord &room, qint64 user, protocol::RoomSummary *s);

    StatementCache &m_reader;
    const RoomDirectory &m_rooms;
    const Ranks &m_ranks;
    QHash<qint64, QString> m_userNames;
    QHash<qint64, ProfileRecord> m_profiles;
    UnreadIndex m_unread;
    InFlight<std::pair<qint64, qint64>> m_notifyChanging;
    QHash<qint64, qint64> m_dnd; //!< user -> dnd_until_ms, as read or written
    InFlight<qint64> m_dndChanging;
    mutable QSet<qint64> m_noInvitations; //!< users known to have no pending invitation
    InFlight<qint64> m_invitationsChanging;
    std::function<void(qint64)> m_beforeRefusing;
    std::function<void(Shared, qint64, qint64)> m_shared;
};

} // namespace confab::server
