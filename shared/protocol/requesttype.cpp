// SPDX-License-Identifier: GPL-3.0-or-later
#include "protocol/requesttype.h"

#include <array>

using namespace Qt::StringLiterals;

namespace confab::protocol {

namespace {
using K = FieldKind;

constexpr std::array<FieldSpec, 4> RegisterFields {{
    {"username"_L1, K::Username, true},
    {"password"_L1, K::Password, true},
    {"invite"_L1, K::InviteCode, false},
    {"device"_L1, K::DeviceName, false},
}};
constexpr std::array<FieldSpec, 3> LoginFields {{
    {"username"_L1, K::Username, true},
    {"password"_L1, K::Password, true},
    {"device"_L1, K::DeviceName, false},
}};
constexpr std::array<FieldSpec, 1> AuthenticateFields {{{"token"_L1, K::Token, true}}};
constexpr std::array<FieldSpec, 3> CreateRoomFields {{
    {"name"_L1, K::RoomName, true},
    {"topic"_L1, K::Topic, false},
    {"private"_L1, K::Boolean, false},
}};
constexpr std::array<FieldSpec, 1> RoomFields {{{"room"_L1, K::Id, true}}};
constexpr std::array<FieldSpec, 2> SetTopicFields {{
    {"room"_L1, K::Id, true},
    {"topic"_L1, K::Topic, true},
}};
constexpr std::array<FieldSpec, 1> OpenDirectFields {{{"user"_L1, K::Username, true}}};
constexpr std::array<FieldSpec, 5> SendFields {{
    {"room"_L1, K::Id, true},
    {"txn"_L1, K::Txn, true},
    {"text"_L1, K::Text, true, "attachments"_L1},
    {"replyTo"_L1, K::Id, false},
    {"attachments"_L1, K::FileIds, false},
}};
constexpr std::array<FieldSpec, 3> UploadBeginFields {{
    {"name"_L1, K::FileName, true},
    {"size"_L1, K::FileSize, true},
    {"sha256"_L1, K::Sha256, false},
}};
constexpr std::array<FieldSpec, 1> UploadFields {{{"upload"_L1, K::Id, true}}};
constexpr std::array<FieldSpec, 4> DownloadFields {{
    {"file"_L1, K::Id, true},
    {"offset"_L1, K::FileSize, false},
    {"length"_L1, K::FileSize, false},
    {"thumbnail"_L1, K::Boolean, false},
}};
constexpr std::array<FieldSpec, 3> EditFields {{
    {"room"_L1, K::Id, true},
    {"target"_L1, K::Id, true},
    {"text"_L1, K::Text, true},
}};
constexpr std::array<FieldSpec, 2> RedactFields {{
    {"room"_L1, K::Id, true},
    {"target"_L1, K::Id, true},
}};
constexpr std::array<FieldSpec, 3> ReactFields {{
    {"room"_L1, K::Id, true},
    {"target"_L1, K::Id, true},
    {"key"_L1, K::ReactionKey, true},
}};
constexpr std::array<FieldSpec, 7> SearchFields {{
    {"query"_L1, K::SearchQuery, true},
    {"room"_L1, K::Id, false},
    {"sender"_L1, K::Username, false},
    {"after"_L1, K::Timestamp, false},
    {"before"_L1, K::Timestamp, false},
    {"limit"_L1, K::PageSize, false},
    {"offset"_L1, K::Offset, false},
}};
constexpr std::array<FieldSpec, 3> ContextFields {{
    {"room"_L1, K::Id, true},
    {"seq"_L1, K::Id, true},
    {"limit"_L1, K::PageSize, false},
}};
constexpr std::array<FieldSpec, 4> HistoryFields {{
    {"room"_L1, K::Id, true},
    {"before"_L1, K::Seq, false},
    {"after"_L1, K::Seq, false},
    {"limit"_L1, K::PageSize, false},
}};
constexpr std::array<FieldSpec, 1> SyncFields {{{"rooms"_L1, K::Cursors, true}}};
constexpr std::array<FieldSpec, 2> MarkReadFields {{
    {"room"_L1, K::Id, true},
    {"seq"_L1, K::Seq, true},
}};
constexpr std::array<FieldSpec, 2> TypingFields {{
    {"room"_L1, K::Id, true},
    {"typing"_L1, K::Boolean, true},
}};

constexpr std::array<FieldSpec, 2> RoomUserFields {{
    {"room"_L1, K::Id, true},
    {"user"_L1, K::Username, true},
}};
constexpr std::array<FieldSpec, 3> KickFields {{
    {"room"_L1, K::Id, true},
    {"user"_L1, K::Username, true},
    {"reason"_L1, K::Reason, false},
}};
constexpr std::array<FieldSpec, 4> SanctionFields {{
    {"room"_L1, K::Id, true},
    {"user"_L1, K::Username, true},
    {"reason"_L1, K::Reason, false},
    {"duration"_L1, K::Duration, false},
}};
constexpr std::array<FieldSpec, 3> SetRoleFields {{
    {"room"_L1, K::Id, true},
    {"user"_L1, K::Username, true},
    {"role"_L1, K::Role, true},
}};
// At least one setting: private is required unless invitesBy is there.
constexpr std::array<FieldSpec, 3> SetRoomFields {{
    {"room"_L1, K::Id, true},
    {"private"_L1, K::Boolean, true, "invitesBy"_L1},
    {"invitesBy"_L1, K::InvitePolicy, false},
}};
constexpr std::array<FieldSpec, 2> UsersFields {{
    {"query"_L1, K::SearchQuery, false},
    {"limit"_L1, K::PageSize, false},
}};
constexpr std::array<FieldSpec, 3> SetUserFields {{
    {"user"_L1, K::Username, true},
    {"disabled"_L1, K::Boolean, true, "admin"_L1},
    {"admin"_L1, K::Boolean, false},
}};
constexpr std::array<FieldSpec, 1> SetServerSettingsFields {{
    {"registration"_L1, K::Registration, true},
}};
constexpr std::array<FieldSpec, 1> CreateInviteFields {{{"uses"_L1, K::InviteUses, false}}};
constexpr std::array<FieldSpec, 2> AuditFields {{
    {"before"_L1, K::Id, false},
    {"limit"_L1, K::PageSize, false},
}};

constexpr std::array<FieldSpec, 3> ChangePasswordFields {{
    {"password"_L1, K::Password, true},
    {"newPassword"_L1, K::Password, true},
    {"revokeOthers"_L1, K::Boolean, false},
}};
constexpr std::array<FieldSpec, 1> RevokeSessionFields {{{"session"_L1, K::Id, true}}};
constexpr std::array<FieldSpec, 1> DeleteAccountFields {{{"password"_L1, K::Password, true}}};
// At least one of the three; the server checks that (§18.2), as waivedBy names only one.
constexpr std::array<FieldSpec, 3> SetProfileFields {{
    {"displayName"_L1, K::DisplayName, false},
    {"status"_L1, K::Status, false},
    {"avatar"_L1, K::Seq, false},
}};
constexpr std::array<FieldSpec, 2> SetNotifyFields {{
    {"room"_L1, K::Id, true},
    {"level"_L1, K::NotifyLevel, true},
}};
constexpr std::array<FieldSpec, 1> SetDndFields {{{"until"_L1, K::Timestamp, true}}};
constexpr std::array<FieldSpec, 2> OpenGroupFields {{
    {"users"_L1, K::Usernames, true},
    {"name"_L1, K::RoomName, false},
}};

struct TypeEntry
{
    RequestType type;
    std::span<const FieldSpec> fields;
    bool beforeAuth;
};

const std::array Types {
    TypeEntry {RequestType::Register, RegisterFields, true},
    TypeEntry {RequestType::Login, LoginFields, true},
    TypeEntry {RequestType::Authenticate, AuthenticateFields, true},
    TypeEntry {RequestType::Logout, {}, false},
    TypeEntry {RequestType::LogoutAll, {}, false},
    TypeEntry {RequestType::ListRooms, {}, false},
    TypeEntry {RequestType::CreateRoom, CreateRoomFields, false},
    TypeEntry {RequestType::Join, RoomFields, false},
    TypeEntry {RequestType::Leave, RoomFields, false},
    TypeEntry {RequestType::SetTopic, SetTopicFields, false},
    TypeEntry {RequestType::OpenDirect, OpenDirectFields, false},
    TypeEntry {RequestType::Send, SendFields, false},
    TypeEntry {RequestType::History, HistoryFields, false},
    TypeEntry {RequestType::Sync, SyncFields, false},
    TypeEntry {RequestType::MarkRead, MarkReadFields, false},
    TypeEntry {RequestType::Typing, TypingFields, false},
    TypeEntry {RequestType::Members, RoomFields, false},
    TypeEntry {RequestType::Ping, {}, true},
    TypeEntry {RequestType::Edit, EditFields, false},
    TypeEntry {RequestType::Redact, RedactFields, false},
    TypeEntry {RequestType::React, ReactFields, false},
    TypeEntry {RequestType::Unreact, ReactFields, false},
    TypeEntry {RequestType::Search, SearchFields, false},
    TypeEntry {RequestType::Context, ContextFields, false},
    TypeEntry {RequestType::UploadBegin, UploadBeginFields, false},
    TypeEntry {RequestType::UploadStatus, UploadFields, false},
    TypeEntry {RequestType::UploadFinish, UploadFields, false},
    TypeEntry {RequestType::UploadCancel, UploadFields, false},
    TypeEntry {RequestType::Download, DownloadFields, false},
    TypeEntry {RequestType::Invite, RoomUserFields, false},
    TypeEntry {RequestType::DeclineInvite, RoomFields, false},
    TypeEntry {RequestType::Kick, KickFields, false},
    TypeEntry {RequestType::Ban, SanctionFields, false},
    TypeEntry {RequestType::Unban, RoomUserFields, false},
    TypeEntry {RequestType::Mute, SanctionFields, false},
    TypeEntry {RequestType::Unmute, RoomUserFields, false},
    TypeEntry {RequestType::SetRole, SetRoleFields, false},
    TypeEntry {RequestType::SetRoom, SetRoomFields, false},
    TypeEntry {RequestType::Users, UsersFields, false},
    TypeEntry {RequestType::SetUser, SetUserFields, false},
    TypeEntry {RequestType::ServerSettings, {}, false},
    TypeEntry {RequestType::SetServerSettings, SetServerSettingsFields, false},
    TypeEntry {RequestType::CreateInvite, CreateInviteFields, false},
    TypeEntry {RequestType::Audit, AuditFields, false},
    TypeEntry {RequestType::ChangePassword, ChangePasswordFields, false},
    TypeEntry {RequestType::Sessions, {}, false},
    TypeEntry {RequestType::RevokeSession, RevokeSessionFields, false},
    TypeEntry {RequestType::DeleteAccount, DeleteAccountFields, false},
    TypeEntry {RequestType::SetProfile, SetProfileFields, false},
    TypeEntry {RequestType::SetNotify, SetNotifyFields, false},
    TypeEntry {RequestType::SetDnd, SetDndFields, false},
    TypeEntry {RequestType::OpenGroup, OpenGroupFields, false},
    TypeEntry {RequestType::AddToGroup, RoomUserFields, false},
};

const TypeEntry *entryFor(RequestType type)
{
    for (const auto &e : Types) {
        if (e.type == type)
            return &e;
    }
    return nullptr;
}
} // namespace

bool allowedBeforeAuthentication(RequestType type)
{
    const auto *e = entryFor(type);
    return e && e->beforeAuth;
}

QLatin1StringView requestTypeName(RequestType type)
{
    return RequestTypeNames.toName(type);
}

std::optional<RequestType> requestTypeFromName(QStringView name)
{
    return RequestTypeNames.fromName(name);
}

std::span<const FieldSpec> requestFields(RequestType type)
{
    const auto *e = entryFor(type);
    return e ? e->fields : std::span<const FieldSpec>();
}

} // namespace confab::protocol
