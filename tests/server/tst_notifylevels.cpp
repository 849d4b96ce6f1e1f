// SPDX-License-Identifier: GPL-3.0-or-later
// Notification levels and do-not-disturb (protocol §18.3) through real sockets on 127.0.0.1
// over a real SQLite file: what set_notify and set_dnd store, which connections hear of it,
// and what the sign-in results and room summaries carry afterwards.
#include "clientpool.h"
#include "protocol/accountrequests.h"
#include "protocol/hello.h"
#include "protocol/results.h"
#include "teamfixture.h"
#include "testclient.h"
#include "testserver.h"
#include "writerhold.h"

#include <QDateTime>
#include <QJsonArray>
#include <QtTest>
#include <memory>

using namespace Qt::StringLiterals;
using namespace confab;
using protocol::ErrorCode;
using protocol::NotifyLevel;
using protocol::ServerFrame;
using protocol::ServerFrameType;
namespace req = protocol::requests;
using test::errorOf;
using test::succeeded;
using test::waitSummary;

class TestNotifyLevels : public QObject
{
    Q_OBJECT

private:
    test::TeamFixture m_team;

    // The level a sign-in result shows for \a room; empty if the room is not there.
    static QString levelIn(const QJsonObject &session, qint64 room)
    {
        const auto state = protocol::SignedIn::fromJson(session);
        if (!state)
            return u"(unreadable)"_s;
        for (const auto &s : state->rooms) {
            if (s.id == room)
                return s.notify;
        }
        return {};
    }

private Q_SLOTS:
    void init() { QVERIFY(m_team.start({}, true)); }
    void cleanup() { m_team.stop(); }

    void helloAnnouncesNotify()
    {
        auto *c = m_team.clients.connectClient();
        QVERIFY(c);
        QVERIFY(c->hello()
                    .value("features"_L1)
                    .toArray()
                    .contains(QString(protocol::features::Notify)));
    }

    void levelIsStoredAndPushedToEveryConnection()
    {
        auto *ana = m_team.clients.registered(u"ana"_s);
        QVERIFY(ana);
        const qint64 room = test::createRoom(ana, u"general"_s);
        QVERIFY(room > 0);
        // A new member's level is the default, and every summary says so.
        QCOMPARE(levelIn(ana->session(), room), QString()); // signed in before the room
        auto *laptop = m_team.clients.signedIn(ana->token());
        QVERIFY(laptop);
        QCOMPARE(levelIn(laptop->session(), room), u"all"_s);

        QVERIFY(succeeded(ana->request(req::setNotify(room, NotifyLevel::Mentions))));
        const auto pushed = waitSummary(laptop, room);
        QVERIFY(pushed);
        QCOMPARE(pushed->notify, u"mentions"_s);
        // The asking connection hears it too: "all your connections".
        const auto own = waitSummary(ana, room);
        QVERIFY(own);
        QCOMPARE(own->notify, u"mentions"_s);

        // Another member's level is theirs alone.
        auto *ben = m_team.clients.registered(u"ben"_s);
        QVERIFY(ben);
        const auto joined = ben->request(req::join(room));
        QVERIFY(succeeded(joined));
        QCOMPARE(
            joined->data().value("room"_L1).toObject().value("notify"_L1).toString(), u"all"_s);

        // A fresh sign-in and a restart both keep it.
        auto *phone = m_team.clients.connectClient();
        QVERIFY(phone && phone->login(u"ana"_s));
        QCOMPARE(levelIn(phone->session(), room), u"mentions"_s);
        QVERIFY(m_team.server->restart());
        auto *again = m_team.clients.signedIn(ana->token());
        QVERIFY(again);
        QCOMPARE(levelIn(again->session(), room), u"mentions"_s);
        QVERIFY(succeeded(again->request(req::setNotify(room, NotifyLevel::Nothing))));
        const auto none = waitSummary(again, room);
        QVERIFY(none);
        QCOMPARE(none->notify, u"none"_s);
    }

    void levelsLeaveCountsAlone()
    {
        auto *ana = m_team.clients.registered(u"ana"_s);
        auto *ben = m_team.clients.registered(u"ben"_s);
        QVERIFY(ana && ben);
        const qint64 room = test::createRoom(ana, u"quiet"_s);
        QVERIFY(succeeded(ben->request(req::join(room))));
        QVERIFY(succeeded(ben->request(req::setNotify(room, NotifyLevel::Nothing))));
        QVERIFY(succeeded(ana->request(req::send(room, u"t1"_s, u"hello @ben"_s))));
        auto *benAgain = m_team.clients.connectClient();
        QVERIFY(benAgain && benAgain->login(u"ben"_s));
        const auto state = protocol::SignedIn::fromJson(benAgain->session());
        QVERIFY(state);
        bool found = false;
        for (const auto &s : state->rooms) {
            if (s.id != room)
                continue;
            found = true;
            QCOMPARE(s.notify, u"none"_s);
            QCOMPARE(s.unread, 1);
            QCOMPARE(s.mentions, 1);
        }
        QVERIFY(found);
    }

