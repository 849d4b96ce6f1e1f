// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "protocol/errorcode.h"
#include "protocol/limits.h"
#include "protocol/roomevent.h"

#include <QByteArray>
#include <QJsonObject>
#include <QJsonValue>
#include <QString>
#include <optional>

namespace confab::protocol {

/*!
 * \brief Kinds of frame the server sends. Replies (Result, Error with an id)
 * answer exactly one request; everything else is pushed.
 */
enum class ServerFrameType
{
    Hello, //!< first frame on every connection
    Result, //!< successful reply to a request
    Error, //!< failed reply (id set) or connection-level error (id null)
    Event, //!< an entry of a room's log
    Room, //!< the user gained a room (or its summary changed)
    Unread, //!< authoritative read position and counts for one room
    Presence, //!< a user who shares a room went online or offline
    Typing, //!< a user started or stopped typing in a room
};

QLatin1StringView serverFrameTypeName(ServerFrameType type);

/*!
 * \brief Encoders for everything the server sends. Each returns the frame's
 * text once, so a broadcast encodes an event a single time for all recipients.
 */
namespace frames {
QString hello(const QString &serverName, const Limits &limits, const QString &registration);
QString result(const QJsonValue &id, const QJsonObject &data = {});
QString error(
    const QJsonValue &id, ErrorCode code, const QString &message, const QJsonObject &details = {});
QString event(const RoomEvent &event);
QString room(const QJsonObject &summary);
QString unread(qint64 room, qint64 readSeq, qint64 unreadCount, qint64 mentionCount);
QString presence(const QString &user, bool online);
QString typing(qint64 room, const QString &user, bool typing);
} // namespace frames

/*!
 * \brief A decoded server frame, for clients and tests.
 */
struct ServerFrame
{
    ServerFrameType type = ServerFrameType::Error;
    QJsonValue id; //!< Result and Error: the request id
    QJsonObject body; //!< the whole frame object
    ErrorCode error = ErrorCode::Internal; //!< Error only
    QString message; //!< Error only

    QJsonObject data() const { return body.value(QLatin1StringView("data")).toObject(); }
    std::optional<RoomEvent> roomEvent() const;
};

/*!
 * \brief Parses one server frame; nullopt if it is not a frame this version knows.
 */
std::optional<ServerFrame> decodeServerFrame(const QByteArray &utf8);

} // namespace confab::protocol
