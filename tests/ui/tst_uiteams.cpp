// SPDX-License-Identifier: GPL-3.0-or-later
// Private channels, invitations and moderation (§17) in the real app (Main.qml, the
// Session, a server on 127.0.0.1): bob's window is the app, ana (an admin, the first
// account) acts on him from a test client. Writes teams-*.png to the screenshots.
#include "clientpool.h"
#include "models/invitationsmodel.h"
#include "models/memberlistmodel.h"
#include "models/roomlistmodel.h"
#include "models/timelinemodel.h"
#include "protocol/results.h"
#include "protocol/teamrequests.h"
#include "session/currentroom.h"
#include "testserver.h"
#include "uitestapp.h"

#include <QDir>
#include <QQmlProperty>
#include <QtQml/qqmlextensionplugin.h>
#include <QtTest>

Q_IMPORT_QML_PLUGIN(Confab_ClientPlugin)
Q_IMPORT_QML_PLUGIN(ConfabPlugin)

using namespace Qt::StringLiterals;
using namespace confab;
using namespace confab::test;
using client::TimelineModel;
namespace req = confab::protocol::requests;

namespace {

QStringList texts(const TimelineModel *tl)
{
    QStringList out;
    if (!tl)
        return out;
    for (int row = 0; row < tl->rowCount(); ++row)
        out.append(tl->data(tl->index(row), TimelineModel::TextRole).toString());
    return out;
}

// The message a room opens at: its first unread one, or its last when nothing is unread.
QString landingText(const TimelineModel *tl)
{
    if (!tl)
        return {};
    const int first = tl->firstUnreadRow();
    const int step = first < 0 ? -1 : 1;
    for (int row = first < 0 ? tl->rowCount() - 1 : first; row >= 0 && row < tl->rowCount();
         row += step) {
        if (tl->data(tl->index(row), TimelineModel::KindRole).toString() == u"message")
            return tl->data(tl->index(row), TimelineModel::TextRole).toString();
    }
    return {};
}

} // namespace

