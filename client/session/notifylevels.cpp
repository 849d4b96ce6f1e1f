// SPDX-License-Identifier: GPL-3.0-or-later
#include "session/notifylevels.h"

#include "net/connection.h"
#include "protocol/accountrequests.h"
#include "session/errortext.h"
#include "session/session.h"

#include <QJSEngine>
#include <QLocale>
#include <QLoggingCategory>

Q_LOGGING_CATEGORY(lcClientNotifyLevels, "confab.client.notifylevels", QtInfoMsg)

namespace confab::client {

namespace {
// QTimer counts in int milliseconds: a far end time is checked again after a day.
constexpr qint64 MaxTimerMs = 24LL * 60 * 60 * 1000;
} // namespace

NotifyLevels::NotifyLevels(Connection *connection, QObject *parent)
    : QObject(parent)
    , m_connection(connection)
{
    m_dndEnd.setSingleShot(true);
    connect(&m_dndEnd, &QTimer::timeout, this, [this] {
        // Still on after a midnight: "tomorrow 08:00" has become "08:00".
        if (armTimer())
            Q_EMIT dndChanged();
    });
    connect(m_connection, &Connection::ready, this, &NotifyLevels::updateAvailable);
}

NotifyLevels *NotifyLevels::create(QQmlEngine *, QJSEngine *)
{
    Session *session = Session::instance();
    Q_ASSERT(session);
    QJSEngine::setObjectOwnership(session->notifyLevels(), QJSEngine::CppOwnership);
    return session->notifyLevels();
}

QDateTime NotifyLevels::dndUntil() const
{
    return m_dndUntil > 0 ? QDateTime::fromMSecsSinceEpoch(m_dndUntil) : QDateTime();
}

QString NotifyLevels::dndUntilText() const
{
    return m_dndUntil > 0 ? untilText(dndUntil(), now()) : QString();
}

void NotifyLevels::setClock(std::function<QDateTime()> clock)
{
    m_clock = std::move(clock);
}

QDateTime NotifyLevels::now() const
{
    return m_clock ? m_clock() : QDateTime::currentDateTime();
}

QDateTime NotifyLevels::nextMorning(const QDateTime &now)
{
    const QDateTime local = now.toLocalTime();
    const QTime eight(8, 0);
    const QDate day = local.time() < eight ? local.date() : local.date().addDays(1);
    return QDateTime(day, eight);
}

QString NotifyLevels::morningLabel(const QDateTime &now)
{
    const QDateTime morning = nextMorning(now);
    const QString time = QLocale().toString(morning.time(), QLocale::ShortFormat);
    return morning.date() == now.toLocalTime().date()
        ? tr("Do not disturb until %1").arg(time)
        : tr("Do not disturb until tomorrow %1").arg(time);
}

QString NotifyLevels::untilText(const QDateTime &until, const QDateTime &now)
{
    const QDateTime end = until.toLocalTime();
    const QDate today = now.toLocalTime().date();
    QString time = QLocale().toString(end.time(), QLocale::ShortFormat);
    if (end.date() == today)
        return time;
    if (end.date() == today.addDays(1))
        return tr("tomorrow %1").arg(time);
    return tr("%1 %2").arg(QLocale().toString(end.date(), QLocale::ShortFormat), time);
}

void NotifyLevels::updateAvailable()
{
    const bool available = m_connection->hello().has(protocol::features::Notify);
    if (available == m_available)
        return;
    m_available = available;
    Q_EMIT availableChanged();
}

void NotifyLevels::applyDnd(qint64 until)
{
    // A time already past means off (§18.3).
    const qint64 value = until > QDateTime::currentMSecsSinceEpoch() ? until : 0;
    if (value == m_dndUntil)
        return;
    m_dndUntil = value;
    qCInfo(lcClientNotifyLevels) << "do-not-disturb until" << m_dndUntil;
    Q_EMIT dndChanged();
    armTimer();
}

bool NotifyLevels::armTimer()
{
    m_dndEnd.stop();
    if (m_dndUntil == 0)
        return false;
    const QDateTime current = QDateTime::currentDateTime();
    const qint64 left = m_dndUntil - current.toMSecsSinceEpoch();
    if (left <= 0) {
        m_dndUntil = 0;
        qCInfo(lcClientNotifyLevels) << "do-not-disturb ended";
        Q_EMIT dndChanged();
        return false;
    }
    // The indicator's text names the day: wake at midnight too, when that changes.
    const qint64 toMidnight
        = current.msecsTo(QDateTime(current.date().addDays(1), QTime(0, 0))) + 1;
    m_dndEnd.start(int(std::min({left, toMidnight, MaxTimerMs})));
    return true;
}

void NotifyLevels::reset()
{
    ++m_generation;
    applyDnd(0);
}

void NotifyLevels::setLevel(qint64 room, const QString &level)
{
    const auto value = protocol::NotifyLevelNames.fromName(level);
    if (!value || room <= 0)
        return;
    // The server's `room` push carries the new level to the room list, on every device.
    send(protocol::requests::setNotify(room, *value));
}

void NotifyLevels::dndForOneHour()
{
    setDnd(QDateTime::currentMSecsSinceEpoch() + 60LL * 60 * 1000);
}

void NotifyLevels::dndUntilMorning()
{
    setDnd(nextMorning(now()).toMSecsSinceEpoch());
}

QString NotifyLevels::dndMorningLabel() const
{
    return morningLabel(now());
}

void NotifyLevels::dndOff()
{
    setDnd(0);
}

void NotifyLevels::setDnd(qint64 until)
{
    // The `dnd` push that follows sets it here and on the other devices.
    send(protocol::requests::setDnd(std::max<qint64>(0, until)));
}

void NotifyLevels::send(const protocol::OutgoingRequest &request)
{
    const quint64 generation = m_generation;
    // Sent while offline, it never left; sent and then cut off, the server may have made
    // the change (its push will say so): both are safe to try again.
    const bool wasSent = m_connection->state() == Connection::Ready;
    m_connection->send(request, this, [this, generation, wasSent](const Reply &reply) {
        if (generation != m_generation || reply.ok())
            return;
        if (reply.outcome != Reply::Disconnected)
            Q_EMIT actionFailed(accountErrorText(reply.error));
        else if (wasSent)
            Q_EMIT actionFailed(tr("The connection was lost before the server answered. "
                                   "Try again when it is back."));
        else
            Q_EMIT actionFailed(tr("You are offline. The change was not made."));
    });
}

} // namespace confab::client
