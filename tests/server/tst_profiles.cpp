// SPDX-License-Identifier: GPL-3.0-or-later
// Profiles (protocol §18.2) through real sockets on 127.0.0.1 and a real SQLite file:
// set_profile and where the profile shows, who gets the `profile` push, avatar checks, avatar
// files readable by everyone signed in, finding people by display name, and a restart.
#include "clientpool.h"
#include "protocol/accountrequests.h"
#include "protocol/selfserviceresults.h"
#include "protocol/teamrequests.h"
#include "teamfixture.h"
#include "testclient.h"
#include "testserver.h"
#include "uploadhelpers.h"
#include "writerhold.h"

#include <QBuffer>
#include <QImage>
#include <QJsonArray>
#include <QtTest>
#include <memory>

using namespace Qt::StringLiterals;
using namespace confab;
using protocol::ErrorCode;
using protocol::ServerFrameType;
namespace req = protocol::requests;
using test::errorOf;
using test::settle;

namespace {

QByteArray pngOf(int width, int height)
{
    QImage image(width, height, QImage::Format_RGB32);
    image.fill(qRgb(200, 80, 40));
    QByteArray bytes;
    QBuffer buffer(&bytes);
    buffer.open(QIODevice::WriteOnly);
    image.save(&buffer, "png");
    return bytes;
}

// The entry of \a user in the array \a key of \a data.
QJsonObject entryOf(const QJsonObject &data, QLatin1StringView key, const QString &user)
{
    for (const QJsonValue &v : data.value(key).toArray()) {
        if (v.toObject().value("user"_L1).toString() == user)
            return v.toObject();
    }
    return {};
}

QList<protocol::Profile> profilePushes(const test::TestClient *c)
{
    QList<protocol::Profile> profiles;
    for (const protocol::ServerFrame &f : c->pushes()) {
        if (f.type == ServerFrameType::Profile) {
            if (const auto p = f.profile())
                profiles.append(*p);
        }
    }
    return profiles;
}

} // namespace

class TestProfiles : public QObject
{
    Q_OBJECT

private:
    test::TeamFixture m_team;

    static std::optional<protocol::ServerFrame> setProfile(test::TestClient *c,
        const std::optional<QString> &displayName, const std::optional<QString> &status = {},
        std::optional<qint64> avatar = {})
    {
        return c->request(req::setProfile(displayName, status, avatar));
    }

    static bool downloads(test::TestClient *c, qint64 file, bool thumbnail = false)
    {
        const auto r = c->request(req::download(file, 0, 0, thumbnail));
        return r && r->type == ServerFrameType::Result;
    }

private Q_SLOTS:
    void init()
    {
        QVERIFY(m_team.start([](server::ServerConfig &config) {
            config.limits.ratePerSecond = 10'000;
            config.limits.rateBurst = 10'000;
        }));
    }
    void cleanup() { m_team.stop(); }

    void helloOffersProfiles()
    {
        test::TestClient *c = m_team.clients.connectClient();
        QVERIFY(c);
        QVERIFY(c->hello().value("features"_L1).toArray().contains(u"profiles"_s));
    }

    void setProfileShowsInMembersUsersAndSignIn()
    {
        test::TestClient *ana = m_team.clients.registered(u"ana"_s);
        test::TestClient *bob = m_team.clients.registered(u"bob"_s);
        QVERIFY(ana && bob);
        // A new account's profile is empty, and present (§18.2: always on this server).
        QCOMPARE(ana->session().value("displayName"_L1), QJsonValue(u""_s));
        QCOMPARE(ana->session().value("avatar"_L1).toInteger(-1), 0);
        const qint64 room = test::createRoom(ana, u"general"_s);
        QVERIFY(room > 0);
        QVERIFY(bob->request(req::join(room))->type == ServerFrameType::Result);

        const auto r = setProfile(ana, u"  Ana Lima "_s, u" in a meeting  "_s);
        QVERIFY(r && r->type == ServerFrameType::Result);
        const auto profile = protocol::Profile::fromJson(r->data());
        QVERIFY(profile);
        QCOMPARE(*profile, (protocol::Profile {u"ana"_s, u"Ana Lima"_s, u"in a meeting"_s, 0}));

        const auto members = bob->request(req::members(room));
        QVERIFY(members && members->type == ServerFrameType::Result);
        const QJsonObject anaEntry = entryOf(members->data(), "members"_L1, u"ana"_s);
        QCOMPARE(anaEntry.value("displayName"_L1).toString(), u"Ana Lima"_s);
        QCOMPARE(anaEntry.value("status"_L1).toString(), u"in a meeting"_s);
        QCOMPARE(entryOf(members->data(), "members"_L1, u"bob"_s).value("displayName"_L1),
            QJsonValue(u""_s));

        const auto users = bob->request(req::users(u"ana"_s));
        QVERIFY(users && users->type == ServerFrameType::Result);
        QCOMPARE(entryOf(users->data(), "users"_L1, u"ana"_s).value("displayName"_L1).toString(),
            u"Ana Lima"_s);

        test::TestClient *again = m_team.clients.connectClient();
        QVERIFY(again && again->login(u"ana"_s));
        QCOMPARE(again->session().value("displayName"_L1).toString(), u"Ana Lima"_s);
        QCOMPARE(again->session().value("status"_L1).toString(), u"in a meeting"_s);
        test::TestClient *resumed = m_team.clients.signedIn(ana->token());
        QVERIFY(resumed);
        QCOMPARE(resumed->session().value("displayName"_L1).toString(), u"Ana Lima"_s);

        // Only given fields change; "" clears one.
        const auto cleared = setProfile(ana, std::nullopt, u""_s);
        QVERIFY(cleared && cleared->type == ServerFrameType::Result);
        QCOMPARE(*protocol::Profile::fromJson(cleared->data()),
            (protocol::Profile {u"ana"_s, u"Ana Lima"_s, {}, 0}));
    }

