// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "protocol/limits.h"
#include "protocol/roomevent.h"
#include "protocol/roomsummary.h"
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
    = optional(arrayOfStrings("members", 1, MaxUsernameLength), "direct rooms only");
inline constexpr Member ReadSeq
    = optional(integer("readSeq", 0), "only when the viewer is a member (always, in practice)");
inline constexpr Member Unread
    = optional(integer("unread", 0), "only when the viewer is a member (always, in practice)");
inline constexpr Member Mentions
    = optional(integer("mentions", 0), "only when the viewer is a member (always, in practice)");
inline constexpr std::array<const Member *, 10> All {
    &Id, &Kind, &Name, &Topic, &LastSeq, &MemberCount, &Members, &ReadSeq, &Unread, &Mentions};
} // namespace room_summary
inline constexpr Shape RoomSummaryShape
    = objectShape("RoomSummary", room_summary::All, "A room as one user sees it (§5.0).");

namespace directory_entry {
inline constexpr Member Id = integer("id", 1);
inline constexpr Member Name = string("name", 1, MaxRoomNameLength);
inline constexpr Member Topic = string("topic", 0, MaxTopicLength);
inline constexpr Member MemberCount = integer("memberCount", 0);
inline constexpr Member Joined = described(boolean("joined"), "the recipient is a member");
inline constexpr std::array<const Member *, 5> All {&Id, &Name, &Topic, &MemberCount, &Joined};
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
inline constexpr Member Text
    = described(string("text", 1), "at most limits.maxTextBytes UTF-8 bytes");
inline constexpr Member Txn = string("txn", 1, MaxTxnLength);
inline constexpr Member Mentions = optional(
    arrayOfStrings("mentions", 1, MaxUsernameLength), "lower-cased usernames; omitted when none");

inline constexpr std::array<const Member *, 8> CreateMembers {
    &Id, &Room, &Seq, &Ts, &CreateKind, &Sender, &Name, &Topic};
inline constexpr std::array<const Member *, 9> MessageMembers {
    &Id, &Room, &Seq, &Ts, &MessageKind, &Sender, &Text, &Txn, &Mentions};
inline constexpr std::array<const Member *, 6> JoinMembers {
    &Id, &Room, &Seq, &Ts, &JoinKind, &Sender};
inline constexpr std::array<const Member *, 6> LeaveMembers {
    &Id, &Room, &Seq, &Ts, &LeaveKind, &Sender};
inline constexpr std::array<const Member *, 7> TopicMembers {
    &Id, &Room, &Seq, &Ts, &TopicKind, &Sender, &Topic};
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

/*! \brief The shape of each event kind, in EventKind order. */
inline constexpr std::array<const Shape *, 5> RoomEventShapes {
    &CreateEventShape, &MessageEventShape, &JoinEventShape, &LeaveEventShape, &TopicEventShape};
static_assert(RoomEventShapes.size() == EventKindNames.size());
inline constexpr Shape RoomEventShape = unionShape("RoomEvent", RoomEventShapes,
    "One entry of a room's log (§7.1), told apart by kind. Clients must "
    "skip kinds they do not know but count their seq (§15).");

} // namespace confab::protocol::wire
