// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "protocol/serverframe.h"

#include <QAbstractListModel>
#include <QCollator>
#include <QList>
#include <QtQml/qqmlregistration.h>

namespace confab::client {

/*!
 * \brief Members of the room on screen with their online state; online members first,
 * then by name (case-insensitive).
 */
class MemberListModel : public QAbstractListModel
{
    Q_OBJECT
    QML_ELEMENT
    QML_UNCREATABLE("The member list comes from Session.members")
    Q_PROPERTY(int count READ rowCount NOTIFY countChanged)
    Q_PROPERTY(int onlineCount READ onlineCount NOTIFY onlineCountChanged)

public:
    enum Role
    {
        UserRole = Qt::UserRole + 1, //!< username
        OnlineRole, //!< has at least one signed-in connection
        IsSelfRole, //!< the signed-in user
        AccessibleTextRole, //!< "ana, online"
    };
    Q_ENUM(Role)

    struct Member
    {
        QString user;
        bool online = false;
    };

    explicit MemberListModel(QObject *parent = nullptr);

    int rowCount(const QModelIndex &parent = {}) const override;
    QVariant data(const QModelIndex &index, int role) const override;
    QHash<int, QByteArray> roleNames() const override;

    int onlineCount() const;
    void setOwnUser(const QString &user);
    /*! \brief The `members` reply for the room on screen. */
    void setMembers(const QList<Member> &members);
    /*! \brief A presence push; ignored for users not listed. */
    void setOnline(const QString &user, bool online);
    /*! \brief A presence push: everyone who changed since the server's last one. */
    void applyPresence(const protocol::PresenceChange &change);
    /*! \brief Join and leave events of the room on screen. */
    void addMember(const QString &user, bool online);
    void removeMember(const QString &user);
    void clear();

Q_SIGNALS:
    void countChanged();
    void onlineCountChanged();

private:
    bool lessThan(const Member &a, const Member &b) const;
    int positionFor(const Member &member, int skip) const; //!< among rows other than skip
    int indexOf(const QString &user) const;
    void place(int row, const Member &member); //!< stores member at row, moving it if needed
    void updateOnlineCount();

    QList<Member> m_members;
    QString m_ownUser;
    int m_onlineCount = 0;
    QCollator m_collator;
};

} // namespace confab::client
