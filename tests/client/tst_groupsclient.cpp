// SPDX-License-Identifier: GPL-3.0-or-later
// The app's side of group conversations (§18.4) against a scripted server: an `add`
// event makes a member in the member list and the room's summary (an unnamed group's
// name follows its members, a named one keeps its name), a leave takes one out, a summary
// that came first is not counted twice; a `room` push lists a group the user was added
// to; open_group and add_to_group from RoomActions, with their failures as sentences.
#include "models/memberlistmodel.h"
#include "models/roomlistmodel.h"
#include "models/timelinemodel.h"
#include "protocol/results.h"
#include "scriptedconnection.h"
#include "session/currentroom.h"
#include "session/roomactions.h"
#include "session/session.h"
#include "settings/appsettings.h"

#include <QAbstractItemModelTester>
#include <QSettings>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QtTest>

using namespace Qt::StringLiterals;
using namespace confab;
using client::ConnectionState;
using client::RoomListModel;
using protocol::EventKind;
using protocol::RequestType;
using test::ScriptedConnection;

namespace {

constexpr qint64 Crew = 5; // unnamed: "ana, cy" for bob
constexpr qint64 Trip = 6; // named "Trip"
constexpr qint64 Direct = 7; // bob and ana, 1:1

protocol::RoomSummary conversation(
    qint64 id, const QString &name, const QStringList &members, bool group)
{
    protocol::RoomSummary s;
    s.id = id;
    s.direct = true;
    s.group = group;
    s.name = name;
    s.members = members;
    s.memberCount = int(members.size());
    return s;
}

protocol::RoomEvent groupEvent(
    qint64 room, qint64 seq, EventKind kind, const QString &sender, const QString &user = {})
{
    protocol::RoomEvent e;
    e.id = room * 1000 + seq;
    e.room = room;
    e.seq = seq;
    e.timestamp = 1700000000000 + seq;
    e.kind = kind;
    e.sender = sender;
    e.user = user;
    return e;
}

struct ScriptedApp
{
    ScriptedApp()
        : settingsFile(dir.path() + u"/settings.ini"_s, QSettings::IniFormat)
        , settings(&settingsFile)
    {
        client::SessionOptions options;
        options.dataDir = dir.path();
        options.useKeychain = false;
        options.backoffInitialMs = 60000;
        options.backoffMaxMs = 60000;
        connection = new ScriptedConnection;
        session = std::make_unique<client::Session>(options, &settings, connection);
    }

    /*! \brief bob signs in, in Crew, Trip and a direct room with ana, and goes live. */
    void signInAndGoLive()
    {
        session->account()->signIn(u"ws://scripted.invalid"_s, u"bob"_s, u"password-123"_s, false);
        protocol::Hello hello;
        hello.features = {protocol::features::Groups};
        connection->acceptHello(hello);
        protocol::SignedIn signedIn;
        signedIn.user = u"bob"_s;
        signedIn.token = u"token-1"_s;
        signedIn.rooms = {
            conversation(Crew, u"ana, cy"_s, {u"ana"_s, u"bob"_s, u"cy"_s}, true),
            conversation(Trip, u"Trip"_s, {u"ana"_s, u"bob"_s}, true),
            conversation(Direct, u"ana"_s, {u"ana"_s, u"bob"_s}, false),
        };
        QVERIFY(connection->reply(RequestType::Login, signedIn.toJson()));
        protocol::SyncResult sync;
        for (const auto &room : std::as_const(signedIn.rooms))
            sync.rooms.append({room, {}, false, 0});
        QVERIFY(connection->reply(RequestType::Sync, sync.toJson()));
        QCOMPARE(session->connectionState(), ConnectionState::Live);
    }

    QVariant roomData(qint64 room, RoomListModel::Role role) const
    {
        RoomListModel *rooms = session->rooms();
        return rooms->data(rooms->index(rooms->rowOf(room)), role);
    }

