// SPDX-License-Identifier: GPL-3.0-or-later
// Private channels, invitations, channel settings and roles (protocol §17.1–17.3) through
// real sockets on 127.0.0.1 over a real SQLite file: who sees a private channel, the
// invitation pushes on every device, and who may change settings and roles.
#include "clientpool.h"
#include "protocol/results.h"
#include "protocol/teamrequests.h"
#include "teamfixture.h"
#include "testclient.h"
#include "testserver.h"

#include <QJsonArray>
#include <QSqlDatabase>
#include <QSqlQuery>
#include <QtTest>
#include <memory>

using namespace Qt::StringLiterals;
using namespace confab;
using protocol::ErrorCode;
using protocol::EventKind;
using protocol::InvitePolicy;
using protocol::RoomEvent;
using protocol::RoomRole;
using protocol::ServerFrame;
using protocol::ServerFrameType;
namespace req = protocol::requests;
using test::createChannel;
using test::errorOf;
using test::seqOf;
using test::succeeded;

class TestInvitations : public QObject
{
    Q_OBJECT

private:
    test::TeamFixture m_team;

    static std::optional<protocol::DirectoryEntry> listed(test::TestClient *c, qint64 room)
    {
        const auto r = c->request(req::listRooms());
        const auto directory
            = succeeded(r) ? protocol::Directory::fromJson(r->data()) : std::nullopt;
        if (!directory)
            return protocol::DirectoryEntry {-1, {}, {}, 0, false, false};
        for (const auto &entry : directory->rooms) {
            if (entry.id == room)
                return entry;
        }
        return std::nullopt;
    }
    static QHash<QString, protocol::Member> members(test::TestClient *c, qint64 room)
    {
        QHash<QString, protocol::Member> byName;
        const auto r = c->request(req::members(room));
        const auto list = succeeded(r) ? protocol::MemberList::fromJson(r->data()) : std::nullopt;
        if (list) {
            for (const auto &m : list->members)
                byName.insert(m.user, m);
        }
        return byName;
    }
    static std::optional<RoomEvent> waitKind(test::TestClient *c, qint64 room, EventKind kind)
    {
        const auto frame = c->waitPush([&](const ServerFrame &f) {
            const auto e = f.roomEvent();
            return e && e->room == room && e->kind == kind;
        });
        return frame ? frame->roomEvent() : std::nullopt;
    }
    static std::optional<ServerFrame> waitType(
        test::TestClient *c, ServerFrameType type, qint64 room, int timeoutMs = 5000)
    {
        return c->waitPush(
            [&](const ServerFrame &f) {
                if (f.type != type)
                    return false;
                if (type == ServerFrameType::Invited)
                    return f.invitation() && f.invitation()->room == room;
                if (type == ServerFrameType::Directory)
                    return f.directoryEntry() && f.directoryEntry()->id == room;
                if (type == ServerFrameType::Room)
                    return f.roomSummary() && f.roomSummary()->id == room;
                return f.pushedRoom() == room;
            },
            timeoutMs);
    }
    // Whether \a c holds a pushed frame of \a type about \a room: after a round trip, so
    // that anything the server sent before it has arrived.
    static bool holds(test::TestClient *c, ServerFrameType type, qint64 room)
    {
        if (!succeeded(c->request(req::ping())))
            return true;
        const QList<ServerFrame> pushes = c->pushes();
        for (const ServerFrame &f : pushes) {
            if (f.type != type)
                continue;
            if ((type == ServerFrameType::Directory && f.directoryEntry()
                    && f.directoryEntry()->id == room)
                || f.pushedRoom() == room
                || (type == ServerFrameType::Invited && f.invitation()
                    && f.invitation()->room == room))
                return true;
        }
        return false;
    }
    // A ban or mute, written as the moderation requests write it (§17.4).
    bool sanction(qint64 room, const QString &user, protocol::SanctionKind kind, qint64 untilMs)
    {
        bool ok = false;
        {
            QSqlDatabase db = m_team.server->openDatabase(u"sanctions"_s);
            if (db.isOpen()) {
                QSqlQuery q(db);
                q.prepare(u"INSERT INTO sanctions(room_id, user_id, kind, until_ms, "
                          u"reason, created_ms) SELECT ?, id, ?, ?, '', 0 FROM users "
                          u"WHERE name = ? ON CONFLICT(room_id, user_id, kind) "
                          u"DO UPDATE SET until_ms = excluded.until_ms"_s);
                q.addBindValue(room);
                q.addBindValue(int(kind));
                q.addBindValue(untilMs);
                q.addBindValue(user);
                ok = q.exec() && q.numRowsAffected() == 1;
            }
            db.close();
        }
        QSqlDatabase::removeDatabase(u"sanctions"_s);
        return ok;
    }

