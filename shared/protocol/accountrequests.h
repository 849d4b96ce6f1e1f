// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "protocol/requestbuilder.h"
#include "protocol/selfservice.h"

#include <QStringList>
#include <optional>

/*!
 * \file
 * \brief Typed constructors for what users do for themselves (§18): their password,
 * sessions and account, their profile, notification levels, and group conversations.
 */
namespace confab::protocol::requests {

OutgoingRequest changePassword(
    const QString &password, const QString &newPassword, bool revokeOthers = false);
OutgoingRequest sessions();
OutgoingRequest revokeSession(qint64 session);
OutgoingRequest deleteAccount(const QString &password);
/*! \brief Absent members are left as they are; an empty string or avatar 0 clears. */
OutgoingRequest setProfile(const std::optional<QString> &displayName,
    const std::optional<QString> &status = std::nullopt,
    std::optional<qint64> avatar = std::nullopt);
OutgoingRequest setNotify(qint64 room, NotifyLevel level);
/*! \brief \a until in ms since the epoch; 0 ends do-not-disturb. */
OutgoingRequest setDnd(qint64 until);
OutgoingRequest openGroup(const QStringList &users, const QString &name = {});
OutgoingRequest addToGroup(qint64 room, const QString &user);

} // namespace confab::protocol::requests
