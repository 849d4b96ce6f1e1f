// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "protocol/errorcode.h"
#include "protocol/hello.h"
#include "protocol/resultshapes.h"
#include "protocol/serverframe.h"

#include <climits>

/*!
 * \file
 * \brief Every frame the server sends (§2.1, §3.2, §6): hello, the two replies and the
 * pushes. frames:: and Hello encode with these members' names.
 */
namespace confab::protocol::wire {

/*! \brief `type`, the member every server frame has. */
constexpr Member frameType(ServerFrameType type)
{
    return constant("type", ServerFrameTypeNames.toName(type));
}

namespace hello_limits {
inline constexpr Member MaxFrameBytes = integer("maxFrameBytes", 1, INT_MAX);
inline constexpr Member MaxTextBytes = integer("maxTextBytes", 1, INT_MAX);
inline constexpr Member HistoryPageMax = integer("historyPageMax", 1, INT_MAX);
inline constexpr Member ResumeMax = integer("resumeMax", 1, INT_MAX);
inline constexpr Member RatePerSecond = integer("ratePerSecond", 1, INT_MAX);
inline constexpr Member RateBurst = integer("rateBurst", 1, INT_MAX);
inline constexpr Member AuthTimeoutMs = integer("authTimeoutMs", 1, INT_MAX);
inline constexpr Member TypingTtlMs = integer("typingTtlMs", 1, INT_MAX);
inline constexpr Member HeartbeatIntervalMs = integer("heartbeatIntervalMs", 1, INT_MAX);
// Files (§16): announced with the `files` feature.
inline constexpr Member MaxFileBytes
    = optional(integer("maxFileBytes", 0), "with the files feature: largest upload_begin.size");
inline constexpr Member MaxChunkBytes = optional(
    integer("maxChunkBytes", 1, INT_MAX), "with the files feature: largest binary frame data");
inline constexpr Member DownloadWindowBytes = optional(
    integer("downloadWindowBytes", 1), "with the files feature: largest download.length");
inline constexpr Member UploadsInFlight = optional(
    integer("uploadsInFlight", 1, INT_MAX), "with the files feature: unfinished uploads per user");
inline constexpr Member QuotaBytes = optional(
    integer("quotaBytes", 0), "with the files feature: stored bytes per user, 0 for no quota");
inline constexpr Member ChunkRatePerSecond = optional(integer("chunkRatePerSecond", 1, INT_MAX),
    "with the files feature: upload chunks per second per connection");
inline constexpr Member UploadExpiryHours = optional(integer("uploadExpiryHours", 1, INT_MAX),
    "with the files feature: idle hours before an unfinished upload is deleted");
inline constexpr std::array<const Member *, 16> All {&MaxFrameBytes, &MaxTextBytes, &HistoryPageMax,
    &ResumeMax, &RatePerSecond, &RateBurst, &AuthTimeoutMs, &TypingTtlMs, &HeartbeatIntervalMs,
    &MaxFileBytes, &MaxChunkBytes, &DownloadWindowBytes, &UploadsInFlight, &QuotaBytes,
    &ChunkRatePerSecond, &UploadExpiryHours};
} // namespace hello_limits
inline constexpr Shape LimitsShape = objectShape(
    "Limits", hello_limits::All, "The limits this server enforces, as configured (§13).");

namespace hello {
inline constexpr auto RegistrationValues = RegistrationModeNames.names();
inline constexpr Member Type = frameType(ServerFrameType::Hello);
inline constexpr Member Protocol = described(integer("protocol", 1), "wire protocol version (§15)");
inline constexpr Member Server
    = described(string("server"), "\"confabd/<version>\", informational only");
inline constexpr Member Registration = oneOf("registration", RegistrationValues);
inline constexpr Member LimitsObject = object("limits", LimitsShape);
inline constexpr Member Features
    = described(arrayOfStrings("features", 1), "optional capabilities (§2.1)");
// Who the server is (§19): stable across restarts, addresses and moves.
inline constexpr Member ServerId = optional(
    string("serverId", 36, 36), "the server's id, a UUID made on its first start (§19.1)");
inline constexpr Member Name
    = optional(string("name", 1, 64), "the server's name, for lists of servers (§19.1)");
inline constexpr Member Fingerprint = optional(string("fingerprint", 64, 64),
    "on wss:// only: SHA-256 of the served certificate's public key, hex (§19.2)");
inline constexpr Member MovedTo = optional(
    string("movedTo", 1, 2048), "the ws:// or wss:// URL this server moved to; follow it (§19.6)");
inline constexpr std::array<const Member *, 10> All {&Type, &Protocol, &Server, &Registration,
    &LimitsObject, &Features, &ServerId, &Name, &Fingerprint, &MovedTo};
} // namespace hello
inline constexpr Shape HelloShape
    = objectShape("Hello", hello::All, "The first frame on every accepted connection (§2.1).");

namespace result {
inline constexpr Member Type = frameType(ServerFrameType::Result);
inline constexpr Member Id = described(requestId("id", false), "the request's id");
inline constexpr Member Data = object("data", ResultDataShape);
inline constexpr std::array<const Member *, 3> All {&Type, &Id, &Data};
} // namespace result
inline constexpr Shape ResultShape
    = objectShape("Result", result::All, "A successful reply (§3.2).");

namespace error {
inline constexpr auto CodeValues = ErrorCodeNames.names();
inline constexpr Member Type = frameType(ServerFrameType::Error);
inline constexpr Member Id
    = described(requestId("id", true), "the request's id; null when it could not be read");
inline constexpr Member Code = oneOf("code", CodeValues);
inline constexpr Member Message = described(string("message"), "English, for humans; do not parse");
inline constexpr Member Field = optional(string("field", 0, MaxQuotedNameLength),
    "the offending request member, when validation failed");
inline constexpr Member RetryAfterMs
    = optional(integer("retryAfterMs", 0), "with rate_limited and throttled");
// Details of the file errors (§5.25-5.29, §16.2).
inline constexpr Member Upload
    = optional(integer("upload", 0), "errors about an upload chunk: the upload id it named");
inline constexpr Member Expected = optional(
    integer("expected", 0), "bad_offset and too_large of a chunk: where the next chunk must start");
inline constexpr Member Offset
    = optional(integer("offset", 0), "upload_incomplete: the bytes durably stored");
inline constexpr Member Limit = optional(
    integer("limit", 0), "too_many_uploads and too_large of upload_begin: the limit passed");
inline constexpr Member QuotaBytes = optional(integer("quotaBytes", 0), "quota_exceeded");
inline constexpr Member UsedBytes
    = optional(integer("usedBytes", 0), "quota_exceeded: bytes already counted");
inline constexpr Member Sha256 = optional(string("sha256", Sha256HexLength, Sha256HexLength),
    "hash_mismatch: the SHA-256 of the bytes that arrived");
inline constexpr Member File
    = optional(integer("file", 1), "not_found of send.attachments: the file that may not be read");
inline constexpr Member Until = optional(
    integer("until", 0), "banned and muted: when the ban or mute ends; absent when it has no end");
inline constexpr std::array<const Member *, 15> All {&Type, &Id, &Code, &Message, &Field,
    &RetryAfterMs, &Upload, &Expected, &Offset, &Limit, &QuotaBytes, &UsedBytes, &Sha256, &File,
    &Until};
} // namespace error
inline constexpr Shape ErrorShape = objectShape(
    "Error", error::All, "A failed reply, or a connection-level error when id is null (§3.2).");

namespace event_push {
inline constexpr Member Type = frameType(ServerFrameType::Event);
inline constexpr Member Event = object("event", RoomEventShape);
inline constexpr std::array<const Member *, 2> All {&Type, &Event};
} // namespace event_push
inline constexpr Shape EventPushShape
    = objectShape("EventPush", event_push::All, "A new entry in a room's log (§6.1).");

namespace room_push {
inline constexpr Member Type = frameType(ServerFrameType::Room);
inline constexpr Member Room = object("room", RoomSummaryShape);
inline constexpr std::array<const Member *, 2> All {&Type, &Room};
} // namespace room_push
inline constexpr Shape RoomPushShape = objectShape(
    "RoomPush", room_push::All, "A room was added to your list or its summary changed (§6.2).");

namespace unread_push {
inline constexpr Member Type = frameType(ServerFrameType::Unread);
inline constexpr std::array<const Member *, 5> All {
    &Type, &read_state::Room, &read_state::ReadSeq, &read_state::Unread, &read_state::Mentions};
} // namespace unread_push
inline constexpr Shape UnreadPushShape
    = objectShape("UnreadPush", unread_push::All, "Authoritative read state for one room (§6.3).");

namespace presence_push {
inline constexpr Member Type = frameType(ServerFrameType::Presence);
inline constexpr Member Online = arrayOfStrings("online", 1, MaxUsernameLength);
inline constexpr Member Offline = arrayOfStrings("offline", 1, MaxUsernameLength);
inline constexpr std::array<const Member *, 3> All {&Type, &Online, &Offline};
} // namespace presence_push
inline constexpr Shape PresencePushShape
    = objectShape("PresencePush", presence_push::All, "Users came online or went offline (§6.4).");

namespace typing_push {
inline constexpr Member Type = frameType(ServerFrameType::Typing);
inline constexpr Member Room = integer("room", 1);
inline constexpr Member User = string("user", 1, MaxUsernameLength);
inline constexpr Member Typing = boolean("typing");
inline constexpr std::array<const Member *, 4> All {&Type, &Room, &User, &Typing};
} // namespace typing_push
inline constexpr Shape TypingPushShape
    = objectShape("TypingPush", typing_push::All, "A user started or stopped typing (§6.5).");

namespace directory_push {
inline constexpr Member Type = frameType(ServerFrameType::Directory);
inline constexpr Member Room = object("room", DirectoryEntryShape);
inline constexpr std::array<const Member *, 2> All {&Type, &Room};
} // namespace directory_push
inline constexpr Shape DirectoryPushShape = objectShape(
    "DirectoryPush", directory_push::All, "A channel was created or its entry changed (§6.6).");

namespace uploaded_push {
inline constexpr Member Type = frameType(ServerFrameType::Uploaded);
inline constexpr Member Upload = integer("upload", 1);
inline constexpr Member Offset = described(integer("offset", 0), "bytes [0, offset) are durable");
inline constexpr std::array<const Member *, 3> All {&Type, &Upload, &Offset};
} // namespace uploaded_push
inline constexpr Shape UploadedPushShape = objectShape(
    "UploadedPush", uploaded_push::All, "Bytes of an upload are durable (§6.7, §16.1).");

namespace invited_push {
inline constexpr Member Type = frameType(ServerFrameType::Invited);
inline constexpr Member Invite = object("invite", InvitationShape);
inline constexpr std::array<const Member *, 2> All {&Type, &Invite};
} // namespace invited_push
inline constexpr Shape InvitedPushShape
    = objectShape("InvitedPush", invited_push::All, "You were invited to a channel (§17.6).");

namespace invite_removed_push {
inline constexpr Member Type = frameType(ServerFrameType::InviteRemoved);
inline constexpr Member Room = integer("room", 1);
inline constexpr std::array<const Member *, 2> All {&Type, &Room};
} // namespace invite_removed_push
inline constexpr Shape InviteRemovedPushShape = objectShape(
    "InviteRemovedPush", invite_removed_push::All, "Your invitation to room ended (§17.6).");

namespace unlisted_push {
inline constexpr Member Type = frameType(ServerFrameType::Unlisted);
inline constexpr Member Room = integer("room", 1);
inline constexpr std::array<const Member *, 2> All {&Type, &Room};
} // namespace unlisted_push
inline constexpr Shape UnlistedPushShape = objectShape("UnlistedPush", unlisted_push::All,
    "Channel room became private and is no longer yours to see (§17.6).");

namespace profile_push {
inline constexpr Member Type = frameType(ServerFrameType::Profile);
inline constexpr Member Profile = object("profile", ProfileShape);
inline constexpr std::array<const Member *, 2> All {&Type, &Profile};
} // namespace profile_push
inline constexpr Shape ProfilePushShape = objectShape("ProfilePush", profile_push::All,
    "A user who shares a room with you, or you, changed their profile (§18.2).");

namespace dnd_push {
inline constexpr Member Type = frameType(ServerFrameType::Dnd);
inline constexpr Member Until
    = described(integer("until", 0), "when do-not-disturb ends, ms since the epoch; 0: off");
inline constexpr std::array<const Member *, 2> All {&Type, &Until};
} // namespace dnd_push
inline constexpr Shape DndPushShape = objectShape(
    "DndPush", dnd_push::All, "Your do-not-disturb changed, on another device too (§18.3).");

namespace moved_push {
inline constexpr Member Type = frameType(ServerFrameType::Moved);
inline constexpr Member Url
    = described(string("url", 1, 2048), "the ws:// or wss:// URL the server moved to");
inline constexpr std::array<const Member *, 2> All {&Type, &Url};
} // namespace moved_push
inline constexpr Shape MovedPushShape = objectShape("MovedPush", moved_push::All,
    "The server moved to another address, with the same id and key (§19.6).");

/*! \brief The shape of each server frame type, in ServerFrameType order. */
inline constexpr std::array<const Shape *, 16> ServerFrameShapes {&HelloShape, &ResultShape,
    &ErrorShape, &EventPushShape, &RoomPushShape, &UnreadPushShape, &PresencePushShape,
    &TypingPushShape, &DirectoryPushShape, &UploadedPushShape, &InvitedPushShape,
    &InviteRemovedPushShape, &UnlistedPushShape, &ProfilePushShape, &DndPushShape, &MovedPushShape};
static_assert(ServerFrameShapes.size() == ServerFrameTypeNames.size());
inline constexpr Shape ServerFrameShape = unionShape(
    "ServerFrame", ServerFrameShapes, "Any frame the server sends, told apart by type.");

} // namespace confab::protocol::wire
