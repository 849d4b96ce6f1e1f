// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "core/serverconfig.h"

#include <QStringList>
#include <QTextStream>

namespace confab::server::admin {

/*!
 * \brief `confabd migrate --to postgresql://…` (docs/postgresql.md, "Moving from SQLite"):
 * copies the data folder's SQLite database into an empty PostgreSQL database, in one
 * transaction there, then reads both back and compares each table's rows and their SHA-256.
 *
 * It takes the data folder's lock, as restore does: a server writing on would lose what it
 * wrote after the copy when it moves over, so it must be stopped for the move. Without
 * --to it copies into the `database` the configuration names. Exit 0 when the copy matches,
 * 1 when it failed or does not match, 2 for bad usage or a PostgreSQL database that already
 * holds rows, 4 when a database cannot be opened, 6 while a server holds the data folder.
 * Returns -1 if \a args names another command.
 */
int migrateCommand(
    const ServerConfig &config, const QStringList &args, QTextStream &out, QTextStream &err);

QStringList migrateCommandNames();

} // namespace confab::server::admin
