// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QByteArray>
#include <QString>
#include <optional>

namespace confab::server {

// What decoding an allow-listed image gave: its size after the EXIF orientation, and a
// thumbnail that fits in kThumbnailEdge × kThumbnailEdge with the same aspect ratio.
struct DecodedImage
{
    int width = 0;
    int height = 0;
    QByteArray thumbnail;
    QString thumbnailType; // "image/jpeg", or "image/png" when the image has transparency
    int thumbnailWidth = 0;
    int thumbnailHeight = 0;
};

inline constexpr int kThumbnailEdge = 400;
// Images whose header claims more pixels than this are never decoded (§16.5).
inline constexpr qint64 kMaxDecodedPixels = 100'000'000;
// What one decode may allocate (QImageReader::setAllocationLimit, in MiB).
inline constexpr int kDecodeAllocationLimitMiB = 256;

// Decodes the image at path as mimeType, which must be one of the allow-list (PNG, JPEG,
// WebP, GIF: its first frame); nothing for any other type, a header past the limits, or a
// file that does not decode within them. Thread-safe.
std::optional<DecodedImage> decodeImage(const QString &path, const QString &mimeType);

// True for the types decodeImage reads.
bool isThumbnailable(const QString &mimeType);

} // namespace confab::server
