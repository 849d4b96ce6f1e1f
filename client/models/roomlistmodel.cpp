// SPDX-License-Identifier: GPL-3.0-or-later
#include "models/roomlistmodel.h"

#include <algorithm>

using namespace Qt::StringLiterals;
using confab::protocol::EventKind;

namespace confab::client {

namespace {
constexpr qint64 CountCap = 10'000; // docs/protocol.md §9.3
} // namespace

RoomListModel::RoomListModel(QObject *parent)
    : QAbstractListModel(parent)
{
    m_collator.setCaseSensitivity(Qt::CaseInsensitive);
    m_collator.setNumericMode(true);
}

int RoomListModel::rowCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : int(m_rooms.size());
}

QHash<int, QByteArray> RoomListModel::roleNames() const
{
    return {
        {RoomIdRole, "roomId"},
        {NameRole, "name"},
        {TopicRole, "topic"},
        {IsDirectRole, "isDirect"},
        {SectionRole, "section"},
        {UnreadRole, "unread"},
        {MentionsRole, "mentions"},
        {MemberCountRole, "memberCount"},
        {AccessibleTextRole, "accessibleText"},
        {IsPrivateRole, "isPrivate"},
        {InvitesByRole, "invitesBy"},
        {OwnRoleRole, "ownRole"},
        {NotifyRole, "notify"},
        {QuietRole, "quiet"},
        {IsGroupRole, "isGroup"},
        {MembersRole, "members"},
        {MutedRole, "muted"},
    };
}

QVariant RoomListModel::data(const QModelIndex &index, int role) const
{
    if (!checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid))
        return {};
    const RoomSummary &r = m_rooms.at(index.row());
    switch (role) {
    case RoomIdRole:
        return r.id;
    case NameRole:
        return r.name;
    case TopicRole:
        return r.direct ? QString() : r.topic;
    case IsDirectRole:
        return r.direct;
    case SectionRole:
        return r.direct ? u"direct"_s : u"channels"_s;
    case UnreadRole:
        return r.unread;
    case MentionsRole:
        return r.mentions;
    case MemberCountRole:
        return r.memberCount;
    case IsPrivateRole:
        return r.isPrivate;
    case InvitesByRole:
        return r.invitesBy;
    case OwnRoleRole:
        return r.role;
    case NotifyRole:
        // A server without `notify` sends none: every room notifies as before.
        return r.notify.isEmpty() ? u"all"_s : r.notify;
    case QuietRole:
        return !r.notify.isEmpty() && r.notify != u"all"_s;
    case IsGroupRole:
        return r.group;
    case MembersRole:
        return r.members;
    case MutedRole:
        return r.notify == u"none"_s;
    case AccessibleTextRole: {
        QString text = r.isPrivate ? tr("%1, private").arg(r.name)
            : r.group              ? tr("%1, group conversation").arg(r.name)
                                   : r.name;
        if (r.unread > 0)
            text += tr(", %1 unread").arg(r.unread);
        if (r.notify == u"none"_s)
            text += tr(", muted");
        else if (r.notify == u"mentions"_s)
            text += tr(", mentions only");
        if (r.mentions == 1)
            text += tr(", 1 mention");
        else if (r.mentions > 1)
            text += tr(", %1 mentions").arg(r.mentions);
        return text;
    }
    default:
        return {};
    }
}

QString RoomListModel::notifyLevel(qint64 roomId) const
{
    const int row = rowOf(roomId);
    return row < 0 ? u"all"_s : data(index(row), NotifyRole).toString();
}

qint64 RoomListModel::totalUnread() const
{
    return m_totalUnread;
}

qint64 RoomListModel::totalMentions() const
{
    return m_totalMentions;
}

void RoomListModel::setOwnUser(const QString &user)
{
    m_ownUser = user;
    m_ownLower = user.toLower();
}

bool RoomListModel::lessThan(const RoomSummary &a, const RoomSummary &b) const
{
    if (a.direct != b.direct)
        return !a.direct;
    if (const int c = m_collator.compare(a.name, b.name); c != 0)
        return c < 0;
    // Names equal to the collator ("Bob", "bob"): a fixed order keeps rows from swapping.
    if (const int c = a.name.compare(b.name); c != 0)
        return c < 0;
    return a.id < b.id;
}

int RoomListModel::insertPosition(const RoomSummary &room) const
{
    return int(std::lower_bound(m_rooms.begin(), m_rooms.end(), room,
                   [this](const RoomSummary &a, const RoomSummary &b) { return lessThan(a, b); })
        - m_rooms.begin());
}