    // Changes the database behind the server's back: what it holds in memory is then
    // stale, as it is for a request that arrived just before another one committed.
    bool behindTheServer(const QString &sql, const QVariantList &binds)
    {
        bool ok = false;
        {
            QSqlDatabase db = m_team.server->openDatabase(u"behind"_s);
            if (db.isOpen()) {
                QSqlQuery q(db);
                q.prepare(sql);
                for (const QVariant &v : binds)
                    q.addBindValue(v);
                ok = q.exec();
            }
            db.close();
        }
        QSqlDatabase::removeDatabase(u"behind"_s);
        return ok;
    }

private Q_SLOTS:
    void init()
    {
        // The first account is the server's admin (§17.1); the users of the tests are not.
        QVERIFY(m_team.start({}, true));
    }
    void cleanup() { m_team.stop(); }

    void privateChannelIsInvisibleToOutsiders()
    {
        auto *ana = m_team.clients.registered(u"ana"_s);
        auto *bob = m_team.clients.registered(u"bob"_s);
        QVERIFY(ana && bob);
        const auto created = ana->request(req::createRoom(u"secret"_s, {}, true));
        QVERIFY(succeeded(created));
        const auto summary
            = protocol::RoomSummary::fromJson(created->data().value("room"_L1).toObject());
        QVERIFY(summary);
        QVERIFY(summary->isPrivate);
        QCOMPARE(summary->role, u"owner"_s);
        QCOMPARE(summary->invitesBy, u"members"_s);
        const qint64 secret = summary->id;
        const qint64 open = createChannel(ana, u"open"_s, false);
        QVERIFY(open > 0);
        // Bob hears of the public channel, and of nothing before it.
        const auto openPush = waitType(bob, ServerFrameType::Directory, open);
        QVERIFY(openPush);
        QVERIFY(!openPush->directoryEntry()->isPrivate);
        QVERIFY(!holds(bob, ServerFrameType::Directory, secret));
        QVERIFY(listed(bob, open));
        QVERIFY(!listed(bob, secret));
        const auto anaEntry = listed(ana, secret);
        QVERIFY(anaEntry);
        QVERIFY(anaEntry->isPrivate);
        QVERIFY(anaEntry->joined);

        QCOMPARE(errorOf(bob->request(req::historyBefore(secret, 100, 50))), ErrorCode::NotFound);
        QCOMPARE(errorOf(bob->request(req::members(secret))), ErrorCode::NotFound);
        QCOMPARE(errorOf(bob->request(req::send(secret, u"t1"_s, u"hi"_s))), ErrorCode::NotFound);
        QCOMPARE(errorOf(bob->request(req::join(secret))), ErrorCode::NotFound);
        QCOMPARE(errorOf(bob->request(req::invite(secret, u"root"_s))), ErrorCode::NotFound);
        // The public channel's requests still say not_member: only private ones hide.
        QCOMPARE(errorOf(bob->request(req::members(open))), ErrorCode::NotMember);

        QVERIFY(seqOf(ana->request(req::invite(secret, u"BOB"_s))) > 0);
        const auto entry = listed(bob, secret);
        QVERIFY(entry);
        QVERIFY(entry->isPrivate);
        QVERIFY(!entry->joined);
        QCOMPARE(errorOf(bob->request(req::members(secret))), ErrorCode::NotMember);
        const auto joined = bob->request(req::join(secret));
        QVERIFY(succeeded(joined));
        const auto bobSummary
            = protocol::RoomSummary::fromJson(joined->data().value("room"_L1).toObject());
        QVERIFY(bobSummary);
        QVERIFY(bobSummary->isPrivate);
        QCOMPARE(bobSummary->role, u"member"_s);
        const auto roster = members(bob, secret);
        QCOMPARE(roster.size(), 2);
        QCOMPARE(roster.value(u"ana"_s).role, u"owner"_s);
        QCOMPARE(roster.value(u"bob"_s).role, u"member"_s);
        QVERIFY(!roster.value(u"bob"_s).mutedUntil);
    }

