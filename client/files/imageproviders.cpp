// SPDX-License-Identifier: GPL-3.0-or-later
#include "files/imageproviders.h"

#include "files/fileimageprovider.h"
#include "files/pendingattachments.h"
#include "files/pendingimageprovider.h"
#include "session/session.h"

#include <QQmlEngine>

namespace confab::client {

void installImageProviders(QQmlEngine &engine, const Session &session)
{
    // The engine owns the providers; the paths they read are shared with the session.
    engine.addImageProvider(QLatin1String(PendingImageProvider::Name),
        new PendingImageProvider(session.pendingAttachments()->paths()));
    engine.addImageProvider(
        QLatin1String(FileImageProvider::Name), new FileImageProvider(session.fileTransfers()));
}

} // namespace confab::client
