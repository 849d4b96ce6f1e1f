// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QImage>
#include <QSize>
#include <QString>

class QIODevice;

namespace confab::client::imagedecode {

//! Formats the app renders (docs/protocol.md §16.5): anything else is a download only.
bool isRenderableFormat(const QByteArray &format);

/*! \brief Whether \a path holds a PNG, JPEG, WebP or GIF, judged by its bytes (its header),
 * not by its name. */
bool isRenderableImage(const QString &path);

/*!
 * \brief Decodes the image in \a device under the app's limits: a renderable format by
 * content, at most MaxPixels in its header, and QImageReader's allocation limit, so a
 * decompression bomb fails instead of taking the memory. \a requested (if valid) is the
 * largest size wanted: the image is scaled to fit it, keeping its aspect ratio. A null
 * image and \a error on failure.
 */
QImage decode(QIODevice *device, QSize requested, QString *error = nullptr);
QImage decode(const QString &path, QSize requested, QString *error = nullptr);

//! The pixels an image's header may claim: the server's limit (§16.5).
inline constexpr qint64 MaxPixels = 100'000'000;
//! QImageReader's allocation limit while decoding, in MiB (the server's, §16.5).
inline constexpr int AllocationLimitMiB = 256;

} // namespace confab::client::imagedecode
