// SPDX-License-Identifier: GPL-3.0-or-later
// The storage under teams (protocol §17) on a real SQLite file: roles and channel settings,
// bans and mutes that end by the clock, invitations that a repeat keeps, the audit log's
// pages, settings changed from the app, and the user search.
#include "chat/replybudget.h"
#include "chat/roomdirectory.h"
#include "protocol/roomevent.h"
#include "storage/accountstore.h"
#include "storage/auditstore.h"
#include "storage/database.h"
#include "storage/eventstore.h"
#include "storage/roomstore.h"
#include "storage/serversettings.h"
#include "storage/statementcache.h"
#include "storage/teamstore.h"
#include "storage/writecontext.h"

#include <QJsonDocument>
#include <QTemporaryDir>
#include <QtTest>
#include <memory>

using namespace Qt::StringLiterals;
using namespace confab;
using namespace confab::server;

namespace {
const QString Connection = u"tst-teamstore"_s;
constexpr qint64 Now = 1'800'000'000'000;
constexpr int Ban = 1;
constexpr int Mute = 2;
} // namespace

class TestTeamStore : public QObject
{
    Q_OBJECT

    QTemporaryDir m_dir;
    std::unique_ptr<WriteContext> m_ctx;
    std::unique_ptr<StatementCache> m_reads;
    qint64 m_ana = 0;
    qint64 m_bob = 0;
    qint64 m_cy = 0;
    qint64 m_room = 0;

    WriteContext &ctx() { return *m_ctx; }
    StatementCache &reads() { return *m_reads; }

    qint64 user(const QString &name)
    {
        qint64 id = 0;
        if (!accountstore::insertUser(ctx(), name, u"hash"_s, &id))
            qFatal("insertUser failed");
        return id;
    }

    qint64 channel(const QString &name, const QString &topic)
    {
        qint64 id = 0;
        if (!roomstore::insertRoom(ctx(), RoomKind::Channel, name, topic, {}, &id))
            qFatal("insertRoom failed");
        return id;
    }

private Q_SLOTS:
    void init()
    {
        QVERIFY(m_dir.isValid());
        QFile::remove(m_dir.filePath(u"team.db"_s));
        QString error;
        QSqlDatabase db
            = database::open(m_dir.filePath(u"team.db"_s), Connection, Durability::Normal, &error);
        QVERIFY2(error.isEmpty(), qPrintable(error));
        QVERIFY2(database::migrate(db, &error), qPrintable(error));
        m_ctx = std::make_unique<WriteContext>(db);
        m_reads = std::make_unique<StatementCache>(db);
        ctx().setNow(Now);
        m_ana = user(u"Ana"_s);
        m_bob = user(u"Bob"_s);
        m_cy = user(u"Cy"_s);
        m_room = channel(u"design"_s, u"Pixels"_s);
        QVERIFY(roomstore::addMember(ctx(), m_room, m_ana, 0));
        QVERIFY(roomstore::addMember(ctx(), m_room, m_bob, 0));
    }

    void cleanup()
    {
        m_reads.reset();
        m_ctx.reset();
        database::close(Connection);
    }

    void teamEventsReadBackAsWritten()
    {
        using protocol::EventKind;
        using protocol::RoomEvent;
        const auto event = [this](EventKind kind) {
            RoomEvent e;
            e.room = m_room;
            e.kind = kind;
            e.sender = u"Ana"_s;
            return e;
        };
        QList<RoomEvent> written;
        RoomEvent invite = event(EventKind::Invite);
        invite.user = u"Cy"_s;
        written.append(invite);
        RoomEvent ban = event(EventKind::Ban);
        ban.user = u"Cy"_s;
        ban.reason = u"spam \"links\" ✓"_s;
        ban.until = Now + 3'600'000;
        written.append(ban);
        RoomEvent kick = event(EventKind::Kick);
        kick.user = u"Bob"_s;
        written.append(kick);
        RoomEvent mute = event(EventKind::Mute);
        mute.user = u"Bob"_s;
        mute.reason = u"calm down"_s;
        written.append(mute);
        RoomEvent role = event(EventKind::Role);
        role.user = u"Bob"_s;
        role.role = u"moderator"_s;
        written.append(role);
        RoomEvent settings = event(EventKind::Settings);
        settings.isPrivate = true;
        settings.invitesBy = u"moderators"_s;
        written.append(settings);
        RoomEvent publicAgain = event(EventKind::Settings);
        publicAgain.invitesBy = u"members"_s;
        written.append(publicAgain);
        for (RoomEvent &e : written)
            QVERIFY(ctx().appendEvent(e, m_ana));
        QList<RoomEvent> read = eventstore::range(reads(), m_room, 0, 1000, 100, false);
        QCOMPARE(read.size(), written.size());
        for (qsizetype i = 0; i < read.size(); ++i) {
            QCOMPARE(read.at(i).toJson(), written.at(i).toJson());
            QVERIFY(read.at(i) == written.at(i));
            // The budget never counts an event smaller than it encodes.
            QVERIFY(ReplyBudget::encodedSize(read.at(i))
                >= QJsonDocument(read.at(i).toJson()).toJson(QJsonDocument::Compact).size());
        }
        // The user is kept by id: a renamed account reads under its new name, as a
        // sender does.
        QVERIFY(ctx().run(
            u"UPDATE users SET name = 'Cyrus', name_key = 'cyrus' WHERE id = ?"_s, {m_cy}));
        read = eventstore::range(reads(), m_room, 0, 1000, 100, false);
        QCOMPARE(read.at(0).user, u"Cyrus"_s);
        QCOMPARE(read.at(1).user, u"Cyrus"_s);
        QCOMPARE(read.at(1).reason, ban.reason);
    }

