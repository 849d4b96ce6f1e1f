// SPDX-License-Identifier: GPL-3.0-or-later
// The app's administration against a scripted server: who is an admin comes from the
// sign-in result, set_user results change the user list in place, the registration mode
// and invite codes, the audit log's pages (newest first, then older), late replies after
// a sign-out dropped.
#include "models/auditmodel.h"
#include "models/userdirectorymodel.h"
#include "protocol/teamresults.h"
#include "scriptedconnection.h"
#include "session/administration.h"
#include "session/errortext.h"

#include <QAbstractItemModelTester>
#include <QSignalSpy>
#include <QTest>

using namespace Qt::StringLiterals;
using confab::client::Administration;
using confab::client::AuditModel;
using confab::client::UserDirectoryModel;
using confab::protocol::RequestType;
using confab::test::ScriptedConnection;
namespace protocol = confab::protocol;

namespace {

protocol::AuditEntry auditEntry(qint64 id, const QString &action, const QString &subject)
{
    protocol::AuditEntry e;
    e.id = id;
    e.timestamp = 1'700'000'000'000 + id;
    e.actor = u"alice"_s;
    e.action = action;
    e.subject = subject;
    return e;
}

QJsonObject page(const QList<protocol::AuditEntry> &entries)
{
    protocol::AuditPage p;
    p.entries = entries;
    return p.toJson();
}

} // namespace

