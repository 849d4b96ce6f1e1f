// SPDX-License-Identifier: GPL-3.0-or-later
#include "models/invitationsmodel.h"

namespace confab::client {

InvitationsModel::InvitationsModel(QObject *parent)
    : QAbstractListModel(parent)
{ }

int InvitationsModel::rowCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : int(m_invitations.size());
}

QHash<int, QByteArray> InvitationsModel::roleNames() const
{
    return {
        {RoomIdRole, "roomId"},
        {NameRole, "name"},
        {TopicRole, "topic"},
        {IsPrivateRole, "isPrivate"},
        {InvitedByRole, "invitedBy"},
        {TimestampRole, "timestamp"},
        {AccessibleTextRole, "accessibleText"},
    };
}

QVariant InvitationsModel::data(const QModelIndex &index, int role) const
{
    if (!checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid))
        return {};
    const protocol::Invitation &i = m_invitations.at(index.row());
    switch (role) {
    case RoomIdRole:
        return i.room;
    case NameRole:
        return i.name;
    case TopicRole:
        return i.topic;
    case IsPrivateRole:
        return i.isPrivate;
    case InvitedByRole:
        return i.by;
    case TimestampRole:
        return i.timestamp;
    case AccessibleTextRole:
        return tr("%1 invited you to %2").arg(i.by, i.name);
    default:
        return {};
    }
}

int InvitationsModel::rowOf(qint64 roomId) const
{
    for (int row = 0; row < m_invitations.size(); ++row) {
        if (m_invitations.at(row).room == roomId)
            return row;
    }
    return -1;
}

bool InvitationsModel::contains(qint64 roomId) const
{
    return rowOf(roomId) >= 0;
}

void InvitationsModel::resetInvitations(const QList<protocol::Invitation> &invitations)
{
    const qsizetype before = m_invitations.size();
    beginResetModel();
    m_invitations.clear();
    // One invitation per room (§17.3): a later duplicate would be the same one.
    for (const auto &i : invitations) {
        if (i.room > 0 && rowOf(i.room) < 0)
            m_invitations.append(i);
    }
    endResetModel();
    if (before != m_invitations.size())
        Q_EMIT countChanged();
}

void InvitationsModel::add(const protocol::Invitation &invitation)
{
    if (invitation.room <= 0)
        return;
    if (const int row = rowOf(invitation.room); row >= 0) {
        m_invitations[row] = invitation;
        Q_EMIT dataChanged(index(row), index(row));
        return;
    }
    const int at = int(m_invitations.size());
    beginInsertRows({}, at, at);
    m_invitations.append(invitation);
    endInsertRows();
    Q_EMIT countChanged();
}

void InvitationsModel::remove(qint64 roomId)
{
    const int row = rowOf(roomId);
    if (row < 0)
        return;
    beginRemoveRows({}, row, row);
    m_invitations.removeAt(row);
    endRemoveRows();
    Q_EMIT countChanged();
}

void InvitationsModel::clear()
{
    resetInvitations({});
}

} // namespace confab::client
