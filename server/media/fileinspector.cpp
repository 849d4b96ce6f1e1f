// SPDX-License-Identifier: GPL-3.0-or-later
#include "media/fileinspector.h"

#include "core/logging.h"
#include "media/exifscrub.h"
#include "media/filetype.h"
#include "media/thumbnailer.h"

#include <QElapsedTimer>

namespace confab::server {

InspectedFile inspectFile(const QString &path)
{
    QElapsedTimer timer;
    timer.start();
    InspectedFile inspected;
    inspected.type = detectFileType(path);
    // The location goes before anything else reads the file, so no later step can keep it.
    if (inspected.type == QLatin1String("image/jpeg"))
        scrubJpegGps(path);
    if (isThumbnailable(inspected.type)) {
        if (const auto image = decodeImage(path, inspected.type)) {
            inspected.width = image->width;
            inspected.height = image->height;
            inspected.thumbnail = image->thumbnail;
            inspected.thumbnailType = image->thumbnailType;
            inspected.thumbnailWidth = image->thumbnailWidth;
            inspected.thumbnailHeight = image->thumbnailHeight;
        }
    }
    qCDebug(lcMedia) << "inspected" << path << inspected.type << inspected.width << "x"
                     << inspected.height << "thumbnail" << inspected.thumbnail.size() << "bytes in"
                     << timer.elapsed() << "ms";
    return inspected;
}

} // namespace confab::server
