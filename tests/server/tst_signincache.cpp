// SPDX-License-Identifier: GPL-3.0-or-later
// Sign-in from memory (issue 17): the token sign-in and its summary are answered from caches
// of storage. Each test first signs in so that the caches hold the old answer, changes it
// through a real path (a request, the operator's command, a restart) and checks that the very
// next sign-in says what storage says, over real sockets and a real SQLite file.
#include "auth/tokens.h"
#include "clientpool.h"
#include "protocol/accountrequests.h"
#include "protocol/results.h"
#include "protocol/selfserviceresults.h"
#include "protocol/teamrequests.h"
#include "teamfixture.h"
#include "testclient.h"
#include "testserver.h"

#include <QDateTime>
#include <QSqlDatabase>
#include <QSqlQuery>
#include <QtTest>

using namespace Qt::StringLiterals;
using namespace confab;
using protocol::ErrorCode;
using protocol::NotifyLevel;
namespace req = protocol::requests;
using test::errorOf;
using test::succeeded;

class TestSignInCache : public QObject
{
    Q_OBJECT

private:
    test::TeamFixture m_team;

    /*! \brief Signs in with \a token on a new connection; the sign-in's result or the error. */
    std::optional<protocol::ServerFrame> signIn(const QString &token)
    {
        auto *c = m_team.clients.connectClient();
        if (!c)
            return std::nullopt;
        return c->request(req::authenticate(token));
    }
    /*! \brief Signs in with \a token twice, so the second answer came from memory. */
    bool cached(const QString &token)
    {
        return succeeded(signIn(token)) && succeeded(signIn(token));
    }
    std::optional<protocol::SignedIn> summary(const QString &token)
    {
        const auto r = signIn(token);
        if (!succeeded(r))
            return std::nullopt;
        return protocol::SignedIn::fromJson(r->data());
    }
    static QString levelIn(const protocol::SignedIn &state, qint64 room)
    {
        for (const auto &s : state.rooms) {
            if (s.id == room)
                return s.notify;
        }
        return {};
    }
    /*! \brief The stored last-used time of \a token's session; -1 if there is none. */
    qint64 storedLastSeen(const QString &token)
    {
        qint64 seen = -1;
        {
            QSqlDatabase db = m_team.server->openDatabase(u"peek"_s);
            if (db.isOpen()) {
                QSqlQuery q(db);
                q.prepare(u"SELECT last_seen_ms FROM sessions WHERE token_hash = ?"_s);
                q.addBindValue(server::tokens::hash(token));
                if (q.exec() && q.next())
                    seen = q.value(0).toLongLong();
            }
        }
        QSqlDatabase::removeDatabase(u"peek"_s);
        return seen;
    }

private Q_SLOTS:
    void init() { QVERIFY(m_team.start({}, true)); }
    void cleanup() { m_team.stop(); }

    void signOutRefusesTheTokenAtOnce()
    {
        auto *ana = m_team.clients.registered(u"ana"_s);
        QVERIFY(ana);
        auto *phone = m_team.clients.connectClient();
        QVERIFY(phone && phone->login(u"ana"_s));
        QVERIFY(cached(ana->token()));
        QVERIFY(cached(phone->token()));

        QVERIFY(succeeded(phone->request(req::logout())));
        QCOMPARE(errorOf(signIn(phone->token())), ErrorCode::InvalidToken);
        // The other session is untouched, and still answered.
        QVERIFY(succeeded(signIn(ana->token())));

        auto *laptop = m_team.clients.signedIn(ana->token());
        QVERIFY(laptop);
        QVERIFY(succeeded(laptop->request(req::logoutAll())));
        QCOMPARE(errorOf(signIn(ana->token())), ErrorCode::InvalidToken);

        // Nor does a restart bring either back.
        QVERIFY(m_team.server->restart());
        QCOMPARE(errorOf(signIn(ana->token())), ErrorCode::InvalidToken);
        QCOMPARE(errorOf(signIn(phone->token())), ErrorCode::InvalidToken);
    }

