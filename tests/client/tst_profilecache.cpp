// SPDX-License-Identifier: GPL-3.0-or-later
#include "models/memberlistmodel.h"
#include "models/timelinemodel.h"
#include "scriptedconnection.h"
#include "session/profiles.h"
#include "session/uploads.h"

#include <QAbstractItemModelTester>
#include <QSignalSpy>
#include <QTemporaryFile>
#include <QTest>

using namespace Qt::StringLiterals;
using confab::client::MemberListModel;
using confab::client::Profiles;
using confab::protocol::Profile;

// The profile cache (§18.2) and the member list's display names, which follow it.
class TestProfileCache : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void displayNameFallsBackToTheUsername()
    {
        Profiles profiles(nullptr);
        QCOMPARE(profiles.displayName(u"ana"_s), u"ana"_s);
        profiles.apply({u"ana"_s, u"Ana Lima"_s, u"in a meeting"_s, 12});
        QCOMPARE(profiles.displayName(u"ana"_s), u"Ana Lima"_s);
        QCOMPARE(profiles.displayName(u"ANA"_s), u"Ana Lima"_s); // usernames are case-insensitive
        QCOMPARE(profiles.status(u"ana"_s), u"in a meeting"_s);
        QCOMPARE(profiles.avatar(u"ana"_s), 12);
        // An empty display name means "none": the username shows again.
        profiles.apply({u"ana"_s, {}, {}, 0});
        QCOMPARE(profiles.displayName(u"ana"_s), u"ana"_s);
        QCOMPARE(profiles.avatar(u"ana"_s), 0);
    }

    void changedOnlyWhenTheProfileDiffers()
    {
        Profiles profiles(nullptr);
        QSignalSpy changed(&profiles, &Profiles::changed);
        const Profile ana {u"ana"_s, u"Ana Lima"_s, {}, 0};
        profiles.apply(ana);
        profiles.apply(ana);
        QCOMPARE(changed.size(), 1);
        QCOMPARE(changed.at(0).at(0).toString(), u"ana"_s);
        const int revision = profiles.revision();
        profiles.apply({u"ana"_s, u"Ana"_s, {}, 0});
        QCOMPARE(changed.size(), 2);
        QVERIFY(profiles.revision() > revision);
        profiles.apply({}); // no user: ignored
        QCOMPARE(changed.size(), 2);
    }

    void ownProfileAndMatching()
    {
        Profiles profiles(nullptr);
        profiles.setOwn(u"me"_s, Profile {u"me"_s, u"Maria"_s, u"away"_s, 3});
        QCOMPARE(profiles.ownDisplayName(), u"Maria"_s);
        QCOMPARE(profiles.ownStatus(), u"away"_s);
        QCOMPARE(profiles.ownAvatar(), 3);
        QVERIFY(profiles.matches(u"me"_s, u"mar"_s));
        QVERIFY(profiles.matches(u"me"_s, u"M"_s));
        QVERIFY(!profiles.matches(u"me"_s, u"x"_s));
        // Without a profile from the server (an older one), only the username is known.
        profiles.setOwn(u"bob"_s, std::nullopt);
        QCOMPARE(profiles.ownDisplayName(), u"bob"_s);
        profiles.clear();
        QCOMPARE(profiles.displayName(u"me"_s), u"me"_s);
        QVERIFY(profiles.knownUsers().isEmpty());
    }

    void saveSendsSetProfileAndStoresTheResult()
    {
        confab::test::ScriptedConnection connection;
        connection.open(QUrl(u"ws://scripted"_s));
        confab::protocol::Hello hello;
        hello.features = {u"profiles"_s};
        connection.acceptHello(hello);
        Profiles profiles(&connection);
        profiles.setOwn(u"me"_s, Profile {u"me"_s, {}, {}, 0});
        QSignalSpy saved(&profiles, &Profiles::saved);
        QSignalSpy failed(&profiles, &Profiles::saveFailed);

        profiles.save(u"Maria"_s, u"away"_s);
        const auto *sent = connection.firstWaiting(confab::protocol::RequestType::SetProfile);
        QVERIFY(sent);
        QCOMPARE(sent->fields.value("displayName"_L1).toString(), u"Maria"_s);
        QCOMPARE(sent->fields.value("status"_L1).toString(), u"away"_s);
        QVERIFY(!sent->fields.contains("avatar"_L1)); // left as it is
        QVERIFY(connection.reply(confab::protocol::RequestType::SetProfile,
            Profile {u"me"_s, u"Maria"_s, u"away"_s, 0}.toJson()));
        QCOMPARE(saved.size(), 1);
        QCOMPARE(profiles.ownDisplayName(), u"Maria"_s);

        profiles.setAvatar(0); // remove: avatar 0, the texts left alone
        sent = connection.firstWaiting(confab::protocol::RequestType::SetProfile);
        QVERIFY(sent);
        QCOMPARE(sent->fields.value("avatar"_L1).toInteger(-1), 0);
        QVERIFY(!sent->fields.contains("displayName"_L1));
        QVERIFY(connection.replyError(
            confab::protocol::RequestType::SetProfile, confab::protocol::ErrorCode::BadRequest));
        QCOMPARE(failed.size(), 1);
        QVERIFY(!failed.at(0).at(0).toString().isEmpty());
    }

    // An avatar upload that ends without the file's id must not send avatar 0, which would
    // remove the current picture: it is reported as failed instead.
    void avatarUploadWithoutAFileIdKeepsTheAvatar()
    {
        confab::test::ScriptedConnection connection;
        connection.open(QUrl(u"ws://scripted"_s));
        confab::protocol::Hello hello;
        hello.features = {u"profiles"_s};
        connection.acceptHello(hello);
        Profiles profiles(&connection);
        profiles.setOwn(u"me"_s, Profile {u"me"_s, {}, {}, 12});
        confab::client::Uploads uploads(&connection, nullptr);
        profiles.setUploads(&uploads);
        QSignalSpy failed(&profiles, &Profiles::saveFailed);
        QTemporaryFile picture;
        QVERIFY(picture.open());
        picture.write("not really a png");
        picture.close();

        profiles.uploadAvatar(QUrl::fromLocalFile(picture.fileName()));
        const QString txn = profiles.uploadTxn();
        QVERIFY(!txn.isEmpty());
        uploads.cancel(txn); // no hashing, no server: only the end is under test
        Q_EMIT uploads.finished(txn);
        QVERIFY(!profiles.uploading());
        QVERIFY(!connection.firstWaiting(confab::protocol::RequestType::SetProfile));
        QCOMPARE(failed.size(), 1);
        QCOMPARE(profiles.avatar(u"me"_s), 12);
    }

    // A result that arrives after a sign-out and another user's sign-in belongs to nobody
    // on screen: not stored, not reported. Of two saves, only the newer result is stored.
    void lateResultsAreDropped()
    {
        using confab::protocol::RequestType;
        confab::test::ScriptedConnection connection;
        connection.open(QUrl(u"ws://scripted"_s));
        confab::protocol::Hello hello;
        hello.features = {u"profiles"_s};
        connection.acceptHello(hello);
        Profiles profiles(&connection);
        profiles.setOwn(u"me"_s, Profile {u"me"_s, {}, {}, 0});
        QSignalSpy saved(&profiles, &Profiles::saved);
        QSignalSpy failed(&profiles, &Profiles::saveFailed);

        profiles.save(u"Maria"_s, {});
        profiles.clear(); // signed out
        profiles.setOwn(u"bob"_s, Profile {u"bob"_s, u"Bob"_s, {}, 0});
        QVERIFY(connection.reply(
            RequestType::SetProfile, Profile {u"me"_s, u"Maria"_s, {}, 0}.toJson()));
        QCOMPARE(profiles.displayName(u"me"_s), u"me"_s);
        QCOMPARE(saved.size(), 0);
        profiles.setAvatar(7);
        profiles.clear();
        QVERIFY(connection.replyError(
            RequestType::SetProfile, confab::protocol::ErrorCode::BadRequest));
        QCOMPARE(failed.size(), 0);

        // Two saves in a row: the first result (older) must not undo the second's.
        profiles.setOwn(u"bob"_s, Profile {u"bob"_s, u"Bob"_s, {}, 0});
        profiles.save(u"First"_s, {});
        profiles.save(u"Second"_s, {});
        QVERIFY(connection.reply(
            RequestType::SetProfile, Profile {u"bob"_s, u"First"_s, {}, 0}.toJson()));
        QCOMPARE(profiles.ownDisplayName(), u"Bob"_s);
        QVERIFY(connection.reply(
            RequestType::SetProfile, Profile {u"bob"_s, u"Second"_s, {}, 0}.toJson()));
        QCOMPARE(profiles.ownDisplayName(), u"Second"_s);
        QCOMPARE(saved.size(), 2);
    }

    // The timeline names people by display name: system lines (a join, a kick's both
    // users), a mention in a message (the text keeps @username), accessible text; a
    // `profile` push re-announces the rows and relabels them.
    void timelineShowsDisplayNamesAndFollowsPushes()
    {
        using confab::client::TimelineModel;
        using confab::protocol::EventKind;
        using confab::protocol::RoomEvent;
        Profiles profiles(nullptr);
        profiles.apply({u"ana"_s, u"Ana Lima"_s, {}, 0});
        TimelineModel m(1, u"me"_s);
        QAbstractItemModelTester tester(&m, QAbstractItemModelTester::FailureReportingMode::Fatal);
        m.setProfiles(&profiles);
        const auto event = [](qint64 seq, EventKind kind, const QString &sender) {
            RoomEvent e;
            e.id = 100 + seq;
            e.room = 1;
            e.seq = seq;
            e.timestamp = 1795450012000 + seq;
            e.kind = kind;
            e.sender = sender;
            return e;
        };
        RoomEvent kick = event(2, EventKind::Kick, u"bob"_s);
        kick.user = u"ana"_s;
        RoomEvent hello = event(3, EventKind::Message, u"ana"_s);
        hello.text = u"hi @bob and @ana"_s;
        hello.txn = u"t3"_s;
        m.appendEvents({event(1, EventKind::Join, u"ana"_s), kick, hello});
        QCOMPARE(m.rowCount(), 3);
        const auto rich
            = [&m](int row) { return m.index(row).data(TimelineModel::RichTextRole).toString(); };
        QCOMPARE(rich(0), u"Ana Lima joined"_s);
        QCOMPARE(rich(1), u"bob removed Ana Lima"_s);
        QVERIFY2(rich(2).contains(u">@Ana Lima</a>"_s), qPrintable(rich(2)));
        QVERIFY2(rich(2).contains(u">@bob</a>"_s), qPrintable(rich(2)));
        QCOMPARE(m.index(2).data(TimelineModel::TextRole).toString(), u"hi @bob and @ana"_s);
        const QString accessible = m.index(2).data(TimelineModel::AccessibleTextRole).toString();
        QVERIFY2(accessible.contains(u"Ana Lima at"_s), qPrintable(accessible));

        QSignalSpy changed(&m, &QAbstractItemModel::dataChanged);
        profiles.apply({u"bob"_s, u"Bob Ortiz"_s, {}, 0});
        QTRY_COMPARE(changed.size(), 1); // on the next event-loop turn
        QCOMPARE(changed.at(0).at(0).value<QModelIndex>().row(), 0);
        QCOMPARE(changed.at(0).at(1).value<QModelIndex>().row(), 2);
        QCOMPARE(rich(1), u"Bob Ortiz removed Ana Lima"_s);
        QVERIFY2(rich(2).contains(u">@Bob Ortiz</a>"_s), qPrintable(rich(2)));
    }

    void memberListShowsAndFollowsProfiles()
    {
        Profiles profiles(nullptr);
        MemberListModel m;
        QAbstractItemModelTester tester(&m, QAbstractItemModelTester::FailureReportingMode::Fatal);
        m.setProfiles(&profiles);
        m.setOwnUser(u"me"_s);
        MemberListModel::Member ana {u"ana"_s, true};
        ana.profile = Profile {u"ana"_s, u"Ana Lima"_s, u"in a meeting"_s, 0};
        m.setMembers({{u"me"_s, true}, ana, {u"bob"_s, false}});
        // The members result fed the cache.
        QCOMPARE(profiles.displayName(u"ana"_s), u"Ana Lima"_s);
        const auto rowOf = [&m](const QString &user) {
            for (int row = 0; row < m.rowCount(); ++row) {
                if (m.index(row).data(MemberListModel::UserRole).toString() == user)
                    return m.index(row);
            }
            return QModelIndex();
        };
        QCOMPARE(rowOf(u"ana"_s).data(MemberListModel::DisplayNameRole).toString(), u"Ana Lima"_s);
        QCOMPARE(rowOf(u"ana"_s).data(MemberListModel::StatusRole).toString(), u"in a meeting"_s);
        QCOMPARE(rowOf(u"ana"_s).data(MemberListModel::AccessibleTextRole).toString(),
            u"Ana Lima (ana), online, in a meeting"_s);
        QCOMPARE(rowOf(u"bob"_s).data(MemberListModel::DisplayNameRole).toString(), u"bob"_s);
        QCOMPARE(rowOf(u"bob"_s).data(MemberListModel::AccessibleTextRole).toString(),
            u"bob, offline"_s);

        // A profile push relabels bob's row, and only his.
        QSignalSpy dataChanged(&m, &QAbstractItemModel::dataChanged);
        profiles.apply({u"bob"_s, u"Bob Stone"_s, {}, 7});
        QCOMPARE(dataChanged.size(), 1);
        QCOMPARE(dataChanged.at(0).at(0).toModelIndex(), rowOf(u"bob"_s));
        QCOMPARE(rowOf(u"bob"_s).data(MemberListModel::DisplayNameRole).toString(), u"Bob Stone"_s);
        QCOMPARE(rowOf(u"bob"_s).data(MemberListModel::AvatarRole).toLongLong(), 7);
        // Someone not listed changes nothing here.
        profiles.apply({u"carl"_s, u"Carl"_s, {}, 0});
        QCOMPARE(dataChanged.size(), 1);
    }
};

QTEST_GUILESS_MAIN(TestProfileCache)
#include "tst_profilecache.moc"
