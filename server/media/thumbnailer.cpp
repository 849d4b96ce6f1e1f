// SPDX-License-Identifier: GPL-3.0-or-later
#include "media/thumbnailer.h"

#include "core/logging.h"

#include <QBuffer>
#include <QImage>
#include <QImageIOHandler>
#include <QImageReader>
#include <mutex>

namespace confab::server {

namespace {

// The plugin that reads each allow-listed type. The format is forced, so a file's bytes
// are only ever read by the decoder of the type libmagic found.
QByteArray qtFormatFor(const QString &mimeType)
{
    if (mimeType == QLatin1String("image/png"))
        return QByteArrayLiteral("png");
    if (mimeType == QLatin1String("image/jpeg"))
        return QByteArrayLiteral("jpeg");
    if (mimeType == QLatin1String("image/webp"))
        return QByteArrayLiteral("webp");
    if (mimeType == QLatin1String("image/gif"))
        return QByteArrayLiteral("gif");
    return {};
}

void applyAllocationLimitOnce()
{
    // The limit is process-wide in Qt; every decoder in confabd is one of ours.
    static std::once_flag once;
    std::call_once(once, [] { QImageReader::setAllocationLimit(kDecodeAllocationLimitMiB); });
}

bool swapsAxes(QImageIOHandler::Transformations transformation)
{
    return transformation.testFlag(QImageIOHandler::TransformationRotate90);
}

bool hasTransparency(const QImage &image)
{
    if (!image.hasAlphaChannel())
        return false;
    const QImage argb = image.convertToFormat(QImage::Format_ARGB32);
    for (int y = 0; y < argb.height(); ++y) {
        const auto *line = reinterpret_cast<const QRgb *>(argb.constScanLine(y));
        for (int x = 0; x < argb.width(); ++x) {
            if (qAlpha(line[x]) != 255)
                return true;
        }
    }
    return false;
}

// A copy of the pixels only: no text chunks, no colour profile, nothing from the upload's
// metadata travels into the thumbnail.
QImage pixelsOnly(const QImage &image)
{
    const QImage view(
        image.constBits(), image.width(), image.height(), image.bytesPerLine(), image.format());
    return view.copy();
}

} // namespace

bool isThumbnailable(const QString &mimeType)
{
    return !qtFormatFor(mimeType).isEmpty();
}

std::optional<DecodedImage> decodeImage(const QString &path, const QString &mimeType)
{
    const QByteArray format = qtFormatFor(mimeType);
    if (format.isEmpty())
        return std::nullopt;
    applyAllocationLimitOnce();

    QImageReader reader(path, format);
    reader.setDecideFormatFromContent(false);
    reader.setAutoTransform(true);
    const QSize stored = reader.size();
    if (!stored.isValid() || stored.isEmpty()) {
        qCDebug(lcMedia) << "no image size in the header of" << path << reader.errorString();
        return std::nullopt;
    }
    if (qint64(stored.width()) * stored.height() > kMaxDecodedPixels) {
        qCInfo(lcMedia) << "not decoding" << path << "with" << stored << "pixels: over the limit";
        return std::nullopt;
    }

    // The box is square, so fitting before or after a quarter turn gives the same size.
    const QSize target = stored.scaled(QSize(kThumbnailEdge, kThumbnailEdge), Qt::KeepAspectRatio)
                             .boundedTo(stored)
                             .expandedTo(QSize(1, 1));
    // JPEG decodes straight at a fraction of its size (the DCT scales), which keeps a
    // 12-megapixel photo's decode cheap; the other formats decode whole and scale after.
    if (format == "jpeg" && target != stored)
        reader.setScaledSize(target);

    QImage image = reader.read();
    if (image.isNull()) {
        qCInfo(lcMedia) << "cannot decode" << path << "as" << mimeType << reader.errorString();
        return std::nullopt;
    }
    const bool turned = swapsAxes(reader.transformation());
    DecodedImage decoded;
    decoded.width = turned ? stored.height() : stored.width();
    decoded.height = turned ? stored.width() : stored.height();

    const QSize box = turned ? target.transposed() : target;
    if (image.size() != box)
        image = image.scaled(box, Qt::IgnoreAspectRatio, Qt::SmoothTransformation);
    image = pixelsOnly(image);

    QBuffer out(&decoded.thumbnail);
    out.open(QIODevice::WriteOnly);
    bool written = false;
    if (hasTransparency(image)) {
        decoded.thumbnailType = QStringLiteral("image/png");
        written = image.convertToFormat(QImage::Format_ARGB32).save(&out, "png");
    } else {
        decoded.thumbnailType = QStringLiteral("image/jpeg");
        written = image.convertToFormat(QImage::Format_RGB32).save(&out, "jpeg", 85);
    }
    if (!written || decoded.thumbnail.isEmpty()) {
        qCWarning(lcMedia) << "cannot encode the thumbnail of" << path;
        return std::nullopt;
    }
    decoded.thumbnailWidth = image.width();
    decoded.thumbnailHeight = image.height();
    return decoded;
}

} // namespace confab::server