    void selfServiceRevocationsRefuseAtOnce()
    {
        auto *ana = m_team.clients.registered(u"ana"_s);
        QVERIFY(ana);
        auto *phone = m_team.clients.connectClient();
        auto *tablet = m_team.clients.connectClient();
        QVERIFY(phone && phone->login(u"ana"_s) && tablet && tablet->login(u"ana"_s));
        QVERIFY(cached(phone->token()));
        QVERIFY(cached(tablet->token()));

        // revoke_session: the phone's session, by the id `sessions` marks current on the phone.
        const auto listed = phone->request(req::sessions());
        QVERIFY(succeeded(listed));
        const auto list = protocol::SessionList::fromJson(listed->data());
        QVERIFY(list);
        qint64 phoneSession = 0;
        for (const auto &s : list->sessions) {
            if (s.current)
                phoneSession = s.id;
        }
        QVERIFY(phoneSession > 0);
        QVERIFY(succeeded(ana->request(req::revokeSession(phoneSession))));
        QCOMPARE(errorOf(signIn(phone->token())), ErrorCode::InvalidToken);
        const QString survivor = tablet->token();
        QVERIFY(cached(survivor));

        // change_password with revoke_others ends every other session.
        QVERIFY(succeeded(
            ana->request(req::changePassword(u"password-123"_s, u"another-password-456"_s, true))));
        QCOMPARE(errorOf(signIn(survivor)), ErrorCode::InvalidToken);
        QVERIFY(succeeded(signIn(ana->token())));

        // delete_account ends the last one.
        QVERIFY(cached(ana->token()));
        QVERIFY(succeeded(ana->request(req::deleteAccount(u"another-password-456"_s))));
        QCOMPARE(errorOf(signIn(ana->token())), ErrorCode::InvalidToken);
    }

    void disablingRefusesAtOnce()
    {
        auto *root = m_team.clients.connectClient();
        QVERIFY(root && root->login(u"root"_s));
        auto *ana = m_team.clients.registered(u"ana"_s);
        QVERIFY(ana);
        QVERIFY(cached(ana->token()));
        QVERIFY(succeeded(root->request(req::setUser(u"ana"_s, true))));
        QVERIFY(!succeeded(signIn(ana->token())));
        QVERIFY(m_team.server->restart());
        QVERIFY(!succeeded(signIn(ana->token())));
    }

    void operatorRevocationsFromAnotherProcessRefuseAtOnce()
    {
        auto *ana = m_team.clients.registered(u"ana"_s);
        auto *ben = m_team.clients.registered(u"ben"_s);
        QVERIFY(ana && ben);
        QVERIFY(cached(ana->token()));
        QVERIFY(cached(ben->token()));
        // The operator's command is a transaction of its own connection: the server learns of
        // it from admin_log, which every token sign-in reads first, not at its next sweep.
        QCOMPARE(test::runAdmin(m_team.server->config(), {u"reset-password"_s, u"ana"_s},
                     u"a-brand-new-secret\n"_s)
                     .exit,
            0);
        QCOMPARE(errorOf(signIn(ana->token())), ErrorCode::InvalidToken);
        QVERIFY(succeeded(signIn(ben->token())));

        QCOMPARE(test::runAdmin(m_team.server->config(), {u"disable-user"_s, u"ben"_s}).exit, 0);
        QCOMPARE(errorOf(signIn(ben->token())), ErrorCode::InvalidToken);
        QVERIFY(m_team.server->restart());
        QCOMPARE(errorOf(signIn(ana->token())), ErrorCode::InvalidToken);
        QCOMPARE(errorOf(signIn(ben->token())), ErrorCode::InvalidToken);
    }

    void notifyLevelFollowsEveryChange()
    {
        auto *ana = m_team.clients.registered(u"ana"_s);
        auto *ben = m_team.clients.registered(u"ben"_s);
        QVERIFY(ana && ben);
        const qint64 room = test::createRoom(ana, u"general"_s);
        QVERIFY(room > 0);
        QVERIFY(succeeded(ben->request(req::join(room))));
        auto before = summary(ben->token());
        QVERIFY(before);
        QCOMPARE(levelIn(*before, room), u"all"_s);

        QVERIFY(succeeded(ben->request(req::setNotify(room, NotifyLevel::Mentions))));
        auto after = summary(ben->token());
        QVERIFY(after);
        QCOMPARE(levelIn(*after, room), u"mentions"_s);

        // A leave takes the level with the membership; a join starts from the default.
        QVERIFY(succeeded(ben->request(req::leave(room))));
        QVERIFY(succeeded(ben->request(req::join(room))));
        auto rejoined = summary(ben->token());
        QVERIFY(rejoined);
        QCOMPARE(levelIn(*rejoined, room), u"all"_s);

        QVERIFY(succeeded(ben->request(req::setNotify(room, NotifyLevel::Nothing))));
        QVERIFY(m_team.server->restart());
        auto restarted = summary(ben->token());
        QVERIFY(restarted);
        QCOMPARE(levelIn(*restarted, room), u"none"_s);
    }

