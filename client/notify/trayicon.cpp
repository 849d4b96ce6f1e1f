// SPDX-License-Identifier: GPL-3.0-or-later
#include "notify/trayicon.h"

#include <QApplication>
#include <QFile>
#include <QIcon>
#include <QStyle>
#include <QSystemTrayIcon>

using namespace Qt::StringLiterals;

namespace confab::client {

namespace {

QIcon appIcon()
{
    // The UI's resources may not be linked in (tests): fall back to the theme's icon.
    const QString bundled = u":/Confab/icons/confab.svg"_s;
    if (QFile::exists(bundled))
        return QIcon(bundled);
    return QIcon::fromTheme(
        u"confab"_s, QApplication::style()->standardIcon(QStyle::SP_MessageBoxInformation));
}

} // namespace

TrayIcon::TrayIcon(QObject *parent)
    : QObject(parent)
    , m_icon(new QSystemTrayIcon(appIcon(), this))
{
    setUnreadTotal(0);
    connect(m_icon, &QSystemTrayIcon::activated, this,
        [this](QSystemTrayIcon::ActivationReason reason) {
            if (reason == QSystemTrayIcon::Trigger || reason == QSystemTrayIcon::DoubleClick)
                Q_EMIT clicked();
        });
    connect(m_icon, &QSystemTrayIcon::messageClicked, this, &TrayIcon::messageClicked);
    m_icon->show();
}

TrayIcon::~TrayIcon() = default;

bool TrayIcon::available()
{
    return qobject_cast<QApplication *>(QCoreApplication::instance())
        && QSystemTrayIcon::isSystemTrayAvailable();
}

void TrayIcon::setUnreadTotal(qint64 total)
{
    m_icon->setToolTip(total > 0 ? tr("Confab: %1 unread").arg(total) : tr("Confab"));
}

QString TrayIcon::toolTip() const
{
    return m_icon->toolTip();
}

void TrayIcon::showMessage(const QString &title, const QString &body)
{
    m_icon->showMessage(title, body, m_icon->icon());
}

} // namespace confab::client