    void invitationReachesEveryDeviceAndAcceptingEndsIt()
    {
        auto *ana = m_team.clients.registered(u"ana"_s);
        auto *bob = m_team.clients.registered(u"bob"_s);
        QVERIFY(ana && bob);
        auto *bobPhone = m_team.clients.signedIn(bob->token());
        QVERIFY(bobPhone);
        const qint64 room = createChannel(ana, u"design"_s, true);
        QVERIFY(room > 0);
        const qint64 seq = seqOf(ana->request(req::invite(room, u"bob"_s)));
        QVERIFY(seq > 0);
        const auto event = waitKind(ana, room, EventKind::Invite);
        QVERIFY(event);
        QCOMPARE(event->seq, seq);
        QCOMPARE(event->sender, u"ana"_s);
        QCOMPARE(event->user, u"bob"_s);
        for (auto *device : {bob, bobPhone}) {
            const auto pushed = waitType(device, ServerFrameType::Invited, room);
            QVERIFY(pushed);
            const auto invitation = pushed->invitation();
            QCOMPARE(invitation->by, u"ana"_s);
            QCOMPARE(invitation->name, u"design"_s);
            QVERIFY(invitation->isPrivate);
            QVERIFY(invitation->timestamp > 0);
        }
        // Asked again: the earlier invitation's seq, and nothing appended.
        QCOMPARE(seqOf(ana->request(req::invite(room, u"bob"_s))), seq);
        QCOMPARE(seqOf(ana->request(req::send(room, u"t1"_s, u"next"_s))), seq + 1);

        QVERIFY(succeeded(bob->request(req::join(room))));
        QVERIFY(waitType(bobPhone, ServerFrameType::Room, room));
        QVERIFY(waitType(bobPhone, ServerFrameType::InviteRemoved, room));
        QVERIFY(!holds(bob, ServerFrameType::InviteRemoved, room));
        QCOMPARE(errorOf(ana->request(req::invite(room, u"bob"_s))), ErrorCode::AlreadyMember);
        QCOMPARE(errorOf(ana->request(req::invite(room, u"nobody"_s))), ErrorCode::NotFound);
        // Accepted: nothing left to decline.
        QCOMPARE(errorOf(bob->request(req::declineInvite(room))), ErrorCode::NotFound);
    }

    void declineEndsTheInvitation()
    {
        auto *ana = m_team.clients.registered(u"ana"_s);
        auto *carl = m_team.clients.registered(u"carl"_s);
        QVERIFY(ana && carl);
        auto *carlPhone = m_team.clients.signedIn(carl->token());
        QVERIFY(carlPhone);
        const qint64 room = createChannel(ana, u"plans"_s, true);
        QVERIFY(room > 0);
        QVERIFY(seqOf(ana->request(req::invite(room, u"carl"_s))) > 0);
        QVERIFY(waitType(carlPhone, ServerFrameType::Invited, room));
        const auto declined = carl->request(req::declineInvite(room));
        QVERIFY(succeeded(declined));
        QVERIFY(declined->data().isEmpty());
        QVERIFY(waitType(carlPhone, ServerFrameType::InviteRemoved, room));
        QVERIFY(!holds(carl, ServerFrameType::InviteRemoved, room));
        QCOMPARE(errorOf(carl->request(req::declineInvite(room))), ErrorCode::NotFound);
        // Declined: the private channel is gone again for carl.
        QCOMPARE(errorOf(carl->request(req::join(room))), ErrorCode::NotFound);
        QVERIFY(!listed(carl, room));
        auto *later = m_team.clients.signedIn(carl->token());
        QVERIFY(later);
        QCOMPARE(later->session().value("invites"_L1).toArray().size(), 0);
    }

