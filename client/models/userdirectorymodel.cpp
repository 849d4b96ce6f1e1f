// SPDX-License-Identifier: GPL-3.0-or-later
#include "models/userdirectorymodel.h"

#include "net/connection.h"
#include "protocol/limits.h"
#include "protocol/teamrequests.h"
#include "session/errortext.h"
#include "session/session.h"

#include <QDateTime>
#include <QLoggingCategory>

using namespace Qt::StringLiterals;

Q_LOGGING_CATEGORY(lcClientUsers, "confab.client.users", QtInfoMsg)

namespace confab::client {

UserDirectoryModel::UserDirectoryModel(QObject *parent)
    : UserDirectoryModel(Session::instance() ? Session::instance()->connection() : nullptr, parent)
{ }

UserDirectoryModel::UserDirectoryModel(Connection *connection, QObject *parent)
    : QAbstractListModel(parent)
    , m_connection(connection)
{
    m_debounce.setSingleShot(true);
    m_debounce.setInterval(DebounceMs);
    connect(&m_debounce, &QTimer::timeout, this, &UserDirectoryModel::refresh);
    if (m_connection)
        connect(m_connection, &Connection::ready, this, &UserDirectoryModel::availableChanged);
}

int UserDirectoryModel::rowCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : int(m_users.size());
}

QVariant UserDirectoryModel::data(const QModelIndex &index, int role) const
{
    if (!checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid))
        return {};
    const protocol::UserEntry &u = m_users.at(index.row());
    switch (role) {
    case Qt::DisplayRole:
    case UserRole:
        return u.user;
    case OnlineRole:
        return u.online;
    case AdminRole:
        return u.adminView && u.admin;
    case DisabledRole:
        return u.adminView && u.disabled;
    case CreatedAtRole:
        return u.adminView && u.createdAt > 0
            ? QDateTime::fromMSecsSinceEpoch(u.createdAt).toLocalTime()
            : QDateTime();
    case AdminViewRole:
        return u.adminView;
    case DisplayNameRole:
        return u.profile && !u.profile->displayName.isEmpty() ? u.profile->displayName : u.user;
    case StatusRole:
        return u.profile ? u.profile->status : QString();
    case AvatarRole:
        return u.profile ? u.profile->avatar : 0;
    default:
        return {};
    }
}

QHash<int, QByteArray> UserDirectoryModel::roleNames() const
{
    return {{UserRole, "user"}, {OnlineRole, "online"}, {AdminRole, "admin"},
        {DisabledRole, "disabled"}, {CreatedAtRole, "createdAt"}, {AdminViewRole, "adminView"},
        {DisplayNameRole, "displayName"}, {StatusRole, "status"}, {AvatarRole, "avatar"}};
}

void UserDirectoryModel::setQuery(const QString &query)
{
    if (m_query == query)
        return;
    m_query = query;
    Q_EMIT queryChanged();
    // Whatever is on its way answers an older query now.
    ++m_generation;
    setLoading(true);
    m_debounce.start();
}

void UserDirectoryModel::setExcludeUser(const QString &user)
{
    if (m_excludeUser == user)
        return;
    m_excludeUser = user;
    Q_EMIT excludeUserChanged();
    const int row = rowOf(user);
    if (row < 0)
        return;
    beginRemoveRows({}, row, row);
    m_users.removeAt(row);
    endRemoveRows();
    Q_EMIT countChanged();
}

bool UserDirectoryModel::available() const
{
    return m_connection && m_connection->hello().has(protocol::features::Teams);
}

void UserDirectoryModel::refresh()
{
    m_debounce.stop();
    if (!m_connection) {
        setLoading(false);
        return;
    }
    const quint64 generation = ++m_generation;
    const QString query = m_query.trimmed().left(protocol::MaxSearchQueryLength);
    setLoading(true);
    qCDebug(lcClientUsers) << "users" << query;
    m_connection->send(
        protocol::requests::users(query), this, [this, generation](const Reply &reply) {
            if (generation != m_generation)
                return; // a newer request is on its way
            if (reply.outcome == Reply::Disconnected) {
                setLoading(false, tr("You are offline."));
                return;
            }
            const auto list = reply.ok() ? protocol::UserList::fromJson(reply.data) : std::nullopt;
            if (!list) {
                qCInfo(lcClientUsers) << "users failed:" << reply.message;
                setLoading(false, adminErrorText(reply.error));
                return;
            }
            setUsers(list->users);
            setLoading(false);
        });
}

QString UserDirectoryModel::userAt(int row) const
{
    return row >= 0 && row < m_users.size() ? m_users.at(row).user : QString();
}

int UserDirectoryModel::rowOf(const QString &user) const
{
    for (int row = 0; row < m_users.size(); ++row) {
        if (m_users.at(row).user == user)
            return row;
    }
    return -1;
}

void UserDirectoryModel::applyUser(const protocol::UserEntry &entry)
{
    const int row = rowOf(entry.user);
    if (row < 0)
        return;
    m_users[row] = entry;
    Q_EMIT dataChanged(index(row), index(row));
}

void UserDirectoryModel::clear()
{
    m_debounce.stop();
    ++m_generation;
    setUsers({});
    setLoading(false);
}

void UserDirectoryModel::setLoading(bool loading, const QString &error)
{
    if (m_loading == loading && m_errorText == error)
        return;
    m_loading = loading;
    m_errorText = error;
    Q_EMIT loadingChanged();
}

void UserDirectoryModel::setUsers(QList<protocol::UserEntry> users)
{
    if (!m_excludeUser.isEmpty())
        users.removeIf([this](const protocol::UserEntry &u) { return u.user == m_excludeUser; });
    const int before = int(m_users.size());
    beginResetModel();
    m_users = std::move(users);
    endResetModel();
    if (before != m_users.size())
        Q_EMIT countChanged();
}

} // namespace confab::client
