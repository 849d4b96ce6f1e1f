// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "storage/records.h"

#include <QList>

namespace confab::server {

class StatementCache;
class WriteContext;

/*!
 * \brief The audit log (§17.5): what admins, from the app, and the operator, from the shell,
 * changed on the server. Entries are only ever appended.
 */
namespace auditstore {

/*!
 * \brief Records that \a actorId (0: the operator's shell) did \a action (e.g.
 * "disable_user") to \a subject (a username or the new value), at now().
 */
bool append(WriteContext &ctx, qint64 actorId, const QString &action, const QString &subject,
    const QString &detail = {});
/*!
 * \brief At most \a limit entries with an id below \a beforeId (0: from the newest), newest
 * first. An actor whose account is gone reads as "".
 */
QList<AuditRecord> page(StatementCache &db, qint64 beforeId, int limit);

} // namespace auditstore
} // namespace confab::server
