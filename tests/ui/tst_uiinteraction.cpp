// SPDX-License-Identifier: GPL-3.0-or-later
// The app driven by keyboard and mouse the way people actually use it: Tab through the
// page, switch rooms from anywhere, select and copy message text, the message's context
// menu; and the sign-in page's small behaviours. The real Main.qml, the real Session, a
// real server on 127.0.0.1.
#include "clientpool.h"
#include "models/roomlistmodel.h"
#include "models/timelinemodel.h"
#include "testserver.h"
#include "uitestapp.h"

#include <QClipboard>
#include <QFont>
#include <QGuiApplication>
#include <QQmlProperty>
#include <QtQml/qqmlextensionplugin.h>
#include <QtTest>

Q_IMPORT_QML_PLUGIN(Confab_ClientPlugin)
Q_IMPORT_QML_PLUGIN(ConfabPlugin)

using namespace Qt::StringLiterals;
using namespace confab;
using namespace confab::test;

namespace {
// The named item that holds the keyboard focus: the focus item or its nearest named
// ancestor ("composerInput", "roomList", "timelineView", "membersButton", ...).
QString focusName(QQuickWindow *window)
{
    for (QQuickItem *item = window->activeFocusItem(); item; item = item->parentItem()) {
        if (!item->objectName().isEmpty())
            return item->objectName();
    }
    return {};
}

// The visible message text item showing \a text (a timeline row's "messageText").
QQuickItem *messageItem(UiTestApp &app, const QString &text)
{
    for (QQuickItem *item : findItems(app.window(), u"messageText"_s)) {
        if (!reallyVisible(item))
            continue;
        // A read-only rich text edit: its plain text is the document's; a label's is its text.
        QString shown;
        const int length = QQmlProperty::read(item, u"length"_s).toInt();
        if (!QMetaObject::invokeMethod(
                item, "getText", Q_RETURN_ARG(QString, shown), Q_ARG(int, 0), Q_ARG(int, length)))
            shown = QQmlProperty::read(item, u"text"_s).toString();
        if (shown == text)
            return item;
    }
    return nullptr;
}

QPoint scenePoint(QQuickItem *item, QPointF local)
{
    return item->mapToScene(local).toPoint();
}

QString linkAt(QQuickItem *item, qreal x, qreal y)
{
    QString link;
    QMetaObject::invokeMethod(
        item, "linkAt", Q_RETURN_ARG(QString, link), Q_ARG(qreal, x), Q_ARG(qreal, y));
    return link;
}

// Presses Tab until \a name has the focus; false if it never gets it.
bool tabTo(QQuickWindow *window, const QString &name)
{
    for (int i = 0; i < 30 && focusName(window) != name; ++i)
        QTest::keyClick(window, Qt::Key_Tab);
    return focusName(window) == name;
}

// The message menu has finished opening (its items are where they will be clicked).
bool menuOpen(UiTestApp &app)
{
    const QObject *menu = app.window()->findChild<QObject *>(u"messageContextMenu"_s);
    return menu && menu->property("opened").toBool();
}

void rightClick(QQuickWindow *window, QPoint at)
{
    QTest::mouseClick(window, Qt::RightButton, Qt::NoModifier, at);
}
} // namespace

