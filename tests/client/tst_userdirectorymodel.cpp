// SPDX-License-Identifier: GPL-3.0-or-later
// The user directory against a scripted server: the query is sent after a pause in
// typing, only the newest request's answer is shown, the admin members appear only when
// the server sent them, a set_user result changes its row in place.
#include "models/userdirectorymodel.h"
#include "protocol/teamresults.h"
#include "scriptedconnection.h"

#include <QAbstractItemModelTester>
#include <QJsonArray>
#include <QSignalSpy>
#include <QTest>

using namespace Qt::StringLiterals;
using confab::client::UserDirectoryModel;
using confab::protocol::RequestType;
using confab::test::ScriptedConnection;
namespace protocol = confab::protocol;

namespace {

protocol::UserEntry entry(const QString &user, bool online = false)
{
    protocol::UserEntry e;
    e.user = user;
    e.online = online;
    return e;
}

QJsonObject list(const QList<protocol::UserEntry> &users)
{
    protocol::UserList l;
    l.users = users;
    return l.toJson();
}

} // namespace

class TestUserDirectoryModel : public QObject
{
    Q_OBJECT

private:
    static QStringList users(const UserDirectoryModel &model)
    {
        QStringList out;
        for (int row = 0; row < model.rowCount(); ++row)
            out.append(model.data(model.index(row), UserDirectoryModel::UserRole).toString());
        return out;
    }

private Q_SLOTS:
    void init()
    {
        m_connection.emplace();
        m_connection->open(QUrl(u"ws://scripted"_s));
        protocol::Hello hello;
        hello.features = {u"teams"_s};
        m_connection->acceptHello(hello);
        m_model.emplace(&*m_connection);
        m_model->setDebounceInterval(30);
        m_tester.emplace(&*m_model, QAbstractItemModelTester::FailureReportingMode::QtTest);
    }

    void cleanup()
    {
        m_tester.reset();
        m_model.reset();
        m_connection.reset();
    }

    void availableFollowsHello()
    {
        QVERIFY(m_model->available());
        ScriptedConnection old;
        old.open(QUrl(u"ws://scripted"_s));
        UserDirectoryModel model(&old);
        QSignalSpy available(&model, &UserDirectoryModel::availableChanged);
        old.acceptHello({});
        QCOMPARE(available.count(), 1);
        QVERIFY(!model.available());
    }

    void queryIsDebounced()
    {
        QSignalSpy loading(&*m_model, &UserDirectoryModel::loadingChanged);
        m_model->setQuery(u"b"_s);
        m_model->setQuery(u"bo"_s);
        m_model->setQuery(u" bob "_s);
        QVERIFY(m_model->loading());
        QCOMPARE(m_connection->waiting(RequestType::Users), 0);
        QTRY_COMPARE(m_connection->waiting(RequestType::Users), 1);
        QTest::qWait(60);
        QCOMPARE(m_connection->waiting(RequestType::Users), 1); // one request, not three
        const auto *sent = m_connection->firstWaiting(RequestType::Users);
        QCOMPARE(sent->fields.value("query"_L1).toString(), u"bob"_s);

        QVERIFY(m_connection->reply(
            RequestType::Users, list({entry(u"bob"_s, true), entry(u"bobby"_s)})));
        QVERIFY(!m_model->loading());
        QVERIFY(m_model->errorText().isEmpty());
        QCOMPARE(users(*m_model), (QStringList {u"bob"_s, u"bobby"_s}));
        QCOMPARE(m_model->rowCount(), 2);
        const QModelIndex bob = m_model->index(0);
        QVERIFY(bob.data(UserDirectoryModel::OnlineRole).toBool());
        QVERIFY(!m_model->index(1).data(UserDirectoryModel::OnlineRole).toBool());
        // Not an admin's view: the admin members are false and empty.
        QVERIFY(!bob.data(UserDirectoryModel::AdminViewRole).toBool());
        QVERIFY(!bob.data(UserDirectoryModel::AdminRole).toBool());
        QVERIFY(!bob.data(UserDirectoryModel::CreatedAtRole).toDateTime().isValid());
        QCOMPARE(m_model->userAt(1), u"bobby"_s);
        QCOMPARE(m_model->userAt(2), QString());
        QCOMPARE(m_model->rowOf(u"bobby"_s), 1);
        QCOMPARE(m_model->rowOf(u"carol"_s), -1);
    }

    void newestAnswerWins()
    {
        m_model->setQuery(u"a"_s);
        m_model->refresh();
        m_model->setQuery(u"al"_s);
        m_model->refresh();
        QCOMPARE(m_connection->waiting(RequestType::Users), 2);
        // The older request's answer comes first: dropped, still loading.
        QVERIFY(m_connection->reply(RequestType::Users, list({entry(u"ana"_s)})));
        QVERIFY(m_model->loading());
        QCOMPARE(m_model->rowCount(), 0);
        QVERIFY(m_connection->reply(RequestType::Users, list({entry(u"alice"_s)})));
        QVERIFY(!m_model->loading());
        QCOMPARE(users(*m_model), QStringList {u"alice"_s});

        // A change of query while a request is out: its answer is dropped too.
        m_model->refresh();
        m_model->setQuery(u"ali"_s);
        QVERIFY(m_connection->reply(RequestType::Users, list({})));
        QCOMPARE(users(*m_model), QStringList {u"alice"_s});
        QVERIFY(m_model->loading());
        QTRY_COMPARE(m_connection->waiting(RequestType::Users), 1);
        QVERIFY(m_connection->reply(RequestType::Users, list({})));
        QCOMPARE(m_model->rowCount(), 0);
        QVERIFY(!m_model->loading());
    }

