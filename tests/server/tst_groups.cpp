// SPDX-License-Identifier: GPL-3.0-or-later
// Group conversations (protocol §18.4) through real sockets on 127.0.0.1 over a real SQLite
// file: opening a group, its per-viewer name, adding people up to the limit, leaving, and
// what a restart keeps.
#include "clientpool.h"
#include "protocol/accountrequests.h"
#include "protocol/hello.h"
#include "protocol/results.h"
#include "protocol/selfservice.h"
#include "protocol/teamrequests.h"
#include "teamfixture.h"
#include "testclient.h"
#include "testserver.h"
#include "writerhold.h"

#include <QJsonArray>
#include <QtTest>
#include <memory>

using namespace Qt::StringLiterals;
using namespace confab;
using protocol::ErrorCode;
using protocol::EventKind;
using protocol::RoomEvent;
using protocol::ServerFrame;
using protocol::ServerFrameType;
namespace req = protocol::requests;
using test::errorOf;
using test::fieldOf;
using test::succeeded;
using test::waitSummary;

class TestGroups : public QObject
{
    Q_OBJECT

private:
    test::TeamFixture m_team;

    static std::optional<protocol::RoomSummary> summaryOf(const std::optional<ServerFrame> &r)
    {
        if (!succeeded(r))
            return std::nullopt;
        const auto result = protocol::RoomResult::fromJson(r->data());
        return result ? std::optional(result->room) : std::nullopt;
    }
    static QList<RoomEvent> history(test::TestClient *c, qint64 room)
    {
        const auto r = c->request(req::historyAfter(room, 0, 100));
        QList<RoomEvent> events;
        if (!succeeded(r))
            return events;
        const QJsonArray array = r->data().value("events"_L1).toArray();
        for (const QJsonValue &v : array) {
            if (const auto e = RoomEvent::fromJson(v.toObject()))
                events.append(*e);
        }
        return events;
    }
    // The one summary of \a room among \a rooms; none if it is missing or listed twice.
    static std::optional<protocol::RoomSummary> onlySummary(
        const QList<protocol::RoomSummary> &rooms, qint64 room)
    {
        std::optional<protocol::RoomSummary> found;
        for (const auto &s : rooms) {
            if (s.id != room)
                continue;
            if (found)
                return std::nullopt;
            found = s;
        }
        return found;
    }
    int groupCount() const
    {
        return test::readDirectly(
            m_team.server->databaseLocation(), u"SELECT COUNT(*) FROM rooms WHERE kind = 2"_s)
            .toInt();
    }
    // A group of ana, ben and cy, opened by ana; ben and cy have their room pushes.
    qint64 openAnaBenCy(test::TestClient *ana, test::TestClient *ben, test::TestClient *cy,
        const QString &name = {})
    {
        const auto summary = summaryOf(ana->request(req::openGroup({u"ben"_s, u"cy"_s}, name)));
        if (!summary)
            return 0;
        for (test::TestClient *c : {ben, cy}) {
            if (!waitSummary(c, summary->id))
                return 0;
        }
        return summary->id;
    }

private Q_SLOTS:
    void init() { QVERIFY(m_team.start({}, true)); }
    void cleanup() { m_team.stop(); }

    void helloAnnouncesGroups()
    {
        auto *c = m_team.clients.connectClient();
        QVERIFY(c);
        QVERIFY(c->hello()
                    .value("features"_L1)
                    .toArray()
                    .contains(QString(protocol::features::Groups)));
    }