    QTemporaryDir dir;
    QSettings settingsFile;
    client::AppSettings settings;
    ScriptedConnection *connection; // owned by the session
    std::unique_ptr<client::Session> session;
};

QStringList lines(const client::TimelineModel *tl)
{
    QStringList out;
    for (int row = 0; row < tl->rowCount(); ++row)
        out.append(tl->data(tl->index(row), client::TimelineModel::TextRole).toString());
    return out;
}

} // namespace

class TestGroupsClient : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void groupsAreToldFromDirectRooms()
    {
        ScriptedApp app;
        app.signInAndGoLive();
        if (QTest::currentTestFailed())
            return;
        QAbstractItemModelTester tester(
            app.session->rooms(), QAbstractItemModelTester::FailureReportingMode::QtTest);
        QVERIFY(app.roomData(Crew, RoomListModel::IsGroupRole).toBool());
        QVERIFY(app.roomData(Crew, RoomListModel::IsDirectRole).toBool());
        QVERIFY(!app.roomData(Direct, RoomListModel::IsGroupRole).toBool());
        // A screen reader hears a group as one, and a 1:1 room as the person.
        QCOMPARE(app.roomData(Crew, RoomListModel::AccessibleTextRole).toString(),
            u"ana, cy, group conversation"_s);
        QCOMPARE(app.roomData(Direct, RoomListModel::AccessibleTextRole).toString(), u"ana"_s);
        QCOMPARE(app.roomData(Crew, RoomListModel::MembersRole).toStringList(),
            QStringList({u"ana"_s, u"bob"_s, u"cy"_s}));
        client::CurrentRoom *room = app.session->currentRoom();
        room->select(Crew);
        QVERIFY(room->group() && room->direct());
        room->select(Direct);
        QVERIFY(!room->group() && room->direct());
    }

    void signingOutForgetsThatGroupsAreOffered()
    {
        ScriptedApp app;
        app.signInAndGoLive();
        if (QTest::currentTestFailed())
            return;
        client::RoomActions *actions = app.session->roomActions();
        QVERIFY(actions->groupsAvailable());
        QSignalSpy changed(actions, &client::RoomActions::groupsAvailableChanged);
        app.session->account()->signOut();
        // The next account's server may not offer groups: until its hello says so, none.
        QVERIFY(!actions->groupsAvailable());
        QCOMPARE(changed.size(), 1);
    }

    void addEventMakesAMemberAndRenamesAnUnnamedGroup()
    {
        ScriptedApp app;
        app.signInAndGoLive();
        if (QTest::currentTestFailed())
            return;
        QAbstractItemModelTester tester(
            app.session->rooms(), QAbstractItemModelTester::FailureReportingMode::QtTest);
        client::CurrentRoom *room = app.session->currentRoom();
        room->select(Crew);
        QVERIFY(app.connection->reply(RequestType::Members,
            protocol::MemberList {
                {{u"ana"_s, true, {}, {}}, {u"bob"_s, true, {}, {}}, {u"cy"_s, false, {}, {}}}}
                .toJson()));
        client::MemberListModel *members = app.session->members();
        QCOMPARE(members->rowCount(), 3);
        QCOMPARE(app.connection->waiting(RequestType::Members), 0);
        QSignalSpy info(room, &client::CurrentRoom::infoChanged);

        app.connection->push(
            protocol::frames::event(groupEvent(Crew, 4, EventKind::Add, u"ana"_s, u"Dee"_s)));
        QTRY_COMPARE(members->rowCount(), 4);
        QVERIFY(members->contains(u"dee"_s));
        // The event does not say whether dee is online: the list is asked again.
        QCOMPARE(app.connection->waiting(RequestType::Members), 1);
        QCOMPARE(app.roomData(Crew, RoomListModel::NameRole).toString(), u"ana, cy, Dee"_s);
        QCOMPARE(app.roomData(Crew, RoomListModel::MemberCountRole).toInt(), 4);
        QCOMPARE(app.roomData(Crew, RoomListModel::MembersRole).toStringList(),
            QStringList({u"ana"_s, u"bob"_s, u"cy"_s, u"Dee"_s}));
        QCOMPARE(room->name(), u"ana, cy, Dee"_s);
        QVERIFY(!info.isEmpty());
        QCOMPARE(lines(room->timeline()), QStringList {u"ana added Dee"_s});

        // The summary that names dee came first on some connection: the event adds nobody.
        auto summary
            = conversation(Crew, u"ana, cy, Dee"_s, {u"ana"_s, u"bob"_s, u"cy"_s, u"Dee"_s}, true);
        summary.lastSeq = 5;
        app.connection->push(protocol::frames::room(summary));
        app.connection->push(
            protocol::frames::event(groupEvent(Crew, 5, EventKind::Add, u"cy"_s, u"dee"_s)));
        QTRY_COMPARE(lines(room->timeline()).size(), 2);
        QCOMPARE(app.roomData(Crew, RoomListModel::MemberCountRole).toInt(), 4);
        QCOMPARE(members->rowCount(), 4);

        // A leave takes one out, and the name follows again.
        app.connection->push(
            protocol::frames::event(groupEvent(Crew, 6, EventKind::Leave, u"cy"_s)));
        QTRY_COMPARE(app.roomData(Crew, RoomListModel::NameRole).toString(), u"ana, Dee"_s);
        QCOMPARE(app.roomData(Crew, RoomListModel::MemberCountRole).toInt(), 3);
        QCOMPARE(members->rowCount(), 3);
        QVERIFY(!members->contains(u"cy"_s));
    }

    void aNamedGroupKeepsItsName()
    {
        ScriptedApp app;
        app.signInAndGoLive();
        if (QTest::currentTestFailed())
            return;
        app.connection->push(
            protocol::frames::event(groupEvent(Trip, 3, EventKind::Add, u"ana"_s, u"cy"_s)));
        QTRY_COMPARE(app.roomData(Trip, RoomListModel::MemberCountRole).toInt(), 3);
        QCOMPARE(app.roomData(Trip, RoomListModel::NameRole).toString(), u"Trip"_s);
        QCOMPARE(app.roomData(Trip, RoomListModel::MembersRole).toStringList(),
            QStringList({u"ana"_s, u"bob"_s, u"cy"_s}));
    }

    void aRoomPushListsAGroupTheUserWasAddedTo()
    {
        ScriptedApp app;
        app.signInAndGoLive();
        if (QTest::currentTestFailed())
            return;
        QCOMPARE(app.session->rooms()->rowCount(), 3);
        app.connection->push(protocol::frames::room(
            conversation(9, u"ana, cy, dee"_s, {u"ana"_s, u"bob"_s, u"cy"_s, u"dee"_s}, true)));
        QTRY_VERIFY(app.session->rooms()->contains(9));
        QVERIFY(app.roomData(9, RoomListModel::IsGroupRole).toBool());
        QCOMPARE(app.roomData(9, RoomListModel::NameRole).toString(), u"ana, cy, dee"_s);
    }

    void openGroupSendsTheOthersAndOpensTheRoom()
    {
        ScriptedApp app;
        app.signInAndGoLive();
        if (QTest::currentTestFailed())
            return;
        client::RoomActions *actions = app.session->roomActions();
        QSignalSpy opened(actions, &client::RoomActions::roomOpened);
        QSignalSpy groupOpened(actions, &client::RoomActions::groupOpened);
        QSignalSpy failed(actions, &client::RoomActions::groupFailed);
        QSignalSpy toasted(actions, &client::RoomActions::actionFailed);
        actions->setGroupFormShown(true);

        // Nobody chosen (blanks and doubles do not count): refused here, nothing sent.
        actions->openGroup({u" "_s});
        QCOMPARE(failed.size(), 1);
        QCOMPARE(app.connection->waiting(RequestType::OpenGroup), 0);

        actions->openGroup({u"cy "_s, u"Dee"_s, u"cy"_s}, u" Plans "_s);
        const auto *sent = app.connection->firstWaiting(RequestType::OpenGroup);
        QVERIFY(sent);
        QCOMPARE(sent->fields.value(u"users"_s).toArray().toVariantList(),
            QVariantList({u"cy"_s, u"Dee"_s}));
        QCOMPARE(sent->fields.value(u"name"_s).toString(), u"Plans"_s);
        QVERIFY(app.connection->reply(RequestType::OpenGroup,
            protocol::RoomResult {conversation(11, u"Plans"_s, {u"bob"_s, u"cy"_s, u"Dee"_s}, true)}
                .toJson()));
        QCOMPARE(opened.size(), 1);
        QCOMPARE(opened.first().first().toLongLong(), 11);
        QCOMPARE(groupOpened.size(), 1);
        QCOMPARE(groupOpened.first().first().toLongLong(), 11);
        QVERIFY(app.roomData(11, RoomListModel::IsGroupRole).toBool());
        // Another room opened (a direct one) is not the group the dialog waits for.
        actions->openDirect(u"ana"_s);
        QVERIFY(app.connection->reply(RequestType::OpenDirect,
            protocol::RoomResult {conversation(Direct, u"ana"_s, {u"ana"_s, u"bob"_s}, false)}
                .toJson()));
        QCOMPARE(opened.size(), 2);
        QCOMPARE(groupOpened.size(), 1);
        opened.clear();

        actions->openGroup({u"nobody"_s});
        QVERIFY(app.connection->replyError(RequestType::OpenGroup, protocol::ErrorCode::NotFound));
        QCOMPARE(failed.size(), 2);
        QCOMPARE(failed.last().first().toString(), u"There is no user of that name."_s);
        QCOMPARE(opened.size(), 0);
        QCOMPARE(toasted.size(), 0);

        // The dialog closed before the answer: the failure is told to the window instead.
        actions->openGroup({u"nobody"_s});
        actions->setGroupFormShown(false);
        QVERIFY(app.connection->replyError(RequestType::OpenGroup, protocol::ErrorCode::NotFound));
        QCOMPARE(failed.size(), 2);
        QCOMPARE(toasted.size(), 1);
        QCOMPARE(toasted.first().first().toString(), u"There is no user of that name."_s);
    }

    void addToGroupSaysWhatHappened()
    {
        ScriptedApp app;
        app.signInAndGoLive();
        if (QTest::currentTestFailed())
            return;
        client::RoomActions *actions = app.session->roomActions();
        QSignalSpy added(actions, &client::RoomActions::addedToGroup);
        QSignalSpy failed(actions, &client::RoomActions::groupFailed);
        actions->setGroupFormShown(true);
        actions->addToGroup(Crew, u"dee"_s);
        const auto *sent = app.connection->firstWaiting(RequestType::AddToGroup);
        QVERIFY(sent);
        QCOMPARE(sent->fields.value(u"room"_s).toInteger(), Crew);
        QCOMPARE(sent->fields.value(u"user"_s).toString(), u"dee"_s);
        QVERIFY(app.connection->reply(RequestType::AddToGroup, {{u"seq"_s, 4}}));
        QCOMPARE(added.size(), 1);
        QCOMPARE(added.first().at(1).toString(), u"dee"_s);

        actions->addToGroup(Crew, u"ana"_s);
        QVERIFY(app.connection->replyError(
            RequestType::AddToGroup, protocol::ErrorCode::AlreadyMember));
        QCOMPARE(failed.size(), 1);
        QCOMPARE(failed.first().first().toString(),
            u"Could not add ana. That person is in the conversation already."_s);
        actions->addToGroup(Crew, u"eve"_s);
        QVERIFY(
            app.connection->replyError(RequestType::AddToGroup, protocol::ErrorCode::Forbidden));
        QCOMPARE(failed.last().first().toString(),
            u"Could not add eve. A group conversation has at most 10 people."_s);
        QCOMPARE(added.size(), 1);
    }
};

QTEST_MAIN(TestGroupsClient)
#include "tst_groupsclient.moc"