    void emptyQueryListsEveryone()
    {
        m_model->refresh();
        const auto *sent = m_connection->firstWaiting(RequestType::Users);
        QVERIFY(sent);
        QVERIFY(!sent->fields.contains("query"_L1)
            || sent->fields.value("query"_L1).toString().isEmpty());
        QVERIFY(m_connection->reply(
            RequestType::Users, list({entry(u"alice"_s), entry(u"bob"_s), entry(u"carol"_s)})));
        QCOMPARE(m_model->rowCount(), 3);
    }

    void excludedUserIsLeftOut()
    {
        m_model->setExcludeUser(u"alice"_s);
        m_model->refresh();
        QVERIFY(
            m_connection->reply(RequestType::Users, list({entry(u"alice"_s), entry(u"alina"_s)})));
        QCOMPARE(users(*m_model), QStringList {u"alina"_s});
        m_model->setExcludeUser(u"alina"_s);
        QCOMPARE(m_model->rowCount(), 0);
    }

    void adminMembersAndApplyUser()
    {
        protocol::UserEntry bob = entry(u"bob"_s, true);
        bob.adminView = true;
        bob.createdAt = 1'700'000'000'000;
        protocol::UserEntry alice = entry(u"alice"_s);
        alice.adminView = true;
        alice.admin = true;
        alice.createdAt = 1'600'000'000'000;
        m_model->refresh();
        QVERIFY(m_connection->reply(RequestType::Users, list({alice, bob})));
        QVERIFY(m_model->index(0).data(UserDirectoryModel::AdminRole).toBool());
        QCOMPARE(m_model->index(1).data(UserDirectoryModel::CreatedAtRole).toDateTime(),
            QDateTime::fromMSecsSinceEpoch(1'700'000'000'000).toLocalTime());
        QVERIFY(!m_model->index(1).data(UserDirectoryModel::DisabledRole).toBool());

        QSignalSpy changed(&*m_model, &QAbstractItemModel::dataChanged);
        bob.disabled = true;
        bob.online = false;
        m_model->applyUser(bob);
        QCOMPARE(changed.count(), 1);
        QVERIFY(m_model->index(1).data(UserDirectoryModel::DisabledRole).toBool());
        QVERIFY(!m_model->index(1).data(UserDirectoryModel::OnlineRole).toBool());
        m_model->applyUser(entry(u"nobody"_s)); // not listed: nothing changes
        QCOMPARE(changed.count(), 1);
    }

    void displayNamesFromProfiles()
    {
        // §18.2: a server with profiles sends them in each entry; without, the username shows.
        protocol::UserEntry ana = entry(u"ana"_s);
        ana.profile = protocol::Profile {u"ana"_s, u"Ana Lima"_s, u"in a meeting"_s, 12};
        m_model->refresh();
        QVERIFY(m_connection->reply(RequestType::Users, list({ana, entry(u"bob"_s)})));
        QCOMPARE(
            m_model->index(0).data(UserDirectoryModel::DisplayNameRole).toString(), u"Ana Lima"_s);
        QCOMPARE(
            m_model->index(0).data(UserDirectoryModel::StatusRole).toString(), u"in a meeting"_s);
        QCOMPARE(m_model->index(0).data(UserDirectoryModel::AvatarRole).toLongLong(), 12);
        QCOMPARE(m_model->index(1).data(UserDirectoryModel::DisplayNameRole).toString(), u"bob"_s);
        QCOMPARE(m_model->index(1).data(UserDirectoryModel::AvatarRole).toLongLong(), 0);
    }

    void errorsAndOffline()
    {
        m_model->refresh();
        QVERIFY(m_connection->replyError(RequestType::Users, protocol::ErrorCode::Forbidden));
        QVERIFY(!m_model->loading());
        QVERIFY(!m_model->errorText().isEmpty());

        m_model->refresh();
        QVERIFY(m_model->errorText().isEmpty());
        m_connection->drop();
        QVERIFY(!m_model->loading());
        QVERIFY(!m_model->errorText().isEmpty());

        // Requests while offline fail later, and say so.
        m_model->refresh();
        QTRY_VERIFY(!m_model->loading());
        QVERIFY(!m_model->errorText().isEmpty());
    }

    void clearForgetsRowsAndRequests()
    {
        m_model->refresh();
        QVERIFY(m_connection->reply(RequestType::Users, list({entry(u"alice"_s)})));
        m_model->setQuery(u"x"_s);
        m_model->clear();
        QCOMPARE(m_model->rowCount(), 0);
        QVERIFY(!m_model->loading());
        QTest::qWait(60);
        QCOMPARE(m_connection->waiting(RequestType::Users), 0); // the pause was cancelled
    }

private:
    std::optional<ScriptedConnection> m_connection;
    std::optional<UserDirectoryModel> m_model;
    std::optional<QAbstractItemModelTester> m_tester;
};

QTEST_GUILESS_MAIN(TestUserDirectoryModel)
#include "tst_userdirectorymodel.moc"