    void setProfileNeedsAField()
    {
        test::TestClient *ana = m_team.clients.registered(u"ana"_s);
        QVERIFY(ana);
        const auto r = setProfile(ana, std::nullopt);
        QCOMPARE(errorOf(r), ErrorCode::BadRequest);
        QCOMPARE(r->body.value("field"_L1).toString(), u"displayName"_s);
    }

    void pushReachesRoommatesAndOwnConnectionsOnly()
    {
        test::TestClient *ana = m_team.clients.registered(u"ana"_s);
        test::TestClient *bob = m_team.clients.registered(u"bob"_s);
        test::TestClient *carol = m_team.clients.registered(u"carol"_s);
        test::TestClient *dave = m_team.clients.registered(u"dave"_s);
        QVERIFY(ana && bob && carol && dave);
        test::TestClient *anaPhone = m_team.clients.signedIn(ana->token());
        QVERIFY(anaPhone);
        // bob shares a channel with ana, carol a direct room; dave shares nothing.
        const qint64 room = test::createRoom(ana, u"general"_s);
        QVERIFY(room > 0);
        QVERIFY(bob->request(req::join(room))->type == ServerFrameType::Result);
        const auto direct = carol->request(req::openDirect(u"ana"_s));
        QVERIFY(direct && direct->type == ServerFrameType::Result);
        test::createRoom(dave, u"elsewhere"_s);

        const protocol::Profile expected {u"ana"_s, u"Ana"_s, u"here"_s, 0};
        for (test::TestClient *c : {ana, anaPhone, bob, carol, dave})
            c->clearPushes();
        QVERIFY(setProfile(ana, u"Ana"_s, u"here"_s)->type == ServerFrameType::Result);
        for (test::TestClient *c : {ana, anaPhone, bob, carol}) {
            const auto push
                = c->waitPush([](const auto &f) { return f.type == ServerFrameType::Profile; });
            QVERIFY(push);
            QCOMPARE(push->profile(), std::optional(expected));
        }
        QVERIFY(settle(dave));
        QVERIFY(profilePushes(dave).isEmpty());

        // The same values again: answered, but nobody is told.
        for (test::TestClient *c : {ana, anaPhone, bob, carol})
            c->clearPushes();
        const auto same = setProfile(ana, u" Ana "_s, u"here"_s);
        QVERIFY(same && same->type == ServerFrameType::Result);
        QCOMPARE(protocol::Profile::fromJson(same->data()), std::optional(expected));
        QVERIFY(setProfile(ana, std::nullopt, u"away"_s)->type == ServerFrameType::Result);
        // The first profile push each gets is this change's.
        QVERIFY(settle(ana));
        QVERIFY(settle(bob));
        for (test::TestClient *c : {ana, bob}) {
            const QList<protocol::Profile> pushes = profilePushes(c);
            QCOMPARE(pushes.size(), 1);
            QCOMPARE(pushes.first().status, u"away"_s);
        }
    }

