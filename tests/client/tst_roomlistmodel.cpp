// SPDX-License-Identifier: GPL-3.0-or-later
#include "models/roomlistmodel.h"

#include <QAbstractItemModelTester>
#include <QJsonDocument>
#include <QSignalSpy>
#include <QTest>

using namespace Qt::StringLiterals;
using confab::client::RoomListModel;
using confab::client::RoomSummary;
using confab::protocol::EventKind;
using confab::protocol::RoomEvent;

namespace {

RoomSummary channel(qint64 id, const QString &name, qint64 readSeq = 0)
{
    RoomSummary r;
    r.id = id;
    r.name = name;
    r.topic = u"about %1"_s.arg(name);
    r.memberCount = 2;
    r.readSeq = readSeq;
    r.lastSeq = readSeq;
    return r;
}

RoomSummary direct(qint64 id, const QString &other)
{
    RoomSummary r;
    r.id = id;
    r.direct = true;
    r.name = other;
    r.memberCount = 2;
    r.members = {u"me"_s, other};
    r.readSeq = 1;
    r.lastSeq = 1;
    return r;
}

RoomEvent roomEvent(qint64 room, qint64 seq, EventKind kind, const QString &sender,
    const QStringList &mentions = {})
{
    RoomEvent e;
    e.id = seq + 100 * room;
    e.room = room;
    e.seq = seq;
    e.kind = kind;
    e.sender = sender;
    e.text = u"text"_s;
    e.txn = u"t%1"_s.arg(seq);
    e.mentions = mentions;
    return e;
}

QStringList names(const RoomListModel &m)
{
    QStringList out;
    for (int row = 0; row < m.rowCount(); ++row)
        out.append(m.data(m.index(row), RoomListModel::NameRole).toString());
    return out;
}

} // namespace

