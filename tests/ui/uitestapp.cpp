// SPDX-License-Identifier: GPL-3.0-or-later
#include "uitestapp.h"

#include "files/imageproviders.h"
#include "models/roomlistmodel.h"
#include "session/account.h"
#include "session/currentroom.h"
#include "testclient.h"

#include <QDeadlineTimer>
#include <QQmlProperty>
#include <QQuickStyle>
#include <QSet>
#include <QTest>

using namespace Qt::StringLiterals;

namespace confab::test {

UiTestApp::UiTestApp()
    : UiTestApp(nullptr)
{ }

UiTestApp::UiTestApp(UiProfile *profile)
{
    const QString dir = profile ? profile->dir.path() : m_dir.path();
    m_settingsFile = std::make_unique<QSettings>(dir + u"/settings.ini"_s, QSettings::IniFormat);
    m_settings = std::make_unique<client::AppSettings>(m_settingsFile.get());
    client::SessionOptions options;
    options.dataDir = dir;
    options.useKeychain = profile != nullptr;
    options.memoryKeychain = profile ? profile->keychain : nullptr;
    options.backoffInitialMs = 200;
    options.backoffMaxMs = 1000;
    m_session = std::make_unique<client::Session>(options, m_settings.get());
    client::AppSettings::setInstance(m_settings.get());
    client::Session::setInstance(m_session.get());
    // English as the app shows it (plural forms come from the English translation).
    if (m_translator.load(u"confab_en"_s, u":/i18n"_s))
        QCoreApplication::installTranslator(&m_translator);
}

UiTestApp::~UiTestApp()
{
    QCoreApplication::removeTranslator(&m_translator);
    // The window and its bindings go before the objects they bind to.
    m_engine.reset();
    m_session.reset();
    m_settings.reset();
}

bool UiTestApp::loadMain(QSize size, const std::function<void(QQuickWindow *)> &beforeShow)
{
    // Once per process: Qt Quick Controls read the style when they are first imported.
    if (QQuickStyle::name() != u"Material"_s)
        QQuickStyle::setStyle(u"Material"_s);
    m_engine = std::make_unique<QQmlApplicationEngine>();
    m_engine->addImportPath(u"qrc:/"_s);
    client::installImageProviders(*m_engine, *m_session);
    if (m_beforeLoad)
        m_beforeLoad(*m_engine);
    m_engine->load(QUrl(u"qrc:/Confab/Main.qml"_s));
    if (m_engine->rootObjects().isEmpty())
        return false;
    m_window = qobject_cast<QQuickWindow *>(m_engine->rootObjects().constFirst());
    if (!m_window)
        return false;
    m_window->resize(size);
    if (beforeShow)
        beforeShow(m_window);
    m_window->show();
    return QTest::qWaitForWindowExposed(m_window);
}

bool UiTestApp::loadMainActive(QSize size)
{
    if (!loadMain(size))
        return false;
    m_window->requestActivate();
    return QTest::qWaitForWindowActive(m_window);
}

QQuickItem *UiTestApp::item(const QString &objectName) const
{
    const auto items = findItems(m_window, objectName);
    return items.isEmpty() ? nullptr : items.constFirst();
}

namespace {
void collect(QObject *object, const QString &name, QList<QQuickItem *> &out, QSet<QObject *> &seen)
{
    if (!object || seen.contains(object))
        return;
    seen.insert(object);
    if (auto *item = qobject_cast<QQuickItem *>(object)) {
        if (object->objectName() == name)
            out.append(item);
        for (QQuickItem *child : item->childItems())
            collect(child, name, out, seen);
    }
    // Popups (dialogs) are not items: their content is reached through their QObject children.
    if (auto *window = qobject_cast<QQuickWindow *>(object))
        collect(window->contentItem(), name, out, seen);
    for (QObject *child : object->children())
        collect(child, name, out, seen);
}
} // namespace

QList<QQuickItem *> findItems(QObject *root, const QString &objectName)
{
    QList<QQuickItem *> out;
    QSet<QObject *> seen;
    collect(root, objectName, out, seen);
    return out;
}

QQuickItem *visibleItem(UiTestApp &app, const QString &name)
{
    for (QQuickItem *item : findItems(app.window(), name)) {
        if (reallyVisible(item))
            return item;
    }
    return nullptr;
}

QQuickItem *waitItem(UiTestApp &app, const QString &name, int timeoutMs)
{
    QQuickItem *found = nullptr;
    const bool shown
        = QTest::qWaitFor([&] { return (found = visibleItem(app, name)) != nullptr; }, timeoutMs);
    return shown ? found : nullptr;
}

QQuickItem *childNamed(QQuickItem *root, const QString &name)
{
    const auto items = findItems(root, name);
    return items.isEmpty() ? nullptr : items.first();
}

QString shownText(QQuickItem *item)
{
    QString shown;
    const int length = QQmlProperty::read(item, u"length"_s).toInt();
    // Direct: frame checks call this on the render thread while the GUI thread waits.
    if (!QMetaObject::invokeMethod(item, "getText", Qt::DirectConnection,
            Q_RETURN_ARG(QString, shown), Q_ARG(int, 0), Q_ARG(int, length)))
        shown = QQmlProperty::read(item, u"text"_s).toString();
    return shown;
}

QQuickItem *shownRow(UiTestApp &app, const QString &text)
{
    QQuickItem *view = app.item(u"timelineView"_s);
    if (!view)
        return nullptr;
    const QRectF viewport = view->mapRectToScene(QRectF(0, 0, view->width(), view->height()));
    for (QQuickItem *item : findItems(app.window(), u"messageText"_s)) {
        if (!reallyVisible(item) || shownText(item) != text)
            continue;
        const QRectF at = item->mapRectToScene(QRectF(0, 0, item->width(), item->height()));
        if (!viewport.intersects(at))
            continue;
        for (QQuickItem *p = item; p; p = p->parentItem()) {
            if (p->property("accessibleText").isValid() && p->property("seq").isValid())
                return p;
        }
    }
    return nullptr;
}

void hover(UiTestApp &app, QQuickItem *item)
{
    const QPointF centre = item->mapToScene(QPointF(item->width() / 2, 8));
    QTest::mouseMove(app.window(), centre.toPoint() + QPoint(1, 0));
    QTest::mouseMove(app.window(), centre.toPoint());
}

QQuickItem *hoverAction(UiTestApp &app, QQuickItem *row, const QString &name)
{
    QQuickItem *button = childNamed(row, name);
    const bool shown = button
        && TestClient::waitUntil(
            [&] {
                hover(app, row);
                return reallyVisible(button);
            },
            10000);
    return shown ? button : nullptr;
}

void click(QQuickItem *item)
{
    const QPointF centre = item->mapToScene(QPointF(item->width() / 2, item->height() / 2));
    QTest::mouseClick(item->window(), Qt::LeftButton, Qt::NoModifier, centre.toPoint());
}

bool clickUntil(
    const std::function<QQuickItem *()> &item, const std::function<bool()> &done, int timeoutMs)
{
    const QDeadlineTimer deadline(timeoutMs);
    while (!done()) {
        if (deadline.hasExpired())
            return false;
        QQuickItem *target = item();
        if (target && reallyVisible(target))
            click(target);
        // Not again at once: a second click on a row whose menu is opening closes the menu.
        const QDeadlineTimer settle(std::min<qint64>(1000, deadline.remainingTime()));
        while (!done() && !settle.hasExpired())
            QTest::qWait(20);
    }
    return true;
}

void typeText(QWindow *window, const QString &text)
{
    // QTest::keyClicks() takes only widgets; one key per character does the same here.
    for (const QChar c : text)
        QTest::keyClick(window, c.toLatin1());
}

void typeInto(QQuickItem *item, const QString &text)
{
    item->forceActiveFocus();
    typeText(item->window(), text);
}

bool reallyVisible(const QQuickItem *item)
{
    for (; item; item = item->parentItem()) {
        if (!item->isVisible())
            return false;
    }
    return true;
}

bool signInAndOpen(UiTestApp &app, const SignInSteps &steps)
{
    if (!app.loadMain())
        return false;
    app.window()->requestActivate();
    if (!QTest::qWaitForWindowActive(app.window()))
        return false;
    client::Session *session = app.session();
    session->account()->signIn(steps.server.toString(), steps.user, steps.password, false);
    if (!TestClient::waitUntil(
            [&] {
                return session->connectionState() == client::ConnectionState::Live
                    && session->rooms()->rowCount() == steps.rooms
                    && (!steps.alsoLive || steps.alsoLive());
            },
            15000))
        return false;
    session->currentRoom()->select(steps.open);
    const bool opened = TestClient::waitUntil(
        [&] {
            return session->currentRoom()->roomId() == steps.open
                && waitItem(app, QStringLiteral("composerInput"))
                && (!steps.alsoOpen || steps.alsoOpen());
        },
        10000);
    // The page hands the composer the focus from a zero timer once the room is open; a key
    // pressed before that would be undone by it.
    QTest::qWait(50);
    return opened;
}

} // namespace confab::test
