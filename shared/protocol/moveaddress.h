// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QString>
#include <QUrl>

namespace confab::protocol {

/*!
 * \brief Reads where a server says it moved to (hello's `movedTo`, the `moved` push,
 * §19.6): a ws:// or wss:// URL with a host, and nothing else (no user, path, query or
 * fragment). Returns an invalid QUrl for anything else, so that both ends reject the same.
 */
QUrl moveAddress(const QString &text);

/*!
 * \brief Whether a client at \a from may follow a move to \a to: ws→ws, wss→wss and
 * ws→wss, never wss→ws, which would send the password in clear to whoever answers.
 */
bool mayFollowMove(const QUrl &from, const QUrl &to);

} // namespace confab::protocol
