// SPDX-License-Identifier: GPL-3.0-or-later
#include "session/notifylevels.h"

#include "net/connection.h"
#include "protocol/accountrequests.h"
#include "session/errortext.h"
#include "session/session.h"

#include <QJSEngine>
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
    connect(&m_dndEnd, &QTimer::timeout, this, &NotifyLevels::armTimer);
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

void NotifyLevels::armTimer()
{
    m_dndEnd.stop();
    if (m_dndUntil == 0)
        return;
    const qint64 left = m_dndUntil - QDateTime::currentMSecsSinceEpoch();
    if (left <= 0) {
        m_dndUntil = 0;
        qCInfo(lcClientNotifyLevels) << "do-not-disturb ended";
        Q_EMIT dndChanged();
        return;
    }
    m_dndEnd.start(int(std::min(left, MaxTimerMs)));
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
    const quint64 generation = m_generation;
    // The server's `room` push carries the new level to the room list, on every device.
    m_connection->send(
        protocol::requests::setNotify(room, *value), this, [this, generation](const Reply &reply) {
            if (generation != m_generation || reply.ok())
                return;
            Q_EMIT actionFailed(reply.outcome == Reply::Disconnected
                    ? tr("You are offline. The change was not made.")
                    : accountErrorText(reply.error));
        });
}

void NotifyLevels::dndForOneHour()
{
    setDnd(QDateTime::currentMSecsSinceEpoch() + 60LL * 60 * 1000);
}

void NotifyLevels::dndUntilMorning()
{
    const QDateTime morning(QDate::currentDate().addDays(1), QTime(8, 0));
    setDnd(morning.toMSecsSinceEpoch());
}

void NotifyLevels::dndOff()
{
    setDnd(0);
}

void NotifyLevels::setDnd(qint64 until)
{
    const quint64 generation = m_generation;
    // The `dnd` push that follows sets it here and on the other devices.
    m_connection->send(protocol::requests::setDnd(std::max<qint64>(0, until)), this,
        [this, generation](const Reply &reply) {
            if (generation != m_generation || reply.ok())
                return;
            Q_EMIT actionFailed(reply.outcome == Reply::Disconnected
                    ? tr("You are offline. The change was not made.")
                    : accountErrorText(reply.error));
        });
}

} // namespace confab::client
