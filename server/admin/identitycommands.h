// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "core/serverconfig.h"

#include <QStringList>
#include <QTextStream>

namespace confab::server::admin {

/*!
 * \brief `confabd identity` (docs/lan.md): prints the server's id, name, fingerprint and the
 * short code people compare, making the identity first if the data folder has none. Safe
 * beside a running server: it only reads what the server made, or makes what the server
 * would make the same way. `confabd identity rotate` first replaces the key by a new one the
 * old key signs over (protocol §19.7); the running server serves it from its next start.
 * Returns the exit code, or -1 if \a args names another command.
 */
int identityCommand(
    const ServerConfig &config, const QStringList &args, QTextStream &out, QTextStream &err);

QStringList identityCommandNames();

} // namespace confab::server::admin
