// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QHash>
#include <QSet>
#include <QString>

namespace confab::server {

enum class RoomKind
{
    Channel = 0,
    Direct = 1,
    Group = 2, //!< a group conversation (§18.4); its name is the one it was given, if any
};

struct UserRecord
{
    qint64 id = 0;
    QString name;
    QString passwordHash;
    bool disabled = false;
    bool admin = false; //!< the server role (§17.1)
    qint64 createdMs = 0;
    bool deleted = false; //!< by delete_account (§18.1): the row stays, the name stays taken
};

struct SessionRecord
{
    qint64 userId = 0;
    QString userName;
    qint64 expiresMs = 0;
    bool disabled = false;
    bool admin = false; //!< the server role (§17.1), for the sign-in result
    qint64 sessionId = 0; //!< its row in `sessions` (§18.1), for the sign-in log
    QString device; //!< the name the session was given at its password sign-in
};

struct RoomRecord
{
    qint64 id = 0;
    RoomKind kind = RoomKind::Channel;
    QString name;
    QString topic;
    QSet<qint64> members;
    qint64 lastSeq = 0;
    bool isPrivate = false; //!< channels only (§17.2)
    int invitesBy = 0; //!< a protocol::InvitePolicy: 0 members, 1 moderators
    //! Members whose role is above member, as a protocol::RoomRole rank (1 moderator,
    //! 2 owner); a member absent from it is a plain member (rank 0).
    QHash<qint64, int> roles {};

    /*! \brief The rank of member \a user's role; 0 for a plain member or a non-member. */
    int roleOf(qint64 user) const { return roles.value(user, 0); }
};

/*! \brief A ban or mute of one user in one room (§17.4). */
struct SanctionRecord
{
    int kind = 0; //!< a protocol::SanctionKind: 1 ban, 2 mute
    qint64 untilMs = 0; //!< when it ends; 0 when it has no end
    QString reason;
    qint64 byId = 0; //!< who imposed it
    qint64 createdMs = 0;
};

/*! \brief A pending invitation to a channel, as the sign-in results list it (§17.3). */
struct RoomInviteRecord
{
    qint64 room = 0;
    QString name; //!< the channel's current name
    QString topic;
    bool isPrivate = false;
    QString by; //!< the inviter's username
    qint64 createdMs = 0;
    qint64 eventSeq = 0; //!< seq of the invite event
};

/*! \brief One entry of the audit log (§17.5). */
struct AuditRecord
{
    qint64 id = 0;
    qint64 ts = 0;
    QString actor; //!< username; "" for the operator's shell
    QString action;
    QString subject;
    QString detail;
};

} // namespace confab::server
