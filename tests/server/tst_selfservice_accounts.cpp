// SPDX-License-Identifier: GPL-3.0-or-later
// Account self-service (§18.1): sessions and their devices, change_password,
// revoke_session and delete_account, over real sockets against a real SQLite file.
#include "admin/admincommands.h"
#include "clientpool.h"
#include "protocol/accountrequests.h"
#include "protocol/closecode.h"
#include "protocol/requestbuilder.h"
#include "protocol/results.h"
#include "protocol/selfserviceresults.h"
#include "protocol/serverframe.h"
#include "protocol/teamrequests.h"
#include "storage/sessionstore.h"
#include "teamfixture.h"
#include "testclient.h"
#include "testserver.h"
#include "uploadhelpers.h"
#include "writerhold.h"

#include <QJsonArray>
#include <QSemaphore>
#include <QTextStream>
#include <QThreadPool>
#include <QtTest>
#include <memory>

using namespace Qt::StringLiterals;
using namespace confab;
using protocol::ErrorCode;
using protocol::ServerFrame;
using protocol::ServerFrameType;
namespace req = protocol::requests;

namespace {
const QString Password = u"password-123"_s;
const QString NewPassword = u"another-secret-456"_s;
const QString BobsPassword = u"bobs-own-secret-789"_s;
} // namespace

class TestSelfServiceAccounts : public QObject
{
    Q_OBJECT

private:
    std::unique_ptr<test::TestServer> m_server;
    test::ClientPool m_clients {[this] { return m_server->url(); }};
    QHash<const test::TestClient *, QString> m_tokens; //!< of clients signed in with a device

    static std::optional<ErrorCode> errorOf(const std::optional<ServerFrame> &f)
    {
        if (!f || f->type != ServerFrameType::Error)
            return std::nullopt;
        return f->error;
    }
    static bool ok(const std::optional<ServerFrame> &f)
    {
        return f && f->type == ServerFrameType::Result;
    }
    /*! \brief A fresh connection signed in as \a name from \a device; null if that failed. */
    test::TestClient *loggedIn(
        const QString &name, const QString &device, const QString &password = Password)
    {
        auto *c = m_clients.connectClient();
        if (!c)
            return nullptr;
        const auto reply = c->request(req::login(name, password, device), 15000);
        if (!ok(reply))
            return nullptr;
        m_tokens.insert(c, reply->data().value("token"_L1).toString());
        return c;
    }
    test::TestClient *registered(const QString &name, const QString &device)
    {
        auto *c = m_clients.connectClient();
        if (!c)
            return nullptr;
        const auto reply = c->request(req::registerAccount(name, Password, {}, device), 15000);
        if (!ok(reply))
            return nullptr;
        m_tokens.insert(c, reply->data().value("token"_L1).toString());
        return c;
    }
    static QList<protocol::SessionEntry> sessionsOf(test::TestClient *c)
    {
        const auto reply = c->request(req::sessions());
        if (!ok(reply))
            return {};
        const auto list = protocol::SessionList::fromJson(reply->data());
        return list ? list->sessions : QList<protocol::SessionEntry>();
    }
    static std::optional<protocol::SessionEntry> byDevice(
        const QList<protocol::SessionEntry> &sessions, const QString &device)
    {
        for (const auto &s : sessions) {
            if (s.device == device)
                return s;
        }
        return std::nullopt;
    }
    static bool closedWith(test::TestClient *c, const QString &reason)
    {
        return test::TestClient::waitUntil([c] { return c->closeCode() >= 0; }, 5000)
            && c->closeCode() == protocol::closecode::SignedOut
            && c->socket().closeReason() == reason;
    }
    QString tokenOf(const test::TestClient *c) const { return m_tokens.value(c); }
    server::StorageWriter &writer() const { return m_server->server()->service()->writer(); }
    /*! \brief Runs \a statement on the test's own connection: a change committed meanwhile. */
    int commit(const QString &statement, const QVariantList &binds = {}) const
    {
        return test::commitDirectly(m_server->databaseLocation(), statement, binds);
    }
    QVariant read(const QString &query, const QVariantList &binds = {}) const
    {
        return test::readDirectly(m_server->databaseLocation(), query, binds);
    }
    /*! \brief Gives ana bob's password hash, as a change of password elsewhere would. */
    int passwordChangedElsewhere() const
    {
        return commit(u"UPDATE users SET password_hash = "
                      u"(SELECT password_hash FROM users WHERE name = 'bob') WHERE name = 'ana'"_s);
    }
    /*! \brief An admin account first, so that ana, registered next, is not the only admin. */
    bool adminFirst()
    {
        auto *c = m_clients.connectClient();
        return c && ok(c->request(req::registerAccount(u"root"_s, Password), 15000));
    }
    test::AdminResult admin(const QStringList &args, const QString &input = {}) const
    {
        return test::runAdmin(m_server->config(), args, input);
    }
    test::TestClient *bobWithHisOwnPassword()
    {
        auto *c = m_clients.connectClient();
        return c && ok(c->request(req::registerAccount(u"bob"_s, BobsPassword), 15000)) ? c
                                                                                        : nullptr;
    }
    static bool stillOpen(test::TestClient *c) { return ok(c->request(req::ping())); }

private Q_SLOTS:
    void init()
    {
        m_server = std::make_unique<test::TestServer>();
        QVERIFY(m_server->start());
    }
    void cleanup()
    {
        m_clients.clear();
        m_tokens.clear();
        m_server.reset();
    }

