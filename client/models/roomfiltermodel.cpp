// SPDX-License-Identifier: GPL-3.0-or-later
#include "models/roomfiltermodel.h"

namespace confab::client {

RoomFilterModel::RoomFilterModel(QObject *parent)
    : QSortFilterProxyModel(parent)
{
    setDynamicSortFilter(true);
    sort(0);
}

void RoomFilterModel::setSourceModel(QAbstractItemModel *model)
{
    // Roles first, so that the reset the base class does sorts and filters by name.
    resolveRoles(model);
    QSortFilterProxyModel::setSourceModel(model);
}

void RoomFilterModel::resolveRoles(const QAbstractItemModel *model)
{
    // The source may be any list with a "name" role (rooms, directory): find it by name.
    m_nameRole = -1;
    m_idRole = -1;
    if (!model)
        return;
    const auto names = model->roleNames();
    for (auto it = names.cbegin(); it != names.cend(); ++it) {
        if (it.value() == "name")
            m_nameRole = it.key();
        else if (it.value() == "roomId")
            m_idRole = it.key();
    }
    if (m_nameRole >= 0 && (sortRole() != m_nameRole || filterRole() != m_nameRole)) {
        // Re-sorting and re-filtering when names change needs these to be the name role.
        setSortRole(m_nameRole);
        setFilterRole(m_nameRole);
    }
}

void RoomFilterModel::setQuery(const QString &query)
{
    const QString trimmed = query.trimmed();
    if (trimmed == m_query)
        return;
    m_query = trimmed;
    invalidate();
    Q_EMIT queryChanged();
}

qint64 RoomFilterModel::roomIdAt(int row) const
{
    if (row < 0 || row >= rowCount() || m_idRole < 0)
        return 0;
    return mapToSource(index(row, 0)).data(m_idRole).toLongLong();
}

QString RoomFilterModel::nameAt(const QModelIndex &sourceIndex) const
{
    return m_nameRole < 0 ? QString() : sourceIndex.data(m_nameRole).toString();
}

bool RoomFilterModel::filterAcceptsRow(int sourceRow, const QModelIndex &sourceParent) const
{
    if (m_query.isEmpty())
        return true;
    return nameAt(sourceModel()->index(sourceRow, 0, sourceParent))
        .contains(m_query, Qt::CaseInsensitive);
}

bool RoomFilterModel::lessThan(const QModelIndex &left, const QModelIndex &right) const
{
    // Prefix matches first; otherwise the source's own order (channels, then direct rooms).
    if (!m_query.isEmpty()) {
        const bool leftPrefix = nameAt(left).startsWith(m_query, Qt::CaseInsensitive);
        const bool rightPrefix = nameAt(right).startsWith(m_query, Qt::CaseInsensitive);
        if (leftPrefix != rightPrefix)
            return leftPrefix;
    }
    return left.row() < right.row();
}

} // namespace confab::client
