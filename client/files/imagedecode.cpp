// SPDX-License-Identifier: GPL-3.0-or-later
#include "files/imagedecode.h"

#include <QFile>
#include <QImageReader>

using namespace Qt::StringLiterals;

namespace confab::client::imagedecode {

bool isRenderableFormat(const QByteArray &format)
{
    return format == "png" || format == "jpeg" || format == "webp" || format == "gif";
}

bool isRenderableImage(const QString &path)
{
    QImageReader reader(path);
    reader.setDecideFormatFromContent(true);
    return reader.canRead() && isRenderableFormat(reader.format());
}

QImage decode(QIODevice *device, QSize requested, QString *error)
{
    auto fail = [error](const QString &why) {
        if (error)
            *error = why;
        return QImage();
    };
    // Process-wide in Qt 6.4; every decode in the app goes through here.
    QImageReader::setAllocationLimit(AllocationLimitMiB);
    QImageReader reader(device);
    reader.setDecideFormatFromContent(true);
    reader.setAutoTransform(true);
    if (!reader.canRead() || !isRenderableFormat(reader.format()))
        return fail(u"not a PNG, JPEG, WebP or GIF image"_s);
    const QSize size = reader.size();
    if (!size.isValid() || qint64(size.width()) * size.height() > MaxPixels)
        return fail(u"the image claims %1 x %2 pixels"_s.arg(size.width()).arg(size.height()));
    // A view may bound one side only (sourceSize.width): the other is then free.
    const QSize bound(requested.width() > 0 ? requested.width() : size.width(),
        requested.height() > 0 ? requested.height() : size.height());
    if (size.width() > bound.width() || size.height() > bound.height())
        reader.setScaledSize(size.scaled(bound, Qt::KeepAspectRatio));
    QImage image = reader.read();
    if (image.isNull())
        return fail(reader.errorString());
    return image;
}

QImage decode(const QString &path, QSize requested, QString *error)
{
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly)) {
        if (error)
            *error = file.errorString();
        return {};
    }
    return decode(&file, requested, error);
}

} // namespace confab::client::imagedecode
