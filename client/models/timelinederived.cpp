// SPDX-License-Identifier: GPL-3.0-or-later
// TimelineModel, part four: the roles a row takes from its neighbours (sender grouping, day
// separators, the "new messages" line) and when they change. Rows and their order are in
// timelinemodel.cpp.
#include "models/timelinemodel.h"

#include <QDateTime>
#include <QLocale>
#include <algorithm>

using confab::protocol::EventKind;

namespace confab::client {

namespace {

constexpr qint64 GroupWindowMs = 5 * 60 * 1000;

QDate localDate(qint64 ms)
{
    return QDateTime::fromMSecsSinceEpoch(ms).date();
}

const QList<int> &derivedRoles()
{
    static const QList<int> roles {TimelineModel::ShowSenderRole, TimelineModel::DaySeparatorRole,
        TimelineModel::IsFirstUnreadRole, TimelineModel::AccessibleTextRole};
    return roles;
}

} // namespace

void TimelineModel::setReadSeq(qint64 seq)
{
    if (m_readSeq == seq)
        return;
    QList<QPair<int, Derived>> watched;
    if (m_firstUnread >= 0)
        watched.append({m_firstUnread, derived(m_firstUnread)});
    m_readSeq = seq;
    refreshDerived(watched);
    Q_EMIT readSeqChanged();
}

int TimelineModel::firstUnreadRow() const
{
    return m_firstUnread;
}

void TimelineModel::setToday(QDate today)
{
    m_today = today;
    if (m_midnight)
        m_midnight->stop();
    if (!m_rows.empty())
        announceDerived(0, int(m_rows.size()) - 1);
}

QDate TimelineModel::today() const
{
    return m_today.isValid() ? m_today : QDate::currentDate();
}

void TimelineModel::scheduleMidnight()
{
    // "Today" becomes "Yesterday" at midnight without any new event to trigger a repaint.
    if (!m_midnight) {
        m_midnight = new QTimer(this);
        m_midnight->setSingleShot(true);
        m_midnight->setTimerType(Qt::VeryCoarseTimer);
        connect(m_midnight, &QTimer::timeout, this, [this] {
            if (!m_rows.empty())
                announceDerived(0, int(m_rows.size()) - 1);
            scheduleMidnight();
        });
    }
    const QDateTime now = QDateTime::currentDateTime();
    const QDateTime midnight(now.date().addDays(1), QTime(0, 0));
    m_midnight->start(int(std::clamp<qint64>(now.msecsTo(midnight) + 1000, 1000, 86'400'000)));
}

void TimelineModel::announceDerived(int first, int last)
{
    Q_EMIT dataChanged(index(first), index(last), derivedRoles());
}

bool TimelineModel::groupsWithPrevious(int row) const
{
    if (row <= 0 || row == m_firstUnread)
        return false;
    const Row &r = m_rows[size_t(row)];
    const Row &prev = m_rows[size_t(row - 1)];
    return r.kind == EventKind::Message && prev.kind == EventKind::Message
        && r.sender == prev.sender && qAbs(r.timestamp - prev.timestamp) < GroupWindowMs
        && localDate(r.timestamp) == localDate(prev.timestamp);
}

TimelineModel::Derived TimelineModel::derived(int row) const
{
    Derived d;
    const QDate day = localDate(m_rows[size_t(row)].timestamp);
    if (row == 0 || localDate(m_rows[size_t(row - 1)].timestamp) != day)
        d.daySeparator = dayLabel(day);
    d.showSender = !groupsWithPrevious(row);
    d.firstUnread = row == m_firstUnread;
    return d;
}

QString TimelineModel::dayLabel(QDate date) const
{
    const QDate now = today();
    if (date == now)
        return tr("Today");
    if (date == now.addDays(-1))
        return tr("Yesterday");
    return QLocale().toString(date, QLocale::LongFormat);
}

int TimelineModel::computeFirstUnread() const
{
    for (int i = storedLowerBound(m_readSeq + 1); i < m_storedCount; ++i) {
        const Row &r = m_rows[size_t(i)];
        // A deleted message is not unread (§9.3): the line goes to the next one.
        if (r.kind == EventKind::Message && !r.own && !r.state.redacted)
            return i;
    }
    return -1;
}

void TimelineModel::refreshDerived(
    const QList<QPair<int, Derived>> &watched, int skipFrom, int skipCount)
{
    m_firstUnread = computeFirstUnread();
    QList<int> announced;
    for (const auto &[row, before] : watched) {
        if (row < 0 || row >= int(m_rows.size()) || announced.contains(row))
            continue;
        if (derived(row) != before) {
            announceDerived(row, row);
            announced.append(row);
        }
    }
    // A row that became the unread line without being watched: before, it was not it.
    const bool fresh = m_firstUnread >= skipFrom && m_firstUnread < skipFrom + skipCount;
    if (m_firstUnread >= 0 && !fresh && !announced.contains(m_firstUnread)
        && std::none_of(watched.begin(), watched.end(),
            [this](const auto &w) { return w.first == m_firstUnread; }))
        announceDerived(m_firstUnread, m_firstUnread);
}
} // namespace confab::client
