// SPDX-License-Identifier: GPL-3.0-or-later
// The app's account self-service and notification settings (§18.1, §18.3) against a
// scripted server: offered only with the hello's features, the requests' fields, the
// session list (this device marked, a revoked row gone), errors as sentences, late
// replies after a sign-out dropped, do-not-disturb ending by itself.
#include "models/sessionlistmodel.h"
#include "protocol/selfserviceresults.h"
#include "scriptedconnection.h"
#include "session/accountsettings.h"
#include "session/errortext.h"
#include "session/notifylevels.h"

#include <QAbstractItemModelTester>
#include <QDateTime>
#include <QSignalSpy>
#include <QTest>

using namespace Qt::StringLiterals;
using confab::client::AccountSettings;
using confab::client::NotifyLevels;
using confab::client::SessionListModel;
using confab::protocol::RequestType;
using confab::test::ScriptedConnection;
namespace protocol = confab::protocol;

namespace {

protocol::SessionEntry entry(qint64 id, const QString &device, bool current, bool online)
{
    protocol::SessionEntry e;
    e.id = id;
    e.device = device;
    e.address = u"127.0.0.1"_s;
    e.createdAt = 1'700'000'000'000;
    e.lastSeen = 1'700'000'100'000 + id;
    e.current = current;
    e.online = online;
    return e;
}

} // namespace

