// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "protocol/selfservice.h"

#include <QHash>
#include <QList>
#include <QtGlobal>
#include <optional>

namespace confab::server {

class StatementCache;
class WriteContext;

/*!
 * \brief Notification levels per member and do-not-disturb per account (§18.3).
 */
namespace notifystore {

/*! \brief \a userId's level in \a roomId; All if not a member. */
protocol::NotifyLevel level(StatementCache &db, qint64 roomId, qint64 userId);
/*! \brief As level(), but nothing when the read failed: for a cache, which must not keep that. */
std::optional<protocol::NotifyLevel> storedLevel(StatementCache &db, qint64 roomId, qint64 userId);
/*! \brief Sets \a userId's level in \a roomId; \a member: false if they are not a member. */
bool setLevel(
    WriteContext &ctx, qint64 roomId, qint64 userId, protocol::NotifyLevel level, bool *member);

/*! \brief When \a userId's do-not-disturb ends, ms since the epoch; 0: off. */
qint64 dndUntil(StatementCache &db, qint64 userId);
/*! \brief As dndUntil(), but nothing when the read failed. */
std::optional<qint64> storedDndUntil(StatementCache &db, qint64 userId);
/*! \brief Every account's do-not-disturb end (0: off), deleted accounts left out. */
QHash<qint64, qint64> allDndUntil(StatementCache &db);
/*! \brief One row of `members`: what a member's summary reads besides the room. */
struct MemberState
{
    qint64 room = 0;
    qint64 user = 0;
    qint64 readSeq = 0;
    int notify = 0;
};
/*! \brief The first \a limit rows of `members`; empty if the read failed part-way. */
QList<MemberState> memberStates(StatementCache &db, qsizetype limit);
bool setDndUntil(WriteContext &ctx, qint64 userId, qint64 untilMs);

} // namespace notifystore
} // namespace confab::server
