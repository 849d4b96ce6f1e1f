// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

// Data and frame builders shared by the codec tests.

#include "protocol/accountrequests.h"
#include "protocol/errorcode.h"
#include "protocol/fileframe.h"
#include "protocol/limits.h"
#include "protocol/protocolversion.h"
#include "protocol/request.h"
#include "protocol/requestbuilder.h"
#include "protocol/requestcodec.h"
#include "protocol/requesttype.h"
#include "protocol/roomevent.h"
#include "protocol/serverframe.h"
#include "protocol/teamrequests.h"
#include "protocol/textrules.h"

#include <QHash>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QJsonValue>
#include <QList>
#include <QMetaType>
#include <QSet>
#include <cmath>
#include <limits>
#include <variant>

Q_DECLARE_METATYPE(confab::protocol::ErrorCode)
Q_DECLARE_METATYPE(confab::protocol::RequestType)
Q_DECLARE_METATYPE(confab::protocol::EventKind)
Q_DECLARE_METATYPE(confab::protocol::ServerFrameType)
Q_DECLARE_METATYPE(confab::protocol::OutgoingRequest)
Q_DECLARE_METATYPE(confab::protocol::RoomEvent)

namespace confab::test {

using namespace Qt::StringLiterals;
using namespace confab::protocol;

inline constexpr qint64 TwoPow53 = qint64(1) << 53;

// Every enumerator, listed by hand so that a forgotten table entry shows up.
inline const QList<ErrorCode> AllErrorCodes {
    ErrorCode::BadFrame,
    ErrorCode::BadRequest,
    ErrorCode::UnknownType,
    ErrorCode::TooLarge,
    ErrorCode::Unauthenticated,
    ErrorCode::AlreadyAuthenticated,
    ErrorCode::InvalidCredentials,
    ErrorCode::InvalidToken,
    ErrorCode::AccountDisabled,
    ErrorCode::Throttled,
    ErrorCode::RegistrationClosed,
    ErrorCode::InvalidInvite,
    ErrorCode::NameTaken,
    ErrorCode::WeakPassword,
    ErrorCode::NotFound,
    ErrorCode::NotMember,
    ErrorCode::Forbidden,
    ErrorCode::RateLimited,
    ErrorCode::StorageError,
    ErrorCode::ShuttingDown,
    ErrorCode::Internal,
    ErrorCode::SignInInProgress,
    ErrorCode::QuotaExceeded,
    ErrorCode::TooManyUploads,
    ErrorCode::BadOffset,
    ErrorCode::UploadIncomplete,
    ErrorCode::HashMismatch,
};

inline const QList<RequestType> AllRequestTypes {
    RequestType::Register,
    RequestType::Login,
    RequestType::Authenticate,
    RequestType::Logout,
    RequestType::LogoutAll,
    RequestType::ListRooms,
    RequestType::CreateRoom,
    RequestType::Join,
    RequestType::Leave,
    RequestType::SetTopic,
    RequestType::OpenDirect,
    RequestType::Send,
    RequestType::History,
    RequestType::Sync,
    RequestType::MarkRead,
    RequestType::Typing,
    RequestType::Members,
    RequestType::Ping,
    RequestType::Edit,
    RequestType::Redact,
    RequestType::React,
    RequestType::Unreact,
    RequestType::Search,
    RequestType::Context,
    RequestType::UploadBegin,
    RequestType::UploadStatus,
    RequestType::UploadFinish,
    RequestType::UploadCancel,
    RequestType::Download,
    RequestType::Invite,
    RequestType::DeclineInvite,
    RequestType::Kick,
    RequestType::Ban,
    RequestType::Unban,
    RequestType::Mute,
    RequestType::Unmute,
    RequestType::SetRole,
    RequestType::SetRoom,
    RequestType::Users,
    RequestType::SetUser,
    RequestType::ServerSettings,
    RequestType::SetServerSettings,
    RequestType::CreateInvite,
    RequestType::Audit,
    RequestType::ChangePassword,
    RequestType::Sessions,
    RequestType::RevokeSession,
    RequestType::DeleteAccount,
    RequestType::SetProfile,
    RequestType::SetNotify,
    RequestType::SetDnd,
    RequestType::OpenGroup,
    RequestType::AddToGroup,
};

inline QString ch(char16_t c)
{
    return QString(QChar(c));
}

inline QString repeated(qsizetype n, QStringView unit)
{
    QString s;
    s.reserve(n * unit.size());
    for (qsizetype i = 0; i < n; ++i)
        s.append(unit);
    return s;
}

inline QByteArray toBytes(const QJsonObject &o)
{
    return QJsonDocument(o).toJson(QJsonDocument::Compact);
}

inline QByteArray frame(QLatin1StringView type, QJsonObject fields, const QJsonValue &id)
{
    fields.insert("id"_L1, id);
    fields.insert("type"_L1, type);
    return toBytes(fields);
}

// A field set that decodes cleanly for each request type.
inline QJsonObject validFields(RequestType type)
{
    switch (type) {
    case RequestType::Register:
        return requests::registerAccount(u"ana"_s, u"correct horse"_s, u"inv-1"_s, u"laptop"_s)
            .fields;
    case RequestType::Login:
        return requests::login(u"ana"_s, u"correct horse"_s, u"Ana's phone"_s).fields;
    case RequestType::Authenticate:
        return requests::authenticate(u"tok-123"_s).fields;
    case RequestType::CreateRoom:
        return requests::createRoom(u"General"_s, u"Chit chat"_s).fields;
    case RequestType::Join:
        return requests::join(1).fields;
    case RequestType::Leave:
        return requests::leave(1).fields;
    case RequestType::SetTopic:
        return requests::setTopic(1, u"topic"_s).fields;
    case RequestType::OpenDirect:
        return requests::openDirect(u"bob"_s).fields;
    case RequestType::Send:
        return requests::send(1, u"t1"_s, u"hi"_s).fields;
    case RequestType::History:
        return requests::historyBefore(1, 10, 50).fields;
    case RequestType::Sync:
        return requests::sync({{1, 0}}).fields;
    case RequestType::MarkRead:
        return requests::markRead(1, 3).fields;
    case RequestType::Typing:
        return requests::typing(1, true).fields;
    case RequestType::Members:
        return requests::members(1).fields;
    case RequestType::Edit:
        return requests::edit(1, 4, u"hi again"_s).fields;
    case RequestType::Redact:
        return requests::redact(1, 4).fields;
    case RequestType::React:
        return requests::react(1, 4, u"👍"_s).fields;
    case RequestType::Unreact:
        return requests::unreact(1, 4, u"👍"_s).fields;
    case RequestType::Search:
        return requests::search({u"lunch"_s, 1, u"bob"_s, 1, 2}, 20, 20).fields;
    case RequestType::Context:
        return requests::context(1, 4, 50).fields;
    case RequestType::UploadBegin:
        return requests::uploadBegin(u"cat.jpg"_s, 600'000, QString(64, u'a')).fields;
    case RequestType::UploadStatus:
        return requests::uploadStatus(42).fields;
    case RequestType::UploadFinish:
        return requests::uploadFinish(42).fields;
    case RequestType::UploadCancel:
        return requests::uploadCancel(42).fields;
    case RequestType::Download:
        return requests::download(7, 1024, 4096, true).fields;
    case RequestType::Invite:
        return requests::invite(1, u"bob"_s).fields;
    case RequestType::DeclineInvite:
        return requests::declineInvite(1).fields;
    case RequestType::Kick:
        return requests::kick(1, u"bob"_s, u"spam"_s).fields;
    case RequestType::Ban:
        return requests::ban(1, u"bob"_s, u"spam"_s, 3600).fields;
    case RequestType::Unban:
        return requests::unban(1, u"bob"_s).fields;
    case RequestType::Mute:
        return requests::mute(1, u"bob"_s, u"shouting"_s, 600).fields;
    case RequestType::Unmute:
        return requests::unmute(1, u"bob"_s).fields;
    case RequestType::SetRole:
        return requests::setRole(1, u"bob"_s, protocol::RoomRole::Moderator).fields;
    case RequestType::SetRoom:
        return requests::setRoom(1, true, protocol::InvitePolicy::Moderators).fields;
    case RequestType::Users:
        return requests::users(u"an"_s, 20).fields;
    case RequestType::SetUser:
        return requests::setUser(u"bob"_s, true, false).fields;
    case RequestType::SetServerSettings:
        return requests::setServerSettings(protocol::RegistrationMode::Invite).fields;
    case RequestType::CreateInvite:
        return requests::createInvite(5).fields;
    case RequestType::Audit:
        return requests::audit(100, 20).fields;
    case RequestType::ChangePassword:
        return requests::changePassword(u"correct horse"_s, u"battery staple"_s, true).fields;
    case RequestType::RevokeSession:
        return requests::revokeSession(3).fields;
    case RequestType::DeleteAccount:
        return requests::deleteAccount(u"correct horse"_s).fields;
    case RequestType::SetProfile:
        return requests::setProfile(u"Ana Lima"_s, u"in a meeting"_s, 12).fields;
    case RequestType::SetNotify:
        return requests::setNotify(1, protocol::NotifyLevel::Mentions).fields;
    case RequestType::SetDnd:
        return requests::setDnd(1'800'000'000'000).fields;
    case RequestType::OpenGroup:
        return requests::openGroup({u"bob"_s, u"cy"_s}, u"Lunch crew"_s).fields;
    case RequestType::AddToGroup:
        return requests::addToGroup(1, u"dee"_s).fields;
    case RequestType::Sessions:
    case RequestType::ServerSettings:
    case RequestType::Logout:
    case RequestType::LogoutAll:
    case RequestType::ListRooms:
    case RequestType::Ping:
        return {};
    }
    return {};
}

// The valid frame for \a type with \a field set to \a value (removed if undefined).
inline QByteArray with(
    RequestType type, QLatin1StringView field, const QJsonValue &value, const QJsonValue &id = 7)
{
    QJsonObject f = validFields(type);
    if (value.isUndefined())
        f.remove(field);
    else
        f.insert(field, value);
    return frame(requestTypeName(type), f, id);
}

inline QJsonObject cursors(std::initializer_list<std::pair<QString, QJsonValue>> entries)
{
    QJsonObject o;
    for (const auto &[k, v] : entries)
        o.insert(k, v);
    return o;
}

} // namespace confab::test
