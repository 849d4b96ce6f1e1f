// SPDX-License-Identifier: GPL-3.0-or-later
// Group conversations (§18.4) in the real app (Main.qml, the Session, a server on
// 127.0.0.1) in a real window: alice picks two people by typing in the new-group dialog
// and creates the group, which the sidebar lists under the others' names; bob adds dave
// from his own client and alice's window says so, lists dave and renames the group; alice
// adds erin through the header's "Add people…"; she leaves, and the group is gone from
// her list. Writes group-conversation.png to the screenshots.
#include "clientpool.h"
#include "models/memberlistmodel.h"
#include "models/roomlistmodel.h"
#include "models/timelinemodel.h"
#include "protocol/accountrequests.h"
#include "protocol/requestbuilder.h"
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

// The names the sidebar shows, in its order.
QStringList sidebarNames(UiTestApp &app)
{
    QStringList out;
    for (QQuickItem *label : findItems(app.window(), u"roomRowName"_s)) {
        if (reallyVisible(label))
            out.append(QQmlProperty::read(label, u"text"_s).toString());
    }
    return out;
}

QString textOf(UiTestApp &app, const QString &name)
{
    QQuickItem *item = visibleItem(app, name);
    return item ? QQmlProperty::read(item, u"text"_s).toString() : QString();
}

// Whether the dialog (a Popup, not an item) named \a name is open, its entry done.
bool dialogOpen(UiTestApp &app, const QString &name)
{
    QObject *dialog = app.window()->findChild<QObject *>(name);
    return dialog && QQmlProperty::read(dialog, u"opened"_s).toBool();
}

// Whether it is gone, its exit done: until then its modal shade takes the clicks.
bool dialogGone(UiTestApp &app, const QString &name)
{
    QObject *dialog = app.window()->findChild<QObject *>(name);
    return dialog && !QQmlProperty::read(dialog, u"visible"_s).toBool();
}

} // namespace

