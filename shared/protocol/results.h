// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "protocol/directoryentry.h"
#include "protocol/roomevent.h"
#include "protocol/roomsummary.h"
#include "protocol/selfserviceresults.h"
#include "protocol/teamresults.h"

#include <QJsonObject>
#include <QList>
#include <QString>
#include <optional>

/*!
 * \file
 * \brief The `data` of each successful reply (protocol §5), one value type per shape.
 *
 * The server builds these and sends toJson(); the client reads fromJson(). Decoders are
 * lenient in what §15 allows (unknown members are ignored) and return nullopt when a
 * member the client relies on is missing or has the wrong type.
 */
namespace confab::protocol {

/*! \brief `register`, `login` and `authenticate` (§5.1–5.3): who is signed in. */
struct SignedIn
{
    QString user;
    QString token; //!< empty for `authenticate`, which reuses the token it was given
    qint64 expiresAt = 0; //!< ms since the epoch
    QList<RoomSummary> rooms;
    // A server with teams (§17): hasTeams says whether it sent these.
    bool hasTeams = false;
    bool admin = false;
    QList<Invitation> invites; //!< pending, oldest first
    std::optional<Profile> profile = std::nullopt; //!< a server with profiles (§18.2): yours
    std::optional<qint64> dndUntil = std::nullopt; //!< a server with notify (§18.3); 0: off

    QJsonObject toJson() const;
    static std::optional<SignedIn> fromJson(const QJsonObject &data);
};

/*! \brief `ping` (§5.18): the server's clock. */
struct Pong
{
    qint64 time = 0; //!< ms since the epoch

    QJsonObject toJson() const;
    static std::optional<Pong> fromJson(const QJsonObject &data);
};

/*! \brief `send` (§5.12): the acknowledgement of a durable message. */
struct SendAck
{
    qint64 id = 0;
    qint64 room = 0;
    qint64 seq = 0;
    qint64 timestamp = 0;
    QString txn;

    QJsonObject toJson() const;
    static std::optional<SendAck> fromJson(const QJsonObject &data);
};

/*! \brief `leave` and `set_topic` (§5.9, 5.10): the seq of the event the request appended. */
struct EventSeq
{
    qint64 seq = 0;

    QJsonObject toJson() const;
    static std::optional<EventSeq> fromJson(const QJsonObject &data);
};

/*! \brief `history` (§5.13): one page of a room's log, oldest first. */
struct HistoryPage
{
    qint64 room = 0;
    QList<RoomEvent> events; //!< read with RoomEvent::fromServer: unknown kinds are placeholders
    bool hasMore = false;

    QJsonObject toJson() const;
    static std::optional<HistoryPage> fromJson(const QJsonObject &data);
};

/*! \brief One room of a `sync` result (§5.14). */
struct SyncRoom
{
    RoomSummary room;
    QList<RoomEvent> events;
    bool gap = false; //!< more were missed than came: page back from gapFrom
    qint64 gapFrom = 0; //!< the cursor that was sent; only with gap

    QJsonObject toJson() const;
    static std::optional<SyncRoom> fromJson(const QJsonObject &entry);
};

/*! \brief `sync` (§5.14): what each room missed, and the rooms no longer yours. */
struct SyncResult
{
    QList<SyncRoom> rooms; //!< entries that fail to parse are dropped by the decoder
    QList<qint64> left;

    QJsonObject toJson() const;
    static std::optional<SyncResult> fromJson(const QJsonObject &data);
};

/*!
 * \brief Read position and counts of one room: the `mark_read` result (§5.15) and the
 * `unread` push (§6.3) carry the same members.
 */
struct ReadState
{
    qint64 room = 0;
    qint64 readSeq = 0;
    qint64 unread = 0;
    qint64 mentions = 0;

    QJsonObject toJson() const;
    static std::optional<ReadState> fromJson(const QJsonObject &object);

    friend bool operator==(const ReadState &, const ReadState &) = default;
};

/*! \brief One entry of a `members` result (§5.17). */
struct Member
{
    QString user;
    bool online = false;
    QString role; //!< a RoomRole name; empty in direct rooms
    std::optional<qint64> mutedUntil; //!< set when muted; 0: no end
    std::optional<Profile> profile = std::nullopt; //!< a server with profiles (§18.2)

    QJsonObject toJson() const;
    /*! \brief nullopt without a user. */
    static std::optional<Member> fromJson(const QJsonObject &entry);

    friend bool operator==(const Member &, const Member &) = default;
};

/*! \brief `members` (§5.17). */
struct MemberList
{
    QList<Member> members;

    QJsonObject toJson() const;
    static std::optional<MemberList> fromJson(const QJsonObject &data);
};

/*! \brief `create_room`, `join` and `open_direct` (§5.7, 5.8, 5.11): the room as you see it. */
struct RoomResult
{
    RoomSummary room;

    QJsonObject toJson() const;
    static std::optional<RoomResult> fromJson(const QJsonObject &data);
};

/*! \brief `list_rooms` (§5.6): every channel. */
struct Directory
{
    QList<DirectoryEntry> rooms; //!< entries that fail to parse are dropped by the decoder

    QJsonObject toJson() const;
    static std::optional<Directory> fromJson(const QJsonObject &data);
};

} // namespace confab::protocol