    void bannedAndMutedUsers()
    {
        auto *ana = m_team.clients.registered(u"ana"_s);
        auto *bob = m_team.clients.registered(u"bob"_s);
        auto *dan = m_team.clients.registered(u"dan"_s);
        QVERIFY(ana && bob && dan);
        const qint64 room = createChannel(ana, u"lobby"_s, false);
        QVERIFY(room > 0);
        QVERIFY(succeeded(bob->request(req::join(room))));
        const qint64 until = QDateTime::currentMSecsSinceEpoch() + 3600 * 1000;
        QVERIFY(sanction(room, u"dan"_s, protocol::SanctionKind::Ban, until));
        const auto invite = ana->request(req::invite(room, u"dan"_s));
        QCOMPARE(errorOf(invite), ErrorCode::Banned);
        QCOMPARE(qint64(invite->body.value("until"_L1).toDouble()), until);
        const auto join = dan->request(req::join(room));
        QCOMPARE(errorOf(join), ErrorCode::Banned);
        QCOMPARE(qint64(join->body.value("until"_L1).toDouble()), until);
        // A ban without an end says none.
        QVERIFY(sanction(room, u"dan"_s, protocol::SanctionKind::Ban, 0));
        const auto forever = dan->request(req::join(room));
        QCOMPARE(errorOf(forever), ErrorCode::Banned);
        QVERIFY(!forever->body.contains("until"_L1));
        // A ban that has ended lets them in.
        QVERIFY(sanction(room, u"dan"_s, protocol::SanctionKind::Ban, 1000));
        QVERIFY(succeeded(dan->request(req::join(room))));

        QVERIFY(sanction(room, u"bob"_s, protocol::SanctionKind::Mute, until));
        const auto muted = bob->request(req::invite(room, u"root"_s));
        QCOMPARE(errorOf(muted), ErrorCode::Muted);
        QCOMPARE(qint64(muted->body.value("until"_L1).toDouble()), until);
        const auto roster = members(ana, room);
        QCOMPARE(roster.value(u"bob"_s).mutedUntil.value_or(-1), until);
        QVERIFY(!roster.value(u"dan"_s).mutedUntil);
        QCOMPARE(roster.value(u"dan"_s).role, u"member"_s);
    }

    void invitesByModerators()
    {
        auto *ana = m_team.clients.registered(u"ana"_s);
        auto *bob = m_team.clients.registered(u"bob"_s);
        QVERIFY(ana && bob);
        QVERIFY(m_team.clients.registered(u"carl"_s));
        const qint64 room = createChannel(ana, u"staff"_s, false);
        QVERIFY(room > 0);
        QVERIFY(succeeded(bob->request(req::join(room))));
        const qint64 seq
            = seqOf(ana->request(req::setRoom(room, std::nullopt, InvitePolicy::Moderators)));
        QVERIFY(seq > 0);
        const auto settings = waitKind(bob, room, EventKind::Settings);
        QVERIFY(settings);
        QCOMPARE(settings->seq, seq);
        QVERIFY(!settings->isPrivate);
        QCOMPARE(settings->invitesBy, u"moderators"_s);
        QCOMPARE(errorOf(bob->request(req::invite(room, u"carl"_s))), ErrorCode::Forbidden);
        QVERIFY(seqOf(ana->request(req::setRole(room, u"bob"_s, RoomRole::Moderator))) > 0);
        QVERIFY(seqOf(bob->request(req::invite(room, u"carl"_s))) > 0);
    }

    void becomingPrivateUnlistsForOutsiders()
    {
        auto *ana = m_team.clients.registered(u"ana"_s);
        auto *bob = m_team.clients.registered(u"bob"_s);
        auto *carl = m_team.clients.registered(u"carl"_s);
        auto *dan = m_team.clients.registered(u"dan"_s);
        QVERIFY(ana && bob && carl && dan);
        const qint64 room = createChannel(ana, u"town"_s, false);
        QVERIFY(room > 0);
        QVERIFY(succeeded(bob->request(req::join(room))));
        QVERIFY(seqOf(ana->request(req::invite(room, u"dan"_s))) > 0);
        QCOMPARE(errorOf(bob->request(req::setRoom(room, true))), ErrorCode::Forbidden);
        carl->clearPushes();
        bob->clearPushes();
        dan->clearPushes();

        const qint64 seq = seqOf(ana->request(req::setRoom(room, true)));
        QVERIFY(seq > 0);
        for (auto *member : {ana, bob}) {
            const auto settings = waitKind(member, room, EventKind::Settings);
            QVERIFY(settings);
            QCOMPARE(settings->seq, seq);
            QVERIFY(settings->isPrivate);
            QCOMPARE(settings->invitesBy, u"members"_s);
        }
        QVERIFY(waitType(carl, ServerFrameType::Unlisted, room));
        QVERIFY(!holds(bob, ServerFrameType::Unlisted, room));
        QVERIFY(!holds(dan, ServerFrameType::Unlisted, room));
        QVERIFY(carl->events(room).isEmpty());
        QVERIFY(!listed(carl, room));
        QCOMPARE(errorOf(carl->request(req::join(room))), ErrorCode::NotFound);
        const auto summary = bob->request(req::join(room));
        QVERIFY(succeeded(summary));
        QCOMPARE(summary->data().value("room"_L1).toObject().value("private"_L1), QJsonValue(true));

        // Public again: everyone hears of it.
        QVERIFY(seqOf(ana->request(req::setRoom(room, false))) > 0);
        const auto pushed = waitType(carl, ServerFrameType::Directory, room);
        QVERIFY(pushed);
        QVERIFY(!pushed->directoryEntry()->isPrivate);
        QVERIFY(succeeded(carl->request(req::join(room))));
    }

