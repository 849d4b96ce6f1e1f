// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "protocol/objectshapes.h"
#include "protocol/requesttype.h"
#include "protocol/selfserviceshapes.h"
#include "protocol/teamshapes.h"

/*!
 * \file
 * \brief The `data` of each successful reply (§5), one shape per value type of results.h,
 * and which request gets which.
 */
namespace confab::protocol::wire {

inline constexpr Shape EmptyShape
    = objectShape("Empty", {}, "No data: logout, logout_all, typing and decline_invite.");

namespace signed_in {
inline constexpr Member User = string("user", 1, MaxUsernameLength);
inline constexpr Member Token
    = optional(string("token", 1, MaxTokenLength), "register and login only");
inline constexpr Member ExpiresAt
    = described(integer("expiresAt", 0), "when the token expires, ms since the epoch");
inline constexpr Member Rooms = arrayOf("rooms", RoomSummaryShape);
inline constexpr Member Admin
    = optional(boolean("admin"), "a server with teams: whether you are an admin (§17.1)");
inline constexpr Member Invites = optional(arrayOf("invites", InvitationShape),
    "a server with teams: your pending invitations, oldest first (§17.3)");
inline constexpr Member DisplayName
    = optional(profile::DisplayName, "a server with profiles: yours (§18.2)");
inline constexpr Member Status = optional(profile::Status, "a server with profiles: yours");
inline constexpr Member Avatar = optional(profile::Avatar, "a server with profiles: yours");
inline constexpr Member DndUntil = optional(integer("dndUntil", 0),
    "a server with notify: when your do-not-disturb ends, ms since the epoch; 0: off (§18.3)");
inline constexpr std::array<const Member *, 10> All {
    &User, &Token, &ExpiresAt, &Rooms, &Admin, &Invites, &DisplayName, &Status, &Avatar, &DndUntil};
} // namespace signed_in
inline constexpr Shape SignedInShape
    = objectShape("SignedIn", signed_in::All, "register, login and authenticate (§5.1-5.3).");

namespace pong {
inline constexpr Member Time
    = described(integer("time", 0), "the server's clock, ms since the epoch");
inline constexpr std::array<const Member *, 1> All {&Time};
} // namespace pong
inline constexpr Shape PongShape = objectShape("Pong", pong::All, "ping (§5.18).");

namespace send_ack {
inline constexpr Member Id = integer("id", 1);
inline constexpr Member Room = integer("room", 1);
inline constexpr Member Seq = integer("seq", 1);
inline constexpr Member Ts = integer("ts", 0);
inline constexpr Member Txn = string("txn", 1, MaxTxnLength);
inline constexpr std::array<const Member *, 5> All {&Id, &Room, &Seq, &Ts, &Txn};
} // namespace send_ack
inline constexpr Shape SendAckShape
    = objectShape("SendAck", send_ack::All, "send (§5.12): the message is durable.");

namespace event_seq {
inline constexpr Member Seq = integer("seq", 1);
inline constexpr std::array<const Member *, 1> All {&Seq};
} // namespace event_seq
inline constexpr Shape EventSeqShape = objectShape("EventSeq", event_seq::All,
    "leave, set_topic, edit, redact, react and unreact (§5.9, §5.10, §5.19-5.22): the seq of the "
    "appended event, or of the earlier one that already made the change.");

namespace history_page {
inline constexpr Member Room = integer("room", 1);
inline constexpr Member Events = arrayOf("events", RoomEventShape);
inline constexpr Member HasMore = boolean("hasMore");
inline constexpr std::array<const Member *, 3> All {&Room, &Events, &HasMore};
} // namespace history_page
inline constexpr Shape HistoryPageShape = objectShape(
    "HistoryPage", history_page::All, "history (§5.13): one page of a room's log, oldest first.");

namespace sync_room {
inline constexpr Member Room = object("room", RoomSummaryShape);
inline constexpr Member Events = arrayOf("events", RoomEventShape);
inline constexpr Member Gap = boolean("gap");
inline constexpr Member GapFrom = optional(integer("gapFrom", 0), "only when gap is true");
inline constexpr std::array<const Member *, 4> All {&Room, &Events, &Gap, &GapFrom};
} // namespace sync_room
inline constexpr Shape SyncRoomShape
    = objectShape("SyncRoom", sync_room::All, "One room of a sync result (§5.14).");

namespace sync_result {
inline constexpr Member Rooms = arrayOf("rooms", SyncRoomShape);
inline constexpr Member Left = arrayOfIntegers("left", 1);
inline constexpr std::array<const Member *, 2> All {&Rooms, &Left};
} // namespace sync_result
inline constexpr Shape SyncResultShape
    = objectShape("SyncResult", sync_result::All, "sync (§5.14).");

namespace read_state {
inline constexpr Member Room = integer("room", 1);
inline constexpr Member ReadSeq = integer("readSeq", 0);
inline constexpr Member Unread = integer("unread", 0);
inline constexpr Member Mentions = integer("mentions", 0);
inline constexpr std::array<const Member *, 4> All {&Room, &ReadSeq, &Unread, &Mentions};
} // namespace read_state
inline constexpr Shape ReadStateShape
    = objectShape("ReadState", read_state::All, "mark_read (§5.15).");

namespace member_entry {
inline constexpr Member User = string("user", 1, MaxUsernameLength);
inline constexpr Member Online = boolean("online");
inline constexpr Member Role
    = optional(oneOf("role", room_summary::RoleValues), "channels on a server with teams");
inline constexpr Member MutedUntil = optional(integer("mutedUntil", 0),
    "muted members only: when the mute ends; 0 when it has no end (§17.4)");
inline constexpr Member DisplayName = optional(profile::DisplayName, "a server with profiles");
inline constexpr Member Status = optional(profile::Status, "a server with profiles");
inline constexpr Member Avatar = optional(profile::Avatar, "a server with profiles");
inline constexpr std::array<const Member *, 7> All {
    &User, &Online, &Role, &MutedUntil, &DisplayName, &Status, &Avatar};
} // namespace member_entry
inline constexpr Shape MemberEntryShape = objectShape("MemberEntry", member_entry::All, "");

namespace member_list {
inline constexpr Member Members = arrayOf("members", MemberEntryShape);
inline constexpr std::array<const Member *, 1> All {&Members};
} // namespace member_list
inline constexpr Shape MemberListShape
    = objectShape("MemberList", member_list::All, "members (§5.17), sorted by username.");

namespace room_result {
inline constexpr Member Room = object("room", RoomSummaryShape);
inline constexpr std::array<const Member *, 1> All {&Room};
} // namespace room_result
inline constexpr Shape RoomResultShape = objectShape(
    "RoomResult", room_result::All, "create_room, join and open_direct (§5.7, §5.8, §5.11).");

namespace directory {
inline constexpr Member Rooms = arrayOf("rooms", DirectoryEntryShape);
inline constexpr std::array<const Member *, 1> All {&Rooms};
} // namespace directory
inline constexpr Shape DirectoryShape
    = objectShape("Directory", directory::All, "list_rooms (§5.6): every channel.");

namespace highlight {
inline constexpr Member Start = integer("start", 0);
inline constexpr Member Length = integer("length", 1);
inline constexpr std::array<const Member *, 2> All {&Start, &Length};
} // namespace highlight
inline constexpr Shape HighlightShape = objectShape("Highlight", highlight::All,
    "A part of a snippet that matched, in UTF-16 code units from the snippet's start.");

namespace search_hit {
inline constexpr Member Event
    = described(object("event", MessageEventShape), "the message with its current state (§7.4)");
inline constexpr Member Snippet
    = described(string("snippet", 0), "an excerpt of the message's current text around the match");
inline constexpr Member Highlights = arrayOf("highlights", HighlightShape);
inline constexpr std::array<const Member *, 3> All {&Event, &Snippet, &Highlights};
} // namespace search_hit
inline constexpr Shape SearchHitShape
    = objectShape("SearchHit", search_hit::All, "One message that matched a search (§5.23).");

namespace search_results {
inline constexpr Member Hits = arrayOf("hits", SearchHitShape);
inline constexpr Member HasMore = described(boolean("hasMore"), "a page at offset + hits exists");
inline constexpr std::array<const Member *, 2> All {&Hits, &HasMore};
} // namespace search_results
inline constexpr Shape SearchResultsShape
    = objectShape("SearchResults", search_results::All, "search (§5.23): ranked hits.");

namespace context_page {
inline constexpr Member Room = integer("room", 1);
inline constexpr Member Events = arrayOf("events", RoomEventShape);
inline constexpr Member HasMoreBefore = boolean("hasMoreBefore");
inline constexpr Member HasMoreAfter = boolean("hasMoreAfter");
inline constexpr std::array<const Member *, 4> All {&Room, &Events, &HasMoreBefore, &HasMoreAfter};
} // namespace context_page
inline constexpr Shape ContextPageShape = objectShape(
    "ContextPage", context_page::All, "context (§5.24): the events around a seq, oldest first.");

namespace upload_state {
inline constexpr Member Upload = integer("upload", 1);
inline constexpr Member Size = described(integer("size", 0), "the size declared by upload_begin");
inline constexpr Member Offset
    = described(integer("offset", 0), "bytes durably stored; the next chunk starts here");
inline constexpr std::array<const Member *, 3> All {&Upload, &Size, &Offset};
} // namespace upload_state
inline constexpr Shape UploadStateShape = objectShape(
    "UploadState", upload_state::All, "upload_begin and upload_status (§5.25, §5.26).");

namespace file_result {
inline constexpr Member File = object("file", FileShape);
inline constexpr std::array<const Member *, 1> All {&File};
} // namespace file_result
inline constexpr Shape FileResultShape
    = objectShape("FileResult", file_result::All, "upload_finish (§5.27): the stored file.");

namespace download_started {
inline constexpr Member File = object("file", FileShape);
inline constexpr Member Stream
    = described(integer("stream", 1), "names the binary frames that carry the bytes (§16.2)");
inline constexpr Member Offset = integer("offset", 0);
inline constexpr Member Length = described(integer("length", 0), "bytes that follow");
inline constexpr Member Total
    = described(integer("total", 0), "size of what is read: the file or its thumbnail");
inline constexpr Member Type
    = described(string("mimeType", 1), "MIME type of what is read: the file's or its thumbnail's");
inline constexpr std::array<const Member *, 6> All {
    &File, &Stream, &Offset, &Length, &Total, &Type};
} // namespace download_started
inline constexpr Shape DownloadStartedShape = objectShape("DownloadStarted", download_started::All,
    "download (§5.29): binary frames with length bytes follow.");

/*! \brief The `data` of the result that answers a request of \a type. */
constexpr const Shape &resultShape(RequestType type)
{
    switch (type) {
    case RequestType::Register:
    case RequestType::Login:
    case RequestType::Authenticate:
        return SignedInShape;
    case RequestType::ListRooms:
        return DirectoryShape;
    case RequestType::CreateRoom:
    case RequestType::Join:
    case RequestType::OpenDirect:
        return RoomResultShape;
    case RequestType::Leave:
    case RequestType::SetTopic:
    case RequestType::Invite:
    case RequestType::Kick:
    case RequestType::Ban:
    case RequestType::Unban:
    case RequestType::Mute:
    case RequestType::Unmute:
    case RequestType::SetRole:
    case RequestType::SetRoom:
    case RequestType::Edit:
    case RequestType::Redact:
    case RequestType::React:
    case RequestType::Unreact:
        return EventSeqShape;
    case RequestType::Search:
        return SearchResultsShape;
    case RequestType::Context:
        return ContextPageShape;
    case RequestType::Send:
        return SendAckShape;
    case RequestType::History:
        return HistoryPageShape;
    case RequestType::Sync:
        return SyncResultShape;
    case RequestType::MarkRead:
        return ReadStateShape;
    case RequestType::Members:
        return MemberListShape;
    case RequestType::Ping:
        return PongShape;
    case RequestType::UploadBegin:
    case RequestType::UploadStatus:
        return UploadStateShape;
    case RequestType::UploadFinish:
        return FileResultShape;
    case RequestType::Download:
        return DownloadStartedShape;
    case RequestType::Users:
        return UserListShape;
    case RequestType::SetUser:
        return UserResultShape;
    case RequestType::ServerSettings:
    case RequestType::SetServerSettings:
        return ServerSettingsShape;
    case RequestType::CreateInvite:
        return InviteCodeShape;
    case RequestType::Audit:
        return AuditPageShape;
    case RequestType::ChangePassword:
        return PasswordChangedShape;
    case RequestType::Sessions:
        return SessionListShape;
    case RequestType::SetProfile:
        return ProfileShape;
    case RequestType::OpenGroup:
        return RoomResultShape;
    case RequestType::AddToGroup:
        return EventSeqShape;
    case RequestType::RevokeSession:
    case RequestType::DeleteAccount:
    case RequestType::SetNotify:
    case RequestType::SetDnd:
    case RequestType::DeclineInvite:
    case RequestType::Logout:
    case RequestType::LogoutAll:
    case RequestType::Typing:
    case RequestType::UploadCancel:
        break;
    }
    return EmptyShape;
}

/*! \brief Every shape a result's `data` can have, for a frame read without its request. */
inline constexpr std::array<const Shape *, 24> ResultDataShapes {&SignedInShape, &EmptyShape,
    &PongShape, &SendAckShape, &EventSeqShape, &HistoryPageShape, &SyncResultShape, &ReadStateShape,
    &MemberListShape, &RoomResultShape, &DirectoryShape, &SearchResultsShape, &ContextPageShape,
    &UploadStateShape, &FileResultShape, &DownloadStartedShape, &UserListShape, &UserResultShape,
    &ServerSettingsShape, &InviteCodeShape, &AuditPageShape, &PasswordChangedShape,
    &SessionListShape, &ProfileShape};
inline constexpr Shape ResultDataShape = unionShape("ResultData", ResultDataShapes,
    "The data of any result; which one depends on the request "
    "(see the replies in $defs).");

} // namespace confab::protocol::wire
