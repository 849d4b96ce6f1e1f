// SPDX-License-Identifier: GPL-3.0-or-later
// Account self-service and notification levels (§18.1, §18.3) in the real app, in a real
// window, driven as a person does: alice sets a room to "Mentions only" from the header's
// menu and sees its unread count greyed; she opens the Account dialog, finds this
// device's session by its name, signs out another session (its connection is closed) and
// changes her password. The bell menu changes the room it was opened for; muted rooms
// stay out of the window title; refusals show in the toast.
#include "clientpool.h"
#include "models/roomlistmodel.h"
#include "models/sessionlistmodel.h"
#include "session/accountsettings.h"
#include "session/currentroom.h"
#include "session/devicename.h"
#include "session/errortext.h"
#include "session/notifylevels.h"
#include "testclient.h"
#include "testserver.h"
#include "uitestapp.h"

#include <QDir>
#include <QJsonArray>
#include <QQmlProperty>
#include <QtQml/qqmlextensionplugin.h>
#include <QtTest>

Q_IMPORT_QML_PLUGIN(Confab_ClientPlugin)
Q_IMPORT_QML_PLUGIN(ConfabPlugin)

using namespace Qt::StringLiterals;
using namespace confab;
using namespace confab::test;

class TestUiAccount : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase()
    {
        QVERIFY(m_server.start());
        m_pool = std::make_unique<ClientPool>([this] { return m_server.url(); });
        TestClient *alice = m_pool->registered(u"alice"_s);
        TestClient *bob = m_pool->registered(u"bob"_s);
        QVERIFY(alice && bob);
        m_lobby = createRoom(alice, u"lobby"_s);
        m_chatter = createRoom(alice, u"chatter"_s);
        QVERIFY(m_lobby > 0 && m_chatter > 0);
        QVERIFY(bob->request(protocol::requests::join(m_lobby)));
        QVERIFY(bob->request(protocol::requests::join(m_chatter)));
        m_pool->clear();
    }

    void levelFromTheHeaderGreysTheCount()
    {
        UiTestApp app;
        QVERIFY(signIn(app, m_chatter));
        QVERIFY(app.session()->currentRoom()->roomId() == m_chatter);
        QQuickItem *bell = waitItem(app, u"notifyButton"_s);
        QVERIFY(bell);
        click(bell);
        QQuickItem *mentions = waitItem(app, u"notifyMentions"_s);
        QVERIFY(mentions);
        QTest::qWait(200); // the menu's opening transition
        click(mentions);
        client::RoomListModel *rooms = app.session()->rooms();
        QTRY_COMPARE_WITH_TIMEOUT(rooms->notifyLevel(m_chatter), u"mentions"_s, 5000);

        // The ticks show the server's level only: clicking the ticked entry again (a toggle
        // of its own, in a checkable item) must not leave it unticked.
        QTRY_VERIFY(!reallyVisible(mentions));
        click(bell);
        QTest::qWait(200);
        QTRY_VERIFY(QQmlProperty::read(mentions, u"checked"_s).toBool());
        QVERIFY(!QQmlProperty::read(waitItem(app, u"notifyAll"_s), u"checked"_s).toBool());
        click(mentions);
        QTRY_VERIFY(!reallyVisible(mentions));
        QTest::qWait(300); // the server's answer and its room push
        click(bell);
        QTest::qWait(200);
        QVERIFY(reallyVisible(mentions));
        QVERIFY(QQmlProperty::read(mentions, u"checked"_s).toBool());
        QTest::keyClick(app.window(), Qt::Key_Escape);
        QTRY_VERIFY(!reallyVisible(mentions));

        // Back in the lobby, bob talks in chatter: counted, shown greyed.
        app.session()->currentRoom()->select(m_lobby);
        TestClient bob;
        QVERIFY(bob.open(m_server.url()));
        QVERIFY(bob.login(u"bob"_s));
        QVERIFY(bob.request(protocol::requests::send(m_chatter, u"t1"_s, u"hello all"_s)));
        const QModelIndex row = rooms->index(rooms->rowOf(m_chatter));
        QTRY_COMPARE_WITH_TIMEOUT(row.data(client::RoomListModel::UnreadRole).toInt(), 1, 5000);
        QVERIFY(row.data(client::RoomListModel::QuietRole).toBool());
        // A "mentions" room calls nobody back for plain messages: not in the title.
        QCOMPARE(rooms->totalUnread(), 0);
        QCOMPARE(app.window()->title(), u"Confab"_s);
        QQuickItem *badge = nullptr;
        QTRY_VERIFY((badge = visibleItem(app, u"unreadBadge"_s)));
        const QColor muted = QQmlProperty::read(badge, u"color"_s).value<QColor>();
        QVERIFY2(muted == QColor(u"#646a75"_s) || muted == QColor(u"#9aa0ab"_s),
            qPrintable(muted.name()));
        saveScreenshot(app, u"notify-mentions-greyed.png"_s);
    }

    // The bell menu changes the room it was opened for, even when the user switches rooms
    // while it is open; a refusal is shown, not dropped.
    void bellMenuKeepsItsRoomAndShowsFailures()
    {
        UiTestApp app;
        QVERIFY(signIn(app, m_lobby));
        client::RoomListModel *rooms = app.session()->rooms();
        QCOMPARE(rooms->notifyLevel(m_lobby), u"all"_s);
        const QString chatterBefore = rooms->notifyLevel(m_chatter);
        QQuickItem *bell = waitItem(app, u"notifyButton"_s);
        QVERIFY(bell);
        click(bell);
        QQuickItem *none = waitItem(app, u"notifyNone"_s);
        QVERIFY(none);
        QTest::qWait(200); // the menu's opening transition
        app.session()->currentRoom()->select(m_chatter);
        QTRY_COMPARE(app.session()->currentRoom()->roomId(), m_chatter);
        QVERIFY(reallyVisible(none));
        click(none);
        QTRY_COMPARE_WITH_TIMEOUT(rooms->notifyLevel(m_lobby), u"none"_s, 5000);
        QTest::qWait(300); // a wrong request would have reached the server by now
        QCOMPARE(rooms->notifyLevel(m_chatter), chatterBefore);

        // A muted room's unread count does not reach the title.
        TestClient bob;
        QVERIFY(bob.open(m_server.url()));
        QVERIFY(bob.login(u"bob"_s));
        QVERIFY(bob.request(protocol::requests::send(m_lobby, u"m1"_s, u"@alice hi"_s)));
        const QModelIndex lobby = rooms->index(rooms->rowOf(m_lobby));
        QTRY_COMPARE_WITH_TIMEOUT(lobby.data(client::RoomListModel::MentionsRole).toInt(), 1, 5000);
        QVERIFY(lobby.data(client::RoomListModel::MutedRole).toBool());
        QCOMPARE(rooms->totalMentions(), 0);
        QVERIFY(!app.window()->title().contains(u'('));

        // A refusal (a room that is not there) is shown in the toast.
        QQuickItem *toastLabel = app.item(u"toastLabel"_s);
        QVERIFY(toastLabel);
        app.session()->notifyLevels()->setLevel(987'654, u"all"_s);
        QTRY_VERIFY_WITH_TIMEOUT(reallyVisible(toastLabel), 5000);
        const QString shown = QQmlProperty::read(toastLabel, u"text"_s).toString();
        QVERIFY2(shown == client::accountErrorText(protocol::ErrorCode::NotFound)
                || shown == client::accountErrorText(protocol::ErrorCode::NotMember),
            qPrintable(shown));

        app.session()->notifyLevels()->setLevel(m_lobby, u"all"_s);
        QTRY_COMPARE_WITH_TIMEOUT(rooms->notifyLevel(m_lobby), u"all"_s, 5000);
    }

    void accountDialogSignsOutAnotherSessionAndChangesPassword()
    {
        // Another of alice's sessions, on a connection of its own.
        TestClient other;
        QVERIFY(other.open(m_server.url()));
        // The server's half of §18.1 comes with the feature `accounts`: without it this fails.
        QVERIFY2(other.hello().value("features"_L1).toArray().contains(u"accounts"_s),
            "the server does not offer accounts");
        QVERIFY(other.login(u"alice"_s));

        UiTestApp app;
        QVERIFY(signIn(app, m_lobby));
        client::AccountSettings *account = app.session()->accountSettings();
        QTRY_VERIFY(account->available());
        click(waitItem(app, u"accountButton"_s));
        QQuickItem *entry = waitItem(app, u"openAccountDialog"_s);
        QVERIFY(entry);
        QTest::qWait(200); // the menu's opening transition
        click(entry);
        QVERIFY(waitItem(app, u"accountSessionList"_s));
        client::SessionListModel *sessions = account->sessions();
        QTRY_VERIFY_WITH_TIMEOUT(sessions->rowCount() >= 2, 5000);

        // This device is marked, with its name; the other one gets signed out.
        qint64 otherId = 0;
        bool sawCurrent = false;
        for (int i = 0; i < sessions->rowCount(); ++i) {
            const QModelIndex s = sessions->index(i);
            if (s.data(client::SessionListModel::CurrentRole).toBool()) {
                sawCurrent = true;
                QCOMPARE(
                    s.data(client::SessionListModel::DeviceRole).toString(), client::deviceName());
            } else if (s.data(client::SessionListModel::OnlineRole).toBool()) {
                otherId = s.data(client::SessionListModel::SessionIdRole).toLongLong();
            }
        }
        QVERIFY(sawCurrent);
        QVERIFY(otherId > 0);
        QTest::qWait(400); // the dialog's opening and the menu's closing transitions
        saveScreenshot(app, u"account-dialog.png"_s);
        QQuickItem *otherRow = waitItem(app, u"accountSession_%1"_s.arg(otherId));
        QVERIFY(otherRow);
        QQuickItem *signOut = childNamed(otherRow, u"signOutSession"_s);
        QVERIFY(signOut);
        // Earlier sign-ins (the pool's, the first test's window) are sessions too.
        const int before = sessions->rowCount();
        click(signOut);
        QTRY_COMPARE_WITH_TIMEOUT(other.closeCode(), 4001, 5000);
        QTRY_COMPARE(sessions->rowCount(), before - 1);

        // The password: changed, and the new one signs in.
        click(waitItem(app, u"passwordTabButton"_s));
        QQuickItem *current = waitItem(app, u"currentPasswordField"_s);
        QVERIFY(current);
        typeInto(current, u"password-123"_s);
        typeInto(waitItem(app, u"newPasswordField"_s), u"password-456"_s);
        QSignalSpy changed(account, &client::AccountSettings::passwordChanged);
        click(waitItem(app, u"changePasswordButton"_s));
        QTRY_COMPARE_WITH_TIMEOUT(changed.count(), 1, 5000);
        QTRY_VERIFY(QQmlProperty::read(waitItem(app, u"accountNotice"_s), u"text"_s)
                        .toString()
                        .contains(u"Password changed"_s));
        TestClient fresh;
        QVERIFY(fresh.open(m_server.url()));
        QVERIFY(fresh.login(u"alice"_s, u"password-456"_s));
    }

private:
    bool signIn(UiTestApp &app, qint64 open)
    {
        SignInSteps steps;
        steps.server = m_server.url();
        steps.user = u"alice"_s;
        steps.rooms = 2;
        steps.open = open;
        return signInAndOpen(app, steps);
    }

    static void saveScreenshot(UiTestApp &app, const QString &name)
    {
        QDir().mkpath(QStringLiteral(CONFAB_SCREENSHOT_DIR));
        app.window()->grabWindow().save(QDir(QStringLiteral(CONFAB_SCREENSHOT_DIR)).filePath(name));
    }

    TestServer m_server;
    std::unique_ptr<ClientPool> m_pool;
    qint64 m_lobby = 0;
    qint64 m_chatter = 0;
};

QTEST_MAIN(TestUiAccount)
#include "tst_uiaccount.moc"