    void setRoleRules()
    {
        auto *ana = m_team.clients.registered(u"ana"_s);
        auto *bob = m_team.clients.registered(u"bob"_s);
        auto *carl = m_team.clients.registered(u"carl"_s);
        QVERIFY(ana && bob && carl);
        const qint64 room = createChannel(ana, u"crew"_s, false);
        QVERIFY(room > 0);
        QVERIFY(succeeded(bob->request(req::join(room))));
        QVERIFY(succeeded(carl->request(req::join(room))));

        QCOMPARE(errorOf(bob->request(req::setRole(room, u"carl"_s, RoomRole::Moderator))),
            ErrorCode::Forbidden);
        const qint64 seq = seqOf(ana->request(req::setRole(room, u"bob"_s, RoomRole::Moderator)));
        QVERIFY(seq > 0);
        const auto event = waitKind(carl, room, EventKind::Role);
        QVERIFY(event);
        QCOMPARE(event->seq, seq);
        QCOMPARE(event->user, u"bob"_s);
        QCOMPARE(event->role, u"moderator"_s);
        QCOMPARE(errorOf(bob->request(req::setRole(room, u"carl"_s, RoomRole::Moderator))),
            ErrorCode::Forbidden);
        QCOMPARE(errorOf(ana->request(req::setRole(room, u"ana"_s, RoomRole::Member))),
            ErrorCode::Forbidden);
        QCOMPARE(errorOf(ana->request(req::setRole(room, u"root"_s, RoomRole::Member))),
            ErrorCode::NotFound);
        QVERIFY(seqOf(ana->request(req::setRole(room, u"carl"_s, RoomRole::Owner))) > 0);
        // Owners do not act on owners.
        QCOMPARE(errorOf(carl->request(req::setRole(room, u"ana"_s, RoomRole::Member))),
            ErrorCode::Forbidden);
        const auto roster = members(bob, room);
        QCOMPARE(roster.value(u"ana"_s).role, u"owner"_s);
        QCOMPARE(roster.value(u"bob"_s).role, u"moderator"_s);
        QCOMPARE(roster.value(u"carl"_s).role, u"owner"_s);
        const auto summary = carl->request(req::join(room));
        QCOMPARE(
            summary->data().value("room"_L1).toObject().value("role"_L1).toString(), u"owner"_s);

        // Direct rooms have no roles, settings or invitations.
        const auto direct = ana->request(req::openDirect(u"bob"_s));
        QVERIFY(succeeded(direct));
        const auto dmSummary = direct->data().value("room"_L1).toObject();
        const qint64 dm = qint64(dmSummary.value("id"_L1).toDouble());
        QVERIFY(!dmSummary.contains("role"_L1));
        QCOMPARE(errorOf(ana->request(req::setRoom(dm, true))), ErrorCode::Forbidden);
        QCOMPARE(errorOf(ana->request(req::setRole(dm, u"bob"_s, RoomRole::Moderator))),
            ErrorCode::Forbidden);
        QCOMPARE(errorOf(ana->request(req::invite(dm, u"carl"_s))), ErrorCode::Forbidden);
        QVERIFY(members(ana, dm).value(u"bob"_s).role.isEmpty());
        QVERIFY(members(ana, dm).contains(u"bob"_s));
    }

