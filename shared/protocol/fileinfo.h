// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QJsonObject>
#include <QString>
#include <optional>

namespace confab::protocol {

/*! \brief The picture the server made of an image file (§16.5). */
struct Thumbnail
{
    int width = 0;
    int height = 0;
    qint64 size = 0; //!< bytes
    QString type; //!< "image/jpeg" or "image/png"

    friend bool operator==(const Thumbnail &, const Thumbnail &) = default;
};

/*!
 * \brief A stored file (§16.4): what `upload_finish` and `download` return and what a
 * message's `attachments` hold.
 */
struct FileInfo
{
    qint64 id = 0;
    QString name; //!< as given to upload_begin; a suggestion for saving, never a path
    qint64 size = 0;
    QString type; //!< MIME type detected from the bytes by the server
    QString sha256; //!< 64 lowercase hex digits, of the stored bytes
    int width = 0; //!< > 0 only for an image the server decoded
    int height = 0;
    std::optional<Thumbnail> thumbnail;

    /*! \brief Whether a client may decode the file itself as a picture (§16.4). */
    bool isDecodedImage() const { return width > 0 && height > 0; }

    QJsonObject toJson() const;
    /*! \brief nullopt without a positive id, a name, a size or a type. */
    static std::optional<FileInfo> fromJson(const QJsonObject &object);

    friend bool operator==(const FileInfo &, const FileInfo &) = default;
};

} // namespace confab::protocol