class TestUiInteraction : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase()
    {
        m_server.config().limits.ratePerSecond = 10000;
        m_server.config().limits.rateBurst = 10000;
        QVERIFY(m_server.start());
        m_pool = std::make_unique<ClientPool>([this] { return m_server.url(); });

        // Three channels with a few messages each, and alice in all of them.
        TestClient *ben = m_pool->registered(u"ben"_s);
        QVERIFY(ben);
        TestClient *alice = m_pool->registered(u"alice"_s);
        QVERIFY(alice);
        for (const QString &name : {u"alpha"_s, u"bravo"_s, u"charlie"_s}) {
            const qint64 room = createRoom(ben, name);
            QVERIFY(room > 0);
            QVERIFY(alice->request(protocol::requests::join(room)));
            m_rooms.append(room);
        }
        const QStringList texts = {u"first words in alpha"_s, u"the quick brown fox jumps"_s,
            u"see https://example.org/a?b=1&c=2 for <details> & more"_s};
        int n = 0;
        for (const QString &text : texts) {
            qint64 last = 0;
            const auto r
                = ben->request(protocol::requests::send(m_rooms.first(), u"b-%1"_s.arg(++n), text));
            QVERIFY(r);
            last = r->data().value(u"seq"_s).toInteger();
            QVERIFY(alice->request(protocol::requests::markRead(m_rooms.first(), last)));
        }
        alice->disconnectNow();
        ben->disconnectNow();
    }

    void cleanup() { QGuiApplication::clipboard()->clear(); }

    // Tab and Shift+Tab cycle through the whole page: the "Jump to…" button, the room
    // list, the header's actions, the timeline, the composer, and round again. In the
    // composer Tab moves on instead of typing a tab. What has the focus shows it.
    void tabCyclesThroughThePage()
    {
        UiTestApp app;
        QVERIFY(signInToAlpha(app));
        QQuickItem *composer = app.item(u"composerInput"_s);
        QTRY_VERIFY(composer->hasActiveFocus());

        QStringList forward;
        for (int i = 0; i < 25; ++i) {
            QTest::keyClick(app.window(), Qt::Key_Tab);
            forward << focusName(app.window());
            if (forward.last() == u"composerInput"_s)
                break;
        }
        QCOMPARE(QQmlProperty::read(composer, u"text"_s).toString(), QString());
        QVERIFY2(forward.last() == u"composerInput"_s, qPrintable(forward.join(u", "_s)));
        const qsizetype switcher = forward.indexOf(u"switcherButton"_s);
        const qsizetype rooms = forward.indexOf(u"roomList"_s);
        const qsizetype members = forward.indexOf(u"membersButton"_s);
        const qsizetype timeline = forward.indexOf(u"timelineView"_s);
        const QByteArray order = forward.join(u", "_s).toUtf8();
        QVERIFY2(switcher >= 0 && rooms > switcher && members > rooms && timeline > members,
            order.constData());
        // Nothing nameless takes a stop on the way.
        QVERIFY2(!forward.contains(QString()), order.constData());

        // Shift+Tab walks the same stops backwards.
        QStringList backward;
        for (qsizetype i = forward.size() - 2; i >= 0; --i) {
            QTest::keyClick(app.window(), Qt::Key_Backtab, Qt::ShiftModifier);
            backward << focusName(app.window());
        }
        QStringList expected = forward.mid(0, forward.size() - 1);
        std::reverse(expected.begin(), expected.end());
        QCOMPARE(backward, expected);

        // The focused room and the focused message are marked.
        QVERIFY(tabTo(app.window(), u"roomList"_s));
        QVERIFY(waitItem(app, u"roomFocusFrame"_s, 2000));
        QVERIFY(tabTo(app.window(), u"timelineView"_s));
        QVERIFY(waitItem(app, u"messageFocusFrame"_s, 2000));
        QVERIFY(tabTo(app.window(), u"membersButton"_s));
        const auto rings = findItems(app.item(u"membersButton"_s), u"focusRing"_s);
        QCOMPARE(rings.size(), 1);
        QVERIFY(reallyVisible(rings.first()));
    }

    // Up/Down move in the room list, Enter opens the room; in the timeline Up/Down move
    // from message to message.
    void listsTakeArrowKeysAndEnter()
    {
        UiTestApp app;
        QVERIFY(signInToAlpha(app));
        QTRY_VERIFY(app.item(u"composerInput"_s)->hasActiveFocus());
        QVERIFY(tabTo(app.window(), u"roomList"_s));
        const int alphaRow = app.session()->rooms()->rowOf(m_rooms.at(0));
        QQuickItem *list = app.item(u"roomList"_s);
        QCOMPARE(QQmlProperty::read(list, u"currentIndex"_s).toInt(), alphaRow);
        const int down = alphaRow + 1 < 3 ? alphaRow + 1 : alphaRow - 1;
        QTest::keyClick(app.window(), down > alphaRow ? Qt::Key_Down : Qt::Key_Up);
        QCOMPARE(QQmlProperty::read(list, u"currentIndex"_s).toInt(), down);
        // Moving alone opens nothing; Enter does.
        QCOMPARE(app.session()->currentRoom()->roomId(), m_rooms.at(0));
        QTest::keyClick(app.window(), Qt::Key_Return);
        QTRY_COMPARE(
            app.session()->currentRoom()->roomId(), app.session()->rooms()->roomIdAt(down));

        // Back to alpha by keyboard, then into its timeline: the last message first.
        app.session()->currentRoom()->select(m_rooms.at(0));
        QTRY_VERIFY(messageItem(app, u"first words in alpha"_s));
        QVERIFY(tabTo(app.window(), u"timelineView"_s));
        QTest::keyClick(app.window(), Qt::Key_Up);
        // The view's own current item stays unset (it would pull the view to it whenever
        // the model changes): the keyboard's place is the timeline's.
        QCOMPARE(QQmlProperty::read(app.item(u"timelineView"_s), u"currentIndex"_s).toInt(), -1);
        QTest::keyClick(app.window(), Qt::Key_Menu);
        QQuickItem *copyText = waitItem(app, u"copyTextMenuItem"_s, 3000);
        QVERIFY(copyText);
        QTRY_VERIFY(menuOpen(app));
        click(copyText);
        QTRY_COMPARE(QGuiApplication::clipboard()->text(), u"the quick brown fox jumps"_s);

        // The keyboard is back in the timeline once the menu has closed; there Ctrl+C
        // copies the message it is on.
        QTRY_COMPARE(focusName(app.window()), u"timelineView"_s);
        QTest::keyClick(app.window(), Qt::Key_Up);
        QTest::keyClick(app.window(), Qt::Key_C, Qt::ControlModifier);
        QTRY_COMPARE(QGuiApplication::clipboard()->text(), u"first words in alpha"_s);
    }

    // Ctrl+Tab / Ctrl+Shift+Tab and Alt+Down / Alt+Up go to the next and previous room
    // wherever the focus is, the composer included, and type nothing.
    void roomSwitchKeysWorkEverywhere()
    {
        UiTestApp app;
        QVERIFY(signInToAlpha(app));
        QQuickItem *composer = app.item(u"composerInput"_s);
        QTRY_VERIFY(composer->hasActiveFocus());
        const auto row = [&app] {
            return app.session()->rooms()->rowOf(app.session()->currentRoom()->roomId());
        };
        // Start at the top so that "next" exists.
        app.session()->currentRoom()->select(app.session()->rooms()->roomIdAt(0));
        QTRY_COMPARE(row(), 0);
        QTRY_VERIFY(composer->hasActiveFocus());

        QTest::keyClick(app.window(), Qt::Key_Tab, Qt::ControlModifier);
        QTRY_COMPARE(row(), 1);
        QTRY_VERIFY(app.item(u"composerInput"_s)->hasActiveFocus());
        QTest::keyClick(app.window(), Qt::Key_Backtab, Qt::ControlModifier | Qt::ShiftModifier);
        QTRY_COMPARE(row(), 0);
        QCOMPARE(QQmlProperty::read(app.item(u"composerInput"_s), u"text"_s).toString(), QString());

        // From the room list and from the timeline too.
        QVERIFY(tabTo(app.window(), u"roomList"_s));
        QTest::keyClick(app.window(), Qt::Key_Tab, Qt::ControlModifier);
        QTRY_COMPARE(row(), 1);
        QVERIFY(tabTo(app.window(), u"timelineView"_s));
        QTest::keyClick(app.window(), Qt::Key_Down, Qt::AltModifier);
        QTRY_COMPARE(row(), 2);
        QVERIFY(tabTo(app.window(), u"timelineView"_s));
        QTest::keyClick(app.window(), Qt::Key_Up, Qt::AltModifier);
        QTRY_COMPARE(row(), 1);
    }

    // Dragging over a message selects its text; Ctrl+C copies it.
    void selectMessageTextAndCopy()
    {
        UiTestApp app;
        QVERIFY(signInToAlpha(app));
        QQuickItem *text = nullptr;
        QTRY_VERIFY((text = messageItem(app, u"the quick brown fox jumps"_s)));
        QTest::qWait(100);
        const qreal y = 8;
        const QPoint from = scenePoint(text, {1, y});
        const QPoint to = scenePoint(text, {text->width() - 1, y});
        QTest::mousePress(app.window(), Qt::LeftButton, Qt::NoModifier, from);
        for (int i = 1; i <= 10; ++i)
            QTest::mouseMove(app.window(), from + (to - from) * i / 10);
        QTest::mouseRelease(app.window(), Qt::LeftButton, Qt::NoModifier, to);
        QTest::keyClick(app.window(), Qt::Key_C, Qt::ControlModifier);
        QTRY_COMPARE(QGuiApplication::clipboard()->text(), u"the quick brown fox jumps"_s);

        // Typing after that is writing a message: it lands in the composer, keys and all.
        QQuickItem *composer = app.item(u"composerInput"_s);
        QVERIFY(composer);
        QVERIFY(!composer->hasActiveFocus());
        QQmlProperty::write(composer, u"text"_s, QString());
        typeText(app.window(), u"ok then"_s);
        QTRY_VERIFY(composer->hasActiveFocus());
        QCOMPARE(QQmlProperty::read(composer, u"text"_s).toString(), u"ok then"_s);
    }

    // Right-click on a message: "Copy text" copies the message as it was written (not the
    // HTML it is drawn from); on a link, "Copy link address" copies the link.
    void contextMenuCopiesTextAndLinks()
    {
        UiTestApp app;
        QVERIFY(signInToAlpha(app));
        const QString written = u"see https://example.org/a?b=1&c=2 for <details> & more"_s;
        QQuickItem *text = nullptr;
        QTRY_VERIFY((text = messageItem(app, written)));
        QTest::qWait(100);

        // On the first word, away from the link.
        QVERIFY(linkAt(text, 4, 8).isEmpty());
        rightClick(app.window(), scenePoint(text, {4, 8}));
        QQuickItem *copyText = waitItem(app, u"copyTextMenuItem"_s, 3000);
        QVERIFY(copyText);
        QTRY_VERIFY(menuOpen(app));
        QVERIFY(!reallyVisible(app.item(u"copyLinkMenuItem"_s)));
        click(copyText);
        QTRY_COMPARE(QGuiApplication::clipboard()->text(), written);
        QTRY_VERIFY(!reallyVisible(app.item(u"copyTextMenuItem"_s)));

        // On the link.
        QPointF onLink;
        for (qreal x = 0; x < text->width() && onLink.isNull(); x += 4) {
            if (!linkAt(text, x, 8).isEmpty())
                onLink = QPointF(x + 2, 8);
        }
        QVERIFY(!onLink.isNull());
        rightClick(app.window(), scenePoint(text, onLink));
        QQuickItem *copyLink = waitItem(app, u"copyLinkMenuItem"_s, 3000);
        QVERIFY(copyLink);
        QTRY_VERIFY(menuOpen(app));
        click(copyLink);
        QTRY_COMPARE(QGuiApplication::clipboard()->text(), u"https://example.org/a?b=1&c=2"_s);

        // Shift+F10 with the timeline focused: the menu for the focused message.
        QTRY_VERIFY(!reallyVisible(app.item(u"copyLinkMenuItem"_s)));
        QVERIFY(tabTo(app.window(), u"timelineView"_s));
        QTest::keyClick(app.window(), Qt::Key_F10, Qt::ShiftModifier);
        copyText = waitItem(app, u"copyTextMenuItem"_s, 3000);
        QVERIFY(copyText);
        QTest::keyClick(app.window(), Qt::Key_Return);
        QTRY_COMPARE(QGuiApplication::clipboard()->text(), written);
    }

    // Messages in a group are a few pixels apart, not touching.
    void groupedMessagesAreSpaced()
    {
        UiTestApp app;
        QVERIFY(signInToAlpha(app));
        QQuickItem *first = nullptr;
        QQuickItem *second = nullptr;
        // The second and third of ben's run: neither shows the sender line.
        QTRY_VERIFY((first = messageItem(app, u"the quick brown fox jumps"_s)));
        QTRY_VERIFY((second
            = messageItem(app, u"see https://example.org/a?b=1&c=2 for <details> & more"_s)));
        QTest::qWait(100);
        const qreal gap
            = second->mapToScene({0, 0}).y() - first->mapToScene({0, first->height()}).y();
        QVERIFY2(gap >= 6 && gap <= 12, qPrintable(QString::number(gap)));
    }

    // The sign-in page: buttons in sentence case; the card stays put when an error shows;
    // an error goes away as soon as the user edits what caused it; "Create account" only
    // for an address whose server said it takes registrations.
    void signInPageBehaviour()
    {
        UiTestApp app;
        QVERIFY(app.loadMain());
        app.window()->requestActivate();
        QVERIFY(QTest::qWaitForWindowActive(app.window()));
        QQuickItem *server = waitItem(app, u"serverField"_s);
        QVERIFY(server);
        QQmlProperty::write(server, u"text"_s, QString());
        typeInto(server, m_server.url().toString());
        typeInto(app.item(u"usernameField"_s), u"alice"_s);
        typeInto(app.item(u"passwordField"_s), u"wrong-password"_s);

        QQuickItem *create = app.item(u"createAccountButton"_s);
        QVERIFY(create);
        QTRY_VERIFY_WITH_TIMEOUT(reallyVisible(create), 5000);
        QQuickItem *signIn = app.item(u"signInButton"_s);
        for (QQuickItem *button : {signIn, create}) {
            const auto font = QQmlProperty::read(button, u"font"_s).value<QFont>();
            QCOMPARE(font.capitalization(), QFont::MixedCase);
        }

        QQuickItem *card = app.item(u"signInCard"_s);
        QVERIFY(card);
        const qreal cardY = card->y();
        const qreal cardHeight = card->height();
        QVERIFY(signIn->isEnabled());
        click(signIn);
        QTRY_VERIFY_WITH_TIMEOUT(!app.session()->account()->errorText().isEmpty(), 10000);
        QQuickItem *error = app.item(u"errorLabel"_s);
        QTRY_VERIFY(reallyVisible(error));
        QTest::qWait(300); // any animation
        QCOMPARE(card->y(), cardY);
        QCOMPARE(card->height(), cardHeight);

        // Editing the password clears the error.
        typeInto(app.item(u"passwordField"_s), u"x"_s);
        QCOMPARE(app.session()->account()->errorText(), QString());
        QVERIFY(QQmlProperty::read(error, u"text"_s).toString().isEmpty() || !reallyVisible(error));

        // Again, then the server address: cleared too; and "Create account" goes at once,
        // and does not come back for an address where nothing answers.
        click(signIn);
        QTRY_VERIFY_WITH_TIMEOUT(!app.session()->account()->errorText().isEmpty(), 10000);
        QTRY_VERIFY(!app.session()->account()->busy());
        QVERIFY(reallyVisible(create));
        QQmlProperty::write(server, u"text"_s, QString());
        typeInto(server, u"ws://127.0.0.1:1"_s);
        QCOMPARE(app.session()->account()->errorText(), QString());
        QVERIFY(!reallyVisible(create));
        QTest::qWait(2500); // the probe runs and fails
        QVERIFY(!reallyVisible(create));
        QCOMPARE(app.session()->account()->registration(), QString());

        // Back to the real server: offered again once it said so.
        QQmlProperty::write(server, u"text"_s, QString());
        typeInto(server, m_server.url().toString());
        QTRY_VERIFY_WITH_TIMEOUT(reallyVisible(create), 5000);

        // A username edit clears an error as well.
        click(signIn);
        QTRY_VERIFY_WITH_TIMEOUT(!app.session()->account()->errorText().isEmpty(), 10000);
        typeInto(app.item(u"usernameField"_s), u"x"_s);
        QCOMPARE(app.session()->account()->errorText(), QString());
    }

    // An account without rooms says what to do first, with the two ways in.
    void emptyAccountOffersWaysIn()
    {
        TestClient *newbie = m_pool->registered(u"newbie"_s);
        QVERIFY(newbie);
        newbie->disconnectNow();
        UiTestApp app;
        QVERIFY(app.loadMain());
        app.window()->requestActivate();
        QVERIFY(QTest::qWaitForWindowActive(app.window()));
        app.session()->account()->signIn(
            m_server.url().toString(), u"newbie"_s, u"password-123"_s, false);
        QTRY_COMPARE_WITH_TIMEOUT(
            app.session()->connectionState(), client::ConnectionState::Live, 15000);
        QVERIFY(waitItem(app, u"chatPage"_s));
        QVERIFY(!waitItem(app, u"noRoomHint"_s, 500));

        QQuickItem *browse = waitItem(app, u"emptyBrowseButton"_s);
        QVERIFY(browse);
        QQuickItem *create = waitItem(app, u"emptyCreateButton"_s);
        QVERIFY(create);
        click(browse);
        QVERIFY(waitItem(app, u"directoryList"_s));
        QTest::keyClick(app.window(), Qt::Key_Escape);
        QTRY_VERIFY(!reallyVisible(app.item(u"directoryList"_s)));
        click(create);
        QVERIFY(waitItem(app, u"roomNameField"_s));
    }

    // With rooms and none open, the hint stays (and the ways in for an empty account do not
    // show).
    void roomsButNoneOpenShowsTheHint()
    {
        UiTestApp app;
        QVERIFY(app.loadMain());
        app.session()->account()->signIn(
            m_server.url().toString(), u"alice"_s, u"password-123"_s, false);
        QTRY_COMPARE_WITH_TIMEOUT(
            app.session()->connectionState(), client::ConnectionState::Live, 15000);
        QTRY_COMPARE(app.session()->rooms()->rowCount(), 3);
        QCOMPARE(app.session()->currentRoom()->roomId(), 0);
        QVERIFY(waitItem(app, u"noRoomHint"_s));
        QVERIFY(!reallyVisible(app.item(u"emptyBrowseButton"_s)));
    }

    void cleanupTestCase() { m_pool.reset(); }

private:
    bool signInToAlpha(UiTestApp &app)
    {
        SignInSteps steps;
        steps.server = m_server.url();
        steps.rooms = 3;
        steps.open = m_rooms.at(0);
        return signInAndOpen(app, steps);
    }

    TestServer m_server;
    std::unique_ptr<ClientPool> m_pool;
    QList<qint64> m_rooms;
};

QTEST_MAIN(TestUiInteraction)
#include "tst_uiinteraction.moc"
