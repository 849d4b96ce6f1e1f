// SPDX-License-Identifier: GPL-3.0-or-later
#include "settings/appsettings.h"

#include <QEvent>
#include <QGuiApplication>
#include <QJSEngine>
#include <QPalette>
#include <QPointer>
#include <algorithm>

using namespace Qt::StringLiterals;

namespace confab::client {

namespace {

QPointer<AppSettings> s_instance;

const auto ThemeKey = "appearance/theme"_L1;
const auto FontKey = "appearance/fontPointSize"_L1;
const auto NotificationsKey = "notifications/enabled"_L1;
const auto ServerKey = "session/lastServerUrl"_L1;
const auto UserKey = "session/lastUsername"_L1;
const auto SavedKey = "session/saved"_L1;
const auto RecentEmojiKey = "emoji/recent"_L1;
const auto FileCacheKey = "files/cacheMiB"_L1;
constexpr int DefaultFileCacheMiB = 500;

constexpr int MinFont = 8;
constexpr int MaxFont = 24;

QString themeName(AppSettings::Theme theme)
{
    switch (theme) {
    case AppSettings::Light:
        return u"light"_s;
    case AppSettings::Dark:
        return u"dark"_s;
    case AppSettings::System:
        break;
    }
    return u"system"_s;
}

int clampFont(int size)
{
    return size <= 0 ? 0 : std::clamp(size, MinFont, MaxFont);
}

} // namespace

AppSettings::AppSettings(QSettings *settings, QObject *parent)
    : QObject(parent)
    , m_settings(settings)
{
    if (!m_settings) {
        m_ownSettings = std::make_unique<QSettings>(u"Confab"_s, u"confab"_s);
        m_settings = m_ownSettings.get();
    }
    m_darkMode = theme() == Dark || (theme() == System && paletteIsDark());
    // Qt 6.4 has no QStyleHints::colorScheme: the palette is the only signal that the
    // desktop switched between light and dark.
    if (QCoreApplication::instance())
        QCoreApplication::instance()->installEventFilter(this);
}

AppSettings *AppSettings::create(QQmlEngine *, QJSEngine *)
{
    if (!s_instance) {
        // QML asked before main() registered one: make one that lives as long as the app.
        setInstance(new AppSettings(nullptr, QCoreApplication::instance()));
    }
    QJSEngine::setObjectOwnership(s_instance, QJSEngine::CppOwnership);
    return s_instance;
}

void AppSettings::setInstance(AppSettings *settings)
{
    s_instance = settings;
}

AppSettings *AppSettings::instance()
{
    return s_instance;
}

bool AppSettings::eventFilter(QObject *watched, QEvent *event)
{
    if (watched == QCoreApplication::instance()
        && event->type() == QEvent::ApplicationPaletteChange)
        updateDarkMode();
    return QObject::eventFilter(watched, event);
}

bool AppSettings::paletteIsDark()
{
    if (!qobject_cast<QGuiApplication *>(QCoreApplication::instance()))
        return false;
    return QGuiApplication::palette().color(QPalette::Window).lightness() < 128;
}

void AppSettings::updateDarkMode()
{
    const Theme t = theme();
    const bool dark = t == Dark || (t == System && paletteIsDark());
    if (dark == m_darkMode)
        return;
    m_darkMode = dark;
    Q_EMIT darkModeChanged();
}

AppSettings::Theme AppSettings::theme() const
{
    const QString name = m_settings->value(ThemeKey).toString();
    if (name == "light"_L1)
        return Light;
    if (name == "dark"_L1)
        return Dark;
    return System;
}

void AppSettings::setTheme(Theme theme)
{
    if (theme == this->theme())
        return;
    m_settings->setValue(ThemeKey, themeName(theme));
    Q_EMIT themeChanged();
    updateDarkMode();
}

bool AppSettings::darkMode() const
{
    return m_darkMode;
}

bool AppSettings::notificationsEnabled() const
{
    return m_settings->value(NotificationsKey, true).toBool();
}

void AppSettings::setNotificationsEnabled(bool enabled)
{
    if (enabled == notificationsEnabled())
        return;
    m_settings->setValue(NotificationsKey, enabled);
    Q_EMIT notificationsEnabledChanged();
}

int AppSettings::fontPointSize() const
{
    return clampFont(m_settings->value(FontKey, 0).toInt());
}

void AppSettings::setFontPointSize(int size)
{
    const int clamped = clampFont(size);
    if (clamped == fontPointSize())
        return;
    m_settings->setValue(FontKey, clamped);
    Q_EMIT fontPointSizeChanged();
}

QString AppSettings::lastServerUrl() const
{
    return m_settings->value(ServerKey, u"ws://127.0.0.1:8747"_s).toString();
}

void AppSettings::setLastServerUrl(const QString &url)
{
    if (url == lastServerUrl())
        return;
    m_settings->setValue(ServerKey, url);
    Q_EMIT lastServerUrlChanged();
}

QString AppSettings::lastUsername() const
{
    return m_settings->value(UserKey).toString();
}

void AppSettings::setLastUsername(const QString &user)
{
    if (user == lastUsername())
        return;
    m_settings->setValue(UserKey, user);
    Q_EMIT lastUsernameChanged();
}

bool AppSettings::sessionSaved() const
{
    return m_settings->value(SavedKey, false).toBool();
}

void AppSettings::setSessionSaved(bool saved)
{
    m_settings->setValue(SavedKey, saved);
}

QStringList AppSettings::recentEmoji() const
{
    return m_settings->value(RecentEmojiKey).toStringList();
}

void AppSettings::setRecentEmoji(const QStringList &emoji)
{
    if (recentEmoji() == emoji)
        return;
    m_settings->setValue(RecentEmojiKey, emoji);
    Q_EMIT recentEmojiChanged();
}

int AppSettings::fileCacheMiB() const
{
    return std::clamp(m_settings->value(FileCacheKey, DefaultFileCacheMiB).toInt(), 16, 100'000);
}

void AppSettings::setFileCacheMiB(int mib)
{
    mib = std::clamp(mib, 16, 100'000);
    if (fileCacheMiB() == mib)
        return;
    m_settings->setValue(FileCacheKey, mib);
    Q_EMIT fileCacheMiBChanged();
}

} // namespace confab::client
