// SPDX-License-Identifier: GPL-3.0-or-later
// Administration from the app (§17.5) against a real server: the admin role, the user
// directory, disabling accounts, the registration mode, invite codes and the audit log, and
// the operator's set-admin reaching a running server.
#include "admin/admincommands.h"
#include "clientpool.h"
#include "protocol/teamrequests.h"
#include "protocol/teamresults.h"
#include "teamfixture.h"
#include "testclient.h"
#include "testserver.h"

#include <QElapsedTimer>
#include <QJsonArray>
#include <QTextStream>
#include <QtTest>
#include <memory>

using namespace Qt::StringLiterals;
using namespace confab;
using protocol::ErrorCode;
using protocol::RegistrationMode;
using protocol::ServerFrame;
using protocol::ServerFrameType;
namespace req = protocol::requests;

namespace {
const QString Password = u"password-123"_s;

using test::AdminResult;
} // namespace

class TestAdministration : public QObject
{
    Q_OBJECT

private:
    std::unique_ptr<test::TestServer> m_server;
    test::ClientPool m_clients {[this] { return m_server->url(); }};

    static std::optional<ErrorCode> errorOf(const std::optional<ServerFrame> &f)
    {
        if (!f || f->type != ServerFrameType::Error)
            return std::nullopt;
        return f->error;
    }
    static bool isResult(const std::optional<ServerFrame> &f)
    {
        return f && f->type == ServerFrameType::Result;
    }
    static bool succeeded(const std::optional<ServerFrame> &f)
    {
        if (f && f->type != ServerFrameType::Result)
            qWarning() << "refused:" << f->body;
        return f && f->type == ServerFrameType::Result;
    }
    /*! \brief Runs an operator subcommand in-process, against the running server's data. */
    AdminResult admin(const QStringList &args) { return test::runAdmin(m_server->config(), args); }
    static std::optional<protocol::UserList> users(
        test::TestClient *c, const QString &query = {}, int limit = 0)
    {
        const auto reply = c->request(req::users(query, limit));
        if (!succeeded(reply))
            return std::nullopt;
        return protocol::UserList::fromJson(reply->data());
    }
    static std::optional<protocol::UserEntry> find(
        const protocol::UserList &list, const QString &name)
    {
        for (const protocol::UserEntry &e : list.users) {
            if (e.user == name)
                return e;
        }
        return std::nullopt;
    }
    static QStringList names(const protocol::UserList &list)
    {
        QStringList out;
        for (const protocol::UserEntry &e : list.users)
            out << e.user;
        return out;
    }
    static std::optional<protocol::AuditPage> audit(
        test::TestClient *c, qint64 before = 0, int limit = 0)
    {
        const auto reply = c->request(req::audit(before, limit));
        if (!succeeded(reply))
            return std::nullopt;
        return protocol::AuditPage::fromJson(reply->data());
    }
    /*! \brief Asks \a check every 100 ms (not in a burst: that would be rate-limited). */
    static bool eventually(const std::function<bool()> &check, int timeoutMs = 5000)
    {
        QElapsedTimer timer;
        timer.start();
        while (timer.elapsed() < timeoutMs) {
            if (check())
                return true;
            test::TestClient::waitUntil([] { return false; }, 100);
        }
        return false;
    }
    static bool waitClosed(test::TestClient *c, int code)
    {
        test::TestClient::waitUntil([&] { return c->closeCode() >= 0; }, 5000);
        if (c->closeCode() != code)
            qWarning() << "close code" << c->closeCode() << "expected" << code;
        return c->closeCode() == code && !c->isConnected();
    }
    std::optional<ServerFrame> registerWith(const QString &name, const QString &invite = {})
    {
        auto *c = m_clients.connectClient();
        if (!c)
            return std::nullopt;
        return c->request(req::registerAccount(name, Password, invite), 15000);
    }

private Q_SLOTS:
    void init()
    {
        m_server = std::make_unique<test::TestServer>();
        QVERIFY(m_server->start());
    }
    void cleanup()
    {
        m_clients.clear();
        m_server.reset();
    }