class TestRoomListModel : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase()
    {
        // Collation follows the default locale; the C locale (no LANG) has no numeric mode.
        QLocale::setDefault(QLocale(QLocale::English, QLocale::UnitedKingdom));
    }

    void passesModelTesterAcrossMutations()
    {
        RoomListModel m;
        QAbstractItemModelTester tester(&m, QAbstractItemModelTester::FailureReportingMode::Fatal);
        m.setOwnUser(u"me"_s);
        m.resetRooms({channel(1, u"general"_s), direct(2, u"bob"_s), channel(3, u"Apple"_s)});
        m.upsert(channel(4, u"zebra"_s));
        RoomSummary renamed = channel(4, u"aardvark"_s);
        m.upsert(renamed);
        renamed.name = u"zz"_s;
        m.upsert(renamed);
        m.applyEvent(roomEvent(1, 5, EventKind::Message, u"ana"_s, {u"me"_s}));
        m.applyEvent(roomEvent(1, 6, EventKind::Join, u"carl"_s));
        m.setReadState(1, 6, 0, 0);
        m.remove(3);
        m.upsert(direct(5, u"Alice"_s));
        m.resetRooms({});
        QCOMPARE(m.rowCount(), 0);
    }

    void ordersChannelsThenDirectByName()
    {
        RoomListModel m;
        m.resetRooms({direct(10, u"zoe"_s), channel(1, u"general"_s), direct(11, u"Bob"_s),
            channel(2, u"Announcements"_s), channel(3, u"dev"_s), channel(4, u"Dev2"_s),
            channel(5, u"dev10"_s)});
        QCOMPARE(names(m),
            (QStringList {u"Announcements"_s, u"dev"_s, u"Dev2"_s, u"dev10"_s, u"general"_s,
                u"Bob"_s, u"zoe"_s}));
        QCOMPARE(m.data(m.index(0), RoomListModel::SectionRole).toString(), u"channels"_s);
        QCOMPARE(m.data(m.index(6), RoomListModel::SectionRole).toString(), u"direct"_s);
        QVERIFY(m.data(m.index(6), RoomListModel::IsDirectRole).toBool());
        QCOMPARE(m.rowOf(11), 5);
        QCOMPARE(m.roomIdAt(5), 11);
        QCOMPARE(m.roomIdAt(7), 0);
        QCOMPARE(m.rowOf(99), -1);
    }

    void upsertMovesRowsAndKeepsOrder()
    {
        RoomListModel m;
        m.resetRooms({channel(1, u"alpha"_s), channel(2, u"beta"_s), channel(3, u"gamma"_s)});
        QSignalSpy moved(&m, &QAbstractItemModel::rowsMoved);
        QSignalSpy inserted(&m, &QAbstractItemModel::rowsInserted);
        QSignalSpy changed(&m, &RoomListModel::roomChanged);
        const QPersistentModelIndex alpha(m.index(0));

        // Same name: updated in place, no move.
        RoomSummary a = channel(1, u"alpha"_s);
        a.topic = u"new topic"_s;
        m.upsert(a);
        QCOMPARE(moved.count(), 0);
        QCOMPARE(changed.count(), 1);
        QCOMPARE(alpha.data(RoomListModel::TopicRole).toString(), u"new topic"_s);

        a.name = u"omega"_s;
        m.upsert(a);
        QCOMPARE(moved.count(), 1);
        QCOMPARE(names(m), (QStringList {u"beta"_s, u"gamma"_s, u"omega"_s}));
        QCOMPARE(alpha.row(), 2); // the same row object moved, as views expect
        QCOMPARE(inserted.count(), 0);

        a.name = u"Aa"_s;
        m.upsert(a);
        QCOMPARE(moved.count(), 2);
        QCOMPARE(names(m), (QStringList {u"Aa"_s, u"beta"_s, u"gamma"_s}));
        QCOMPARE(alpha.row(), 0);

        m.upsert(direct(9, u"aaron"_s));
        QCOMPARE(inserted.count(), 1);
        QCOMPARE(names(m), (QStringList {u"Aa"_s, u"beta"_s, u"gamma"_s, u"aaron"_s}));
        QCOMPARE(m.room(9)->members, (QStringList {u"me"_s, u"aaron"_s}));
        QVERIFY(!m.room(42).has_value());
    }

    void liveUnreadRule()
    {
        RoomListModel m;
        m.setOwnUser(u"Me"_s);
        m.resetRooms({channel(1, u"general"_s, 10), channel(2, u"dev"_s, 0)});
        QSignalSpy totals(&m, &RoomListModel::totalsChanged);
        QSignalSpy changed(&m, &QAbstractItemModel::dataChanged);
        const int row = m.rowOf(1);

        m.applyEvent(roomEvent(1, 11, EventKind::Message, u"ana"_s));
        QCOMPARE(m.room(1)->unread, 1);
        QCOMPARE(m.room(1)->mentions, 0);
        QCOMPARE(m.room(1)->lastSeq, 11);
        QCOMPARE(totals.count(), 1);
        QCOMPARE(changed.count(), 1);
        QCOMPARE(changed.first().at(0).value<QModelIndex>().row(), row);

        m.applyEvent(roomEvent(1, 12, EventKind::Message, u"ana"_s, {u"bob"_s, u"me"_s}));
        QCOMPARE(m.room(1)->unread, 2);
        QCOMPARE(m.room(1)->mentions, 1);
        QCOMPARE(m.totalUnread(), 2);
        QCOMPARE(m.totalMentions(), 1);
        QCOMPARE(m.data(m.index(row), RoomListModel::AccessibleTextRole).toString(),
            u"general, 2 unread, 1 mention"_s);

        // Own messages (any case), old seqs and non-messages do not count.
        m.applyEvent(roomEvent(1, 13, EventKind::Message, u"me"_s, {u"me"_s}));
        m.applyEvent(roomEvent(1, 14, EventKind::Message, u"ME"_s));
        m.applyEvent(roomEvent(1, 9, EventKind::Message, u"ana"_s, {u"me"_s}));
        m.applyEvent(roomEvent(1, 15, EventKind::Join, u"carl"_s));
        QCOMPARE(m.room(1)->unread, 2);
        QCOMPARE(m.room(1)->mentions, 1);
        QCOMPARE(m.room(1)->memberCount, 3);
        QCOMPARE(m.room(1)->lastSeq, 15);

        // Authoritative values replace ours.
        m.setReadState(1, 15, 0, 0);
        QCOMPARE(m.totalUnread(), 0);
        QCOMPARE(m.room(1)->readSeq, 15);
        QCOMPARE(m.data(m.index(row), RoomListModel::AccessibleTextRole).toString(), u"general"_s);

        // Capped at 10 000, both counts.
        m.setReadState(2, 0, 9'999, 9'999);
        m.applyEvent(roomEvent(2, 1, EventKind::Message, u"ana"_s, {u"me"_s}));
        m.applyEvent(roomEvent(2, 2, EventKind::Message, u"ana"_s, {u"me"_s}));
        QCOMPARE(m.room(2)->unread, 10'000);
        QCOMPARE(m.room(2)->mentions, 10'000);
        QCOMPARE(m.totalUnread(), 10'000);

        // Events for rooms not listed are ignored.
        m.applyEvent(roomEvent(77, 1, EventKind::Message, u"ana"_s));
        QCOMPARE(m.rowCount(), 2);
    }

    // §18.3: the title's and the tray's totals call the user back; a muted room must not,
    // a "mentions" room only for its mentions. The rows say how to grey them.
    void totalsFollowTheLevels()
    {
        RoomListModel m;
        m.setOwnUser(u"me"_s);
        RoomSummary loud = channel(1, u"loud"_s);
        RoomSummary quiet = channel(2, u"quiet"_s);
        quiet.notify = u"mentions"_s;
        RoomSummary muted = channel(3, u"muted"_s);
        muted.notify = u"none"_s;
        m.resetRooms({loud, quiet, muted});
        m.setReadState(1, 0, 4, 1);
        m.setReadState(2, 0, 5, 2);
        m.setReadState(3, 0, 6, 3);
        QCOMPARE(m.totalUnread(), 4 + 2);
        QCOMPARE(m.totalMentions(), 1 + 2);

        const auto flags = [&m](qint64 id) {
            const QModelIndex i = m.index(m.rowOf(id));
            return std::pair {i.data(RoomListModel::QuietRole).toBool(),
                i.data(RoomListModel::MutedRole).toBool()};
        };
        QCOMPARE(flags(1), std::pair(false, false));
        QCOMPARE(flags(2), std::pair(true, false));
        QCOMPARE(flags(3), std::pair(true, true));
        QCOMPARE(m.roleNames().value(RoomListModel::MutedRole), "muted");

        // A new level (the server's room push) moves the totals at once.
        QSignalSpy totals(&m, &RoomListModel::totalsChanged);
        muted.notify = u"all"_s;
        muted.unread = 6;
        muted.mentions = 3;
        m.upsert(muted);
        QCOMPARE(totals.count(), 1);
        QCOMPARE(m.totalUnread(), 4 + 2 + 6);
        QCOMPARE(m.totalMentions(), 1 + 2 + 3);
        QCOMPARE(flags(3), std::pair(false, false));
        // Live messages in a muted room leave the totals alone.
        loud.notify = u"none"_s;
        loud.unread = 4;
        loud.mentions = 1;
        m.upsert(loud);
        QCOMPARE(m.totalUnread(), 2 + 6);
        m.applyEvent(roomEvent(1, 5, EventKind::Message, u"ana"_s, {u"me"_s}));
        QCOMPARE(m.room(1)->unread, 5);
        QCOMPARE(m.totalUnread(), 2 + 6);
        QCOMPARE(m.totalMentions(), 2 + 3);
    }

    void topicAndMembershipEvents()
    {
        RoomListModel m;
        m.resetRooms({channel(1, u"general"_s)});
        QSignalSpy changed(&m, &RoomListModel::roomChanged);
        RoomEvent topic = roomEvent(1, 3, EventKind::Topic, u"ana"_s);
        topic.topic = u"Lunch at noon"_s;
        m.applyEvent(topic);
        QCOMPARE(m.data(m.index(0), RoomListModel::TopicRole).toString(), u"Lunch at noon"_s);
        QCOMPARE(changed.count(), 1);
        m.applyEvent(roomEvent(1, 4, EventKind::Leave, u"ana"_s));
        m.applyEvent(roomEvent(1, 5, EventKind::Leave, u"bob"_s));
        m.applyEvent(roomEvent(1, 6, EventKind::Leave, u"carl"_s)); // never below zero
        QCOMPARE(m.data(m.index(0), RoomListModel::MemberCountRole).toInt(), 0);
        QCOMPARE(changed.count(), 4);
        QCOMPARE(changed.last().at(0).toLongLong(), 1);
    }

    void summaryJsonRoundTrip()
    {
        const auto json = QJsonDocument::fromJson(
            "{\"id\":2,\"kind\":\"direct\",\"lastSeq\":3,\"memberCount\":2,\"members\":[\"ana\","
            "\"bob\"],\"mentions\":0,\"name\":\"bob\",\"readSeq\":1,\"topic\":\"\",\"unread\":4}")
                              .object();
        const auto r = RoomSummary::fromJson(json);
        QVERIFY(r);
        QVERIFY(r->direct);
        QCOMPARE(r->name, u"bob"_s);
        QCOMPARE(r->members, (QStringList {u"ana"_s, u"bob"_s}));
        QCOMPARE(r->unread, 4);
        QCOMPARE(RoomSummary::fromJson(r->toJson()), r);
        QVERIFY(!RoomSummary::fromJson(QJsonObject {{u"id"_s, 1}, {u"name"_s, u"x"_s}}));
    }
};

QTEST_GUILESS_MAIN(TestRoomListModel)
#include "tst_roomlistmodel.moc"
