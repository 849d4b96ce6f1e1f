// SPDX-License-Identifier: GPL-3.0-or-later
// Who may do what: every request type against every way of not belonging,
// each cell answered with the code docs/protocol.md documents, and nothing
// from a room reaching anyone outside it.
#include "accessrequests.h"
#include "admin/admincommands.h"
#include "auth/tokens.h"
#include "clientpool.h"
#include "protocol/accountrequests.h"
#include "protocol/fileframe.h"
#include "protocol/results.h"
#include "protocol/teamrequests.h"
#include "rawwebsocket.h"
#include "reliability.h"
#include "testclient.h"
#include "testserver.h"

#include <QDateTime>
#include <QJsonArray>
#include <QJsonDocument>
#include <QSqlQuery>
#include <QTextStream>
#include <QtTest>
#include <memory>

using namespace Qt::StringLiterals;
using namespace confab;
using protocol::ErrorCode;
using protocol::RequestType;
using protocol::ServerFrame;
using protocol::ServerFrameType;
namespace req = protocol::requests;
using test::matrix::Who;
namespace matrix = test::matrix;

namespace {
struct AdminResult
{
    int exit = -1;
    QString out;
};
} // namespace

class TestReliabilityAccess : public QObject
{
    Q_OBJECT

private:
    std::unique_ptr<test::TestServer> m_server;
    test::ClientPool m_clients {[this] { return m_server->url(); }};
    std::unique_ptr<test::TestClient> m_listener;
    std::unique_ptr<test::TestClient> m_owner;
    std::unique_ptr<test::TestClient> m_friend;
    qint64 m_channel = 0;
    qint64 m_direct = 0;
    qint64 m_channelFile = 0;
    qint64 m_directFile = 0;
    qint64 m_ownerUpload = 0;
    qint64 m_ownerSession = 0; //!< the owner's first session (§18.1), for revoke_session rows
    QString m_revokedToken;
    QString m_expiredToken;
    QString m_disabledToken;
    int m_row = 0;

