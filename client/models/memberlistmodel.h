// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "protocol/roomevent.h"
#include "protocol/selfserviceresults.h"
#include "protocol/serverframe.h"

#include <QAbstractListModel>
#include <QCollator>
#include <QList>
#include <QPointer>
#include <QTimer>
#include <QtQml/qqmlregistration.h>
#include <functional>
#include <optional>

namespace confab::client {

class Profiles;

/*!
 * \brief Members of the room on screen with their online state, role and mute; online
 * members first, then by name (case-insensitive).
 *
 * It also says what the user may do to each member (§17.1): the user's rank is their own
 * entry's role, or AdminRank for an admin; a target counts by its role.
 */
class MemberListModel : public QAbstractListModel
{
    Q_OBJECT
    QML_ELEMENT
    QML_UNCREATABLE("The member list comes from Session.members")
    Q_PROPERTY(int count READ rowCount NOTIFY countChanged)
    Q_PROPERTY(int onlineCount READ onlineCount NOTIFY onlineCountChanged)
    //! The user is muted in the room on screen (the composer is off).
    Q_PROPERTY(bool selfMuted READ selfMuted NOTIFY selfMutedChanged)
    //! "You are muted until 14:30." or "" when not muted.
    Q_PROPERTY(QString selfMutedText READ selfMutedText NOTIFY selfMutedChanged)

public:
    enum Role
    {
        UserRole = Qt::UserRole + 1, //!< username
        OnlineRole, //!< has at least one signed-in connection
        IsSelfRole, //!< the signed-in user
        AccessibleTextRole, //!< "ana, online"
        RoomRoleRole, //!< "owner", "moderator", "member", or "" (direct rooms, no teams)
        MutedRole, //!< muted now
        CanModerateRole, //!< the user may kick, ban and mute them (outranks them, §17.1)
        CanSetRoleRole, //!< the user may make them moderator or member (rank >= 2 and above)
        DisplayNameRole, //!< the display name, or the username when none (§18.2)
        StatusRole, //!< the profile's status text, "" when none
        AvatarRole, //!< the avatar file id, 0 when none
    };
    Q_ENUM(Role)

    struct Member
    {
        Member() = default;
        Member(
            QString name, bool isOnline, QString roomRole = {}, std::optional<qint64> mutedEnd = {})
            : user(std::move(name))
            , online(isOnline)
            , role(std::move(roomRole))
            , mutedUntil(mutedEnd)
        { }

        QString user;
        bool online = false;
        QString role; //!< a RoomRole name; empty in direct rooms
        std::optional<qint64> mutedUntil; //!< set while muted; 0: no end
        std::optional<protocol::Profile> profile; //!< from a server with profiles
    };

    explicit MemberListModel(QObject *parent = nullptr);

    int rowCount(const QModelIndex &parent = {}) const override;
    QVariant data(const QModelIndex &index, int role) const override;
    QHash<int, QByteArray> roleNames() const override;

    int onlineCount() const;
    void setOwnUser(const QString &user);
    /*! \brief Where display names come from; setMembers() feeds it, its changes relabel rows. */
    void setProfiles(Profiles *profiles);
    /*! \brief The `members` reply for the room on screen. */
    void setMembers(const QList<Member> &members);
    /*! \brief A presence push; ignored for users not listed. */
    void setOnline(const QString &user, bool online);
    /*! \brief A presence push: everyone who changed since the server's last one. */
    void applyPresence(const protocol::PresenceChange &change);
    /*! \brief Join and leave events of the room on screen. */
    void addMember(const QString &user, bool online);
    void removeMember(const QString &user);
    /*! \brief Whether \a user is listed (case-insensitively). */
    bool contains(const QString &user) const { return indexOf(user) >= 0; }
    /*! \brief Kick, ban, role, mute and unmute events of the room on screen. */
    void applyTeamEvent(const protocol::RoomEvent &event);
    void clear();

    /*! \brief Whether the user is an admin (rank 3 in every channel they are in). */
    void setOwnAdmin(bool admin);
    /*! \brief The user's rank in the room on screen (§17.1). */
    int ownRank() const;
    bool selfMuted() const;
    QString selfMutedText() const;
    /*! \brief Tests set the clock mutes are compared with (ms since the epoch). */
    void setClock(std::function<qint64()> now) { m_now = std::move(now); }

Q_SIGNALS:
    void countChanged();
    void onlineCountChanged();
    void selfMutedChanged();

private:
    bool lessThan(const Member &a, const Member &b) const;
    int positionFor(const Member &member, int skip) const; //!< among rows other than skip
    int indexOf(const QString &user) const;
    void place(int row, const Member &member); //!< stores member at row, moving it if needed
    void updateOnlineCount();
    bool isSelf(const Member &member) const;
    bool mutedNow(const Member &member) const;
    int rankOf(const Member &member) const;
    void setRoleAt(int row, const QString &role);
    void setMutedAt(int row, std::optional<qint64> until);
    /*! The user's own entry, or the admin flag, changed: every row's rights may have. */
    void ownStanding();
    void updateSelfMuted();
    /*! The next end of anyone's timed mute: the rows' MutedRole changes then. */
    void scheduleMuteEnd();

    QString shownName(const Member &member) const; //!< "Ana Lima (ana)" or "ana"

    QList<Member> m_members;
    QPointer<Profiles> m_profiles;
    bool m_ownAdmin = false;
    bool m_selfMuted = false;
    QTimer m_muteEnds; //!< the next timed mute ends: its row, or the composer, changes
    std::function<qint64()> m_now;
    QString m_ownUser;
    int m_onlineCount = 0;
    QCollator m_collator;
};

} // namespace confab::client
