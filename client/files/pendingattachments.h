// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "store/localstore.h"

#include <QAbstractListModel>
#include <QHash>
#include <QList>
#include <QUrl>
#include <QtQml/qqmlregistration.h>
#include <memory>

class QQmlEngine;
class QJSEngine;
class QMimeData;

namespace confab::client {

class PendingPaths;

/*!
 * \brief The files chosen for the open room's composer and not sent yet, kept per room
 * like drafts: switching rooms shows that room's list.
 *
 * Files are referred to by path; a pasted image is first written as a PNG into the app's
 * folder for copies, so that its upload survives a restart. CurrentRoom.sendMessage()
 * takes the list with the text (takeForSend()).
 */
class PendingAttachments : public QAbstractListModel
{
    Q_OBJECT
    QML_ELEMENT
    QML_SINGLETON
    Q_PROPERTY(int count READ count NOTIFY countChanged)
    //! The server stores files (its hello announced `files`).
    Q_PROPERTY(bool available READ available NOTIFY limitsChanged)
    //! The largest file the server takes, in bytes.
    Q_PROPERTY(qint64 maxFileBytes READ maxFileBytes NOTIFY limitsChanged)

public:
    enum Role
    {
        NameRole = Qt::UserRole + 1, //!< the file's name
        SizeRole, //!< bytes (qint64)
        SizeTextRole, //!< "1.2 MB", localised
        IsImageRole, //!< a PNG, JPEG, WebP or GIF by its bytes: previewSource shows it
        PreviewSourceRole, //!< image://confabpending/<token>
    };
    Q_ENUM(Role)

    /*! \a copiesDir: where pasted images are written until an account is open. */
    explicit PendingAttachments(const QString &copiesDir, QObject *parent = nullptr);
    ~PendingAttachments() override;

    /*! \brief QML's instance: the Session's (see Session::setInstance()). */
    static PendingAttachments *create(QQmlEngine *, QJSEngine *);

    int rowCount(const QModelIndex &parent = {}) const override;
    QVariant data(const QModelIndex &index, int role) const override;
    QHash<int, QByteArray> roleNames() const override;

    int count() const { return rowCount(); }
    bool available() const { return m_available; }
    qint64 maxFileBytes() const { return m_maxFileBytes; }
    void setLimits(bool available, qint64 maxFileBytes);

    /*! \brief The list shown is \a room's from now on. */
    void setRoom(qint64 room);
    qint64 room() const { return m_room; }

    /*! \brief Adds local files; a directory, an unreadable or a too big file is refused
     * (rejected() says why). True if at least one was added. */
    Q_INVOKABLE bool addUrls(const QList<QUrl> &urls);
    /*! \brief Adds what the clipboard holds: an image, or file URLs. False when it holds
     * neither, so the composer's own paste goes on. */
    Q_INVOKABLE bool addClipboard();
    bool addMimeData(const QMimeData *mime);
    Q_INVOKABLE void remove(int row);
    Q_INVOKABLE void clear();
    /*! \brief Every room's list goes (signing out): they belong to the account. */
    void forgetAll();
    /*! \brief Pasted images go to \a dir (the account's) from now on; copies there that
     * no unsent message in \a keep uses are left over from a crash and deleted. */
    void setCopiesDir(const QString &dir, const QList<OutboxEntry> &keep);
    QString copiesDir() const { return m_copiesDir; }

    /*! \brief The open room's files, for the outbox, which takes over the pasted copies;
     * the list is then empty. */
    QList<OutboxFile> takeForSend();
    /*! \brief The open room's files, left in the list. */
    QList<OutboxFile> files() const;
    /*! \brief The attachments an unsent message shows while its files upload: names,
     * sizes and previews of the local files (attachmentview.h). */
    QVariantList uploadingView(const OutboxEntry &entry);

    /*! \brief The image provider's view of the tokens (PendingImageProvider). */
    std::shared_ptr<const PendingPaths> paths() const { return m_paths; }
    /*! \brief Also for files of unsent messages: a token for \a path's preview. */
    QString previewToken(const QString &path);
    static QUrl previewUrl(const QString &token);

Q_SIGNALS:
    void countChanged();
    void limitsChanged();
    /*! \brief A file was not added: a translated sentence. */
    void rejected(const QString &reason);

private:
    struct Item
    {
        OutboxFile file;
        QString token;
        bool isImage = false;
    };

    bool addFile(const QString &path, const QString &name, bool owned);
    void dropItem(const Item &item, bool deleteCopy);
    QList<Item> &current();

    QString m_copiesDir;
    std::shared_ptr<PendingPaths> m_paths;
    QHash<qint64, QList<Item>> m_rooms;
    qint64 m_room = 0;
    bool m_available = false;
    qint64 m_maxFileBytes = 100LL * 1024 * 1024;
    qint64 m_nextToken = 1;
    QHash<QString, QString> m_uploadTokens; //!< path -> token, for uploading files' previews
};

} // namespace confab::client