    void rolesAreStoredPerMember()
    {
        QCOMPARE(teamstore::role(reads(), m_room, m_bob), 0);
        QVERIFY(teamstore::setRole(ctx(), m_room, m_ana, 2));
        QVERIFY(teamstore::setRole(ctx(), m_room, m_bob, 1));
        // A non-member has no role, and setting one makes no membership.
        QVERIFY(teamstore::setRole(ctx(), m_room, m_cy, 1));
        QCOMPARE(teamstore::role(reads(), m_room, m_cy), std::nullopt);
        std::optional<int> rank;
        QVERIFY(teamstore::role(ctx(), m_room, m_bob, &rank));
        QCOMPARE(rank, 1);
        QVERIFY(teamstore::role(ctx(), m_room, m_cy, &rank));
        QCOMPARE(rank, std::nullopt);
        const std::optional<RoomRecord> room = roomstore::load(reads(), m_room);
        QVERIFY(room);
        QCOMPARE(room->members, (QSet<qint64> {m_ana, m_bob}));
        QCOMPARE(room->roles, (QHash<qint64, int> {{m_ana, 2}, {m_bob, 1}}));
        // Leaving ends the role with the membership: joining again starts as a member.
        QVERIFY(roomstore::removeMember(ctx(), m_room, m_bob));
        QVERIFY(roomstore::addMember(ctx(), m_room, m_bob, 0));
        QCOMPARE(teamstore::role(reads(), m_room, m_bob), 0);
    }

    void directoryKeepsRolesWithMembership()
    {
        QVERIFY(teamstore::setRole(ctx(), m_room, m_ana, 2));
        RoomDirectory rooms;
        rooms.load(roomstore::loadAll(reads()));
        QCOMPARE(rooms.roleOf(m_room, m_ana), 2);
        QCOMPARE(rooms.roleOf(m_room, m_bob), 0);
        rooms.setRole(m_room, m_bob, 1);
        QCOMPARE(rooms.roleOf(m_room, m_bob), 1);
        // No role for a non-member, in a room that does not exist, or after leaving.
        rooms.setRole(m_room, m_cy, 2);
        QCOMPARE(rooms.roleOf(m_room, m_cy), 0);
        QCOMPARE(rooms.roleOf(m_room + 100, m_ana), 0);
        rooms.removeMember(m_room, m_bob);
        QCOMPARE(rooms.roleOf(m_room, m_bob), 0);
        QVERIFY(!rooms.room(m_room)->roles.contains(m_bob));
        rooms.addMember(m_room, m_bob);
        QCOMPARE(rooms.roleOf(m_room, m_bob), 0);
        rooms.addMember(m_room, m_cy, 1);
        QCOMPARE(rooms.roleOf(m_room, m_cy), 1);
        rooms.setRole(m_room, m_cy, 0);
        QCOMPARE(rooms.room(m_room)->roles, (QHash<qint64, int> {{m_ana, 2}}));
        rooms.setPrivate(m_room, true);
        rooms.setInvitesBy(m_room, 1);
        QVERIFY(rooms.room(m_room)->isPrivate);
        QCOMPARE(rooms.room(m_room)->invitesBy, 1);
    }

