// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QByteArray>
#include <QString>

namespace confab::server {

// Erases the GPS data of a JPEG's EXIF in place: the GPS IFD keeps its place but has no
// entries, and the bytes its entries pointed to are zeros. GPS properties in its XMP
// packets (exif:GPSLatitude …, as photo editors write them) become spaces. Everything else
// (the length, the orientation, the other tags) stays as it was, so the file is still a
// valid JPEG. Returns whether anything was erased; a file that is not a JPEG is left alone.
bool scrubJpegGps(const QString &path);

// The same on an EXIF segment's payload already in memory ("Exif\0\0" then TIFF).
bool scrubExifGps(QByteArray &exifPayload);
// The same on an XMP segment's payload ("http://ns.adobe.com/xap/1.0/\0" then XML).
bool scrubXmpGps(QByteArray &xmpPayload);

} // namespace confab::server
