// SPDX-License-Identifier: GPL-3.0-or-later
#include "files/pendingimageprovider.h"

#include "files/decodedimageresponse.h"
#include "files/imagedecode.h"

#include <QMutexLocker>

using namespace Qt::StringLiterals;

namespace confab::client {

void PendingPaths::insert(const QString &token, const QString &path)
{
    const QMutexLocker lock(&m_mutex);
    m_paths.insert(token, path);
}

void PendingPaths::remove(const QString &token)
{
    const QMutexLocker lock(&m_mutex);
    m_paths.remove(token);
}

QString PendingPaths::path(const QString &token) const
{
    const QMutexLocker lock(&m_mutex);
    return m_paths.value(token);
}

PendingImageProvider::PendingImageProvider(std::shared_ptr<const PendingPaths> paths)
    : m_paths(std::move(paths))
{ }

QQuickImageResponse *PendingImageProvider::requestImageResponse(
    const QString &id, const QSize &requestedSize)
{
    const QString path = m_paths->path(id);
    if (path.isEmpty())
        return DecodedImageResponse::failed(u"no such pending file"_s);
    return new DecodedImageResponse([path, requestedSize](QString *error) {
        return imagedecode::decode(path, requestedSize, error);
    });
}

} // namespace confab::client
