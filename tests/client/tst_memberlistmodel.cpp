// SPDX-License-Identifier: GPL-3.0-or-later
#include "models/memberlistmodel.h"
#include "session/profiles.h"

#include <QAbstractItemModelTester>
#include <QSignalSpy>
#include <QTest>

using namespace Qt::StringLiterals;
using confab::client::MemberListModel;
using confab::client::Profiles;

namespace {

QStringList users(const MemberListModel &m)
{
    QStringList out;
    for (int row = 0; row < m.rowCount(); ++row) {
        const QModelIndex i = m.index(row);
        out.append(i.data(MemberListModel::UserRole).toString()
            + (i.data(MemberListModel::OnlineRole).toBool() ? u"+"_s : u"-"_s));
    }
    return out;
}

} // namespace

class TestMemberListModel : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void passesModelTesterAcrossMutations()
    {
        MemberListModel m;
        QAbstractItemModelTester tester(&m, QAbstractItemModelTester::FailureReportingMode::Fatal);
        m.setOwnUser(u"me"_s);
        m.setMembers({{u"me"_s, true}, {u"bob"_s, false}, {u"ana"_s, true}});
        m.setOnline(u"bob"_s, true);
        m.setOnline(u"ana"_s, false);
        m.addMember(u"carl"_s, false);
        m.addMember(u"carl"_s, true);
        m.removeMember(u"me"_s);
        m.setOwnUser(u"bob"_s);
        m.clear();
        QCOMPARE(m.rowCount(), 0);
    }

    void onlineFirstThenByName()
    {
        MemberListModel m;
        QSignalSpy online(&m, &MemberListModel::onlineCountChanged);
        m.setMembers({{u"zoe"_s, true}, {u"Bob"_s, false}, {u"ana"_s, false}, {u"carl"_s, true},
            {u"ANA"_s, true}}); // a case-insensitive duplicate is dropped
        QCOMPARE(users(m), (QStringList {u"carl+"_s, u"zoe+"_s, u"ana-"_s, u"Bob-"_s}));
        QCOMPARE(m.onlineCount(), 2);
        QCOMPARE(online.count(), 1);
    }

    // Rows sort by what they show: the display name (case-insensitively), the username
    // between equal names; a `profile` push that renames someone moves their row.
    void sortsByDisplayNameAndResortsOnProfileChange()
    {
        Profiles profiles(nullptr);
        MemberListModel m;
        QAbstractItemModelTester tester(&m, QAbstractItemModelTester::FailureReportingMode::Fatal);
        m.setProfiles(&profiles);
        profiles.apply({u"zoe"_s, u"Anna"_s, {}, 0});
        profiles.apply({u"bob"_s, u"anna"_s, {}, 0});
        m.setMembers({{u"ana"_s, false}, {u"zoe"_s, false}, {u"bob"_s, false}, {u"carl"_s, false},
            {u"dan"_s, true}});
        // dan online first; then ana, "anna" (bob) before "Anna" (zoe) by username, carl.
        QCOMPARE(users(m), (QStringList {u"dan+"_s, u"ana-"_s, u"bob-"_s, u"zoe-"_s, u"carl-"_s}));
        QCOMPARE(m.index(2).data(MemberListModel::DisplayNameRole).toString(), u"anna"_s);

        QSignalSpy moved(&m, &QAbstractItemModel::rowsMoved);
        QSignalSpy changed(&m, &QAbstractItemModel::dataChanged);
        profiles.apply({u"zoe"_s, u"Aaron"_s, {}, 0});
        QCOMPARE(users(m), (QStringList {u"dan+"_s, u"zoe-"_s, u"ana-"_s, u"bob-"_s, u"carl-"_s}));
        QCOMPARE(moved.count(), 1);
        QVERIFY(changed.count() >= 1);
        QCOMPARE(m.index(1).data(MemberListModel::DisplayNameRole).toString(), u"Aaron"_s);
        // Clearing the display name sorts by the username again.
        profiles.apply({u"zoe"_s, {}, {}, 0});
        QCOMPARE(users(m), (QStringList {u"dan+"_s, u"ana-"_s, u"bob-"_s, u"carl-"_s, u"zoe-"_s}));
        // A change for someone not in the list moves nothing.
        moved.clear();
        profiles.apply({u"eve"_s, u"A"_s, {}, 0});
        QCOMPARE(moved.count(), 0);
    }

    void presenceMovesRows()
    {
        MemberListModel m;
        m.setOwnUser(u"Me"_s);
        m.setMembers({{u"ana"_s, true}, {u"bob"_s, false}, {u"me"_s, true}});
        const QPersistentModelIndex bob(m.index(2));
        QCOMPARE(bob.data(MemberListModel::UserRole).toString(), u"bob"_s);
        QSignalSpy moved(&m, &QAbstractItemModel::rowsMoved);
        QSignalSpy online(&m, &MemberListModel::onlineCountChanged);

        m.setOnline(u"BOB"_s, true);
        QCOMPARE(users(m), (QStringList {u"ana+"_s, u"bob+"_s, u"me+"_s}));
        QCOMPARE(moved.count(), 1);
        QCOMPARE(bob.row(), 1);
        QCOMPARE(m.onlineCount(), 3);
        QCOMPARE(online.count(), 1);

        m.setOnline(u"ana"_s, false);
        QCOMPARE(users(m), (QStringList {u"bob+"_s, u"me+"_s, u"ana-"_s}));
        m.setOnline(u"nobody"_s, true); // not listed: ignored
        QCOMPARE(m.rowCount(), 3);

        QVERIFY(m.index(1).data(MemberListModel::IsSelfRole).toBool());
        QCOMPARE(
            m.index(1).data(MemberListModel::AccessibleTextRole).toString(), u"me (you), online"_s);
        QCOMPARE(
            m.index(2).data(MemberListModel::AccessibleTextRole).toString(), u"ana, offline"_s);
    }

    void joinAndLeave()
    {
        MemberListModel m;
        m.setMembers({{u"ana"_s, true}, {u"carl"_s, false}});
        QSignalSpy count(&m, &MemberListModel::countChanged);
        QSignalSpy inserted(&m, &QAbstractItemModel::rowsInserted);
        m.addMember(u"bob"_s, false);
        QCOMPARE(users(m), (QStringList {u"ana+"_s, u"bob-"_s, u"carl-"_s}));
        QCOMPARE(inserted.count(), 1);
        QCOMPARE(inserted.first().at(1).toInt(), 1);
        m.addMember(u"bob"_s, false); // already there
        QCOMPARE(count.count(), 1);
        m.removeMember(u"ana"_s);
        QCOMPARE(users(m), (QStringList {u"bob-"_s, u"carl-"_s}));
        QCOMPARE(m.onlineCount(), 0);
        QCOMPARE(count.count(), 2);
    }
};

QTEST_GUILESS_MAIN(TestMemberListModel)
#include "tst_memberlistmodel.moc"
