// SPDX-License-Identifier: GPL-3.0-or-later
#include "settings/appsettings.h"

#include <QGuiApplication>
#include <QJSEngine>
#include <QPalette>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTest>

using namespace Qt::StringLiterals;
using confab::client::AppSettings;

namespace {

QPalette paletteWithWindow(const QColor &window)
{
    QPalette p = QGuiApplication::palette();
    p.setColor(QPalette::Window, window);
    return p;
}

} // namespace

class TestAppSettings : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void init()
    {
        QGuiApplication::setPalette(paletteWithWindow(QColor(240, 240, 240)));
        m_dir.emplace();
        QVERIFY(m_dir->isValid());
    }

    void defaults()
    {
        QSettings ini(m_dir->filePath(u"confab.ini"_s), QSettings::IniFormat);
        AppSettings s(&ini);
        QCOMPARE(s.theme(), AppSettings::System);
        QVERIFY(!s.darkMode());
        QVERIFY(s.notificationsEnabled());
        QCOMPARE(s.fontPointSize(), 0);
        QCOMPARE(s.lastServerUrl(), u"ws://127.0.0.1:8747"_s);
        QCOMPARE(s.lastUsername(), QString());
    }

    void persistsAcrossInstances()
    {
        const QString path = m_dir->filePath(u"confab.ini"_s);
        {
            QSettings ini(path, QSettings::IniFormat);
            AppSettings s(&ini);
            QSignalSpy theme(&s, &AppSettings::themeChanged);
            QSignalSpy notifications(&s, &AppSettings::notificationsEnabledChanged);
            QSignalSpy server(&s, &AppSettings::lastServerUrlChanged);
            QSignalSpy user(&s, &AppSettings::lastUsernameChanged);
            s.setTheme(AppSettings::Light);
            s.setTheme(AppSettings::Light);
            s.setNotificationsEnabled(false);
            s.setLastServerUrl(u"wss://chat.example.org"_s);
            s.setLastUsername(u"ana"_s);
            s.setLastUsername(u"ana"_s);
            QCOMPARE(theme.count(), 1);
            QCOMPARE(notifications.count(), 1);
            QCOMPARE(server.count(), 1);
            QCOMPARE(user.count(), 1);
        }
        QSettings ini(path, QSettings::IniFormat);
        AppSettings s(&ini);
        QCOMPARE(s.theme(), AppSettings::Light);
        QVERIFY(!s.notificationsEnabled());
        QCOMPARE(s.lastServerUrl(), u"wss://chat.example.org"_s);
        QCOMPARE(s.lastUsername(), u"ana"_s);
    }

    void fontSizeIsClamped()
    {
        QSettings ini(m_dir->filePath(u"confab.ini"_s), QSettings::IniFormat);
        AppSettings s(&ini);
        QSignalSpy font(&s, &AppSettings::fontPointSizeChanged);
        s.setFontPointSize(30);
        QCOMPARE(s.fontPointSize(), 24);
        s.setFontPointSize(3);
        QCOMPARE(s.fontPointSize(), 8);
        s.setFontPointSize(12);
        QCOMPARE(s.fontPointSize(), 12);
        s.setFontPointSize(12);
        QCOMPARE(font.count(), 3);
        s.setFontPointSize(0);
        QCOMPARE(s.fontPointSize(), 0);
        s.setFontPointSize(-5); // still the default
        QCOMPARE(font.count(), 4);
        // A hand-edited file cannot push it out of range either.
        ini.setValue(u"appearance/fontPointSize"_s, 99);
        QCOMPARE(s.fontPointSize(), 24);
    }

    void darkModeFollowsThemeAndPalette()
    {
        QSettings ini(m_dir->filePath(u"confab.ini"_s), QSettings::IniFormat);
        AppSettings s(&ini);
        QSignalSpy dark(&s, &AppSettings::darkModeChanged);
        QVERIFY(!s.darkMode());

        s.setTheme(AppSettings::Dark);
        QVERIFY(s.darkMode());
        QCOMPARE(dark.count(), 1);
        s.setTheme(AppSettings::Light);
        QVERIFY(!s.darkMode());
        QCOMPARE(dark.count(), 2);

        // Light theme ignores the desktop; System follows it, live.
        QGuiApplication::setPalette(paletteWithWindow(QColor(30, 30, 30)));
        QVERIFY(!s.darkMode());
        QCOMPARE(dark.count(), 2);
        s.setTheme(AppSettings::System);
        QVERIFY(s.darkMode());
        QCOMPARE(dark.count(), 3);
        QGuiApplication::setPalette(paletteWithWindow(QColor(250, 250, 250)));
        QTRY_VERIFY(!s.darkMode());
        QCOMPARE(dark.count(), 4);
    }

    void qmlSingletonIsTheRegisteredInstance()
    {
        QSettings ini(m_dir->filePath(u"confab.ini"_s), QSettings::IniFormat);
        AppSettings s(&ini);
        AppSettings::setInstance(&s);
        QJSEngine engine;
        QCOMPARE(AppSettings::create(nullptr, &engine), &s);
        QCOMPARE(AppSettings::instance(), &s);
        QCOMPARE(QJSEngine::objectOwnership(&s), QJSEngine::CppOwnership);
        AppSettings::setInstance(nullptr);
    }

private:
    std::optional<QTemporaryDir> m_dir;
};

QTEST_MAIN(TestAppSettings)
#include "tst_appsettings.moc"