    void signInCarriesAdminAndInvites()
    {
        auto *ana = m_team.clients.registered(u"ana"_s);
        auto *bob = m_team.clients.registered(u"bob"_s);
        QVERIFY(ana && bob);
        const qint64 first = createChannel(ana, u"first"_s, true);
        const qint64 second = createChannel(ana, u"second"_s, false);
        QVERIFY(first > 0 && second > 0);
        QVERIFY(seqOf(ana->request(req::invite(first, u"bob"_s))) > 0);
        QVERIFY(seqOf(ana->request(req::invite(second, u"bob"_s))) > 0);
        const QString bobToken = bob->token();
        const QString anaToken = ana->token();
        auto *root = m_team.clients.connectClient();
        QVERIFY(root && root->login(u"root"_s));
        const QString adminToken = root->token();
        m_team.clients.clear();
        QVERIFY(m_team.server->restart());

        auto *admin = m_team.clients.signedIn(adminToken);
        auto *again = m_team.clients.signedIn(bobToken);
        QVERIFY(admin && again);
        QCOMPARE(admin->session().value("admin"_L1), QJsonValue(true));
        QCOMPARE(again->session().value("admin"_L1), QJsonValue(false));
        const auto signedIn = protocol::SignedIn::fromJson(again->session());
        QVERIFY(signedIn);
        QVERIFY(signedIn->hasTeams);
        QCOMPARE(signedIn->invites.size(), 2);
        QCOMPARE(signedIn->invites.at(0).room, first);
        QCOMPARE(signedIn->invites.at(0).by, u"ana"_s);
        QVERIFY(signedIn->invites.at(0).isPrivate);
        QCOMPARE(signedIn->invites.at(1).room, second);
        QVERIFY(!signedIn->invites.at(1).isPrivate);
        // The owner role and the privacy were stored with the channel.
        auto *owner = m_team.clients.signedIn(anaToken);
        QVERIFY(owner);
        const auto anaState = protocol::SignedIn::fromJson(owner->session());
        QVERIFY(anaState);
        QCOMPARE(anaState->rooms.size(), 2);
        QCOMPARE(anaState->rooms.at(0).id, first);
        QCOMPARE(anaState->rooms.at(0).role, u"owner"_s);
        QVERIFY(anaState->rooms.at(0).isPrivate);
        QCOMPARE(anaState->rooms.at(1).role, u"owner"_s);
        QVERIFY(!anaState->rooms.at(1).isPrivate);
        QVERIFY(anaState->invites.isEmpty());
        // The admin joins the private channel without an invitation (§17.2).
        QVERIFY(succeeded(admin->request(req::join(first))));
    }

    // A set_room{private} that commits while a join waits decides the join (§17.2).
    void joinReadsPrivacyInItsTransaction()
    {
        auto *ana = m_team.clients.registered(u"ana"_s);
        auto *carl = m_team.clients.registered(u"carl"_s);
        QVERIFY(ana && carl);
        const qint64 room = createChannel(ana, u"square"_s, false);
        QVERIFY(room > 0);
        QVERIFY(behindTheServer(u"UPDATE rooms SET private = 1 WHERE id = ?"_s, {room}));
        QCOMPARE(errorOf(carl->request(req::join(room))), ErrorCode::NotFound);
        QVERIFY(!members(ana, room).contains(u"carl"_s));
        QVERIFY(seqOf(ana->request(req::invite(room, u"carl"_s))) > 0);
        QVERIFY(succeeded(carl->request(req::join(room))));
        auto *root = m_team.clients.connectClient();
        QVERIFY(root && root->login(u"root"_s));
        QVERIFY(succeeded(root->request(req::join(room))));
    }

    // set_room keeps the stored value of the field it was not given, and the pushes
    // follow the stored values (§17.2).
    void setRoomMergesWithTheStoredSettings()
    {
        auto *ana = m_team.clients.registered(u"ana"_s);
        auto *bob = m_team.clients.registered(u"bob"_s);
        auto *carl = m_team.clients.registered(u"carl"_s);
        QVERIFY(ana && bob && carl);
        const qint64 room = createChannel(ana, u"corner"_s, false);
        QVERIFY(room > 0);
        QVERIFY(succeeded(bob->request(req::join(room))));
        QVERIFY(behindTheServer(u"UPDATE rooms SET private = 1 WHERE id = ?"_s, {room}));
        carl->clearPushes();
        const qint64 seq
            = seqOf(ana->request(req::setRoom(room, std::nullopt, InvitePolicy::Moderators)));
        QVERIFY(seq > 0);
        const auto settings = waitKind(bob, room, EventKind::Settings);
        QVERIFY(settings);
        QCOMPARE(settings->seq, seq);
        QVERIFY(settings->isPrivate);
        QCOMPARE(settings->invitesBy, u"moderators"_s);
        QVERIFY(!holds(carl, ServerFrameType::Directory, room));
        QVERIFY(!listed(carl, room));
        QCOMPARE(errorOf(carl->request(req::join(room))), ErrorCode::NotFound);
        // And the other field: invites_by stays as stored when only privacy is given.
        QVERIFY(behindTheServer(u"UPDATE rooms SET invites_by = 0 WHERE id = ?"_s, {room}));
        QVERIFY(seqOf(ana->request(req::setRoom(room, false))) > 0);
        const auto reopened = waitKind(bob, room, EventKind::Settings);
        QVERIFY(reopened);
        QVERIFY(!reopened->isPrivate);
        QCOMPARE(reopened->invitesBy, u"members"_s);
        QVERIFY(waitType(carl, ServerFrameType::Directory, room));
    }

