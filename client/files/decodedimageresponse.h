// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QImage>
#include <QQuickImageResponse>
#include <QRunnable>
#include <QString>
#include <functional>

namespace confab::client {

/*!
 * \brief An image decoded on Qt's global thread pool: the image providers' answer, so a
 * large picture never stalls the GUI thread. \a decode runs on the worker; it returns the
 * image, or a null one and the reason in its argument.
 */
class DecodedImageResponse : public QQuickImageResponse
{
    Q_OBJECT

public:
    using Decoder = std::function<QImage(QString *error)>;

    /*! \brief Starts \a decode now on the global pool. */
    explicit DecodedImageResponse(Decoder decode);
    /*! \brief A response that waits for start() or finish(). */
    DecodedImageResponse() = default;
    /*! \brief Runs \a decode on the global pool, then finishes. */
    void start(Decoder decode);
    /*! \brief A response finished at once (a failure known without decoding). */
    static DecodedImageResponse *failed(const QString &error);
    /*! \brief Finishes with \a image (null: \a error); safe from any thread. */
    void finish(const QImage &image, const QString &error);

    QQuickTextureFactory *textureFactory() const override;
    QString errorString() const override { return m_error; }

private:
    QImage m_image;
    QString m_error;
};

} // namespace confab::client