    void helloAnnouncesAccounts()
    {
        auto *c = m_clients.connectClient();
        QVERIFY(c);
        QVERIFY(c->hello().value("features"_L1).toArray().contains(u"accounts"_s));
    }

    void sessionsListDevicesAddressesAndFlags()
    {
        auto *laptop = registered(u"ana"_s, u"laptop"_s);
        QVERIFY(laptop);
        QTest::qWait(20);
        auto *phone = loggedIn(u"ana"_s, u"phone"_s);
        QVERIFY(phone);
        auto sessions = sessionsOf(laptop);
        QCOMPARE(sessions.size(), 2);
        // Most recently used first: the phone signed in last.
        QCOMPARE(sessions[0].device, u"phone"_s);
        QCOMPARE(sessions[1].device, u"laptop"_s);
        for (const auto &s : sessions) {
            QCOMPARE(s.address, u"127.0.0.1"_s);
            QVERIFY(s.online);
            QVERIFY(s.createdAt > 0);
            QVERIFY(s.lastSeen >= s.createdAt);
        }
        QVERIFY(!sessions[0].current);
        QVERIFY(sessions[1].current);

        // A token used again on a new connection is seen again, and later.
        const qint64 before = sessions[1].lastSeen;
        const QString token = tokenOf(laptop);
        laptop->disconnectNow();
        QVERIFY(test::TestClient::waitUntil(
            [&] { return !byDevice(sessionsOf(phone), u"laptop"_s)->online; }, 5000));
        QTest::qWait(20);
        auto *again = m_clients.signedIn(token);
        QVERIFY(again);
        QVERIFY(test::TestClient::waitUntil(
            [&] {
                const auto s = byDevice(sessionsOf(phone), u"laptop"_s);
                return s && s->lastSeen > before && s->online;
            },
            5000));
        sessions = sessionsOf(again);
        QCOMPARE(sessions[0].device, u"laptop"_s);
        QVERIFY(sessions[0].current);

        // Another user sees only their own.
        auto *bob = registered(u"bob"_s, u"desk"_s);
        QVERIFY(bob);
        QCOMPARE(sessionsOf(bob).size(), 1);
    }

    void logoutEndsTheSession()
    {
        auto *laptop = registered(u"ana"_s, u"laptop"_s);
        auto *phone = loggedIn(u"ana"_s, u"phone"_s);
        QVERIFY(laptop && phone);
        QVERIFY(ok(phone->request(req::logout())));
        QVERIFY(closedWith(phone, u"signed out"_s));
        const auto sessions = sessionsOf(laptop);
        QCOMPARE(sessions.size(), 1);
        QCOMPARE(sessions[0].device, u"laptop"_s);
    }

