// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "protocol/enumnames.h"
#include "protocol/fileinfo.h"

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
    Edit, //!< the author replaced a message's text
    Redact, //!< a message was deleted; it stays as a tombstone without its text
    React, //!< someone added a reaction to a message
    Unreact, //!< someone took their reaction back
    Invite, //!< a member invited a user (§17.3)
    Kick, //!< a moderator removed a member or withdrew an invitation (§17.4)
    Ban, //!< a moderator banned a user
    Unban, //!< a moderator lifted a ban
    Mute, //!< a moderator muted a member
    Unmute, //!< a moderator lifted a mute
    Role, //!< an owner gave a member a role (§17.1)
    Settings, //!< an owner changed the channel's settings (§17.2)
    Add, //!< a member added a user to a group conversation (§18.4)
};

inline constexpr auto EventKindNames = enumNames<EventKind>({
    {EventKind::Create, "create"},
    {EventKind::Message, "message"},
    {EventKind::Join, "join"},
    {EventKind::Leave, "leave"},
    {EventKind::Topic, "topic"},
    {EventKind::Edit, "edit"},
    {EventKind::Redact, "redact"},
    {EventKind::React, "react"},
    {EventKind::Unreact, "unreact"},
    {EventKind::Invite, "invite"},
    {EventKind::Kick, "kick"},
    {EventKind::Ban, "ban"},
    {EventKind::Unban, "unban"},
    {EventKind::Mute, "mute"},
    {EventKind::Unmute, "unmute"},
    {EventKind::Role, "role"},
    {EventKind::Settings, "settings"},
    {EventKind::Add, "add"},
});

/*! \brief Whether events of \a kind change an earlier message (and carry its seq as target). */
constexpr bool changesMessage(EventKind kind)
{
    return kind == EventKind::Edit || kind == EventKind::Redact || kind == EventKind::React
        || kind == EventKind::Unreact;
}

/*! \brief Whether events of \a kind are about another user (and carry their name as user). */
constexpr bool namesUser(EventKind kind)
{
    return (kind >= EventKind::Invite && kind <= EventKind::Role) || kind == EventKind::Add;
}

/*! \brief Whether events of \a kind end the named user's membership when they had one. */
constexpr bool removesUser(EventKind kind)
{
    return kind == EventKind::Kick || kind == EventKind::Ban;
}

QLatin1StringView eventKindName(EventKind kind);
std::optional<EventKind> eventKindFromName(QStringView name);

/*! \brief One reaction key on a message and who chose it (§7.4). */
struct Reaction
{
    QString key;
    int count = 0;
    //! At most ReactionUsersListed names, oldest first, the viewer's own first if theirs.
    QStringList users;

    friend bool operator==(const Reaction &, const Reaction &) = default;
};

/*!
 * \brief What later events did to a message, bundled with it when it is read from storage
 * (§7.4). A message pushed live has none of it.
 */
struct MessageState
{
    qint64 editedAt = 0; //!< the last edit's ts; 0 when never edited
    bool redacted = false;
    //! Seq of the last edit, redact, react or unreact applied; a client applies those
    //! events to this message only when their seq is greater. 0 when none.
    qint64 changedSeq = 0;
    QList<Reaction> reactions; //!< in order of each key's first use

    friend bool operator==(const MessageState &, const MessageState &) = default;
};

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
    //! message body (messages: the current one, "" once redacted), new body (edit),
    //! room name (create)
    QString text;
    QString topic; //!< topic (topic and create events)
    QStringList mentions; //!< lower-cased usernames mentioned (messages only)
    qint64 replyTo = 0; //!< messages: the seq of the message this answers; 0 when none
    qint64 target = 0; //!< edit, redact, react, unreact: the seq of the message changed
    QString key; //!< react, unreact: the emoji
    QList<FileInfo> attachments; //!< messages: the files attached, in order; none once redacted
    QString user; //!< invite, kick, ban, unban, mute, unmute, role: who it was about
    QString reason; //!< kick, ban, mute: why, as the moderator gave it; may be empty
    qint64 until = 0; //!< ban, mute: when it ends, ms since the epoch; 0: no end
    QString role; //!< role: the RoomRole name given
    bool isPrivate = false; //!< settings: whether the channel is private after it
    QString invitesBy; //!< settings: the InvitePolicy name after it
    MessageState state; //!< messages read from storage

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