void RoomListModel::updateTotals()
{
    qint64 unread = 0;
    qint64 mentions = 0;
    for (const RoomSummary &r : std::as_const(m_rooms)) {
        // The totals call the user back to the app: a room they quietened must not.
        if (r.notify == u"none"_s)
            continue;
        unread += r.notify == u"mentions"_s ? r.mentions : r.unread;
        mentions += r.mentions;
    }
    if (unread == m_totalUnread && mentions == m_totalMentions)
        return;
    m_totalUnread = unread;
    m_totalMentions = mentions;
    Q_EMIT totalsChanged();
}

void RoomListModel::changed(int row, const QList<int> &roles)
{
    const QModelIndex i = index(row);
    Q_EMIT dataChanged(i, i, roles);
}

void RoomListModel::resetRooms(const QList<RoomSummary> &rooms)
{
    const int before = int(m_rooms.size());
    beginResetModel();
    m_rooms.clear();
    for (const RoomSummary &r : rooms) {
        // The last summary for an id wins, as it would with upsert().
        const auto same = std::find_if(m_rooms.begin(), m_rooms.end(),
            [&r](const RoomSummary &held) { return held.id == r.id; });
        if (same != m_rooms.end())
            m_rooms.erase(same);
        m_rooms.insert(insertPosition(r), r);
    }
    endResetModel();
    if (before != m_rooms.size())
        Q_EMIT countChanged();
    updateTotals();
}

void RoomListModel::upsert(const RoomSummary &room)
{
    const int from = rowOf(room.id);
    if (from < 0) {
        const int at = insertPosition(room);
        beginInsertRows({}, at, at);
        m_rooms.insert(at, room);
        endInsertRows();
        Q_EMIT countChanged();
        updateTotals();
        return;
    }
    const RoomSummary old = m_rooms.at(from);
    if (old == room)
        return;
    // Where the room belongs among the others; moving (not remove + insert) keeps the
    // delegate and the selection in the view.
    int to = 0;
    for (int i = 0; i < m_rooms.size(); ++i) {
        if (i != from && lessThan(m_rooms.at(i), room))
            ++to;
    }
    if (to != from) {
        beginMoveRows({}, from, from, {}, to > from ? to + 1 : to);
        m_rooms.move(from, to);
        endMoveRows();
    }
    m_rooms[to] = room;
    changed(to);
    updateTotals();
    if (old.name != room.name || old.topic != room.topic || old.memberCount != room.memberCount
        || old.direct != room.direct || old.group != room.group)
        Q_EMIT roomChanged(room.id);
}

void RoomListModel::remove(qint64 roomId)
{
    const int row = rowOf(roomId);
    if (row < 0)
        return;
    beginRemoveRows({}, row, row);
    m_rooms.removeAt(row);
    endRemoveRows();
    Q_EMIT countChanged();
    updateTotals();
}

void RoomListModel::setReadState(qint64 roomId, qint64 readSeq, qint64 unread, qint64 mentions)
{
    const int row = rowOf(roomId);
    if (row < 0)
        return;
    RoomSummary &r = m_rooms[row];
    r.readSeq = readSeq;
    r.unread = std::clamp<qint64>(unread, 0, CountCap);
    r.mentions = std::clamp<qint64>(mentions, 0, CountCap);
    changed(row, {UnreadRole, MentionsRole, AccessibleTextRole});
    updateTotals();
}

