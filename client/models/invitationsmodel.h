// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "protocol/teamresults.h"

#include <QAbstractListModel>
#include <QList>
#include <QtQml/qqmlregistration.h>

namespace confab::client {

/*!
 * \brief The user's pending invitations to channels (§17.3), oldest first: from the
 * sign-in result, then the `invited` and `invite_removed` pushes. The sidebar shows them
 * with Accept (Moderation.acceptInvite) and Decline (Moderation.declineInvite).
 */
class InvitationsModel : public QAbstractListModel
{
    Q_OBJECT
    QML_ELEMENT
    QML_UNCREATABLE("The invitations come from Session.invitations")
    Q_PROPERTY(int count READ rowCount NOTIFY countChanged)

public:
    enum Role
    {
        RoomIdRole = Qt::UserRole + 1, //!< the channel's id
        NameRole, //!< the channel's name
        TopicRole, //!< its topic
        IsPrivateRole, //!< a private channel
        InvitedByRole, //!< who invited the user
        TimestampRole, //!< when, ms since the epoch
        AccessibleTextRole, //!< "ana invited you to design"
    };
    Q_ENUM(Role)

    explicit InvitationsModel(QObject *parent = nullptr);

    int rowCount(const QModelIndex &parent = {}) const override;
    QVariant data(const QModelIndex &index, int role) const override;
    QHash<int, QByteArray> roleNames() const override;

    /*! \brief The sign-in result's list (replaces everything). */
    void resetInvitations(const QList<protocol::Invitation> &invitations);
    /*! \brief An `invited` push: added at the end, or replacing the one to the same room. */
    void add(const protocol::Invitation &invitation);
    /*! \brief An `invite_removed` push, an accepted or a declined invitation. */
    void remove(qint64 roomId);
    bool contains(qint64 roomId) const;
    QList<protocol::Invitation> invitations() const { return m_invitations; }
    void clear();

Q_SIGNALS:
    void countChanged();

private:
    int rowOf(qint64 roomId) const;

    QList<protocol::Invitation> m_invitations;
};

} // namespace confab::client
