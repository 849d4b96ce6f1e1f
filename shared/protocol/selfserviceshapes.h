// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "protocol/limits.h"
#include "protocol/selfservice.h"
#include "protocol/wireshape.h"

#include <array>

/*!
 * \file
 * \brief The objects and results of self-service (§18): profiles, sessions and a changed
 * password. selfserviceresults.h encodes and decodes with these members' names.
 */
namespace confab::protocol::wire {

//! Profile members, also carried flat by Member, UserEntry and SignedIn (§18.2).
namespace profile {
inline constexpr Member User = string("user", 1, MaxUsernameLength);
inline constexpr Member DisplayName = described(string("displayName", 0, MaxDisplayNameLength),
    "shown instead of the username; \"\" when none is set");
inline constexpr Member Status = string("status", 0, MaxStatusLength);
inline constexpr Member Avatar
    = described(integer("avatar", 0), "the id of an image file (§16) anyone may download; 0: none");
inline constexpr std::array<const Member *, 4> All {&User, &DisplayName, &Status, &Avatar};
} // namespace profile
inline constexpr Shape ProfileShape = objectShape(
    "Profile", profile::All, "How a user presents themself (§18.2): set_profile, `profile`.");

namespace session_entry {
inline constexpr Member Id = integer("id", 1);
inline constexpr Member Device = described(
    string("device", 0, MaxDeviceNameLength), "as login or register named it; \"\" if not");
inline constexpr Member Address = described(
    string("address", 0), "the address it last signed in or connected from; \"\" if unknown");
inline constexpr Member CreatedAt = integer("createdAt", 0);
inline constexpr Member LastSeen
    = described(integer("lastSeen", 0), "its last sign-in or connection, ms since the epoch");
inline constexpr Member Current = described(boolean("current"), "the session of this connection");
inline constexpr Member Online = described(boolean("online"), "it has a connection now");
inline constexpr std::array<const Member *, 7> All {
    &Id, &Device, &Address, &CreatedAt, &LastSeen, &Current, &Online};
} // namespace session_entry
inline constexpr Shape SessionEntryShape
    = objectShape("SessionEntry", session_entry::All, "One signed-in device (§18.1).");

namespace session_list {
inline constexpr Member Sessions = arrayOf("sessions", SessionEntryShape);
inline constexpr std::array<const Member *, 1> All {&Sessions};
} // namespace session_list
inline constexpr Shape SessionListShape = objectShape(
    "SessionList", session_list::All, "sessions (§18.1): the most recently used first.");

namespace password_changed {
inline constexpr Member Revoked = described(integer("revoked", 0), "other sessions signed out");
inline constexpr std::array<const Member *, 1> All {&Revoked};
} // namespace password_changed
inline constexpr Shape PasswordChangedShape
    = objectShape("PasswordChanged", password_changed::All, "change_password (§18.1).");

} // namespace confab::protocol::wire
