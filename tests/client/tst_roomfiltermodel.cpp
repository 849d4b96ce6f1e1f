// SPDX-License-Identifier: GPL-3.0-or-later
#include "models/directorymodel.h"
#include "models/roomfiltermodel.h"
#include "models/roomlistmodel.h"

#include <QAbstractItemModelTester>
#include <QJsonArray>
#include <QJsonObject>
#include <QSignalSpy>
#include <QTest>

using namespace Qt::StringLiterals;
using confab::client::DirectoryModel;
using confab::client::RoomFilterModel;
using confab::client::RoomListModel;
using confab::client::RoomSummary;

namespace {

RoomSummary room(qint64 id, const QString &name, bool direct = false)
{
    RoomSummary r;
    r.id = id;
    r.name = name;
    r.direct = direct;
    return r;
}

QStringList names(const QAbstractItemModel &m)
{
    QStringList out;
    for (int row = 0; row < m.rowCount(); ++row)
        out.append(m.index(row, 0).data(RoomListModel::NameRole).toString());
    return out;
}

} // namespace

class TestRoomFilterModel : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void filtersCaseInsensitivelyPrefixFirst()
    {
        RoomListModel rooms;
        rooms.resetRooms({room(1, u"general"_s), room(2, u"Gaming"_s), room(3, u"dev-general"_s),
            room(4, u"random"_s), room(5, u"Genevieve"_s, true), room(6, u"agenda"_s, true)});
        RoomFilterModel filter;
        QAbstractItemModelTester tester(
            &filter, QAbstractItemModelTester::FailureReportingMode::Fatal);
        filter.setSourceModel(&rooms);
        // No query: everything, in the room list's order.
        QCOMPARE(names(filter), names(rooms));

        QSignalSpy query(&filter, &RoomFilterModel::queryChanged);
        filter.setQuery(u"GEN"_s);
        QCOMPARE(query.count(), 1);
        // Prefix matches first (channels before direct as in the source), then the others.
        QCOMPARE(names(filter),
            (QStringList {u"general"_s, u"Genevieve"_s, u"dev-general"_s, u"agenda"_s}));
        QCOMPARE(filter.roomIdAt(0), 1);
        QCOMPARE(filter.roomIdAt(1), 5);
        QCOMPARE(filter.roomIdAt(3), 6);
        QCOMPARE(filter.roomIdAt(4), 0);
        QCOMPARE(filter.roomIdAt(-1), 0);

        // Live: a rename in the source is filtered and sorted again.
        RoomSummary renamed = room(4, u"genres"_s);
        rooms.upsert(renamed);
        QCOMPARE(names(filter),
            (QStringList {
                u"general"_s, u"genres"_s, u"Genevieve"_s, u"dev-general"_s, u"agenda"_s}));
        rooms.remove(1);
        QCOMPARE(names(filter).first(), u"genres"_s);

        filter.setQuery(u"  zzz "_s);
        QCOMPARE(filter.rowCount(), 0);
        filter.setQuery(QString());
        QCOMPARE(filter.rowCount(), rooms.rowCount());
    }

    void worksOverTheDirectory()
    {
        DirectoryModel directory;
        using confab::protocol::DirectoryEntry;
        directory.setEntries({DirectoryEntry {1, u"books"_s, {}, 0, false},
            DirectoryEntry {2, u"cookbooks"_s, {}, 0, false},
            DirectoryEntry {3, u"music"_s, {}, 0, false}});
        RoomFilterModel filter;
        filter.setSourceModel(&directory);
        filter.setQuery(u"book"_s);
        QCOMPARE(filter.rowCount(), 2);
        QCOMPARE(filter.index(0, 0).data(DirectoryModel::NameRole).toString(), u"books"_s);
        QCOMPARE(filter.roomIdAt(1), 2);
    }
};

QTEST_GUILESS_MAIN(TestRoomFilterModel)
#include "tst_roomfiltermodel.moc"
