// SPDX-License-Identifier: GPL-3.0-or-later
#include "protocol/serverframe.h"

#include "protocol/jsoninteger.h"

#include <QJsonArray>
#include <QJsonDocument>

using namespace Qt::StringLiterals;

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
    return {{"retryAfterMs"_L1, double(ms)}};
}

QJsonObject offendingField(const QString &field)
{
    return {{"field"_L1, field}};
}

QByteArray result(const QJsonValue &id, const QJsonObject &data)
{
    return text({{"type"_L1, "result"_L1}, {"id"_L1, id}, {"data"_L1, data}});
}

QByteArray error(
    const QJsonValue &id, ErrorCode code, const QString &message, const QJsonObject &details)
{
    QJsonObject o = details;
    o.insert("type"_L1, "error"_L1);
    o.insert("id"_L1, id.isUndefined() ? QJsonValue(QJsonValue::Null) : id);
    o.insert("code"_L1, errorCodeName(code));
    o.insert("message"_L1, message);
    return text(o);
}

QByteArray event(const RoomEvent &e)
{
    return text({{"type"_L1, "event"_L1}, {"event"_L1, e.toJson()}});
}

QByteArray room(const RoomSummary &summary)
{
    return text({{"type"_L1, "room"_L1}, {"room"_L1, summary.toJson()}});
}

QByteArray unread(const ReadState &state)
{
    QJsonObject o = state.toJson();
    o.insert("type"_L1, "unread"_L1);
    return text(o);
}

QByteArray presence(const QStringList &online, const QStringList &offline)
{
    return text({{"type"_L1, "presence"_L1}, {"online"_L1, QJsonArray::fromStringList(online)},
        {"offline"_L1, QJsonArray::fromStringList(offline)}});
}

QByteArray typing(qint64 room, const QString &user, bool isTyping)
{
    return text({{"type"_L1, "typing"_L1}, {"room"_L1, double(room)}, {"user"_L1, user},
        {"typing"_L1, isTyping}});
}

QByteArray directory(const DirectoryEntry &entry)
{
    return text({{"type"_L1, "directory"_L1}, {"room"_L1, entry.toJson()}});
}

} // namespace frames

std::optional<RoomEvent> ServerFrame::roomEvent() const
{
    if (type != ServerFrameType::Event)
        return std::nullopt;
    return RoomEvent::fromServer(body.value("event"_L1).toObject());
}

std::optional<DirectoryEntry> ServerFrame::directoryEntry() const
{
    if (type != ServerFrameType::Directory)
        return std::nullopt;
    return DirectoryEntry::fromJson(body.value("room"_L1).toObject());
}

std::optional<RoomSummary> ServerFrame::roomSummary() const
{
    if (type != ServerFrameType::Room)
        return std::nullopt;
    return RoomSummary::fromJson(body.value("room"_L1).toObject());
}

std::optional<ReadState> ServerFrame::readState() const
{
    if (type != ServerFrameType::Unread)
        return std::nullopt;
    return ReadState::fromJson(body);
}

std::optional<PresenceChange> ServerFrame::presence() const
{
    if (type != ServerFrameType::Presence)
        return std::nullopt;
    PresenceChange p;
    const QJsonArray online = body.value("online"_L1).toArray();
    for (const auto &v : online)
        p.online.append(v.toString());
    const QJsonArray offline = body.value("offline"_L1).toArray();
    for (const auto &v : offline)
        p.offline.append(v.toString());
    return p;
}

std::optional<TypingChange> ServerFrame::typing() const
{
    if (type != ServerFrameType::Typing || !body.value("user"_L1).isString())
        return std::nullopt;
    return TypingChange {jsonInteger(body.value("room"_L1)).value_or(0),
        body.value("user"_L1).toString(), body.value("typing"_L1).toBool()};
}

std::optional<ServerFrame> decodeServerFrame(const QByteArray &utf8)
{
    const QJsonDocument doc = QJsonDocument::fromJson(utf8);
    if (!doc.isObject())
        return std::nullopt;
    ServerFrame f;
    f.body = doc.object();
    const auto type = ServerFrameTypeNames.fromName(f.body.value("type"_L1).toString());
    if (!type)
        return std::nullopt;
    f.type = *type;
    f.id = f.body.value("id"_L1);
    if (f.type == ServerFrameType::Error) {
        f.error
            = errorCodeFromName(f.body.value("code"_L1).toString()).value_or(ErrorCode::Internal);
        f.message = f.body.value("message"_L1).toString();
        f.retryAfterMs
            = std::max<qint64>(0, jsonInteger(f.body.value("retryAfterMs"_L1)).value_or(0));
    }
    return f;
}

} // namespace confab::protocol
