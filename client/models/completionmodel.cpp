// SPDX-License-Identifier: GPL-3.0-or-later
#include "models/completionmodel.h"

#include "models/emojitable.h"

#include <QSet>

using namespace Qt::StringLiterals;

namespace confab::client {

namespace {

// The characters of a word being completed after its trigger.
bool isWordChar(QChar trigger, QChar c)
{
    if (trigger == u'@') // a username, as the server finds mentions (§9.2)
        return c.isLetterOrNumber() || c == u'_' || c == u'.' || c == u'-';
    if (trigger == u':') // an emoji's name: "thumbs_up", "+1"
        return c.isLetterOrNumber() || c == u'_' || c == u'-' || c == u'+';
    return !c.isSpace(); // a channel's name: up to the next space
}

bool canPrecedeTrigger(QChar c)
{
    return c.isSpace() || c == u'(' || c == u'[' || c == u'{' || c == u'"' || c == u'\'';
}

// "Ana Lima" starts a word with "li" and with "ana".
bool startsAWord(const QString &text, const QString &prefix)
{
    if (text.isEmpty())
        return false;
    for (qsizetype at = 0; at < text.size(); ++at) {
        if ((at == 0 || text.at(at - 1).isSpace())
            && QStringView(text).mid(at).startsWith(prefix, Qt::CaseInsensitive))
            return true;
    }
    return false;
}

int roleOf(const QAbstractItemModel *model, const QByteArray &name)
{
    return model ? model->roleNames().key(name, -1) : -1;
}

} // namespace

CompletionModel::CompletionModel(QObject *parent)
    : QAbstractListModel(parent)
{ }

int CompletionModel::rowCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : int(m_rows.size());
}

QVariant CompletionModel::data(const QModelIndex &index, int role) const
{
    if (!checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid))
        return {};
    const Row &row = m_rows.at(index.row());
    switch (role) {
    case Qt::DisplayRole:
    case LabelRole:
        return row.label;
    case DetailRole:
        return row.detail;
    case ReplacementRole:
        return row.replacement;
    case Qt::AccessibleTextRole:
        return row.detail.isEmpty() ? row.label : row.detail;
    default:
        return {};
    }
}

QHash<int, QByteArray> CompletionModel::roleNames() const
{
    return {{LabelRole, "label"}, {DetailRole, "detail"}, {ReplacementRole, "replacement"}};
}

void CompletionModel::setMembers(QAbstractItemModel *model)
{
    if (m_members == model)
        return;
    if (m_members)
        m_members->disconnect(this);
    m_members = model;
    follow(model);
    Q_EMIT sourcesChanged();
}

void CompletionModel::setRooms(QAbstractItemModel *model)
{
    if (m_rooms == model)
        return;
    if (m_rooms)
        m_rooms->disconnect(this);
    m_rooms = model;
    follow(model);
    Q_EMIT sourcesChanged();
}

void CompletionModel::setDirectory(QAbstractItemModel *model)
{
    if (m_directory == model)
        return;
    if (m_directory)
        m_directory->disconnect(this);
    m_directory = model;
    follow(model);
    Q_EMIT sourcesChanged();
}

void CompletionModel::follow(QAbstractItemModel *model)
{
    if (!model)
        return;
    const auto again = [this] {
        if (m_kind != None || !m_text.isEmpty())
            update(m_text, m_cursor);
    };
    connect(model, &QAbstractItemModel::modelReset, this, again);
    connect(model, &QAbstractItemModel::rowsInserted, this, again);
    connect(model, &QAbstractItemModel::rowsRemoved, this, again);
    connect(model, &QAbstractItemModel::dataChanged, this, again);
}

void CompletionModel::update(const QString &text, int cursor)
{
    cursor = std::clamp(cursor, 0, int(text.size()));
    m_text = text;
    m_cursor = cursor;
    // Back from the cursor over the word's characters to its trigger.
    int at = cursor - 1;
    int trigger = -1;
    while (at >= 0) {
        const QChar c = text.at(at);
        if (c == u'@' || c == u'#' || c == u':') {
            trigger = at;
            break;
        }
        if (c.isSpace())
            break;
        --at;
    }
    if (trigger < 0 || (trigger > 0 && !canPrecedeTrigger(text.at(trigger - 1)))) {
        m_dismissedAt = -1;
        setRows(None, -1, -1, {});
        return;
    }
    const QChar t = text.at(trigger);
    for (int i = trigger + 1; i < cursor; ++i) {
        if (!isWordChar(t, text.at(i))) {
            setRows(None, -1, -1, {});
            return;
        }
    }
    // A pick replaces the whole word, also the part after the cursor.
    int end = cursor;
    while (end < text.size() && isWordChar(t, text.at(end)))
        ++end;
    if (trigger == m_dismissedAt) {
        setRows(None, -1, -1, {});
        return;
    }
    m_dismissedAt = -1;
    const QString query = text.mid(trigger + 1, cursor - trigger - 1);
    if (t == u'@')
        setRows(Member, trigger, end, memberRows(query));
    else if (t == u'#')
        setRows(Channel, trigger, end, channelRows(query));
    else if (query.size() >= MinEmojiQuery)
        setRows(Emoji, trigger, end, emojiRows(query));
    else
        setRows(None, -1, -1, {});
}

