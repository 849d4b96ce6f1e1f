// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

class QAbstractEventDispatcher;

namespace confab::server {

/*!
 * \brief Gives the main thread the event dispatcher confabd serves with; call it before
 * the QCoreApplication exists.
 *
 * On Linux that is EpollEventDispatcher. CONFAB_EVENT_DISPATCHER=qt keeps Qt's default,
 * for comparison and as an escape hatch. Elsewhere Qt's default is used.
 */
void installEventDispatcher();

/*!
 * \brief The dispatcher for another thread's loop, as installEventDispatcher() chooses it;
 * null for Qt's default.
 */
QAbstractEventDispatcher *makeEventDispatcher();

} // namespace confab::server
