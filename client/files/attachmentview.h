// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "protocol/fileinfo.h"
#include "store/localstore.h"

#include <QUrl>
#include <QVariantMap>

namespace confab::client::attachmentview {

/*!
 * \file
 * \brief What QML gets for one attachment (TimelineModel's \c attachments role, the
 * viewer's next/previous): a map with fileId, name, size, sizeText, type, isImage, width,
 * height, thumbWidth, thumbHeight, thumbnailSource, imageSource, downloadProgress and
 * savedPath. docs/client.md lists what each means.
 */

/*! \brief "image://confabfile/<id>/thumb" or ".../full". */
QUrl fileImageUrl(qint64 fileId, bool thumbnail);

/*! \brief A file on the server. \a downloadProgress: -1 when no save runs, else 0..1. */
QVariantMap fromFile(
    const protocol::FileInfo &file, double downloadProgress = -1, const QString &savedPath = {});

/*! \brief A file of an own message still uploading: fileId 0, the local preview. */
QVariantMap fromUpload(const OutboxFile &file, const QUrl &preview, bool isImage);

} // namespace confab::client::attachmentview