    void avatarMustBeYourOwnImage()
    {
        test::TestClient *ana = m_team.clients.registered(u"ana"_s);
        test::TestClient *bob = m_team.clients.registered(u"bob"_s);
        QVERIFY(ana && bob);
        const auto bobs = test::uploadFile(bob, u"bob.png"_s, pngOf(300, 200));
        QVERIFY(bobs && bobs->thumbnail);
        const auto text = test::uploadFile(ana, u"notes.txt"_s, "just some words\n"_ba);
        QVERIFY(text);

        QCOMPARE(
            errorOf(setProfile(ana, std::nullopt, std::nullopt, bobs->id)), ErrorCode::NotFound);
        QCOMPARE(
            errorOf(setProfile(ana, std::nullopt, std::nullopt, 999'999)), ErrorCode::NotFound);
        const auto notImage = setProfile(ana, std::nullopt, std::nullopt, text->id);
        QCOMPARE(errorOf(notImage), ErrorCode::BadRequest);
        QCOMPARE(notImage->body.value("field"_L1).toString(), u"avatar"_s);
        // Nothing changed on a refusal.
        const auto users = ana->request(req::users(u"ana"_s));
        QCOMPARE(entryOf(users->data(), "users"_L1, u"ana"_s).value("avatar"_L1).toInteger(-1), 0);
    }

    void avatarIsReadableByEveryoneSignedInWhileItIsOne()
    {
        test::TestClient *ana = m_team.clients.registered(u"ana"_s);
        test::TestClient *dave = m_team.clients.registered(u"dave"_s);
        QVERIFY(ana && dave);
        const auto picture = test::uploadFile(ana, u"me.png"_s, pngOf(400, 300));
        QVERIFY(picture && picture->thumbnail);
        // dave shares no room with ana and no message has the file.
        QVERIFY(!downloads(dave, picture->id));

        const auto r = setProfile(ana, std::nullopt, std::nullopt, picture->id);
        QVERIFY(r && r->type == ServerFrameType::Result);
        QCOMPARE(protocol::Profile::fromJson(r->data())->avatar, picture->id);
        QVERIFY(downloads(dave, picture->id));
        QVERIFY(downloads(dave, picture->id, true));
        const auto users = dave->request(req::users(u"ana"_s));
        QCOMPARE(entryOf(users->data(), "users"_L1, u"ana"_s).value("avatar"_L1).toInteger(),
            picture->id);

        // Removed again: the file is private to its uploader once more.
        QVERIFY(setProfile(ana, std::nullopt, std::nullopt, 0)->type == ServerFrameType::Result);
        QVERIFY(!downloads(dave, picture->id));
        QVERIFY(downloads(ana, picture->id));
    }

    void usersFindsDisplayNames()
    {
        test::TestClient *ana = m_team.clients.registered(u"ana"_s);
        test::TestClient *zed = m_team.clients.registered(u"zed"_s);
        test::TestClient *blima = m_team.clients.registered(u"blima"_s);
        QVERIFY(ana && zed && blima);
        QVERIFY(setProfile(zed, u"Lima Zed"_s)->type == ServerFrameType::Result);
        QVERIFY(setProfile(ana, u"Ana Lima"_s)->type == ServerFrameType::Result);

        const auto r = ana->request(req::users(u"LIMA"_s));
        QVERIFY(r && r->type == ServerFrameType::Result);
        QStringList names;
        for (const QJsonValue &v : r->data().value("users"_L1).toArray())
            names.append(v.toObject().value("user"_L1).toString());
        // Prefix matches of either name first (blima's username, zed's display name), then
        // by username.
        QCOMPARE(names, (QStringList {u"zed"_s, u"ana"_s, u"blima"_s}));
        const auto none = ana->request(req::users(u"nobody"_s));
        QVERIFY(none->data().value("users"_L1).toArray().isEmpty());
    }

    void profileSurvivesARestart()
    {
        test::TestClient *ana = m_team.clients.registered(u"ana"_s);
        QVERIFY(ana);
        const auto picture = test::uploadFile(ana, u"me.png"_s, pngOf(256, 256));
        QVERIFY(picture);
        QVERIFY(setProfile(ana, u"Ana Lima"_s, u"back soon"_s, picture->id)->type
            == ServerFrameType::Result);
        m_team.clients.clear();
        QVERIFY(m_team.server->restart());

        test::TestClient *again = m_team.clients.connectClient();
        QVERIFY(again && again->login(u"ana"_s));
        QCOMPARE(protocol::Profile::readFrom(again->session(), u"ana"_s),
            (protocol::Profile {u"ana"_s, u"Ana Lima"_s, u"back soon"_s, picture->id}));
        test::TestClient *bob = m_team.clients.registered(u"bob"_s);
        QVERIFY(bob && downloads(bob, picture->id));
        const auto found = bob->request(req::users(u"lima"_s));
        QCOMPARE(entryOf(found->data(), "users"_L1, u"ana"_s).value("status"_L1).toString(),
            u"back soon"_s);
    }

    void anAvatarIsSeenByAllButAttachedOnlyByItsUploader()
    {
        test::TestClient *ana = m_team.clients.registered(u"ana"_s);
        test::TestClient *bob = m_team.clients.registered(u"bob"_s);
        QVERIFY(ana && bob);
        const qint64 club = test::createRoom(ana, u"club"_s);
        QVERIFY(club);
        QVERIFY(bob->request(req::join(club))->type == ServerFrameType::Result);
        const auto picture = test::uploadFile(ana, u"me.png"_s, pngOf(400, 300));
        QVERIFY(picture && picture->thumbnail);
        QVERIFY(setProfile(ana, std::nullopt, std::nullopt, picture->id)->type
            == ServerFrameType::Result);
        QVERIFY(downloads(bob, picture->id));
        // Seeing it does not make it bob's to share: it would outlive the avatar in the log.
        const auto refused = bob->request(req::send(club, u"t1"_s, u"look"_s, 0, {picture->id}));
        QCOMPARE(errorOf(refused), ErrorCode::NotFound);
        QCOMPARE(refused->body.value("field"_L1).toString(), u"attachments"_s);
        // Its uploader may.
        const auto sent = ana->request(req::send(club, u"t2"_s, u"me"_s, 0, {picture->id}));
        QVERIFY(sent && sent->type == ServerFrameType::Result);
        // Once a message has it, the room's members may attach it as any file of the room.
        const auto shared = bob->request(req::send(club, u"t3"_s, u"again"_s, 0, {picture->id}));
        QVERIFY(shared && shared->type == ServerFrameType::Result);
    }

    void aProfileChangeQueuedBehindADeletionRevivesNothing()
    {
        // Not ana: the first account is the admin, who may not delete the last admin account.
        QVERIFY(m_team.clients.registered(u"root"_s));
        test::TestClient *ana = m_team.clients.registered(u"ana"_s);
        test::TestClient *bob = m_team.clients.registered(u"bob"_s);
        QVERIFY(ana && bob);
        const auto direct = bob->request(req::openDirect(u"ana"_s));
        QVERIFY(direct && direct->type == ServerFrameType::Result);
        const qint64 dm
            = qint64(direct->data().value("room"_L1).toObject().value("id"_L1).toDouble());
        QVERIFY(setProfile(ana, u"Ana Lima"_s, u"around"_s)->type == ServerFrameType::Result);
        QVERIFY(bob->waitPush(
            [](const protocol::ServerFrame &f) { return f.type == ServerFrameType::Profile; }));
        bob->clearPushes();

        test::WriterHold hold(*m_team.server);
        QVERIFY(hold.holding());
        test::sendWithoutWaiting(ana, req::deleteAccount(u"password-123"_s), u"delete"_s);
        QVERIFY(hold.waitQueued(1));
        test::sendWithoutWaiting(ana, req::setProfile(u"Back again"_s), u"profile"_s);
        QVERIFY(hold.waitQueued(2));
        hold.release();
        const auto deleted = test::strayReply(ana, u"delete"_s);
        QVERIFY(deleted && deleted->type == ServerFrameType::Result);
        // The queued change is refused or, as the connection closes first, never answered
        // (§18.1); it is never a result.
        QVERIFY(test::TestClient::waitUntil([ana] { return ana->closeCode() == 4001; }, 10000));
        for (const protocol::ServerFrame &f : ana->strayReplies()) {
            if (f.id.toString() == u"profile"_s)
                QCOMPARE(errorOf(f), protocol::ErrorCode::NotFound);
        }

        QCOMPARE(test::readDirectly(m_team.server->databaseLocation(),
                     u"SELECT display_name || status FROM users WHERE name = 'ana'"_s)
                     .toString(),
            QString());
        // bob, who shared a room with her, is told her profile is empty now.
        const auto pushed = bob->waitPush([](const protocol::ServerFrame &f) {
            return f.type == ServerFrameType::Profile && f.profile()
                && f.profile()->user == u"ana"_s;
        });
        QVERIFY(pushed);
        QCOMPARE(pushed->profile()->displayName, QString());
        QCOMPARE(pushed->profile()->status, QString());
        QVERIFY(settle(bob));
        for (const protocol::Profile &p : profilePushes(bob))
            QCOMPARE(p.displayName, QString());
        // What the direct room's member list shows comes from the server's cache.
        const auto members = bob->request(req::members(dm));
        QVERIFY(members && members->type == ServerFrameType::Result);
        const QJsonObject entry = entryOf(members->data(), "members"_L1, u"ana"_s);
        QVERIFY(!entry.isEmpty());
        QCOMPARE(entry.value("displayName"_L1).toString(u"missing"_s), QString());
        QCOMPARE(entry.value("status"_L1).toString(u"missing"_s), QString());
    }
};

CONFAB_SERVER_TEST_MAIN(TestProfiles)
#include "tst_profiles.moc"