    void helloAnnouncesTeams()
    {
        auto *c = m_clients.connectClient();
        QVERIFY(c);
        const QJsonArray features = c->hello().value("features"_L1).toArray();
        QVERIFY(features.contains(QJsonValue(QString(protocol::features::Teams))));
    }

    void firstAccountIsAdmin()
    {
        auto *ana = m_clients.registered(u"ana"_s);
        auto *bob = m_clients.registered(u"bob"_s);
        QVERIFY(ana && bob);
        QCOMPARE(ana->session().value("admin"_L1), QJsonValue(true));
        QCOMPARE(bob->session().value("admin"_L1), QJsonValue(false));
        const auto list = users(ana);
        QVERIFY(list);
        const auto anaEntry = find(*list, u"ana"_s);
        const auto bobEntry = find(*list, u"bob"_s);
        QVERIFY(anaEntry && bobEntry);
        QVERIFY(anaEntry->adminView);
        QVERIFY(anaEntry->admin);
        QVERIFY(!bobEntry->admin);
        QVERIFY(anaEntry->online);
        QVERIFY(anaEntry->createdAt > 0);
        QVERIFY(succeeded(ana->request(req::serverSettings())));
        QCOMPARE(errorOf(bob->request(req::serverSettings())), ErrorCode::Forbidden);
        // Still so after a restart: the role is stored, and Ranks reads it back.
        m_clients.clear();
        QVERIFY(m_server->restart());
        ana = m_clients.newClient();
        QVERIFY(ana->open(m_server->url()) && ana->login(u"ana"_s));
        QVERIFY(succeeded(ana->request(req::serverSettings())));
    }

    void nonAdminsAreForbiddenButMaySearch()
    {
        auto *ana = m_clients.registered(u"ana"_s);
        auto *bob = m_clients.registered(u"bob"_s);
        auto *carol = m_clients.registered(u"carol"_s);
        QVERIFY(ana && bob && carol);
        QVERIFY(succeeded(ana->request(req::setUser(u"carol"_s, true))));

        QCOMPARE(errorOf(bob->request(req::setUser(u"ana"_s, true))), ErrorCode::Forbidden);
        QCOMPARE(errorOf(bob->request(req::setUser(u"carol"_s, false))), ErrorCode::Forbidden);
        QCOMPARE(errorOf(bob->request(req::setUser(u"bob"_s, {}, true))), ErrorCode::Forbidden);
        QCOMPARE(errorOf(bob->request(req::serverSettings())), ErrorCode::Forbidden);
        QCOMPARE(errorOf(bob->request(req::setServerSettings(RegistrationMode::Closed))),
            ErrorCode::Forbidden);
        QCOMPARE(errorOf(bob->request(req::createInvite(2))), ErrorCode::Forbidden);
        QCOMPARE(errorOf(bob->request(req::audit())), ErrorCode::Forbidden);

        // users works for everyone, without the admin members and without disabled accounts.
        const auto reply = bob->request(req::users());
        QVERIFY(succeeded(reply));
        const QJsonArray raw = reply->data().value("users"_L1).toArray();
        QCOMPARE(raw.size(), 2);
        for (const QJsonValue &v : raw) {
            const QJsonObject o = v.toObject();
            QVERIFY(!o.contains("admin"_L1));
            QVERIFY(!o.contains("disabled"_L1));
            QVERIFY(!o.contains("createdAt"_L1));
        }
        const auto seenByBob = users(bob);
        QVERIFY(seenByBob);
        QCOMPARE(names(*seenByBob), (QStringList {u"ana"_s, u"bob"_s}));
        QVERIFY(find(*seenByBob, u"ana"_s)->online);
        // Admins see the disabled account, with its state.
        const auto seenByAna = users(ana);
        QVERIFY(seenByAna);
        QCOMPARE(names(*seenByAna), (QStringList {u"ana"_s, u"bob"_s, u"carol"_s}));
        QVERIFY(find(*seenByAna, u"carol"_s)->disabled);
        QVERIFY(!find(*seenByAna, u"carol"_s)->online);
    }

