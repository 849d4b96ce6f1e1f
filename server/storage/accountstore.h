// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "storage/records.h"

#include <QByteArray>
#include <QList>
#include <optional>

namespace confab::server {

class StatementCache;
class WriteContext;

/*!
 * \brief Users, session tokens and invite codes.
 *
 * Reads take the caller's connection; writes take the writer's context and
 * so only ever run inside a writer transaction.
 */
namespace accountstore {

QString nameKey(const QString &name);

/*! \brief A deleted account (§18.1) is nobody: not found by name. */
std::optional<UserRecord> userByName(StatementCache &db, const QString &name);
/*! \brief As userByName(), deleted accounts included: for the operator's listings. */
std::optional<UserRecord> anyUserByName(StatementCache &db, const QString &name);
std::optional<UserRecord> userById(StatementCache &db, qint64 id);
std::optional<SessionRecord> session(StatementCache &db, const QByteArray &tokenHash);
QList<UserRecord> allUsers(StatementCache &db);
/*!
 * \brief Users whose name or display name contains \a query, case-insensitively (every
 * user when it is empty): those either begins with it first, then by name; at most \a limit,
 * disabled accounts only with \a includeDisabled. No password hashes.
 */
QList<UserRecord> searchUsers(
    StatementCache &db, const QString &query, int limit, bool includeDisabled);

/*! \brief The user \a id as the write transaction sees it; empty if there is none. */
bool userById(WriteContext &ctx, qint64 id, std::optional<UserRecord> *user);
bool nameTaken(WriteContext &ctx, const QString &name, bool *taken);
/*! \brief The first account created, empty if there is none. */
bool oldestUser(WriteContext &ctx, std::optional<UserRecord> *user);
bool insertUser(WriteContext &ctx, const QString &name, const QString &passwordHash, qint64 *id);
bool insertToken(WriteContext &ctx, const QByteArray &tokenHash, qint64 userId, qint64 expiresMs);
bool deleteToken(WriteContext &ctx, const QByteArray &tokenHash);
bool deleteUserTokens(WriteContext &ctx, qint64 userId);
bool deleteExpiredTokens(WriteContext &ctx);
bool setPasswordHash(WriteContext &ctx, qint64 userId, const QString &passwordHash);
bool setDisabled(WriteContext &ctx, qint64 userId, bool disabled);
/*!
 * \brief Marks the account deleted (§18.1): its profile and server role are cleared and no
 * password matches it; the row stays, so its messages keep their sender and its name stays taken.
 */
bool markDeleted(WriteContext &ctx, qint64 userId);
/*! \brief Whether \a userId is an account that was not deleted (§18.1). */
bool accountLive(WriteContext &ctx, qint64 userId, bool *live);
/*! \brief Whether a member of \a roomId has deleted their account (a direct room's peer). */
bool hasDeletedMember(WriteContext &ctx, qint64 roomId, bool *deleted);
/*! \brief Grants or revokes the server role (§17.1). */
bool setAdmin(WriteContext &ctx, qint64 userId, bool admin);
/*!
 * \brief How many accounts are admins, not disabled and not deleted: a change must leave one
 * (§17.5, §18.1).
 */
bool enabledAdmins(WriteContext &ctx, int *count);
bool insertInvite(WriteContext &ctx, const QByteArray &codeHash, int uses);
/*! \brief Uses one of the invite's uses; \a found false if none left. */
bool consumeInvite(WriteContext &ctx, const QByteArray &codeHash, bool *found);
/*! \brief Whether an invite with \a codeHash has uses left, without using one. */
bool inviteValid(WriteContext &ctx, const QByteArray &codeHash, bool *valid);
/*! \brief Tells a running server (polling admin_log) what another process changed. */
bool logAdminAction(WriteContext &ctx, const QString &action, qint64 subject);

} // namespace accountstore
} // namespace confab::server
