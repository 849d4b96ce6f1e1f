// SPDX-License-Identifier: GPL-3.0-or-later
// The real UI in a test: settings and cache in a temporary folder, the Session and
// AppSettings singletons registered, Main.qml loaded offscreen; and small helpers to find
// items by objectName and click them the way a user would.
#pragma once

#include "session/session.h"
#include "settings/appsettings.h"

#include <QPointer>
#include <QQmlApplicationEngine>
#include <QQuickItem>
#include <QQuickWindow>
#include <QSettings>
#include <QTemporaryDir>
#include <QTranslator>
#include <QUrl>
#include <functional>
#include <memory>

namespace confab::test {

/*!
 * \brief What stays on a computer between two runs of the app: the settings, the cache
 * and a keychain (in memory, answering asynchronously like the real one).
 */
struct UiProfile
{
    QTemporaryDir dir;
    std::shared_ptr<QHash<QString, QString>> keychain = std::make_shared<QHash<QString, QString>>();
};

class UiTestApp
{
public:
    /*! \brief Session options get a temporary data folder, no keychain, fast backoff. */
    UiTestApp();
    /*! \brief A run of the app on \a profile (not owned): its folder and its keychain. */
    explicit UiTestApp(UiProfile *profile);
    ~UiTestApp();

    client::Session *session() const { return m_session.get(); }
    client::AppSettings *settings() const { return m_settings.get(); }

    /*! \brief Loads qrc:/Confab/Main.qml with the app's style; false if it failed. */
    bool loadMain(
        QSize size = QSize(1100, 720), const std::function<void(QQuickWindow *)> &beforeShow = {});
    /*! \brief loadMain(), then the window becomes the active one, as a person's is (only
     * an active window reports what it shows as read). */
    bool loadMainActive(QSize size = QSize(1100, 720));
    QQuickWindow *window() const { return m_window; }
    QQmlApplicationEngine *engine() const { return m_engine.get(); }
    /*! \brief Runs on the engine before Main.qml loads: where a singleton must be set up
     * before the window's Component.onCompleted uses it (the Hosting singleton's resume()). */
    void setBeforeLoad(const std::function<void(QQmlApplicationEngine &)> &beforeLoad)
    {
        m_beforeLoad = beforeLoad;
    }

    /*! \brief The first object below the window named \a objectName that is an item
     * (visible or not), or null. Also searches popups' content. */
    QQuickItem *item(const QString &objectName) const;

private:
    QTemporaryDir m_dir;
    std::unique_ptr<QSettings> m_settingsFile;
    std::unique_ptr<client::AppSettings> m_settings;
    std::unique_ptr<client::Session> m_session;
    std::unique_ptr<QQmlApplicationEngine> m_engine;
    QPointer<QQuickWindow> m_window;
    QTranslator m_translator;
    std::function<void(QQmlApplicationEngine &)> m_beforeLoad;
};

/*! \brief How signInAndOpen() signs in, and what it waits for. */
struct SignInSteps
{
    QUrl server;
    QString user = QStringLiteral("alice");
    QString password = QStringLiteral("password-123");
    int rooms = 1; //!< live once the room list has this many rooms
    qint64 open = 0; //!< the room to open then
    std::function<bool()> alsoLive; //!< more to wait for before opening the room
    std::function<bool()> alsoOpen; //!< more to wait for once it is open
};

/*!
 * \brief Loads the window, makes it the active one, signs in as a person would and opens a
 * room; false if any step did not happen in time. The composer has the focus afterwards.
 */
bool signInAndOpen(UiTestApp &app, const SignInSteps &steps);

/*! \brief Waits up to \a timeoutMs for an item named \a name that is shown (it and its
 * ancestors visible); the first such one, or null. Pages and dialogs are created as the
 * user gets to them. */
QQuickItem *waitItem(UiTestApp &app, const QString &name, int timeoutMs = 10000);

/*! \brief The shown one of several items with the same name (each dialog has an
 * "acceptButton"), or null. */
QQuickItem *visibleItem(UiTestApp &app, const QString &name);

/*! \brief Every item below \a root (QObject and visual children) named \a objectName. */
QList<QQuickItem *> findItems(QObject *root, const QString &objectName);

/*! \brief The first item below \a root named \a name, or null. */
QQuickItem *childNamed(QQuickItem *root, const QString &name);

/*! \brief What a text item shows as plain text (a rich-text TextEdit's getText()). */
QString shownText(QQuickItem *item);

/*! \brief The timeline row (MessageDelegate) inside the view whose message text is
 * \a text, or null. */
QQuickItem *shownRow(UiTestApp &app, const QString &text);

/*! \brief Moves the mouse onto the top of \a item, as a person's hand would. */
void hover(UiTestApp &app, QQuickItem *item);

/*! \brief The action \a name of \a row once hovering shows it, or null. A row just sent
 * may still be scrolling into place (slowly under the sanitizers) and slide out from under
 * the mouse, so the mouse goes to where the row is now on each try, as a person's would. */
QQuickItem *hoverAction(UiTestApp &app, QQuickItem *row, const QString &name);

/*! \brief Presses and releases the left button in the middle of \a item. */
void click(QQuickItem *item);

/*! \brief Clicks the item \a item returns until \a done holds, waiting up to a second after
 * each click for it, \a timeoutMs in all; whether \a done came true. The item is looked up
 * afresh for each click (a model reset replaces rows) and only clicked while shown: a first
 * click can land while a list is still being replaced or a view still moving. */
bool clickUntil(const std::function<QQuickItem *()> &item, const std::function<bool()> &done,
    int timeoutMs = 5000);

/*! \brief Types Latin-1 \a text into whatever has the focus in \a window. */
void typeText(QWindow *window, const QString &text);

/*! \brief Gives \a item the keyboard focus and types \a text into it. */
void typeInto(QQuickItem *item, const QString &text);

/*! \brief Whether \a item and all its ancestors are visible. */
bool reallyVisible(const QQuickItem *item);

} // namespace confab::test