class TestUiTeams : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase()
    {
        m_server.config().limits.ratePerSecond = 10000;
        m_server.config().limits.rateBurst = 10000;
        QVERIFY(m_server.start());
        m_pool = std::make_unique<ClientPool>([this] { return m_server.url(); });
        m_ana = m_pool->registered(u"ana"_s); // the first account: an admin
        QVERIFY(m_ana);
        // bob stays connected here too: a second device, which rejoins after the kick.
        m_bob = m_pool->registered(u"bob"_s);
        m_carol = m_pool->registered(u"carol"_s);
        QVERIFY(m_bob && m_carol);
        m_lobby = createRoom(m_ana, u"lobby"_s);
        m_ops = createRoom(m_ana, u"ops"_s);
        m_quiet = createRoom(m_ana, u"quiet"_s);
        QVERIFY(m_lobby > 0 && m_ops > 0 && m_quiet > 0);
        for (qint64 room : {m_lobby, m_ops, m_quiet}) {
            QVERIFY(m_bob->request(req::join(room)));
            QVERIFY(m_carol->request(req::join(room)));
        }
        QVERIFY(anaSays(m_lobby, u"lobby hello"_s) > 0);
        QVERIFY(anaSays(m_ops, u"ops words"_s) > 0);
        QVERIFY(anaSays(m_quiet, u"quiet words"_s) > 0);
        m_bobRooms = 3;
    }

    // (a) ana creates a private channel and invites bob; bob's sidebar shows the
    // invitation; he accepts, the channel opens and says who invited and who joined.
    void invitationAcceptedOpensThePrivateChannel()
    {
        UiTestApp app;
        QVERIFY(signIn(app, m_lobby));
        const auto created = m_ana->request(req::createRoom(u"secret"_s, {}, true));
        QVERIFY(created && created->type == protocol::ServerFrameType::Result);
        const qint64 secret
            = created->data().value(u"room"_s).toObject().value(u"id"_s).toInteger();
        QVERIFY(secret > 0);
        QVERIFY(m_ana->request(req::invite(secret, u"bob"_s)));

        QQuickItem *accept = waitItem(app, u"acceptInvitation_secret"_s);
        QVERIFY(accept);
        QQuickItem *invitation = waitItem(app, u"invitation_secret"_s);
        QVERIFY(invitation);
        QCOMPARE(QQmlProperty::read(invitation, u"invitedBy"_s).toString(), u"ana"_s);
        saveScreenshot(app, u"teams-invitation.png"_s);

        click(accept);
        QTRY_COMPARE(app.session()->currentRoom()->roomId(), secret);
        ++m_bobRooms;
        QVERIFY(app.session()->rooms()->contains(secret));
        QTRY_COMPARE(app.session()->invitations()->rowCount(), 0);
        QTRY_VERIFY(texts(app.session()->currentRoom()->timeline()).contains(u"bob joined"_s));
        QTRY_VERIFY(texts(app.session()->currentRoom()->timeline()).contains(u"ana invited bob"_s));
        QVERIFY(waitItem(app, u"privateLock"_s));
        QTRY_VERIFY(!reallyVisible(app.item(u"invitationList"_s)));
    }

    // (b) ana kicks bob while he looks at ops and types: the room goes from his list and
    // the window shows another room's messages, never the kicked room's.
    void kickWhileLookingAndTypingDropsTheRoom()
    {
        UiTestApp app;
        QVERIFY(signIn(app, m_ops));
        QTRY_VERIFY(texts(app.session()->currentRoom()->timeline()).contains(u"ops words"_s));
        typeText(app.window(), u"half a thought"_s);
        QVERIFY(m_ana->request(req::kick(m_ops, u"bob"_s, u"testing kicks"_s)));
        QTRY_VERIFY(!app.session()->rooms()->contains(m_ops));
        --m_bobRooms;
        client::CurrentRoom *room = app.session()->currentRoom();
        QTRY_VERIFY(room->roomId() != 0);
        QVERIFY(room->roomId() != m_ops);
        QVERIFY(!texts(room->timeline()).contains(u"ops words"_s));
        QTRY_VERIFY(!shownRow(app, u"ops words"_s));
        // Back for the tests after this one.
        QVERIFY(m_bob->request(req::join(m_ops)));
        ++m_bobRooms;
    }

    // (c) ana mutes bob: his composer is off and says until when; unmuting turns it on.
    void muteDisablesTheComposerUntilUnmuted()
    {
        UiTestApp app;
        QVERIFY(signIn(app, m_quiet));
        QQuickItem *composer = waitItem(app, u"composer"_s);
        QVERIFY(composer);
        QTRY_VERIFY(app.session()->members()->rowCount() >= 3);
        QVERIFY(composer->isEnabled());

        // As a moderator, bob's member menu on carol offers what rank 1 allows, no roles.
        QVERIFY(m_ana->request(req::setRole(m_quiet, u"bob"_s, protocol::RoomRole::Moderator)));
        QQuickItem *membersButton = waitItem(app, u"membersButton"_s);
        QVERIFY(membersButton);
        click(membersButton);
        QVERIFY(waitItem(app, u"member_carol"_s));
        // The list is reset when the members reply of the (re)connect lands, which may be
        // after the first look: carol's row is looked up afresh for the click.
        QTRY_VERIFY(QQmlProperty::read(app.item(u"member_carol"_s), u"canModerate"_s).toBool());
        QVERIFY(clickUntil([&] { return app.item(u"member_carol"_s); },
            [&] { return reallyVisible(app.item(u"memberMenuBan"_s)); }));
        QQuickItem *ban = app.item(u"memberMenuBan"_s);
        QVERIFY(ban);
        QVERIFY(reallyVisible(app.item(u"memberMenuKick"_s)));
        QVERIFY(!reallyVisible(app.item(u"memberMenuRole"_s)));
        // The picture once the menu's entry transition is over.
        auto *menu = app.window()->findChild<QObject *>(u"memberMenu"_s);
        QVERIFY(menu);
        QTRY_VERIFY(QQmlProperty::read(menu, u"opened"_s).toBool());
        saveScreenshot(app, u"teams-member-menu.png"_s);
        QTest::keyClick(app.window(), Qt::Key_Escape);
        QTRY_VERIFY(!reallyVisible(ban));

        // The same menu by keyboard: Tab reaches the member list, the arrows move a visible
        // ring from member to member, Enter on carol opens her menu.
        QQuickItem *members = app.item(u"memberList"_s);
        QVERIFY(members);
        for (int i = 0; i < 40 && !members->hasActiveFocus(); ++i)
            QTest::keyClick(app.window(), Qt::Key_Tab);
        QVERIFY(members->hasActiveFocus());
        const auto current = [&] {
            return qvariant_cast<QQuickItem *>(QQmlProperty::read(members, u"currentItem"_s));
        };
        const int count = QQmlProperty::read(members, u"count"_s).toInt();
        QVERIFY(count >= 3);
        QTest::keyClick(app.window(), Qt::Key_Home);
        QCOMPARE(QQmlProperty::read(members, u"currentIndex"_s).toInt(), 0);
        QTRY_VERIFY(reallyVisible(childNamed(current(), u"focusRing"_s)));
        QTest::keyClick(app.window(), Qt::Key_Down);
        QCOMPARE(QQmlProperty::read(members, u"currentIndex"_s).toInt(), 1);
        QTest::keyClick(app.window(), Qt::Key_Up);
        QCOMPARE(QQmlProperty::read(members, u"currentIndex"_s).toInt(), 0);
        for (int i = 0; i < count && current()->objectName() != u"member_carol"_s; ++i)
            QTest::keyClick(app.window(), Qt::Key_Down);
        QCOMPARE(current()->objectName(), u"member_carol"_s);
        QTRY_VERIFY(reallyVisible(childNamed(current(), u"focusRing"_s)));
        QTest::keyClick(app.window(), Qt::Key_Return);
        QTRY_VERIFY(reallyVisible(ban));
        QCOMPARE(QQmlProperty::read(menu, u"user"_s).toString(), u"carol"_s);
        QTest::keyClick(app.window(), Qt::Key_Escape);
        QTRY_VERIFY(!reallyVisible(ban));
        QVERIFY(m_ana->request(req::setRole(m_quiet, u"bob"_s, protocol::RoomRole::Member)));

        QVERIFY(m_ana->request(req::mute(m_quiet, u"bob"_s, u"cool off"_s, 3600)));
        QTRY_VERIFY(!composer->isEnabled());
        const QString placeholder = QQmlProperty::read(composer, u"placeholderText"_s).toString();
        QVERIFY2(placeholder.startsWith(u"You are muted until "_s), qPrintable(placeholder));
        QTRY_VERIFY(
            texts(app.session()->currentRoom()->timeline()).filter(u"ana muted bob until "_s).size()
            == 1);
        QVERIFY(m_ana->request(req::unmute(m_quiet, u"bob"_s)));
        QTRY_VERIFY(composer->isEnabled());
        QVERIFY(QQmlProperty::read(composer, u"placeholderText"_s)
                    .toString()
                    .startsWith(u"Message #quiet"_s));
    }

    // (d) Switching rooms while invitations and moderation events arrive: each room's
    // timeline keeps its own messages, and the invitations all show.
    void switchingRoomsWhileTeamEventsArrive()
    {
        UiTestApp app;
        QVERIFY(signIn(app, m_lobby));
        client::CurrentRoom *room = app.session()->currentRoom();
        for (int i = 0; i < 6; ++i) {
            const auto created = m_ana->request(req::createRoom(u"private-%1"_s.arg(i), {}, true));
            QVERIFY(created);
            const qint64 id
                = created->data().value(u"room"_s).toObject().value(u"id"_s).toInteger();
            QVERIFY(m_ana->request(req::invite(id, u"bob"_s)));
            QVERIFY(m_ana->request(req::mute(m_quiet, u"carol"_s, {}, 60)));
            QVERIFY(anaSays(m_lobby, u"lobby %1"_s.arg(i)) > 0);
            room->select(i % 2 ? m_lobby : m_quiet);
            QVERIFY(m_ana->request(req::unmute(m_quiet, u"carol"_s)));
            QVERIFY(anaSays(m_quiet, u"quiet %1"_s.arg(i)) > 0);
            room->select(i % 2 ? m_quiet : m_lobby);
        }
        QTRY_COMPARE(app.session()->invitations()->rowCount(), 6);
        // Six cards do not push the room list off the sidebar: they scroll, within a cap.
        QQuickItem *cards = waitItem(app, u"invitationCards"_s);
        QVERIFY(cards);
        QQuickItem *list = app.item(u"invitationList"_s);
        QVERIFY(list);
        const qreal cap = QQmlProperty::read(list, u"maximumListHeight"_s).toReal();
        QTRY_VERIFY(QQmlProperty::read(cards, u"contentHeight"_s).toReal() > cap);
        QCOMPARE(cards->height(), cap);
        QVERIFY(reallyVisible(waitItem(app, u"roomList"_s)));
        room->select(m_lobby);
        QTRY_VERIFY(texts(room->timeline()).contains(u"lobby 5"_s));
        const QStringList lobby = texts(room->timeline());
        QVERIFY(lobby.filter(u"quiet"_s).isEmpty());
        QVERIFY(lobby.filter(u"muted carol"_s).isEmpty());
        room->select(m_quiet);
        QTRY_VERIFY(texts(room->timeline()).contains(u"quiet 5"_s));
        const QStringList quiet = texts(room->timeline());
        QVERIFY(quiet.filter(u"lobby"_s).isEmpty());
        QCOMPARE(quiet.filter(u"ana unmuted carol"_s).size(), 6);
        // quiet opens at bob's first unread message, or at its end when he has read it all;
        // lobby's never shows in it. Which of the two depends on how long quiet stayed on
        // screen in the loop above (the window reports what it showed as read), so the
        // message to land on is read off the model rather than assumed.
        const QString landing = landingText(room->timeline());
        QVERIFY(!landing.isEmpty());
        QTRY_VERIFY2(shownRow(app, landing), qPrintable(landing));
        QVERIFY(!shownRow(app, u"lobby 5"_s));
    }