    void settingsAreLoadedWithTheRoom()
    {
        QVERIFY(!roomstore::load(reads(), m_room)->isPrivate);
        QVERIFY(teamstore::setRoomSettings(ctx(), m_room, true, 1));
        const QList<RoomRecord> rooms = roomstore::loadAll(reads());
        QCOMPARE(rooms.size(), 1);
        QVERIFY(rooms.first().isPrivate);
        QCOMPARE(rooms.first().invitesBy, 1);
    }

    void sanctionsEndByTheClock()
    {
        // A ban that ended a moment ago is not in force; one ending later is, until then.
        QVERIFY(teamstore::putSanction(ctx(), m_room, m_cy, {Ban, Now - 1, u"spam"_s, m_ana, 0}));
        QCOMPARE(teamstore::activeSanction(reads(), m_room, m_cy, Ban, Now), std::nullopt);
        std::optional<SanctionRecord> active;
        QVERIFY(teamstore::activeSanction(ctx(), m_room, m_cy, Ban, &active));
        QCOMPARE(active, std::nullopt);
        // Banning again replaces the ended ban.
        QVERIFY(
            teamstore::putSanction(ctx(), m_room, m_cy, {Ban, Now + 1000, u"again"_s, m_bob, 0}));
        active = teamstore::activeSanction(reads(), m_room, m_cy, Ban, Now);
        QVERIFY(active);
        QCOMPARE(active->kind, Ban);
        QCOMPARE(active->untilMs, Now + 1000);
        QCOMPARE(active->reason, u"again"_s);
        QCOMPARE(active->byId, m_bob);
        QCOMPARE(active->createdMs, Now);
        QVERIFY(teamstore::activeSanction(reads(), m_room, m_cy, Ban, Now + 999));
        QCOMPARE(teamstore::activeSanction(reads(), m_room, m_cy, Ban, Now + 1000), std::nullopt);
        // A ban is not a mute, nor a ban in another room.
        QCOMPARE(teamstore::activeSanction(reads(), m_room, m_cy, Mute, Now), std::nullopt);
        const qint64 other = channel(u"other"_s, {});
        QCOMPARE(teamstore::activeSanction(reads(), other, m_cy, Ban, Now), std::nullopt);
        // Without an end it lasts until lifted; a reason may be empty.
        QVERIFY(teamstore::putSanction(ctx(), m_room, m_cy, {Ban, 0, {}, 0, 0}));
        active = teamstore::activeSanction(reads(), m_room, m_cy, Ban, Now + 365LL * 86'400'000);
        QVERIFY(active);
        QCOMPARE(active->untilMs, 0);
        QCOMPARE(active->reason, u""_s);
        QCOMPARE(active->byId, 0);
        bool removed = false;
        QVERIFY(teamstore::removeSanction(ctx(), m_room, m_cy, Ban, &removed));
        QVERIFY(removed);
        QCOMPARE(teamstore::activeSanction(reads(), m_room, m_cy, Ban, Now), std::nullopt);
        QVERIFY(teamstore::removeSanction(ctx(), m_room, m_cy, Ban, &removed));
        QVERIFY(!removed);
        // Lifting a ban that has ended lifts nothing in force.
        QVERIFY(teamstore::putSanction(ctx(), m_room, m_cy, {Ban, Now - 5, {}, m_ana, 0}));
        QVERIFY(teamstore::removeSanction(ctx(), m_room, m_cy, Ban, &removed));
        QVERIFY(!removed);
    }

