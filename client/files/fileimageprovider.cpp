// SPDX-License-Identifier: GPL-3.0-or-later
#include "files/fileimageprovider.h"

#include "files/decodedimageresponse.h"
#include "files/downloads.h"
#include "files/filetransfers.h"
#include "files/imagedecode.h"

#include <QCoreApplication>

using namespace Qt::StringLiterals;

namespace confab::client {

FileImageProvider::FileImageProvider(FileTransfers *transfers)
    : m_transfers(transfers)
{ }

QQuickImageResponse *FileImageProvider::requestImageResponse(
    const QString &id, const QSize &requestedSize)
{
    const QStringList parts = id.split(u'/');
    bool ok = false;
    const qint64 fileId = parts.value(0).toLongLong(&ok);
    const QString part = parts.value(1);
    if (parts.size() != 2 || !ok || fileId <= 0 || (part != "thumb"_L1 && part != "full"_L1))
        return DecodedImageResponse::failed(u"not a file image id: %1"_s.arg(id));
    auto *response = new DecodedImageResponse;
    QPointer<DecodedImageResponse> guard(response);
    QPointer<FileTransfers> transfers = m_transfers;
    const bool thumbnail = part == "thumb"_L1;
    // The cache and the connection live on the GUI thread: ask there.
    QMetaObject::invokeMethod(
        QCoreApplication::instance(),
        [guard, transfers, fileId, thumbnail, requestedSize] {
            if (!guard)
                return;
            if (!transfers || !transfers->downloads()) {
                guard->finish({}, u"signed out"_s);
                return;
            }
            transfers->downloads()->fetch(fileId, thumbnail, guard.data(),
                [guard, requestedSize](const QString &path, const QString &error) {
                    if (!guard)
                        return;
                    if (path.isEmpty()) {
                        guard->finish({}, error);
                        return;
                    }
                    guard->start([path, requestedSize](QString *why) {
                        return imagedecode::decode(path, requestedSize, why);
                    });
                });
        },
        Qt::QueuedConnection);
    return response;
}

} // namespace confab::client
