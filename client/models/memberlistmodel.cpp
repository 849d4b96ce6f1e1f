// SPDX-License-Identifier: GPL-3.0-or-later
#include "models/memberlistmodel.h"

#include "protocol/roles.h"
#include "session/profiles.h"

#include <QDateTime>
#include <QLocale>
#include <algorithm>

using confab::protocol::EventKind;

namespace confab::client {

namespace {

int roleRank(const QString &role)
{
    const auto r = protocol::roomRoleFromName(role);
    return r ? int(*r) : 0;
}

// The latest a single-shot timer can wait; a longer mute is checked again then.
constexpr qint64 MaxTimerMs = 24LL * 3600 * 1000;

} // namespace

MemberListModel::MemberListModel(QObject *parent)
    : QAbstractListModel(parent)
    , m_now([] { return QDateTime::currentMSecsSinceEpoch(); })
{
    m_collator.setCaseSensitivity(Qt::CaseInsensitive);
    m_collator.setNumericMode(true);
    m_muteEnds.setSingleShot(true);
    // A timed mute ends without an event (§17.4): whoever's ends next, the rows say so then.
    connect(&m_muteEnds, &QTimer::timeout, this, [this] {
        if (!m_members.isEmpty())
            Q_EMIT dataChanged(
                index(0), index(int(m_members.size()) - 1), {MutedRole, AccessibleTextRole});
        updateSelfMuted();
    });
}

bool MemberListModel::isSelf(const Member &member) const
{
    return !m_ownUser.isEmpty() && member.user.compare(m_ownUser, Qt::CaseInsensitive) == 0;
}

bool MemberListModel::mutedNow(const Member &member) const
{
    return member.mutedUntil && (*member.mutedUntil == 0 || *member.mutedUntil > m_now());
}

int MemberListModel::rankOf(const Member &member) const
{
    if (isSelf(member) && m_ownAdmin)
        return protocol::AdminRank;
    return roleRank(member.role);
}

int MemberListModel::ownRank() const
{
    const int row = indexOf(m_ownUser);
    // Members of a direct room have no role, and nobody moderates there (§17.1), admins
    // included.
    if (row < 0 || m_members.at(row).role.isEmpty())
        return 0;
    return rankOf(m_members.at(row));
}

bool MemberListModel::selfMuted() const
{
    return m_selfMuted;
}

QString MemberListModel::selfMutedText() const
{
    const int row = indexOf(m_ownUser);
    if (!m_selfMuted || row < 0)
        return {};
    const qint64 until = m_members.at(row).mutedUntil.value_or(0);
    if (until == 0)
        return tr("You are muted in this channel.");
    const QDateTime end = QDateTime::fromMSecsSinceEpoch(until);
    const QLocale locale;
    const QString when = end.date() == QDate::currentDate()
        ? locale.toString(end.time(), QLocale::ShortFormat)
        : locale.toString(end, QLocale::ShortFormat);
    return tr("You are muted until %1.").arg(when);
}

void MemberListModel::scheduleMuteEnd()
{
    m_muteEnds.stop();
    const qint64 now = m_now();
    std::optional<qint64> next;
    for (const Member &m : std::as_const(m_members)) {
        const qint64 until = m.mutedUntil.value_or(0);
        if (until > now && (!next || until < *next))
            next = until;
    }
    if (next)
        m_muteEnds.start(int(std::clamp<qint64>(*next - now + 50, 0, MaxTimerMs)));
}

void MemberListModel::updateSelfMuted()
{
    const int row = indexOf(m_ownUser);
    const bool muted = row >= 0 && mutedNow(m_members.at(row));
    scheduleMuteEnd();
    // The text changes with the end even when the state does not.
    m_selfMuted = muted;
    Q_EMIT selfMutedChanged();
}

void MemberListModel::ownStanding()
{
    if (!m_members.isEmpty())
        Q_EMIT dataChanged(index(0), index(int(m_members.size()) - 1),
            {CanModerateRole, CanSetRoleRole, IsSelfRole, RoomRoleRole, MutedRole,
                AccessibleTextRole});
    updateSelfMuted();
}

void MemberListModel::setOwnAdmin(bool admin)
{
    if (m_ownAdmin == admin)
        return;
    m_ownAdmin = admin;
    ownStanding();
}

void MemberListModel::setRoleAt(int row, const QString &role)
{
    if (m_members.at(row).role == role)
        return;
    m_members[row].role = role;
    if (isSelf(m_members.at(row))) {
        ownStanding();
        return;
    }
    const QModelIndex i = index(row);
    Q_EMIT dataChanged(i, i, {RoomRoleRole, CanModerateRole, CanSetRoleRole, AccessibleTextRole});
}

void MemberListModel::setMutedAt(int row, std::optional<qint64> until)
{
    m_members[row].mutedUntil = until;
    const QModelIndex i = index(row);
    Q_EMIT dataChanged(i, i, {MutedRole, AccessibleTextRole});
    if (isSelf(m_members.at(row)))
        updateSelfMuted();
    else
        scheduleMuteEnd();
}

void MemberListModel::applyTeamEvent(const protocol::RoomEvent &event)
{
    if (!protocol::namesUser(event.kind))
        return;
    if (protocol::removesUser(event.kind)) {
        removeMember(event.user);
        return;
    }
    const int row = indexOf(event.user);
    if (row < 0)
        return;
    switch (event.kind) {
    case EventKind::Role:
        setRoleAt(row, event.role);
        break;
    case EventKind::Mute:
        setMutedAt(row, event.until);
        break;
    case EventKind::Unmute:
        setMutedAt(row, std::nullopt);
        break;
    default:
        break;
    }
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
        {RoomRoleRole, "roomRole"},
        {MutedRole, "muted"},
        {CanModerateRole, "canModerate"},
        {CanSetRoleRole, "canSetRole"},
        {DisplayNameRole, "displayName"},
        {StatusRole, "status"},
        {AvatarRole, "avatar"},
    };
}

