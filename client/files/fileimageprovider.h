// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QPointer>
#include <QQuickAsyncImageProvider>

namespace confab::client {

class FileTransfers;

/*!
 * \brief "image://confabfile/<fileId>/thumb" (the server's thumbnail) and
 * ".../<fileId>/full" (the file itself, only for images the server decoded, §16.4): read
 * from the local cache, fetched into it when missing, and decoded off the GUI thread with
 * the app's limits (imagedecode.h). QML never gets a network URL.
 */
class FileImageProvider : public QQuickAsyncImageProvider
{
public:
    static constexpr auto Name = "confabfile";

    explicit FileImageProvider(FileTransfers *transfers);

    QQuickImageResponse *requestImageResponse(
        const QString &id, const QSize &requestedSize) override;

private:
    QPointer<FileTransfers> m_transfers;
};

} // namespace confab::client
