// SPDX-License-Identifier: GPL-3.0-or-later
#include "files/decodedimageresponse.h"

#include <QCoreApplication>
#include <QMetaObject>
#include <QPointer>
#include <QThreadPool>

namespace confab::client {

DecodedImageResponse::DecodedImageResponse(Decoder decode)
{
    start(std::move(decode));
}

void DecodedImageResponse::start(Decoder decode)
{
    QPointer<DecodedImageResponse> self(this);
    QThreadPool::globalInstance()->start([self, decode = std::move(decode)] {
        QString error;
        const QImage image = decode(&error);
        // The view may have let go of the response meanwhile: only the GUI thread looks.
        QMetaObject::invokeMethod(
            QCoreApplication::instance(),
            [self, image, error] {
                if (self)
                    self->finish(image, error);
            },
            Qt::QueuedConnection);
    });
}

DecodedImageResponse *DecodedImageResponse::failed(const QString &error)
{
    auto *response = new DecodedImageResponse;
    QMetaObject::invokeMethod(
        response, [response, error] { response->finish({}, error); }, Qt::QueuedConnection);
    return response;
}

void DecodedImageResponse::finish(const QImage &image, const QString &error)
{
    m_image = image;
    m_error = image.isNull() ? error : QString();
    Q_EMIT finished();
}

QQuickTextureFactory *DecodedImageResponse::textureFactory() const
{
    return QQuickTextureFactory::textureFactoryForImage(m_image);
}

} // namespace confab::client
