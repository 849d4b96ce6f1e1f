// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "protocol/enumnames.h"

/*!
 * \file
 * \brief What a user sets for themself (§18): notification levels and the sizes of
 * profiles, device names and group conversations.
 */
namespace confab::protocol {

/*! \brief How a room notifies its member (§18.3); the same on all of their devices. */
enum class NotifyLevel
{
    All = 0, //!< every message from others counts as unread and may notify
    Mentions = 1, //!< unread counts, shown greyed; only mentions notify
    Nothing = 2, //!< unread counts, shown greyed; nothing notifies, mentions neither
};

inline constexpr auto NotifyLevelNames = enumNames<NotifyLevel>({
    {NotifyLevel::All, "all"},
    {NotifyLevel::Mentions, "mentions"},
    {NotifyLevel::Nothing, "none"},
});

inline constexpr int MaxDisplayNameLength = 64;
inline constexpr int MaxStatusLength = 128;
inline constexpr int MaxDeviceNameLength = 64;
//! Everyone in a group conversation, its creator included (§18.4).
inline constexpr int MaxGroupMembers = 10;

} // namespace confab::protocol