    void revokeClosesExactlyThatDevice()
    {
        auto *laptop = registered(u"ana"_s, u"laptop"_s);
        auto *phone = loggedIn(u"ana"_s, u"phone"_s);
        QVERIFY(laptop && phone);
        const QString phoneToken = tokenOf(phone);
        auto *phone2 = m_clients.signedIn(phoneToken); // the same session, twice connected
        auto *tablet = loggedIn(u"ana"_s, u"tablet"_s);
        QVERIFY(phone2 && tablet);
        const auto target = byDevice(sessionsOf(laptop), u"phone"_s);
        QVERIFY(target);

        // Someone else's session is not found, as one that never was.
        auto *bob = registered(u"bob"_s, u"desk"_s);
        QVERIFY(bob);
        QCOMPARE(errorOf(bob->request(req::revokeSession(target->id))), ErrorCode::NotFound);
        QCOMPARE(errorOf(bob->request(req::revokeSession(999999))), ErrorCode::NotFound);
        QVERIFY(stillOpen(phone));

        QVERIFY(ok(laptop->request(req::revokeSession(target->id))));
        QVERIFY(closedWith(phone, u"session revoked"_s));
        QVERIFY(closedWith(phone2, u"session revoked"_s));
        QVERIFY(stillOpen(laptop));
        QVERIFY(stillOpen(tablet));
        auto *late = m_clients.connectClient();
        QVERIFY(late);
        QCOMPARE(errorOf(late->request(req::authenticate(phoneToken))), ErrorCode::InvalidToken);
        QVERIFY(!byDevice(sessionsOf(laptop), u"phone"_s));
        QCOMPARE(errorOf(laptop->request(req::revokeSession(target->id))), ErrorCode::NotFound);

        // Revoking the current session is signing out: the reply, then the close.
        const auto mine = byDevice(sessionsOf(tablet), u"tablet"_s);
        QVERIFY(mine && mine->current);
        QVERIFY(ok(tablet->request(req::revokeSession(mine->id))));
        QVERIFY(closedWith(tablet, u"signed out"_s));
        QVERIFY(stillOpen(laptop));
        QCOMPARE(sessionsOf(laptop).size(), 1);
    }

    void changePassword()
    {
        auto *laptop = registered(u"ana"_s, u"laptop"_s);
        auto *phone = loggedIn(u"ana"_s, u"phone"_s);
        QVERIFY(laptop && phone);

        QCOMPARE(
            errorOf(laptop->request(req::changePassword(u"wrong-guess"_s, NewPassword), 15000)),
            ErrorCode::InvalidCredentials);
        const auto weak = laptop->request(req::changePassword(Password, u"short"_s), 15000);
        QCOMPARE(errorOf(weak), ErrorCode::WeakPassword);
        QCOMPARE(weak->body.value("field"_L1).toString(), u"newPassword"_s);

        // Without revokeOthers, every session stays.
        auto reply = laptop->request(req::changePassword(Password, NewPassword), 15000);
        QVERIFY(ok(reply));
        QCOMPARE(protocol::PasswordChanged::fromJson(reply->data())->revoked, 0);
        QVERIFY(stillOpen(phone));
        QVERIFY(!loggedIn(u"ana"_s, u"old"_s, Password));
        auto *tablet = loggedIn(u"ana"_s, u"tablet"_s, NewPassword);
        QVERIFY(tablet);
        const QString phoneToken = tokenOf(phone);

        // With it, every other session ends; this one stays.
        reply = laptop->request(req::changePassword(NewPassword, Password, true), 15000);
        QVERIFY(ok(reply));
        QCOMPARE(protocol::PasswordChanged::fromJson(reply->data())->revoked, 2);
        QVERIFY(closedWith(phone, u"password changed"_s));
        QVERIFY(closedWith(tablet, u"password changed"_s));
        QVERIFY(stillOpen(laptop));
        const auto sessions = sessionsOf(laptop);
        QCOMPARE(sessions.size(), 1);
        QVERIFY(sessions[0].current);
        auto *late = m_clients.connectClient();
        QVERIFY(late);
        QCOMPARE(errorOf(late->request(req::authenticate(phoneToken))), ErrorCode::InvalidToken);
        QVERIFY(!loggedIn(u"ana"_s, u"old"_s, NewPassword));
        QVERIFY(loggedIn(u"ana"_s, u"new"_s, Password));
    }

