// SPDX-License-Identifier: GPL-3.0-or-later
// The whole app as a user drives it: the real Main.qml, the real Session, a real server on
// 127.0.0.1. Fill in the sign-in form, click Sign in, jump to a room with Ctrl+K, type a
// message and press Enter; another user receives it, and their reply shows up.
#include "clientpool.h"
#include "models/roomlistmodel.h"
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
        // A short resume (the rest is history, paged as the user scrolls) and no rate limit
        // for the test's own senders.
        m_server.config().limits.resumeMax = 60;
        m_server.config().limits.ratePerSecond = 10000;
        m_server.config().limits.rateBurst = 10000;
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

        QTRY_COMPARE_WITH_TIMEOUT(
            app.session()->account()->status(), client::Account::SignedIn, 15000);
        QVERIFY(waitItem(app, u"chatPage"_s));
        QTRY_COMPARE_WITH_TIMEOUT(
            app.session()->connectionState(), client::ConnectionState::Live, 15000);

        // "Stay signed in" without a keychain: said once, and dismissed for good.
        QQuickItem *notice = app.item(u"keychainNotice"_s);
        QVERIFY(notice);
        QTRY_VERIFY(!app.session()->account()->keychainWarning().isEmpty());
        QTRY_VERIFY(reallyVisible(notice));
        click(app.item(u"noticeDismissButton"_s));
        QTRY_VERIFY(!notice->isVisible());

        // Ctrl+K, a few letters, Enter: the room opens and the composer has the focus.
        QTest::keyClick(app.window(), Qt::Key_K, Qt::ControlModifier);
        QQuickItem *switcherField = waitItem(app, u"switcherField"_s);
        QVERIFY(switcherField);
        QTRY_VERIFY(switcherField->hasActiveFocus());
        typeText(app.window(), u"GEN"_s);
        QTest::keyClick(app.window(), Qt::Key_Return);
        QTRY_COMPARE(app.session()->currentRoom()->roomId(), general);
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
        // Seen in the active window: the view reports it read, so it does not count as unread.
        QTRY_VERIFY_WITH_TIMEOUT(app.session()->rooms()->room(general)
                && app.session()->rooms()->room(general)->unread == 0
                && app.session()->rooms()->room(general)->readSeq
                    >= ben->events(general).last().seq,
            10000);

        // Unread messages elsewhere show in the window title.
        QVERIFY(ben->request(protocol::requests::send(random, u"ben-2"_s, u"psst"_s)));
        QTRY_COMPARE(app.window()->title(), u"(1) Confab"_s);

        // Alt+Down moves to the next room in the sidebar's order, and the focus follows.
        QTest::keyClick(app.window(), Qt::Key_Down, Qt::AltModifier);
        QTRY_COMPARE(app.session()->currentRoom()->roomId(), random);
        QTRY_VERIFY(app.item(u"composerInput"_s)->hasActiveFocus());
        QTest::keyClick(app.window(), Qt::Key_Up, Qt::AltModifier);
        QTRY_COMPARE(app.session()->currentRoom()->roomId(), general);
    }

    // Scrolled to the bottom, new messages keep the view there; scrolled to the top, older
    // messages load and the message that was at the top stays at the top; scrolled up, the
    // "Jump to latest" button counts what arrived and brings the view back down.
    void scrollingKeepsItsPlace()
    {
        TestClient *ben = m_pool->connectClient();
        QVERIFY(ben && ben->login(u"ben"_s));
        const qint64 room = createRoom(ben, u"history"_s);
        QVERIFY(room > 0);
        TestClient *alice = m_pool->connectClient();
        QVERIFY(alice && alice->login(u"alice"_s));
        QVERIFY(alice->request(protocol::requests::join(room)));
        qint64 last = 0;
        for (int i = 1; i <= 200; ++i) {
            const auto r = ben->request(
                protocol::requests::send(room, u"h-%1"_s.arg(i), u"message %1"_s.arg(i)));
            QVERIFY(r);
            last = r->data().value(u"seq"_s).toInteger();
        }
        // All read: the room opens at the bottom (unread, it opens at the first unread).
        QVERIFY(alice->request(protocol::requests::markRead(room, last)));
        alice->disconnectNow();

        UiTestApp app;
        QVERIFY(app.loadMain());
        app.session()->account()->signIn(
            m_server.url().toString(), u"alice"_s, u"password-123"_s, false);
        QTRY_COMPARE_WITH_TIMEOUT(
            app.session()->connectionState(), client::ConnectionState::Live, 15000);
        app.session()->currentRoom()->select(room);
        QTRY_COMPARE(app.session()->currentRoom()->roomId(), room);
        client::TimelineModel *timeline = app.session()->currentRoom()->timeline();
        QTRY_VERIFY(timeline->rowCount() >= 60);
        QVERIFY(timeline->hasMoreBefore());
        QQuickItem *view = waitItem(app, u"timelineView"_s);
        QVERIFY(view);
        const auto atEnd = [view] { return QQmlProperty::read(view, u"atYEnd"_s).toBool(); };
        const auto topSeq = [view, timeline] {
            int row = -1;
            const qreal y = QQmlProperty::read(view, u"contentY"_s).toReal() + 1;
            QMetaObject::invokeMethod(
                view, "indexAt", Q_RETURN_ARG(int, row), Q_ARG(qreal, 10), Q_ARG(qreal, y));
            return timeline->seqAt(row);
        };
        QTRY_VERIFY(atEnd());
        // Near the top of what is held, an older page may be fetched ahead; the view stays
        // where the user is.
        QTest::qWait(300);
        QTRY_VERIFY(!app.session()->currentRoom()->loadingOlder());
        // The view re-pins to the bottom on a short timer once the inserted rows have their
        // heights; under the sanitizer build that can land after the page does.
        QTRY_VERIFY(atEnd());

        // At the bottom: a new message keeps the view at the bottom.
        // (An older page fetched ahead may still land meanwhile, so this waits for the live
        // message to be the last row rather than for a row count.)
        const auto ack = ben->request(protocol::requests::send(room, u"h-live"_s, u"live one"_s));
        QVERIFY(ack && ack->type == protocol::ServerFrameType::Result);
        const qint64 liveSeq = ack->data().value("seq"_L1).toInteger();
        QVERIFY(liveSeq > 0);
        QTRY_COMPARE(timeline->seqAt(timeline->rowCount() - 1), liveSeq);
        QTRY_VERIFY(atEnd());

        // The user drags the scroll bar to the top: the older page is inserted above, and the
        // message that was at the top when it arrived stays at the top.
        const qint64 lowestBefore = timeline->lowestSeq();
        QList<qint64> topWhenInserted;
        connect(timeline, &QAbstractItemModel::rowsAboutToBeInserted, this,
            [&](const QModelIndex &, int first, int) {
                if (first == 0)
                    topWhenInserted.append(topSeq());
            });
        QQuickItem *bar = app.item(u"timelineScrollBar"_s);
        QVERIFY(bar);
        const QPointF handle = bar->mapToScene(QPointF(bar->width() / 2, bar->height() - 20));
        QTest::mousePress(app.window(), Qt::LeftButton, Qt::NoModifier, handle.toPoint());
        // Up in small steps, and no further once the older page is on its way (a user
        // dragging on would simply keep scrolling into it).
        const qreal top = bar->mapToScene({0, 0}).y();
        QPoint pointer = handle.toPoint();
        for (int step = 1; step <= 40; ++step) {
            pointer = QPointF(handle.x(), handle.y() - (handle.y() - top) * step / 40).toPoint();
            QTest::mouseMove(app.window(), pointer, 10);
            if (app.session()->currentRoom()->loadingOlder()
                || timeline->lowestSeq() < lowestBefore)
                break;
        }
        QTest::mouseRelease(app.window(), Qt::LeftButton, Qt::NoModifier, pointer);
        QTRY_VERIFY_WITH_TIMEOUT(timeline->lowestSeq() < lowestBefore, 10000);
        QTRY_VERIFY(!app.session()->currentRoom()->loadingOlder());
        QVERIFY(!topWhenInserted.isEmpty());
        const qint64 anchor = topWhenInserted.constLast();
        QVERIFY(anchor > timeline->lowestSeq());
        QTRY_COMPARE(topSeq(), anchor);
        QTest::qWait(200); // nothing moves it afterwards either
        QCOMPARE(topSeq(), anchor);
        QVERIFY(!atEnd());

        // Scrolled up: new messages are counted on the "Jump to latest" button.
        QQuickItem *jump = app.item(u"jumpToLatestButton"_s);
        QVERIFY(jump);
        QTRY_VERIFY(jump->isVisible());
        QVERIFY(ben->request(protocol::requests::send(room, u"h-a"_s, u"while away 1"_s)));
        QVERIFY(ben->request(protocol::requests::send(room, u"h-b"_s, u"while away 2"_s)));
        QTRY_COMPARE(QQmlProperty::read(jump, u"text"_s).toString(), u"2 new messages"_s);
        QCOMPARE(topSeq(), anchor);
        click(jump);
        QTRY_VERIFY(atEnd());
        QTRY_VERIFY(!jump->isVisible());
    }

    // Room actions go through the dialogs; a refusal shows as a transient message; signing
    // out from the settings returns to the sign-in page.
    void dialogsToastAndSignOut()
    {
        UiTestApp app;
        QVERIFY(app.loadMain());
        app.window()->requestActivate();
        QVERIFY(QTest::qWaitForWindowActive(app.window()));
        app.session()->account()->signIn(
            m_server.url().toString(), u"alice"_s, u"password-123"_s, false);
        QTRY_COMPARE_WITH_TIMEOUT(
            app.session()->connectionState(), client::ConnectionState::Live, 15000);
        QVERIFY(waitItem(app, u"chatPage"_s));

        const auto createRoom = [&app](const QString &name) {
            click(app.item(u"createRoomButton"_s));
            QQuickItem *nameField = waitItem(app, u"roomNameField"_s);
            QVERIFY(nameField);
            QTRY_VERIFY(nameField->hasActiveFocus());
            typeText(app.window(), name);
            typeInto(app.item(u"roomTopicField"_s), u"Where we plan things"_s);
            QQuickItem *accept = visibleItem(app, u"acceptButton"_s);
            QVERIFY(accept);
            QTRY_VERIFY(accept->isEnabled());
            click(accept);
            QTRY_VERIFY(!reallyVisible(app.item(u"roomNameField"_s)));
        };

        createRoom(u"plans"_s);
        QTRY_COMPARE_WITH_TIMEOUT(app.session()->currentRoom()->name(), u"plans"_s, 10000);
        QTRY_COMPARE(QQmlProperty::read(app.item(u"roomTopicLabel"_s), u"text"_s).toString(),
            u"Where we plan things"_s);

        // The same name again: the server refuses, the toast says why.
        QQuickItem *toastLabel = app.item(u"toastLabel"_s);
        QVERIFY(toastLabel);
        createRoom(u"plans"_s);
        QTRY_VERIFY_WITH_TIMEOUT(reallyVisible(toastLabel), 10000);
        QVERIFY(!QQmlProperty::read(toastLabel, u"text"_s).toString().isEmpty());

        // Settings, Sign out: back on the sign-in page.
        click(app.item(u"settingsButton"_s));
        QQuickItem *signOut = waitItem(app, u"signOutButton"_s);
        QVERIFY(signOut);
        click(signOut);
        QTRY_COMPARE_WITH_TIMEOUT(
            app.session()->account()->status(), client::Account::SignedOut, 10000);
        QVERIFY(waitItem(app, u"signInPage"_s));
    }

    void cleanupTestCase() { m_pool.reset(); }

private:
    TestServer m_server;
    std::unique_ptr<ClientPool> m_pool;
};

QTEST_MAIN(TestUiEndToEnd)
#include "tst_uiendtoend.moc"
