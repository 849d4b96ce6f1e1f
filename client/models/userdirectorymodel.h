// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "protocol/teamresults.h"

#include <QAbstractListModel>
#include <QList>
#include <QPointer>
#include <QTimer>
#include <QtQml/qqmlregistration.h>

namespace confab::client {

class Connection;

/*!
 * \brief The accounts on the server as `users` lists them (docs/protocol.md §17.5): the
 * "start a conversation" dialog's matches, and the administration's user list.
 *
 * The query is sent DebounceMs after the last change (at once with refresh()); only the
 * newest request's answer is shown, so a slow reply to an earlier query never replaces a
 * newer one. An empty query lists everyone (up to the server's page). The admin roles
 * (admin, disabled, createdAt) are only filled when the server sent them, which it does
 * for admins alone.
 */
class UserDirectoryModel : public QAbstractListModel
{
    Q_OBJECT
    QML_ELEMENT
    Q_PROPERTY(QString query READ query WRITE setQuery NOTIFY queryChanged)
    Q_PROPERTY(int count READ rowCount NOTIFY countChanged)
    //! A request for the query is on its way.
    Q_PROPERTY(bool loading READ loading NOTIFY loadingChanged)
    //! The server lists users (hello's `teams` feature).
    Q_PROPERTY(bool available READ available NOTIFY availableChanged)
    //! An account left out of the rows (the signed-in user, in the conversation dialog).
    Q_PROPERTY(QString excludeUser READ excludeUser WRITE setExcludeUser NOTIFY excludeUserChanged)
    //! Why the last request failed; empty after an answer.
    Q_PROPERTY(QString errorText READ errorText NOTIFY loadingChanged)

public:
    enum Role
    {
        UserRole = Qt::UserRole + 1,
        OnlineRole,
        AdminRole, //!< false where the server did not say (not an admin's view)
        DisabledRole, //!< likewise
        CreatedAtRole, //!< QDateTime, local time; invalid where the server did not say
        AdminViewRole, //!< the server sent the admin members for this row
        DisplayNameRole, //!< the profile's display name, or the username (§18.2)
        StatusRole, //!< the profile's status text, "" when none
        AvatarRole, //!< the avatar file id, 0 when none
    };
    Q_ENUM(Role)

    static constexpr int DebounceMs = 200;

    /*! \brief From QML: the Session's connection (Session::instance()). */
    explicit UserDirectoryModel(QObject *parent = nullptr);
    explicit UserDirectoryModel(Connection *connection, QObject *parent = nullptr);

    int rowCount(const QModelIndex &parent = {}) const override;
    QVariant data(const QModelIndex &index, int role) const override;
    QHash<int, QByteArray> roleNames() const override;

    QString query() const { return m_query; }
    void setQuery(const QString &query);
    QString excludeUser() const { return m_excludeUser; }
    void setExcludeUser(const QString &user);
    bool loading() const { return m_loading; }
    bool available() const;
    QString errorText() const { return m_errorText; }
    void setDebounceInterval(int ms) { m_debounce.setInterval(ms); }

    /*! \brief Asks for the query now rather than after the pause. */
    Q_INVOKABLE void refresh();
    Q_INVOKABLE QString userAt(int row) const; //!< empty out of range
    /*! \brief The row of \a user, or -1. */
    Q_INVOKABLE int rowOf(const QString &user) const;

    /*! \brief The account as a `set_user` result gives it: its row changes in place. */
    void applyUser(const protocol::UserEntry &entry);
    /*! \brief No rows, nothing on its way (the account ended). */
    void clear();

Q_SIGNALS:
    void queryChanged();
    void countChanged();
    void loadingChanged();
    void availableChanged();
    void excludeUserChanged();

private:
    void setLoading(bool loading, const QString &error = {});
    void setUsers(QList<protocol::UserEntry> users);

    QPointer<Connection> m_connection;
    QTimer m_debounce;
    QString m_query;
    QString m_excludeUser;
    QList<protocol::UserEntry> m_users;
    bool m_loading = false;
    QString m_errorText;
    quint64 m_generation = 0; //!< replies to an earlier request are dropped
};

} // namespace confab::client