    void wrongPasswordsCountForTheThrottle()
    {
        m_server->stop();
        m_server->config().loginFreeFailures = 2;
        QVERIFY(m_server->start());
        auto *c = registered(u"ana"_s, u"laptop"_s);
        QVERIFY(c);
        // The free failures, then one more that starts the wait: change_password and
        // delete_account count as logins do.
        for (int i = 0; i < 2; ++i) {
            QCOMPARE(
                errorOf(c->request(req::changePassword(u"guess-%1"_s.arg(i), NewPassword), 15000)),
                ErrorCode::InvalidCredentials);
        }
        QCOMPARE(errorOf(c->request(req::deleteAccount(u"guess-3"_s), 15000)),
            ErrorCode::InvalidCredentials);
        QCOMPARE(errorOf(c->request(req::changePassword(Password, NewPassword), 15000)),
            ErrorCode::Throttled);
        auto *other = m_clients.connectClient();
        QVERIFY(other);
        QCOMPARE(
            errorOf(other->request(req::login(u"ana"_s, Password), 15000)), ErrorCode::Throttled);
    }

    void logoutAllEndsEverySession()
    {
        auto *laptop = registered(u"ana"_s, u"laptop"_s);
        auto *phone = loggedIn(u"ana"_s, u"phone"_s);
        QVERIFY(laptop && phone);
        QVERIFY(ok(phone->request(req::logoutAll())));
        QVERIFY(closedWith(laptop, u"signed out everywhere"_s));
        auto *desk = loggedIn(u"ana"_s, u"desk"_s);
        QVERIFY(desk);
        QCOMPARE(sessionsOf(desk).size(), 1);
    }

    void operatorResetEndsEverySession()
    {
        auto *laptop = registered(u"ana"_s, u"laptop"_s);
        auto *phone = loggedIn(u"ana"_s, u"phone"_s);
        QVERIFY(laptop && phone);
        QString input = NewPassword + u"\n"_s;
        QString out;
        QString err;
        QTextStream in(&input, QIODevice::ReadOnly);
        QTextStream outStream(&out, QIODevice::WriteOnly);
        QTextStream errStream(&err, QIODevice::WriteOnly);
        QCOMPARE(server::admin::run(
                     m_server->config(), {u"reset-password"_s, u"ana"_s}, in, outStream, errStream),
            0);
        QVERIFY(closedWith(laptop, u"signed out by the operator"_s));
        QVERIFY(closedWith(phone, u"signed out by the operator"_s));
        auto *desk = loggedIn(u"ana"_s, u"desk"_s, NewPassword);
        QVERIFY(desk);
        const auto sessions = sessionsOf(desk);
        QCOMPARE(sessions.size(), 1);
        QCOMPARE(sessions[0].device, u"desk"_s);
    }

    void sessionsSurviveARestart()
    {
        auto *laptop = registered(u"ana"_s, u"laptop"_s);
        QVERIFY(laptop);
        QVERIFY(loggedIn(u"ana"_s, u"phone"_s));
        const QString token = tokenOf(laptop);
        m_clients.clear();
        m_tokens.clear();
        QVERIFY(m_server->restart());
        auto *again = m_clients.signedIn(token);
        QVERIFY(again);
        const auto sessions = sessionsOf(again);
        QCOMPARE(sessions.size(), 2);
        QVERIFY(byDevice(sessions, u"phone"_s));
        QVERIFY(byDevice(sessions, u"laptop"_s)->current);
        QVERIFY(!byDevice(sessions, u"phone"_s)->online);
    }

    void changePasswordLosesToAPasswordChangedMeanwhile()
    {
        auto *laptop = registered(u"ana"_s, u"laptop"_s);
        QVERIFY(laptop && bobWithHisOwnPassword());
        test::WriterHold hold(writer());
        QVERIFY(hold.holding());
        // The current password is right when checked; the write waits behind the hold.
        test::sendWithoutWaiting(laptop, req::changePassword(Password, NewPassword), u"race"_s);
        QVERIFY(hold.waitQueued(1));
        QCOMPARE(passwordChangedElsewhere(), 1);
        hold.release();
        QCOMPARE(errorOf(test::strayReply(laptop, u"race"_s)), ErrorCode::InvalidCredentials);
        // The change made meanwhile stands.
        QVERIFY(!loggedIn(u"ana"_s, u"new"_s, NewPassword));
        QVERIFY(loggedIn(u"ana"_s, u"bobs"_s, BobsPassword));
    }

