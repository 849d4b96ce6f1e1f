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
#include <QLocale>
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

    // "Sign out here": the server closes this connection next. The list is not asked again,
    // and a list load cut off by that close does not hide "The device was signed out."
    void revokingThisDeviceDoesNotReportTheClose()
    {
        m_account->refresh();
        protocol::SessionList list;
        list.sessions = {entry(7, u"laptop"_s, true, true), entry(3, u"phone"_s, false, false)};
        QVERIFY(m_connection->reply(RequestType::Sessions, list.toJson()));
        QSignalSpy changed(&*m_account, &AccountSettings::changed);
        QSignalSpy failed(&*m_account, &AccountSettings::actionFailed);

        m_account->refresh(); // the periodic reload, on its way
        m_account->revoke(7);
        QVERIFY(m_connection->reply(RequestType::RevokeSession));
        QCOMPARE(changed.count(), 1);
        QCOMPARE(m_connection->waiting(RequestType::Sessions), 1); // only the earlier one
        m_connection->drop();
        QCOMPARE(failed.count(), 0);
        QCOMPARE(changed.count(), 1);
        QCOMPARE(m_account->sessions()->rowCount(), 1);
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
        // The server's close reasons (§2.7), each its own sentence; anything else the plain one.
        QCOMPARE(signedOutText(u"password changed"_s),
            u"Your password was changed on another device. Sign in with the new one."_s);
        QCOMPARE(signedOutText(u"session revoked"_s),
            u"This device was signed out from another device."_s);
        QCOMPARE(signedOutText(u"account deleted"_s), u"Your account was deleted."_s);
        QCOMPARE(signedOutText(u"account disabled"_s),
            u"Your account was disabled by an administrator."_s);
        QCOMPARE(signedOutText(u"signed out by the operator"_s),
            u"The server's operator signed you out."_s);
        QCOMPARE(signedOutText(u"something else"_s), u"You were signed out."_s);
        QCOMPARE(signedOutText(QString()), u"You were signed out."_s);
    }

    // Offline, the request never left: "not made" is true. Sent, then cut off, the server
    // may have made the change: the text must not claim it was not.
    void interruptedIsNotOffline()
    {
        QSignalSpy failed(&*m_account, &AccountSettings::actionFailed);
        m_account->changePassword(u"old secret"_s, u"new secret"_s, false);
        QVERIFY(m_connection->firstWaiting(RequestType::ChangePassword));
        m_connection->drop();
        QCOMPARE(failed.count(), 1);
        const QString interrupted = failed.takeFirst().first().toString();
        QCOMPARE(interrupted,
            u"The connection was lost before the server answered: the request could not be "
            "completed. Check and try again when the connection is back."_s);
        QVERIFY(!m_account->busy()); // the button is back: the user can retry

        m_account->changePassword(u"old secret"_s, u"new secret"_s, false);
        QTRY_COMPARE(failed.count(), 1);
        QCOMPARE(failed.first().first().toString(), u"You are offline. The change was not made."_s);

        // The same for notification levels.
        QSignalSpy levelFailed(&*m_levels, &NotifyLevels::actionFailed);
        m_connection->open(QUrl(u"ws://scripted"_s));
        protocol::Hello hello;
        hello.features = {u"accounts"_s, u"notify"_s};
        m_connection->acceptHello(hello);
        m_levels->setLevel(4, u"none"_s);
        m_connection->drop();
        QCOMPARE(levelFailed.count(), 1);
        QVERIFY(levelFailed.first().first().toString().startsWith(u"The connection was lost"_s));
    }

    // No push says when a session ends elsewhere: the list on screen is asked again after
    // a revoke, on reconnect and now and then, and not while nobody looks.
    void sessionListStaysFresh()
    {
        m_account->setSessionsShown(true);
        QCOMPARE(m_connection->waiting(RequestType::Sessions), 1);
        // Loading changes nothing: the Sign out buttons stay usable while it reloads.
        QVERIFY(!m_account->busy());
        protocol::SessionList list;
        list.sessions = {entry(7, u"laptop"_s, true, true), entry(3, u"phone"_s, false, true),
            entry(2, u"tablet"_s, false, false)};
        QVERIFY(m_connection->reply(RequestType::Sessions, list.toJson()));
        QCOMPARE(m_account->sessions()->rowCount(), 3);

        // Revoked here: the row goes at once, and the server's list follows.
        m_account->revoke(3);
        QVERIFY(m_connection->reply(RequestType::RevokeSession));
        QCOMPARE(m_account->sessions()->rowCount(), 2);
        QCOMPARE(m_connection->waiting(RequestType::Sessions), 1);
        // Meanwhile the tablet was signed out elsewhere.
        list.sessions = {entry(7, u"laptop"_s, true, true)};
        QVERIFY(m_connection->reply(RequestType::Sessions, list.toJson()));
        QCOMPARE(m_account->sessions()->rowCount(), 1);

        // Back after a drop: loaded again.
        m_connection->drop();
        m_connection->open(QUrl(u"ws://scripted"_s));
        protocol::Hello hello;
        hello.features = {u"accounts"_s, u"notify"_s};
        m_connection->acceptHello(hello);
        QCOMPARE(m_connection->waiting(RequestType::Sessions), 1);
        QVERIFY(m_connection->reply(RequestType::Sessions, list.toJson()));
        QCOMPARE(AccountSettings::RefreshMs, 30'000);

        // Closed: a reconnect asks nothing.
        m_account->setSessionsShown(false);
        m_connection->drop();
        m_connection->open(QUrl(u"ws://scripted"_s));
        m_connection->acceptHello(hello);
        QCOMPARE(m_connection->waiting(RequestType::Sessions), 0);
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
        const QDateTime evening(QDate(2026, 3, 10), QTime(21, 15));
        m_levels->setClock([evening] { return evening; });
        m_levels->dndUntilMorning();
        const auto *sent = m_connection->firstWaiting(RequestType::SetDnd);
        QVERIFY(sent);
        const QDateTime until
            = QDateTime::fromMSecsSinceEpoch(sent->fields.value("until"_L1).toInteger());
        QCOMPARE(until, QDateTime(QDate(2026, 3, 11), QTime(8, 0)));
        m_levels->setClock({});
        QVERIFY(m_connection->reply(RequestType::SetDnd));
        // The state follows the server's push, not the request.
        QVERIFY(!m_levels->dndOn());
        const QDateTime later = QDateTime::currentDateTime().addSecs(3600);
        m_levels->applyDnd(later.toMSecsSinceEpoch());
        QVERIFY(m_levels->dndOn());
        QCOMPARE(m_levels->dndUntil(), later);
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

    // "Until 08:00" just after midnight is this morning's, and says so.
    void morningEdges_data()
    {
        QTest::addColumn<QTime>("now");
        QTest::addColumn<int>("days");
        QTest::addColumn<QString>("label");
        const QString time = QLocale().toString(QTime(8, 0), QLocale::ShortFormat);
        const QString today = u"Do not disturb until %1"_s.arg(time);
        const QString tomorrow = u"Do not disturb until tomorrow %1"_s.arg(time);
        QTest::newRow("midnight") << QTime(0, 0) << 0 << today;
        QTest::newRow("00:30") << QTime(0, 30) << 0 << today;
        QTest::newRow("07:59:59") << QTime(7, 59, 59) << 0 << today;
        QTest::newRow("08:00") << QTime(8, 0) << 1 << tomorrow;
        QTest::newRow("12:00") << QTime(12, 0) << 1 << tomorrow;
        QTest::newRow("23:59:59") << QTime(23, 59, 59) << 1 << tomorrow;
    }

    void morningEdges()
    {
        QFETCH(QTime, now);
        QFETCH(int, days);
        QFETCH(QString, label);
        const QDate day(2026, 12, 31); // the year turns too
        const QDateTime at(day, now);
        QCOMPARE(NotifyLevels::nextMorning(at), QDateTime(day.addDays(days), QTime(8, 0)));
        QCOMPARE(NotifyLevels::morningLabel(at), label);

        // Through the object, with its clock.
        m_levels->setClock([at] { return at; });
        QCOMPARE(m_levels->dndMorningLabel(), label);
        m_levels->dndUntilMorning();
        const auto *sent = m_connection->firstWaiting(RequestType::SetDnd);
        QVERIFY(sent);
        QCOMPARE(sent->fields.value("until"_L1).toInteger(),
            QDateTime(day.addDays(days), QTime(8, 0)).toMSecsSinceEpoch());
    }

    // The indicator: the time alone when it ends today, else with its day.
    void untilText()
    {
        const QDateTime now(QDate(2026, 6, 1), QTime(23, 30));
        const auto time
            = [](int h, int m) { return QLocale().toString(QTime(h, m), QLocale::ShortFormat); };
        QCOMPARE(NotifyLevels::untilText(QDateTime(QDate(2026, 6, 1), QTime(23, 45)), now),
            time(23, 45));
        QCOMPARE(NotifyLevels::untilText(QDateTime(QDate(2026, 6, 2), QTime(0, 30)), now),
            u"tomorrow %1"_s.arg(time(0, 30)));
        QCOMPARE(NotifyLevels::untilText(QDateTime(QDate(2026, 6, 5), QTime(8, 0)), now),
            u"%1 %2"_s.arg(
                QLocale().toString(QDate(2026, 6, 5), QLocale::ShortFormat), time(8, 0)));
        // Just after midnight the same end is "today".
        const QDateTime afterMidnight(QDate(2026, 6, 2), QTime(0, 5));
        QCOMPARE(NotifyLevels::untilText(QDateTime(QDate(2026, 6, 2), QTime(8, 0)), afterMidnight),
            time(8, 0));

        QCOMPARE(m_levels->dndUntilText(), QString());
        const QDateTime end = QDateTime::currentDateTime().addSecs(7200);
        m_levels->applyDnd(end.toMSecsSinceEpoch());
        QCOMPARE(
            m_levels->dndUntilText(), NotifyLevels::untilText(end, QDateTime::currentDateTime()));
    }

private:
    std::optional<ScriptedConnection> m_connection;
    std::optional<AccountSettings> m_account;
    std::optional<NotifyLevels> m_levels;
};

QTEST_MAIN(TestClientSelfService)
#include "tst_clientselfservice.moc"