    void usersMatchesPrefixesFirst()
    {
        QVERIFY(m_clients.registered(u"ana"_s));
        for (const QString &name : {u"dana"_s, u"Anton"_s, u"bob"_s, u"banana"_s})
            QVERIFY(m_clients.registered(name));
        auto *bob = m_clients.connectClient();
        QVERIFY(bob && bob->login(u"bob"_s));
        const auto found = users(bob, u"AN"_s);
        QVERIFY(found);
        QCOMPARE(names(*found), (QStringList {u"ana"_s, u"Anton"_s, u"banana"_s, u"dana"_s}));
        const auto two = users(bob, u"an"_s, 2);
        QVERIFY(two);
        QCOMPARE(names(*two), (QStringList {u"ana"_s, u"Anton"_s}));
        const auto none = users(bob, u"zz"_s);
        QVERIFY(none);
        QVERIFY(none->users.isEmpty());
    }

    void disablingSignsOutEverywhere()
    {
        auto *ana = m_clients.registered(u"ana"_s);
        auto *bob = m_clients.registered(u"bob"_s);
        QVERIFY(ana && bob);
        auto *bobPhone = m_clients.signedIn(bob->token());
        QVERIFY(bobPhone);
        const QString token = bob->token();

        const auto reply = ana->request(req::setUser(u"bob"_s, true));
        QVERIFY(succeeded(reply));
        const auto result = protocol::UserResult::fromJson(reply->data());
        QVERIFY(result);
        QCOMPARE(result->user.user, u"bob"_s);
        QVERIFY(result->user.disabled);
        QVERIFY(!result->user.admin);
        QVERIFY(result->user.adminView);
        QVERIFY(waitClosed(bob, 4001));
        QVERIFY(waitClosed(bobPhone, 4001));

        auto *again = m_clients.connectClient();
        QVERIFY(again);
        QCOMPARE(errorOf(again->request(req::authenticate(token))), ErrorCode::InvalidToken);
        QCOMPARE(errorOf(again->request(req::login(u"bob"_s, Password), 15000)),
            ErrorCode::AccountDisabled);

        const auto enabled = ana->request(req::setUser(u"bob"_s, false));
        QVERIFY(succeeded(enabled));
        QVERIFY(!protocol::UserResult::fromJson(enabled->data())->user.disabled);
        QVERIFY(again->login(u"bob"_s));
        // The old token stays revoked: enabling does not bring sessions back.
        auto *old = m_clients.connectClient();
        QVERIFY(old);
        QCOMPARE(errorOf(old->request(req::authenticate(token))), ErrorCode::InvalidToken);
    }

    void setUserChecksItsRequest()
    {
        auto *ana = m_clients.registered(u"ana"_s);
        QVERIFY(ana && m_clients.registered(u"bob"_s));
        const auto empty = ana->request(req::setUser(u"bob"_s, {}, {}));
        QCOMPARE(errorOf(empty), ErrorCode::BadRequest);
        QCOMPARE(empty->body.value("field"_L1).toString(), u"disabled"_s);
        QCOMPARE(errorOf(ana->request(req::setUser(u"nobody"_s, true))), ErrorCode::NotFound);
        // Names match case-insensitively.
        QVERIFY(succeeded(ana->request(req::setUser(u"BOB"_s, {}, true))));
    }

