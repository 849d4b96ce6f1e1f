// SPDX-License-Identifier: GPL-3.0-or-later
// The Profile dialog in the real app (Main.qml, the Session, a server on 127.0.0.1) in a
// real window (§18.2): opened from the user menu, a display name and status saved reach
// another client as a `profile` push and relabel the own messages and a mention of the
// user; an image file chosen as the avatar is uploaded and applied.
#include "clientpool.h"
#include "models/memberlistmodel.h"
#include "protocol/accountrequests.h"
#include "session/currentroom.h"
#include "session/profiles.h"
#include "testserver.h"
#include "uitestapp.h"

#include <QDir>
#include <QGuiApplication>
#include <QImage>
#include <QQmlProperty>
#include <QtQml/qqmlextensionplugin.h>
#include <QtTest>

Q_IMPORT_QML_PLUGIN(Confab_ClientPlugin)
Q_IMPORT_QML_PLUGIN(ConfabPlugin)

using namespace Qt::StringLiterals;
using namespace confab;
using namespace confab::test;

class TestUiProfile : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase()
    {
        QVERIFY(m_server.start());
        m_pool = std::make_unique<ClientPool>([this] { return m_server.url(); });
        m_ben = m_pool->registered(u"ben"_s);
        QVERIFY(m_ben);
        m_alpha = createRoom(m_ben, u"alpha"_s);
        QVERIFY(m_alpha > 0);
        TestClient *alice = m_pool->registered(u"alice"_s);
        QVERIFY(alice);
        QVERIFY(alice->request(protocol::requests::join(m_alpha)));
        alice->disconnectNow();
    }

    void profileDialogSavesNameStatusAndAvatar()
    {
        UiTestApp app;
        SignInSteps steps;
        steps.server = m_server.url();
        steps.open = m_alpha;
        steps.alsoOpen = [&] { return app.session()->members()->rowCount() == 2; };
        QVERIFY(signInAndOpen(app, steps));
        client::Profiles *profiles = app.session()->profiles();
        QTRY_VERIFY(profiles->available());

        // An own message, and ben mentions alice.
        typeText(app.window(), u"my own words"_s);
        QTest::keyClick(app.window(), Qt::Key_Return);
        QVERIFY(m_ben->request(protocol::requests::send(m_alpha, u"m1"_s, u"ping @alice!"_s)));
        QTRY_VERIFY(shownRow(app, u"ping @alice!"_s));
        QTRY_VERIFY(shownRow(app, u"my own words"_s));

        // The user menu opens the dialog.
        QQuickItem *accountButton = waitItem(app, u"accountButton"_s);
        QVERIFY(accountButton);
        QQuickItem *menuItem = openUserMenu(app, accountButton);
        QVERIFY(menuItem);
        click(menuItem);
        QQuickItem *nameField = waitItem(app, u"displayNameField"_s);
        QQuickItem *statusField = waitItem(app, u"statusField"_s);
        QQuickItem *save = waitItem(app, u"saveProfileButton"_s);
        QVERIFY(nameField && statusField && save);
        QCOMPARE(QQmlProperty::read(nameField, u"maximumLength"_s).toInt(), 64);
        QCOMPARE(QQmlProperty::read(statusField, u"maximumLength"_s).toInt(), 128);
        typeInto(nameField, u"Alice Newname"_s);
        typeInto(statusField, u"testing profiles"_s);
        m_ben->clearPushes();
        click(save);

        // The other client sees the push; the dialog closes once the server took it.
        const auto push = m_ben->waitPush([](const protocol::ServerFrame &frame) {
            const auto profile = frame.profile();
            return profile && profile->user == u"alice"_s;
        });
        QVERIFY(push);
        QCOMPARE(push->profile()->displayName, u"Alice Newname"_s);
        QCOMPARE(push->profile()->status, u"testing profiles"_s);
        QTRY_VERIFY(!reallyVisible(nameField));
        QCOMPARE(profiles->ownDisplayName(), u"Alice Newname"_s);

        // The own message's sender label and the mention show the new name.
        const auto ownLabel = [&app]() -> QString {
            QQuickItem *row = shownRow(app, u"my own words"_s);
            QQuickItem *label = row ? childNamed(row, u"senderLabel"_s) : nullptr;
            return label ? QQmlProperty::read(label, u"text"_s).toString() : QString();
        };
        QTRY_COMPARE(ownLabel(), u"Alice Newname"_s);
        // The stored text names alice; the row shows the display name, still as a mention link.
        QTRY_VERIFY(shownRow(app, u"ping @Alice Newname!"_s));
        QVERIFY(!shownRow(app, u"ping @alice!"_s));
        const QString rich
            = shownRow(app, u"ping @Alice Newname!"_s)->property("richText").toString();
        QVERIFY2(rich.contains(u"href=\"confab://user/alice\""_s), qPrintable(rich));

        // An avatar from an image file: uploaded, then applied.
        menuItem = openUserMenu(app, accountButton);
        QVERIFY(menuItem);
        click(menuItem);
        QVERIFY(waitItem(app, u"displayNameField"_s));
        QCOMPARE(QQmlProperty::read(nameField, u"text"_s).toString(), u"Alice Newname"_s);
        QObject *dialog = app.window()->findChild<QObject *>(u"profileDialog"_s);
        QVERIFY(dialog);
        QTemporaryDir dir;
        QImage image(96, 96, QImage::Format_RGB32);
        image.fill(QColor(200, 40, 90));
        const QString path = dir.filePath(u"me.png"_s);
        QVERIFY(image.save(path));
        QCOMPARE(profiles->ownAvatar(), 0);
        m_ben->clearPushes();
        QVERIFY(QMetaObject::invokeMethod(
            dialog, "chooseImage", Q_ARG(QUrl, QUrl::fromLocalFile(path))));
        QTRY_VERIFY_WITH_TIMEOUT(profiles->ownAvatar() != 0, 15000);
        const auto avatarPush = m_ben->waitPush([](const protocol::ServerFrame &frame) {
            const auto profile = frame.profile();
            return profile && profile->user == u"alice"_s && profile->avatar != 0;
        });
        QVERIFY(avatarPush);
        QCOMPARE(avatarPush->profile()->avatar, profiles->ownAvatar());
        QQuickItem *preview = waitItem(app, u"profileAvatarPreview"_s);
        QVERIFY(preview);
        QQuickItem *previewImage = childNamed(preview, u"avatarImage"_s);
        QVERIFY(previewImage);
        QTRY_VERIFY_WITH_TIMEOUT(previewImage->isVisible(), 10000);
        QVERIFY(waitItem(app, u"removeAvatarButton"_s));
        QDir().mkpath(QStringLiteral(CONFAB_SCREENSHOT_DIR));
        QVERIFY(app.window()->grabWindow().save(
            QDir(QStringLiteral(CONFAB_SCREENSHOT_DIR)).filePath(u"profile-dialog.png"_s)));

        // Remove avatar clears it.
        click(waitItem(app, u"removeAvatarButton"_s));
        QTRY_COMPARE(profiles->ownAvatar(), 0);
    }

    // The invite dialog completes by display name (§17.5 users matches display names
    // too) and fills in the username, which the invitation names.
    void inviteCompletesByDisplayName()
    {
        TestClient *carol = m_pool->registered(u"carol"_s);
        QVERIFY(carol);
        QVERIFY(carol->request(protocol::requests::setProfile(u"Carla Jones"_s)));
        UiTestApp app;
        SignInSteps steps;
        steps.server = m_server.url();
        steps.open = m_alpha;
        QVERIFY(signInAndOpen(app, steps));
        QQuickItem *invite = waitItem(app, u"inviteButton"_s);
        QVERIFY(invite);
        click(invite);
        QQuickItem *field = waitItem(app, u"inviteUserField"_s);
        QVERIFY(field);
        typeInto(field, u"jon"_s); // a word of the display name, not of the username
        QQuickItem *match = waitItem(app, u"inviteUser_carol"_s);
        QVERIFY(match);
        QCOMPARE(QQmlProperty::read(match, u"text"_s).toString(), u"Carla Jones"_s);
        // Under ASan the completion popup may still be opening when first clicked.
        QVERIFY(clickUntil([&] { return app.item(u"inviteUser_carol"_s); },
            [&] { return QQmlProperty::read(field, u"text"_s).toString() == u"carol"_s; }, 15000));
        QCOMPARE(QQmlProperty::read(field, u"text"_s).toString(), u"carol"_s);
        carol->clearPushes();
        QQuickItem *accept = visibleItem(app, u"acceptButton"_s);
        QVERIFY(accept);
        click(accept);
        QVERIFY(carol->waitPush([this](const protocol::ServerFrame &frame) {
            const auto invitation = frame.invitation();
            return invitation && invitation->room == m_alpha && invitation->by == u"alice"_s;
        }));
    }

    // A 1:1 room is named by the other user's display name, and their typing line too;
    // both follow a `profile` push.
    void directRoomAndTypingShowDisplayNames()
    {
        TestClient *dave = m_pool->registered(u"dave"_s);
        QVERIFY(dave);
        QVERIFY(dave->request(protocol::requests::setProfile(u"Dave Rocha"_s)));
        const auto direct = dave->request(protocol::requests::openDirect(u"alice"_s));
        QVERIFY(direct && direct->type == protocol::ServerFrameType::Result);
        const qint64 room = direct->data().value("room"_L1).toObject().value("id"_L1).toInteger();
        QVERIFY(room > 0);
        UiTestApp app;
        SignInSteps steps;
        steps.server = m_server.url();
        steps.rooms = 2;
        steps.open = room;
        QVERIFY(signInAndOpen(app, steps));
        QQuickItem *header = waitItem(app, u"roomNameLabel"_s);
        QVERIFY(header);
        QTRY_COMPARE(QQmlProperty::read(header, u"text"_s).toString(), u"Dave Rocha"_s);
        QVERIFY(dave->request(protocol::requests::typing(room, true)));
        QTRY_COMPARE(app.session()->currentRoom()->typingText(), u"Dave Rocha is typing…"_s);
        QVERIFY(dave->request(protocol::requests::setProfile(u"D. Rocha"_s)));
        QTRY_COMPARE(QQmlProperty::read(header, u"text"_s).toString(), u"D. Rocha"_s);
        QTRY_COMPARE(app.session()->currentRoom()->typingText(), u"D. Rocha is typing…"_s);
    }

    void cleanupTestCase() { m_pool.reset(); }

private:
    // Opens the user menu and waits for it to settle (it opens upwards, from its full
    // height): its "Profile…" item, or null.
    static QQuickItem *openUserMenu(UiTestApp &app, QQuickItem *accountButton)
    {
        click(accountButton);
        QObject *menu = app.window()->findChild<QObject *>(u"accountMenu"_s);
        if (!menu || !QTest::qWaitFor([menu] { return menu->property("opened").toBool(); }))
            return nullptr;
        return waitItem(app, u"openProfileDialog"_s);
    }

    TestServer m_server;
    std::unique_ptr<ClientPool> m_pool;
    TestClient *m_ben = nullptr;
    qint64 m_alpha = 0;
};

QTEST_MAIN(TestUiProfile)
#include "tst_uiprofile.moc"
