// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "protocol/hello.h"
#include "protocol/objectshapes.h"
#include "protocol/selfserviceshapes.h"

/*!
 * \file
 * \brief The objects and results of teams (§17): invitations, users as the directory and
 * admins see them, server settings, invite codes and the audit log. teamresults.h encodes
 * and decodes with these members' names.
 */
namespace confab::protocol::wire {

namespace invitation {
inline constexpr Member Room = integer("room", 1);
inline constexpr Member Name = string("name", 1, MaxRoomNameLength);
inline constexpr Member Topic = string("topic", 0, MaxTopicLength);
inline constexpr Member Private = boolean("private");
inline constexpr Member By = described(string("by", 1, MaxUsernameLength), "who invited you");
inline constexpr Member Ts = described(integer("ts", 0), "when, ms since the epoch");
inline constexpr std::array<const Member *, 6> All {&Room, &Name, &Topic, &Private, &By, &Ts};
} // namespace invitation
inline constexpr Shape InvitationShape
    = objectShape("Invitation", invitation::All, "A pending invitation to a channel (§17.3).");

namespace user_entry {
inline constexpr Member User = string("user", 1, MaxUsernameLength);
inline constexpr Member Online = boolean("online");
inline constexpr Member Admin = optional(boolean("admin"), "admins only see it");
inline constexpr Member Disabled = optional(boolean("disabled"), "admins only see it");
inline constexpr Member CreatedAt
    = optional(integer("createdAt", 0), "admins only see it: when the account was created");
inline constexpr Member DisplayName = optional(profile::DisplayName, "a server with profiles");
inline constexpr Member Status = optional(profile::Status, "a server with profiles");
inline constexpr Member Avatar = optional(profile::Avatar, "a server with profiles");
inline constexpr std::array<const Member *, 8> All {
    &User, &Online, &Admin, &Disabled, &CreatedAt, &DisplayName, &Status, &Avatar};
} // namespace user_entry
inline constexpr Shape UserEntryShape
    = objectShape("UserEntry", user_entry::All, "An account as users lists it (§17.5).");

namespace user_list {
inline constexpr Member Users = arrayOf("users", UserEntryShape);
inline constexpr std::array<const Member *, 1> All {&Users};
} // namespace user_list
inline constexpr Shape UserListShape
    = objectShape("UserList", user_list::All, "users (§17.5): prefix matches first, then by name.");

namespace user_result {
inline constexpr Member User = object("user", UserEntryShape);
inline constexpr std::array<const Member *, 1> All {&User};
} // namespace user_result
inline constexpr Shape UserResultShape
    = objectShape("UserResult", user_result::All, "set_user (§17.5): the account after it.");

namespace server_settings {
inline constexpr auto RegistrationValues = RegistrationModeNames.names();
inline constexpr Member Registration = oneOf("registration", RegistrationValues);
inline constexpr std::array<const Member *, 1> All {&Registration};
} // namespace server_settings
inline constexpr Shape ServerSettingsShape = objectShape(
    "ServerSettings", server_settings::All, "server_settings and set_server_settings (§17.5).");

namespace invite_code {
inline constexpr Member Code
    = described(string("code", 1, MaxInviteCodeLength), "shown once; the server keeps its hash");
inline constexpr Member Uses = integer("uses", 1, MaxInviteUses);
inline constexpr std::array<const Member *, 2> All {&Code, &Uses};
} // namespace invite_code
// Not "InviteCode": that is the field kind of register.invite, and the schema's $defs hold both.
inline constexpr Shape InviteCodeShape = objectShape(
    "InviteCodeResult", invite_code::All, "create_invite (§17.5): a registration invite code.");

namespace audit_entry {
inline constexpr Member Id = integer("id", 1);
inline constexpr Member Ts = integer("ts", 0);
inline constexpr Member Actor = described(
    string("actor", 0, MaxUsernameLength), "the admin's username; \"\" for the operator's shell");
inline constexpr Member Action = string("action", 1);
inline constexpr Member Subject = described(string("subject", 0), "a username or the new value");
inline constexpr Member Detail = string("detail", 0);
inline constexpr std::array<const Member *, 6> All {&Id, &Ts, &Actor, &Action, &Subject, &Detail};
} // namespace audit_entry
inline constexpr Shape AuditEntryShape
    = objectShape("AuditEntry", audit_entry::All, "One administrative change (§17.5).");

namespace audit_page {
inline constexpr Member Entries = arrayOf("entries", AuditEntryShape);
inline constexpr std::array<const Member *, 1> All {&Entries};
} // namespace audit_page
inline constexpr Shape AuditPageShape
    = objectShape("AuditPage", audit_page::All, "audit (§17.5): newest first.");

} // namespace confab::protocol::wire