class TestAdministration : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void init()
    {
        m_connection.emplace();
        m_connection->open(QUrl(u"ws://scripted"_s));
        protocol::Hello hello;
        hello.features = {u"teams"_s};
        m_connection->acceptHello(hello);
        m_admin.emplace(&*m_connection);
    }

    void cleanup()
    {
        m_admin.reset();
        m_connection.reset();
    }

    void adminFromSignIn()
    {
        QSignalSpy changed(&*m_admin, &Administration::isAdminChanged);
        protocol::SignedIn result;
        result.user = u"alice"_s;
        result.admin = true; // without teams the member means nothing
        m_admin->applySignIn(result);
        QVERIFY(!m_admin->isAdmin());
        result.hasTeams = true;
        m_admin->applySignIn(result);
        QVERIFY(m_admin->isAdmin());
        QCOMPARE(changed.count(), 1);
        m_admin->reset();
        QVERIFY(!m_admin->isAdmin());
    }

    void setUserChangesTheRow()
    {
        m_admin->users()->refresh();
        protocol::UserEntry bob;
        bob.user = u"bob"_s;
        bob.online = true;
        bob.adminView = true;
        protocol::UserList list;
        list.users = {bob};
        QVERIFY(m_connection->reply(RequestType::Users, list.toJson()));

        QSignalSpy changed(&*m_admin, &Administration::changed);
        m_admin->setDisabled(u"bob"_s, true);
        QVERIFY(m_admin->busy());
        const auto *sent = m_connection->firstWaiting(RequestType::SetUser);
        QVERIFY(sent);
        QCOMPARE(sent->fields.value("user"_L1).toString(), u"bob"_s);
        QCOMPARE(sent->fields.value("disabled"_L1).toBool(), true);
        QVERIFY(!sent->fields.contains("admin"_L1));
        bob.disabled = true;
        bob.online = false;
        protocol::UserResult result;
        result.user = bob;
        QVERIFY(m_connection->reply(RequestType::SetUser, result.toJson()));
        QVERIFY(!m_admin->busy());
        QCOMPARE(changed.count(), 1);
        const QModelIndex row = m_admin->users()->index(0);
        QVERIFY(row.data(UserDirectoryModel::DisabledRole).toBool());
        QVERIFY(!row.data(UserDirectoryModel::OnlineRole).toBool());
        // The change is in the log: the audit is asked again.
        QCOMPARE(m_connection->waiting(RequestType::Audit), 1);

        QSignalSpy failed(&*m_admin, &Administration::actionFailed);
        m_admin->setAdmin(u"alice"_s, false);
        QCOMPARE(m_connection->firstWaiting(RequestType::SetUser)->fields.value("admin"_L1),
            QJsonValue(false));
        QVERIFY(m_connection->replyError(RequestType::SetUser, protocol::ErrorCode::Forbidden));
        QCOMPARE(failed.count(), 1);
        QCOMPARE(failed.at(0).at(0).toString(),
            confab::client::adminErrorText(protocol::ErrorCode::Forbidden));
    }

    void registrationAndInvites()
    {
        m_admin->loadSettings();
        QVERIFY(m_connection->reply(RequestType::ServerSettings, {{u"registration"_s, u"open"_s}}));
        QCOMPARE(m_admin->registration(), u"open"_s);

        m_admin->setRegistration(u"nonsense"_s); // not sent
        QCOMPARE(m_connection->waiting(RequestType::SetServerSettings), 0);
        m_admin->setRegistration(u"closed"_s);
        QCOMPARE(m_connection->firstWaiting(RequestType::SetServerSettings)
                     ->fields.value("registration"_L1)
                     .toString(),
            u"closed"_s);
        QVERIFY(m_connection->reply(
            RequestType::SetServerSettings, {{u"registration"_s, u"closed"_s}}));
        QCOMPARE(m_admin->registration(), u"closed"_s);

        m_admin->createInvite(3);
        QCOMPARE(m_connection->firstWaiting(RequestType::CreateInvite)->fields.value("uses"_L1),
            QJsonValue(3));
        QVERIFY(m_connection->reply(
            RequestType::CreateInvite, {{u"code"_s, u"abc-123"_s}, {u"uses"_s, 3}}));
        QCOMPARE(m_admin->inviteCode(), u"abc-123"_s);
        QCOMPARE(m_admin->inviteUses(), 3);
        m_admin->clearInviteCode();
        QVERIFY(m_admin->inviteCode().isEmpty());
    }

    void auditPages()
    {
        AuditModel *audit = m_admin->audit();
        QAbstractItemModelTester tester(
            audit, QAbstractItemModelTester::FailureReportingMode::QtTest);
        audit->setPageSize(2);
        audit->refresh();
        QVERIFY(audit->loading());
        QVERIFY(m_connection->reply(RequestType::Audit,
            page({auditEntry(5, u"set_registration"_s, u"closed"_s),
                auditEntry(4, u"disable_user"_s, u"bob"_s)})));
        QVERIFY(!audit->loading());
        QCOMPARE(audit->rowCount(), 2);
        QVERIFY(audit->hasOlder());
        QCOMPARE(audit->index(0).data(AuditModel::DescriptionRole).toString(),
            AuditModel::tr("%1 closed registration").arg(u"alice"_s));
        QCOMPARE(audit->index(1).data(AuditModel::DescriptionRole).toString(),
            AuditModel::tr("%1 disabled %2").arg(u"alice"_s, u"bob"_s));
        QCOMPARE(audit->index(1).data(AuditModel::ActorRole).toString(), u"alice"_s);

        audit->loadOlder();
        QCOMPARE(m_connection->firstWaiting(RequestType::Audit)->fields.value("before"_L1),
            QJsonValue(4));
        protocol::AuditEntry operatorEntry = auditEntry(1, u"grant_admin"_s, u"alice"_s);
        operatorEntry.actor.clear();
        QVERIFY(m_connection->reply(RequestType::Audit, page({operatorEntry})));
        QCOMPARE(audit->rowCount(), 3);
        QVERIFY(!audit->hasOlder());
        QCOMPARE(audit->index(2).data(AuditModel::ActorRole).toString(),
            AuditModel::tr("The server's operator"));

        // A reply that comes after a sign-out is dropped.
        audit->refresh();
        m_admin->reset();
        QCOMPARE(audit->rowCount(), 0);
        QVERIFY(
            m_connection->reply(RequestType::Audit, page({auditEntry(9, u"create_invite"_s, {})})));
        QCOMPARE(audit->rowCount(), 0);
    }

private:
    std::optional<ScriptedConnection> m_connection;
    std::optional<Administration> m_admin;
};

QTEST_GUILESS_MAIN(TestAdministration)
#include "tst_clientadministration.moc"
