// SPDX-License-Identifier: GPL-3.0-or-later
#include "files/attachmentview.h"

#include <QLocale>

using namespace Qt::StringLiterals;

namespace confab::client::attachmentview {

namespace {

QString sizeText(qint64 size)
{
    return QLocale().formattedDataSize(size, 1, QLocale::DataSizeSIFormat);
}

} // namespace

QUrl fileImageUrl(qint64 fileId, bool thumbnail)
{
    return QUrl(u"image://confabfile/%1/%2"_s.arg(fileId).arg(thumbnail ? u"thumb"_s : u"full"_s));
}

QVariantMap fromFile(
    const protocol::FileInfo &file, double downloadProgress, const QString &savedPath)
{
    // Only the thumbnail, or a file the server decoded as an image, is ever rendered
    // (§16.4): whatever the type or name says, anything else is a download.
    const bool hasThumb = file.thumbnail.has_value();
    const bool decoded = file.isDecodedImage();
    return {
        {u"fileId"_s, file.id},
        {u"name"_s, file.name},
        {u"size"_s, file.size},
        {u"sizeText"_s, sizeText(file.size)},
        {u"type"_s, file.type},
        {u"isImage"_s, hasThumb},
        {u"width"_s, file.width},
        {u"height"_s, file.height},
        {u"thumbWidth"_s, hasThumb ? file.thumbnail->width : 0},
        {u"thumbHeight"_s, hasThumb ? file.thumbnail->height : 0},
        {u"thumbnailSource"_s, hasThumb ? fileImageUrl(file.id, true) : QUrl()},
        {u"imageSource"_s,
            decoded ? fileImageUrl(file.id, false)
                    : (hasThumb ? fileImageUrl(file.id, true) : QUrl())},
        {u"downloadProgress"_s, downloadProgress},
        {u"savedPath"_s, savedPath},
    };
}

QVariantMap fromUpload(const OutboxFile &file, const QUrl &preview, bool isImage)
{
    return {
        {u"fileId"_s, qint64(0)},
        {u"name"_s, file.name},
        {u"size"_s, file.size},
        {u"sizeText"_s, sizeText(file.size)},
        {u"type"_s, QString()},
        {u"isImage"_s, isImage},
        {u"width"_s, 0},
        {u"height"_s, 0},
        {u"thumbWidth"_s, 0},
        {u"thumbHeight"_s, 0},
        {u"thumbnailSource"_s, isImage ? preview : QUrl()},
        {u"imageSource"_s, isImage ? preview : QUrl()},
        {u"downloadProgress"_s, -1.0},
        {u"savedPath"_s, QString()},
    };
}

} // namespace confab::client::attachmentview
