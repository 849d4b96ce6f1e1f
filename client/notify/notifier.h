// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QHash>
#include <QList>
#include <QObject>
#include <QPointer>
#include <QString>
#include <optional>

namespace confab::client {

class AppSettings;
class TrayIcon;

/*!
 * \brief A message that arrived live, as the notifier needs it.
 */
struct IncomingMessage
{
    qint64 room = 0;
    QString roomName;
    bool direct = false;
    QString sender;
    QString text;
    bool mentionsMe = false;
};

/*!
 * \brief Decides which messages deserve a desktop notification (direct messages and
 * mentions, while no window of the app is active, when the user has not turned them
 * off) and shows it: freedesktop notifications over D-Bus on Linux, the tray icon's
 * message elsewhere. Also owns the tray icon with the unread total where the platform
 * has a tray.
 */
class Notifier : public QObject
{
    Q_OBJECT

public:
    explicit Notifier(AppSettings *settings, QObject *parent = nullptr);
    ~Notifier() override;

    /*! \brief \a level: the user's level for the room (§18.3): "all", "mentions" or
     * "none"; "" (a server without `notify`) is "all". */
    void messageArrived(const IncomingMessage &message, const QString &level = {});
    void setUnreadTotal(qint64 total);
    /*! \brief Do-not-disturb (§18.3): nothing notifies before \a until (ms since the
     * epoch); 0 turns it off. */
    void setDoNotDisturbUntil(qint64 until);

    /*! \brief For tests: whether the app counts as active (default: ask QGuiApplication). */
    void setActiveOverride(std::optional<bool> active);

Q_SIGNALS:
    /*! \brief A notification was shown (title, body); tests and the tray use it. */
    void notified(qint64 room, const QString &title, const QString &body);
    /*! \brief The user clicked a notification or the tray icon's room entry. */
    void activated(qint64 room);
    /*! \brief The tray icon itself was clicked: bring the window up. */
    void showRequested();

private Q_SLOTS:
    // Signals of org.freedesktop.Notifications, connected by name over D-Bus.
    void onActionInvoked(uint id, const QString &action);
    void onNotificationClosed(uint id, uint reason);

private:
    struct Pending
    {
        qint64 room = 0;
        QString title;
        QString body;
    };

    bool isActive() const;
    bool allowed() const;
    void show(const Pending &notification);
    void showOnTray(const Pending &notification);
    void queryCapabilities();
    void sendToDbus(const Pending &notification);

    QPointer<AppSettings> m_settings;
    std::optional<bool> m_activeOverride;
    qint64 m_dndUntil = 0;
    TrayIcon *m_tray = nullptr;
    qint64 m_trayRoom = 0; //!< the room of the tray's last message, for its click
    enum class Bus
    {
        Unknown,
        Asking,
        Available,
        Missing
    };
    Bus m_bus = Bus::Unknown;
    bool m_bodyMarkup = false; //!< the server renders markup in bodies: escape text
    QList<Pending> m_waiting; //!< shown once the server's capabilities are known
    QHash<uint, qint64> m_rooms; //!< notification id -> room, until it is closed
};

} // namespace confab::client
