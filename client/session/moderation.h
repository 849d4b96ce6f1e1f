// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "protocol/requestbuilder.h"

#include <QObject>
#include <QString>
#include <QtQml/qqmlregistration.h>
#include <functional>

class QQmlEngine;
class QJSEngine;

namespace confab::client {

class Connection;
class InvitationsModel;
class MemberListModel;
class RoomActions;
class RoomListModel;

/*!
 * \brief Roles, private channels, invitations and moderation (§17) for the room on screen,
 * and the user's own invitations.
 *
 * Says what the user may do in the open channel (canInvite, canConfigure; per member, the
 * MemberListModel roles canModerate and canSetRole) by the rules of §17.1, so QML only
 * shows what the server would allow. Failures become one sentence in \c actionFailed;
 * replies after reset() are dropped. The server's events change the models, not the
 * replies: a kick shows when its event arrives, on every device alike.
 */
class Moderation : public QObject
{
    Q_OBJECT
    QML_ELEMENT
    QML_SINGLETON
    Q_PROPERTY(bool canInvite READ canInvite NOTIFY standingChanged)
    Q_PROPERTY(bool canConfigure READ canConfigure NOTIFY standingChanged)
    Q_PROPERTY(bool isPrivate READ isPrivate NOTIFY standingChanged)
    //! "members" or "moderators"
    Q_PROPERTY(QString invitesBy READ invitesBy NOTIFY standingChanged)
    Q_PROPERTY(bool admin READ admin NOTIFY standingChanged)

public:
    Moderation(Connection *connection, RoomListModel *rooms, MemberListModel *members,
        InvitationsModel *invitations, RoomActions *actions, QObject *parent = nullptr);

    /*! \brief QML's instance: the Session's (see Session::setInstance()). */
    static Moderation *create(QQmlEngine *, QJSEngine *);

    void setCurrentRoom(qint64 room);
    void setOwnAdmin(bool admin);
    /*! \brief Signed out (or a new account): forget the room and the rank, drop replies. */
    void reset();

    bool canInvite() const;
    bool canConfigure() const;
    bool isPrivate() const;
    QString invitesBy() const;
    bool admin() const { return m_admin; }
    /*! \brief The user's rank in the open room (§17.1): 0 member … 3 admin. */
    int ownRank() const;

    // Each request names its room: a dialog asks for the room that was open when it opened,
    // not whichever is open when the user confirms.
    Q_INVOKABLE void invite(qint64 room, const QString &user);
    Q_INVOKABLE void kick(qint64 room, const QString &user, const QString &reason);
    /*! \brief \a durationS 0: until unbanned. */
    Q_INVOKABLE void ban(qint64 room, const QString &user, const QString &reason, int durationS);
    Q_INVOKABLE void unban(qint64 room, const QString &user);
    /*! \brief \a durationS 0: until unmuted. */
    Q_INVOKABLE void mute(qint64 room, const QString &user, const QString &reason, int durationS);
    Q_INVOKABLE void unmute(qint64 room, const QString &user);
    /*! \brief \a role "owner", "moderator" or "member". */
    Q_INVOKABLE void setRole(qint64 room, const QString &user, const QString &role);
    /*!
     * \brief A channel's settings; only what changed is sent (§17.2), so a change made
     * meanwhile by another owner to the other field stays. \a isPrivate a bool, or
     * undefined to leave it; \a invitesBy "members", "moderators", or "" to leave it.
     */
    Q_INVOKABLE void setRoom(qint64 room, const QVariant &isPrivate, const QString &invitesBy);
    /*! \brief Joins the channel; the invitation goes once the room is in the list. */
    Q_INVOKABLE void acceptInvite(qint64 roomId);
    Q_INVOKABLE void declineInvite(qint64 roomId);

Q_SIGNALS:
    void standingChanged();
    void actionFailed(const QString &message);
    /*! \brief A request of the open room succeeded (dialogs close on it). */
    void actionDone();

private:
    void send(const protocol::OutgoingRequest &request, const std::function<void()> &done = {});
    void sendFor(qint64 room, const protocol::OutgoingRequest &request);

    Connection *m_connection;
    RoomListModel *m_rooms;
    MemberListModel *m_members;
    InvitationsModel *m_invitations;
    RoomActions *m_actions;
    qint64 m_currentRoom = 0;
    bool m_admin = false;
    quint64 m_generation = 0;
};

} // namespace confab::client
