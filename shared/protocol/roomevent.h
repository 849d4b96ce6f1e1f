// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "protocol/enumnames.h"

#include <QJsonObject>
#include <QString>
#include <QStringList>
#include <optional>

namespace confab::protocol {

/*!
 * \brief Kinds of entries in a room's log. Append only; wire form is the name.
 */
enum class EventKind
{
    Create, //!< the room was created (seq 1 of every room)
    Message, //!< someone said something
    Join, //!< a user became a member
    Leave, //!< a user stopped being a member
    Topic, //!< the topic changed
};

inline constexpr auto EventKindNames = enumNames<EventKind>({
    {EventKind::Create, "create"},
    {EventKind::Message, "message"},
    {EventKind::Join, "join"},
    {EventKind::Leave, "leave"},
    {EventKind::Topic, "topic"},
});

QLatin1StringView eventKindName(EventKind kind);
std::optional<EventKind> eventKindFromName(QStringView name);

/*!
 * \brief One entry of a room's log, as stored and as sent.
 *
 * \c seq is gap-free and increasing per room, assigned by the server when the
 * event is committed; it is the client's resume cursor. \c id is unique across
 * the server.
 */
struct RoomEvent
{
    qint64 id = 0;
    qint64 room = 0;
    qint64 seq = 0;
    qint64 timestamp = 0; //!< server time, ms since the Unix epoch, UTC
    EventKind kind = EventKind::Message;
    QString sender; //!< username of whoever caused the event
    QString txn; //!< the sender's transaction id (messages only)
    QString text; //!< message body (messages), room name (create)
    QString topic; //!< topic (topic and create events)
    QStringList mentions; //!< lower-cased usernames mentioned (messages only)

    QJsonObject toJson() const;
    static std::optional<RoomEvent> fromJson(const QJsonObject &object);
    /*!
     * \brief Reads an event as a client must (§15): one of a kind this build does not know
     * comes back as a placeholder that still advances the cursor but is never shown.
     * nullopt only without a positive room and seq.
     */
    static std::optional<RoomEvent> fromServer(const QJsonObject &object);
    bool isPlaceholder() const { return id < 0; }

    friend bool operator==(const RoomEvent &, const RoomEvent &) = default;
};

} // namespace confab::protocol
