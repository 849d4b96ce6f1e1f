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

class ConnectionState;
class DirectoryModel;
struct Reply;
class MemberListModel;
class RoomState;
class Connection;
class SyncEngine;

/*!
 * \brief What the user does to rooms besides writing: create, join, leave, direct
 * rooms, topics, the directory, the member list and paging older history.
 *
 * Failures become one translated sentence in \c actionFailed; replies that arrive after
 * reset() (signed out) are dropped. Follows the connection state: paging and the member
 * list are asked for only while live, and the member list again on going live.
 *
 * The directory follows the server's capabilities: a server that announces
 * `directory_push` keeps it current by itself; from one that does not, the directory is
 * listed again every DirectoryPollMs while it is open.
 */
class RoomActions : public QObject
{
    Q_OBJECT
    QML_ELEMENT
    QML_SINGLETON
    //! The server has group conversations (hello's `groups`, §18.4).
    Q_PROPERTY(bool groupsAvailable READ groupsAvailable NOTIFY groupsAvailableChanged)
    /*! Set while the group dialog is open to show groupFailed() beside what was entered;
     * otherwise a group failure comes as actionFailed(), for the window's toast. */
    Q_PROPERTY(bool groupFormShown READ groupFormShown WRITE setGroupFormShown NOTIFY
            groupFormShownChanged)

public:
    RoomActions(Connection *connection, ConnectionState *connectionState, RoomState *state,
        SyncEngine *sync, MemberListModel *members, DirectoryModel *directory,
        QObject *parent = nullptr);

    /*! \brief QML's instance: the Session's (see Session::setInstance()). */
    static RoomActions *create(QQmlEngine *, QJSEngine *);

    /*! \brief The room on screen; a running loadOlder() no longer counts for it. */
    void setCurrentRoom(qint64 room);
    void setHistoryPageMax(int max) { m_historyPageMax = max; }
    /*! \brief Signed out (or a new account): forget the room, drop late replies. */
    void reset();

    bool loadingOlder() const { return m_loadingOlder; }
    bool groupsAvailable() const { return m_groupsAvailable; }
    bool groupFormShown() const { return m_groupFormShown; }
    void setGroupFormShown(bool shown);
    /*! \brief Pages the current room's history before its oldest held event. */
    void loadOlder();
    /*! \brief Asks for the current room's members (online only). */
    void requestMembers();

    Q_INVOKABLE void refreshDirectory();
    /*! \brief The directory is on screen (or no longer): list it, and keep it current. */
    Q_INVOKABLE void setDirectoryOpen(bool open);
    /*! \brief Tests shorten the poll; the default suits people. */
    void setDirectoryPollInterval(int ms) { m_directoryPoll.setInterval(ms); }
    bool isPollingDirectory() const { return m_directoryPoll.isActive(); }
    static constexpr int DirectoryPollMs = 15'000;
    /*! \brief \a isPrivate: a private channel (§17.2), only on a server with teams. */
    Q_INVOKABLE void createRoom(const QString &name, const QString &topic, bool isPrivate = false);
    Q_INVOKABLE void joinRoom(qint64 roomId);
    /*! \brief joinRoom() for an invitation: \a refused hears a refusal (or going offline)
     * instead of actionFailed, so the invitation's owner can say what it means. */
    void joinInvited(qint64 roomId, std::function<void(const Reply &)> refused);
    Q_INVOKABLE void leaveRoom(qint64 roomId);
    Q_INVOKABLE void openDirect(const QString &user);
    /*! \brief Creates a new group conversation of the user and \a users (1 to 9 others),
     * called \a name if not empty (§18.4). Opens it like a direct room (groupOpened(), then
     * roomOpened()); a failure comes as groupFailed() while groupFormShown, for the dialog
     * to show beside what was entered. */
    Q_INVOKABLE void openGroup(const QStringList &users, const QString &name = {});
    /*! \brief Adds \a user to the group \a roomId; addedToGroup() or groupFailed(). */
    Q_INVOKABLE void addToGroup(qint64 roomId, const QString &user);
    /*! \brief Sets the topic of the room on screen. */
    Q_INVOKABLE void setTopic(const QString &topic);

Q_SIGNALS:
    void loadingOlderChanged();
    void groupsAvailableChanged();
    void groupFormShownChanged();
    void actionFailed(const QString &message);
    /*! \brief A created, joined or direct room is ready: the view should show it. */
    void roomOpened(qint64 roomId);
    /*! \brief openGroup() or addToGroup() failed: one translated sentence. */
    void groupFailed(const QString &message);
    /*! \brief openGroup() made or found \a roomId (roomOpened() follows): unlike
     * roomOpened(), never the answer to another request, such as accepting an invitation. */
    void groupOpened(qint64 roomId);
    /*! \brief The server added \a user to the group \a roomId (its `add` event follows). */
    void addedToGroup(qint64 roomId, const QString &user);

private:
    void setLoadingOlder(bool loading);
    static QString failureText(const Reply &reply);
    void failGroup(const QString &message);
    void roomRequest(const protocol::OutgoingRequest &request, bool openResult,
        std::function<void(const Reply &)> refused = {});

    Connection *m_connection;
    ConnectionState *m_connectionState;
    RoomState *m_state;
    SyncEngine *m_sync;
    MemberListModel *m_members;
    DirectoryModel *m_directory;
    QTimer m_directoryPoll;
    qint64 m_currentRoom = 0;
    bool m_loadingOlder = false;
    bool m_groupsAvailable = false;
    bool m_groupFormShown = false;
    int m_historyPageMax = 200;
    quint64 m_generation = 0; //!< replies of an earlier account are dropped
};

} // namespace confab::client
