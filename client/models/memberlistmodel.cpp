// SPDX-License-Identifier: GPL-3.0-or-later
#include "models/memberlistmodel.h"

#include <algorithm>

namespace confab::client {

MemberListModel::MemberListModel(QObject *parent)
    : QAbstractListModel(parent)
{
    m_collator.setCaseSensitivity(Qt::CaseInsensitive);
    m_collator.setNumericMode(true);
}

int MemberListModel::rowCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : int(m_members.size());
}

QHash<int, QByteArray> MemberListModel::roleNames() const
{
    return {
        {UserRole, "user"},
        {OnlineRole, "online"},
        {IsSelfRole, "isSelf"},
        {AccessibleTextRole, "accessibleText"},
    };
}

QVariant MemberListModel::data(const QModelIndex &index, int role) const
{
    if (!checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid))
        return {};
    const Member &m = m_members.at(index.row());
    const bool self = !m_ownUser.isEmpty() && m.user.compare(m_ownUser, Qt::CaseInsensitive) == 0;
    switch (role) {
    case UserRole:
        return m.user;
    case OnlineRole:
        return m.online;
    case IsSelfRole:
        return self;
    case AccessibleTextRole:
        if (self)
            return m.online ? tr("%1 (you), online").arg(m.user)
                            : tr("%1 (you), offline").arg(m.user);
        return m.online ? tr("%1, online").arg(m.user) : tr("%1, offline").arg(m.user);
    default:
        return {};
    }
}

int MemberListModel::onlineCount() const
{
    return m_onlineCount;
}

void MemberListModel::setOwnUser(const QString &user)
{
    if (m_ownUser == user)
        return;
    m_ownUser = user;
    if (!m_members.isEmpty())
        Q_EMIT dataChanged(
            index(0), index(int(m_members.size()) - 1), {IsSelfRole, AccessibleTextRole});
}

bool MemberListModel::lessThan(const Member &a, const Member &b) const
{
    if (a.online != b.online)
        return a.online;
    if (const int c = m_collator.compare(a.user, b.user); c != 0)
        return c < 0;
    return a.user < b.user;
}

int MemberListModel::positionFor(const Member &member, int skip) const
{
    int position = 0;
    for (int i = 0; i < m_members.size(); ++i) {
        if (i != skip && lessThan(m_members.at(i), member))
            ++position;
    }
    return position;
}

int MemberListModel::indexOf(const QString &user) const
{
    // Usernames are unique case-insensitively (docs/protocol.md §4).
    for (int i = 0; i < m_members.size(); ++i) {
        if (m_members.at(i).user.compare(user, Qt::CaseInsensitive) == 0)
            return i;
    }
    return -1;
}

void MemberListModel::updateOnlineCount()
{
    const int online = int(std::count_if(
        m_members.begin(), m_members.end(), [](const Member &m) { return m.online; }));
    if (online == m_onlineCount)
        return;
    m_onlineCount = online;
    Q_EMIT onlineCountChanged();
}

void MemberListModel::setMembers(const QList<Member> &members)
{
    const int before = int(m_members.size());
    beginResetModel();
    m_members.clear();
    for (const Member &m : members) {
        if (m.user.isEmpty() || indexOf(m.user) >= 0)
            continue;
        m_members.append(m);
    }
    std::sort(m_members.begin(), m_members.end(),
        [this](const Member &a, const Member &b) { return lessThan(a, b); });
    endResetModel();
    if (before != m_members.size())
        Q_EMIT countChanged();
    updateOnlineCount();
}

void MemberListModel::place(int row, const Member &member)
{
    const int to = positionFor(member, row);
    if (to != row) {
        beginMoveRows({}, row, row, {}, to > row ? to + 1 : to);
        m_members.move(row, to);
        endMoveRows();
    }
    m_members[to] = member;
    const QModelIndex i = index(to);
    Q_EMIT dataChanged(i, i, {OnlineRole, AccessibleTextRole});
    updateOnlineCount();
}

void MemberListModel::setOnline(const QString &user, bool online)
{
    const int row = indexOf(user);
    if (row < 0 || m_members.at(row).online == online)
        return;
    Member m = m_members.at(row);
    m.online = online;
    place(row, m);
}

void MemberListModel::applyPresence(const protocol::PresenceChange &change)
{
    for (const QString &user : change.online)
        setOnline(user, true);
    for (const QString &user : change.offline)
        setOnline(user, false);
}

void MemberListModel::addMember(const QString &user, bool online)
{
    if (user.isEmpty())
        return;
    if (const int row = indexOf(user); row >= 0) {
        if (m_members.at(row).online != online)
            place(row, Member {m_members.at(row).user, online});
        return;
    }
    const Member m {user, online};
    const int at = positionFor(m, -1);
    beginInsertRows({}, at, at);
    m_members.insert(at, m);
    endInsertRows();
    Q_EMIT countChanged();
    updateOnlineCount();
}

void MemberListModel::removeMember(const QString &user)
{
    const int row = indexOf(user);
    if (row < 0)
        return;
    beginRemoveRows({}, row, row);
    m_members.removeAt(row);
    endRemoveRows();
    Q_EMIT countChanged();
    updateOnlineCount();
}

void MemberListModel::clear()
{
    if (m_members.isEmpty())
        return;
    beginResetModel();
    m_members.clear();
    endResetModel();
    Q_EMIT countChanged();
    updateOnlineCount();
}

} // namespace confab::client
