// SPDX-License-Identifier: GPL-3.0-or-later
// The app's entry point: create the application, the session and the UI. Nothing else
// belongs here; the app's behaviour lives in the confab_client library.
#include "app/appcommandline.h"
#include "app/quickbackend.h"
#include "app/startuptrace.h"
#include "files/imageproviders.h"
#include "notify/notifier.h"
#include "session/session.h"
#include "settings/appsettings.h"

#include <QApplication>
#include <QIcon>
#include <QLocale>
#include <QQmlApplicationEngine>
#include <QQuickStyle>
#include <QQuickWindow>
#include <QTextStream>
#include <QTimer>
#include <QTranslator>
#include <QUrl>
#include <QtQml/qqmlextensionplugin.h>
#include <algorithm>
#include <cstdio>

Q_IMPORT_QML_PLUGIN(Confab_ClientPlugin)
Q_IMPORT_QML_PLUGIN(ConfabPlugin)

using namespace Qt::StringLiterals;

int main(int argc, char *argv[])
{
    confab::client::startuptrace::markMain();
    // QApplication rather than QGuiApplication: the tray icon is a Qt Widgets class.
    QApplication app(argc, argv);
    confab::client::startuptrace::mark("app");
    QApplication::setOrganizationName(u"Confab"_s);
    QApplication::setApplicationName(u"confab"_s);
    QApplication::setApplicationDisplayName(u"Confab"_s);
    QApplication::setApplicationVersion(QStringLiteral(CONFAB_VERSION));
    QApplication::setDesktopFileName(u"org.confab.Confab"_s);
    QApplication::setWindowIcon(QIcon(u":/Confab/icons/confab.svg"_s));

    // The user's language, else English (whose file holds the plural forms of the source
    // texts, e.g. "1 new message" / "2 new messages"). The installed files come first
    // (<prefix>/share/confab/translations, as the packages install them), so a translation
    // can be added or fixed without a rebuild; the copies compiled in are the fallback.
    QTranslator translator;
    const QStringList translationDirs {
        QApplication::applicationDirPath() + u"/../share/confab/translations"_s, u":/i18n"_s};
    const bool translated = std::any_of(translationDirs.cbegin(), translationDirs.cend(),
                                [&](const QString &dir) {
                                    return translator.load(QLocale(), u"confab"_s, u"_"_s, dir);
                                })
        || std::any_of(translationDirs.cbegin(), translationDirs.cend(),
            [&](const QString &dir) { return translator.load(u"confab_en"_s, dir); });
    if (translated)
        QApplication::installTranslator(&translator);

    confab::client::AppCommandLine commandLine;
    if (!commandLine.parse(QApplication::arguments())) {
        QTextStream(stderr) << commandLine.errorText() << Qt::endl;
        return 2;
    }
    if (commandLine.passwordFromStdin()) {
        QTextStream in(stdin);
        if (!commandLine.readPassword(in)) {
            QTextStream(stderr) << commandLine.errorText() << Qt::endl;
            return 2;
        }
    }

    // Before any window, after the command line (--help logs nothing): Qt Quick's software
    // renderer where OpenGL is only a software rasteriser (faster to start, far less
    // memory); QT_QUICK_BACKEND overrides.
    confab::client::quickbackend::choose();

    // Material has a light and a dark variant, which the theme setting switches between.
    QQuickStyle::setStyle(u"Material"_s);

    confab::client::AppSettings settings(nullptr);
    confab::client::AppSettings::setInstance(&settings);
    confab::client::Session session({}, &settings);
    confab::client::Session::setInstance(&session);
    confab::client::Notifier notifier(&settings);
    session.setNotifier(&notifier);

    // Before the UI loads, so it opens on the right page (and does not probe a server the
    // command line is about to replace).
    if (commandLine.signsIn())
        session.account()->signIn(
            commandLine.serverUrl(), commandLine.username(), commandLine.password(), false);
    else
        session.account()->restore();

    confab::client::startuptrace::mark("engine");
    QQmlApplicationEngine engine;
    engine.addImportPath(u"qrc:/"_s);
    confab::client::installImageProviders(engine, session);
    QObject::connect(
        &engine, &QQmlApplicationEngine::objectCreationFailed, &app,
        [] { QCoreApplication::exit(1); }, Qt::QueuedConnection);
    engine.load(QUrl(u"qrc:/Confab/Main.qml"_s));
    confab::client::quickbackend::learn(engine);
    confab::client::startuptrace::attach(engine);

    // A clicked notification opens its room in front of whatever the user was doing.
    QObject::connect(&notifier, &confab::client::Notifier::activated, &session,
        [&engine, &session](qint64 room) {
            session.currentRoom()->select(room);
            const auto roots = engine.rootObjects();
            if (auto *window
                = roots.isEmpty() ? nullptr : qobject_cast<QQuickWindow *>(roots.first())) {
                window->show();
                window->raise();
                window->requestActivate();
            }
        });

    // A confab:// link (the desktop passes it to "confab %u"): opened once the session is
    // live, since the room and the message may have to be loaded from the server.
    if (!commandLine.link().isEmpty()) {
        const QString link = commandLine.link();
        auto *pending = new QObject(&session);
        QObject::connect(
            &session, &confab::client::Session::resumed, pending, [&session, link, pending] {
                // After the resume's own handlers have run: the connection is live then.
                QTimer::singleShot(
                    0, &session, [&session, link] { session.messageActions()->openLink(link); });
                pending->deleteLater(); // once: a later reconnect does not jump again
            });
    }

    return QApplication::exec();
}
