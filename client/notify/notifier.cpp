// SPDX-License-Identifier: GPL-3.0-or-later
#include "notify/notifier.h"

#include "core/clientlogging.h"
#include "notify/trayicon.h"
#include "settings/appsettings.h"

#include <QDateTime>
#include <QGuiApplication>

#ifdef CONFAB_HAVE_DBUS
#include <QDBusConnection>
#include <QDBusMessage>
#include <QDBusPendingCallWatcher>
#include <QDBusPendingReply>
#endif

using namespace Qt::StringLiterals;

namespace confab::client {

namespace {

constexpr qsizetype MaxBody = 200;

#ifdef CONFAB_HAVE_DBUS
const auto Service = "org.freedesktop.Notifications"_L1;
const auto Path = "/org/freedesktop/Notifications"_L1;
const auto Interface = "org.freedesktop.Notifications"_L1;
#endif

QString cutBody(const QString &text)
{
    if (text.size() <= MaxBody)
        return text;
    qsizetype n = MaxBody - 1;
    if (text.at(n - 1).isHighSurrogate())
        --n;
    return text.left(n) + u'\u2026';
}

} // namespace

Notifier::Notifier(AppSettings *settings, QObject *parent)
    : QObject(parent)
    , m_settings(settings)
{
    if (TrayIcon::available()) {
        m_tray = new TrayIcon(this);
        connect(m_tray, &TrayIcon::clicked, this, &Notifier::showRequested);
        connect(m_tray, &TrayIcon::messageClicked, this, [this] {
            if (m_trayRoom != 0)
                Q_EMIT activated(m_trayRoom);
        });
    }
#ifdef CONFAB_HAVE_DBUS
    QDBusConnection bus = QDBusConnection::sessionBus();
    if (bus.isConnected()) {
        bus.connect(Service, Path, Interface, u"ActionInvoked"_s, this,
            SLOT(onActionInvoked(uint, QString)));
        bus.connect(Service, Path, Interface, u"NotificationClosed"_s, this,
            SLOT(onNotificationClosed(uint, uint)));
    } else {
        m_bus = Bus::Missing;
    }
#else
    m_bus = Bus::Missing;
#endif
}

Notifier::~Notifier() = default;

void Notifier::setActiveOverride(std::optional<bool> active)
{
    m_activeOverride = active;
}

bool Notifier::isActive() const
{
    if (m_activeOverride)
        return *m_activeOverride;
    return QGuiApplication::applicationState() == Qt::ApplicationActive;
}

bool Notifier::allowed() const
{
    const AppSettings *settings = m_settings ? m_settings.data() : AppSettings::instance();
    return !settings || settings->notificationsEnabled();
}

void Notifier::messageArrived(const IncomingMessage &message, const QString &level)
{
    // Channel chatter is what the unread badges are for; only what is addressed to the
    // user interrupts them, and only when they are not looking at the app already.
    if (!message.direct && !message.mentionsMe)
        return;
    // The user's level for the room (§18.3): "none" never notifies, "mentions" only for
    // a mention, even in a conversation.
    if (level == QLatin1StringView("none"))
        return;
    if (level == QLatin1StringView("mentions") && !message.mentionsMe)
        return;
    // Do-not-disturb silences everything, on every device, until its end time.
    if (QDateTime::currentMSecsSinceEpoch() < m_dndUntil)
        return;
    if (isActive() || !allowed())
        return;
    const QString title
        = message.direct ? message.sender : tr("%1 in #%2").arg(message.sender, message.roomName);
    show({message.room, title, cutBody(message.text)});
}

void Notifier::setUnreadTotal(qint64 total)
{
    if (m_tray)
        m_tray->setUnreadTotal(total);
}

void Notifier::setDoNotDisturbUntil(qint64 until)
{
    m_dndUntil = until;
}

void Notifier::show(const Pending &notification)
{
    switch (m_bus) {
    case Bus::Missing:
        showOnTray(notification);
        return;
    case Bus::Available:
        sendToDbus(notification);
        return;
    case Bus::Asking:
        m_waiting.append(notification);
        return;
    case Bus::Unknown:
        m_waiting.append(notification);
        queryCapabilities();
        return;
    }
}

void Notifier::showOnTray(const Pending &notification)
{
    if (!m_tray) {
        qCDebug(lcClientNotify) << "no notification server and no tray: not shown";
        return;
    }
    m_trayRoom = notification.room;
    m_tray->showMessage(notification.title, notification.body);
    Q_EMIT notified(notification.room, notification.title, notification.body);
}

void Notifier::queryCapabilities()
{
#ifdef CONFAB_HAVE_DBUS
    // Asked once, on the first notification: whether the server exists at all (else the
    // tray takes over) and whether it reads bodies as markup (then text must be escaped).
    m_bus = Bus::Asking;
    const QDBusMessage call
        = QDBusMessage::createMethodCall(Service, Path, Interface, u"GetCapabilities"_s);
    auto *watcher
        = new QDBusPendingCallWatcher(QDBusConnection::sessionBus().asyncCall(call), this);
    connect(watcher, &QDBusPendingCallWatcher::finished, this, [this](QDBusPendingCallWatcher *w) {
        w->deleteLater();
        const QDBusPendingReply<QStringList> reply = *w;
        if (reply.isError()) {
            qCInfo(lcClientNotify)
                << "no desktop notification server, using the tray:" << reply.error().message();
            m_bus = Bus::Missing;
        } else {
            m_bus = Bus::Available;
            m_bodyMarkup = reply.value().contains("body-markup"_L1);
        }
        const QList<Pending> waiting = std::exchange(m_waiting, {});
        for (const Pending &p : waiting)
            show(p);
    });
#endif
}

void Notifier::sendToDbus(const Pending &notification)
{
#ifdef CONFAB_HAVE_DBUS
    QDBusMessage call = QDBusMessage::createMethodCall(Service, Path, Interface, u"Notify"_s);
    const QVariantMap hints {
        {u"desktop-entry"_s, u"org.confab.Confab"_s},
        {u"category"_s, u"im.received"_s},
    };
    call << u"Confab"_s << uint(0) << u"confab"_s << notification.title
         << (m_bodyMarkup ? notification.body.toHtmlEscaped() : notification.body)
         << QStringList {u"default"_s, tr("Open")} << hints << int(-1);
    auto *watcher
        = new QDBusPendingCallWatcher(QDBusConnection::sessionBus().asyncCall(call), this);
    connect(watcher, &QDBusPendingCallWatcher::finished, this,
        [this, notification](QDBusPendingCallWatcher *w) {
            w->deleteLater();
            const QDBusPendingReply<uint> reply = *w;
            if (reply.isError()) {
                qCWarning(lcClientNotify) << "Notify failed:" << reply.error().message();
                showOnTray(notification);
                return;
            }
            m_rooms.insert(reply.value(), notification.room);
            Q_EMIT notified(notification.room, notification.title, notification.body);
        });
#else
    showOnTray(notification);
#endif
}

void Notifier::onActionInvoked(uint id, const QString &action)
{
    Q_UNUSED(action) // "default" (the body) and "Open" lead to the same place
    const auto it = m_rooms.constFind(id);
    if (it != m_rooms.constEnd())
        Q_EMIT activated(it.value());
}

void Notifier::onNotificationClosed(uint id, uint reason)
{
    Q_UNUSED(reason)
    m_rooms.remove(id);
}

} // namespace confab::client