    void doNotDisturbFollowsEveryChange()
    {
        auto *ana = m_team.clients.registered(u"ana"_s);
        QVERIFY(ana);
        auto off = summary(ana->token());
        QVERIFY(off && off->dndUntil);
        QCOMPARE(*off->dndUntil, qint64(0));

        const qint64 until = QDateTime::currentMSecsSinceEpoch() + 3600 * 1000;
        QVERIFY(succeeded(ana->request(req::setDnd(until))));
        auto on = summary(ana->token());
        QVERIFY(on && on->dndUntil);
        QCOMPARE(*on->dndUntil, until);

        QVERIFY(succeeded(ana->request(req::setDnd(0))));
        auto offAgain = summary(ana->token());
        QVERIFY(offAgain && offAgain->dndUntil);
        QCOMPARE(*offAgain->dndUntil, qint64(0));
    }

    void invitationsFollowEveryChange()
    {
        auto *ana = m_team.clients.registered(u"ana"_s);
        auto *ben = m_team.clients.registered(u"ben"_s);
        QVERIFY(ana && ben);
        const qint64 room = test::createChannel(ana, u"secret"_s, true);
        QVERIFY(room > 0);
        // Twice: the second summary is the one memory answers.
        auto none = summary(ben->token());
        QVERIFY(none);
        QVERIFY(none->invites.isEmpty());
        none = summary(ben->token());
        QVERIFY(none && none->invites.isEmpty());

        QVERIFY(succeeded(ana->request(req::invite(room, u"ben"_s))));
        auto invited = summary(ben->token());
        QVERIFY(invited);
        QCOMPARE(invited->invites.size(), 1);
        QCOMPARE(invited->invites.first().room, room);

        QVERIFY(succeeded(ben->request(req::declineInvite(room))));
        auto declined = summary(ben->token());
        QVERIFY(declined);
        QVERIFY(declined->invites.isEmpty());

        // Invited again, and kept across a restart.
        QVERIFY(succeeded(ana->request(req::invite(room, u"ben"_s))));
        QVERIFY(m_team.server->restart());
        auto restarted = summary(ben->token());
        QVERIFY(restarted);
        QCOMPARE(restarted->invites.size(), 1);
    }

    void lastUseIsWrittenOncePerIntervalAndShownAtOnce()
    {
        auto *ana = m_team.clients.registered(u"ana"_s);
        QVERIFY(ana);
        const qint64 registered = storedLastSeen(ana->token());
        QVERIFY(registered > 0);
        QTest::qWait(20);
        const qint64 before = QDateTime::currentMSecsSinceEpoch();
        auto *laptop = m_team.clients.signedIn(ana->token());
        QVERIFY(laptop);
        // `sessions` shows the sign-in before its batched write.
        const auto listed = laptop->request(req::sessions());
        QVERIFY(succeeded(listed));
        const auto list = protocol::SessionList::fromJson(listed->data());
        QVERIFY(list && list->sessions.size() == 1);
        QVERIFY2(list->sessions.first().lastSeen >= before,
            qPrintable(QString::number(list->sessions.first().lastSeen - before)));
        // Then it is written, in the next batch.
        QVERIFY(test::TestClient::waitUntil(
            [&] { return storedLastSeen(ana->token()) >= before; }, 5000));
        const qint64 written = storedLastSeen(ana->token());
        // Another sign-in from the same address within the interval writes nothing more.
        QTest::qWait(20);
        QVERIFY(succeeded(signIn(ana->token())));
        QTest::qWait(600);
        QCOMPARE(storedLastSeen(ana->token()), written);
        // A clean shutdown leaves nothing unwritten.
        QVERIFY(m_team.server->restart());
        QVERIFY(storedLastSeen(ana->token()) >= written);
    }
};

QTEST_GUILESS_MAIN(TestSignInCache)
#include "tst_signincache.moc"
