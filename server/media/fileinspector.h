// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QByteArray>
#include <QString>

namespace confab::server {

// What the server learnt from a finished upload's bytes (§16.5).
struct InspectedFile
{
    QString type; // MIME type from the bytes (libmagic)
    int width = 0, height = 0; // >0 only for a decoded allow-listed image
    QByteArray thumbnail; // encoded thumbnail bytes, empty if none
    QString thumbnailType; // "image/jpeg" or "image/png"
    int thumbnailWidth = 0, thumbnailHeight = 0;
};

// Inspects the finished file at path; may rewrite it in place (JPEG EXIF GPS erased).
// Thread-safe; slow for big images, so call it on a worker thread.
InspectedFile inspectFile(const QString &path);

} // namespace confab::server
