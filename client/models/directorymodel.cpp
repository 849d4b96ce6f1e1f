// SPDX-License-Identifier: GPL-3.0-or-later
#include "models/directorymodel.h"

#include <QCollator>
#include <algorithm>

using namespace Qt::StringLiterals;

namespace confab::client {

DirectoryModel::DirectoryModel(QObject *parent)
    : QAbstractListModel(parent)
{
    m_collator.setCaseSensitivity(Qt::CaseInsensitive);
    m_collator.setNumericMode(true);
}

int DirectoryModel::rowCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : int(m_entries.size());
}

QHash<int, QByteArray> DirectoryModel::roleNames() const
{
    return {
        {RoomIdRole, "roomId"},
        {NameRole, "name"},
        {TopicRole, "topic"},
        {MemberCountRole, "memberCount"},
        {JoinedRole, "joined"},
    };
}

QVariant DirectoryModel::data(const QModelIndex &index, int role) const
{
    if (!checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid))
        return {};
    const Entry &e = m_entries.at(index.row());
    switch (role) {
    case RoomIdRole:
        return e.id;
    case NameRole:
        return e.name;
    case TopicRole:
        return e.topic;
    case MemberCountRole:
        return e.memberCount;
    case JoinedRole:
        return e.joined;
    default:
        return {};
    }
}

bool DirectoryModel::lessThan(const Entry &a, const Entry &b) const
{
    if (const int c = m_collator.compare(a.name, b.name); c != 0)
        return c < 0;
    return a.id < b.id;
}

void DirectoryModel::setEntries(const QList<protocol::DirectoryEntry> &rooms)
{
    QList<Entry> entries;
    entries.reserve(rooms.size());
    for (const Entry &entry : rooms) {
        if (std::none_of(
                entries.begin(), entries.end(), [&](const Entry &e) { return e.id == entry.id; }))
            entries.append(entry);
    }
    std::sort(entries.begin(), entries.end(),
        [this](const Entry &a, const Entry &b) { return lessThan(a, b); });

    const int before = int(m_entries.size());
    beginResetModel();
    m_entries = std::move(entries);
    m_loaded = true;
    endResetModel();
    if (before != m_entries.size())
        Q_EMIT countChanged();
}

void DirectoryModel::apply(const protocol::DirectoryEntry &entry)
{
    if (!m_loaded)
        return;
    const auto old = std::find_if(
        m_entries.begin(), m_entries.end(), [&](const Entry &e) { return e.id == entry.id; });
    const bool known = old != m_entries.end();
    if (known) {
        const int row = int(old - m_entries.begin());
        if (old->name == entry.name) {
            *old = entry;
            Q_EMIT dataChanged(index(row), index(row));
            return;
        }
        beginRemoveRows({}, row, row);
        m_entries.removeAt(row);
        endRemoveRows();
    }
    const auto at = std::lower_bound(m_entries.begin(), m_entries.end(), entry,
        [this](const Entry &a, const Entry &b) { return lessThan(a, b); });
    const int row = int(at - m_entries.begin());
    beginInsertRows({}, row, row);
    m_entries.insert(row, entry);
    endInsertRows();
    if (!known)
        Q_EMIT countChanged();
}

void DirectoryModel::setJoined(qint64 roomId, bool joined)
{
    for (int i = 0; i < m_entries.size(); ++i) {
        Entry &e = m_entries[i];
        if (e.id != roomId || e.joined == joined)
            continue;
        // The listing is a snapshot; counting the user in (or out) keeps it truthful
        // until the next refresh.
        e.joined = joined;
        e.memberCount = std::max(0, e.memberCount + (joined ? 1 : -1));
        Q_EMIT dataChanged(index(i), index(i), {JoinedRole, MemberCountRole});
        return;
    }
}

void DirectoryModel::unlist(qint64 roomId)
{
    for (int i = 0; i < m_entries.size(); ++i) {
        if (m_entries.at(i).id != roomId)
            continue;
        beginRemoveRows({}, i, i);
        m_entries.removeAt(i);
        endRemoveRows();
        Q_EMIT countChanged();
        return;
    }
}

void DirectoryModel::clear()
{
    m_loaded = false;
    if (m_entries.isEmpty())
        return;
    beginResetModel();
    m_entries.clear();
    endResetModel();
    Q_EMIT countChanged();
}

} // namespace confab::client
