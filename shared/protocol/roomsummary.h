// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "protocol/enumnames.h"

#include <QJsonObject>
#include <QString>
#include <QStringList>
#include <optional>

namespace confab::protocol {

/*! \brief A room summary's `kind`. Append only; the wire form is the name. */
enum class RoomKind
{
    Channel, //!< public, named, joinable
    Direct, //!< a private conversation between two users
    Group, //!< a private conversation of 2–10 users, people addable later (§18.4)
};

inline constexpr auto RoomKindNames = enumNames<RoomKind>({
    {RoomKind::Channel, "channel"},
    {RoomKind::Direct, "direct"},
    {RoomKind::Group, "group"},
});

/*!
 * \brief A room as one user sees it (protocol §5.0): in results, `room` pushes and `sync`.
 * The server computes it per viewer; the client keeps it as its sidebar row.
 */
struct RoomSummary
{
    qint64 id = 0;
    bool direct = false; //!< a conversation: direct or group, never a channel
    bool group = false; //!< a group conversation (§18.4); direct is true too
    QString name; //!< direct rooms: the other participant, so it differs per viewer
    QString topic;
    qint64 lastSeq = 0; //!< informational; never a cursor
    int memberCount = 0;
    QStringList members; //!< direct and group rooms only
    bool hasReadState = true; //!< readSeq, unread and mentions apply (the viewer is a member)
    qint64 readSeq = 0;
    qint64 unread = 0;
    qint64 mentions = 0;
    // Channels on a server with teams (§17.2): empty names when the server sent none.
    bool isPrivate = false;
    QString invitesBy; //!< an InvitePolicy name
    QString role; //!< the viewer's RoomRole name
    //! The viewer's NotifyLevel name (§18.3); empty when the server sent none ("all").
    QString notify;

    /*! \brief nullopt without a positive id, a name or a known kind. */
    static std::optional<RoomSummary> fromJson(const QJsonObject &summary);
    QJsonObject toJson() const;

    friend bool operator==(const RoomSummary &, const RoomSummary &) = default;
};

} // namespace confab::protocol
