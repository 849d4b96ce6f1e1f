// SPDX-License-Identifier: GPL-3.0-or-later
// The app's side of teams (§17) against a scripted server: invitations from the sign-in
// result and the pushes, accept and decline; the user's own kick removing the room as a
// leave does; settings and role events in the room list; roles, mutes and who may act on
// whom in the member list; and the timeline's lines for the team events.
#include "models/directorymodel.h"
#include "models/invitationsmodel.h"
#include "models/memberlistmodel.h"
#include "models/roomlistmodel.h"
#include "models/timelinemodel.h"
#include "protocol/results.h"
#include "scriptedconnection.h"
#include "session/moderation.h"
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
using protocol::EventKind;
using protocol::RequestType;
using test::ScriptedConnection;

namespace {

constexpr qint64 Lobby = 1;
constexpr qint64 Design = 2;
constexpr qint64 Secret = 7;

protocol::RoomSummary channel(qint64 id, const QString &name, const QString &role)
{
    protocol::RoomSummary s;
    s.id = id;
    s.name = name;
    s.memberCount = 3;
    s.role = role;
    s.invitesBy = u"members"_s;
    return s;
}

protocol::Invitation invitation(qint64 room, const QString &name, const QString &by)
{
    protocol::Invitation i;
    i.room = room;
    i.name = name;
    i.by = by;
    i.isPrivate = true;
    i.timestamp = 1795450012308;
    return i;
}

protocol::RoomEvent teamEvent(
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

    /*! \brief bob signs in (a member of lobby, moderator of design) and goes live. */
    void signInAndGoLive(const QList<protocol::Invitation> &invites, bool admin = false)
    {
        session->account()->signIn(u"ws://scripted.invalid"_s, u"bob"_s, u"password-123"_s, false);
        connection->acceptHello();
        protocol::SignedIn signedIn;
        signedIn.user = u"bob"_s;
        signedIn.token = u"token-1"_s;
        signedIn.hasTeams = true;
        signedIn.admin = admin;
        signedIn.invites = invites;
        signedIn.rooms = {
            channel(Lobby, u"lobby"_s, u"member"_s), channel(Design, u"design"_s, u"moderator"_s)};
        QVERIFY(connection->reply(RequestType::Login, signedIn.toJson()));
        protocol::SyncResult sync;
        sync.rooms = {{signedIn.rooms.at(0), {}, false, 0}, {signedIn.rooms.at(1), {}, false, 0}};
        QVERIFY(connection->reply(RequestType::Sync, sync.toJson()));
        QCOMPARE(session->connectionState(), ConnectionState::Live);
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

class TestTeamsClient : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void invitationsFollowSignInPushesAcceptAndDecline()
    {
        ScriptedApp app;
        client::InvitationsModel *invites = app.session->invitations();
        QAbstractItemModelTester tester(
            invites, QAbstractItemModelTester::FailureReportingMode::QtTest);
        app.signInAndGoLive({invitation(Secret, u"secret"_s, u"ana"_s)});
        if (QTest::currentTestFailed())
            return;
        QCOMPARE(invites->rowCount(), 1);
        QCOMPARE(invites->data(invites->index(0), client::InvitationsModel::InvitedByRole),
            QVariant(u"ana"_s));
        QCOMPARE(invites->data(invites->index(0), client::InvitationsModel::AccessibleTextRole),
            QVariant(u"ana invited you to secret"_s));

        // An `invited` push adds one; the same room again replaces it, never twice.
        app.connection->push(protocol::frames::invited(invitation(9, u"ops"_s, u"cy"_s)));
        app.connection->push(protocol::frames::invited(invitation(9, u"ops"_s, u"dee"_s)));
        QCOMPARE(invites->rowCount(), 2);
        QCOMPARE(invites->data(invites->index(1), client::InvitationsModel::InvitedByRole),
            QVariant(u"dee"_s));
        // Ended elsewhere: `invite_removed`.
        app.connection->push(protocol::frames::inviteRemoved(9));
        QCOMPARE(invites->rowCount(), 1);

        // Decline: decline_invite, and the row goes with its result.
        app.connection->push(protocol::frames::invited(invitation(9, u"ops"_s, u"cy"_s)));
        app.session->moderation()->declineInvite(9);
        QCOMPARE(app.connection->waiting(RequestType::DeclineInvite), 1);
        QCOMPARE(invites->rowCount(), 2);
        QVERIFY(app.connection->reply(RequestType::DeclineInvite));
        QCOMPARE(invites->rowCount(), 1);

        // Accept: join; the room comes into the list and the invitation goes.
        QSignalSpy opened(app.session->roomActions(), &client::RoomActions::roomOpened);
        app.session->moderation()->acceptInvite(Secret);
        QCOMPARE(app.connection->waiting(RequestType::Join), 1);
        protocol::RoomResult joined;
        joined.room = channel(Secret, u"secret"_s, u"member"_s);
        joined.room.isPrivate = true;
        QVERIFY(app.connection->reply(RequestType::Join, joined.toJson()));
        QCOMPARE(opened.count(), 1);
        QCOMPARE(invites->rowCount(), 0);
        client::RoomListModel *rooms = app.session->rooms();
        const int row = rooms->rowOf(Secret);
        QVERIFY(row >= 0);
        QCOMPARE(
            rooms->data(rooms->index(row), client::RoomListModel::IsPrivateRole), QVariant(true));

        // A failed decline says why and keeps nothing it should not.
        app.connection->push(protocol::frames::invited(invitation(9, u"ops"_s, u"cy"_s)));
        QSignalSpy failed(app.session->moderation(), &client::Moderation::actionFailed);
        app.session->moderation()->declineInvite(9);
        QVERIFY(
            app.connection->replyError(RequestType::DeclineInvite, protocol::ErrorCode::Internal));
        QCOMPARE(failed.count(), 1);
        QCOMPARE(invites->rowCount(), 1);
    }

    void ownKickRemovesTheRoomAsALeaveDoes()
    {
        ScriptedApp app;
        app.signInAndGoLive({});
        if (QTest::currentTestFailed())
            return;
        client::CurrentRoom *room = app.session->currentRoom();
        room->select(Design);
        auto kick = teamEvent(Design, 1, EventKind::Kick, u"ana"_s, u"bob"_s);
        kick.reason = u"off topic"_s;
        app.connection->push(protocol::frames::event(kick));
        QTRY_VERIFY(!app.session->rooms()->contains(Design));
        QVERIFY(room->roomId() != Design);
        // Someone else's ban leaves the room in place and drops them from the members.
        room->select(Lobby);
        while (app.connection->waiting(RequestType::Members) > 1) // the rooms shown before
            QVERIFY(app.connection->reply(RequestType::Members));
        QVERIFY(app.connection->reply(RequestType::Members,
            protocol::MemberList {
                {{u"bob"_s, true, u"member"_s, {}}, {u"cy"_s, false, u"member"_s, {}}}}
                .toJson()));
        QCOMPARE(app.session->members()->rowCount(), 2);
        app.connection->push(
            protocol::frames::event(teamEvent(Lobby, 1, EventKind::Ban, u"ana"_s, u"cy"_s)));
        QTRY_COMPARE(app.session->members()->rowCount(), 1);
        QVERIFY(app.session->rooms()->contains(Lobby));
        QCOMPARE(lines(room->timeline()), QStringList {u"ana banned cy"_s});
    }

    void settingsAndRoleEventsChangeTheSummaryAndWhatTheUserMayDo()
    {
        ScriptedApp app;
        app.signInAndGoLive({});
        if (QTest::currentTestFailed())
            return;
        client::Moderation *mod = app.session->moderation();
        client::RoomListModel *rooms = app.session->rooms();
        app.session->currentRoom()->select(Lobby);
        QVERIFY(mod->canInvite());
        QVERIFY(!mod->canConfigure());

        auto settings = teamEvent(Lobby, 1, EventKind::Settings, u"ana"_s);
        settings.isPrivate = true;
        settings.invitesBy = u"moderators"_s;
        app.connection->push(protocol::frames::event(settings));
        QTRY_VERIFY(mod->isPrivate());
        const int row = rooms->rowOf(Lobby);
        QCOMPARE(rooms->data(rooms->index(row), client::RoomListModel::InvitesByRole),
            QVariant(u"moderators"_s));
        QVERIFY(!mod->canInvite()); // a member, and only moderators may invite now

        auto role = teamEvent(Lobby, 2, EventKind::Role, u"ana"_s, u"bob"_s);
        role.role = u"owner"_s;
        app.connection->push(protocol::frames::event(role));
        QTRY_VERIFY(mod->canConfigure());
        QVERIFY(mod->canInvite());
        QCOMPARE(rooms->data(rooms->index(rooms->rowOf(Lobby)), client::RoomListModel::OwnRoleRole),
            QVariant(u"owner"_s));
        QCOMPARE(lines(app.session->currentRoom()->timeline()),
            (QStringList {u"ana made the channel private; only moderators may invite"_s,
                u"ana made bob owner"_s}));

        // The cache keeps the three members for the next start.
        const auto cached = app.session->rooms()->room(Lobby);
        QVERIFY(cached);
        QCOMPARE(cached->role, u"owner"_s);
        QVERIFY(cached->isPrivate);

        // Requests go for the room they name (a dialog's, captured when it opened).
        mod->kick(Lobby, u"cy"_s, u" spam "_s);
        const auto *sent = app.connection->firstWaiting(RequestType::Kick);
        QVERIFY(sent);
        QCOMPARE(sent->fields.value(u"reason"_s).toString(), u"spam"_s);
        QCOMPARE(sent->fields.value(u"room"_s).toInteger(), Lobby);
        QSignalSpy failed(mod, &client::Moderation::actionFailed);
        QVERIFY(app.connection->replyError(RequestType::Kick, protocol::ErrorCode::Forbidden));
        QCOMPARE(failed.count(), 1);
        QCOMPARE(
            failed.at(0).at(0).toString(), u"Your role in this channel does not allow that."_s);
    }

    void memberRolesMutesAndRank()
    {
        ScriptedApp app;
        app.signInAndGoLive({});
        if (QTest::currentTestFailed())
            return;
        client::MemberListModel *members = app.session->members();
        QAbstractItemModelTester tester(
            members, QAbstractItemModelTester::FailureReportingMode::QtTest);
        app.session->currentRoom()->select(Design);
        const qint64 inAnHour = QDateTime::currentMSecsSinceEpoch() + 3600 * 1000;
        QVERIFY(app.connection->reply(RequestType::Members,
            protocol::MemberList {
                {{u"ana"_s, true, u"owner"_s, {}}, {u"bob"_s, true, u"moderator"_s, {}},
                    {u"cy"_s, true, u"member"_s, inAnHour}}}
                .toJson()));
        const auto value = [members](const QString &user, int role) {
            for (int row = 0; row < members->rowCount(); ++row) {
                if (members->data(members->index(row), client::MemberListModel::UserRole) == user)
                    return members->data(members->index(row), role);
            }
            return QVariant();
        };
        using M = client::MemberListModel;
        QCOMPARE(value(u"ana"_s, M::RoomRoleRole), QVariant(u"owner"_s));
        QCOMPARE(value(u"ana"_s, M::CanModerateRole), QVariant(false)); // outranks bob
        QCOMPARE(value(u"cy"_s, M::CanModerateRole), QVariant(true));
        QCOMPARE(value(u"cy"_s, M::CanSetRoleRole), QVariant(false)); // rank 1 < 2
        QCOMPARE(value(u"bob"_s, M::CanModerateRole), QVariant(false)); // never yourself
        QCOMPARE(value(u"cy"_s, M::MutedRole), QVariant(true));
        QVERIFY(!members->selfMuted());

        // bob is muted for an hour: the composer's text says until when.
        auto mute = teamEvent(Design, 1, EventKind::Mute, u"ana"_s, u"bob"_s);
        mute.until = inAnHour;
        mute.reason = u"calm down"_s;
        app.connection->push(protocol::frames::event(mute));
        QTRY_VERIFY(members->selfMuted());
        QVERIFY(members->selfMutedText().startsWith(u"You are muted until "_s));
        app.connection->push(
            protocol::frames::event(teamEvent(Design, 2, EventKind::Unmute, u"ana"_s, u"bob"_s)));
        QTRY_VERIFY(!members->selfMuted());
        QVERIFY(members->selfMutedText().isEmpty());

        // An admin outranks everyone in the channel.
        app.session->moderation()->setOwnAdmin(true);
        QCOMPARE(value(u"ana"_s, M::CanModerateRole), QVariant(true));
        QCOMPARE(value(u"ana"_s, M::CanSetRoleRole), QVariant(true));

        // A mute that has ended no longer counts, without any event.
        members->setClock([inAnHour] { return inAnHour + 1; });
        QCOMPARE(value(u"cy"_s, M::MutedRole), QVariant(false));

        const QStringList shown = lines(app.session->currentRoom()->timeline());
        QCOMPARE(shown.size(), 2);
        QVERIFY(shown.at(0).startsWith(u"ana muted bob until "_s));
        QVERIFY(shown.at(0).endsWith(u": calm down"_s));
        QCOMPARE(shown.at(1), u"ana unmuted bob"_s);

        // Members of a direct room have no role: an admin moderates nobody there (§17.1).
        app.session->currentRoom()->select(Lobby);
        QVERIFY(app.connection->reply(RequestType::Members,
            protocol::MemberList {{{u"bob"_s, true, {}, {}}, {u"dee"_s, true, {}, {}}}}.toJson()));
        QTRY_COMPARE(members->rowCount(), 2);
        QCOMPARE(value(u"dee"_s, M::CanModerateRole), QVariant(false));
        QCOMPARE(value(u"dee"_s, M::CanSetRoleRole), QVariant(false));
    }

    // A dialog opened on one room acts on it even when another room is open by the time
    // the user confirms; set_room sends only the fields that changed (§17.2).
    void requestsNameTheirRoomAndSetRoomOnlyTheChanges()
    {
        ScriptedApp app;
        app.signInAndGoLive({});
        if (QTest::currentTestFailed())
            return;
        client::Moderation *mod = app.session->moderation();
        app.session->currentRoom()->select(Lobby);
        mod->ban(Design, u"cy"_s, {}, 60);
        const auto *ban = app.connection->firstWaiting(RequestType::Ban);
        QVERIFY(ban);
        QCOMPARE(ban->fields.value(u"room"_s).toInteger(), Design);

        mod->setRoom(Design, QVariant(), u"moderators"_s);
        const auto *policy = app.connection->firstWaiting(RequestType::SetRoom);
        QVERIFY(policy);
        QCOMPARE(policy->fields.value(u"room"_s).toInteger(), Design);
        QVERIFY(!policy->fields.contains(u"private"_s));
        QCOMPARE(policy->fields.value(u"invitesBy"_s).toString(), u"moderators"_s);
        QVERIFY(app.connection->reply(RequestType::SetRoom, protocol::EventSeq {4}.toJson()));
        mod->setRoom(Design, QVariant(true), {});
        const auto *privacy = app.connection->firstWaiting(RequestType::SetRoom);
        QVERIFY(privacy);
        QCOMPARE(privacy->fields.value(u"private"_s).toBool(), true);
        QVERIFY(!privacy->fields.contains(u"invitesBy"_s));
        QVERIFY(app.connection->reply(RequestType::SetRoom, protocol::EventSeq {5}.toJson()));
        // Nothing changed: nothing goes, and the dialog may close.
        QSignalSpy done(mod, &client::Moderation::actionDone);
        mod->setRoom(Design, QVariant(), {});
        QCOMPARE(app.connection->waiting(RequestType::SetRoom), 0);
        QCOMPARE(done.count(), 1);
    }

    // A muted member is not offered Invite: the server would answer `muted` (§17.4).
    void mutedMemberMayNotInvite()
    {
        ScriptedApp app;
        app.signInAndGoLive({});
        if (QTest::currentTestFailed())
            return;
        client::Moderation *mod = app.session->moderation();
        app.session->currentRoom()->select(Lobby);
        QVERIFY(app.connection->reply(RequestType::Members,
            protocol::MemberList {
                {{u"ana"_s, true, u"owner"_s, {}}, {u"bob"_s, true, u"member"_s, {}}}}
                .toJson()));
        QTRY_COMPARE(app.session->members()->rowCount(), 2);
        QVERIFY(mod->canInvite());
        QSignalSpy standing(mod, &client::Moderation::standingChanged);
        app.connection->push(
            protocol::frames::event(teamEvent(Lobby, 1, EventKind::Mute, u"ana"_s, u"bob"_s)));
        QTRY_VERIFY(app.session->members()->selfMuted());
        QVERIFY(!mod->canInvite());
        QVERIFY(standing.count() > 0);
        app.connection->push(
            protocol::frames::event(teamEvent(Lobby, 2, EventKind::Unmute, u"ana"_s, u"bob"_s)));
        QTRY_VERIFY(mod->canInvite());
    }

    // A failed accept keeps the invitation (a ban, say, may end), unless it is gone:
    // not_found means it was withdrawn, and the card goes.
    void failedAcceptKeepsTheInvitationUnlessItIsGone()
    {
        ScriptedApp app;
        client::InvitationsModel *invites = app.session->invitations();
        app.signInAndGoLive(
            {invitation(Secret, u"secret"_s, u"ana"_s), invitation(9, u"ops"_s, u"cy"_s)});
        if (QTest::currentTestFailed())
            return;
        QSignalSpy moderationFailed(app.session->moderation(), &client::Moderation::actionFailed);
        QSignalSpy roomFailed(app.session->roomActions(), &client::RoomActions::actionFailed);
        app.session->moderation()->acceptInvite(Secret);
        QVERIFY(app.connection->replyError(RequestType::Join, protocol::ErrorCode::Banned));
        QCOMPARE(invites->rowCount(), 2);
        QCOMPARE(moderationFailed.count(), 1);
        QCOMPARE(moderationFailed.at(0).at(0).toString(), u"You are banned from this channel."_s);
        app.session->moderation()->acceptInvite(9);
        QVERIFY(app.connection->replyError(RequestType::Join, protocol::ErrorCode::NotFound));
        QCOMPARE(invites->rowCount(), 1);
        QVERIFY(!invites->contains(9));
        QCOMPARE(moderationFailed.count(), 2);
        QCOMPARE(moderationFailed.at(1).at(0).toString(), u"That invitation no longer exists."_s);
        QCOMPARE(roomFailed.count(), 0); // said once, not twice
    }

    // not_found means something else for each request; the sentence says which.
    void notFoundSaysWhatWasNotFound()
    {
        ScriptedApp app;
        app.signInAndGoLive({});
        if (QTest::currentTestFailed())
            return;
        client::Moderation *mod = app.session->moderation();
        QSignalSpy failed(mod, &client::Moderation::actionFailed);
        mod->invite(Lobby, u"nobody"_s);
        QVERIFY(app.connection->replyError(RequestType::Invite, protocol::ErrorCode::NotFound));
        mod->unban(Lobby, u"cy"_s);
        QVERIFY(app.connection->replyError(RequestType::Unban, protocol::ErrorCode::NotFound));
        QCOMPARE(failed.count(), 2);
        QCOMPARE(failed.at(0).at(0).toString(), u"There is no user of that name."_s);
        QCOMPARE(failed.at(1).at(0).toString(),
            u"That user is not banned from this channel, or the ban has already ended."_s);
    }

    // Someone else's kick or ban of a member lowers the open room's member count; of an
    // invitee (not in the member list) it does not.
    void othersRemovalLowersTheMemberCount()
    {
        ScriptedApp app;
        app.signInAndGoLive({});
        if (QTest::currentTestFailed())
            return;
        client::RoomListModel *rooms = app.session->rooms();
        app.session->currentRoom()->select(Lobby);
        QVERIFY(app.connection->reply(RequestType::Members,
            protocol::MemberList {
                {{u"ana"_s, true, u"owner"_s, {}}, {u"bob"_s, true, u"member"_s, {}},
                    {u"cy"_s, true, u"member"_s, {}}}}
                .toJson()));
        QTRY_COMPARE(app.session->members()->rowCount(), 3);
        const auto count = [rooms] {
            return rooms
                ->data(rooms->index(rooms->rowOf(Lobby)), client::RoomListModel::MemberCountRole)
                .toInt();
        };
        QCOMPARE(count(), 3);
        app.connection->push(
            protocol::frames::event(teamEvent(Lobby, 1, EventKind::Kick, u"ana"_s, u"cy"_s)));
        QTRY_COMPARE(app.session->members()->rowCount(), 2);
        QCOMPARE(count(), 2);
        app.connection->push(
            protocol::frames::event(teamEvent(Lobby, 2, EventKind::Ban, u"ana"_s, u"dee"_s)));
        QTRY_COMPARE(rooms->room(Lobby)->lastSeq, 2);
        QCOMPARE(count(), 2);
    }

    // Once left, a private channel goes from the open directory, as list_rooms would drop
    // it (§5.6); a public one stays, not joined.
    void leavingAPrivateChannelUnlistsIt()
    {
        ScriptedApp app;
        app.signInAndGoLive({});
        if (QTest::currentTestFailed())
            return;
        auto summary = channel(Secret, u"secret"_s, u"member"_s);
        summary.isPrivate = true;
        app.session->rooms()->upsert(summary);
        client::DirectoryModel *directory = app.session->directory();
        directory->setEntries(
            {{Lobby, u"lobby"_s, {}, 3, true, false}, {Secret, u"secret"_s, {}, 3, true, true}});
        QCOMPARE(directory->rowCount(), 2);
        app.connection->push(
            protocol::frames::event(teamEvent(Secret, 1, EventKind::Leave, u"bob"_s)));
        app.connection->push(
            protocol::frames::event(teamEvent(Lobby, 1, EventKind::Leave, u"bob"_s)));
        QTRY_VERIFY(!app.session->rooms()->contains(Lobby));
        QVERIFY(!app.session->rooms()->contains(Secret));
        QCOMPARE(directory->rowCount(), 1);
        QCOMPARE(
            directory->data(directory->index(0), client::DirectoryModel::RoomIdRole).toLongLong(),
            Lobby);
        QCOMPARE(directory->data(directory->index(0), client::DirectoryModel::JoinedRole),
            QVariant(false));
    }

    // Another member's timed mute ends on screen by itself: the row says so when it ends.
    void othersTimedMuteEndsOnScreen()
    {
        ScriptedApp app;
        app.signInAndGoLive({});
        if (QTest::currentTestFailed())
            return;
        client::MemberListModel *members = app.session->members();
        app.session->currentRoom()->select(Design);
        const qint64 soon = QDateTime::currentMSecsSinceEpoch() + 300;
        QVERIFY(app.connection->reply(RequestType::Members,
            protocol::MemberList {
                {{u"bob"_s, true, u"moderator"_s, {}}, {u"cy"_s, true, u"member"_s, soon}}}
                .toJson()));
        QTRY_COMPARE(members->rowCount(), 2);
        const auto cyMuted = [members] {
            for (int row = 0; row < members->rowCount(); ++row) {
                const QModelIndex i = members->index(row);
                if (members->data(i, client::MemberListModel::UserRole) == u"cy"_s)
                    return members->data(i, client::MemberListModel::MutedRole).toBool();
            }
            return false;
        };
        QVERIFY(cyMuted());
        QSignalSpy changed(members, &QAbstractItemModel::dataChanged);
        QTRY_VERIFY_WITH_TIMEOUT(
            [&] {
                for (const QList<QVariant> &args : std::as_const(changed)) {
                    if (args.at(2).value<QList<int>>().contains(client::MemberListModel::MutedRole))
                        return true;
                }
                return false;
            }(),
            3000);
        QVERIFY(!cyMuted());
    }
};

QTEST_GUILESS_MAIN(TestTeamsClient)
#include "tst_teamsclient.moc"