    AdminResult admin(const QStringList &args)
    {
        QString none;
        AdminResult r;
        QString err;
        QTextStream in(&none, QIODevice::ReadOnly);
        QTextStream out(&r.out, QIODevice::WriteOnly);
        QTextStream errs(&err, QIODevice::WriteOnly);
        r.exit = server::admin::run(m_server->config(), args, in, out, errs);
        return r;
    }
    std::unique_ptr<test::TestClient> connected()
    {
        auto c = std::make_unique<test::TestClient>();
        return c->open(m_server->url()) ? std::move(c) : nullptr;
    }
    static bool ok(const std::optional<ServerFrame> &f)
    {
        return f && f->type == ServerFrameType::Result;
    }
    /*! \brief The HTTP status line of an upgrade request from \a origin. */
    QByteArray upgradeStatus(const QString &origin)
    {
        const quint16 port = m_server->server()->port();
        test::RawWebSocket s;
        if (!s.connectTcp(port))
            return {};
        s.sendUpgrade(port, {}, {{"Origin", origin.toUtf8()}});
        s.waitResponse();
        return s.statusLine();
    }
    matrix::Targets targets() const
    {
        return {m_channel, m_direct, m_channelFile, m_directFile, m_ownerUpload, m_ownerSession};
    }
    QString tokenOf(Who who) const
    {
        switch (who) {
        case Who::RevokedToken:
            return m_revokedToken;
        case Who::ExpiredToken:
            return m_expiredToken;
        case Who::DisabledAccount:
            return m_disabledToken;
        default:
            return u"no-such-token"_s;
        }
    }
    /*! \brief Uploads \a bytes as the owner (§16.1); the upload id, or 0. */
    qint64 beginUpload(const QByteArray &bytes)
    {
        const auto begun = m_owner->request(req::uploadBegin(u"note.txt"_s, bytes.size()));
        if (!ok(begun))
            return 0;
        const qint64 upload = qint64(begun->data().value("upload"_L1).toDouble());
        m_owner->socket().sendBinaryMessage(protocol::encodeFileFrame(
            {protocol::FileFrameKind::UploadChunk, quint64(upload), 0, bytes}));
        return upload;
    }
    /*! \brief A file of the owner's, attached to a message in \a room; its id, or 0. */
    qint64 sharedFile(qint64 room, const QByteArray &bytes)
    {
        const auto finished = m_owner->request(req::uploadFinish(beginUpload(bytes)));
        if (!ok(finished))
            return 0;
        const qint64 file
            = qint64(finished->data().value("file"_L1).toObject().value("id"_L1).toDouble());
        const auto sent
            = m_owner->request(req::send(room, u"file%1"_s.arg(file), u"have a look"_s, 0, {file}));
        return ok(sent) ? file : 0;
    }
    /*! \brief Activity a non-member could overhear: events, typing, presence, topic. */
    void makeNoise()
    {
        static int round = 0;
        ++round;
        QVERIFY(ok(m_owner->request(req::send(m_channel, u"noise%1"_s.arg(round), u"psst"_s))));
        QVERIFY(ok(m_owner->request(req::send(m_direct, u"dnoise%1"_s.arg(round), u"secret"_s))));
        QVERIFY(ok(m_owner->request(req::typing(m_channel, true))));
        QVERIFY(ok(m_owner->request(req::typing(m_direct, true))));
        QVERIFY(ok(m_owner->request(req::setTopic(m_channel, u"topic %1"_s.arg(round)))));
        m_friend->disconnectNow(); // presence offline, then online
        m_friend = connected();
        QVERIFY(m_friend && m_friend->login(u"friend"_s));
        // Presence is batched: once the owner has heard that the friend is back, the
        // frame that would leak went out to every recipient in the same pass.
        QVERIFY(m_owner->waitPush([](const protocol::ServerFrame &f) {
            return f.type == protocol::ServerFrameType::Presence
                && f.body.value("online"_L1).toArray().contains(u"friend"_s);
        }));
    }
    void checkListenerHeardNothing()
    {
        // Replies come in order on one connection; once this ping is answered, anything
        // broadcast before it has been delivered.
        QVERIFY(ok(m_listener->request(req::ping())));
        // Channel directory entries go to everyone signed in (protocol §6.6): what
        // list_rooms shows anyone is no leak. Nothing else may arrive, and never a
        // direct room.
        const auto listing = m_listener->request(req::listRooms());
        QVERIFY(ok(listing));
        const auto listed = protocol::Directory::fromJson(listing->data());
        QVERIFY(listed);
        QList<protocol::ServerFrame> pushes;
        for (const auto &f : m_listener->pushes()) {
            const auto entry = f.directoryEntry();
            const bool isPublic = entry && entry->id != m_direct && !entry->joined
                && std::any_of(listed->rooms.begin(), listed->rooms.end(),
                    [&](const auto &e) { return e.id == entry->id && e.name == entry->name; });
            if (!isPublic)
                pushes.append(f);
        }
        QVERIFY2(pushes.isEmpty(),
            pushes.isEmpty()
                ? ""
                : QJsonDocument(pushes.first().body).toJson(QJsonDocument::Compact).constData());
    }

private Q_SLOTS:
    void initTestCase()
    {
        m_server = std::make_unique<test::TestServer>();
        m_server->config().allowedOrigins = {u"https://chat.example"_s};
        QVERIFY(m_server->start());
        QCOMPARE(upgradeStatus(u"https://chat.example"_s).left(12), QByteArray("HTTP/1.1 101"));
        m_listener = connected();
        QVERIFY(m_listener && m_listener->registerUser(u"listener"_s));
        m_owner = connected();
        QVERIFY(m_owner && m_owner->registerUser(u"owner"_s));
        const auto sessions = m_owner->request(req::sessions());
        QVERIFY(ok(sessions));
        m_ownerSession = qint64(sessions->data()
                                    .value("sessions"_L1)
                                    .toArray()
                                    .first()
                                    .toObject()
                                    .value("id"_L1)
                                    .toDouble());
        QVERIFY(m_ownerSession);
        m_friend = connected();
        QVERIFY(m_friend && m_friend->registerUser(u"friend"_s));
        m_channel = test::createRoom(m_owner.get(), u"club"_s);
        QVERIFY(m_channel);
        QVERIFY(ok(m_friend->request(req::join(m_channel))));
        const auto direct = m_owner->request(req::openDirect(u"friend"_s));
        QVERIFY(ok(direct));
        m_direct = qint64(direct->data().value("room"_L1).toObject().value("id"_L1).toDouble());
        m_channelFile = sharedFile(m_channel, "club notes");
        QVERIFY(m_channelFile);
        m_directFile = sharedFile(m_direct, "just us");
        QVERIFY(m_directFile);
        m_ownerUpload = beginUpload("half");
        QVERIFY(m_ownerUpload);

        QVERIFY(m_clients.registered(u"outsider"_s));
        auto *leaver = m_clients.registered(u"leaver"_s);
        QVERIFY(leaver && ok(leaver->request(req::join(m_channel))));
        QVERIFY(ok(leaver->request(req::leave(m_channel))));

        auto *revoked = m_clients.registered(u"revoked"_s);
        QVERIFY(revoked);
        m_revokedToken = revoked->token();
        QVERIFY(ok(revoked->request(req::logout())));

        auto *expired = m_clients.registered(u"expired"_s);
        QVERIFY(expired);
        m_expiredToken = expired->token();
        {
            test::TestDatabase file(m_server->databaseLocation());
            QSqlQuery q(file.db());
            QVERIFY(q.prepare(u"UPDATE tokens SET expires_ms = ? WHERE hash = ?"_s));
            q.addBindValue(QDateTime::currentMSecsSinceEpoch() - 1);
            q.addBindValue(server::tokens::hash(m_expiredToken));
            QVERIFY(q.exec());
            QCOMPARE(q.numRowsAffected(), 1);
        }

        auto *disabled = m_clients.registered(u"disabled"_s);
        QVERIFY(disabled);
        m_disabledToken = disabled->token();
        QCOMPARE(admin({u"disable-user"_s, u"disabled"_s}).exit, 0);
        // The running server learns it from admin_log and signs the account out.
        QTRY_COMPARE_WITH_TIMEOUT(disabled->closeCode(), 4001, 5000);
        QCOMPARE(disabled->socket().closeReason(), u"signed out by the operator"_s);

        // The ways of not belonging of §17, each made by the owner.
        QVERIFY(m_clients.registered(u"guest"_s));
        QVERIFY(m_clients.registered(u"invited"_s));
        QVERIFY(ok(m_owner->request(req::invite(m_channel, u"invited"_s))));
        for (const QString &name :
            {u"banned"_s, u"kicked"_s, u"muted"_s, u"member"_s, u"moderator"_s}) {
            auto *c = m_clients.registered(name);
            QVERIFY(c && ok(c->request(req::join(m_channel))));
        }
        QVERIFY(ok(m_owner->request(req::ban(m_channel, u"banned"_s))));
        QVERIFY(ok(m_owner->request(req::kick(m_channel, u"kicked"_s))));
        QVERIFY(ok(m_owner->request(req::mute(m_channel, u"muted"_s))));
        QVERIFY(ok(m_owner->request(
            req::setRole(m_channel, u"moderator"_s, protocol::RoomRole::Moderator))));

        m_clients.clear();
        makeNoise();
        checkListenerHeardNothing();
    }

