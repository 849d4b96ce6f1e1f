// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QHash>
#include <QObject>
#include <QString>
#include <QUrl>
#include <QtQml/qqmlregistration.h>
#include <memory>
#include <utility>

class QQmlEngine;
class QJSEngine;

namespace confab::client {

class Connection;
class ConnectionState;
class Downloads;
class FileCache;
class RoomState;

/*!
 * \brief Files on the server for QML: saving one where the user chose, with progress and
 * cancel, and the local cache the image provider ("confabfile") reads through.
 *
 * The cache belongs to the signed-in account (openCache()); its size cap is a setting.
 */
class FileTransfers : public QObject
{
    Q_OBJECT
    QML_ELEMENT
    QML_SINGLETON

public:
    FileTransfers(Connection *connection, ConnectionState *state, RoomState *rooms,
        QObject *parent = nullptr);
    ~FileTransfers() override;

    /*! \brief QML's instance: the Session's (see Session::setInstance()). */
    static FileTransfers *create(QQmlEngine *, QJSEngine *);

    /*! \brief The account's cache is in \a dir from now on (empty: none, signed out). */
    void openCache(const QString &dir);
    void setCacheCapBytes(qint64 bytes);
    qint64 cacheCapBytes() const { return m_capBytes; }
    /*! \brief Null while signed out. */
    Downloads *downloads() const { return m_downloads.get(); }
    void handleBinary(const QByteArray &message);

    /*! \brief Writes the file \a fileId to \a destination (a local file URL); saved() or
     * saveFailed() tells how it went, the attachment's downloadProgress meanwhile. */
    Q_INVOKABLE void save(qint64 fileId, const QUrl &destination);
    Q_INVOKABLE void cancelSave(qint64 fileId);
    /*! \brief The Downloads folder and the file's name, made unique ("cat (2).png"). */
    Q_INVOKABLE QUrl suggestedSaveUrl(qint64 fileId) const;

    /*! \brief For the attachments role: save progress (-1: none runs) and last saved path. */
    std::pair<double, QString> status(qint64 fileId) const;

Q_SIGNALS:
    void saved(qint64 fileId, const QString &path);
    /*! \brief \a reason: a translated sentence. */
    void saveFailed(qint64 fileId, const QString &reason);

private:
    void announce(qint64 fileId);

    Connection *m_connection;
    ConnectionState *m_state;
    RoomState *m_rooms;
    qint64 m_capBytes;
    std::unique_ptr<FileCache> m_cache;
    std::unique_ptr<Downloads> m_downloads;
    QHash<qint64, QString> m_savedPaths;
};

} // namespace confab::client