class TestUiGroups : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase()
    {
        m_server.config().limits.ratePerSecond = 10000;
        m_server.config().limits.rateBurst = 10000;
        QVERIFY(m_server.start());
        m_pool = std::make_unique<ClientPool>([this] { return m_server.url(); });
        m_bob = m_pool->registered(u"bob"_s);
        QVERIFY(m_bob);
        m_lobby = createRoom(m_bob, u"lobby"_s);
        QVERIFY(m_lobby > 0);
        TestClient *alice = m_pool->registered(u"alice"_s);
        QVERIFY(alice);
        QVERIFY(alice->request(req::join(m_lobby)));
        alice->disconnectNow(); // the app is alice from here on
        for (const QString &name : {u"dave"_s, u"erin"_s})
            QVERIFY(m_pool->registered(name));
        // A "%1" in it would be filled by an arg() meant for the username.
        TestClient *carol = m_pool->registered(u"carol"_s);
        QVERIFY(carol);
        QVERIFY(carol->request(req::setProfile(u"Carol %1 Quinn"_s)));
    }

    void createAddToAndLeaveAGroup()
    {
        UiTestApp app;
        QVERIFY(signIn(app));
        client::CurrentRoom *room = app.session()->currentRoom();

        // The dialog: Create waits for a person; two are picked by typing.
        QQuickItem *newGroup = waitItem(app, u"newGroupButton"_s);
        QVERIFY(newGroup);
        click(newGroup);
        QTRY_VERIFY(dialogOpen(app, u"newGroupDialog"_s));
        QQuickItem *field = waitItem(app, u"groupUserField"_s);
        QQuickItem *create = waitItem(app, u"groupCreateButton"_s);
        QVERIFY(field && create);
        QVERIFY(!create->isEnabled());
        QTRY_VERIFY(field->hasActiveFocus());
        // The directory matched her display name: the row says both.
        QVERIFY(pick(app, u"ca"_s, u"carol"_s, u"Carol %1 Quinn (carol)"_s));
        QVERIFY(create->isEnabled());
        QVERIFY(pick(app, u"bo"_s, u"bob"_s));
        // A chip takes a person back out, and they can be picked again.
        QQuickItem *bobChip = waitItem(app, u"chosen_bob"_s);
        QVERIFY(bobChip);
        click(bobChip);
        QTRY_VERIFY(!visibleItem(app, u"chosen_bob"_s));
        QVERIFY(pick(app, u"bo"_s, u"bob"_s));
        // Enter while the search for what was typed is on its way: the rows still answer
        // "d", so the first is dave, but erin is who was asked for.
        typeText(app.window(), u"d"_s);
        QQuickItem *list = waitItem(app, u"groupUserList"_s);
        QVERIFY(list);
        QTRY_COMPARE(QQmlProperty::read(list, u"count"_s).toInt(), 1);
        QVERIFY(waitItem(app, u"groupUser_dave"_s));
        QTest::keyClick(app.window(), Qt::Key_Backspace);
        typeText(app.window(), u"erin"_s);
        QTest::keyClick(app.window(), Qt::Key_Return);
        QQuickItem *erinChip = waitItem(app, u"chosen_erin"_s);
        QVERIFY(erinChip);
        QVERIFY(!visibleItem(app, u"chosen_dave"_s));
        click(erinChip);
        QTRY_VERIFY(!visibleItem(app, u"chosen_erin"_s));
        click(create);

        QTRY_COMPARE(app.session()->rooms()->rowCount(), 2);
        QTRY_VERIFY(room->group());
        const qint64 group = room->roomId();
        QVERIFY(group != m_lobby);
        QCOMPARE(room->name(), u"bob, carol"_s);
        QTRY_VERIFY(dialogGone(app, u"newGroupDialog"_s));
        QTRY_VERIFY(sidebarNames(app).contains(u"bob, carol"_s));
        QTRY_COMPARE(textOf(app, u"roomNameLabel"_s), u"bob, carol"_s);
        QTRY_COMPARE(app.session()->members()->rowCount(), 3);

        // bob adds dave from his own client: the line, the member, the new name.
        QVERIFY(m_bob->request(req::addToGroup(group, u"dave"_s)));
        QTRY_VERIFY(texts(room->timeline()).contains(u"bob added dave"_s));
        QTRY_COMPARE(app.session()->members()->rowCount(), 4);
        QVERIFY(app.session()->members()->contains(u"dave"_s));
        QTRY_COMPARE(room->name(), u"bob, carol, dave"_s);
        QTRY_VERIFY(sidebarNames(app).contains(u"bob, carol, dave"_s));

        // alice adds erin through the header's "Add people…".
        QQuickItem *addPeople = waitItem(app, u"addPeopleButton"_s);
        QVERIFY(addPeople);
        QTRY_VERIFY(addPeople->isEnabled());
        click(addPeople);
        QTRY_VERIFY(dialogOpen(app, u"newGroupDialog"_s));
        QQuickItem *addField = waitItem(app, u"groupUserField"_s);
        QVERIFY(addField);
        QVERIFY(!reallyVisible(app.item(u"groupNameField"_s)));
        QTRY_VERIFY(addField->hasActiveFocus());
        QVERIFY(pick(app, u"er"_s, u"erin"_s));
        click(waitItem(app, u"groupCreateButton"_s));
        QTRY_VERIFY(texts(room->timeline()).contains(u"alice added erin"_s));
        QTRY_COMPARE(app.session()->members()->rowCount(), 5);
        QTRY_VERIFY(dialogGone(app, u"newGroupDialog"_s));
        QTRY_COMPARE(room->name(), u"bob, carol, dave, erin"_s);
        QTRY_VERIFY(sidebarNames(app).contains(u"bob, carol, dave, erin"_s));

        QQuickItem *membersButton = waitItem(app, u"membersButton"_s);
        QVERIFY(membersButton);
        if (!QQmlProperty::read(membersButton, u"checked"_s).toBool())
            click(membersButton);
        // Asked again after the add: dave's and erin's clients are connected.
        QTRY_COMPARE(app.session()->members()->onlineCount(), 5);
        QTest::mouseMove(app.window(), QPoint(600, 400)); // no tooltip in the picture
        QTest::qWait(300); // the member list slides in
        QDir().mkpath(QStringLiteral(CONFAB_SCREENSHOT_DIR));
        QVERIFY(app.window()->grabWindow().save(
            QDir(QStringLiteral(CONFAB_SCREENSHOT_DIR)).filePath(u"group-conversation.png"_s)));

        // Leave is offered for a group; once left, it is gone from the list.
        QQuickItem *leave = waitItem(app, u"leaveButton"_s);
        QVERIFY(leave);
        click(leave);
        QTRY_VERIFY(dialogOpen(app, u"leaveRoomDialog"_s));
        QQuickItem *accept = nullptr;
        QTRY_VERIFY((accept = visibleItem(app, u"acceptButton"_s)));
        click(accept);
        QTRY_VERIFY(!app.session()->rooms()->contains(group));
        QCOMPARE(app.session()->rooms()->rowCount(), 1);
        QTRY_VERIFY(!sidebarNames(app).contains(u"bob, carol, dave, erin"_s));
    }

    void cleanupTestCase() { m_pool.reset(); }

private:
    // Types \a prefix into the focused people field and clicks \a user among the matches;
    // true once \a user is among the chosen.
    // With \a label, the match must read so.
    bool pick(UiTestApp &app, const QString &prefix, const QString &user, const QString &label = {})
    {
        typeText(app.window(), prefix);
        // The prefix matches one account: wait for that answer, not an earlier listing
        // (the one asked for as the dialog opened) whose rows are about to be replaced.
        QQuickItem *list = waitItem(app, u"groupUserList"_s);
        if (!list
            || !TestClient::waitUntil(
                [&] { return QQmlProperty::read(list, u"count"_s).toInt() == 1; }, 10000))
            return false;
        QQuickItem *match = waitItem(app, u"groupUser_"_s + user);
        if (!match)
            return false;
        if (!label.isEmpty() && QQmlProperty::read(match, u"text"_s).toString() != label) {
            qWarning() << "match reads" << QQmlProperty::read(match, u"text"_s).toString();
            return false;
        }
        click(match);
        return waitItem(app, u"chosen_"_s + user) != nullptr;
    }

    bool signIn(UiTestApp &app)
    {
        SignInSteps steps;
        steps.server = m_server.url();
        steps.rooms = 1;
        steps.open = m_lobby;
        return signInAndOpen(app, steps);
    }

    TestServer m_server;
    std::unique_ptr<ClientPool> m_pool;
    TestClient *m_bob = nullptr;
    qint64 m_lobby = 0;
};

QTEST_MAIN(TestUiGroups)
#include "tst_uigroups.moc"
