// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "core/serverconfig.h"

#include <QStringList>
#include <QTextStream>

namespace confab::server::admin {

/*!
 * \brief Runs one operator subcommand against the data folder's database.
 * Safe while confabd runs: it writes through SQLite's locking and records in
 * admin_log what the server must react to (revoked sessions, new rooms).
 *
 * \a args are the subcommand and its arguments; passwords are read from \a in.
 * Returns the process exit code.
 */
int run(const ServerConfig &config, const QStringList &args, QTextStream &in, QTextStream &out,
    QTextStream &err);

QStringList commandNames();

} // namespace confab::server::admin
