// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "protocol/requestbuilder.h"
#include "protocol/results.h"

#include <QObject>
#include <QString>
#include <QtQml/qqmlregistration.h>
#include <functional>
#include <optional>

class QQmlEngine;
class QJSEngine;

namespace confab::client {

class AuditModel;
class Connection;
class UserDirectoryModel;

/*!
 * \brief The server's administration from the app (docs/protocol.md §17.5): accounts
 * disabled or made admins, the registration mode, invite codes, the audit log.
 *
 * isAdmin comes from the sign-in result (SignedIn.admin; false from a server without
 * teams), so the UI offers administration only to admins; the server checks every
 * request again. Failures become one translated sentence in \c actionFailed; replies
 * that arrive after reset() (signed out) are dropped.
 */
class Administration : public QObject
{
    Q_OBJECT
    QML_ELEMENT
    QML_SINGLETON
    Q_PROPERTY(bool isAdmin READ isAdmin NOTIFY isAdminChanged)
    //! Every account, with the admin members (the server sends them to admins).
    Q_PROPERTY(confab::client::UserDirectoryModel *users READ users CONSTANT)
    Q_PROPERTY(confab::client::AuditModel *audit READ audit CONSTANT)
    //! "open", "invite" or "closed"; empty until loaded with loadSettings().
    Q_PROPERTY(QString registration READ registration NOTIFY registrationChanged)
    //! The code the last createInvite() made: shown once, the server keeps only its hash.
    Q_PROPERTY(QString inviteCode READ inviteCode NOTIFY inviteCodeChanged)
    Q_PROPERTY(int inviteUses READ inviteUses NOTIFY inviteCodeChanged)
    //! A change is on its way.
    Q_PROPERTY(bool busy READ busy NOTIFY busyChanged)

public:
    Administration(Connection *connection, QObject *parent = nullptr);

    /*! \brief QML's instance: the Session's (see Session::setInstance()). */
    static Administration *create(QQmlEngine *, QJSEngine *);

    bool isAdmin() const { return m_admin; }
    UserDirectoryModel *users() const { return m_users; }
    AuditModel *audit() const { return m_audit; }
    QString registration() const { return m_registration; }
    QString inviteCode() const { return m_inviteCode; }
    int inviteUses() const { return m_inviteUses; }
    bool busy() const { return m_busy > 0; }

    /*! \brief The sign-in (login, register or authenticate) result: who is an admin. */
    void applySignIn(const protocol::SignedIn &result);
    /*! \brief Signed out (or a new account): nothing shown, late replies dropped. */
    void reset();

    /*! \brief Loads the user list, the registration mode and the audit log anew. */
    Q_INVOKABLE void refresh();
    Q_INVOKABLE void loadSettings();
    Q_INVOKABLE void setDisabled(const QString &user, bool disabled);
    Q_INVOKABLE void setAdmin(const QString &user, bool admin);
    /*! \brief \a mode: "open", "invite" or "closed". */
    Q_INVOKABLE void setRegistration(const QString &mode);
    Q_INVOKABLE void createInvite(int uses = 1);
    /*! \brief Forgets the shown invite code (the dialog closed). */
    Q_INVOKABLE void clearInviteCode();

Q_SIGNALS:
    void isAdminChanged();
    void registrationChanged();
    void inviteCodeChanged();
    void busyChanged();
    /*! \brief A change was made: \a message says which, translated. */
    void changed(const QString &message);
    void actionFailed(const QString &message);

private:
    void setUser(const QString &user, std::optional<bool> disabled, std::optional<bool> admin);
    void setRegistrationValue(const QString &mode);
    /*! \brief Sends \a request; \a onOk gets the reply's data unless it failed or came late. */
    void change(
        const protocol::OutgoingRequest &request, std::function<void(const QJsonObject &)> onOk);

    Connection *m_connection;
    UserDirectoryModel *m_users;
    AuditModel *m_audit;
    bool m_admin = false;
    QString m_registration;
    QString m_inviteCode;
    int m_inviteUses = 0;
    int m_busy = 0;
    quint64 m_generation = 0;
};

} // namespace confab::client
