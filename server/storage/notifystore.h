// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "protocol/selfservice.h"

#include <QtGlobal>

namespace confab::server {

class StatementCache;
class WriteContext;

/*!
 * \brief Notification levels per member and do-not-disturb per account (§18.3).
 */
namespace notifystore {

/*! \brief \a userId's level in \a roomId; All if not a member. */
protocol::NotifyLevel level(StatementCache &db, qint64 roomId, qint64 userId);
/*! \brief Sets \a userId's level in \a roomId; \a member: false if they are not a member. */
bool setLevel(
    WriteContext &ctx, qint64 roomId, qint64 userId, protocol::NotifyLevel level, bool *member);

/*! \brief When \a userId's do-not-disturb ends, ms since the epoch; 0: off. */
qint64 dndUntil(StatementCache &db, qint64 userId);
bool setDndUntil(WriteContext &ctx, qint64 userId, qint64 untilMs);

} // namespace notifystore
} // namespace confab::server
