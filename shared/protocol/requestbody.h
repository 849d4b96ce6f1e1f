// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "protocol/hello.h"
#include "protocol/limits.h"
#include "protocol/requesttype.h"
#include "protocol/roles.h"
#include "protocol/selfservice.h"

#include <QHash>
#include <QJsonObject>
#include <QList>
#include <QString>
#include <QStringList>
#include <optional>
#include <variant>

/*!
 * \file
 * \brief The fields of each request (protocol §5), one value type per request type.
 *
 * decodeRequest() fills them from fields that already passed their rules, so a handler
 * reads members, never names. A member that is optional on the wire is std::optional.
 */
namespace confab::protocol::body {

struct Register
{
    QString username;
    QString password;
    QString invite; //!< empty when not given
    QString device; //!< the session's name in `sessions` (§18.1); may be empty
};
struct Login
{
    QString username;
    QString password;
    QString device; //!< the session's name in `sessions` (§18.1); may be empty
};
struct Authenticate
{
    QString token;
};
struct Logout
{
};
struct LogoutAll
{
};
struct ListRooms
{
};
struct CreateRoom
{
    QString name;
    QString topic;
    bool isPrivate = false;
};
struct Join
{
    qint64 room = 0;
};
struct Leave
{
    qint64 room = 0;
};
struct SetTopic
{
    qint64 room = 0;
    QString topic;
};
struct OpenDirect
{
    QString user;
};
struct Send
{
    qint64 room = 0;
    QString txn;
    QString text; //!< empty when only attachments are sent
    qint64 replyTo = 0; //!< the seq of the message this answers; 0 when not a reply
    QList<qint64> attachments; //!< file ids, in the order shown
};
struct History
{
    qint64 room = 0;
    std::optional<qint64> before;
    std::optional<qint64> after;
    std::optional<int> limit;
};
struct Sync
{
    QHash<qint64, qint64> cursors; //!< room id -> the client's last seen seq
};
struct MarkRead
{
    qint64 room = 0;
    qint64 seq = 0;
};
struct Typing
{
    qint64 room = 0;
    bool typing = false;
};
struct Members
{
    qint64 room = 0;
};
struct Ping
{
};
struct Edit
{
    qint64 room = 0;
    qint64 target = 0; //!< the message's seq
    QString text;
};
struct Redact
{
    qint64 room = 0;
    qint64 target = 0;
};
//! react and unreact
struct Reaction
{
    qint64 room = 0;
    qint64 target = 0;
    QString key;
};
struct Search
{
    QString query;
    qint64 room = 0; //!< 0: every room the user is a member of
    QString sender; //!< empty: anyone
    std::optional<qint64> after; //!< ms since the epoch, exclusive
    std::optional<qint64> before; //!< ms since the epoch, exclusive
    int limit = SearchPageDefault;
    int offset = 0;
};
struct Context
{
    qint64 room = 0;
    qint64 seq = 0;
    std::optional<int> limit;
};
struct UploadBegin
{
    QString name;
    qint64 size = 0;
    QString sha256; //!< empty when not given
};
//! upload_status, upload_finish and upload_cancel
struct UploadRef
{
    qint64 upload = 0;
};
struct Download
{
    qint64 file = 0;
    qint64 offset = 0;
    std::optional<qint64> length; //!< absent: the rest, capped at downloadWindowBytes
    bool thumbnail = false;
};

//! invite, unban and unmute: a room and a user in it
struct RoomUser
{
    qint64 room = 0;
    QString user;
};
struct DeclineInvite
{
    qint64 room = 0;
};
struct Kick
{
    qint64 room = 0;
    QString user;
    QString reason;
};
//! ban and mute
struct Sanction
{
    qint64 room = 0;
    QString user;
    QString reason;
    std::optional<qint64> durationS; //!< absent: until lifted
};
struct SetRole
{
    qint64 room = 0;
    QString user;
    RoomRole role = RoomRole::Member;
};
struct SetRoom
{
    qint64 room = 0;
    std::optional<bool> isPrivate;
    std::optional<InvitePolicy> invitesBy;
};
// Users listed when `users` gives no limit, and `audit` entries likewise.
inline constexpr int UsersPageDefault = 50;
struct Users
{
    QString query; //!< empty: everyone
    int limit = UsersPageDefault;
};
struct SetUser
{
    QString user;
    std::optional<bool> disabled;
    std::optional<bool> admin;
};
struct ServerSettings
{
};
struct SetServerSettings
{
    RegistrationMode registration = RegistrationMode::Open;
};
struct CreateInvite
{
    int uses = 1;
};
struct Audit
{
    std::optional<qint64> before; //!< an entry id; absent: from the newest
    int limit = UsersPageDefault;
};

struct ChangePassword
{
    QString password; //!< the current one
    QString newPassword;
    bool revokeOthers = false;
};
struct Sessions
{
};
struct RevokeSession
{
    qint64 session = 0;
};
struct DeleteAccount
{
    QString password;
};
//! Each member absent: unchanged. An empty string or avatar 0 clears it.
struct SetProfile
{
    std::optional<QString> displayName;
    std::optional<QString> status;
    std::optional<qint64> avatar; //!< a file id; 0: no avatar
};
struct SetNotify
{
    qint64 room = 0;
    NotifyLevel level = NotifyLevel::All;
};
struct SetDnd
{
    qint64 until = 0; //!< ms since the epoch; 0 (or past): do-not-disturb off
};
struct OpenGroup
{
    QStringList users; //!< the others, as sent
    QString name; //!< empty: none
};

} // namespace confab::protocol::body

namespace confab::protocol {

using RequestBody = std::variant<body::Register, body::Login, body::Authenticate, body::Logout,
    body::LogoutAll, body::ListRooms, body::CreateRoom, body::Join, body::Leave, body::SetTopic,
    body::OpenDirect, body::Send, body::History, body::Sync, body::MarkRead, body::Typing,
    body::Members, body::Ping, body::Edit, body::Redact, body::Reaction, body::Search,
    body::Context, body::UploadBegin, body::UploadRef, body::Download, body::RoomUser,
    body::DeclineInvite, body::Kick, body::Sanction, body::SetRole, body::SetRoom, body::Users,
    body::SetUser, body::ServerSettings, body::SetServerSettings, body::CreateInvite, body::Audit,
    body::ChangePassword, body::Sessions, body::RevokeSession, body::DeleteAccount,
    body::SetProfile, body::SetNotify, body::SetDnd, body::OpenGroup>;

/*!
 * \brief The typed body of a request of \a type whose \a fields passed validation.
 */
RequestBody requestBody(RequestType type, const QJsonObject &fields);

/*! \brief The room a request names, for the requests that name one; 0 otherwise. */
qint64 requestRoom(const RequestBody &body);

} // namespace confab::protocol
