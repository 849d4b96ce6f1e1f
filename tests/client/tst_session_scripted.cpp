// SPDX-License-Identifier: GPL-3.0-or-later
// The client core against a scripted server (scriptedconnection.h): the order of the
// connection state's phases through a sign-in, a drop and a resume, what follows them,
// and pushes for a room other than the open one reaching only their owners.
#include "models/memberlistmodel.h"
#include "models/roomlistmodel.h"
#include "models/timelinemodel.h"
#include "protocol/results.h"
#include "protocol/searchresults.h"
#include "scriptedconnection.h"
#include "session/messageactions.h"
#include "session/roomactions.h"
#include "session/session.h"
#include "session/syncengine.h"
#include "settings/appsettings.h"

#include <QSettings>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QtTest>

using namespace Qt::StringLiterals;
using namespace confab;
using client::ConnectionState;
using protocol::RequestType;
using test::ScriptedConnection;

namespace {

constexpr qint64 Lobby = 1;
constexpr qint64 Other = 2;

protocol::RoomSummary summary(qint64 id, const QString &name, qint64 lastSeq)
{
    protocol::RoomSummary s;
    s.id = id;
    s.name = name;
    s.lastSeq = lastSeq;
    s.memberCount = 2;
    return s;
}

protocol::RoomEvent message(qint64 room, qint64 seq, const QString &sender, const QString &text)
{
    protocol::RoomEvent e;
    e.id = room * 1000 + seq;
    e.room = room;
    e.seq = seq;
    e.timestamp = 1700000000000 + seq;
    e.sender = sender;
    e.text = text;
    return e;
}

/*! \brief One app over a scripted connection, and the phases its state went through. */
struct ScriptedApp
{
    ScriptedApp()
        : settingsFile(dir.path() + u"/settings.ini"_s, QSettings::IniFormat)
        , settings(&settingsFile)
    {
        client::SessionOptions options;
        options.dataDir = dir.path();
        options.useKeychain = false;
        options.backoffInitialMs = 60000; // the test reconnects with retryNow()
        options.backoffMaxMs = 60000;
        connection = new ScriptedConnection;
        session = std::make_unique<client::Session>(options, &settings, connection);
        QObject::connect(session->account(), &client::Account::connectionStateChanged,
            [this] { phases.append(session->connectionState()); });
    }

    /*! \brief Signs in as ana, who is in Lobby and Other, and goes live. */
    void signInAndGoLive(const protocol::Hello &hello = {})
    {
        session->account()->signIn(u"ws://scripted.invalid"_s, u"ana"_s, u"password-123"_s, false);
        QCOMPARE(session->account()->status(), client::Account::SigningIn);
        QCOMPARE(connection->opens, 1);
        connection->acceptHello(hello);
        QCOMPARE(connection->sentTypes(), QList {RequestType::Login});
        protocol::SignedIn signedIn;
        signedIn.user = u"ana"_s;
        signedIn.token = u"token-1"_s;
        signedIn.rooms = {summary(Lobby, u"lobby"_s, 0), summary(Other, u"other"_s, 0)};
        QVERIFY(connection->reply(RequestType::Login, signedIn.toJson()));
        QCOMPARE(session->account()->status(), client::Account::SignedIn);
        QCOMPARE(connection->waiting(RequestType::Sync), 1);
        QCOMPARE(session->connectionState(), ConnectionState::Resuming);
    }

    QTemporaryDir dir;
    QSettings settingsFile;
    client::AppSettings settings;
    ScriptedConnection *connection; // owned by the session
    std::unique_ptr<client::Session> session;
    QList<ConnectionState::Phase> phases;
};

int deliveryOf(const client::TimelineModel *tl, const QString &text)
{
    for (int row = 0; row < tl->rowCount(); ++row) {
        if (tl->data(tl->index(row), client::TimelineModel::TextRole).toString() == text)
            return tl->data(tl->index(row), client::TimelineModel::DeliveryRole).toInt();
    }
    return -1;
}

} // namespace