private:
    qint64 anaSays(qint64 room, const QString &text)
    {
        const auto r = m_ana->request(req::send(room, u"ana-%1"_s.arg(++m_txn), text));
        return r ? r->data().value(u"seq"_s).toInteger() : 0;
    }

    static void saveScreenshot(UiTestApp &app, const QString &name)
    {
        QDir().mkpath(QStringLiteral(CONFAB_SCREENSHOT_DIR));
        app.window()->grabWindow().save(QDir(QStringLiteral(CONFAB_SCREENSHOT_DIR)).filePath(name));
    }

    bool signIn(UiTestApp &app, qint64 open)
    {
        SignInSteps steps;
        steps.server = m_server.url();
        steps.user = u"bob"_s;
        steps.rooms = m_bobRooms;
        steps.open = open;
        return signInAndOpen(app, steps);
    }

    TestServer m_server;
    std::unique_ptr<ClientPool> m_pool;
    TestClient *m_ana = nullptr;
    TestClient *m_bob = nullptr;
    TestClient *m_carol = nullptr;
    qint64 m_lobby = 0;
    qint64 m_ops = 0;
    qint64 m_quiet = 0;
    int m_bobRooms = 0;
    int m_txn = 0;
};

QTEST_MAIN(TestUiTeams)
#include "tst_uiteams.moc"
