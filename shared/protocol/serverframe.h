// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "protocol/directoryentry.h"
#include "protocol/enumnames.h"
#include "protocol/errorcode.h"
#include "protocol/results.h"
#include "protocol/roomevent.h"
#include "protocol/roomsummary.h"

#include <QByteArray>
#include <QJsonObject>
#include <QJsonValue>
#include <QString>
#include <QStringList>
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
    Presence, //!< users who share a room went online or offline
    Typing, //!< a user started or stopped typing in a room
    Directory, //!< a channel was created or its directory entry changed
    Uploaded, //!< bytes of an upload are durable
    Invited, //!< the user was invited to a channel (§17.6)
    InviteRemoved, //!< an invitation of the user ended
    Unlisted, //!< a channel became private and the user may no longer see it
    Profile, //!< a user who shares a room changed their profile (§18.2)
    Dnd, //!< the user's do-not-disturb changed (§18.3)
    Moved, //!< the server moved to another address (§19.6)
};

inline constexpr auto ServerFrameTypeNames = enumNames<ServerFrameType>({
    {ServerFrameType::Hello, "hello"},
    {ServerFrameType::Result, "result"},
    {ServerFrameType::Error, "error"},
    {ServerFrameType::Event, "event"},
    {ServerFrameType::Room, "room"},
    {ServerFrameType::Unread, "unread"},
    {ServerFrameType::Presence, "presence"},
    {ServerFrameType::Typing, "typing"},
    {ServerFrameType::Directory, "directory"},
    {ServerFrameType::Uploaded, "uploaded"},
    {ServerFrameType::Invited, "invited"},
    {ServerFrameType::InviteRemoved, "invite_removed"},
    {ServerFrameType::Unlisted, "unlisted"},
    {ServerFrameType::Profile, "profile"},
    {ServerFrameType::Dnd, "dnd"},
    {ServerFrameType::Moved, "moved"},
});

QLatin1StringView serverFrameTypeName(ServerFrameType type);

/*! \brief A `presence` push (§6.4): who came online and who went offline. */
struct PresenceChange
{
    QStringList online;
    QStringList offline;
};

/*! \brief A `typing` push (§6.5). */
struct TypingChange
{
    qint64 room = 0;
    QString user;
    bool typing = false;
};

/*!
 * \brief Encoders for everything the server sends but hello (protocol/hello.h). Each returns the
 * frame's UTF-8 text once, so a broadcast encodes an event a single time for all recipients.
 */
namespace frames {
QByteArray result(const QJsonValue &id, const QJsonObject &data = {});
QByteArray error(
    const QJsonValue &id, ErrorCode code, const QString &message, const QJsonObject &details = {});
/*! \brief The details of an error that tells the client when to try again. */
QJsonObject retryAfter(qint64 ms);
/*! \brief The details of a `bad_request` that names the field at fault (§3.2). */
QJsonObject offendingField(const QString &field);
QByteArray event(const RoomEvent &event);
QByteArray room(const RoomSummary &summary);
QByteArray unread(const ReadState &state);
/*! \brief Who came online and who went offline since the last presence frame. */
QByteArray presence(const QStringList &online, const QStringList &offline);
QByteArray typing(qint64 room, const QString &user, bool typing);
QByteArray directory(const DirectoryEntry &entry);
/*! \brief Bytes [0, \a offset) of \a upload are durable (§6.7). */
QByteArray uploaded(qint64 upload, qint64 offset);
QByteArray invited(const Invitation &invitation);
QByteArray inviteRemoved(qint64 room);
QByteArray unlisted(qint64 room);
QByteArray profile(const Profile &profile);
/*! \brief \a until 0: do-not-disturb is off. */
QByteArray dnd(qint64 until);
/*! \brief The server now answers at \a url (§19.6). */
QByteArray moved(const QString &url);
} // namespace frames

/*! \brief An `uploaded` push (§6.7). */
struct UploadProgress
{
    qint64 upload = 0;
    qint64 offset = 0;
};

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
    qint64 retryAfterMs = 0; //!< Error only: `rate_limited` and `throttled` (§3.2)

    QJsonObject data() const; //!< Result only: its `data`
    /*! \brief An `event` push, read with RoomEvent::fromServer. */
    std::optional<RoomEvent> roomEvent() const;
    std::optional<DirectoryEntry> directoryEntry() const;
    std::optional<RoomSummary> roomSummary() const;
    std::optional<ReadState> readState() const; //!< an `unread` push
    std::optional<PresenceChange> presence() const;
    std::optional<TypingChange> typing() const;
    std::optional<UploadProgress> uploaded() const;
    std::optional<Invitation> invitation() const; //!< an `invited` push
    //! The room of an `invite_removed` or `unlisted` push.
    std::optional<qint64> pushedRoom() const;
    std::optional<Profile> profile() const; //!< a `profile` push
    std::optional<qint64> dndUntil() const; //!< a `dnd` push
    //! A `moved` push's address, if it is one a client may connect to (§19.6).
    std::optional<QString> movedTo() const;
};

/*!
 * \brief Parses one server frame; nullopt if it is not a frame this version knows.
 */
std::optional<ServerFrame> decodeServerFrame(const QByteArray &utf8);

} // namespace confab::protocol