class TestSessionScripted : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    // Issue 11 item 2: the client adapts to what the server announces. Without
    // `directory_push` (a server from before capabilities) the open directory is listed
    // again and again; with it, once, and pushes keep it current.
    void directoryIsPolledOnlyWhereTheServerDoesNotPushIt_data()
    {
        QTest::addColumn<bool>("pushes");
        QTest::newRow("directory_push") << true;
        QTest::newRow("no capabilities") << false;
    }

    void directoryIsPolledOnlyWhereTheServerDoesNotPushIt()
    {
        QFETCH(bool, pushes);
        ScriptedApp app;
        protocol::Hello hello;
        if (pushes)
            hello.features = {protocol::features::DirectoryPush};
        app.signInAndGoLive(hello);
        if (QTest::currentTestFailed())
            return;
        client::RoomActions *actions = app.session->roomActions();
        actions->setDirectoryPollInterval(20);
        const auto listings
            = [&] { return int(app.connection->sentTypes().count(RequestType::ListRooms)); };
        actions->setDirectoryOpen(true);
        QCOMPARE(listings(), 1);
        QCOMPARE(actions->isPollingDirectory(), !pushes);
        QTest::qWait(200);
        if (pushes)
            QCOMPARE(listings(), 1);
        else
            QVERIFY2(listings() >= 3, qPrintable(QString::number(listings())));
        actions->setDirectoryOpen(false);
        QVERIFY(!actions->isPollingDirectory());
        const int closed = listings();
        QTest::qWait(100);
        QCOMPARE(listings(), closed);
    }

    void resumeStateTransitions()
    {
        ScriptedApp app;
        app.signInAndGoLive();
        if (QTest::currentTestFailed())
            return;
        client::CurrentRoom *room = app.session->currentRoom();
        room->select(Lobby);
        QCOMPARE(room->roomId(), Lobby);

        // An event before the sync reply is held for it (§10), then applied.
        app.connection->push(protocol::frames::event(message(Lobby, 1, u"bob"_s, u"early"_s)));
        QCOMPARE(room->timeline()->rowCount(), 0);
        protocol::SyncResult sync;
        sync.rooms = {{summary(Lobby, u"lobby"_s, 1), {}, false, 0},
            {summary(Other, u"other"_s, 0), {}, false, 0}};
        QVERIFY(app.connection->reply(RequestType::Sync, sync.toJson()));
        QCOMPARE(app.session->connectionState(), ConnectionState::Live);
        QCOMPARE(room->timeline()->rowCount(), 1);
        // Going live asks for the open room's members (RoomActions follows the state).
        QCOMPARE(app.connection->waiting(RequestType::Members), 1);

        // The link drops: offline, a reconnect is scheduled, and a message written now waits.
        app.connection->drop();
        QCOMPARE(app.session->connectionState(), ConnectionState::Offline);
        QVERIFY(app.session->account()->reconnectInSeconds() > 0);
        room->sendMessage(u"written offline"_s);
        QCOMPARE(deliveryOf(room->timeline(), u"written offline"_s),
            int(client::TimelineModel::Sending));

        // Reconnecting resumes: authenticate and sync pipelined, nothing else until live.
        app.session->account()->retryNow();
        QCOMPARE(app.session->connectionState(), ConnectionState::Resuming);
        QCOMPARE(app.connection->opens, 2);
        const int before = int(app.connection->sentTypes().size());
        app.connection->acceptHello();
        QCOMPARE(app.connection->sentTypes().mid(before),
            (QList {RequestType::Authenticate, RequestType::Sync}));
        protocol::SignedIn again;
        again.user = u"ana"_s;
        QVERIFY(app.connection->reply(RequestType::Authenticate, again.toJson()));
        QCOMPARE(app.connection->waiting(RequestType::Send), 0);
        QCOMPARE(app.session->connectionState(), ConnectionState::Resuming);

        QVERIFY(app.connection->reply(RequestType::Sync, sync.toJson()));
        QCOMPARE(app.session->connectionState(), ConnectionState::Live);
        // The outbox followed the state live and sent what waited.
        QCOMPARE(app.connection->waiting(RequestType::Send), 1);
        protocol::SendAck ack;
        ack.room = Lobby;
        ack.seq = 2;
        ack.timestamp = 1700000000002;
        QVERIFY(app.connection->reply(RequestType::Send, ack.toJson()));
        QCOMPARE(
            deliveryOf(room->timeline(), u"written offline"_s), int(client::TimelineModel::Sent));

        QCOMPARE(app.phases,
            (QList {ConnectionState::Resuming, ConnectionState::Live, ConnectionState::Offline,
                ConnectionState::Resuming, ConnectionState::Live}));

        // Signing out ends it all in one teardown: offline, signed out, nothing shown.
        app.session->account()->signOut();
        QCOMPARE(app.session->account()->status(), client::Account::SignedOut);
        QCOMPARE(app.session->connectionState(), ConnectionState::Offline);
        QCOMPARE(room->roomId(), 0);
        QCOMPARE(app.session->rooms()->rowCount(), 0);
    }

    // A mute may last for ever: a send refused with `muted` fails at once, with its reason,
    // instead of being resent every few seconds (§17.4).
    void mutedSendFailsAtOnce()
    {
        ScriptedApp app;
        app.signInAndGoLive();
        if (QTest::currentTestFailed())
            return;
        client::CurrentRoom *room = app.session->currentRoom();
        room->select(Lobby);
        protocol::SyncResult sync;
        sync.rooms = {{summary(Lobby, u"lobby"_s, 0), {}, false, 0}};
        QVERIFY(app.connection->reply(RequestType::Sync, sync.toJson()));
        QCOMPARE(app.session->connectionState(), ConnectionState::Live);
        room->sendMessage(u"let me speak"_s);
        QCOMPARE(app.connection->waiting(RequestType::Send), 1);
        QVERIFY(app.connection->replyError(RequestType::Send, protocol::ErrorCode::Muted));
        QCOMPARE(
            deliveryOf(room->timeline(), u"let me speak"_s), int(client::TimelineModel::Failed));
        QCOMPARE(app.connection->waiting(RequestType::Send), 0);
    }

    void pushesForAnotherRoomReachOnlyTheirOwners()
    {
        ScriptedApp app;
        app.signInAndGoLive();
        if (QTest::currentTestFailed())
            return;
        client::CurrentRoom *room = app.session->currentRoom();
        room->select(Lobby);
        protocol::SyncResult sync;
        sync.rooms = {{summary(Lobby, u"lobby"_s, 0), {}, false, 0},
            {summary(Other, u"other"_s, 0), {}, false, 0}};
        QVERIFY(app.connection->reply(RequestType::Sync, sync.toJson()));
        QCOMPARE(app.session->connectionState(), ConnectionState::Live);
        protocol::MemberList members;
        members.members = {{u"ana"_s, true, {}, std::nullopt}, {u"bob"_s, false, {}, std::nullopt}};
        QVERIFY(app.connection->reply(RequestType::Members, members.toJson()));
        QCOMPARE(app.session->members()->rowCount(), 2);
        QCOMPARE(app.session->members()->onlineCount(), 1);

        QSignalSpy roomChanged(room, &client::CurrentRoom::roomChanged);
        QSignalSpy typingChanged(room, &client::CurrentRoom::typingTextChanged);
        // A message in the other room: its unread count, not the open room's timeline.
        app.connection->push(protocol::frames::event(message(Other, 1, u"bob"_s, u"elsewhere"_s)));
        QTRY_COMPARE(app.session->rooms()->room(Other)->unread, 1);
        QCOMPARE(room->roomId(), Lobby);
        QCOMPARE(room->timeline()->rowCount(), 0);
        QCOMPARE(app.session->rooms()->room(Lobby)->unread, 0);
        QCOMPARE(roomChanged.size(), 0);

        // Typing in the other room is not shown here; in this room it is.
        app.connection->push(protocol::frames::typing(Other, u"bob"_s, true));
        QCOMPARE(room->typingText(), QString());
        QCOMPARE(typingChanged.size(), 0);
        app.connection->push(protocol::frames::typing(Lobby, u"bob"_s, true));
        QCOMPARE(room->typingText(), u"bob is typing…"_s);

        // Presence reaches the member list of the open room.
        app.connection->push(protocol::frames::presence({u"bob"_s}, {}));
        QCOMPARE(app.session->members()->onlineCount(), 2);

        // Events and the unread push that counts them, in one burst: the push is the last
        // word (§9.3), because the events held for coalescing (the second of two in a row
        // is) are applied before any other push is routed, never on top of its counts.
        app.connection->push(protocol::frames::event(message(Other, 2, u"bob"_s, u"one"_s)));
        app.connection->push(protocol::frames::event(message(Other, 3, u"bob"_s, u"two"_s)));
        protocol::ReadState read;
        read.room = Other;
        read.readSeq = 1;
        read.unread = 2; // seq 2 and 3
        app.connection->push(protocol::frames::unread(read));
        QCOMPARE(app.session->rooms()->room(Other)->unread, 2);
        QTest::qWait(4 * client::SyncEngine::MaxLiveDelayMs);
        QCOMPARE(app.session->rooms()->room(Other)->unread, 2);
        QCOMPARE(app.session->rooms()->room(Other)->readSeq, 1);
    }

    // Issue 12: links to messages name this server; a jump to a message far above what is
    // held loads it with context and the events between, so the timeline stays one run.
    void messageLinksAndAJumpOverAGap()
    {
        ScriptedApp app;
        protocol::Hello hello;
        hello.features = {protocol::features::Conversations};
        app.signInAndGoLive(hello);
        if (QTest::currentTestFailed())
            return;
        client::CurrentRoom *room = app.session->currentRoom();
        room->select(Lobby);
        // All read: the room opens at its newest rows, no landing pages older ones.
        protocol::RoomSummary lobby = summary(Lobby, u"lobby"_s, 302);
        lobby.readSeq = 302;
        protocol::SyncResult sync;
        sync.rooms
            = {{lobby,
                   {message(Lobby, 300, u"bob"_s, u"a"_s), message(Lobby, 301, u"bob"_s, u"b"_s),
                       message(Lobby, 302, u"bob"_s, u"c"_s)},
                   false, 0},
                {summary(Other, u"other"_s, 0), {}, false, 0}};
        QVERIFY(app.connection->reply(RequestType::Sync, sync.toJson()));
        QCOMPARE(app.session->connectionState(), ConnectionState::Live);
        client::MessageActions *actions = app.session->messageActions();
        QVERIFY(actions->available());
        client::TimelineModel *tl = room->timeline();
        QCOMPARE(tl->lowestSeq(), 300);
        const auto page = [&](qint64 from, qint64 to) {
            protocol::HistoryPage p;
            p.room = Lobby;
            for (qint64 seq = from; seq <= to; ++seq)
                p.events.append(message(Lobby, seq, u"bob"_s, u"m%1"_s.arg(seq)));
            p.hasMore = true;
            return p.toJson();
        };
        // Less than a screenful after the resume: an older page is asked for first.
        QCOMPARE(app.connection->waiting(RequestType::History), 1);
        QVERIFY(app.connection->reply(RequestType::History, page(250, 299)));
        QCOMPARE(tl->lowestSeq(), 250);

        QCOMPARE(actions->linkFor(Lobby, 7), u"confab://scripted.invalid/room/1/7"_s);
        QSignalSpy failed(actions, &client::MessageActions::actionFailed);
        QVERIFY(!actions->openLink(u"confab://elsewhere.example/room/1/7"_s));
        QVERIFY(!actions->openLink(u"https://scripted.invalid/room/1/7"_s));
        QVERIFY(!actions->openLink(u"confab://scripted.invalid/room/x/7"_s));
        QCOMPARE(failed.count(), 3);

        // Held: it lands at once.
        QSignalSpy ready(actions, &client::MessageActions::jumpReady);
        const int sentBefore = int(app.connection->sentTypes().size());
        QVERIFY(actions->openLink(u"confab://scripted.invalid/room/1/301"_s));
        QCOMPARE(ready.count(), 1);
        QCOMPARE(actions->highlightSeq(), 301.0);
        QCOMPARE(app.connection->sentTypes().size(), sentBefore);

        // Far above: context, then history after it up to the held rows.
        actions->jumpTo(Lobby, 10);
        QVERIFY(actions->jumping());
        QCOMPARE(app.connection->waiting(RequestType::Context), 1);
        protocol::ContextPage context;
        context.room = Lobby;
        for (qint64 seq = 5; seq <= 15; ++seq)
            context.events.append(message(Lobby, seq, u"bob"_s, u"m%1"_s.arg(seq)));
        context.hasMoreBefore = true;
        context.hasMoreAfter = true;
        QVERIFY(app.connection->reply(RequestType::Context, context.toJson()));
        QCOMPARE(tl->rowForSeq(10), -1); // nothing is shown before the gap is filled
        QCOMPARE(app.connection->waiting(RequestType::History), 1);
        QVERIFY(app.connection->reply(RequestType::History, page(16, 215)));
        QCOMPARE(app.connection->waiting(RequestType::History), 1);
        // The last page reaches into what is held: the overlap is not taken twice.
        QVERIFY(app.connection->reply(RequestType::History, page(216, 302)));
        QCOMPARE(app.connection->waiting(RequestType::History), 0);
        QCOMPARE(ready.count(), 2);
        QCOMPARE(ready.last().first().toDouble(), 10.0);
        QVERIFY(!actions->jumping());
        QCOMPARE(actions->highlightSeq(), 10.0);
        QCOMPARE(tl->lowestSeq(), 5);
        QCOMPARE(tl->rowCount(), 302 - 5 + 1);
        QVERIFY(tl->hasMoreBefore());
        QCOMPARE(failed.count(), 3);
    }
};

QTEST_MAIN(TestSessionScripted)
#include "tst_session_scripted.moc"