    void everyRequestUnderEveryCondition_data()
    {
        QTest::addColumn<int>("type");
        QTest::addColumn<int>("who");
        QTest::addColumn<QString>("expect");
        for (const auto &[who, label] : matrix::Conditions) {
            for (const RequestType t : matrix::AllTypes) {
                QTest::addRow("%s / %s", protocol::requestTypeName(t).data(), label)
                    << int(t) << int(who) << matrix::expected(t, who);
            }
        }
    }
    void everyRequestUnderEveryCondition()
    {
        QFETCH(int, type);
        QFETCH(int, who);
        QFETCH(QString, expect);
        const auto t = RequestType(type);
        const auto w = Who(who);

        if (w == Who::ForeignOrigin) {
            // The page never gets a WebSocket, so it cannot send anything at all.
            QCOMPARE(upgradeStatus(u"https://evil.example"_s).left(12), QByteArray("HTTP/1.1 403"));
            return;
        }
        auto c = connected();
        QVERIFY(c);
        const QString user = matrix::userOf(w);
        switch (w) {
        case Who::NonMember:
        case Who::DirectOutsider:
        case Who::LeftMember:
        case Who::Invited:
        case Who::Banned:
        case Who::Kicked:
        case Who::Muted:
        case Who::PlainMember:
        case Who::NotAdmin:
            // A fresh password sign-in per row: logout rows revoke what they use.
            QVERIFY(c->login(user));
            break;
        case Who::RevokedToken:
        case Who::ExpiredToken:
        case Who::DisabledAccount: {
            const auto refused = c->request(req::authenticate(tokenOf(w)));
            QVERIFY(refused && refused->type == ServerFrameType::Error);
            QCOMPARE(refused->error, ErrorCode::InvalidToken);
            break;
        }
        default:
            break;
        }

        const auto reply = c->request(
            matrix::requestFor(t, w, user, tokenOf(w), targets(), u"row%1"_s.arg(++m_row)), 15000);
        QVERIFY2(reply, "no reply");
        const QString got = reply->type == ServerFrameType::Result
            ? u"ok"_s
            : protocol::errorCodeName(reply->error);
        QCOMPARE(got, expect);

        if (matrix::isMember(w)) {
            // A member who left is a member again for the next rows, in the same role; the
            // mute stays (§17.4).
            if (t == RequestType::Leave) {
                QVERIFY(ok(c->request(req::join(m_channel))));
                if (w == Who::NotAdmin)
                    QVERIFY(ok(m_owner->request(
                        req::setRole(m_channel, user, protocol::RoomRole::Moderator))));
            }
            // The channel is theirs to see; the direct room is not.
            for (const auto &p : c->pushes()) {
                const auto e = p.roomEvent();
                QVERIFY(!e || e->room != m_direct);
            }
            return;
        }
        // Allowed cells must not reveal the room either.
        if (t == RequestType::Sync && got == "ok"_L1) {
            const QJsonObject data = reply->data();
            for (const auto &entry : data.value("rooms"_L1).toArray()) {
                const qint64 id = qint64(
                    entry.toObject().value("room"_L1).toObject().value("id"_L1).toDouble());
                QVERIFY(id != m_channel && id != m_direct);
            }
            const QJsonArray left = data.value("left"_L1).toArray();
            QVERIFY(left.contains(double(m_channel)) && left.contains(double(m_direct)));
        }
        if (t == RequestType::ListRooms && got == "ok"_L1) {
            for (const auto &r : reply->data().value("rooms"_L1).toArray()) {
                QVERIFY(qint64(r.toObject().value("id"_L1).toDouble()) != m_direct);
                if (qint64(r.toObject().value("id"_L1).toDouble()) == m_channel)
                    QCOMPARE(r.toObject().value("joined"_L1).toBool(), false);
            }
        }
        if ((t == RequestType::Logout || t == RequestType::LogoutAll) && got == "ok"_L1)
            QTRY_COMPARE_WITH_TIMEOUT(c->closeCode(), 4001, 2000);
        // Nothing of the room arrived on this connection either.
        for (const auto &p : c->pushes()) {
            const auto e = p.roomEvent();
            QVERIFY(!e || (e->room != m_channel && e->room != m_direct));
            QVERIFY(p.type != ServerFrameType::Typing && p.type != ServerFrameType::Presence);
        }
    }

