// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QHash>
#include <QMutex>
#include <QQuickAsyncImageProvider>
#include <QString>
#include <memory>

namespace confab::client {

/*!
 * \brief Which local file each preview token stands for. PendingAttachments writes it on
 * the GUI thread; the image provider reads it on its worker threads.
 */
class PendingPaths
{
public:
    void insert(const QString &token, const QString &path);
    void remove(const QString &token);
    QString path(const QString &token) const;

private:
    mutable QMutex m_mutex;
    QHash<QString, QString> m_paths;
};

/*!
 * \brief "image://confabpending/<token>": the preview of a file chosen but not sent yet,
 * decoded off the GUI thread with the app's limits (imagedecode.h) from the local file
 * or the pasted image's copy. QML never sees the path.
 */
class PendingImageProvider : public QQuickAsyncImageProvider
{
public:
    static constexpr auto Name = "confabpending";

    explicit PendingImageProvider(std::shared_ptr<const PendingPaths> paths);

    QQuickImageResponse *requestImageResponse(
        const QString &id, const QSize &requestedSize) override;

private:
    std::shared_ptr<const PendingPaths> m_paths;
};

} // namespace confab::client