class TestClientSelfService : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void init()
    {
        m_connection.emplace();
        m_connection->open(QUrl(u"ws://scripted"_s));
        m_account.emplace(&*m_connection);
        m_levels.emplace(&*m_connection);
        protocol::Hello hello;
        hello.features = {u"accounts"_s, u"notify"_s};
        m_connection->acceptHello(hello);
    }

    void cleanup()
    {
        m_levels.reset();
        m_account.reset();
        m_connection.reset();
    }

    void offeredOnlyWithTheFeatures()
    {
        QVERIFY(m_account->available());
        QVERIFY(m_levels->available());
        ScriptedConnection old;
        AccountSettings account(&old);
        NotifyLevels levels(&old);
        old.open(QUrl(u"ws://scripted"_s));
        old.acceptHello(protocol::Hello {});
        QVERIFY(!account.available());
        QVERIFY(!levels.available());
    }

    void changePassword()
    {
        QSignalSpy changed(&*m_account, &AccountSettings::changed);
        m_account->changePassword(u"old secret"_s, u"new secret"_s, true);
        QVERIFY(m_account->busy());
        const auto *sent = m_connection->firstWaiting(RequestType::ChangePassword);
        QVERIFY(sent);
        QCOMPARE(sent->fields.value("password"_L1).toString(), u"old secret"_s);
        QCOMPARE(sent->fields.value("newPassword"_L1).toString(), u"new secret"_s);
        QCOMPARE(sent->fields.value("revokeOthers"_L1).toBool(), true);
        protocol::PasswordChanged result;
        result.revoked = 2;
        QVERIFY(m_connection->reply(RequestType::ChangePassword, result.toJson()));
        QCOMPARE(changed.count(), 1);
        QVERIFY(changed.first().first().toString().contains(u"2"_s));
        // The list is asked again: the other sessions are gone.
        QCOMPARE(m_connection->waiting(RequestType::Sessions), 1);
        QVERIFY(m_connection->reply(RequestType::Sessions, protocol::SessionList {}.toJson()));
        QVERIFY(!m_account->busy());

        QSignalSpy failed(&*m_account, &AccountSettings::actionFailed);
        m_account->changePassword(u"wrong"_s, u"new secret"_s, false);
        QVERIFY(m_connection->replyError(
            RequestType::ChangePassword, protocol::ErrorCode::InvalidCredentials));
        QCOMPARE(failed.count(), 1);
        QCOMPARE(failed.first().first().toString(),
            confab::client::accountErrorText(protocol::ErrorCode::InvalidCredentials));
    }

    void sessionsAndRevoke()
    {
        SessionListModel *model = m_account->sessions();
        QAbstractItemModelTester tester(model);
        m_account->refresh();
        protocol::SessionList list;
        list.sessions = {entry(7, u"laptop"_s, true, true), entry(3, u"phone"_s, false, false)};
        QVERIFY(m_connection->reply(RequestType::Sessions, list.toJson()));
        QCOMPARE(model->rowCount(), 2);
        const QModelIndex first = model->index(0);
        QCOMPARE(first.data(SessionListModel::DeviceRole).toString(), u"laptop"_s);
        QVERIFY(first.data(SessionListModel::CurrentRole).toBool());
        QVERIFY(first.data(SessionListModel::AccessibleTextRole).toString().contains(u"this"_s));
        QCOMPARE(first.data(SessionListModel::LastSeenRole).toDateTime(),
            QDateTime::fromMSecsSinceEpoch(1'700'000'100'007));
        QCOMPARE(model->index(1).data(SessionListModel::AddressRole).toString(), u"127.0.0.1"_s);

        m_account->revoke(3);
        QCOMPARE(m_connection->firstWaiting(RequestType::RevokeSession)
                     ->fields.value("session"_L1)
                     .toInteger(),
            3);
        QVERIFY(m_connection->reply(RequestType::RevokeSession));
        QCOMPARE(model->rowCount(), 1);
        QCOMPARE(model->index(0).data(SessionListModel::SessionIdRole).toLongLong(), 7);

        // A reply after sign-out reaches nothing.
        m_account->refresh();
        m_account->reset();
        QCOMPARE(model->rowCount(), 0);
        QVERIFY(m_connection->reply(RequestType::Sessions, list.toJson()));
        QCOMPARE(model->rowCount(), 0);
        QVERIFY(!m_account->busy());
    }

    void deleteAccountSendsThePassword()
    {
        m_account->deleteAccount(u"secret"_s);
        const auto *sent = m_connection->firstWaiting(RequestType::DeleteAccount);
        QVERIFY(sent);
        QCOMPARE(sent->fields.value("password"_L1).toString(), u"secret"_s);
    }

    void signedOutTexts()
    {
        using confab::client::signedOutText;
        const QString other = signedOutText(u"something else"_s);
        QVERIFY(signedOutText(u"password changed"_s) != other);
        QVERIFY(signedOutText(u"session revoked"_s) != other);
        QVERIFY(signedOutText(u"account deleted"_s) != other);
    }

    void setLevel()
    {
        m_levels->setLevel(4, u"loud"_s); // not a level: not sent
        QCOMPARE(m_connection->waiting(RequestType::SetNotify), 0);
        m_levels->setLevel(4, u"mentions"_s);
        const auto *sent = m_connection->firstWaiting(RequestType::SetNotify);
        QVERIFY(sent);
        QCOMPARE(sent->fields.value("room"_L1).toInteger(), 4);
        QCOMPARE(sent->fields.value("level"_L1).toString(), u"mentions"_s);
        QSignalSpy failed(&*m_levels, &NotifyLevels::actionFailed);
        QVERIFY(m_connection->replyError(RequestType::SetNotify, protocol::ErrorCode::NotMember));
        QCOMPARE(failed.count(), 1);
    }

    void doNotDisturb()
    {
        QSignalSpy changed(&*m_levels, &NotifyLevels::dndChanged);
        m_levels->dndUntilMorning();
        const auto *sent = m_connection->firstWaiting(RequestType::SetDnd);
        QVERIFY(sent);
        const QDateTime until
            = QDateTime::fromMSecsSinceEpoch(sent->fields.value("until"_L1).toInteger());
        QCOMPARE(until.time(), QTime(8, 0));
        QCOMPARE(until.date(), QDate::currentDate().addDays(1));
        QVERIFY(m_connection->reply(RequestType::SetDnd));
        // The state follows the server's push, not the request.
        QVERIFY(!m_levels->dndOn());
        m_levels->applyDnd(until.toMSecsSinceEpoch());
        QVERIFY(m_levels->dndOn());
        QCOMPARE(m_levels->dndUntil(), until);
        m_levels->applyDnd(0);
        QVERIFY(!m_levels->dndOn());
        QCOMPARE(changed.count(), 2);

        // It ends by itself at its end time.
        m_levels->applyDnd(QDateTime::currentMSecsSinceEpoch() + 300);
        QVERIFY(m_levels->dndOn());
        QTRY_VERIFY(!m_levels->dndOn());
        // A time already past is off.
        m_levels->applyDnd(QDateTime::currentMSecsSinceEpoch() - 5);
        QVERIFY(!m_levels->dndOn());

        m_levels->dndOff();
        QCOMPARE(m_connection->firstWaiting(RequestType::SetDnd)->fields.value("until"_L1), 0);
    }

private:
    std::optional<ScriptedConnection> m_connection;
    std::optional<AccountSettings> m_account;
    std::optional<NotifyLevels> m_levels;
};

QTEST_MAIN(TestClientSelfService)
#include "tst_clientselfservice.moc"
