// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "storage/records.h"

#include <QByteArray>
#include <QList>
#include <QString>
#include <utility>

namespace confab::server {

class StatementCache;
class WriteContext;

/*! \brief One signed-in device of an account (§18.1): a token's visible side. */
struct SessionRow
{
    qint64 id = 0;
    QByteArray tokenHash;
    QString device;
    QString address;
    qint64 createdMs = 0;
    qint64 lastSeenMs = 0;
};

/*!
 * \brief The sessions table. A session lives exactly as long as its token: deleting a
 * token deletes its row (a trigger of schema v5, so that the operator's commands from
 * another process end sessions too), and only sessions of unexpired tokens are listed.
 */
namespace sessionstore {

/*! \brief \a userId's sessions whose tokens are valid at \a nowMs, most recently used first. */
QList<SessionRow> sessionsOf(StatementCache &db, qint64 userId, qint64 nowMs);

/*!
 * \brief The sessions of tokens valid at \a nowMs of enabled accounts, by token hash, most
 * recently used first, at most \a limit: what the sign-in cache starts with.
 */
QList<std::pair<QByteArray, SessionRecord>> liveSessions(
    StatementCache &db, qint64 nowMs, qsizetype limit);

bool insertSession(WriteContext &ctx, const QByteArray &tokenHash, qint64 userId,
    const QString &device, const QString &address);
/*! \brief The session of \a tokenHash was used now, from \a address (kept if this is empty). */
bool touchSession(WriteContext &ctx, const QByteArray &tokenHash, const QString &address);
/*! \brief One sign-in's last use of a session: when (ms since the epoch) and from where. */
struct Touch
{
    QByteArray tokenHash;
    QString address;
    qint64 atMs = 0;
};
/*!
 * \brief touchSession() for many sessions in one statement each, at the times given; a time
 * never moves back (a later write of the same session may have gone first).
 */
bool touchSessions(WriteContext &ctx, const QList<Touch> &touches);
/*! \brief Whether \a tokenHash is a token that is neither revoked nor expired. */
bool tokenLive(WriteContext &ctx, const QByteArray &tokenHash, bool *live);
/*! \brief The token of \a userId's session \a sessionId; empty if it is not theirs. */
bool tokenOfSession(WriteContext &ctx, qint64 userId, qint64 sessionId, QByteArray *tokenHash);
/*!
 * \brief Deletes every token of \a userId but \a keep; \a count: how many unexpired sessions
 * ended.
 */
bool deleteOtherTokens(WriteContext &ctx, qint64 userId, const QByteArray &keep, int *count);

} // namespace sessionstore
} // namespace confab::server
