// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "protocol/limits.h"
#include "protocol/roles.h"
#include "protocol/roomevent.h"
#include "protocol/roomsummary.h"
#include "protocol/selfservice.h"
#include "protocol/wireshape.h"

#include <array>

/*!
 * \file
 * \brief The objects that replies and pushes carry: room summaries (§5.0), directory
 * entries (§5.6), room events (§7.1). RoomSummary, DirectoryEntry and RoomEvent encode and
 * decode with these members' names.
 */
namespace confab::protocol::wire {

namespace room_summary {
inline constexpr auto KindValues = RoomKindNames.names();
inline constexpr Member Id = integer("id", 1);
inline constexpr Member Kind = oneOf("kind", KindValues);
inline constexpr Member Name = described(string("name", 1, MaxRoomNameLength),
    "channel: its name; direct room: the other participant's username");
inline constexpr Member Topic = string("topic", 0, MaxTopicLength);
inline constexpr Member LastSeq
    = described(integer("lastSeq", 0), "informational only, never a resume cursor");
inline constexpr Member MemberCount = integer("memberCount", 0);
inline constexpr Member Members
    = optional(arrayOfStrings("members", 1, MaxUsernameLength), "direct and group rooms only");
inline constexpr Member ReadSeq
    = optional(integer("readSeq", 0), "only when the viewer is a member (always, in practice)");
inline constexpr Member Unread
    = optional(integer("unread", 0), "only when the viewer is a member (always, in practice)");
inline constexpr Member Mentions
    = optional(integer("mentions", 0), "only when the viewer is a member (always, in practice)");
inline constexpr auto RoleValues = RoomRoleNames.names();
inline constexpr auto InvitePolicyValues = InvitePolicyNames.names();
inline constexpr Member Private = optional(boolean("private"), "channels only (§17.2)");
inline constexpr Member InvitesBy
    = optional(oneOf("invitesBy", InvitePolicyValues), "channels only: who may invite (§17.2)");
inline constexpr Member Role
    = optional(oneOf("role", RoleValues), "channels only: the viewer's role (§17.1)");
inline constexpr auto NotifyValues = NotifyLevelNames.names();
inline constexpr Member Notify = optional(
    oneOf("notify", NotifyValues), "a server with notify: the viewer's level (§18.3); else all");
inline constexpr std::array<const Member *, 14> All {&Id, &Kind, &Name, &Topic, &LastSeq,
    &MemberCount, &Members, &ReadSeq, &Unread, &Mentions, &Private, &InvitesBy, &Role, &Notify};
} // namespace room_summary
inline constexpr Shape RoomSummaryShape
    = objectShape("RoomSummary", room_summary::All, "A room as one user sees it (§5.0).");

namespace directory_entry {
inline constexpr Member Id = integer("id", 1);
inline constexpr Member Name = string("name", 1, MaxRoomNameLength);
inline constexpr Member Topic = string("topic", 0, MaxTopicLength);
inline constexpr Member MemberCount = integer("memberCount", 0);
inline constexpr Member Joined = described(boolean("joined"), "the recipient is a member");
inline constexpr Member Private = described(
    boolean("private"), "a private channel; listed only to its members and invited users (§17.2)");
inline constexpr std::array<const Member *, 6> All {
    &Id, &Name, &Topic, &MemberCount, &Joined, &Private};
} // namespace directory_entry
inline constexpr Shape DirectoryEntryShape = objectShape(
    "DirectoryEntry", directory_entry::All, "A channel as the directory shows it (§5.6, §6.6).");

/*! \brief Room events (§7.1): common members, then one shape per kind. */
namespace room_event {
inline constexpr Member Id = integer("id", 1);
inline constexpr Member Room = integer("room", 1);
inline constexpr Member Seq = integer("seq", 1);
inline constexpr Member Ts = described(integer("ts", 0), "commit time, ms since the epoch");
inline constexpr Member Sender = string("sender", 1, MaxUsernameLength);
// What tells the kinds apart; each kind's shape has it as a constant.
inline constexpr auto KindValues = EventKindNames.names();
inline constexpr Member Kind = oneOf("kind", KindValues);
inline constexpr Member CreateKind = constant("kind", EventKindNames.toName(EventKind::Create));
inline constexpr Member MessageKind = constant("kind", EventKindNames.toName(EventKind::Message));
inline constexpr Member JoinKind = constant("kind", EventKindNames.toName(EventKind::Join));
inline constexpr Member LeaveKind = constant("kind", EventKindNames.toName(EventKind::Leave));
inline constexpr Member TopicKind = constant("kind", EventKindNames.toName(EventKind::Topic));
inline constexpr Member Name
    = described(string("name", 0, MaxRoomNameLength), "the channel's name; \"\" for direct rooms");
inline constexpr Member Topic = string("topic", 0, MaxTopicLength);
inline constexpr Member Text = described(string("text", 0),
    "at most limits.maxTextBytes UTF-8 bytes; the current text, \"\" once redacted");
inline constexpr Member Txn = string("txn", 1, MaxTxnLength);
inline constexpr Member Mentions = optional(
    arrayOfStrings("mentions", 1, MaxUsernameLength), "lower-cased usernames; omitted when none");
inline constexpr Member ReplyTo
    = optional(integer("replyTo", 1), "the seq of the message this answers; omitted when none");
inline constexpr Member EditedAt
    = optional(integer("editedAt", 0), "read from storage and edited: the last edit's ts");
inline constexpr Member Redacted
    = optional(boolean("redacted"), "read from storage and deleted: always true");
inline constexpr Member ChangedSeq = optional(integer("changedSeq", 1),
    "read from storage and changed since: the seq of the last edit, redact, react or unreact "
    "of this message");
inline constexpr Member Target = described(integer("target", 1), "the seq of the message changed");
inline constexpr Member NewText
    = described(string("text", 0), "the message's new text; \"\" once the message is redacted");
inline constexpr Member Key = described(string("key", 1, MaxReactionKeyLength), "one emoji");
} // namespace room_event

namespace reaction {
inline constexpr Member Key = room_event::Key;
inline constexpr Member Count = integer("count", 1);
inline constexpr Member Users = described(arrayOfStrings("users", 1, MaxUsernameLength),
    "up to 20 of them, oldest first; the viewer first if they reacted");
inline constexpr std::array<const Member *, 3> All {&Key, &Count, &Users};
} // namespace reaction
inline constexpr Shape ReactionShape
    = objectShape("Reaction", reaction::All, "One emoji on a message and who chose it (§7.4).");

namespace thumbnail {
inline constexpr Member Width = integer("width", 1, ThumbnailMaxSide);
inline constexpr Member Height = integer("height", 1, ThumbnailMaxSide);
inline constexpr Member Size = described(integer("size", 1), "bytes");
inline constexpr Member Type = described(string("mimeType", 1), "image/jpeg or image/png");
inline constexpr std::array<const Member *, 4> All {&Width, &Height, &Size, &Type};
} // namespace thumbnail
inline constexpr Shape ThumbnailShape = objectShape(
    "Thumbnail", thumbnail::All, "The picture the server made of an image file (§16.5).");

namespace file {
inline constexpr Member Id = integer("id", 1);
inline constexpr Member Name = described(string("name", 1, MaxFileNameLength),
    "as given to upload_begin; a suggested name for saving, never a path");
inline constexpr Member Size = described(integer("size", 0), "bytes");
inline constexpr Member Type
    = described(string("mimeType", 1), "MIME type detected from the bytes by the server");
inline constexpr Member Sha256 = described(string("sha256", Sha256HexLength, Sha256HexLength),
    "SHA-256 of the stored bytes, lowercase hex");
inline constexpr Member Width = optional(integer("width", 1), "images the server decoded only");
inline constexpr Member Height = optional(integer("height", 1), "images the server decoded only");
inline constexpr Member ThumbnailMember
    = optional(object("thumbnail", ThumbnailShape), "only when the server made a thumbnail");
inline constexpr std::array<const Member *, 8> All {
    &Id, &Name, &Size, &Type, &Sha256, &Width, &Height, &ThumbnailMember};
} // namespace file
inline constexpr Shape FileShape = objectShape("File", file::All, "A stored file (§16.4).");

namespace room_event {
inline constexpr Member Attachments = optional(arrayOf("attachments", FileShape),
    "the files attached, in order (§16); omitted when none and once redacted");
inline constexpr Member Reactions = optional(arrayOf("reactions", ReactionShape),
    "read from storage with reactions: at most 20 keys, in order of first use");
inline constexpr Member EditKind = constant("kind", EventKindNames.toName(EventKind::Edit));
inline constexpr Member RedactKind = constant("kind", EventKindNames.toName(EventKind::Redact));
inline constexpr Member ReactKind = constant("kind", EventKindNames.toName(EventKind::React));
inline constexpr Member UnreactKind = constant("kind", EventKindNames.toName(EventKind::Unreact));
inline constexpr Member InviteKind = constant("kind", EventKindNames.toName(EventKind::Invite));
inline constexpr Member KickKind = constant("kind", EventKindNames.toName(EventKind::Kick));
inline constexpr Member BanKind = constant("kind", EventKindNames.toName(EventKind::Ban));
inline constexpr Member UnbanKind = constant("kind", EventKindNames.toName(EventKind::Unban));
inline constexpr Member MuteKind = constant("kind", EventKindNames.toName(EventKind::Mute));
inline constexpr Member UnmuteKind = constant("kind", EventKindNames.toName(EventKind::Unmute));
inline constexpr Member RoleKind = constant("kind", EventKindNames.toName(EventKind::Role));
inline constexpr Member SettingsKind = constant("kind", EventKindNames.toName(EventKind::Settings));
inline constexpr Member AddKind = constant("kind", EventKindNames.toName(EventKind::Add));
// The moderation events' members (§17.7).
inline constexpr Member User
    = described(string("user", 1, MaxUsernameLength), "the user the action was about");
inline constexpr Member Reason
    = optional(string("reason", 1, MaxReasonLength), "omitted when none was given");
inline constexpr Member Until
    = optional(integer("until", 0), "when the ban or mute ends; omitted when it has no end");
inline constexpr Member Role = oneOf("role", room_summary::RoleValues);
inline constexpr Member Private = described(boolean("private"), "after the change");
inline constexpr Member InvitesBy
    = described(oneOf("invitesBy", room_summary::InvitePolicyValues), "after the change");

inline constexpr std::array<const Member *, 8> CreateMembers {
    &Id, &Room, &Seq, &Ts, &CreateKind, &Sender, &Name, &Topic};
inline constexpr std::array<const Member *, 15> MessageMembers {&Id, &Room, &Seq, &Ts, &MessageKind,
    &Sender, &Text, &Txn, &Mentions, &ReplyTo, &Attachments, &EditedAt, &Redacted, &ChangedSeq,
    &Reactions};
inline constexpr std::array<const Member *, 6> JoinMembers {
    &Id, &Room, &Seq, &Ts, &JoinKind, &Sender};
inline constexpr std::array<const Member *, 6> LeaveMembers {
    &Id, &Room, &Seq, &Ts, &LeaveKind, &Sender};
inline constexpr std::array<const Member *, 7> TopicMembers {
    &Id, &Room, &Seq, &Ts, &TopicKind, &Sender, &Topic};
inline constexpr std::array<const Member *, 8> EditMembers {
    &Id, &Room, &Seq, &Ts, &EditKind, &Sender, &Target, &NewText};
inline constexpr std::array<const Member *, 7> RedactMembers {
    &Id, &Room, &Seq, &Ts, &RedactKind, &Sender, &Target};
inline constexpr std::array<const Member *, 8> ReactMembers {
    &Id, &Room, &Seq, &Ts, &ReactKind, &Sender, &Target, &Key};
inline constexpr std::array<const Member *, 8> UnreactMembers {
    &Id, &Room, &Seq, &Ts, &UnreactKind, &Sender, &Target, &Key};
inline constexpr std::array<const Member *, 7> InviteMembers {
    &Id, &Room, &Seq, &Ts, &InviteKind, &Sender, &User};
inline constexpr std::array<const Member *, 8> KickMembers {
    &Id, &Room, &Seq, &Ts, &KickKind, &Sender, &User, &Reason};
inline constexpr std::array<const Member *, 9> BanMembers {
    &Id, &Room, &Seq, &Ts, &BanKind, &Sender, &User, &Reason, &Until};
inline constexpr std::array<const Member *, 7> UnbanMembers {
    &Id, &Room, &Seq, &Ts, &UnbanKind, &Sender, &User};
inline constexpr std::array<const Member *, 9> MuteMembers {
    &Id, &Room, &Seq, &Ts, &MuteKind, &Sender, &User, &Reason, &Until};
inline constexpr std::array<const Member *, 7> UnmuteMembers {
    &Id, &Room, &Seq, &Ts, &UnmuteKind, &Sender, &User};
inline constexpr std::array<const Member *, 8> RoleMembers {
    &Id, &Room, &Seq, &Ts, &RoleKind, &Sender, &User, &Role};
inline constexpr std::array<const Member *, 8> SettingsMembers {
    &Id, &Room, &Seq, &Ts, &SettingsKind, &Sender, &Private, &InvitesBy};
inline constexpr std::array<const Member *, 7> AddMembers {
    &Id, &Room, &Seq, &Ts, &AddKind, &Sender, &User};
} // namespace room_event

inline constexpr Shape CreateEventShape
    = objectShape("CreateEvent", room_event::CreateMembers, "The room was created; always seq 1.");
inline constexpr Shape MessageEventShape
    = objectShape("MessageEvent", room_event::MessageMembers, "");
inline constexpr Shape JoinEventShape
    = objectShape("JoinEvent", room_event::JoinMembers, "The sender became a member.");
inline constexpr Shape LeaveEventShape
    = objectShape("LeaveEvent", room_event::LeaveMembers, "The sender stopped being a member.");
inline constexpr Shape TopicEventShape = objectShape(
    "TopicEvent", room_event::TopicMembers, "The sender set the topic (\"\" clears it).");
inline constexpr Shape EditEventShape = objectShape(
    "EditEvent", room_event::EditMembers, "The author replaced a message's text (§7.4).");
inline constexpr Shape RedactEventShape
    = objectShape("RedactEvent", room_event::RedactMembers, "A message was deleted (§7.4).");
inline constexpr Shape ReactEventShape = objectShape(
    "ReactEvent", room_event::ReactMembers, "The sender reacted to a message (§7.4).");
inline constexpr Shape UnreactEventShape = objectShape(
    "UnreactEvent", room_event::UnreactMembers, "The sender took a reaction back (§7.4).");

inline constexpr Shape InviteEventShape = objectShape(
    "InviteEvent", room_event::InviteMembers, "The sender invited user to the channel (§17.3).");
inline constexpr Shape KickEventShape = objectShape("KickEvent", room_event::KickMembers,
    "The sender removed user, or withdrew their invitation (§17.4).");
inline constexpr Shape BanEventShape
    = objectShape("BanEvent", room_event::BanMembers, "The sender banned user (§17.4).");
inline constexpr Shape UnbanEventShape
    = objectShape("UnbanEvent", room_event::UnbanMembers, "The sender lifted user's ban.");
inline constexpr Shape MuteEventShape
    = objectShape("MuteEvent", room_event::MuteMembers, "The sender muted user (§17.4).");
inline constexpr Shape UnmuteEventShape
    = objectShape("UnmuteEvent", room_event::UnmuteMembers, "The sender lifted user's mute.");
inline constexpr Shape RoleEventShape
    = objectShape("RoleEvent", room_event::RoleMembers, "The sender gave user a role (§17.1).");
inline constexpr Shape SettingsEventShape = objectShape("SettingsEvent",
    room_event::SettingsMembers, "The sender changed the channel's settings (§17.2).");

inline constexpr Shape AddEventShape = objectShape("AddEvent", room_event::AddMembers,
    "The sender added user to the group conversation; user is a member from here (§18.4).");

/*! \brief The shape of each event kind, in EventKind order. */
inline constexpr std::array<const Shape *, 18> RoomEventShapes {&CreateEventShape,
    &MessageEventShape, &JoinEventShape, &LeaveEventShape, &TopicEventShape, &EditEventShape,
    &RedactEventShape, &ReactEventShape, &UnreactEventShape, &InviteEventShape, &KickEventShape,
    &BanEventShape, &UnbanEventShape, &MuteEventShape, &UnmuteEventShape, &RoleEventShape,
    &SettingsEventShape, &AddEventShape};
static_assert(RoomEventShapes.size() == EventKindNames.size());
inline constexpr Shape RoomEventShape = unionShape("RoomEvent", RoomEventShapes,
    "One entry of a room's log (§7.1), told apart by kind. Clients must "
    "skip kinds they do not know but count their seq (§15).");

} // namespace confab::protocol::wire