    void openingAGroupTellsEveryone()
    {
        auto *ana = m_team.clients.registered(u"ana"_s);
        auto *ben = m_team.clients.registered(u"ben"_s);
        auto *cy = m_team.clients.registered(u"Cy"_s);
        QVERIFY(ana && ben && cy);
        auto *anaPhone = m_team.clients.signedIn(ana->token());
        QVERIFY(anaPhone);
        // Your own name is ignored.
        const auto summary = summaryOf(ana->request(req::openGroup({u"cy"_s, u"ana"_s, u"ben"_s})));
        QVERIFY(summary);
        QVERIFY(summary->group);
        QVERIFY(summary->direct);
        QCOMPARE(summary->memberCount, 3);
        QCOMPARE(summary->members, (QStringList {u"ana"_s, u"ben"_s, u"Cy"_s}));
        QCOMPARE(summary->name, u"ben, Cy"_s);
        QCOMPARE(summary->notify, u"all"_s);
        QVERIFY(summary->topic.isEmpty());
        const qint64 room = summary->id;

        // The names differ per viewer.
        const QHash<test::TestClient *, QString> names {
            {ben, u"ana, Cy"_s}, {cy, u"ana, ben"_s}, {anaPhone, u"ben, Cy"_s}};
        for (auto it = names.cbegin(); it != names.cend(); ++it) {
            const auto pushed = waitSummary(it.key(), room);
            QVERIFY(pushed);
            QVERIFY(pushed->group);
            QCOMPARE(pushed->name, it.value());
            QCOMPARE(pushed->members.size(), 3);
        }
        // The log: create, then a join per member, the creator first.
        const QList<RoomEvent> events = history(cy, room);
        QCOMPARE(events.size(), 4);
        QCOMPARE(events[0].kind, EventKind::Create);
        QCOMPARE(events[1].kind, EventKind::Join);
        QCOMPARE(events[1].sender, u"ana"_s);
        QCOMPARE(events[2].sender, u"Cy"_s);
        QCOMPARE(events[3].sender, u"ben"_s);
        for (test::TestClient *c : {ana, ben, cy})
            QVERIFY2(c->waitEvent(room, 4), qPrintable(c->user()));

        // Messages, unread counts and mentions as in any room.
        QVERIFY(succeeded(ben->request(req::send(room, u"t1"_s, u"hi @Cy"_s))));
        auto *cyLater = m_team.clients.connectClient();
        QVERIFY(cyLater && cyLater->login(u"Cy"_s));
        const auto state = protocol::SignedIn::fromJson(cyLater->session());
        QVERIFY(state);
        const auto cys = onlySummary(state->rooms, room);
        QVERIFY(cys);
        QVERIFY(cys->group);
        QCOMPARE(cys->unread, 1);
        QCOMPARE(cys->mentions, 1);
        QCOMPARE(cys->name, u"ana, ben"_s);

        // A named group is called so by everyone; a second open_group is a second group.
        const auto named = summaryOf(ana->request(req::openGroup({u"ben"_s}, u"Lunch"_s)));
        QVERIFY(named);
        QCOMPARE(named->name, u"Lunch"_s);
        QVERIFY(named->id != room);
        const auto benNamed = waitSummary(ben, named->id);
        QVERIFY(benNamed);
        QCOMPARE(benNamed->name, u"Lunch"_s);
    }

    void openGroupRefusals()
    {
        auto *ana = m_team.clients.registered(u"ana"_s);
        QVERIFY(m_team.clients.registered(u"ben"_s));
        QVERIFY(ana);
        const auto unknown = ana->request(req::openGroup({u"ben"_s, u"nobody"_s}));
        QCOMPARE(errorOf(unknown), ErrorCode::NotFound);
        QCOMPARE(fieldOf(unknown), u"users"_s);
        QCOMPARE(errorOf(ana->request(req::openGroup({u"ana"_s}))), ErrorCode::BadRequest);
        // Nothing was created for anyone.
        const auto state = protocol::SignedIn::fromJson(ana->session());
        QVERIFY(state);
        auto *again = m_team.clients.signedIn(ana->token());
        QVERIFY(again);
        const auto after = protocol::SignedIn::fromJson(again->session());
        QVERIFY(after);
        QCOMPARE(after->rooms.size(), state->rooms.size());
    }

