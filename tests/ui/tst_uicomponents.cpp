// SPDX-License-Identifier: GPL-3.0-or-later
// Qt Quick Test runner for the UI's components in isolation (tests/ui/qml/tst_*.qml).
// The components bind to the Session and AppSettings singletons, so real (signed-out)
// instances over a temporary folder are registered before any QML is loaded.
#include "session/session.h"
#include "settings/appsettings.h"

#include <QQmlEngine>
#include <QQuickStyle>
#include <QSettings>
#include <QTemporaryDir>
#include <QtQml/qqmlextensionplugin.h>
#include <QtQuickTest>
#include <memory>

Q_IMPORT_QML_PLUGIN(Confab_ClientPlugin)
Q_IMPORT_QML_PLUGIN(ConfabPlugin)

using namespace Qt::StringLiterals;

class Setup : public QObject
{
    Q_OBJECT

public Q_SLOTS:
    void applicationAvailable()
    {
        QQuickStyle::setStyle(u"Material"_s);
        m_settingsFile
            = std::make_unique<QSettings>(m_dir.filePath(u"settings.ini"_s), QSettings::IniFormat);
        m_settings = std::make_unique<confab::client::AppSettings>(m_settingsFile.get());
        confab::client::SessionOptions options;
        options.dataDir = m_dir.path();
        options.useKeychain = false;
        m_session = std::make_unique<confab::client::Session>(options, m_settings.get());
        confab::client::AppSettings::setInstance(m_settings.get());
        confab::client::Session::setInstance(m_session.get());
    }

    void qmlEngineAvailable(QQmlEngine *engine) { engine->addImportPath(u"qrc:/"_s); }

    void cleanupTestCase()
    {
        m_session.reset();
        m_settings.reset();
    }

private:
    QTemporaryDir m_dir;
    std::unique_ptr<QSettings> m_settingsFile;
    std::unique_ptr<confab::client::AppSettings> m_settings;
    std::unique_ptr<confab::client::Session> m_session;
};

QUICK_TEST_MAIN_WITH_SETUP(uicomponents, Setup)

#include "tst_uicomponents.moc"