    void changePasswordOfASessionRevokedMeanwhile()
    {
        auto *laptop = registered(u"ana"_s, u"laptop"_s);
        QVERIFY(laptop);
        test::WriterHold hold(writer());
        QVERIFY(hold.holding());
        test::sendWithoutWaiting(
            laptop, req::changePassword(Password, NewPassword, true), u"race"_s);
        QVERIFY(hold.waitQueued(1));
        // Another device revoked it, or the operator did.
        QCOMPARE(commit(u"DELETE FROM tokens WHERE hash = "
                        u"(SELECT token_hash FROM sessions WHERE device = 'laptop')"_s),
            1);
        hold.release();
        QCOMPARE(errorOf(test::strayReply(laptop, u"race"_s)), ErrorCode::InvalidToken);
        QVERIFY(!loggedIn(u"ana"_s, u"new"_s, NewPassword));
        QVERIFY(loggedIn(u"ana"_s, u"old"_s, Password));
    }

    void deleteAccountLosesToAPasswordChangedMeanwhile()
    {
        QVERIFY(adminFirst());
        auto *ana = registered(u"ana"_s, u"laptop"_s);
        QVERIFY(ana && bobWithHisOwnPassword());
        test::WriterHold hold(writer());
        QVERIFY(hold.holding());
        test::sendWithoutWaiting(ana, req::deleteAccount(Password), u"race"_s);
        QVERIFY(hold.waitQueued(1));
        QCOMPARE(passwordChangedElsewhere(), 1);
        hold.release();
        QCOMPARE(errorOf(test::strayReply(ana, u"race"_s)), ErrorCode::InvalidCredentials);
        QCOMPARE(read(u"SELECT deleted_ms FROM users WHERE name = 'ana'"_s).toLongLong(), 0);
        QVERIFY(stillOpen(ana));
    }

    void deleteAccountOfASessionRevokedMeanwhile()
    {
        QVERIFY(adminFirst());
        auto *ana = registered(u"ana"_s, u"laptop"_s);
        QVERIFY(ana && loggedIn(u"ana"_s, u"phone"_s));
        test::WriterHold hold(writer());
        QVERIFY(hold.holding());
        test::sendWithoutWaiting(ana, req::deleteAccount(Password), u"race"_s);
        QVERIFY(hold.waitQueued(1));
        QCOMPARE(commit(u"DELETE FROM tokens WHERE hash = "
                        u"(SELECT token_hash FROM sessions WHERE device = 'laptop')"_s),
            1);
        hold.release();
        QCOMPARE(errorOf(test::strayReply(ana, u"race"_s)), ErrorCode::InvalidToken);
        QCOMPARE(read(u"SELECT deleted_ms FROM users WHERE name = 'ana'"_s).toLongLong(), 0);
        QVERIFY(loggedIn(u"ana"_s, u"desk"_s));
    }

    void deleteAccountLeavesARoomJoinedMeanwhile()
    {
        QVERIFY(adminFirst());
        auto *ana = registered(u"ana"_s, u"laptop"_s);
        auto *bob = registered(u"bob"_s, u"desk"_s);
        QVERIFY(ana && bob);
        const qint64 club = test::createRoom(bob, u"club"_s);
        QVERIFY(club);
        test::WriterHold hold(writer());
        QVERIFY(hold.holding());
        test::sendWithoutWaiting(ana, req::deleteAccount(Password), u"race"_s);
        QVERIFY(hold.waitQueued(1));
        // A join that committed after the password check, before the deletion's transaction.
        QCOMPARE(commit(u"INSERT INTO members(room_id, user_id, read_seq) "
                        u"SELECT ?, id, 0 FROM users WHERE name = 'ana'"_s,
                     {club}),
            1);
        hold.release();
        QVERIFY(ok(test::strayReply(ana, u"race"_s)));
        QCOMPARE(read(u"SELECT COUNT(*) FROM members m JOIN users u ON u.id = m.user_id "
                      u"WHERE u.name = 'ana'"_s)
                     .toInt(),
            0);
        QCOMPARE(read(u"SELECT COUNT(*) FROM events WHERE room_id = ? AND kind = ?"_s,
                     {club, int(protocol::EventKind::Leave)})
                     .toInt(),
            1);
    }

