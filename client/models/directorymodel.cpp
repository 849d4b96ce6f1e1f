// SPDX-License-Identifier: GPL-3.0-or-later
#include "models/directorymodel.h"

#include <QCollator>
#include <QJsonObject>
#include <algorithm>

using namespace Qt::StringLiterals;

namespace confab::client {

DirectoryModel::DirectoryModel(QObject *parent)
    : QAbstractListModel(parent)
{ }

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

void DirectoryModel::setEntries(const QJsonArray &rooms)
{
    QList<Entry> entries;
    entries.reserve(rooms.size());
    for (const auto &value : rooms) {
        const QJsonObject o = value.toObject();
        const qint64 id = qint64(o.value("id"_L1).toDouble());
        if (!o.value("id"_L1).isDouble() || id <= 0 || !o.value("name"_L1).isString())
            continue;
        if (std::any_of(
                entries.begin(), entries.end(), [id](const Entry &e) { return e.id == id; }))
            continue;
        entries.append({id, o.value("name"_L1).toString(), o.value("topic"_L1).toString(),
            o.value("memberCount"_L1).toInt(), o.value("joined"_L1).toBool()});
    }
    QCollator collator;
    collator.setCaseSensitivity(Qt::CaseInsensitive);
    collator.setNumericMode(true);
    std::sort(entries.begin(), entries.end(), [&collator](const Entry &a, const Entry &b) {
        if (const int c = collator.compare(a.name, b.name); c != 0)
            return c < 0;
        return a.id < b.id;
    });

    const int before = int(m_entries.size());
    beginResetModel();
    m_entries = std::move(entries);
    endResetModel();
    if (before != m_entries.size())
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

void DirectoryModel::clear()
{
    if (m_entries.isEmpty())
        return;
    beginResetModel();
    m_entries.clear();
    endResetModel();
    Q_EMIT countChanged();
}

} // namespace confab::client
