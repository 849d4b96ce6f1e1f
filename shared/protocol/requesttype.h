// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "protocol/enumnames.h"

#include <QLatin1StringView>
#include <QString>
#include <optional>
#include <span>

namespace confab::protocol {

/*!
 * \brief Every request a client may send. Append only: the wire form is the
 * name returned by requestTypeName(), the number is internal.
 */
enum class RequestType
{
    Register,
    Login,
    Authenticate,
    Logout,
    LogoutAll,
    ListRooms,
    CreateRoom,
    Join,
    Leave,
    SetTopic,
    OpenDirect,
    Send,
    History,
    Sync,
    MarkRead,
    Typing,
    Members,
    Ping,
    Edit,
    Redact,
    React,
    Unreact,
    Search,
    Context,
    UploadBegin,
    UploadStatus,
    UploadFinish,
    UploadCancel,
    Download,
    Invite,
    DeclineInvite,
    Kick,
    Ban,
    Unban,
    Mute,
    Unmute,
    SetRole,
    SetRoom,
    Users,
    SetUser,
    ServerSettings,
    SetServerSettings,
    CreateInvite,
    Audit,
    ChangePassword,
    Sessions,
    RevokeSession,
    DeleteAccount,
    SetProfile,
    SetNotify,
    SetDnd,
    OpenGroup,
    AddToGroup,
};

inline constexpr auto RequestTypeNames = enumNames<RequestType>({
    {RequestType::Register, "register"},
    {RequestType::Login, "login"},
    {RequestType::Authenticate, "authenticate"},
    {RequestType::Logout, "logout"},
    {RequestType::LogoutAll, "logout_all"},
    {RequestType::ListRooms, "list_rooms"},
    {RequestType::CreateRoom, "create_room"},
    {RequestType::Join, "join"},
    {RequestType::Leave, "leave"},
    {RequestType::SetTopic, "set_topic"},
    {RequestType::OpenDirect, "open_direct"},
    {RequestType::Send, "send"},
    {RequestType::History, "history"},
    {RequestType::Sync, "sync"},
    {RequestType::MarkRead, "mark_read"},
    {RequestType::Typing, "typing"},
    {RequestType::Members, "members"},
    {RequestType::Ping, "ping"},
    {RequestType::Edit, "edit"},
    {RequestType::Redact, "redact"},
    {RequestType::React, "react"},
    {RequestType::Unreact, "unreact"},
    {RequestType::Search, "search"},
    {RequestType::Context, "context"},
    {RequestType::UploadBegin, "upload_begin"},
    {RequestType::UploadStatus, "upload_status"},
    {RequestType::UploadFinish, "upload_finish"},
    {RequestType::UploadCancel, "upload_cancel"},
    {RequestType::Download, "download"},
    {RequestType::Invite, "invite"},
    {RequestType::DeclineInvite, "decline_invite"},
    {RequestType::Kick, "kick"},
    {RequestType::Ban, "ban"},
    {RequestType::Unban, "unban"},
    {RequestType::Mute, "mute"},
    {RequestType::Unmute, "unmute"},
    {RequestType::SetRole, "set_role"},
    {RequestType::SetRoom, "set_room"},
    {RequestType::Users, "users"},
    {RequestType::SetUser, "set_user"},
    {RequestType::ServerSettings, "server_settings"},
    {RequestType::SetServerSettings, "set_server_settings"},
    {RequestType::CreateInvite, "create_invite"},
    {RequestType::Audit, "audit"},
    {RequestType::ChangePassword, "change_password"},
    {RequestType::Sessions, "sessions"},
    {RequestType::RevokeSession, "revoke_session"},
    {RequestType::DeleteAccount, "delete_account"},
    {RequestType::SetProfile, "set_profile"},
    {RequestType::SetNotify, "set_notify"},
    {RequestType::SetDnd, "set_dnd"},
    {RequestType::OpenGroup, "open_group"},
    {RequestType::AddToGroup, "add_to_group"},
});

/*!
 * \brief How a request field is checked. Each kind has one rule set in
 * requestcodec.cpp, described field by field in docs/protocol.md.
 */
enum class FieldKind
{
    Username, //!< 1–32 of [A-Za-z0-9_.-], starting with a letter or digit
    Password, //!< 1–1024 characters
    Token, //!< 1–128 characters
    InviteCode, //!< 1–64 characters
    Txn, //!< 1–64 of [A-Za-z0-9_.:-]
    RoomName, //!< 1–64 characters, no control characters, not blank
    Topic, //!< 0–512 characters, no control characters
    Text, //!< message body: 1..maxTextBytes UTF-8, no control characters but \n and \t
    Id, //!< integer 1..2^53-1
    Seq, //!< integer 0..2^53-1
    PageSize, //!< integer 1..historyPageMax
    Boolean, //!< true or false
    Cursors, //!< object: decimal room id -> Seq, at most 10,000 entries
    ReactionKey, //!< one emoji: a single RGI emoji sequence (Unicode UTS #51), <= 32 characters
    SearchQuery, //!< 1–256 characters, no control characters, not blank
    Timestamp, //!< integer 0..2^53-1, ms since the Unix epoch
    Offset, //!< integer 0..SearchCandidateCap-1
    FileName, //!< 1–255 characters, no control characters, not blank, no '/' or '\\'
    FileSize, //!< integer 0..2^53-1
    Sha256, //!< 64 lowercase hex digits
    FileIds, //!< array of 1..MaxAttachments distinct Ids
    Role, //!< "owner", "moderator" or "member"
    InvitePolicy, //!< "members" or "moderators"
    Registration, //!< "open", "invite" or "closed"
    Reason, //!< 0–512 characters, no control characters
    Duration, //!< integer seconds 1..MaxSanctionSeconds
    InviteUses, //!< integer 1..MaxInviteUses
    DisplayName, //!< 0–MaxDisplayNameLength characters, no control characters
    Status, //!< 0–MaxStatusLength characters, no control characters
    DeviceName, //!< 0–MaxDeviceNameLength characters, no control characters
    NotifyLevel, //!< "all", "mentions" or "none"
    Usernames, //!< array of 1..MaxGroupMembers-1 distinct Usernames (case-insensitively)
};

/*! \brief The kinds' names as docs/protocol.md §4 and the JSON Schema's $defs spell them. */
inline constexpr auto FieldKindNames = enumNames<FieldKind>({
    {FieldKind::Username, "Username"},
    {FieldKind::Password, "Password"},
    {FieldKind::Token, "Token"},
    {FieldKind::InviteCode, "InviteCode"},
    {FieldKind::Txn, "Txn"},
    {FieldKind::RoomName, "RoomName"},
    {FieldKind::Topic, "Topic"},
    {FieldKind::Text, "Text"},
    {FieldKind::Id, "Id"},
    {FieldKind::Seq, "Seq"},
    {FieldKind::PageSize, "PageSize"},
    {FieldKind::Boolean, "Boolean"},
    {FieldKind::Cursors, "Cursors"},
    {FieldKind::ReactionKey, "ReactionKey"},
    {FieldKind::SearchQuery, "SearchQuery"},
    {FieldKind::Timestamp, "Timestamp"},
    {FieldKind::Offset, "Offset"},
    {FieldKind::FileName, "FileName"},
    {FieldKind::FileSize, "FileSize"},
    {FieldKind::Sha256, "Sha256"},
    {FieldKind::FileIds, "FileIds"},
    {FieldKind::Role, "Role"},
    {FieldKind::InvitePolicy, "InvitePolicy"},
    {FieldKind::Registration, "Registration"},
    {FieldKind::Reason, "Reason"},
    {FieldKind::Duration, "Duration"},
    {FieldKind::InviteUses, "InviteUses"},
    {FieldKind::DisplayName, "DisplayName"},
    {FieldKind::Status, "Status"},
    {FieldKind::DeviceName, "DeviceName"},
    {FieldKind::NotifyLevel, "NotifyLevel"},
    {FieldKind::Usernames, "Usernames"},
});

struct FieldSpec
{
    QLatin1StringView name;
    FieldKind kind;
    bool required;
    //! A required field that may be left out when this other field is there (send's text
    //! when it carries attachments; set_room's private when it changes invitesBy).
    QLatin1StringView waivedBy {};

    /*! \brief Whether a request with \a fields must carry this one. */
    template<typename Fields> bool requiredIn(const Fields &fields) const
    {
        return required && (waivedBy.isEmpty() || !fields.contains(waivedBy));
    }
};

/*!
 * \brief Whether a request type may be sent before the connection is signed in.
 */
bool allowedBeforeAuthentication(RequestType type);

QLatin1StringView requestTypeName(RequestType type);
std::optional<RequestType> requestTypeFromName(QStringView name);
std::span<const FieldSpec> requestFields(RequestType type);

} // namespace confab::protocol
