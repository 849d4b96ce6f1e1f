// SPDX-License-Identifier: GPL-3.0-or-later
#include "protocol/serverframe.h"

#include "protocol/frameshapes.h"
#include "protocol/jsoninteger.h"
#include "protocol/moveaddress.h"

#include <QJsonArray>
#include <QJsonDocument>

namespace confab::protocol {

namespace {
QByteArray text(const QJsonObject &o)
{
    return QJsonDocument(o).toJson(QJsonDocument::Compact);
}
} // namespace

QLatin1StringView serverFrameTypeName(ServerFrameType type)
{
    return ServerFrameTypeNames.toName(type);
}

namespace frames {

QJsonObject retryAfter(qint64 ms)
{
    return {{wire::error::RetryAfterMs.name, double(ms)}};
}

QJsonObject offendingField(const QString &field)
{
    return {{wire::error::Field.name, field}};
}

QByteArray result(const QJsonValue &id, const QJsonObject &data)
{
    namespace w = wire::result;
    return text({{w::Type.name, w::Type.constant}, {w::Id.name, id}, {w::Data.name, data}});
}

QByteArray error(
    const QJsonValue &id, ErrorCode code, const QString &message, const QJsonObject &details)
{
    namespace w = wire::error;
    QJsonObject o = details;
    o.insert(w::Type.name, w::Type.constant);
    o.insert(w::Id.name, id.isUndefined() ? QJsonValue(QJsonValue::Null) : id);
    o.insert(w::Code.name, errorCodeName(code));
    o.insert(w::Message.name, message);
    return text(o);
}

QByteArray event(const RoomEvent &e)
{
    namespace w = wire::event_push;
    return text({{w::Type.name, w::Type.constant}, {w::Event.name, e.toJson()}});
}

QByteArray room(const RoomSummary &summary)
{
    namespace w = wire::room_push;
    return text({{w::Type.name, w::Type.constant}, {w::Room.name, summary.toJson()}});
}

QByteArray unread(const ReadState &state)
{
    namespace w = wire::unread_push;
    QJsonObject o = state.toJson();
    o.insert(w::Type.name, w::Type.constant);
    return text(o);
}

QByteArray presence(const QStringList &online, const QStringList &offline)
{
    namespace w = wire::presence_push;
    return text(
        {{w::Type.name, w::Type.constant}, {w::Online.name, QJsonArray::fromStringList(online)},
            {w::Offline.name, QJsonArray::fromStringList(offline)}});
}

QByteArray typing(qint64 room, const QString &user, bool isTyping)
{
    namespace w = wire::typing_push;
    return text({{w::Type.name, w::Type.constant}, {w::Room.name, double(room)},
        {w::User.name, user}, {w::Typing.name, isTyping}});
}

QByteArray directory(const DirectoryEntry &entry)
{
    namespace w = wire::directory_push;
    return text({{w::Type.name, w::Type.constant}, {w::Room.name, entry.toJson()}});
}

QByteArray uploaded(qint64 upload, qint64 offset)
{
    namespace w = wire::uploaded_push;
    return text({{w::Type.name, w::Type.constant}, {w::Upload.name, double(upload)},
        {w::Offset.name, double(offset)}});
}

QByteArray invited(const Invitation &invitation)
{
    namespace w = wire::invited_push;
    return text({{w::Type.name, w::Type.constant}, {w::Invite.name, invitation.toJson()}});
}

QByteArray inviteRemoved(qint64 room)
{
    namespace w = wire::invite_removed_push;
    return text({{w::Type.name, w::Type.constant}, {w::Room.name, double(room)}});
}

QByteArray unlisted(qint64 room)
{
    namespace w = wire::unlisted_push;
    return text({{w::Type.name, w::Type.constant}, {w::Room.name, double(room)}});
}

QByteArray profile(const Profile &profile)
{
    namespace w = wire::profile_push;
    return text({{w::Type.name, w::Type.constant}, {w::Profile.name, profile.toJson()}});
}

QByteArray dnd(qint64 until)
{
    namespace w = wire::dnd_push;
    return text({{w::Type.name, w::Type.constant}, {w::Until.name, double(until)}});
}

QByteArray moved(const QString &url)
{
    namespace w = wire::moved_push;
    return text({{w::Type.name, w::Type.constant}, {w::Url.name, url}});
}

} // namespace frames

QJsonObject ServerFrame::data() const
{
    return body.value(wire::result::Data.name).toObject();
}

std::optional<RoomEvent> ServerFrame::roomEvent() const
{
    if (type != ServerFrameType::Event)
        return std::nullopt;
    return RoomEvent::fromServer(body.value(wire::event_push::Event.name).toObject());
}

std::optional<DirectoryEntry> ServerFrame::directoryEntry() const
{
    if (type != ServerFrameType::Directory)
        return std::nullopt;
    return DirectoryEntry::fromJson(body.value(wire::directory_push::Room.name).toObject());
}

std::optional<RoomSummary> ServerFrame::roomSummary() const
{
    if (type != ServerFrameType::Room)
        return std::nullopt;
    return RoomSummary::fromJson(body.value(wire::room_push::Room.name).toObject());
}

std::optional<ReadState> ServerFrame::readState() const
{
    if (type != ServerFrameType::Unread)
        return std::nullopt;
    return ReadState::fromJson(body);
}

std::optional<PresenceChange> ServerFrame::presence() const
{
    namespace w = wire::presence_push;
    if (type != ServerFrameType::Presence)
        return std::nullopt;
    PresenceChange p;
    const QJsonArray online = body.value(w::Online.name).toArray();
    for (const auto &v : online)
        p.online.append(v.toString());
    const QJsonArray offline = body.value(w::Offline.name).toArray();
    for (const auto &v : offline)
        p.offline.append(v.toString());
    return p;
}

std::optional<TypingChange> ServerFrame::typing() const
{
    namespace w = wire::typing_push;
    if (type != ServerFrameType::Typing || !body.value(w::User.name).isString())
        return std::nullopt;
    return TypingChange {jsonInteger(body.value(w::Room.name)).value_or(0),
        body.value(w::User.name).toString(), body.value(w::Typing.name).toBool()};
}

std::optional<UploadProgress> ServerFrame::uploaded() const
{
    namespace w = wire::uploaded_push;
    const auto upload = jsonInteger(body.value(w::Upload.name));
    const auto offset = jsonInteger(body.value(w::Offset.name));
    if (type != ServerFrameType::Uploaded || !upload || *upload < 1 || !offset || *offset < 0)
        return std::nullopt;
    return UploadProgress {*upload, *offset};
}

std::optional<Invitation> ServerFrame::invitation() const
{
    if (type != ServerFrameType::Invited)
        return std::nullopt;
    return Invitation::fromJson(body.value(wire::invited_push::Invite.name).toObject());
}

std::optional<qint64> ServerFrame::pushedRoom() const
{
    if (type != ServerFrameType::InviteRemoved && type != ServerFrameType::Unlisted)
        return std::nullopt;
    const auto room = jsonInteger(body.value(wire::unlisted_push::Room.name));
    if (!room || *room < 1)
        return std::nullopt;
    return room;
}

std::optional<Profile> ServerFrame::profile() const
{
    if (type != ServerFrameType::Profile)
        return std::nullopt;
    return Profile::fromJson(body.value(wire::profile_push::Profile.name).toObject());
}

std::optional<qint64> ServerFrame::dndUntil() const
{
    if (type != ServerFrameType::Dnd)
        return std::nullopt;
    const auto until = jsonInteger(body.value(wire::dnd_push::Until.name));
    if (!until || *until < 0)
        return std::nullopt;
    return until;
}

std::optional<QString> ServerFrame::movedTo() const
{
    if (type != ServerFrameType::Moved)
        return std::nullopt;
    const QUrl url = moveAddress(body.value(wire::moved_push::Url.name).toString());
    if (!url.isValid())
        return std::nullopt;
    return url.toString();
}

std::optional<ServerFrame> decodeServerFrame(const QByteArray &utf8)
{
    const QJsonDocument doc = QJsonDocument::fromJson(utf8);
    if (!doc.isObject())
        return std::nullopt;
    ServerFrame f;
    f.body = doc.object();
    // Every frame's `type` has the same name; hello's stands for all of them.
    const auto type
        = ServerFrameTypeNames.fromName(f.body.value(wire::hello::Type.name).toString());
    if (!type)
        return std::nullopt;
    f.type = *type;
    f.id = f.body.value(wire::result::Id.name);
    if (f.type == ServerFrameType::Error) {
        namespace w = wire::error;
        f.error = errorCodeFromName(f.body.value(w::Code.name).toString())
                      .value_or(ErrorCode::Internal);
        f.message = f.body.value(w::Message.name).toString();
        f.retryAfterMs
            = std::max<qint64>(0, jsonInteger(f.body.value(w::RetryAfterMs.name)).value_or(0));
    }
    return f;
}

} // namespace confab::protocol