    void addingSomeone()
    {
        auto *ana = m_team.clients.registered(u"ana"_s);
        auto *ben = m_team.clients.registered(u"ben"_s);
        auto *cy = m_team.clients.registered(u"cy"_s);
        auto *dee = m_team.clients.registered(u"dee"_s);
        auto *eve = m_team.clients.registered(u"eve"_s);
        QVERIFY(ana && ben && cy && dee && eve);
        const qint64 room = openAnaBenCy(ana, ben, cy);
        QVERIFY(room > 0);
        QVERIFY(succeeded(ana->request(req::send(room, u"t1"_s, u"before dee"_s))));

        // An outsider cannot add anyone, nor tell the group exists.
        QCOMPARE(errorOf(eve->request(req::addToGroup(room, u"eve"_s))), ErrorCode::NotFound);
        QCOMPARE(errorOf(eve->request(req::members(room))), ErrorCode::NotFound);
        QCOMPARE(errorOf(eve->request(req::join(room))), ErrorCode::NotFound);

        // Any member adds; not only the creator.
        const auto added = ben->request(req::addToGroup(room, u"dee"_s));
        QVERIFY(succeeded(added));
        const qint64 seq = qint64(added->data().value("seq"_L1).toDouble());
        QCOMPARE(seq, 6); // create, 3 joins, a message, the add
        const auto pushed = waitSummary(dee, room);
        QVERIFY(pushed);
        QVERIFY(pushed->group);
        QCOMPARE(pushed->memberCount, 4);
        QCOMPARE(pushed->readSeq, seq);
        QCOMPARE(pushed->unread, 0);
        QCOMPARE(pushed->name, u"ana, ben, cy"_s);
        for (test::TestClient *c : {ana, ben, cy, dee}) {
            const auto e = c->waitEvent(room, seq);
            QVERIFY2(e, qPrintable(c->user()));
            QCOMPARE(e->kind, EventKind::Add);
            QCOMPARE(e->sender, u"ben"_s);
            QCOMPARE(e->user, u"dee"_s);
        }
        // The new member reads the whole log, as in a channel, the add replayed with its user.
        const QList<RoomEvent> events = history(dee, room);
        QCOMPARE(events.size(), 6);
        QCOMPARE(events[4].text, u"before dee"_s);
        QCOMPARE(events[5].kind, EventKind::Add);
        QCOMPARE(events[5].user, u"dee"_s);
        QCOMPARE(events[5].sender, u"ben"_s);
        // And writes in it.
        QVERIFY(succeeded(dee->request(req::send(room, u"t2"_s, u"hello"_s))));

        QCOMPARE(errorOf(ana->request(req::addToGroup(room, u"dee"_s))), ErrorCode::AlreadyMember);
        const auto nobody = ana->request(req::addToGroup(room, u"nobody"_s));
        QCOMPARE(errorOf(nobody), ErrorCode::NotFound);
        QCOMPARE(fieldOf(nobody), u"user"_s);
        // Channels and direct rooms are not groups.
        const qint64 channel = test::createRoom(ana, u"general"_s);
        QCOMPARE(errorOf(ana->request(req::addToGroup(channel, u"eve"_s))), ErrorCode::NotFound);
        const auto direct = summaryOf(ana->request(req::openDirect(u"eve"_s)));
        QVERIFY(direct);
        QCOMPARE(errorOf(ana->request(req::addToGroup(direct->id, u"ben"_s))), ErrorCode::NotFound);
        // What channels have, groups have not.
        QCOMPARE(errorOf(ana->request(req::setTopic(room, u"topic"_s))), ErrorCode::Forbidden);
        QCOMPARE(errorOf(ana->request(req::invite(room, u"eve"_s))), ErrorCode::Forbidden);

        // After a restart the group, its members and its name are all there.
        QVERIFY(m_team.server->restart());
        auto *deeAgain = m_team.clients.signedIn(dee->token());
        QVERIFY(deeAgain);
        const auto state = protocol::SignedIn::fromJson(deeAgain->session());
        QVERIFY(state);
        const auto dees = onlySummary(state->rooms, room);
        QVERIFY(dees);
        QVERIFY(dees->group);
        QCOMPARE(dees->memberCount, 4);
        QCOMPARE(dees->name, u"ana, ben, cy"_s);
        const QList<RoomEvent> replayed = history(deeAgain, room);
        QVERIFY(replayed.size() >= 6);
        QCOMPARE(replayed[5].kind, EventKind::Add);
        QCOMPARE(replayed[5].user, u"dee"_s);
    }

    void tenAtMost()
    {
        auto *ana = m_team.clients.registered(u"ana"_s);
        QVERIFY(ana);
        QStringList others;
        for (int i = 1; i < protocol::MaxGroupMembers; ++i) {
            others.append(u"user%1"_s.arg(i));
            QVERIFY(m_team.clients.registered(others.last()));
        }
        QVERIFY(m_team.clients.registered(u"eleventh"_s));
        const auto summary = summaryOf(ana->request(req::openGroup(others)));
        QVERIFY(summary);
        QCOMPARE(summary->memberCount, protocol::MaxGroupMembers);
        QCOMPARE(errorOf(ana->request(req::addToGroup(summary->id, u"eleventh"_s))),
            ErrorCode::Forbidden);
        // Once someone leaves, there is room again.
        auto *leaver = m_team.clients.connectClient();
        QVERIFY(leaver && leaver->login(u"user1"_s));
        QVERIFY(succeeded(leaver->request(req::leave(summary->id))));
        QVERIFY(succeeded(ana->request(req::addToGroup(summary->id, u"eleventh"_s))));
    }

    void leavingAGroup()
    {
        auto *ana = m_team.clients.registered(u"ana"_s);
        auto *ben = m_team.clients.registered(u"ben"_s);
        auto *cy = m_team.clients.registered(u"cy"_s);
        QVERIFY(ana && ben && cy);
        const qint64 room = openAnaBenCy(ana, ben, cy);
        QVERIFY(room > 0);
        const auto left = cy->request(req::leave(room));
        QVERIFY(succeeded(left));
        const qint64 seq = qint64(left->data().value("seq"_L1).toDouble());
        for (test::TestClient *c : {ana, ben}) {
            const auto e = c->waitEvent(room, seq);
            QVERIFY(e);
            QCOMPARE(e->kind, EventKind::Leave);
        }
        // Gone for the leaver: not there any more, as for any outsider.
        QCOMPARE(errorOf(cy->request(req::historyAfter(room, 0, 100))), ErrorCode::NotFound);
        QCOMPARE(errorOf(cy->request(req::join(room))), ErrorCode::NotFound);
        auto *anaAgain = m_team.clients.signedIn(ana->token());
        QVERIFY(anaAgain);
        const auto state = protocol::SignedIn::fromJson(anaAgain->session());
        QVERIFY(state);
        for (const auto &s : state->rooms) {
            if (s.id == room) {
                QCOMPARE(s.name, u"ben"_s);
                QCOMPARE(s.memberCount, 2);
            }
        }
        // Someone can add the leaver back.
        QVERIFY(succeeded(ben->request(req::addToGroup(room, u"cy"_s))));
        QVERIFY(waitSummary(cy, room));
        // Direct rooms still cannot be left.
        const auto direct = summaryOf(ana->request(req::openDirect(u"ben"_s)));
        QVERIFY(direct);
        QCOMPARE(errorOf(ana->request(req::leave(direct->id))), ErrorCode::Forbidden);
    }