QString CompletionModel::replacementAt(int row) const
{
    return row >= 0 && row < m_rows.size() ? m_rows.at(row).replacement : QString();
}

void CompletionModel::dismiss()
{
    if (m_kind == None)
        return;
    m_dismissedAt = m_start;
    setRows(None, -1, -1, {});
}

QList<CompletionModel::Row> CompletionModel::memberRows(const QString &query) const
{
    const int userRole = roleOf(m_members, "user");
    const int selfRole = roleOf(m_members, "isSelf");
    const int displayRole = roleOf(m_members, "displayName");
    QList<Row> starts;
    QList<Row> contains;
    if (userRole < 0)
        return starts;
    for (int r = 0; r < m_members->rowCount(); ++r) {
        const QModelIndex index = m_members->index(r, 0);
        if (selfRole >= 0 && index.data(selfRole).toBool())
            continue; // nobody mentions themselves
        const QString user = index.data(userRole).toString();
        QString display = displayRole >= 0 ? index.data(displayRole).toString() : QString();
        if (display.isEmpty() || display == user)
            display.clear();
        // The stored text names the username (§18.2): the display name only finds it.
        Row row {display.isEmpty() ? user : display, display.isEmpty() ? QString() : u'@' + user,
            u'@' + user + u' '};
        if (user.startsWith(query, Qt::CaseInsensitive) || startsAWord(display, query))
            starts.append(row);
        else if (user.contains(query, Qt::CaseInsensitive)
            || display.contains(query, Qt::CaseInsensitive))
            contains.append(row);
    }
    // Names that start with the query first, then those that contain it.
    return starts + contains;
}

QList<CompletionModel::Row> CompletionModel::channelRows(const QString &query) const
{
    QList<Row> starts;
    QList<Row> contains;
    QSet<QString> seen;
    const auto scan = [&](const QAbstractItemModel *model) {
        const int nameRole = roleOf(model, "name");
        const int directRole = roleOf(model, "isDirect");
        if (nameRole < 0)
            return;
        for (int r = 0; r < model->rowCount(); ++r) {
            const QModelIndex index = model->index(r, 0);
            if (directRole >= 0 && index.data(directRole).toBool())
                continue;
            const QString name = index.data(nameRole).toString();
            if (seen.contains(name.toLower()))
                continue;
            seen.insert(name.toLower());
            Row row {name, {}, u'#' + name + u' '};
            if (name.startsWith(query, Qt::CaseInsensitive))
                starts.append(row);
            else if (name.contains(query, Qt::CaseInsensitive))
                contains.append(row);
        }
    };
    // Joined channels before the rest of the directory.
    scan(m_rooms);
    scan(m_directory);
    // Names that start with the query first, then those that contain it.
    return starts + contains;
}

QList<CompletionModel::Row> CompletionModel::emojiRows(const QString &query)
{
    const EmojiTable &table = EmojiTable::instance();
    QList<Row> out;
    for (const int at : table.match(EmojiTable::normalizedQuery(query), MaxRows)) {
        const EmojiTable::Emoji &e = table.emoji().at(at);
        out.append({e.key, e.name, e.key});
    }
    return out;
}

void CompletionModel::setRows(Kind kind, int start, int end, QList<Row> rows)
{
    if (rows.size() > MaxRows)
        rows.resize(MaxRows);
    if (rows.isEmpty()) {
        kind = None;
        start = -1;
        end = -1;
    }
    const bool same = kind == m_kind && start == m_start && end == m_end
        && rows.size() == m_rows.size()
        && std::equal(rows.cbegin(), rows.cend(), m_rows.cbegin(), [](const Row &a, const Row &b) {
               // A label changes with a display name (§18.2) while the username stays.
               return a.replacement == b.replacement && a.label == b.label && a.detail == b.detail;
           });
    if (same)
        return;
    beginResetModel();
    m_rows = std::move(rows);
    m_kind = kind;
    m_start = start;
    m_end = end;
    endResetModel();
    Q_EMIT countChanged();
}

} // namespace confab::client
