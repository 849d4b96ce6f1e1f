// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "core/serverconfig.h"

#include <QStringList>
#include <QTextStream>

namespace confab::server::admin {

/*!
 * \brief `confabd backup|restore|check …` (operations.md, "Backups"). Unlike the other admin
 * commands they are no transaction of their own: backup and check read one snapshot next to
 * a running server, and restore refuses to run while a server holds the data folder.
 * Returns the process exit code, or -1 if \a args names none of them.
 */
int backupCommand(
    const ServerConfig &config, const QStringList &args, QTextStream &out, QTextStream &err);

QStringList backupCommandNames();

} // namespace confab::server::admin
