// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QObject>
#include <QString>
#include <optional>

namespace confab::client {

class AppSettings;

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

    void messageArrived(const IncomingMessage &message);
    void setUnreadTotal(qint64 total);

    /*! \brief For tests: whether the app counts as active (default: ask QGuiApplication). */
    void setActiveOverride(std::optional<bool> active);

Q_SIGNALS:
    /*! \brief A notification was shown (title, body); tests and the tray use it. */
    void notified(qint64 room, const QString &title, const QString &body);
    /*! \brief The user clicked a notification or the tray icon's room entry. */
    void activated(qint64 room);

private:
    // The public API above is fixed; the private section is the implementer's.
};

} // namespace confab::client
