// SPDX-License-Identifier: GPL-3.0-or-later
// The whole app as a user drives it: the real Main.qml, the real Session, a real server on
// 127.0.0.1. Fill in the sign-in form, click Sign in, jump to a room with Ctrl+K, type a
// message and press Enter; another user receives it, and their reply shows up.
#include "clientpool.h"
#include "models/timelinemodel.h"
#include "testserver.h"
#include "uitestapp.h"

#include <QQmlProperty>
#include <QtQml/qqmlextensionplugin.h>
#include <QtTest>

Q_IMPORT_QML_PLUGIN(Confab_ClientPlugin)
Q_IMPORT_QML_PLUGIN(ConfabPlugin)

using namespace Qt::StringLiterals;
using namespace confab;
using namespace confab::test;

namespace {
// Waits for the item to exist and be shown; the pages are created as the status changes.
QQuickItem *waitItem(UiTestApp &app, const QString &name, int timeoutMs = 10000)
{
    QQuickItem *found = nullptr;
    TestClient::waitUntil(
        [&] {
            found = app.item(name);
            return found && reallyVisible(found);
        },
        timeoutMs);
    return found && reallyVisible(found) ? found : nullptr;
}

bool timelineShows(UiTestApp &app, const QString &text)
{
    for (QQuickItem *label : findItems(app.window(), u"messageText"_s)) {
        if (reallyVisible(label) && QQmlProperty::read(label, u"text"_s).toString().contains(text))
            return true;
    }
    return false;
}
} // namespace

class TestUiEndToEnd : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase()
    {
        QVERIFY(m_server.start());
        m_pool = std::make_unique<ClientPool>([this] { return m_server.url(); });
    }

    void signInTypeAndSend()
    {
        TestClient *ben = m_pool->registered(u"ben"_s);
        QVERIFY(ben);
        const qint64 general = createRoom(ben, u"general"_s);
        QVERIFY(general > 0);
        const qint64 random = createRoom(ben, u"random"_s);
        QVERIFY(random > 0);
        TestClient *alice = m_pool->registered(u"alice"_s);
        QVERIFY(alice);
        QVERIFY(alice->request(protocol::requests::join(general)));
        QVERIFY(alice->request(protocol::requests::join(random)));
        alice->disconnectNow();

        UiTestApp app;
        QVERIFY(app.loadMain());
        app.window()->requestActivate();
        QVERIFY(QTest::qWaitForWindowActive(app.window()));

        // The sign-in page, filled in with the keyboard.
        QQuickItem *server = waitItem(app, u"serverField"_s);
        QVERIFY(server);
        QQmlProperty::write(server, u"text"_s, QString());
        typeInto(server, m_server.url().toString());
        typeInto(app.item(u"usernameField"_s), u"alice"_s);
        typeInto(app.item(u"passwordField"_s), u"password-123"_s);
        QCOMPARE(QQmlProperty::read(app.item(u"passwordField"_s), u"echoMode"_s).toInt(), 2);
        QQuickItem *signIn = app.item(u"signInButton"_s);
        QVERIFY(signIn);
        QTRY_VERIFY(signIn->isEnabled());
        click(signIn);

        QTRY_COMPARE_WITH_TIMEOUT(app.session()->status(), client::Session::SignedIn, 15000);
        QVERIFY(waitItem(app, u"chatPage"_s));
        QTRY_COMPARE_WITH_TIMEOUT(app.session()->connectionState(), client::Session::Online, 15000);

        // Ctrl+K, a few letters, Enter: the room opens and the composer has the focus.
        QTest::keyClick(app.window(), Qt::Key_K, Qt::ControlModifier);
        QQuickItem *switcherField = waitItem(app, u"switcherField"_s);
        QVERIFY(switcherField);
        QTRY_VERIFY(switcherField->hasActiveFocus());
        typeText(app.window(), u"GEN"_s);
        QTest::keyClick(app.window(), Qt::Key_Return);
        QTRY_COMPARE(app.session()->currentRoomId(), general);
        QQuickItem *composer = waitItem(app, u"composerInput"_s);
        QVERIFY(composer);
        QTRY_VERIFY(composer->hasActiveFocus());

        // Shift+Enter is a new line; Enter sends both lines as one message.
        typeText(app.window(), u"hello from"_s);
        QTest::keyClick(app.window(), Qt::Key_Return, Qt::ShiftModifier);
        typeText(app.window(), u"the UI"_s);
        QCOMPARE(QQmlProperty::read(composer, u"text"_s).toString(), u"hello from\nthe UI"_s);
        QTest::keyClick(app.window(), Qt::Key_Return);
        QTRY_COMPARE(QQmlProperty::read(composer, u"text"_s).toString(), QString());

        const auto event = ben->waitPush(
            [](const protocol::ServerFrame &f) {
                const auto e = f.roomEvent();
                return e && e->text == u"hello from\nthe UI"_s;
            },
            10000);
        QVERIFY2(event, "ben never received the message typed into the composer");
        QTRY_VERIFY_WITH_TIMEOUT(timelineShows(app, u"hello from"_s), 10000);

        // The reply arrives live and is drawn in the timeline.
        QVERIFY(ben->request(protocol::requests::send(general, u"ben-1"_s, u"welcome, alice"_s)));
        QTRY_VERIFY_WITH_TIMEOUT(timelineShows(app, u"welcome, alice"_s), 10000);

        // Alt+Down moves to the next room in the sidebar's order, and the focus follows.
        QTest::keyClick(app.window(), Qt::Key_Down, Qt::AltModifier);
        QTRY_COMPARE(app.session()->currentRoomId(), random);
        QTRY_VERIFY(app.item(u"composerInput"_s)->hasActiveFocus());
        QTest::keyClick(app.window(), Qt::Key_Up, Qt::AltModifier);
        QTRY_COMPARE(app.session()->currentRoomId(), general);
    }

    void cleanupTestCase() { m_pool.reset(); }

private:
    TestServer m_server;
    std::unique_ptr<ClientPool> m_pool;
};

QTEST_MAIN(TestUiEndToEnd)
#include "tst_uiendtoend.moc"