    void levelIsDiscardedOnLeave()
    {
        auto *ana = m_team.clients.registered(u"ana"_s);
        auto *ben = m_team.clients.registered(u"ben"_s);
        QVERIFY(ana && ben);
        const qint64 room = test::createRoom(ana, u"lobby"_s);
        QVERIFY(succeeded(ben->request(req::join(room))));
        QVERIFY(succeeded(ben->request(req::setNotify(room, NotifyLevel::Mentions))));
        QVERIFY(succeeded(ben->request(req::leave(room))));
        // Not a member: as for members (§18.3).
        QCOMPARE(errorOf(ben->request(req::setNotify(room, NotifyLevel::Nothing))),
            ErrorCode::NotMember);
        const auto rejoined = ben->request(req::join(room));
        QVERIFY(succeeded(rejoined));
        QCOMPARE(
            rejoined->data().value("room"_L1).toObject().value("notify"_L1).toString(), u"all"_s);
        // Nobody else's room, and no room at all, answer not_found.
        QCOMPARE(errorOf(ben->request(req::setNotify(room + 100, NotifyLevel::All))),
            ErrorCode::NotFound);
        auto *cy = m_team.clients.registered(u"cy"_s);
        QVERIFY(cy);
        const auto direct = ana->request(req::openDirect(u"cy"_s));
        QVERIFY(succeeded(direct));
        const qint64 directRoom
            = qint64(direct->data().value("room"_L1).toObject().value("id"_L1).toDouble());
        QCOMPARE(errorOf(ben->request(req::setNotify(directRoom, NotifyLevel::All))),
            ErrorCode::NotFound);
        // Direct rooms have levels too.
        QVERIFY(waitSummary(cy, directRoom)); // the room push of open_direct
        cy->clearPushes();
        QVERIFY(succeeded(cy->request(req::setNotify(directRoom, NotifyLevel::Mentions))));
        const auto summary = waitSummary(cy, directRoom);
        QVERIFY(summary);
        QCOMPARE(summary->notify, u"mentions"_s);
        QVERIFY(summary->direct);
    }

    void dndRoundTrip()
    {
        auto *ana = m_team.clients.registered(u"ana"_s);
        QVERIFY(ana);
        QCOMPARE(ana->session().value("dndUntil"_L1).toDouble(), 0.0);
        auto *phone = m_team.clients.signedIn(ana->token());
        QVERIFY(phone);
        const qint64 until = QDateTime::currentMSecsSinceEpoch() + 3600 * 1000;
        QVERIFY(succeeded(ana->request(req::setDnd(until))));
        for (test::TestClient *c : {ana, phone}) {
            const auto push
                = c->waitPush([](const ServerFrame &f) { return f.type == ServerFrameType::Dnd; });
            QVERIFY(push);
            QCOMPARE(push->dndUntil(), std::optional<qint64>(until));
            c->clearPushes();
        }
        // Every sign-in result carries it, after a restart too.
        auto *laptop = m_team.clients.connectClient();
        QVERIFY(laptop && laptop->login(u"ana"_s));
        QCOMPARE(qint64(laptop->session().value("dndUntil"_L1).toDouble()), until);
        QVERIFY(m_team.server->restart());
        auto *again = m_team.clients.signedIn(ana->token());
        QVERIFY(again);
        QCOMPARE(qint64(again->session().value("dndUntil"_L1).toDouble()), until);

        // A time past ends it, stored and pushed as 0.
        QVERIFY(succeeded(again->request(req::setDnd(1000))));
        const auto off
            = again->waitPush([](const ServerFrame &f) { return f.type == ServerFrameType::Dnd; });
        QVERIFY(off);
        QCOMPARE(off->dndUntil(), std::optional<qint64>(0));
        auto *later = m_team.clients.signedIn(ana->token());
        QVERIFY(later);
        QCOMPARE(later->session().value("dndUntil"_L1).toDouble(), 0.0);
    }

    void setNotifyAfterALeaveCommitted()
    {
        auto *ana = m_team.clients.registered(u"ana"_s);
        auto *ben = m_team.clients.registered(u"ben"_s);
        QVERIFY(ana && ben);
        const qint64 room = test::createRoom(ana, u"busy"_s);
        QVERIFY(room);
        QVERIFY(succeeded(ben->request(req::join(room))));
        auto *benPhone = m_team.clients.signedIn(ben->token());
        QVERIFY(benPhone);
        test::WriterHold hold(*m_team.server);
        QVERIFY(hold.holding());
        // ben leaves on his phone; the laptop's set_notify was checked before that commits.
        test::sendWithoutWaiting(benPhone, req::leave(room), u"leave"_s);
        QVERIFY(hold.waitQueued(1));
        test::sendWithoutWaiting(ben, req::setNotify(room, NotifyLevel::Nothing), u"notify"_s);
        QVERIFY(hold.waitQueued(2));
        hold.release();
        QVERIFY(succeeded(test::strayReply(benPhone, u"leave"_s)));
        QCOMPARE(errorOf(test::strayReply(ben, u"notify"_s)), ErrorCode::NotMember);
        // Joining again starts at "all" (§18.3).
        const auto joined = ben->request(req::join(room));
        QVERIFY(succeeded(joined));
        QCOMPARE(
            joined->data().value("room"_L1).toObject().value("notify"_L1).toString(), u"all"_s);
    }
};

CONFAB_SERVER_TEST_MAIN(TestNotifyLevels)
#include "tst_notifylevels.moc"
