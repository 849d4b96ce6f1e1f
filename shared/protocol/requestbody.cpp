// SPDX-License-Identifier: GPL-3.0-or-later
#include "protocol/requestbody.h"

#include "protocol/reactionkey.h"

#include <QJsonArray>

using namespace Qt::StringLiterals;

namespace confab::protocol {

namespace {

// Only called on validated fields: the kinds and ranges are already checked.
qint64 integer(const QJsonObject &f, QLatin1StringView name)
{
    return qint64(f.value(name).toDouble());
}

std::optional<qint64> optionalInteger(const QJsonObject &f, QLatin1StringView name)
{
    if (!f.contains(name))
        return std::nullopt;
    return integer(f, name);
}

QString string(const QJsonObject &f, QLatin1StringView name)
{
    return f.value(name).toString();
}

} // namespace

RequestBody requestBody(RequestType type, const QJsonObject &f)
{
    switch (type) {
    case RequestType::Register:
        return body::Register {string(f, "username"_L1), string(f, "password"_L1),
            string(f, "invite"_L1), string(f, "device"_L1)};
    case RequestType::Login:
        return body::Login {
            string(f, "username"_L1), string(f, "password"_L1), string(f, "device"_L1)};
    case RequestType::Authenticate:
        return body::Authenticate {string(f, "token"_L1)};
    case RequestType::Logout:
        return body::Logout {};
    case RequestType::LogoutAll:
        return body::LogoutAll {};
    case RequestType::ListRooms:
        return body::ListRooms {};
    case RequestType::CreateRoom:
        return body::CreateRoom {
            string(f, "name"_L1), string(f, "topic"_L1), f.value("private"_L1).toBool()};
    case RequestType::Join:
        return body::Join {integer(f, "room"_L1)};
    case RequestType::Leave:
        return body::Leave {integer(f, "room"_L1)};
    case RequestType::SetTopic:
        return body::SetTopic {integer(f, "room"_L1), string(f, "topic"_L1)};
    case RequestType::OpenDirect:
        return body::OpenDirect {string(f, "user"_L1)};
    case RequestType::Send: {
        body::Send send {integer(f, "room"_L1), string(f, "txn"_L1), string(f, "text"_L1),
            optionalInteger(f, "replyTo"_L1).value_or(0), {}};
        for (const auto &id : f.value("attachments"_L1).toArray())
            send.attachments.append(qint64(id.toDouble()));
        return send;
    }
    case RequestType::History: {
        const auto limit = optionalInteger(f, "limit"_L1);
        return body::History {integer(f, "room"_L1), optionalInteger(f, "before"_L1),
            optionalInteger(f, "after"_L1), limit ? std::optional<int>(int(*limit)) : std::nullopt};
    }
    case RequestType::Sync: {
        body::Sync sync;
        const QJsonObject cursors = f.value("rooms"_L1).toObject();
        sync.cursors.reserve(cursors.size());
        for (auto it = cursors.begin(); it != cursors.end(); ++it)
            sync.cursors.insert(it.key().toLongLong(), qint64(it.value().toDouble()));
        return sync;
    }
    case RequestType::MarkRead:
        return body::MarkRead {integer(f, "room"_L1), integer(f, "seq"_L1)};
    case RequestType::Typing:
        return body::Typing {integer(f, "room"_L1), f.value("typing"_L1).toBool()};
    case RequestType::Members:
        return body::Members {integer(f, "room"_L1)};
    case RequestType::Ping:
        return body::Ping {};
    case RequestType::Edit:
        return body::Edit {integer(f, "room"_L1), integer(f, "target"_L1), string(f, "text"_L1)};
    case RequestType::Redact:
        return body::Redact {integer(f, "room"_L1), integer(f, "target"_L1)};
    case RequestType::React:
    case RequestType::Unreact:
        return body::Reaction {integer(f, "room"_L1), integer(f, "target"_L1),
            normalizedReactionKey(string(f, "key"_L1)).value_or(QString())};
    case RequestType::Search:
        return body::Search {string(f, "query"_L1), optionalInteger(f, "room"_L1).value_or(0),
            string(f, "sender"_L1), optionalInteger(f, "after"_L1), optionalInteger(f, "before"_L1),
            int(optionalInteger(f, "limit"_L1).value_or(SearchPageDefault)),
            int(optionalInteger(f, "offset"_L1).value_or(0))};
    case RequestType::Context: {
        const auto limit = optionalInteger(f, "limit"_L1);
        return body::Context {integer(f, "room"_L1), integer(f, "seq"_L1),
            limit ? std::optional<int>(int(*limit)) : std::nullopt};
    }
    case RequestType::UploadBegin:
        return body::UploadBegin {
            string(f, "name"_L1), integer(f, "size"_L1), string(f, "sha256"_L1)};
    case RequestType::UploadStatus:
    case RequestType::UploadFinish:
    case RequestType::UploadCancel:
        return body::UploadRef {integer(f, "upload"_L1)};
    case RequestType::Download:
        return body::Download {integer(f, "file"_L1), optionalInteger(f, "offset"_L1).value_or(0),
            optionalInteger(f, "length"_L1), f.value("thumbnail"_L1).toBool()};
    case RequestType::Invite:
    case RequestType::Unban:
    case RequestType::Unmute:
        return body::RoomUser {integer(f, "room"_L1), string(f, "user"_L1)};
    case RequestType::DeclineInvite:
        return body::DeclineInvite {integer(f, "room"_L1)};
    case RequestType::Kick:
        return body::Kick {integer(f, "room"_L1), string(f, "user"_L1), string(f, "reason"_L1)};
    case RequestType::Ban:
    case RequestType::Mute:
        return body::Sanction {integer(f, "room"_L1), string(f, "user"_L1), string(f, "reason"_L1),
            optionalInteger(f, "duration"_L1)};
    case RequestType::SetRole:
        return body::SetRole {integer(f, "room"_L1), string(f, "user"_L1),
            roomRoleFromName(string(f, "role"_L1)).value_or(RoomRole::Member)};
    case RequestType::SetRoom: {
        body::SetRoom set {integer(f, "room"_L1), {}, {}};
        if (f.contains("private"_L1))
            set.isPrivate = f.value("private"_L1).toBool();
        if (f.contains("invitesBy"_L1))
            set.invitesBy = invitePolicyFromName(string(f, "invitesBy"_L1));
        return set;
    }
    case RequestType::Users:
        return body::Users {string(f, "query"_L1),
            int(optionalInteger(f, "limit"_L1).value_or(body::UsersPageDefault))};
    case RequestType::SetUser: {
        body::SetUser set {string(f, "user"_L1), {}, {}};
        if (f.contains("disabled"_L1))
            set.disabled = f.value("disabled"_L1).toBool();
        if (f.contains("admin"_L1))
            set.admin = f.value("admin"_L1).toBool();
        return set;
    }
    case RequestType::ServerSettings:
        return body::ServerSettings {};
    case RequestType::SetServerSettings:
        return body::SetServerSettings {RegistrationModeNames.fromName(string(f, "registration"_L1))
                                            .value_or(RegistrationMode::Closed)};
    case RequestType::CreateInvite:
        return body::CreateInvite {int(optionalInteger(f, "uses"_L1).value_or(1))};
    case RequestType::Audit:
        return body::Audit {optionalInteger(f, "before"_L1),
            int(optionalInteger(f, "limit"_L1).value_or(body::UsersPageDefault))};
    case RequestType::ChangePassword:
        return body::ChangePassword {string(f, "password"_L1), string(f, "newPassword"_L1),
            f.value("revokeOthers"_L1).toBool()};
    case RequestType::Sessions:
        return body::Sessions {};
    case RequestType::RevokeSession:
        return body::RevokeSession {integer(f, "session"_L1)};
    case RequestType::DeleteAccount:
        return body::DeleteAccount {string(f, "password"_L1)};
    case RequestType::SetProfile: {
        body::SetProfile set;
        if (f.contains("displayName"_L1))
            set.displayName = string(f, "displayName"_L1);
        if (f.contains("status"_L1))
            set.status = string(f, "status"_L1);
        set.avatar = optionalInteger(f, "avatar"_L1);
        return set;
    }
    case RequestType::SetNotify:
        return body::SetNotify {integer(f, "room"_L1),
            NotifyLevelNames.fromName(string(f, "level"_L1)).value_or(NotifyLevel::All)};
    case RequestType::SetDnd:
        return body::SetDnd {integer(f, "until"_L1)};
    case RequestType::OpenGroup: {
        body::OpenGroup open;
        const QJsonArray users = f.value("users"_L1).toArray();
        for (const auto &user : users)
            open.users.append(user.toString());
        open.name = string(f, "name"_L1);
        return open;
    }
    case RequestType::AddToGroup:
        return body::RoomUser {integer(f, "room"_L1), string(f, "user"_L1)};
    }
    return body::Ping {};
}

qint64 requestRoom(const RequestBody &b)
{
    return std::visit(
        [](const auto &r) -> qint64 {
            if constexpr (requires { r.room; })
                return r.room;
            else
                return 0;
        },
        b);
}

} // namespace confab::protocol