void RoomListModel::applyEvent(const protocol::RoomEvent &event)
{
    const int row = rowOf(event.room);
    if (row < 0)
        return;
    RoomSummary &r = m_rooms[row];
    r.lastSeq = std::max(r.lastSeq, event.seq);
    QList<int> roles;
    bool headerChanged = false;
    switch (event.kind) {
    case EventKind::Message:
        if (event.seq > r.readSeq && event.sender.compare(m_ownUser, Qt::CaseInsensitive) != 0) {
            r.unread = std::min(r.unread + 1, CountCap);
            if (event.mentions.contains(m_ownLower))
                r.mentions = std::min(r.mentions + 1, CountCap);
            roles = {UnreadRole, MentionsRole, AccessibleTextRole};
        }
        break;
    case EventKind::Topic:
        if (!r.direct && r.topic != event.topic) {
            r.topic = event.topic;
            roles = {TopicRole};
            headerChanged = true;
        }
        break;
    case EventKind::Add: // a group gained a member (§18.4)
        if (r.group) {
            // A group's name may change with its members: upsert() moves the row.
            if (RoomSummary next = r; groupMemberChanged(next, event.user, true))
                upsert(next);
            return;
        }
        ++r.memberCount;
        roles = {MemberCountRole};
        headerChanged = true;
        break;
    case EventKind::Join:
        ++r.memberCount;
        roles = {MemberCountRole};
        headerChanged = true;
        break;
    case EventKind::Edit:
    case EventKind::Redact:
    case EventKind::React:
    case EventKind::Unreact:
        // Never counted (§9.3): a redaction that lowers the counts is followed by an
        // authoritative `unread` push.
        break;
    case EventKind::Leave:
        if (r.group) {
            // A group's name may change with its members: upsert() moves the row.
            if (RoomSummary next = r; groupMemberChanged(next, event.sender, false))
                upsert(next);
            return;
        }
        r.memberCount = std::max(0, r.memberCount - 1);
        roles = {MemberCountRole};
        headerChanged = true;
        break;
    case EventKind::Settings:
        // Both members carry the values after the change (§17.7).
        r.isPrivate = event.isPrivate;
        r.invitesBy = event.invitesBy;
        roles = {IsPrivateRole, InvitesByRole, AccessibleTextRole};
        headerChanged = true;
        break;
    case EventKind::Role:
        if (event.user.compare(m_ownUser, Qt::CaseInsensitive) == 0 && r.role != event.role) {
            r.role = event.role;
            roles = {OwnRoleRole};
            headerChanged = true;
        }
        break;
    case EventKind::Create:
    case EventKind::Invite:
    case EventKind::Kick: // the kicked user's own device removes the room (RoomState); for
    case EventKind::Ban: // others it may have been an invitation: see memberRemoved()
    case EventKind::Unban:
    case EventKind::Mute:
    case EventKind::Unmute:
        break;
    }
    if (roles.isEmpty())
        return;
    changed(row, roles);
    updateTotals();
    if (headerChanged)
        Q_EMIT roomChanged(event.room);
}

QString RoomListModel::groupName(const QStringList &members, const QString &ownUser)
{
    QStringList others;
    for (const QString &m : members) {
        if (m.compare(ownUser, Qt::CaseInsensitive) != 0)
            others.append(m);
    }
    std::sort(others.begin(), others.end(),
        [](const QString &a, const QString &b) { return a.compare(b, Qt::CaseInsensitive) < 0; });
    return others.isEmpty() ? ownUser : others.join(u", "_s);
}

bool RoomListModel::groupMemberChanged(RoomSummary &r, const QString &user, bool added) const
{
    const auto at = std::find_if(r.members.begin(), r.members.end(),
        [&user](const QString &m) { return m.compare(user, Qt::CaseInsensitive) == 0; });
    const bool listed = at != r.members.end();
    if (user.isEmpty() || listed == added)
        return false;
    // The summary says only the name, not whether one was given: a name that is exactly
    // what the members make is taken as unnamed, and follows them.
    const bool unnamed = r.name == groupName(r.members, m_ownUser);
    if (added) {
        r.members.append(user);
        std::sort(r.members.begin(), r.members.end(), [](const QString &a, const QString &b) {
            return a.compare(b, Qt::CaseInsensitive) < 0;
        });
    } else {
        r.members.erase(at);
    }
    r.memberCount = int(r.members.size());
    if (unnamed)
        r.name = groupName(r.members, m_ownUser);
    return true;
}

void RoomListModel::memberRemoved(qint64 roomId)
{
    const int row = rowOf(roomId);
    if (row < 0)
        return;
    RoomSummary &r = m_rooms[row];
    r.memberCount = std::max(0, r.memberCount - 1);
    changed(row, {MemberCountRole});
    Q_EMIT roomChanged(roomId);
}

bool RoomListModel::contains(qint64 roomId) const
{
    return rowOf(roomId) >= 0;
}

std::optional<RoomSummary> RoomListModel::room(qint64 roomId) const
{
    const int row = rowOf(roomId);
    if (row < 0)
        return std::nullopt;
    return m_rooms.at(row);
}

QList<RoomSummary> RoomListModel::rooms() const
{
    return m_rooms;
}

int RoomListModel::rowOf(qint64 roomId) const
{
    for (int i = 0; i < m_rooms.size(); ++i) {
        if (m_rooms.at(i).id == roomId)
            return i;
    }
    return -1;
}

qint64 RoomListModel::roomIdAt(int row) const
{
    return row >= 0 && row < m_rooms.size() ? m_rooms.at(row).id : 0;
}

} // namespace confab::client
