// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

class QQmlEngine;

namespace confab::client {

class Session;

/*! \brief Adds the app's image providers to \a engine: "confabpending" (files chosen or
 * uploading, PendingImageProvider) and "confabfile" (files on the server,
 * FileImageProvider). Every engine that shows the app's QML needs them. */
void installImageProviders(QQmlEngine &engine, const Session &session);

} // namespace confab::client
