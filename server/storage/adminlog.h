// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QList>
#include <QString>
#include <optional>

namespace confab::server {

class StatementCache;

/*!
 * \brief What an operator's command (confabd admin, another process) asks a running server
 * to act on: the server polls it. Written by accountstore::logAdminAction().
 */
namespace adminlog {

struct Action
{
    qint64 id = 0;
    QString action; //!< "revoke_user", "room", "set_admin" or "enable_user"
    qint64 subject = 0; //!< the user or room id
};

/*! \brief The newest entry's id, 0 if none: where a starting server begins. */
qint64 latestId(StatementCache &db);
/*! \brief Entries after \a afterId, oldest first; nullopt if the log could not be read. */
std::optional<QList<Action>> since(StatementCache &db, qint64 afterId);

} // namespace adminlog
} // namespace confab::server
