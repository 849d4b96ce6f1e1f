// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "protocol/requestbuilder.h"

#include <QObject>
#include <QString>
#include <QTimer>
#include <QtQml/qqmlregistration.h>
#include <functional>

class QQmlEngine;
class QJSEngine;

namespace confab::client {

class Connection;
class SessionListModel;

/*!
 * \brief What users do to their own account (docs/protocol.md §18.1): change the
 * password, see and sign out their sessions, delete the account.
 *
 * Offered only when the server's hello has the feature `accounts` (\c available).
 * Failures become one translated sentence in \c actionFailed; replies that arrive after
 * reset() (signed out) are dropped. The sign-out that follows revoking this device's
 * session or deleting the account arrives as a 4001 close, which Account handles.
 */
class AccountSettings : public QObject
{
    Q_OBJECT
    QML_ELEMENT
    QML_SINGLETON
    Q_PROPERTY(bool available READ available NOTIFY availableChanged)
    Q_PROPERTY(confab::client::SessionListModel *sessions READ sessions CONSTANT)
    //! A change is on its way (loading the session list is none).
    Q_PROPERTY(bool busy READ busy NOTIFY busyChanged)
    /*! The session list is on screen: loaded now, again on every reconnect and every
     * RefreshMs, since no push says when a session ends elsewhere. */
    Q_PROPERTY(
        bool sessionsShown READ sessionsShown WRITE setSessionsShown NOTIFY sessionsShownChanged)

public:
    explicit AccountSettings(Connection *connection, QObject *parent = nullptr);

    /*! \brief QML's instance: the Session's (see Session::setInstance()). */
    static AccountSettings *create(QQmlEngine *, QJSEngine *);

    bool available() const { return m_available; }
    SessionListModel *sessions() const { return m_sessions; }
    bool busy() const { return m_busy > 0; }
    bool sessionsShown() const { return m_sessionsShown; }
    void setSessionsShown(bool shown);

    //! How often a list on screen is loaded again.
    static constexpr int RefreshMs = 30'000;

    /*! \brief Signed out (or a new account): nothing shown, late replies dropped. */
    void reset();

    Q_INVOKABLE void changePassword(
        const QString &current, const QString &newPassword, bool revokeOthers);
    /*! \brief Loads the session list anew. */
    Q_INVOKABLE void refresh();
    /*! \brief Signs out session \a id (this device's own one signs this device out). */
    Q_INVOKABLE void revoke(qint64 id);
    Q_INVOKABLE void deleteAccount(const QString &password);

Q_SIGNALS:
    void availableChanged();
    void busyChanged();
    void sessionsShownChanged();
    /*! \brief A change was made: \a message says which, translated. */
    void changed(const QString &message);
    void actionFailed(const QString &message);
    void passwordChanged();

private:
    void updateAvailable();
    void reconnected();
    /*! \brief Sends \a request; \a onOk gets the reply's data unless it failed or came late. */
    void send(
        const protocol::OutgoingRequest &request, std::function<void(const QJsonObject &)> onOk);

    Connection *m_connection;
    SessionListModel *m_sessions;
    QTimer m_refreshTimer;
    bool m_available = false;
    bool m_sessionsShown = false;
    int m_busy = 0;
    int m_listing = 0; //!< session lists on their way
    quint64 m_generation = 0;
    bool m_ownRevoked = false; //!< this device's session was signed out here
};

} // namespace confab::client
