// SPDX-License-Identifier: GPL-3.0-or-later
#include "protocol/teamrequests.h"

using namespace Qt::StringLiterals;

namespace confab::protocol::requests {

namespace {
OutgoingRequest roomUser(RequestType type, qint64 room, const QString &user)
{
    return {type, {{"room"_L1, double(room)}, {"user"_L1, user}}};
}

OutgoingRequest sanction(
    RequestType type, qint64 room, const QString &user, const QString &reason, qint64 durationS)
{
    OutgoingRequest r = roomUser(type, room, user);
    if (!reason.isEmpty())
        r.fields.insert("reason"_L1, reason);
    if (durationS > 0)
        r.fields.insert("duration"_L1, double(durationS));
    return r;
}
} // namespace

OutgoingRequest invite(qint64 room, const QString &user)
{
    return roomUser(RequestType::Invite, room, user);
}

OutgoingRequest declineInvite(qint64 room)
{
    return {RequestType::DeclineInvite, {{"room"_L1, double(room)}}};
}

OutgoingRequest kick(qint64 room, const QString &user, const QString &reason)
{
    return sanction(RequestType::Kick, room, user, reason, 0);
}

OutgoingRequest ban(qint64 room, const QString &user, const QString &reason, qint64 durationS)
{
    return sanction(RequestType::Ban, room, user, reason, durationS);
}

OutgoingRequest unban(qint64 room, const QString &user)
{
    return roomUser(RequestType::Unban, room, user);
}

OutgoingRequest mute(qint64 room, const QString &user, const QString &reason, qint64 durationS)
{
    return sanction(RequestType::Mute, room, user, reason, durationS);
}

OutgoingRequest unmute(qint64 room, const QString &user)
{
    return roomUser(RequestType::Unmute, room, user);
}

OutgoingRequest setRole(qint64 room, const QString &user, RoomRole role)
{
    OutgoingRequest r = roomUser(RequestType::SetRole, room, user);
    r.fields.insert("role"_L1, roomRoleName(role));
    return r;
}

OutgoingRequest setRoom(
    qint64 room, std::optional<bool> isPrivate, std::optional<InvitePolicy> invitesBy)
{
    OutgoingRequest r {RequestType::SetRoom, {{"room"_L1, double(room)}}};
    if (isPrivate)
        r.fields.insert("private"_L1, *isPrivate);
    if (invitesBy)
        r.fields.insert("invitesBy"_L1, invitePolicyName(*invitesBy));
    return r;
}

OutgoingRequest users(const QString &query, int limit)
{
    OutgoingRequest r {RequestType::Users, {}};
    if (!query.trimmed().isEmpty())
        r.fields.insert("query"_L1, query);
    if (limit > 0)
        r.fields.insert("limit"_L1, limit);
    return r;
}

OutgoingRequest setUser(
    const QString &user, std::optional<bool> disabled, std::optional<bool> admin)
{
    OutgoingRequest r {RequestType::SetUser, {{"user"_L1, user}}};
    if (disabled)
        r.fields.insert("disabled"_L1, *disabled);
    if (admin)
        r.fields.insert("admin"_L1, *admin);
    return r;
}

OutgoingRequest serverSettings()
{
    return {RequestType::ServerSettings, {}};
}

OutgoingRequest setServerSettings(RegistrationMode registration)
{
    return {RequestType::SetServerSettings,
        {{"registration"_L1, RegistrationModeNames.toName(registration)}}};
}

OutgoingRequest createInvite(int uses)
{
    return {RequestType::CreateInvite, {{"uses"_L1, uses}}};
}

OutgoingRequest audit(qint64 before, int limit)
{
    OutgoingRequest r {RequestType::Audit, {}};
    if (before > 0)
        r.fields.insert("before"_L1, double(before));
    if (limit > 0)
        r.fields.insert("limit"_L1, limit);
    return r;
}

} // namespace confab::protocol::requests