    void theLastAdminCannotDeleteTheirAccount()
    {
        // ana is the first account: the server's admin (§17.1).
        auto *ana = registered(u"ana"_s, u"laptop"_s);
        auto *bob = registered(u"bob"_s, u"desk"_s);
        QVERIFY(ana && bob);
        const auto refused = ana->request(req::deleteAccount(Password), 15000);
        QCOMPARE(errorOf(refused), ErrorCode::Forbidden);
        QVERIFY(refused->body.value("message"_L1).toString().contains(u"admin"_s));
        QVERIFY(stillOpen(ana));
        QCOMPARE(read(u"SELECT deleted_ms FROM users WHERE name = 'ana'"_s).toLongLong(), 0);

        // With a second admin, she may go, and takes the role with her.
        QVERIFY(ok(ana->request(req::setUser(u"bob"_s, std::nullopt, true))));
        QVERIFY(ok(ana->request(req::deleteAccount(Password), 15000)));
        QVERIFY(closedWith(ana, u"account deleted"_s));
        QCOMPARE(read(u"SELECT admin FROM users WHERE name = 'ana'"_s).toInt(), 0);
        // bob is the only admin now.
        QCOMPARE(errorOf(bob->request(req::deleteAccount(Password), 15000)), ErrorCode::Forbidden);
    }

    void expiredSessionsAreNeitherListedNorCountedAsRevoked()
    {
        auto *laptop = registered(u"ana"_s, u"laptop"_s);
        auto *phone = loggedIn(u"ana"_s, u"phone"_s);
        QVERIFY(laptop && phone && loggedIn(u"ana"_s, u"tablet"_s));
        // The tablet's token expired; the hourly sweep has not pruned it yet.
        QCOMPARE(commit(u"UPDATE tokens SET expires_ms = 1 WHERE hash = "
                        u"(SELECT token_hash FROM sessions WHERE device = 'tablet')"_s),
            1);
        const auto sessions = sessionsOf(laptop);
        QCOMPARE(sessions.size(), 2);
        QVERIFY(!byDevice(sessions, u"tablet"_s));
        const auto reply = laptop->request(req::changePassword(Password, NewPassword, true), 15000);
        QVERIFY(ok(reply));
        // Only the phone's session ended now.
        QCOMPARE(protocol::PasswordChanged::fromJson(reply->data())->revoked, 1);
        QVERIFY(closedWith(phone, u"password changed"_s));
    }

    void anUnknownAddressKeepsTheKnownOne()
    {
        auto *laptop = registered(u"ana"_s, u"laptop"_s);
        QVERIFY(laptop);
        const auto before = byDevice(sessionsOf(laptop), u"laptop"_s);
        QVERIFY(before && !before->address.isEmpty());
        const QByteArray hash
            = read(u"SELECT token_hash FROM sessions WHERE device = 'laptop'"_s).toByteArray();
        QVERIFY(!hash.isEmpty());
        // A use from a connection whose address is unknown: it was seen, not moved.
        QSemaphore written;
        writer().submit(
            [hash](server::WriteContext &ctx) {
                return server::sessionstore::touchSession(ctx, hash, QString());
            },
            [&written](bool committed) {
                if (committed)
                    written.release();
            });
        QVERIFY(test::TestClient::waitUntil([&] { return written.available() > 0; }, 5000));
        const auto after = byDevice(sessionsOf(laptop), u"laptop"_s);
        QVERIFY(after);
        QCOMPARE(after->address, before->address);
        QVERIFY(after->lastSeen >= before->lastSeen);
    }

    void aSecondPasswordCheckOnOneConnectionIsRefused()
    {
        auto *laptop = registered(u"ana"_s, u"laptop"_s);
        QVERIFY(laptop);
        // Every hashing thread waits, so the first check stays in progress.
        test::HashingHold hashing;
        QVERIFY(hashing.holding());
        test::sendWithoutWaiting(laptop, req::changePassword(Password, NewPassword), u"first"_s);
        const auto second = laptop->request(req::deleteAccount(Password));
        QCOMPARE(errorOf(second), ErrorCode::RateLimited);
        // This refusal, not the connection's request rate limit, which answers the same code.
        QCOMPARE(second->body.value("message"_L1).toString(),
            u"another password check on this connection is still in progress"_s);
        QVERIFY(second->body.value("retryAfterMs"_L1).toInteger() > 0);
        hashing.release();
        QThreadPool::globalInstance()->waitForDone();
        QVERIFY(ok(test::strayReply(laptop, u"first"_s)));
        QCOMPARE(read(u"SELECT deleted_ms FROM users WHERE name = 'ana'"_s).toLongLong(), 0);
        QVERIFY(loggedIn(u"ana"_s, u"new"_s, NewPassword));
    }