QVariant MemberListModel::data(const QModelIndex &index, int role) const
{
    if (!checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid))
        return {};
    const Member &m = m_members.at(index.row());
    const bool self = isSelf(m);
    switch (role) {
    case UserRole:
        return m.user;
    case OnlineRole:
        return m.online;
    case IsSelfRole:
        return self;
    case RoomRoleRole:
        return m.role;
    case MutedRole:
        return mutedNow(m);
    case CanModerateRole: {
        const int own = ownRank();
        return !self && own >= 1 && own > rankOf(m);
    }
    case CanSetRoleRole: {
        const int own = ownRank();
        return !self && own >= 2 && own > rankOf(m);
    }
    case DisplayNameRole:
        return m_profiles ? m_profiles->displayName(m.user) : m.user;
    case StatusRole:
        return m_profiles ? m_profiles->status(m.user) : QString();
    case AvatarRole:
        return m_profiles ? m_profiles->avatar(m.user) : 0;
    case AccessibleTextRole: {
        const QString name = shownName(m);
        QString text = self
            ? (m.online ? tr("%1 (you), online").arg(name) : tr("%1 (you), offline").arg(name))
            : (m.online ? tr("%1, online").arg(name) : tr("%1, offline").arg(name));
        if (const QString status = m_profiles ? m_profiles->status(m.user) : QString();
            !status.isEmpty())
            text += tr(", %1").arg(status);
        if (m.role == u"owner")
            text += tr(", owner");
        else if (m.role == u"moderator")
            text += tr(", moderator");
        if (mutedNow(m))
            text += tr(", muted");
        return text;
    }
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
    ownStanding();
}

bool MemberListModel::lessThan(const Member &a, const Member &b) const
{
    if (a.online != b.online)
        return a.online;
    // By what the row shows first: the display name, then the username between equals.
    if (m_profiles) {
        const int c
            = m_collator.compare(m_profiles->displayName(a.user), m_profiles->displayName(b.user));
        if (c != 0)
            return c < 0;
    }
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

QString MemberListModel::shownName(const Member &member) const
{
    const QString display = m_profiles ? m_profiles->displayName(member.user) : member.user;
    return display == member.user ? member.user : tr("%1 (%2)").arg(display, member.user);
}

void MemberListModel::setProfiles(Profiles *profiles)
{
    m_profiles = profiles;
    connect(profiles, &Profiles::changed, this, [this](const QString &user) {
        const int row = indexOf(user);
        if (row < 0)
            return;
        // A new display name can move the row: the list is sorted by it.
        const int to = positionFor(m_members.at(row), row);
        if (to != row) {
            beginMoveRows({}, row, row, {}, to > row ? to + 1 : to);
            m_members.move(row, to);
            endMoveRows();
        }
        const QModelIndex at = index(to);
        Q_EMIT dataChanged(at, at, {DisplayNameRole, StatusRole, AvatarRole, AccessibleTextRole});
    });
}

void MemberListModel::setMembers(const QList<Member> &members)
{
    if (m_profiles) {
        for (const Member &m : members) {
            if (m.profile)
                m_profiles->apply(*m.profile);
        }
    }
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
    updateSelfMuted();
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
        if (m_members.at(row).online != online) {
            Member m = m_members.at(row);
            m.online = online;
            place(row, m);
        }
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
    const bool self = isSelf(m_members.at(row));
    beginRemoveRows({}, row, row);
    m_members.removeAt(row);
    endRemoveRows();
    Q_EMIT countChanged();
    updateOnlineCount();
    if (self)
        ownStanding();
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
    updateSelfMuted();
}

} // namespace confab::client
