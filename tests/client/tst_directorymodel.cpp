// SPDX-License-Identifier: GPL-3.0-or-later
#include "clientpool.h"
#include "models/directorymodel.h"
#include "protocol/results.h"
#include "testclient.h"
#include "testserver.h"

#include <QAbstractItemModelTester>
#include <QJsonArray>
#include <QJsonDocument>
#include <QSignalSpy>
#include <QTest>

using namespace Qt::StringLiterals;
using confab::client::DirectoryModel;
using confab::protocol::Directory;
using confab::protocol::DirectoryEntry;
using confab::test::TestClient;
using confab::test::TestServer;

namespace {

QStringList names(const DirectoryModel &m)
{
    QStringList out;
    for (int row = 0; row < m.rowCount(); ++row)
        out.append(m.index(row).data(DirectoryModel::NameRole).toString());
    return out;
}

} // namespace

class TestDirectoryModel : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void parsesAndSortsEntries()
    {
        DirectoryModel m;
        QAbstractItemModelTester tester(&m, QAbstractItemModelTester::FailureReportingMode::Fatal);
        QSignalSpy count(&m, &DirectoryModel::countChanged);
        // Entries that do not parse are dropped by the listing's decoder, duplicates by
        // the model.
        const auto listing = Directory::fromJson(QJsonObject {{"rooms"_L1,
            QJsonDocument::fromJson(
                "["
                "{\"id\":3,\"name\":\"zebra\",\"topic\":\"stripes\",\"memberCount\":4,\"joined\":"
                "false}"
                ","
                "{\"id\":1,\"name\":\"General\",\"topic\":\"\",\"memberCount\":10,\"joined\":true},"
                "{\"name\":\"no id\"},"
                "{\"id\":2,\"topic\":\"no name\"},"
                "\"not an object\","
                "{\"id\":1,\"name\":\"duplicate id\",\"memberCount\":1,\"joined\":false},"
                "{\"id\":4,\"name\":\"apple\",\"memberCount\":1,\"joined\":false}"
                "]")
                .array()}});
        QVERIFY(listing);
        m.setEntries(listing->rooms);
        QCOMPARE(names(m), (QStringList {u"apple"_s, u"General"_s, u"zebra"_s}));
        QCOMPARE(count.count(), 1);
        const QModelIndex zebra = m.index(2);
        QCOMPARE(zebra.data(DirectoryModel::RoomIdRole).toLongLong(), 3);
        QCOMPARE(zebra.data(DirectoryModel::TopicRole).toString(), u"stripes"_s);
        QCOMPARE(zebra.data(DirectoryModel::MemberCountRole).toInt(), 4);
        QVERIFY(!zebra.data(DirectoryModel::JoinedRole).toBool());

        QSignalSpy changed(&m, &QAbstractItemModel::dataChanged);
        m.setJoined(3, true);
        QCOMPARE(changed.count(), 1);
        QVERIFY(zebra.data(DirectoryModel::JoinedRole).toBool());
        QCOMPARE(zebra.data(DirectoryModel::MemberCountRole).toInt(), 5);
        m.setJoined(3, true); // no change, no signal
        m.setJoined(99, true);
        QCOMPARE(changed.count(), 1);

        m.clear();
        QCOMPARE(m.rowCount(), 0);
        QCOMPARE(count.count(), 2);
    }

    void pushesKeepAListingCurrent()
    {
        DirectoryModel m;
        QAbstractItemModelTester tester(&m, QAbstractItemModelTester::FailureReportingMode::Fatal);
        // Before any listing, a push would make a partial directory: ignored.
        m.apply(DirectoryEntry {5, u"early"_s, {}, 1, false});
        QCOMPARE(m.rowCount(), 0);

        m.setEntries({DirectoryEntry {1, u"books"_s, {}, 0, false},
            DirectoryEntry {2, u"zoo"_s, {}, 0, false}});
        QSignalSpy count(&m, &DirectoryModel::countChanged);
        QSignalSpy inserted(&m, &QAbstractItemModel::rowsInserted);
        m.apply(DirectoryEntry {3, u"Music"_s, u"tunes"_s, 1, true});
        QCOMPARE(names(m), (QStringList {u"books"_s, u"Music"_s, u"zoo"_s}));
        QCOMPARE(count.count(), 1);
        QCOMPARE(inserted.count(), 1);
        QVERIFY(m.index(1).data(DirectoryModel::JoinedRole).toBool());

        // A changed entry is replaced in place: same count, one dataChanged.
        QSignalSpy changed(&m, &QAbstractItemModel::dataChanged);
        m.apply(DirectoryEntry {1, u"books"_s, u"paper"_s, 4, false});
        QCOMPARE(changed.count(), 1);
        QCOMPARE(count.count(), 1);
        QCOMPARE(m.index(0).data(DirectoryModel::TopicRole).toString(), u"paper"_s);
        QCOMPARE(m.index(0).data(DirectoryModel::MemberCountRole).toInt(), 4);

        // A renamed entry moves to its place and is not counted twice.
        m.apply(DirectoryEntry {1, u"zz top"_s, u"paper"_s, 4, false});
        QCOMPARE(names(m), (QStringList {u"Music"_s, u"zoo"_s, u"zz top"_s}));
        QCOMPARE(count.count(), 1);

        // Signing out forgets the listing, so pushes are ignored again.
        m.clear();
        m.apply(DirectoryEntry {9, u"late"_s, {}, 1, false});
        QCOMPARE(m.rowCount(), 0);
    }

    void fromARealListRoomsReply()
    {
        TestServer server;
        QVERIFY(server.start());
        TestClient ana;
        TestClient bob;
        QVERIFY(ana.open(server.url()));
        QVERIFY(bob.open(server.url()));
        QVERIFY(ana.registerUser(u"ana"_s));
        QVERIFY(bob.registerUser(u"bob"_s));
        const qint64 general = confab::test::createRoom(&ana, u"general"_s);
        const qint64 random = confab::test::createRoom(&ana, u"Random"_s);
        QVERIFY(confab::test::createRoom(&ana, u"books"_s) > 0);
        QVERIFY(general > 0 && random > 0);
        const auto joined = bob.request(confab::protocol::requests::join(random));
        QVERIFY(joined && joined->type == confab::protocol::ServerFrameType::Result);

        const auto reply = bob.request(confab::protocol::requests::listRooms());
        QVERIFY(reply && reply->type == confab::protocol::ServerFrameType::Result);
        DirectoryModel m;
        QAbstractItemModelTester tester(&m, QAbstractItemModelTester::FailureReportingMode::Fatal);
        const auto listing = Directory::fromJson(reply->data());
        QVERIFY(listing);
        m.setEntries(listing->rooms);
        QCOMPARE(names(m), (QStringList {u"books"_s, u"general"_s, u"Random"_s}));
        QVERIFY(!m.index(1).data(DirectoryModel::JoinedRole).toBool());
        QVERIFY(m.index(2).data(DirectoryModel::JoinedRole).toBool());
        QCOMPARE(m.index(2).data(DirectoryModel::RoomIdRole).toLongLong(), random);
        QCOMPARE(m.index(2).data(DirectoryModel::MemberCountRole).toInt(), 2);
        QCOMPARE(m.index(1).data(DirectoryModel::MemberCountRole).toInt(), 1);
    }
};

QTEST_GUILESS_MAIN(TestDirectoryModel)
#include "tst_directorymodel.moc"
