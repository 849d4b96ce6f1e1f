// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QString>

namespace confab::sqlite {

/*!
 * \brief Makes the SQLite file \a path and its folder readable by their owner only, whatever
 * the process umask: the folder (created if missing) 0700, the file (created empty if
 * missing) and its -wal and -shm companions 0600. False with \a error if that fails.
 *
 * Both Confab databases hold messages, and the server's holds password hashes too. Under a
 * umask of 022 SQLite would create them 0644 in a 0755 folder, readable by every local
 * user. An empty file is what SQLite creates anyway, so creating it first, with the
 * owner-only mode, leaves no moment in which the data is readable; SQLite gives the -wal
 * and -shm files it creates later the database file's mode. Files and folders from an older
 * build are tightened when next opened. On Windows the folder is per-user (AppData) and
 * the modes are not applied.
 */
bool makePrivate(const QString &path, QString *error);

} // namespace confab::sqlite
