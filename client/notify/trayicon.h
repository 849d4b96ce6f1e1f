// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QObject>
#include <QString>

class QSystemTrayIcon;

namespace confab::client {

/*!
 * \brief The app's icon in the system tray: the unread total in its tooltip, and
 * notification balloons where there is no freedesktop notification server.
 *
 * Only create it when QSystemTrayIcon::isSystemTrayAvailable() and a QApplication exist.
 */
class TrayIcon : public QObject
{
    Q_OBJECT

public:
    explicit TrayIcon(QObject *parent = nullptr);
    ~TrayIcon() override;

    /*! \brief True when a tray exists in this session (and widgets can be used). */
    static bool available();

    void setUnreadTotal(qint64 total);
    QString toolTip() const;
    void showMessage(const QString &title, const QString &body);

Q_SIGNALS:
    void clicked();
    void messageClicked();

private:
    QSystemTrayIcon *m_icon = nullptr;
};

} // namespace confab::client
