// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QString>
#include <optional>

namespace confab::server {

class StatementCache;
class WriteContext;

/*! \brief A user's profile columns (§18.2), without the username. */
struct ProfileRecord
{
    QString displayName; //!< empty: none
    QString status;
    qint64 avatar = 0; //!< a file id; 0: none

    friend bool operator==(const ProfileRecord &, const ProfileRecord &) = default;
};

/*!
 * \brief The display name, status and avatar of users (schema v5 columns of users).
 *
 * An avatar keeps its file alive: while a user has it, the file counts as referenced
 * (files.unreferenced_ms stays NULL), like a file an unredacted message has.
 */
namespace profilestore {

/*! \brief \a userId's profile; nullopt if the read failed. */
std::optional<ProfileRecord> profile(StatementCache &db, qint64 userId);
/*!
 * \brief \a userId's profile as the write transaction sees it; empty if there is no user,
 * or the account was deleted (§18.1).
 */
bool profile(WriteContext &ctx, qint64 userId, std::optional<ProfileRecord> *profile);
/*!
 * \brief Stores \a after as \a userId's profile (\a before was theirs) and keeps the avatar
 * files' reference marks right: the new one referenced, the old one unreferenced since
 * \a nowMs unless something else still has it.
 */
bool store(WriteContext &ctx, qint64 userId, const ProfileRecord &before,
    const ProfileRecord &after, qint64 nowMs);

} // namespace profilestore

} // namespace confab::server