    void theLastAdminStays()
    {
        auto *ana = m_clients.registered(u"ana"_s);
        auto *bob = m_clients.registered(u"bob"_s);
        QVERIFY(ana && bob);
        // Nobody changes their own account: the only admin cannot step down or lock out.
        QCOMPARE(errorOf(ana->request(req::setUser(u"ana"_s, {}, false))), ErrorCode::Forbidden);
        QCOMPARE(errorOf(ana->request(req::setUser(u"ana"_s, true))), ErrorCode::Forbidden);
        QCOMPARE(errorOf(bob->request(req::setUser(u"ana"_s, {}, false))), ErrorCode::Forbidden);

        // With a second admin, one may demote the other; the one left is then the last.
        const auto granted = ana->request(req::setUser(u"bob"_s, {}, true));
        QVERIFY(succeeded(granted));
        QVERIFY(protocol::UserResult::fromJson(granted->data())->user.admin);
        QVERIFY(succeeded(bob->request(req::audit())));
        auto *bobAgain = m_clients.connectClient();
        QVERIFY(bobAgain && bobAgain->login(u"bob"_s));
        QCOMPARE(bobAgain->session().value("admin"_L1), QJsonValue(true));
        QVERIFY(succeeded(bob->request(req::setUser(u"ana"_s, {}, false))));
        QCOMPARE(errorOf(ana->request(req::serverSettings())), ErrorCode::Forbidden);
        QCOMPARE(errorOf(ana->request(req::setUser(u"bob"_s, true))), ErrorCode::Forbidden);
        QCOMPARE(errorOf(bob->request(req::setUser(u"bob"_s, {}, false))), ErrorCode::Forbidden);

        // The operator demoted bob in the shell, and the server has not seen it yet: the
        // change is checked again inside the transaction, so bob can no longer act.
        QCOMPARE(admin({u"set-admin"_s, u"ana"_s, u"on"_s}).exit, 0);
        QCOMPARE(admin({u"set-admin"_s, u"bob"_s, u"off"_s}).exit, 0);
        const auto late = bob->request(req::setUser(u"ana"_s, true));
        QCOMPARE(errorOf(late), ErrorCode::Forbidden);
        QVERIFY(eventually([&] { return isResult(ana->request(req::serverSettings())); }));
    }

    void registrationModeTakesEffectAndLasts()
    {
        auto *ana = m_clients.registered(u"ana"_s);
        QVERIFY(ana);
        const auto settings = ana->request(req::serverSettings());
        QVERIFY(succeeded(settings));
        QCOMPARE(protocol::ServerSettings::fromJson(settings->data())->registration, u"open"_s);

        const auto closed = ana->request(req::setServerSettings(RegistrationMode::Closed));
        QVERIFY(succeeded(closed));
        QCOMPARE(protocol::ServerSettings::fromJson(closed->data())->registration, u"closed"_s);
        QCOMPARE(errorOf(registerWith(u"bob"_s)), ErrorCode::RegistrationClosed);
        auto *next = m_clients.connectClient();
        QVERIFY(next);
        QCOMPARE(next->hello().value("registration"_L1).toString(), u"closed"_s);

        // It overrides the configuration file from then on, across a restart.
        QCOMPARE(m_server->config().registration, server::RegistrationPolicy::Open);
        m_clients.clear();
        QVERIFY(m_server->restart());
        auto *afterRestart = m_clients.connectClient();
        QVERIFY(afterRestart);
        QCOMPARE(afterRestart->hello().value("registration"_L1).toString(), u"closed"_s);
        QCOMPARE(errorOf(registerWith(u"bob"_s)), ErrorCode::RegistrationClosed);
        QVERIFY(afterRestart->login(u"ana"_s));
        const auto stored = afterRestart->request(req::serverSettings());
        QCOMPARE(protocol::ServerSettings::fromJson(stored->data())->registration, u"closed"_s);

        // Invite mode with a code created in the app.
        QVERIFY(succeeded(afterRestart->request(req::setServerSettings(RegistrationMode::Invite))));
        auto *hello = m_clients.connectClient();
        QVERIFY(hello);
        QCOMPARE(hello->hello().value("registration"_L1).toString(), u"invite"_s);
        QCOMPARE(errorOf(registerWith(u"bob"_s)), ErrorCode::InvalidInvite);
        const auto invite = afterRestart->request(req::createInvite(1));
        QVERIFY(succeeded(invite));
        const auto code = protocol::InviteCode::fromJson(invite->data());
        QVERIFY(code);
        QCOMPARE(code->uses, 1);
        QCOMPARE(code->code.size(), 22);
        QVERIFY(succeeded(registerWith(u"bob"_s, code->code)));
        QCOMPARE(errorOf(registerWith(u"carol"_s, code->code)), ErrorCode::InvalidInvite);

        QVERIFY(succeeded(afterRestart->request(req::setServerSettings(RegistrationMode::Open))));
        QVERIFY(succeeded(registerWith(u"carol"_s)));
    }

