// SPDX-License-Identifier: GPL-3.0-or-later
// The app's entry point: create the application, the session and the UI. Nothing else
// belongs here; the app's behaviour lives in the confab_client library.
#include "notify/notifier.h"
#include "session/session.h"
#include "settings/appsettings.h"

#include <QApplication>
#include <QQmlApplicationEngine>
#include <QUrl>
#include <QtQml/qqmlextensionplugin.h>

Q_IMPORT_QML_PLUGIN(Confab_ClientPlugin)
Q_IMPORT_QML_PLUGIN(ConfabPlugin)

int main(int argc, char *argv[])
{
    // QApplication rather than QGuiApplication: the tray icon is a Qt Widgets class.
    QApplication app(argc, argv);
    QApplication::setOrganizationName(QStringLiteral("Confab"));
    QApplication::setApplicationName(QStringLiteral("confab"));
    QApplication::setApplicationVersion(QStringLiteral(CONFAB_VERSION));

    confab::client::AppSettings settings;
    confab::client::AppSettings::setInstance(&settings);
    confab::client::Session session({}, &settings);
    confab::client::Session::setInstance(&session);
    confab::client::Notifier notifier(&settings);
    session.setNotifier(&notifier);

    QQmlApplicationEngine engine;
    engine.addImportPath(QStringLiteral("qrc:/"));
    QObject::connect(&engine, &QQmlApplicationEngine::objectCreationFailed, &app,
        [] { QCoreApplication::exit(1); }, Qt::QueuedConnection);
    engine.load(QUrl(QStringLiteral("qrc:/Confab/Main.qml")));
    session.restore();
    return QApplication::exec();
}