    void openGroupWithSomeoneWhoDeletedTheirAccountMeanwhile()
    {
        auto *ana = m_team.clients.registered(u"ana"_s);
        auto *cy = m_team.clients.registered(u"cy"_s);
        QVERIFY(ana && cy);
        test::WriterHold hold(*m_team.server);
        QVERIFY(hold.holding());
        // cy's deletion is queued first; ana's check still finds cy, its write comes next.
        test::sendWithoutWaiting(cy, req::deleteAccount(u"password-123"_s), u"delete"_s);
        QVERIFY(hold.waitQueued(1));
        test::sendWithoutWaiting(ana, req::openGroup({u"cy"_s}), u"open"_s);
        QVERIFY(hold.waitQueued(2));
        hold.release();
        const auto reply = test::strayReply(ana, u"open"_s);
        QCOMPARE(errorOf(reply), ErrorCode::NotFound);
        QCOMPARE(fieldOf(reply), u"users"_s);
        QCOMPARE(groupCount(), 0);
    }

    void addToGroupSomeoneWhoDeletedTheirAccountMeanwhile()
    {
        auto *ana = m_team.clients.registered(u"ana"_s);
        auto *ben = m_team.clients.registered(u"ben"_s);
        auto *cy = m_team.clients.registered(u"cy"_s);
        QVERIFY(ana && ben && cy);
        const auto group = summaryOf(ana->request(req::openGroup({u"ben"_s})));
        QVERIFY(group);
        test::WriterHold hold(*m_team.server);
        QVERIFY(hold.holding());
        test::sendWithoutWaiting(cy, req::deleteAccount(u"password-123"_s), u"delete"_s);
        QVERIFY(hold.waitQueued(1));
        test::sendWithoutWaiting(ana, req::addToGroup(group->id, u"cy"_s), u"add"_s);
        QVERIFY(hold.waitQueued(2));
        hold.release();
        const auto reply = test::strayReply(ana, u"add"_s);
        QCOMPARE(errorOf(reply), ErrorCode::NotFound);
        QCOMPARE(fieldOf(reply), u"user"_s);
        const auto members = ana->request(req::members(group->id));
        QVERIFY(succeeded(members));
        QCOMPARE(members->data().value("members"_L1).toArray().size(), 2);
    }

    void addToGroupAfterTheAddersLeaveCommitted()
    {
        auto *ana = m_team.clients.registered(u"ana"_s);
        auto *ben = m_team.clients.registered(u"ben"_s);
        auto *cy = m_team.clients.registered(u"cy"_s);
        QVERIFY(ana && ben && cy && m_team.clients.registered(u"dee"_s));
        const qint64 room = openAnaBenCy(ana, ben, cy);
        QVERIFY(room);
        auto *anaPhone = m_team.clients.signedIn(ana->token());
        QVERIFY(anaPhone);
        test::WriterHold hold(*m_team.server);
        QVERIFY(hold.holding());
        // ana leaves on her phone; on the laptop she adds dee, checked before the leave commits.
        test::sendWithoutWaiting(anaPhone, req::leave(room), u"leave"_s);
        QVERIFY(hold.waitQueued(1));
        test::sendWithoutWaiting(ana, req::addToGroup(room, u"dee"_s), u"add"_s);
        QVERIFY(hold.waitQueued(2));
        hold.release();
        QVERIFY(succeeded(test::strayReply(anaPhone, u"leave"_s)));
        // As for any group she is not in (§18.4).
        const auto reply = test::strayReply(ana, u"add"_s);
        QCOMPARE(errorOf(reply), ErrorCode::NotFound);
        QCOMPARE(fieldOf(reply), u"room"_s);
        // She really left: ben can add her back.
        QVERIFY(succeeded(ben->request(req::addToGroup(room, u"ana"_s))));
    }
};

CONFAB_SERVER_TEST_MAIN(TestGroups)
#include "tst_groups.moc"