    void auditListsChangesNewestFirst()
    {
        auto *ana = m_clients.registered(u"ana"_s);
        QVERIFY(ana && m_clients.registered(u"bob"_s));
        QVERIFY(succeeded(ana->request(req::setUser(u"bob"_s, true, true))));
        QVERIFY(succeeded(ana->request(req::setUser(u"bob"_s, false))));
        QVERIFY(succeeded(ana->request(req::setUser(u"bob"_s, {}, false))));
        QVERIFY(succeeded(ana->request(req::setServerSettings(RegistrationMode::Invite))));
        QVERIFY(succeeded(ana->request(req::createInvite(3))));
        // Asking for what already is changes nothing and records nothing.
        QVERIFY(succeeded(ana->request(req::setUser(u"bob"_s, false))));

        const auto page = audit(ana);
        QVERIFY(page);
        QStringList actions;
        for (const protocol::AuditEntry &e : page->entries) {
            actions << e.action + u' ' + e.subject;
            QCOMPARE(e.actor, u"ana"_s);
            QVERIFY(e.timestamp > 0);
        }
        QCOMPARE(actions,
            (QStringList {u"create_invite 3"_s, u"set_registration invite"_s, u"revoke_admin bob"_s,
                u"enable_user bob"_s, u"grant_admin bob"_s, u"disable_user bob"_s}));
        for (qsizetype i = 1; i < page->entries.size(); ++i)
            QVERIFY(page->entries[i].id < page->entries[i - 1].id);

        // Paging: before an id, at most limit entries.
        const auto first = audit(ana, 0, 2);
        QVERIFY(first && first->entries.size() == 2);
        const auto rest = audit(ana, first->entries.last().id, 10);
        QVERIFY(rest);
        QCOMPARE(rest->entries.size(), 4);
        QCOMPARE(rest->entries.first().action, u"revoke_admin"_s);
    }

    void operatorSetAdminReachesRunningServer()
    {
        auto *ana = m_clients.registered(u"ana"_s);
        auto *bob = m_clients.registered(u"bob"_s);
        QVERIFY(ana && bob);
        QCOMPARE(errorOf(bob->request(req::serverSettings())), ErrorCode::Forbidden);

        const AdminResult usage = admin({u"set-admin"_s, u"bob"_s, u"yes"_s});
        QCOMPARE(usage.exit, 2);
        QVERIFY(usage.err.contains(u"set-admin NAME on|off"_s));
        QCOMPARE(admin({u"set-admin"_s, u"nobody"_s, u"on"_s}).exit, 1);

        const AdminResult on = admin({u"set-admin"_s, u"bob"_s, u"on"_s});
        QCOMPARE(on.exit, 0);
        QVERIFY2(on.out.contains(u"bob is now an admin"_s), qPrintable(on.out));
        // The running server sees it within a sweep (about a second).
        QVERIFY(eventually([&] { return isResult(bob->request(req::serverSettings())); }));

        QCOMPARE(admin({u"set-admin"_s, u"bob"_s, u"off"_s}).exit, 0);
        QVERIFY(eventually(
            [&] { return errorOf(bob->request(req::serverSettings())) == ErrorCode::Forbidden; }));

        // The operator's other commands leave audit entries too, with actor "".
        QCOMPARE(admin({u"disable-user"_s, u"bob"_s}).exit, 0);
        QVERIFY(waitClosed(bob, 4001));
        QCOMPARE(admin({u"enable-user"_s, u"bob"_s}).exit, 0);
        QCOMPARE(admin({u"create-invite"_s, u"2"_s}).exit, 0);

        const auto reply = ana->request(req::audit());
        QVERIFY(succeeded(reply));
        const QJsonArray raw = reply->data().value("entries"_L1).toArray();
        QVERIFY(!raw.isEmpty());
        QCOMPARE(raw.first().toObject().value("actor"_L1), QJsonValue(u""_s));
        const auto page = protocol::AuditPage::fromJson(reply->data());
        QVERIFY(page);
        QStringList actions;
        for (const protocol::AuditEntry &e : page->entries) {
            actions << e.action + u' ' + e.subject;
            QCOMPARE(e.actor, u""_s);
        }
        QCOMPARE(actions,
            (QStringList {u"create_invite 2"_s, u"enable_user bob"_s, u"disable_user bob"_s,
                u"revoke_admin bob"_s, u"grant_admin bob"_s}));
    }