    void deleteAccount()
    {
        QVERIFY(adminFirst());
        auto *ana = registered(u"ana"_s, u"laptop"_s);
        auto *anaPhone = loggedIn(u"ana"_s, u"phone"_s);
        auto *bob = registered(u"bob"_s, u"desk"_s);
        QVERIFY(ana && anaPhone && bob);
        const qint64 club = test::createRoom(bob, u"club"_s);
        QVERIFY(club);
        QVERIFY(ok(ana->request(req::join(club))));
        const auto said = ana->request(req::send(club, u"t1"_s, u"hello from ana"_s));
        QVERIFY(ok(said));
        const auto direct = bob->request(req::openDirect(u"ana"_s));
        QVERIFY(ok(direct));
        const qint64 dm
            = qint64(direct->data().value("room"_L1).toObject().value("id"_L1).toDouble());
        QVERIFY(ok(ana->request(req::send(dm, u"t2"_s, u"psst"_s))));
        // A pending invitation to a private channel of bob's.
        const qint64 secret = test::createRoom(bob, u"secret"_s);
        QVERIFY(secret);
        QVERIFY(ok(bob->request(req::setRoom(secret, true))));
        QVERIFY(ok(bob->request(req::invite(secret, u"ana"_s))));

        QCOMPARE(errorOf(ana->request(req::deleteAccount(u"wrong-guess"_s), 15000)),
            ErrorCode::InvalidCredentials);
        QVERIFY(stillOpen(ana));
        bob->clearPushes();
        const auto deleted = ana->request(req::deleteAccount(Password), 15000);
        QVERIFY(ok(deleted));
        QVERIFY(closedWith(ana, u"account deleted"_s));
        QVERIFY(closedWith(anaPhone, u"account deleted"_s));
        // Her invitation went with her.
        QCOMPARE(read(u"SELECT COUNT(*) FROM room_invites i JOIN users u ON u.id = i.user_id "
                      u"WHERE u.name = 'ana'"_s)
                     .toInt(),
            0);
        QCOMPARE(
            read(u"SELECT COUNT(*) FROM room_invites WHERE room_id = ?"_s, {secret}).toInt(), 0);

        // bob saw ana leave the channel, as `leave` does.
        QVERIFY(bob->waitPush([&](const ServerFrame &f) {
            const auto e = f.roomEvent();
            return e && e->room == club && e->kind == protocol::EventKind::Leave
                && e->sender == u"ana"_s;
        }));
        // The dropped invitation ends as a decline does (§18.1): the room's log keeps the
        // invite as its last event, and nobody else is told anything about the channel.
        QVERIFY(test::settle(bob));
        for (const ServerFrame &f : bob->pushes()) {
            const auto e = f.roomEvent();
            QVERIFY2(!(e && e->room == secret) && f.pushedRoom() != secret,
                qPrintable(u"push about the channel: %1"_s.arg(int(f.type))));
        }
        const auto secretLog = bob->request(req::historyAfter(secret, 0, 50));
        QVERIFY(ok(secretLog));
        const QJsonArray secretEvents = secretLog->data().value("events"_L1).toArray();
        QVERIFY(!secretEvents.isEmpty());
        QCOMPARE(secretEvents.last().toObject().value("kind"_L1).toString(), u"invite"_s);
        QCOMPARE(errorOf(bob->request(req::kick(secret, u"ana"_s))), ErrorCode::NotFound);
        QCOMPARE(errorOf(bob->request(req::invite(secret, u"ana"_s))), ErrorCode::NotFound);
        const auto members = bob->request(req::members(club));
        QVERIFY(ok(members));
        QVERIFY(!QJsonDocument(members->data()).toJson().contains("\"ana\""));

        // The messages stay, under her name.
        const auto history = bob->request(req::historyAfter(club, 0, 50));
        QVERIFY(ok(history));
        bool found = false;
        for (const auto &v : history->data().value("events"_L1).toArray()) {
            const QJsonObject e = v.toObject();
            if (e.value("text"_L1).toString() == u"hello from ana"_s)
                found = e.value("sender"_L1).toString() == u"ana"_s;
        }
        QVERIFY(found);
        QVERIFY(ok(bob->request(req::historyAfter(dm, 0, 50))));

        // She is nobody now: no sign-in, no new account with the name, nobody to reach.
        auto *c = m_clients.connectClient();
        QVERIFY(c);
        QCOMPARE(errorOf(c->request(req::login(u"ana"_s, Password), 15000)),
            ErrorCode::InvalidCredentials);
        QCOMPARE(errorOf(c->request(req::registerAccount(u"ana"_s, Password), 15000)),
            ErrorCode::NameTaken);
        QCOMPARE(errorOf(c->request(req::authenticate(tokenOf(ana)))), ErrorCode::InvalidToken);
        QCOMPARE(errorOf(bob->request(req::openDirect(u"ana"_s))), ErrorCode::NotFound);
        QCOMPARE(errorOf(bob->request(req::invite(club, u"ana"_s))), ErrorCode::NotFound);
        QCOMPARE(errorOf(bob->request(req::send(dm, u"t3"_s, u"are you there?"_s))),
            ErrorCode::Forbidden);
        const auto users = bob->request(req::users(u"an"_s));
        QVERIFY(ok(users));
        QCOMPARE(users->data().value("users"_L1).toArray().size(), 0);
    }