    void activeMutesListOnlyMutesInForce()
    {
        QVERIFY(teamstore::putSanction(ctx(), m_room, m_ana, {Mute, 0, {}, m_bob, 0}));
        QVERIFY(teamstore::putSanction(ctx(), m_room, m_bob, {Mute, Now + 60'000, {}, m_ana, 0}));
        QVERIFY(teamstore::putSanction(ctx(), m_room, m_cy, {Mute, Now - 1, {}, m_ana, 0}));
        QVERIFY(teamstore::putSanction(ctx(), m_room, m_cy, {Ban, 0, {}, m_ana, 0}));
        QCOMPARE(teamstore::activeMutes(reads(), m_room, Now),
            (QHash<qint64, qint64> {{m_ana, 0}, {m_bob, Now + 60'000}}));
        QCOMPARE(teamstore::activeMutes(reads(), m_room, Now + 60'000),
            (QHash<qint64, qint64> {{m_ana, 0}}));
    }

    void repeatedInviteKeepsTheFirst()
    {
        QCOMPARE(teamstore::inviteSeq(reads(), m_room, m_cy), 0);
        qint64 kept = 0;
        QVERIFY(teamstore::putInvite(ctx(), m_room, m_cy, m_ana, 7, &kept));
        QCOMPARE(kept, 7);
        ctx().setNow(Now + 10);
        QVERIFY(teamstore::putInvite(ctx(), m_room, m_cy, m_bob, 9, &kept));
        QCOMPARE(kept, 7);
        QCOMPARE(teamstore::inviteSeq(reads(), m_room, m_cy), 7);
        qint64 seq = 0;
        QVERIFY(teamstore::inviteSeq(ctx(), m_room, m_cy, &seq));
        QCOMPARE(seq, 7);
        // What the invited push and the sign-in results show: the first inviter, and the
        // channel as it is now.
        QVERIFY(teamstore::setRoomSettings(ctx(), m_room, true, 0));
        QVERIFY(roomstore::setTopic(ctx(), m_room, u"Vectors"_s));
        const std::optional<RoomInviteRecord> invitation = teamstore::invite(reads(), m_room, m_cy);
        QVERIFY(invitation);
        QCOMPARE(invitation->room, m_room);
        QCOMPARE(invitation->name, u"design"_s);
        QCOMPARE(invitation->topic, u"Vectors"_s);
        QVERIFY(invitation->isPrivate);
        QCOMPARE(invitation->by, u"Ana"_s);
        QCOMPARE(invitation->createdMs, Now);
        QCOMPARE(invitation->eventSeq, 7);
        std::optional<RoomInviteRecord> fromWrite;
        QVERIFY(teamstore::invite(ctx(), m_room, m_cy, &fromWrite));
        QCOMPARE(fromWrite->by, u"Ana"_s);
        QCOMPARE(teamstore::invitees(reads(), m_room), (QSet<qint64> {m_cy}));
        // Ended, it can be made again, by someone else.
        bool removed = false;
        QVERIFY(teamstore::removeInvite(ctx(), m_room, m_cy, &removed));
        QVERIFY(removed);
        QVERIFY(teamstore::removeInvite(ctx(), m_room, m_cy, &removed));
        QVERIFY(!removed);
        QCOMPARE(teamstore::invite(reads(), m_room, m_cy), std::nullopt);
        QVERIFY(teamstore::putInvite(ctx(), m_room, m_cy, m_bob, 12, &kept));
        QCOMPARE(kept, 12);
        QCOMPARE(teamstore::invite(reads(), m_room, m_cy)->by, u"Bob"_s);
    }

    void invitesOfAUserAreOldestFirst()
    {
        const qint64 later = channel(u"later"_s, u"b"_s);
        const qint64 earlier = channel(u"earlier"_s, u"a"_s);
        qint64 kept = 0;
        ctx().setNow(Now + 5);
        QVERIFY(teamstore::putInvite(ctx(), later, m_cy, m_bob, 3, &kept));
        ctx().setNow(Now);
        QVERIFY(teamstore::putInvite(ctx(), earlier, m_cy, m_ana, 4, &kept));
        QVERIFY(teamstore::putInvite(ctx(), m_room, m_bob, m_ana, 5, &kept));
        const QList<RoomInviteRecord> invitations = teamstore::invitesOf(reads(), m_cy);
        QCOMPARE(invitations.size(), 2);
        QCOMPARE(invitations.at(0).name, u"earlier"_s);
        QCOMPARE(invitations.at(0).by, u"Ana"_s);
        QCOMPARE(invitations.at(1).name, u"later"_s);
        QCOMPARE(invitations.at(1).createdMs, Now + 5);
        QList<RoomInviteRecord> fromWrite;
        QVERIFY(teamstore::invitesOf(ctx(), m_cy, &fromWrite));
        QCOMPARE(fromWrite.size(), 2);
        QCOMPARE(fromWrite.at(1).room, later);
        QVERIFY(teamstore::invitesOf(reads(), m_ana).isEmpty());
    }

    void auditPagesNewestFirst()
    {
        QVERIFY(auditstore::append(ctx(), m_ana, u"disable_user"_s, u"Cy"_s, u"spam"_s));
        ctx().setNow(Now + 1);
        QVERIFY(auditstore::append(ctx(), 0, u"grant_admin"_s, u"Bob"_s));
        ctx().setNow(Now + 2);
        QVERIFY(auditstore::append(ctx(), m_bob, u"set_registration"_s, u"closed"_s));
        const QList<AuditRecord> newest = auditstore::page(reads(), 0, 2);
        QCOMPARE(newest.size(), 2);
        QCOMPARE(newest.at(0).action, u"set_registration"_s);
        QCOMPARE(newest.at(0).actor, u"Bob"_s);
        QCOMPARE(newest.at(0).subject, u"closed"_s);
        QCOMPARE(newest.at(0).ts, Now + 2);
        // The operator's shell has no account: its entries name no actor.
        QCOMPARE(newest.at(1).actor, u""_s);
        QCOMPARE(newest.at(1).detail, u""_s);
        const QList<AuditRecord> older = auditstore::page(reads(), newest.last().id, 50);
        QCOMPARE(older.size(), 1);
        QCOMPARE(older.at(0).actor, u"Ana"_s);
        QCOMPARE(older.at(0).action, u"disable_user"_s);
        QCOMPARE(older.at(0).subject, u"Cy"_s);
        QCOMPARE(older.at(0).detail, u"spam"_s);
        QVERIFY(auditstore::page(reads(), older.at(0).id, 50).isEmpty());
    }

    void settingsFromTheAppOverride()
    {
        QCOMPARE(serversettings::value(reads(), serversettings::RegistrationKey), std::nullopt);
        QVERIFY(serversettings::setValue(ctx(), serversettings::RegistrationKey, u"invite"_s));
        QVERIFY(serversettings::setValue(ctx(), serversettings::RegistrationKey, u"closed"_s));
        QCOMPARE(serversettings::value(reads(), serversettings::RegistrationKey), u"closed"_s);
        std::optional<QString> value;
        QVERIFY(serversettings::value(ctx(), serversettings::RegistrationKey, &value));
        QCOMPARE(value, u"closed"_s);
    }

    void adminFlagAndCount()
    {
        int count = 0;
        QVERIFY(accountstore::enabledAdmins(ctx(), &count));
        QCOMPARE(count, 1); // Ana, the first account
        QVERIFY(accountstore::setAdmin(ctx(), m_bob, true));
        QVERIFY(accountstore::enabledAdmins(ctx(), &count));
        QCOMPARE(count, 2);
        QVERIFY(accountstore::setDisabled(ctx(), m_ana, true));
        QVERIFY(accountstore::enabledAdmins(ctx(), &count));
        QCOMPARE(count, 1);
        QVERIFY(accountstore::userById(reads(), m_bob)->admin);
        // A session says whether its account is admin, for authenticate's result.
        const QByteArray token(32, 'b');
        QVERIFY(accountstore::insertToken(ctx(), token, m_bob, Now + 1000));
        QVERIFY(accountstore::session(reads(), token)->admin);
        QVERIFY(accountstore::setAdmin(ctx(), m_bob, false));
        QVERIFY(!accountstore::session(reads(), token)->admin);
        QVERIFY(!accountstore::userById(reads(), m_bob)->admin);
    }

    void userSearchPutsPrefixesFirst()
    {
        for (const QString &name : {u"Banana"_s, u"anabel"_s, u"Zed"_s, u"Anatole"_s, u"50%off"_s})
            user(name);
        QVERIFY(accountstore::setDisabled(
            ctx(), accountstore::userByName(reads(), u"anatole"_s)->id, true));
        const auto names = [](const QList<UserRecord> &users) {
            QStringList list;
            for (const UserRecord &u : users) {
                list.append(u.name);
                if (!u.passwordHash.isEmpty())
                    list.append(u"<hash>"_s);
            }
            return list;
        };
        QCOMPARE(names(accountstore::searchUsers(reads(), u"ANA"_s, 50, false)),
            (QStringList {u"Ana"_s, u"anabel"_s, u"Banana"_s}));
        const QList<UserRecord> all = accountstore::searchUsers(reads(), u"ana"_s, 50, true);
        QCOMPARE(names(all), (QStringList {u"Ana"_s, u"anabel"_s, u"Anatole"_s, u"Banana"_s}));
        QVERIFY(all.at(0).admin);
        QCOMPARE(all.at(0).createdMs, Now);
        QVERIFY(all.at(2).disabled);
        QCOMPARE(names(accountstore::searchUsers(reads(), u"ana"_s, 2, true)),
            (QStringList {u"Ana"_s, u"anabel"_s}));
        // % is a character of a name, not a wildcard; no query lists everyone, by name.
        QCOMPARE(names(accountstore::searchUsers(reads(), u"0%"_s, 50, false)),
            (QStringList {u"50%off"_s}));
        QCOMPARE(names(accountstore::searchUsers(reads(), {}, 50, false)),
            (QStringList {
                u"50%off"_s, u"Ana"_s, u"anabel"_s, u"Banana"_s, u"Bob"_s, u"Cy"_s, u"Zed"_s}));
    }
};

QTEST_GUILESS_MAIN(TestTeamStore)
#include "tst_teamstore.moc"
