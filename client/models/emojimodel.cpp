// SPDX-License-Identifier: GPL-3.0-or-later
#include "models/emojimodel.h"

#include "models/emojitable.h"
#include "settings/appsettings.h"

#include <QSet>

using namespace Qt::StringLiterals;

namespace confab::client {

EmojiModel::EmojiModel(QObject *parent)
    : EmojiModel(nullptr, parent)
{ }

EmojiModel::EmojiModel(AppSettings *settings, QObject *parent)
    : QAbstractListModel(parent)
    , m_settings(settings ? settings : AppSettings::instance())
{
    if (m_settings)
        connect(m_settings, &AppSettings::recentEmojiChanged, this, &EmojiModel::rebuild);
    rebuild();
}

int EmojiModel::rowCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : int(m_rows.size());
}

QVariant EmojiModel::data(const QModelIndex &index, int role) const
{
    if (!checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid))
        return {};
    const EmojiTable &table = EmojiTable::instance();
    const EmojiTable::Emoji &e = table.emoji().at(m_rows.at(index.row()));
    switch (role) {
    case Qt::DisplayRole:
    case EmojiRole:
        return e.key;
    case NameRole:
    case Qt::AccessibleTextRole:
        return e.name;
    case GroupRole:
        return e.group;
    case GroupNameRole:
        return table.groups().value(e.group);
    case RecentRole:
        return index.row() < m_recentCount;
    default:
        return {};
    }
}

QHash<int, QByteArray> EmojiModel::roleNames() const
{
    return {{EmojiRole, "emoji"}, {NameRole, "name"}, {GroupRole, "group"},
        {GroupNameRole, "groupName"}, {RecentRole, "recent"}};
}

void EmojiModel::setFilter(const QString &filter)
{
    if (m_filter == filter)
        return;
    m_filter = filter;
    rebuild();
    Q_EMIT filterChanged();
}

QStringList EmojiModel::groups() const
{
    return EmojiTable::instance().groups();
}

QString EmojiModel::emojiAt(int row) const
{
    if (row < 0 || row >= m_rows.size())
        return {};
    return EmojiTable::instance().emoji().at(m_rows.at(row)).key;
}

int EmojiModel::firstRowOfGroup(int group) const
{
    const auto &all = EmojiTable::instance().emoji();
    for (int row = m_recentCount; row < m_rows.size(); ++row) {
        if (all.at(m_rows.at(row)).group == group)
            return row;
    }
    return -1;
}

QStringList EmojiModel::recentKeys() const
{
    return m_settings ? m_settings->recentEmoji() : QStringList {};
}

void EmojiModel::noteUsed(const QString &key)
{
    if (!m_settings || EmojiTable::instance().indexOf(key) < 0)
        return;
    QStringList recent = m_settings->recentEmoji();
    recent.removeAll(key);
    recent.prepend(key);
    if (recent.size() > MaxRecent)
        recent.resize(MaxRecent);
    m_settings->setRecentEmoji(recent); // rebuilds through recentEmojiChanged
}

void EmojiModel::rebuild()
{
    const EmojiTable &table = EmojiTable::instance();
    QList<int> recent;
    for (const QString &key : recentKeys()) {
        const int at = table.indexOf(key);
        if (at >= 0 && !recent.contains(at) && recent.size() < MaxRecent)
            recent.append(at);
    }
    QList<int> rows;
    const QString query = EmojiTable::normalizedQuery(m_filter);
    if (query.isEmpty()) {
        // The recent row, then every emoji in its group (a recent one appears in both).
        rows = recent;
        rows.reserve(recent.size() + table.emoji().size());
        for (int i = 0; i < table.emoji().size(); ++i)
            rows.append(i);
    } else {
        const QList<int> matches = table.match(query);
        const QSet<int> matched(matches.cbegin(), matches.cend());
        for (const int at : recent) {
            if (matched.contains(at))
                rows.append(at);
        }
        recent = rows;
        for (const int at : matches) {
            if (!recent.contains(at))
                rows.append(at);
        }
    }
    const int oldCount = int(m_rows.size());
    const int oldRecent = m_recentCount;
    beginResetModel();
    m_rows = std::move(rows);
    m_recentCount = int(recent.size());
    endResetModel();
    if (oldCount != m_rows.size() || oldRecent != m_recentCount)
        Q_EMIT countChanged();
}

} // namespace confab::client