    void listeningNonMemberReceivesNothing()
    {
        makeNoise();
        checkListenerHeardNothing();
        QVERIFY(m_listener->isConnected());
    }

    void signingOutClosesThatSessionAtOnce()
    {
        auto *a1 = m_clients.registered(u"multi"_s);
        QVERIFY(a1);
        auto *a2 = m_clients.signedIn(a1->token());
        auto *b = m_clients.connectClient();
        QVERIFY(a2 && b && b->login(u"multi"_s));
        auto *c = m_clients.connectClient();
        QVERIFY(c && c->login(u"multi"_s));

        // logout: every connection of that token, none of the others.
        QVERIFY(ok(a1->request(req::logout())));
        QTRY_COMPARE_WITH_TIMEOUT(a1->closeCode(), 4001, 2000);
        QTRY_COMPARE_WITH_TIMEOUT(a2->closeCode(), 4001, 2000);
        QCOMPARE(a2->socket().closeReason(), u"signed out"_s);
        QVERIFY(ok(b->request(req::ping())));
        QVERIFY(ok(c->request(req::ping())));

        // logout_all: every connection of the user.
        QVERIFY(ok(b->request(req::logoutAll())));
        QTRY_COMPARE_WITH_TIMEOUT(b->closeCode(), 4001, 2000);
        QTRY_COMPARE_WITH_TIMEOUT(c->closeCode(), 4001, 2000);
        QCOMPARE(c->socket().closeReason(), u"signed out everywhere"_s);
        for (const QString &token : {a1->token(), b->token(), c->token()}) {
            auto *probe = m_clients.connectClient();
            QVERIFY(probe);
            const auto r = probe->request(req::authenticate(token));
            QVERIFY(r && r->type == ServerFrameType::Error);
            QCOMPARE(r->error, ErrorCode::InvalidToken);
        }
        m_clients.clear();
    }

    void cleanupTestCase()
    {
        m_clients.clear();
        m_listener.reset();
        m_owner.reset();
        m_friend.reset();
        m_server.reset();
    }
};

CONFAB_SERVER_TEST_MAIN(TestReliabilityAccess)
#include "tst_reliability_access.moc"
