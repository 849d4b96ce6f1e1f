// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QtGlobal>

namespace confab::protocol {

/*!
 * \brief Limits that both ends must agree on; the server announces its own in hello.
 *
 * The defaults are what a stock confabd uses. Validation takes them as a
 * parameter so an operator's configuration is what gets enforced.
 */
struct Limits
{
    int maxFrameBytes = 64 * 1024; //!< largest WebSocket message accepted
    int maxTextBytes = 16 * 1024; //!< largest message body, UTF-8 bytes
    int historyPageMax = 200; //!< most events one history reply carries
    int resumeMax = 500; //!< most events sync replays per room
    int ratePerSecond = 20; //!< sustained requests per second per connection
    int rateBurst = 60; //!< bucket size of that rate limit
    int authTimeoutMs = 10'000; //!< time to authenticate after connecting
    int typingTtlMs = 6'000; //!< a typing indicator's life without refresh
    int heartbeatIntervalMs = 30'000; //!< server ping interval
    // Files (§16); announced with the `files` feature.
    qint64 maxFileBytes = 100 * 1024 * 1024; //!< largest upload_begin.size
    int maxChunkBytes = 256 * 1024; //!< largest data part of a binary frame
    qint64 downloadWindowBytes = 8 * 1024 * 1024; //!< largest download.length
    int uploadsInFlight = 20; //!< unfinished uploads per user
    qint64 quotaBytes = qint64(10) * 1024 * 1024 * 1024; //!< stored bytes per user; 0: none
    int chunkRatePerSecond = 2'000; //!< upload chunks per second per connection (and burst)
    int uploadExpiryHours = 24; //!< idle time before an unfinished upload is deleted

    friend bool operator==(const Limits &, const Limits &) = default;
};

inline constexpr int MaxUsernameLength = 32;
inline constexpr int MaxRoomNameLength = 64;
inline constexpr int MaxTopicLength = 512;
inline constexpr int MaxTxnLength = 64;
inline constexpr int MaxRequestIdLength = 64;
// An unknown type or member name is quoted in an error (and its `field`) cut to this length.
inline constexpr int MaxQuotedNameLength = 64;
inline constexpr int MaxPasswordLength = 1024;
inline constexpr int MinPasswordLength = 8;
inline constexpr int MaxTokenLength = 128;
inline constexpr int MaxInviteCodeLength = 64;
inline constexpr int MaxSyncRooms = 10'000;
// A reaction key is one emoji; the longest RGI sequences (families, flags of regions) are
// under 16 UTF-16 units.
inline constexpr int MaxReactionKeyLength = 32;
// Distinct reaction keys on one message, as in Slack and Discord.
inline constexpr int MaxReactionKeys = 20;
// Names listed per reaction key in a message's state; `count` gives the rest.
inline constexpr int ReactionUsersListed = 20;
inline constexpr int MaxSearchQueryLength = 256;
// Search ranks the newest matches up to this many; `offset` pages within them.
inline constexpr int SearchCandidateCap = 1'000;
inline constexpr int SearchPageDefault = 20;
inline constexpr int MaxFileNameLength = 255;
inline constexpr int Sha256HexLength = 64;
// Files one message carries.
inline constexpr int MaxAttachments = 10;
// Bytes of a binary frame's header before its data (§16.2).
inline constexpr int FileFrameHeaderBytes = 17;
// Longest side of a thumbnail the server makes (§16.5).
inline constexpr int ThumbnailMaxSide = 400;
// Largest integer a JSON double carries exactly; ids and sequences stay below it.
inline constexpr qint64 MaxSafeInteger = (qint64(1) << 53) - 1;

} // namespace confab::protocol