    // A set_room{invites_by: moderators} that commits while an invite waits decides it.
    void inviteReadsThePolicyInItsTransaction()
    {
        auto *ana = m_team.clients.registered(u"ana"_s);
        auto *bob = m_team.clients.registered(u"bob"_s);
        QVERIFY(ana && bob);
        QVERIFY(m_team.clients.registered(u"carl"_s));
        const qint64 room = createChannel(ana, u"desk"_s, false);
        QVERIFY(room > 0);
        QVERIFY(succeeded(bob->request(req::join(room))));
        QVERIFY(behindTheServer(u"UPDATE rooms SET invites_by = 1 WHERE id = ?"_s, {room}));
        QCOMPARE(errorOf(bob->request(req::invite(room, u"carl"_s))), ErrorCode::Forbidden);
        // The owner's stored rank still lets them.
        QVERIFY(seqOf(ana->request(req::invite(room, u"carl"_s))) > 0);
    }

    // One user cannot flood another with invitations (§13, §17.3).
    void pendingInvitationsAreCapped()
    {
        auto *ana = m_team.clients.registered(u"ana"_s);
        QVERIFY(ana);
        QVERIFY(m_team.clients.registered(u"carl"_s));
        const qint64 room = createChannel(ana, u"hall"_s, false);
        QVERIFY(room > 0);
        for (int i = 0; i < protocol::MaxPendingInvites; ++i) {
            const qint64 id = 1000 + i;
            QVERIFY(behindTheServer(u"INSERT INTO rooms(id, kind, name, created_ms) "
                                    u"VALUES(?, 0, ?, 0)"_s,
                {id, u"flood%1"_s.arg(i)}));
            QVERIFY(behindTheServer(u"INSERT INTO room_invites(room_id, user_id, by_id, "
                                    u"created_ms, event_seq) SELECT ?, c.id, a.id, 0, 1 "
                                    u"FROM users c, users a WHERE c.name = 'carl' "
                                    u"AND a.name = 'ana'"_s,
                {id}));
        }
        const auto refused = ana->request(req::invite(room, u"carl"_s));
        QCOMPARE(errorOf(refused), ErrorCode::Forbidden);
        QCOMPARE(refused->body.value("message"_L1).toString(),
            u"that user has too many pending invitations"_s);
        QVERIFY(behindTheServer(u"DELETE FROM room_invites WHERE room_id = 1000"_s, {}));
        QVERIFY(seqOf(ana->request(req::invite(room, u"carl"_s))) > 0);
    }

