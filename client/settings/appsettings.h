// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QObject>
#include <QSettings>
#include <QStringList>
#include <QtQml/qqmlregistration.h>
#include <memory>

class QQmlEngine;
class QJSEngine;

namespace confab::client {

/*!
 * \brief The user's preferences, persisted with QSettings (organisation "Confab",
 * application "confab"). One instance per process, shared by C++ and QML.
 */
class AppSettings : public QObject
{
    Q_OBJECT
    QML_ELEMENT
    QML_SINGLETON
    Q_PROPERTY(Theme theme READ theme WRITE setTheme NOTIFY themeChanged)
    Q_PROPERTY(bool darkMode READ darkMode NOTIFY darkModeChanged) //!< theme resolved
    Q_PROPERTY(bool notificationsEnabled READ notificationsEnabled WRITE setNotificationsEnabled
            NOTIFY notificationsEnabledChanged)
    Q_PROPERTY(int fontPointSize READ fontPointSize WRITE setFontPointSize NOTIFY
            fontPointSizeChanged) //!< 8…24; 0 = platform default
    Q_PROPERTY(
        QString lastServerUrl READ lastServerUrl WRITE setLastServerUrl NOTIFY lastServerUrlChanged)
    Q_PROPERTY(
        QString lastUsername READ lastUsername WRITE setLastUsername NOTIFY lastUsernameChanged)
    //! Downloaded files and thumbnails kept on disk, in MiB (16…100000; default 500).
    Q_PROPERTY(int fileCacheMiB READ fileCacheMiB WRITE setFileCacheMiB NOTIFY fileCacheMiBChanged)
    //! The emoji picked last, newest first.
    Q_PROPERTY(
        QStringList recentEmoji READ recentEmoji WRITE setRecentEmoji NOTIFY recentEmojiChanged)

public:
    enum Theme
    {
        System,
        Light,
        Dark
    };
    Q_ENUM(Theme)

    /*! \brief \a settings: where to persist (not owned); tests pass an INI file in a
     * temporary folder. Without one, the user's Confab settings are used. */
    // Deleted so that a bare `AppSettings()` is ambiguous: Qt 6.4 constructs a
    // default-constructible QML_SINGLETON itself and ignores create().
    AppSettings() = delete;
    explicit AppSettings(QSettings *settings = nullptr, QObject *parent = nullptr);

    /*! \brief QML's instance: the one registered with setInstance() (owned by C++). */
    static AppSettings *create(QQmlEngine *, QJSEngine *);
    static void setInstance(AppSettings *settings);
    static AppSettings *instance();

    Theme theme() const;
    void setTheme(Theme theme);
    bool darkMode() const;
    bool notificationsEnabled() const;
    void setNotificationsEnabled(bool enabled);
    int fontPointSize() const;
    void setFontPointSize(int size);
    QString lastServerUrl() const;
    void setLastServerUrl(const QString &url);
    QString lastUsername() const;
    void setLastUsername(const QString &user);
    /*! \brief The last server and user's token is in the keychain: the next start can show
     * that account's cached rooms from its first frame, before the keychain answers. */
    bool sessionSaved() const;
    void setSessionSaved(bool saved);
    /*! \brief The emoji picked last, newest first (EmojiModel keeps the list short). */
    QStringList recentEmoji() const;
    void setRecentEmoji(const QStringList &emoji);
    int fileCacheMiB() const;
    void setFileCacheMiB(int mib);
    /*! \brief Where the settings are kept, for per-device state that is not a preference
     * (the servers' pins, PinStore). */
    QSettings *storage() const { return m_settings; }

Q_SIGNALS:
    void themeChanged();
    void darkModeChanged();
    void notificationsEnabledChanged();
    void fontPointSizeChanged();
    void lastServerUrlChanged();
    void lastUsernameChanged();
    void recentEmojiChanged();
    void fileCacheMiBChanged();

protected:
    bool eventFilter(QObject *watched, QEvent *event) override;

private:
    void updateDarkMode();
    static bool paletteIsDark();

    std::unique_ptr<QSettings> m_ownSettings; //!< when no QSettings was passed in
    QSettings *m_settings = nullptr;
    bool m_darkMode = false;
};

} // namespace confab::client
