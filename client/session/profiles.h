// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "protocol/selfserviceresults.h"

#include <QHash>
#include <QObject>
#include <QString>
#include <QUrl>
#include <QtQml/qqmlregistration.h>

class QQmlEngine;
class QJSEngine;

namespace confab::client {

/*!
 * \brief What the app knows of each user's profile (docs/protocol.md §18.2): display name,
 * status and avatar by username.
 *
 * Fed by the sign-in result (your own), `members` and `users` results and `profile` pushes.
 * The username stays the identity everywhere; this only says how to show it. QML binds
 * to \c revision together with a lookup, so a `profile` push relabels what is on screen:
 * `Profiles.revision, Profiles.displayName(user)`.
 */
class Connection;
class Uploads;
struct OutboxFile;

class Profiles : public QObject
{
    Q_OBJECT
    QML_ELEMENT
    QML_SINGLETON
    //! Changes with every profile that changes (bind lookups to it).
    Q_PROPERTY(int revision READ revision NOTIFY revisionChanged)
    //! The server has profiles (§18.2): the signed-in user can edit theirs.
    Q_PROPERTY(bool available READ available NOTIFY revisionChanged)
    //! The signed-in user's own profile.
    Q_PROPERTY(QString ownUser READ ownUser NOTIFY revisionChanged)
    Q_PROPERTY(QString ownDisplayName READ ownDisplayName NOTIFY revisionChanged)
    Q_PROPERTY(QString ownStatus READ ownStatus NOTIFY revisionChanged)
    Q_PROPERTY(qint64 ownAvatar READ ownAvatar NOTIFY revisionChanged)
    //! An avatar image is being uploaded (uploadAvatar()).
    Q_PROPERTY(bool uploading READ uploading NOTIFY uploadingChanged)

public:
    /*! \brief \a connection sends set_profile (null: lookups only, as in model tests).
     * Not default-constructible on purpose: Qt 6.4 would construct such a QML_SINGLETON
     * itself and ignore create(), giving QML an empty cache apart from the Session's. */
    explicit Profiles(Connection *connection, QObject *parent = nullptr);

    /*! \brief QML's instance: the Session's (see Session::setInstance()). */
    static Profiles *create(QQmlEngine *, QJSEngine *);

    int revision() const { return m_revision; }
    /*! \brief Stores \a profile; emits changed() when it differs from what was known. */
    void apply(const protocol::Profile &profile);
    /*! \brief The signed-in user is \a user (with their profile, from a server with profiles). */
    void setOwn(const QString &user, const std::optional<protocol::Profile> &profile);
    /*! \brief Signed out: forget everyone. */
    void clear();

    /*! \brief The display name of \a user, or \a user when none is known or set. */
    Q_INVOKABLE QString displayName(const QString &user) const;
    /*! \brief The status text of \a user, "" when none. */
    Q_INVOKABLE QString status(const QString &user) const;
    /*! \brief The avatar file of \a user, 0 when none. */
    Q_INVOKABLE qint64 avatar(const QString &user) const;
    /*! \brief Whether \a user or their display name starts with \a prefix (case-insensitively). */
    bool matches(const QString &user, const QString &prefix) const;
    /*! \brief set_profile with the display name and status (trimmed by the server);
     * the result's profile is stored, then saved() or saveFailed(message). */
    Q_INVOKABLE void save(const QString &displayName, const QString &status);
    /*! \brief set_profile with an uploaded image file as the avatar; 0 removes it. */
    Q_INVOKABLE void setAvatar(qint64 fileId);
    /*! \brief Uploads the local image \a file as attachments are uploaded (§16), then makes
     * it the avatar (setAvatar()); saved() or saveFailed() tells how it went. */
    Q_INVOKABLE void uploadAvatar(const QUrl &file);
    /*! \brief \a uploads takes avatar images: its own, not the outbox's, so that an avatar
     * is never cached as part of a message. */
    void setUploads(Uploads *uploads);
    bool uploading() const { return !m_avatarTxn.isEmpty(); }
    /*! \brief The avatar upload under way (an Uploads txn); empty when none. */
    QString uploadTxn() const { return m_avatarTxn; }
    /*! \brief Every user whose profile is known. */
    QStringList knownUsers() const;

    bool available() const { return m_available; }
    QString ownUser() const { return m_ownUser; }
    QString ownDisplayName() const;
    QString ownStatus() const { return status(m_ownUser); }
    qint64 ownAvatar() const { return avatar(m_ownUser); }

Q_SIGNALS:
    /*! \brief The profile of \a user changed. */
    void changed(const QString &user);
    void revisionChanged();
    void saved();
    void saveFailed(const QString &message);
    void uploadingChanged();

private:
    const protocol::Profile *find(const QString &user) const;
    void send(const std::optional<QString> &displayName, const std::optional<QString> &status,
        std::optional<qint64> avatar);

    void setUploadTxn(const QString &txn);

    Connection *m_connection = nullptr;
    Uploads *m_uploads = nullptr;
    QString m_avatarTxn; //!< the avatar image being uploaded; empty when none
    qint64 m_avatarFile = 0; //!< its file id once upload_finish returned it

    QHash<QString, protocol::Profile> m_profiles; //!< by lower-cased username
    QString m_ownUser;
    bool m_available = false; //!< the sign-in result had the own profile
    int m_revision = 0;
    //! A set_profile result counts only while this is what it was sent with: not after a
    //! sign-out or another user's sign-in.
    quint64 m_generation = 0;
    quint64 m_lastRequest = 0; //!< only the newest request's result is stored
};

} // namespace confab::client
