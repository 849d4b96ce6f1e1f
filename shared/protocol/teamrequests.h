// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "protocol/hello.h"
#include "protocol/requestbuilder.h"
#include "protocol/roles.h"

#include <optional>

/*!
 * \file
 * \brief Typed constructors for the team requests (§17): invitations, moderation, roles,
 * channel settings and administration.
 */
namespace confab::protocol::requests {

OutgoingRequest invite(qint64 room, const QString &user);
OutgoingRequest declineInvite(qint64 room);
OutgoingRequest kick(qint64 room, const QString &user, const QString &reason = {});
/*! \brief \a durationS 0: until unbanned. */
OutgoingRequest ban(
    qint64 room, const QString &user, const QString &reason = {}, qint64 durationS = 0);
OutgoingRequest unban(qint64 room, const QString &user);
/*! \brief \a durationS 0: until unmuted. */
OutgoingRequest mute(
    qint64 room, const QString &user, const QString &reason = {}, qint64 durationS = 0);
OutgoingRequest unmute(qint64 room, const QString &user);
OutgoingRequest setRole(qint64 room, const QString &user, RoomRole role);
/*! \brief At least one of \a isPrivate and \a invitesBy. */
OutgoingRequest setRoom(
    qint64 room, std::optional<bool> isPrivate, std::optional<InvitePolicy> invitesBy = {});
/*! \brief \a query empty: everyone; \a limit 0: the server's default. */
OutgoingRequest users(const QString &query = {}, int limit = 0);
OutgoingRequest setUser(
    const QString &user, std::optional<bool> disabled, std::optional<bool> admin = {});
OutgoingRequest serverSettings();
OutgoingRequest setServerSettings(RegistrationMode registration);
OutgoingRequest createInvite(int uses = 1);
/*! \brief \a before 0: from the newest entry; \a limit 0: the server's default. */
OutgoingRequest audit(qint64 before = 0, int limit = 0);

} // namespace confab::protocol::requests
