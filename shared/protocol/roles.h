// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "protocol/enumnames.h"

#include <QLatin1StringView>
#include <QString>
#include <optional>

/*!
 * \file
 * \brief Who may do what in a channel (§17.1): room roles, ranks and who may invite.
 */
namespace confab::protocol {

/*! \brief A member's role in a channel; the number is the rank the rules compare. */
enum class RoomRole
{
    Member = 0,
    Moderator = 1,
    Owner = 2,
};

inline constexpr auto RoomRoleNames = enumNames<RoomRole>({
    {RoomRole::Member, "member"},
    {RoomRole::Moderator, "moderator"},
    {RoomRole::Owner, "owner"},
});

/*! \brief An admin's rank in every channel they are in, and as a target (§17.1). */
inline constexpr int AdminRank = 3;

/*! \brief Who may invite to a channel (§17.2). */
enum class InvitePolicy
{
    Members = 0,
    Moderators = 1,
};

inline constexpr auto InvitePolicyNames = enumNames<InvitePolicy>({
    {InvitePolicy::Members, "members"},
    {InvitePolicy::Moderators, "moderators"},
});

/*! \brief What a ban or mute is (§17.4). */
enum class SanctionKind
{
    Ban = 1,
    Mute = 2,
};

// A ban or mute lasts at most a year; without a duration it lasts until lifted.
inline constexpr int MaxSanctionSeconds = 365 * 24 * 3600;
// Registrations one invite code created from the app allows.
inline constexpr int MaxInviteUses = 1000;
// Invitations one user may have pending: each is in their sign-in result (§17.3).
inline constexpr int MaxPendingInvites = 100;
// Reasons given for a kick, ban or mute.
inline constexpr int MaxReasonLength = 512;

inline QLatin1StringView roomRoleName(RoomRole role)
{
    return RoomRoleNames.toName(role);
}

inline std::optional<RoomRole> roomRoleFromName(QStringView name)
{
    return RoomRoleNames.fromName(name);
}

inline QLatin1StringView invitePolicyName(InvitePolicy policy)
{
    return InvitePolicyNames.toName(policy);
}

inline std::optional<InvitePolicy> invitePolicyFromName(QStringView name)
{
    return InvitePolicyNames.fromName(name);
}

} // namespace confab::protocol