    void operatorCommandsKnowDeletedAccounts()
    {
        QVERIFY(adminFirst());
        auto *ana = registered(u"ana"_s, u"laptop"_s);
        QVERIFY(ana);
        const auto file = test::uploadFile(ana, u"notes.txt"_s, "kept for a while\n"_ba);
        QVERIFY(file);
        QVERIFY(ok(ana->request(req::deleteAccount(Password), 15000)));
        QVERIFY(closedWith(ana, u"account deleted"_s));

        // Listed, and marked: the name stays taken (§18.1).
        const auto users = admin({u"list-users"_s});
        QCOMPARE(users.exit, 0);
        QVERIFY2(users.out.split(u'\n').contains(u"ana\tdeleted"_s), qPrintable(users.out));
        QVERIFY(users.out.split(u'\n').contains(u"root\tactive"_s));

        const auto added = admin({u"add-user"_s, u"ana"_s}, NewPassword + u"\n"_s);
        QVERIFY(added.exit != 0);
        QVERIFY2(added.err.contains(u"name taken"_s), qPrintable(added.err));
        QVERIFY(!added.err.contains(u"UNIQUE"_s, Qt::CaseInsensitive));

        // Her files are still there until nothing has them: the operator can find them.
        const auto files = admin({u"files"_s, u"list"_s, u"--user"_s, u"ana"_s});
        QCOMPARE(files.exit, 0);
        QVERIFY2(files.out.contains(u"notes.txt"_s), qPrintable(files.out));
        QVERIFY(files.err.contains(u"deleted"_s));
    }

    // `confabd create-room` has the oldest account author the create event: never a
    // deleted one, whose name must author nothing new (§18.1).
    void operatorRoomIsNotAuthoredByADeletedAccount()
    {
        auto *root = registered(u"root"_s, u"desk"_s); // the first account: an admin
        auto *ana = registered(u"ana"_s, u"laptop"_s);
        QVERIFY(root && ana);
        QCOMPARE(admin({u"set-admin"_s, u"ana"_s, u"on"_s}).exit, 0);
        QVERIFY(ok(root->request(req::deleteAccount(Password), 15000)));
        QCOMPARE(admin({u"create-room"_s, u"town"_s}).exit, 0);

        // The running server learns of the operator's room on its sweep (docs/operations.md).
        const auto townId = [ana]() -> qint64 {
            const auto rooms = ana->request(protocol::requests::listRooms());
            const auto directory
                = ok(rooms) ? protocol::Directory::fromJson(rooms->data()) : std::nullopt;
            if (directory) {
                for (const auto &entry : directory->rooms) {
                    if (entry.name == u"town"_s)
                        return entry.id;
                }
            }
            return 0;
        };
        qint64 town = 0;
        QTRY_VERIFY_WITH_TIMEOUT((town = townId()) > 0, 10000);
        QVERIFY(ok(ana->request(protocol::requests::join(town))));
        const auto history = ana->request(protocol::requests::historyAfter(town, 0, 10));
        const auto page
            = ok(history) ? protocol::HistoryPage::fromJson(history->data()) : std::nullopt;
        QVERIFY(page && !page->events.isEmpty());
        QCOMPARE(page->events.first().kind, protocol::EventKind::Create);
        QCOMPARE(page->events.first().sender, u"ana"_s);
    }
};

CONFAB_SERVER_TEST_MAIN(TestSelfServiceAccounts)
#include "tst_selfservice_accounts.moc"
