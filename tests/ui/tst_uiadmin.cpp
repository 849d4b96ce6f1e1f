// SPDX-License-Identifier: GPL-3.0-or-later
// Administration and the user search in the real app (Main.qml, the Session, a server on
// 127.0.0.1), in a real window, driven as a person does: the first account (an admin)
// finds bob by typing, disables him (bob's own app is signed out and says why), closes
// registration, and reads both changes in the audit log; a non-admin never sees the
// entry; the conversation dialog finds a user by part of the name.
#include "clientpool.h"
#include "models/auditmodel.h"
#include "models/roomlistmodel.h"
#include "models/userdirectorymodel.h"
#include "session/account.h"
#include "session/administration.h"
#include "session/currentroom.h"
#include "testserver.h"
#include "uitestapp.h"

#include <QDir>
#include <QQmlProperty>
#include <QSettings>
#include <QTemporaryDir>
#include <QtQml/qqmlextensionplugin.h>
#include <QtTest>

Q_IMPORT_QML_PLUGIN(Confab_ClientPlugin)
Q_IMPORT_QML_PLUGIN(ConfabPlugin)

using namespace Qt::StringLiterals;
using namespace confab;
using namespace confab::test;

class TestUiAdmin : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase()
    {
        QVERIFY(m_server.start());
        m_pool = std::make_unique<ClientPool>([this] { return m_server.url(); });
        // The first account on a server is its admin (§17.1).
        TestClient *alice = m_pool->registered(u"alice"_s);
        QVERIFY(alice);
        QVERIFY(alice->session().value("admin"_L1).toBool());
        TestClient *bob = m_pool->registered(u"bob"_s);
        TestClient *carol = m_pool->registered(u"carol"_s);
        QVERIFY(bob && carol);
        QVERIFY(!bob->session().value("admin"_L1).toBool());
        m_lobby = createRoom(alice, u"lobby"_s);
        QVERIFY(m_lobby > 0);
        QVERIFY(bob->request(protocol::requests::join(m_lobby)));
        QVERIFY(carol->request(protocol::requests::join(m_lobby)));
        m_pool->clear();
    }

    void nonAdminSeesNoAdministration()
    {
        UiTestApp app;
        QVERIFY(signIn(app, u"carol"_s));
        QVERIFY(!app.session()->administration()->isAdmin());
        QQuickItem *entry = app.item(u"administrationButton"_s);
        QVERIFY(entry);
        QTest::qWait(200);
        QVERIFY(!reallyVisible(entry));
    }

    void directMessageDialogFindsUserByPartOfTheName()
    {
        UiTestApp app;
        QVERIFY(signIn(app, u"carol"_s));
        click(waitItem(app, u"directMessageButton"_s));
        QQuickItem *field = waitItem(app, u"directUserField"_s);
        QVERIFY(field);
        QTRY_VERIFY(field->hasActiveFocus());
        typeText(app.window(), u"ob"_s);
        QVERIFY(waitItem(app, u"directUser_bob"_s));
        // Only the matches: not alice, and never carol herself.
        QQuickItem *list = app.item(u"directUserList"_s);
        QTRY_COMPARE(QQmlProperty::read(list, u"count"_s).toInt(), 1);
        // The answer for "o" may replace the list after the one for "ob" was shown (a slow
        // machine, a sanitizer build): bob's row is looked up afresh and clicked while the
        // dialog still shows it.
        client::CurrentRoom *room = app.session()->currentRoom();
        QVERIFY(clickUntil([&] { return app.item(u"directUser_bob"_s); },
            [&] { return room->direct() && room->name() == u"bob"_s; }, 10000));
    }

    void adminDisablesBobAndClosesRegistration()
    {
        // Bob's own app, signed in and live.
        QTemporaryDir bobDir;
        QSettings bobSettingsFile(bobDir.filePath(u"settings.ini"_s), QSettings::IniFormat);
        client::AppSettings bobSettings(&bobSettingsFile);
        client::SessionOptions bobOptions;
        bobOptions.dataDir = bobDir.path();
        bobOptions.useKeychain = false;
        client::Session bobApp(bobOptions, &bobSettings);
        bobApp.account()->signIn(m_server.url().toString(), u"bob"_s, u"password-123"_s, false);
        QTRY_VERIFY_WITH_TIMEOUT(bobApp.connectionState() == client::ConnectionState::Live, 10000);
        QVERIFY(!bobApp.administration()->isAdmin());

        UiTestApp app;
        QVERIFY(signIn(app, u"alice"_s));
        client::Administration *admin = app.session()->administration();
        QTRY_VERIFY(admin->isAdmin());
        QQuickItem *entry = waitItem(app, u"administrationButton"_s);
        QVERIFY(entry);
        click(entry);

        // Users: bob found by typing, disabled after the confirmation.
        QQuickItem *search = waitItem(app, u"adminUserSearch"_s);
        QVERIFY(search);
        QTRY_VERIFY(admin->users()->rowCount() == 3 && !admin->users()->loading());
        click(search);
        typeText(app.window(), u"bo"_s);
        QTRY_VERIFY(admin->users()->rowCount() == 1 && !admin->users()->loading());
        QQuickItem *disable = waitItem(app, u"disableButton_bob"_s);
        QVERIFY(disable);
        QVERIFY(waitItem(app, u"adminUser_bob"_s));
        QVERIFY(!visibleItem(app, u"adminUser_alice"_s));
        click(disable);
        QQuickItem *confirm = nullptr;
        QTRY_VERIFY((confirm = visibleItem(app, u"acceptButton"_s)));
        QTest::qWait(300); // the confirmation's opening transition
        click(confirm);
        QTRY_VERIFY_WITH_TIMEOUT(
            admin->users()->index(0).data(client::UserDirectoryModel::DisabledRole).toBool(), 5000);
        // Bob's app is signed out, and says why.
        QTRY_COMPARE_WITH_TIMEOUT(bobApp.account()->status(), client::Account::SignedOut, 5000);
        QCOMPARE(
            bobApp.account()->errorText(), u"Your account was disabled by an administrator."_s);
        QTRY_COMPARE(QQmlProperty::read(disable, u"text"_s).toString(), u"Enable"_s);
        QObject *confirmDialog = app.window()->findChild<QObject *>(u"confirmDisableDialog"_s);
        QVERIFY(confirmDialog);
        QTRY_VERIFY(!QQmlProperty::read(confirmDialog, u"visible"_s).toBool());

        // Registration: closed, and new connections hear it.
        QQuickItem *tabs = waitItem(app, u"administrationTabs"_s);
        click(waitItem(app, u"registrationTabButton"_s));
        QTRY_COMPARE(QQmlProperty::read(tabs, u"currentIndex"_s).toInt(), 1);
        QQuickItem *closed = waitItem(app, u"registration_closed"_s);
        QVERIFY(closed);
        QTRY_VERIFY(QQmlProperty::read(closed, u"enabled"_s).toBool());
        QCOMPARE(admin->registration(), u"open"_s);
        click(closed);
        QTRY_COMPARE_WITH_TIMEOUT(admin->registration(), u"closed"_s, 5000);
        TestClient fresh;
        QVERIFY(fresh.open(m_server.url()));
        QCOMPARE(fresh.hello().value("registration"_L1).toString(), u"closed"_s);

        // The audit log: both changes, with the admin's name.
        click(waitItem(app, u"auditTabButton"_s));
        QTRY_COMPARE(QQmlProperty::read(tabs, u"currentIndex"_s).toInt(), 2);
        QVERIFY(waitItem(app, u"auditList"_s));
        const QStringList expected {u"alice closed registration"_s, u"alice disabled bob"_s};
        QTRY_COMPARE_WITH_TIMEOUT(shownAudit(app).mid(0, 2), expected, 5000);
        saveScreenshot(app, u"administration-audit.png"_s);
    }

