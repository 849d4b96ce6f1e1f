// SPDX-License-Identifier: GPL-3.0-or-later
#include "models/sessionlistmodel.h"

#include <QDateTime>
#include <algorithm>

namespace confab::client {

int SessionListModel::rowCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : int(m_sessions.size());
}

QHash<int, QByteArray> SessionListModel::roleNames() const
{
    return {
        {SessionIdRole, "sessionId"},
        {DeviceRole, "device"},
        {AddressRole, "address"},
        {LastSeenRole, "lastSeen"},
        {CurrentRole, "current"},
        {OnlineRole, "online"},
        {AccessibleTextRole, "accessibleText"},
    };
}

QVariant SessionListModel::data(const QModelIndex &index, int role) const
{
    if (!checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid))
        return {};
    const protocol::SessionEntry &s = m_sessions.at(index.row());
    switch (role) {
    case SessionIdRole:
        return s.id;
    case DeviceRole:
        return s.device;
    case AddressRole:
        return s.address;
    case LastSeenRole:
        return QDateTime::fromMSecsSinceEpoch(s.lastSeen);
    case CurrentRole:
        return s.current;
    case OnlineRole:
        return s.online;
    case AccessibleTextRole: {
        QString text = s.device.isEmpty() ? tr("Unnamed device") : s.device;
        if (s.current)
            text += tr(", this device");
        else if (s.online)
            text += tr(", online");
        return text;
    }
    default:
        return {};
    }
}

void SessionListModel::reset(const QList<protocol::SessionEntry> &sessions)
{
    beginResetModel();
    m_sessions = sessions;
    endResetModel();
}

bool SessionListModel::isCurrent(qint64 id) const
{
    return std::any_of(m_sessions.cbegin(), m_sessions.cend(),
        [id](const protocol::SessionEntry &s) { return s.id == id && s.current; });
}

void SessionListModel::remove(qint64 id)
{
    for (int row = 0; row < m_sessions.size(); ++row) {
        if (m_sessions.at(row).id != id)
            continue;
        beginRemoveRows({}, row, row);
        m_sessions.removeAt(row);
        endRemoveRows();
        return;
    }
}

} // namespace confab::client