    // An invitation to a private channel that ends without a join takes the channel out
    // of the ex-invitee's directory (§17.6).
    void endedInvitationUnlistsThePrivateChannel()
    {
        auto *ana = m_team.clients.registered(u"ana"_s);
        auto *carl = m_team.clients.registered(u"carl"_s);
        auto *dan = m_team.clients.registered(u"dan"_s);
        QVERIFY(ana && carl && dan);
        auto *carlPhone = m_team.clients.signedIn(carl->token());
        QVERIFY(carlPhone);
        const qint64 secret = createChannel(ana, u"vault"_s, true);
        const qint64 open = createChannel(ana, u"porch"_s, false);
        QVERIFY(secret > 0 && open > 0);
        for (const qint64 room : {secret, open}) {
            QVERIFY(seqOf(ana->request(req::invite(room, u"carl"_s))) > 0);
            QVERIFY(seqOf(ana->request(req::invite(room, u"dan"_s))) > 0);
        }
        QVERIFY(succeeded(carl->request(req::declineInvite(secret))));
        QVERIFY(waitType(carlPhone, ServerFrameType::InviteRemoved, secret));
        for (auto *device : {carl, carlPhone})
            QVERIFY(waitType(device, ServerFrameType::Unlisted, secret));
        QVERIFY(seqOf(ana->request(req::kick(secret, u"dan"_s))) > 0);
        QVERIFY(waitType(dan, ServerFrameType::InviteRemoved, secret));
        QVERIFY(waitType(dan, ServerFrameType::Unlisted, secret));
        // A public channel stays listed.
        QVERIFY(succeeded(carl->request(req::declineInvite(open))));
        QVERIFY(!holds(carl, ServerFrameType::Unlisted, open));
        QVERIFY(seqOf(ana->request(req::kick(open, u"dan"_s))) > 0);
        QVERIFY(waitType(dan, ServerFrameType::InviteRemoved, open));
        QVERIFY(!holds(dan, ServerFrameType::Unlisted, open));
    }

    // Admins see no private channel they are not in (§17.2), so like anyone they are told
    // when one leaves their view.
    void anAdminIsUnlistedLikeAnyoneElse()
    {
        m_team.stop();
        QVERIFY(m_team.start());
        auto *boss = m_team.clients.registered(u"boss"_s); // the first account: an admin
        auto *ana = m_team.clients.registered(u"ana"_s);
        QVERIFY(boss && ana);
        const qint64 secret = createChannel(ana, u"vault"_s, true);
        QVERIFY(secret > 0);
        QVERIFY(seqOf(ana->request(req::invite(secret, u"boss"_s))) > 0);
        const auto invited = listed(boss, secret);
        QVERIFY(invited && invited->id == secret);
        QVERIFY(succeeded(boss->request(req::declineInvite(secret))));
        QVERIFY(waitType(boss, ServerFrameType::Unlisted, secret));
        QVERIFY(!listed(boss, secret));
    }

    // A member kicked or banned from a private channel may no longer see it either: every
    // connection of theirs gets `unlisted` after the event (§17.4, §17.6); not so for a
    // public channel, which stays in their directory.
    void removedMemberUnlistsThePrivateChannel()
    {
        auto *ana = m_team.clients.registered(u"ana"_s);
        auto *carl = m_team.clients.registered(u"carl"_s);
        auto *dan = m_team.clients.registered(u"dan"_s);
        QVERIFY(ana && carl && dan);
        auto *carlPhone = m_team.clients.signedIn(carl->token());
        QVERIFY(carlPhone);
        const qint64 secret = createChannel(ana, u"vault"_s, true);
        const qint64 open = createChannel(ana, u"porch"_s, false);
        QVERIFY(secret > 0 && open > 0);
        for (const QString &name : {u"carl"_s, u"dan"_s}) {
            QVERIFY(seqOf(ana->request(req::invite(secret, name))) > 0);
            auto *c = name == u"carl"_s ? carl : dan;
            QVERIFY(succeeded(c->request(req::join(secret))));
            QVERIFY(succeeded(c->request(req::join(open))));
        }
        const qint64 kicked = seqOf(ana->request(req::kick(secret, u"carl"_s)));
        QVERIFY(kicked > 0);
        for (auto *device : {carl, carlPhone}) {
            QVERIFY(device->waitEvent(secret, kicked));
            QVERIFY(waitType(device, ServerFrameType::Unlisted, secret));
        }
        QVERIFY(!listed(carl, secret));
        const qint64 banned = seqOf(ana->request(req::ban(secret, u"dan"_s)));
        QVERIFY(banned > 0);
        QVERIFY(dan->waitEvent(secret, banned));
        QVERIFY(waitType(dan, ServerFrameType::Unlisted, secret));
        QVERIFY(!listed(dan, secret));

        QVERIFY(seqOf(ana->request(req::kick(open, u"carl"_s))) > 0);
        QVERIFY(seqOf(ana->request(req::ban(open, u"dan"_s))) > 0);
        QVERIFY(!holds(carl, ServerFrameType::Unlisted, open));
        QVERIFY(!holds(dan, ServerFrameType::Unlisted, open));
    }
};

CONFAB_SERVER_TEST_MAIN(TestInvitations)
#include "tst_invitations.moc"
