// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "core/serverconfig.h"

#include <QStringList>
#include <QTextStream>
#include <functional>

namespace confab::server {

class StatementCache;
class WriteContext;

namespace admin {

/*!
 * \brief `confabd files list|usage|remove …` (operations.md): what files take, and removing
 * one for everyone. Runs inside the admin command's transaction; \a afterCommit is set to
 * what must happen once it committed (removing blob files from disk).
 */
int filesCommand(const ServerConfig &config, const QStringList &args, WriteContext &ctx,
    StatementCache &reads, QTextStream &out, QTextStream &err, std::function<void()> *afterCommit);

} // namespace admin
} // namespace confab::server