    // Unlike the shell's set-admin, which waits for a sweep, an admin's set_user reaches the
    // server's ranks in the commit's callback (§17.5 "takes effect at once"): no retrying here.
    void appAdminChangesTakeEffectAtOnce()
    {
        auto *ana = m_clients.registered(u"ana"_s);
        auto *bob = m_clients.registered(u"bob"_s);
        QVERIFY(ana && bob);
        QCOMPARE(errorOf(bob->request(req::serverSettings())), ErrorCode::Forbidden);
        for (int round = 0; round < 3; ++round) {
            QVERIFY(succeeded(ana->request(req::setUser(u"bob"_s, {}, true))));
            QVERIFY(isResult(bob->request(req::serverSettings())));
            QVERIFY(succeeded(ana->request(req::setUser(u"bob"_s, {}, false))));
            QCOMPARE(errorOf(bob->request(req::serverSettings())), ErrorCode::Forbidden);
        }
    }

    // Only enabled admins outrank everyone (§17.1): a disabled admin is a plain member as a
    // target, whether the app or the operator's shell disabled them.
    void disabledAdminsDoNotOutrank()
    {
        auto *ana = m_clients.registered(u"ana"_s);
        auto *bob = m_clients.registered(u"bob"_s);
        auto *carl = m_clients.registered(u"carl"_s);
        QVERIFY(ana && bob && carl);
        const auto created = carl->request(req::createRoom(u"yard"_s, {}, false));
        QVERIFY(succeeded(created));
        const qint64 room
            = qint64(created->data().value("room"_L1).toObject().value("id"_L1).toDouble());
        QVERIFY(succeeded(ana->request(req::setUser(u"bob"_s, {}, true))));
        QVERIFY(succeeded(bob->request(req::join(room))));
        QCOMPARE(errorOf(carl->request(req::kick(room, u"bob"_s))), ErrorCode::Forbidden);
        QVERIFY(succeeded(ana->request(req::setUser(u"bob"_s, true))));
        QVERIFY(succeeded(carl->request(req::kick(room, u"bob"_s))));

        // Enabled again, bob is an admin again; then the operator disables him.
        QVERIFY(succeeded(ana->request(req::setUser(u"bob"_s, false))));
        auto *bobAgain = m_clients.connectClient();
        QVERIFY(bobAgain && bobAgain->login(u"bob"_s));
        QVERIFY(succeeded(bobAgain->request(req::join(room))));
        QCOMPARE(errorOf(carl->request(req::kick(room, u"bob"_s))), ErrorCode::Forbidden);
        QCOMPARE(admin({u"disable-user"_s, u"bob"_s}).exit, 0);
        QVERIFY(eventually([&] { return isResult(carl->request(req::kick(room, u"bob"_s))); }));
        QCOMPARE(admin({u"enable-user"_s, u"bob"_s}).exit, 0);
        auto *bobThird = m_clients.connectClient();
        QVERIFY(bobThird && bobThird->login(u"bob"_s));
        QVERIFY(succeeded(bobThird->request(req::join(room))));
        QVERIFY(eventually([&] { return isResult(bobThird->request(req::serverSettings())); }));
        QCOMPARE(errorOf(carl->request(req::kick(room, u"bob"_s))), ErrorCode::Forbidden);
    }
};

CONFAB_SERVER_TEST_MAIN(TestAdministration)
#include "tst_administration.moc"
