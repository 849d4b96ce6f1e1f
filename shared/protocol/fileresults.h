// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "protocol/fileinfo.h"

#include <QJsonObject>
#include <QString>
#include <optional>

/*!
 * \file
 * \brief The `data` of the file requests' results (protocol §5.25–5.29).
 */
namespace confab::protocol {

/*! \brief `upload_begin` and `upload_status` (§5.25, 5.26). */
struct UploadState
{
    qint64 upload = 0;
    qint64 size = 0;
    qint64 offset = 0; //!< bytes durably stored

    QJsonObject toJson() const;
    static std::optional<UploadState> fromJson(const QJsonObject &data);
};

/*! \brief `upload_finish` (§5.27). */
struct FileResult
{
    FileInfo file;

    QJsonObject toJson() const;
    static std::optional<FileResult> fromJson(const QJsonObject &data);
};

/*! \brief `download` (§5.29): \c length bytes of \c stream follow in binary frames. */
struct DownloadStarted
{
    FileInfo file;
    qint64 stream = 0;
    qint64 offset = 0;
    qint64 length = 0;
    qint64 total = 0; //!< size of what is read: the file or its thumbnail
    QString type; //!< MIME type of what is read

    QJsonObject toJson() const;
    static std::optional<DownloadStarted> fromJson(const QJsonObject &data);
};

} // namespace confab::protocol
