// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "storage/records.h"

#include <QHash>
#include <QList>
#include <QSet>
#include <optional>

namespace confab::server {

class StatementCache;
class WriteContext;

/*!
 * \brief What teams add to rooms (§17): members' roles, channel settings, bans and mutes,
 * and pending invitations to channels.
 *
 * Roles and kinds are the protocol's numbers: a role is a protocol::RoomRole rank
 * (0 member, 1 moderator, 2 owner), a sanction kind a protocol::SanctionKind (1 ban,
 * 2 mute), invitesBy a protocol::InvitePolicy (0 members, 1 moderators). Reads take the
 * caller's connection; writes take the writer's context.
 */
namespace teamstore {

/*! \brief The rank of \a userId's role in \a roomId; empty when not a member. */
std::optional<int> role(StatementCache &db, qint64 roomId, qint64 userId);
bool role(WriteContext &ctx, qint64 roomId, qint64 userId, std::optional<int> *role);
/*! \brief Sets a member's role; no row changes for a non-member. */
bool setRole(WriteContext &ctx, qint64 roomId, qint64 userId, int role);
bool setRoomSettings(WriteContext &ctx, qint64 roomId, bool isPrivate, int invitesBy);
/*! \brief A channel's stored settings, as a write sees them; false on a database error. */
bool roomSettings(WriteContext &ctx, qint64 roomId, bool *isPrivate, int *invitesBy);

/*!
 * \brief The ban or mute (\a kind) of \a userId in \a roomId in force at \a nowMs: one whose
 * untilMs is 0 or after \a nowMs. Empty when none, or when the last one has ended.
 */
std::optional<SanctionRecord> activeSanction(
    StatementCache &db, qint64 roomId, qint64 userId, int kind, qint64 nowMs);
/*! \brief As above, at the write's now(). */
bool activeSanction(WriteContext &ctx, qint64 roomId, qint64 userId, int kind,
    std::optional<SanctionRecord> *sanction);
/*!
 * \brief Imposes \a sanction (its kind, untilMs, reason and byId; created at now()),
 * replacing any earlier one of that kind, ended or not.
 */
bool putSanction(WriteContext &ctx, qint64 roomId, qint64 userId, const SanctionRecord &sanction);
/*! \brief Lifts the ban or mute; \a removed (if given) says whether one in force was lifted. */
bool removeSanction(
    WriteContext &ctx, qint64 roomId, qint64 userId, int kind, bool *removed = nullptr);
/*! \brief Users muted in \a roomId at \a nowMs, with when each mute ends (0: no end). */
QHash<qint64, qint64> activeMutes(StatementCache &db, qint64 roomId, qint64 nowMs);

/*! \brief The seq of the invite event of \a userId's pending invitation to \a roomId; 0 if none. */
qint64 inviteSeq(StatementCache &db, qint64 roomId, qint64 userId);
bool inviteSeq(WriteContext &ctx, qint64 roomId, qint64 userId, qint64 *eventSeq);
/*!
 * \brief Records \a userId's invitation to \a roomId by \a byId, made by the invite event
 * \a eventSeq. If one is pending already it is kept: \a keptSeq gets the seq of the event
 * that made the pending one (\a eventSeq when this call made it).
 */
bool putInvite(
    WriteContext &ctx, qint64 roomId, qint64 userId, qint64 byId, qint64 eventSeq, qint64 *keptSeq);
/*! \brief Ends an invitation; \a removed (if given) says whether one was pending. */
bool removeInvite(WriteContext &ctx, qint64 roomId, qint64 userId, bool *removed = nullptr);
/*! \brief A pending invitation, as the `invited` push shows it; empty if none. */
std::optional<RoomInviteRecord> invite(StatementCache &db, qint64 roomId, qint64 userId);
bool invite(
    WriteContext &ctx, qint64 roomId, qint64 userId, std::optional<RoomInviteRecord> *invitation);
/*! \brief Whether \a userId has a pending invitation; nothing when the read failed. */
std::optional<bool> hasInvites(StatementCache &db, qint64 userId);
/*! \brief Everyone with a pending invitation; nothing when the read failed. */
std::optional<QSet<qint64>> usersWithInvites(StatementCache &db);
/*! \brief \a userId's pending invitations, oldest first (§17.3). */
QList<RoomInviteRecord> invitesOf(StatementCache &db, qint64 userId);
bool invitesOf(WriteContext &ctx, qint64 userId, QList<RoomInviteRecord> *invitations);
/*! \brief How many invitations \a userId has pending (the cap of §17.3). */
bool pendingInvites(WriteContext &ctx, qint64 userId, int *count);
/*! \brief Who has a pending invitation to \a roomId. */
QSet<qint64> invitees(StatementCache &db, qint64 roomId);

} // namespace teamstore
} // namespace confab::server