private:
    bool signIn(UiTestApp &app, const QString &user)
    {
        SignInSteps steps;
        steps.server = m_server.url();
        steps.user = user;
        steps.rooms = 1;
        steps.open = m_lobby;
        return signInAndOpen(app, steps);
    }

    static QStringList shownAudit(UiTestApp &app)
    {
        // The rows in the view's order (they are laid out top to bottom, newest first).
        QList<QQuickItem *> labels = findItems(app.window()->contentItem(), u"auditDescription"_s);
        labels.removeIf([](QQuickItem *l) { return !reallyVisible(l); });
        std::sort(labels.begin(), labels.end(), [](QQuickItem *a, QQuickItem *b) {
            return a->mapToScene({0, 0}).y() < b->mapToScene({0, 0}).y();
        });
        QStringList out;
        for (QQuickItem *l : std::as_const(labels))
            out.append(QQmlProperty::read(l, u"text"_s).toString());
        return out;
    }

    static void saveScreenshot(UiTestApp &app, const QString &name)
    {
        QDir().mkpath(QStringLiteral(CONFAB_SCREENSHOT_DIR));
        app.window()->grabWindow().save(QDir(QStringLiteral(CONFAB_SCREENSHOT_DIR)).filePath(name));
    }

    TestServer m_server;
    std::unique_ptr<ClientPool> m_pool;
    qint64 m_lobby = 0;
};

QTEST_MAIN(TestUiAdmin)
#include "tst_uiadmin.moc"
