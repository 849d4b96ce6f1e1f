// SPDX-License-Identifier: GPL-3.0-or-later
#include "models/timelinemodel.h"
#include "session/profiles.h"

#include <QAbstractItemModelTester>
#include <QElapsedTimer>
#include <QLocale>
#include <QSignalSpy>
#include <QTest>

using namespace Qt::StringLiterals;
using confab::client::Profiles;
using confab::client::TimelineModel;
using confab::protocol::EventKind;
using confab::protocol::RoomEvent;

namespace {

constexpr qint64 Room = 7;

// Local wall-clock time: day boundaries are local, so tests pick local instants.
qint64 at(int day, int hour, int minute, int second = 0)
{
    return QDateTime(QDate(2026, 3, day), QTime(hour, minute, second)).toMSecsSinceEpoch();
}

RoomEvent message(qint64 seq, const QString &sender, const QString &text, qint64 ts,
    const QString &txn = {}, const QStringList &mentions = {})
{
    RoomEvent e;
    e.id = 1000 + seq;
    e.room = Room;
    e.seq = seq;
    e.timestamp = ts;
    e.kind = EventKind::Message;
    e.sender = sender;
    e.text = text;
    e.txn = txn.isEmpty() ? u"%1:%2"_s.arg(sender).arg(seq) : txn;
    e.mentions = mentions;
    return e;
}

RoomEvent systemEvent(
    qint64 seq, EventKind kind, const QString &sender, qint64 ts, const QString &topic = {})
{
    RoomEvent e;
    e.id = 1000 + seq;
    e.room = Room;
    e.seq = seq;
    e.timestamp = ts;
    e.kind = kind;
    e.sender = sender;
    e.topic = topic;
    return e;
}

RoomEvent change(qint64 seq, EventKind kind, qint64 target, const QString &sender,
    const QString &textOrKey = {}, qint64 ts = 0)
{
    RoomEvent e;
    e.id = 1000 + seq;
    e.room = Room;
    e.seq = seq;
    e.timestamp = ts > 0 ? ts : at(2, 12, 0);
    e.kind = kind;
    e.sender = sender;
    e.target = target;
    if (kind == EventKind::Edit)
        e.text = textOrKey;
    else
        e.key = textOrKey;
    return e;
}

// Reactions role as "key:count:mine" items, for short comparisons.
QStringList chips(const TimelineModel &m, int row)
{
    QStringList out;
    const auto list = m.data(m.index(row), TimelineModel::ReactionsRole).toList();
    for (const QVariant &v : list) {
        const QVariantMap r = v.toMap();
        out.append(u"%1:%2:%3"_s.arg(r[u"key"_s].toString())
                       .arg(r[u"count"_s].toInt())
                       .arg(r[u"mine"_s].toBool() ? u"mine"_s : u"-"_s));
    }
    return out;
}

QVariant role(const TimelineModel &m, int row, int role)
{
    return m.data(m.index(row), role);
}

QString time(qint64 ms)
{
    return QLocale().toString(QDateTime::fromMSecsSinceEpoch(ms).time(), QLocale::ShortFormat);
}

bool changedRow(const QSignalSpy &spy, int row, int role)
{
    for (const auto &args : spy) {
        const auto from = args.at(0).value<QModelIndex>();
        const auto to = args.at(1).value<QModelIndex>();
        const auto roles = args.at(2).value<QList<int>>();
        if (from.row() <= row && row <= to.row() && (roles.isEmpty() || roles.contains(role)))
            return true;
    }
    return false;
}

} // namespace

class TestTimelineModel : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase()
    {
        // Labels like "Monday, 2 March 2026" and short times follow the default locale; the
        // tests build expectations with the same QLocale, but pin it so output is stable.
        QLocale::setDefault(QLocale(QLocale::English, QLocale::UnitedKingdom));
    }

    void passesModelTesterAcrossMutations()
    {
        TimelineModel m(Room, u"me"_s);
        QAbstractItemModelTester tester(&m, QAbstractItemModelTester::FailureReportingMode::Fatal);
        m.setToday(QDate(2026, 3, 3));
        m.appendEvents({systemEvent(1, EventKind::Create, u"ana"_s, at(1, 9, 0)),
            systemEvent(2, EventKind::Join, u"ana"_s, at(1, 9, 0)),
            message(10, u"ana"_s, u"hi"_s, at(2, 10, 0)),
            message(11, u"bob"_s, u"yo"_s, at(2, 10, 1))});
        m.prependEvents({message(5, u"ana"_s, u"old"_s, at(1, 12, 0))}, true);
        m.appendEvents({message(7, u"bob"_s, u"gap"_s, at(1, 13, 0))}); // fills a gap
        m.addPending(u"me:1"_s, u"one"_s, at(3, 8, 0));
        m.addPending(u"me:2"_s, u"two"_s, at(3, 8, 1));
        m.markAcknowledged(u"me:1"_s, 12, at(3, 8, 0));
        m.markFailed(u"me:2"_s, u"not_member"_s);
        m.markSending(u"me:2"_s);
        m.appendEvents({message(12, u"me"_s, u"one"_s, at(3, 8, 0), u"me:1"_s)});
        m.appendEvents({message(13, u"bob"_s, u"x"_s, at(3, 8, 2)),
            message(14, u"me"_s, u"two"_s, at(3, 8, 3), u"me:2"_s)});
        m.setReadSeq(10);
        m.setReadSeq(0);
        m.addPending(u"me:3"_s, u"three"_s, at(3, 9, 0));
        m.removePending(u"me:3"_s);
        m.prependEvents({systemEvent(3, EventKind::Topic, u"bob"_s, at(1, 9, 1), u"t"_s)}, false);
        m.setToday(QDate(2026, 3, 4));
        QCOMPARE(m.rowCount(), 10);
        m.clear();
        QCOMPARE(m.rowCount(), 0);
    }

    void ordersByseqAndDropsDuplicates()
    {
        TimelineModel m(Room, u"me"_s);
        QSignalSpy inserted(&m, &QAbstractItemModel::rowsInserted);
        QSignalSpy count(&m, &TimelineModel::countChanged);
        m.appendEvents({message(3, u"ana"_s, u"c"_s, at(2, 10, 2)),
            message(1, u"ana"_s, u"a"_s, at(2, 10, 0)), message(2, u"ana"_s, u"b"_s, at(2, 10, 1)),
            message(2, u"ana"_s, u"b again"_s, at(2, 10, 1))});
        QCOMPARE(m.rowCount(), 3);
        QCOMPARE(inserted.count(), 1);
        QCOMPARE(count.count(), 1);
        QCOMPARE(m.seqAt(0), 1);
        QCOMPARE(m.seqAt(2), 3);
        QCOMPARE(role(m, 1, TimelineModel::TextRole).toString(), u"b"_s);

        inserted.clear();
        RoomEvent elsewhere = message(9, u"ana"_s, u"other room"_s, at(2, 11, 0));
        elsewhere.room = Room + 1;
        m.appendEvents({message(2, u"ana"_s, u"dup"_s, at(2, 10, 1)),
            message(3, u"ana"_s, u"dup"_s, at(2, 10, 2)), elsewhere});
        QCOMPARE(m.rowCount(), 3);
        QCOMPARE(inserted.count(), 0);
        QCOMPARE(m.lowestSeq(), 1);
        QCOMPARE(m.highestSeq(), 3);
        QCOMPARE(m.rowForSeq(2), 1);
        QCOMPARE(m.rowForSeq(4), -1);
    }

    void groupsBySenderTimeAndDay()
    {
        TimelineModel m(Room, u"me"_s);
        m.appendEvents({
            message(1, u"ana"_s, u"a"_s, at(2, 10, 0)),
            message(2, u"ana"_s, u"b"_s, at(2, 10, 4, 59)), // 4:59 later: grouped
            message(3, u"ana"_s, u"c"_s, at(2, 10, 9, 59)), // exactly 5:00 later: new group
            message(4, u"bob"_s, u"d"_s, at(2, 10, 10)), // other sender
            message(5, u"bob"_s, u"e"_s, at(2, 23, 58)), // long pause
            message(6, u"bob"_s, u"f"_s, at(3, 0, 1)), // 3 minutes, but the next day
            systemEvent(7, EventKind::Join, u"carl"_s, at(3, 0, 2)),
            message(8, u"carl"_s, u"g"_s, at(3, 0, 2)), // a system event breaks the group
            message(9, u"carl"_s, u"h"_s, at(3, 0, 3)),
        });
        const QList<bool> expected {true, false, true, true, true, true, true, true, false};
        for (int row = 0; row < expected.size(); ++row)
            QCOMPARE(role(m, row, TimelineModel::ShowSenderRole).toBool(), expected.at(row));
    }

    void daySeparatorsAcrossMidnight()
    {
        TimelineModel m(Room, u"me"_s);
        m.setToday(QDate(2026, 3, 4));
        m.appendEvents({message(1, u"ana"_s, u"a"_s, at(2, 23, 59)),
            message(2, u"ana"_s, u"b"_s, at(2, 23, 59, 30)),
            message(3, u"ana"_s, u"c"_s, at(3, 0, 0)), message(4, u"ana"_s, u"d"_s, at(4, 0, 0)),
            message(5, u"ana"_s, u"e"_s, at(4, 18, 0))});
        const QString monday = QLocale().toString(QDate(2026, 3, 2), QLocale::LongFormat);
        QCOMPARE(monday, u"Monday, 2 March 2026"_s);
        QCOMPARE(role(m, 0, TimelineModel::DaySeparatorRole).toString(), monday);
        QCOMPARE(role(m, 1, TimelineModel::DaySeparatorRole).toString(), QString());
        QCOMPARE(role(m, 2, TimelineModel::DaySeparatorRole).toString(), u"Yesterday"_s);
        QCOMPARE(role(m, 3, TimelineModel::DaySeparatorRole).toString(), u"Today"_s);
        QCOMPARE(role(m, 4, TimelineModel::DaySeparatorRole).toString(), QString());

        // The next day, labels shift; views are told.
        QSignalSpy changed(&m, &QAbstractItemModel::dataChanged);
        m.setToday(QDate(2026, 3, 5));
        QVERIFY(changedRow(changed, 3, TimelineModel::DaySeparatorRole));
        QCOMPARE(role(m, 3, TimelineModel::DaySeparatorRole).toString(), u"Yesterday"_s);
        QCOMPARE(role(m, 2, TimelineModel::DaySeparatorRole).toString(),
            QLocale().toString(QDate(2026, 3, 3), QLocale::LongFormat));
    }

    void newMessagesLine()
    {
        TimelineModel m(Room, u"me"_s);
        m.setReadSeq(2);
        m.appendEvents(
            {message(1, u"ana"_s, u"a"_s, at(2, 10, 0)), message(2, u"ana"_s, u"b"_s, at(2, 10, 1)),
                systemEvent(3, EventKind::Join, u"bob"_s, at(2, 10, 2)),
                message(4, u"me"_s, u"mine"_s, at(2, 10, 3)), // own: never unread
                message(5, u"ana"_s, u"new"_s, at(2, 10, 4)),
                message(6, u"ana"_s, u"newer"_s, at(2, 10, 5))});
        QCOMPARE(m.firstUnreadRow(), 4);
        QVERIFY(role(m, 4, TimelineModel::IsFirstUnreadRole).toBool());
        QVERIFY(!role(m, 5, TimelineModel::IsFirstUnreadRole).toBool());
        QVERIFY(!role(m, 5, TimelineModel::ShowSenderRole).toBool());
        QVERIFY(
            role(m, 4, TimelineModel::AccessibleTextRole).toString().contains(u"New messages"_s));

        QSignalSpy changed(&m, &QAbstractItemModel::dataChanged);
        QSignalSpy readSeq(&m, &TimelineModel::readSeqChanged);
        m.setReadSeq(5);
        QCOMPARE(readSeq.count(), 1);
        QCOMPARE(m.firstUnreadRow(), 5);
        QVERIFY(changedRow(changed, 4, TimelineModel::IsFirstUnreadRole));
        QVERIFY(changedRow(changed, 5, TimelineModel::IsFirstUnreadRole));
        QVERIFY(!role(m, 4, TimelineModel::IsFirstUnreadRole).toBool());
        QVERIFY(role(m, 5, TimelineModel::IsFirstUnreadRole).toBool());
        // The line starts a new group even though ana spoke a minute before.
        QVERIFY(role(m, 5, TimelineModel::ShowSenderRole).toBool());
        QVERIFY(changedRow(changed, 5, TimelineModel::ShowSenderRole));

        m.setReadSeq(6);
        QCOMPARE(m.firstUnreadRow(), -1);
        for (int row = 0; row < m.rowCount(); ++row)
            QVERIFY(!role(m, row, TimelineModel::IsFirstUnreadRole).toBool());

        // A live message after the read position brings the line back, on the new row.
        m.appendEvents({message(7, u"bob"_s, u"live"_s, at(2, 10, 6))});
        QCOMPARE(m.firstUnreadRow(), 6);
        // Moving the read position back puts it above an earlier row again.
        changed.clear();
        m.setReadSeq(0);
        QCOMPARE(m.firstUnreadRow(), 0);
        QVERIFY(changedRow(changed, 0, TimelineModel::IsFirstUnreadRole));
        QVERIFY(changedRow(changed, 6, TimelineModel::IsFirstUnreadRole));
    }

    void pendingIsReplacedInPlaceByItsEvent()
    {
        TimelineModel m(Room, u"me"_s);
        m.appendEvents({message(1, u"ana"_s, u"hello"_s, at(2, 10, 0))});
        m.addPending(u"dev:1"_s, u"hi ana"_s, at(2, 10, 1));
        QCOMPARE(m.rowCount(), 2);
        QCOMPARE(role(m, 1, TimelineModel::DeliveryRole).toInt(), int(TimelineModel::Sending));
        QCOMPARE(role(m, 1, TimelineModel::SeqRole).toLongLong(), 0);
        QCOMPARE(role(m, 1, TimelineModel::EventIdRole).toLongLong(), 0);
        QVERIFY(role(m, 1, TimelineModel::IsOwnRole).toBool());
        QCOMPARE(role(m, 1, TimelineModel::SenderRole).toString(), u"me"_s);
        QCOMPARE(
            role(m, 1, TimelineModel::AccessibleTextRole).toString(), u"You, sending: hi ana"_s);
        QCOMPARE(m.seqAt(1), 0);
        QCOMPARE(m.highestSeq(), 1);

        // Others' messages stored meanwhile go above the unsent row.
        m.appendEvents({message(2, u"ana"_s, u"still there?"_s, at(2, 10, 1))});
        QCOMPARE(m.rowCount(), 3);
        QCOMPARE(role(m, 2, TimelineModel::TxnRole).toString(), u"dev:1"_s);

        const QPersistentModelIndex pending(m.index(2));
        QSignalSpy inserted(&m, &QAbstractItemModel::rowsInserted);
        QSignalSpy removed(&m, &QAbstractItemModel::rowsRemoved);
        QSignalSpy moved(&m, &QAbstractItemModel::rowsMoved);
        m.markAcknowledged(u"dev:1"_s, 3, at(2, 10, 2));
        QCOMPARE(role(m, 2, TimelineModel::DeliveryRole).toInt(), int(TimelineModel::Sent));
        QCOMPARE(role(m, 2, TimelineModel::SeqRole).toLongLong(), 3);

        m.appendEvents({message(3, u"me"_s, u"hi ana"_s, at(2, 10, 2), u"dev:1"_s)});
        QCOMPARE(m.rowCount(), 3);
        QCOMPARE(inserted.count(), 0);
        QCOMPARE(removed.count(), 0);
        QCOMPARE(moved.count(), 0);
        QVERIFY(pending.isValid());
        QCOMPARE(pending.row(), 2);
        QCOMPARE(pending.data(TimelineModel::EventIdRole).toLongLong(), 1003);
        QCOMPARE(pending.data(TimelineModel::DeliveryRole).toInt(), int(TimelineModel::Sent));
        QCOMPARE(m.highestSeq(), 3);
        QCOMPARE(m.rowForSeq(3), 2);
        QCOMPARE(role(m, 2, TimelineModel::AccessibleTextRole).toString(),
            u"You at %1: hi ana"_s.arg(time(at(2, 10, 2))));

        // The same event again (e.g. from sync after a reconnect) changes nothing.
        m.appendEvents({message(3, u"me"_s, u"hi ana"_s, at(2, 10, 2), u"dev:1"_s)});
        QCOMPARE(m.rowCount(), 3);
        QCOMPARE(inserted.count(), 0);
    }

    void pendingMovesWhenOthersWereStoredBeforeIt()
    {
        TimelineModel m(Room, u"me"_s);
        m.appendEvents({message(1, u"ana"_s, u"a"_s, at(2, 10, 0))});
        m.addPending(u"dev:1"_s, u"first"_s, at(2, 10, 1));
        m.addPending(u"dev:2"_s, u"second"_s, at(2, 10, 2));
        m.markFailed(u"dev:1"_s, u"not_member"_s);
        const QPersistentModelIndex second(m.index(2));
        QSignalSpy moved(&m, &QAbstractItemModel::rowsMoved);
        // dev:2 was stored as seq 3, after someone else's seq 2, while dev:1 is stuck.
        m.appendEvents({message(2, u"bob"_s, u"b"_s, at(2, 10, 2)),
            message(3, u"me"_s, u"second"_s, at(2, 10, 3), u"dev:2"_s)});
        QCOMPARE(m.rowCount(), 4);
        QCOMPARE(moved.count(), 1);
        QCOMPARE(second.row(), 2);
        QCOMPARE(m.seqAt(2), 3);
        QCOMPARE(role(m, 1, TimelineModel::SenderRole).toString(), u"bob"_s);
        QCOMPARE(role(m, 3, TimelineModel::TxnRole).toString(), u"dev:1"_s);
        QCOMPARE(role(m, 3, TimelineModel::DeliveryRole).toInt(), int(TimelineModel::Failed));
    }

    void failedThenSendingAgain()
    {
        TimelineModel m(Room, u"me"_s);
        m.addPending(u"dev:1"_s, u"hello"_s, at(2, 10, 0));
        QSignalSpy changed(&m, &QAbstractItemModel::dataChanged);
        m.markFailed(u"dev:1"_s, u"not_member"_s);
        QVERIFY(changedRow(changed, 0, TimelineModel::DeliveryRole));
        QCOMPARE(role(m, 0, TimelineModel::DeliveryRole).toInt(), int(TimelineModel::Failed));
        const QString error = role(m, 0, TimelineModel::ErrorRole).toString();
        QCOMPARE(error, u"You are not a member of this room."_s);
        QCOMPARE(role(m, 0, TimelineModel::AccessibleTextRole).toString(),
            u"Monday, 2 March 2026. You, failed: hello. You are not a member of this room."_s);

        m.markFailed(u"dev:1"_s, u"something odd"_s);
        QCOMPARE(role(m, 0, TimelineModel::ErrorRole).toString(), u"something odd"_s);

        changed.clear();
        m.markSending(u"dev:1"_s);
        QVERIFY(changedRow(changed, 0, TimelineModel::ErrorRole));
        QCOMPARE(role(m, 0, TimelineModel::DeliveryRole).toInt(), int(TimelineModel::Sending));
        QCOMPARE(role(m, 0, TimelineModel::ErrorRole).toString(), QString());

        // Unknown txns are ignored; removing takes the row away.
        m.markFailed(u"nope"_s, u"x"_s);
        m.addPending(u"dev:1"_s, u"duplicate txn"_s, at(2, 10, 1));
        QCOMPARE(m.rowCount(), 1);
        m.removePending(u"dev:1"_s);
        QCOMPARE(m.rowCount(), 0);
    }

    void prependKeepsExistingRows()
    {
        TimelineModel m(Room, u"me"_s);
        m.appendEvents({message(50, u"ana"_s, u"fifty"_s, at(2, 10, 0)),
            message(51, u"bob"_s, u"fifty-one"_s, at(2, 10, 1))});
        const QPersistentModelIndex fifty(m.index(0));
        const QPersistentModelIndex fiftyOne(m.index(1));
        QSignalSpy inserted(&m, &QAbstractItemModel::rowsInserted);
        QSignalSpy more(&m, &TimelineModel::hasMoreBeforeChanged);
        QSignalSpy changed(&m, &QAbstractItemModel::dataChanged);

        QList<RoomEvent> page;
        for (qint64 seq = 20; seq < 50; ++seq)
            page.append(message(seq, u"carl"_s, u"old %1"_s.arg(seq), at(2, 9, 0) + seq));
        page.last().sender = u"ana"_s; // seq 49: ana, a minute before her seq 50
        page.last().timestamp = at(2, 9, 59);
        m.prependEvents(page, false);

        QCOMPARE(inserted.count(), 1);
        QCOMPARE(inserted.first().at(1).toInt(), 0);
        QCOMPARE(inserted.first().at(2).toInt(), 29);
        QCOMPARE(more.count(), 1);
        QVERIFY(!m.hasMoreBefore());
        QCOMPARE(fifty.row(), 30);
        QCOMPARE(fiftyOne.row(), 31);
        QCOMPARE(fifty.data(TimelineModel::TextRole).toString(), u"fifty"_s);
        QCOMPARE(m.lowestSeq(), 20);
        // seq 50 now follows ana's seq 49: it lost its header and its day label; said so.
        QVERIFY(!fifty.data(TimelineModel::ShowSenderRole).toBool());
        QCOMPARE(fifty.data(TimelineModel::DaySeparatorRole).toString(), QString());
        QVERIFY(changedRow(changed, 30, TimelineModel::ShowSenderRole));
        QVERIFY(!changedRow(changed, 31, TimelineModel::ShowSenderRole));
    }

    void richTextEscapesAndLinks()
    {
        TimelineModel m(Room, u"me"_s);
        m.appendEvents({
            message(1, u"ana"_s, u"see https://example.org/a?b=1&c=2."_s, at(2, 10, 0)),
            message(2, u"ana"_s, u"<script>alert(1)</script> & www.foo.com\nbye"_s, at(2, 10, 1)),
            message(3, u"ana"_s, u"(http://x.org/wiki/A_(b)) mail@www.no.org x\"y"_s, at(2, 10, 2)),
            message(4, u"ana"_s, u"just https:// and WWW."_s, at(2, 10, 3)),
        });
        QCOMPARE(role(m, 0, TimelineModel::RichTextRole).toString(),
            u"see <a href=\"https://example.org/a?b=1&amp;c=2\">https://example.org/a?b=1&amp;c=2</a>."_s);
        QCOMPARE(role(m, 1, TimelineModel::RichTextRole).toString(),
            u"&lt;script&gt;alert(1)&lt;/script&gt; &amp; <a href=\"http://www.foo.com\">www.foo.com</a><br>bye"_s);
        QCOMPARE(role(m, 2, TimelineModel::RichTextRole).toString(),
            u"(<a href=\"http://x.org/wiki/A_(b)\">http://x.org/wiki/A_(b)</a>) mail@www.no.org "
            u"x&quot;y"_s);
        QCOMPARE(role(m, 3, TimelineModel::RichTextRole).toString(), u"just https:// and WWW."_s);
        // The plain text stays exactly as sent.
        QCOMPARE(role(m, 1, TimelineModel::TextRole).toString(),
            u"<script>alert(1)</script> & www.foo.com\nbye"_s);
    }

    void mentionsAndOwnMessages()
    {
        TimelineModel m(Room, u"Me"_s);
        m.appendEvents({message(1, u"ana"_s, u"@me hi"_s, at(2, 10, 0), {}, {u"me"_s}),
            message(2, u"ana"_s, u"@bob hi"_s, at(2, 10, 1), {}, {u"bob"_s}),
            message(3, u"me"_s, u"@me talking to myself"_s, at(2, 10, 2), {}, {u"me"_s})});
        QVERIFY(role(m, 0, TimelineModel::MentionsMeRole).toBool());
        QVERIFY(!role(m, 1, TimelineModel::MentionsMeRole).toBool());
        QVERIFY(!role(m, 2, TimelineModel::MentionsMeRole).toBool());
        QVERIFY(role(m, 2, TimelineModel::IsOwnRole).toBool());
        QVERIFY(!role(m, 0, TimelineModel::IsOwnRole).toBool());
        QCOMPARE(role(m, 1, TimelineModel::AccessibleTextRole).toString(),
            u"ana at %1: @bob hi"_s.arg(time(at(2, 10, 1))));
        QCOMPARE(role(m, 0, TimelineModel::TimeTextRole).toString(), time(at(2, 10, 0)));
        QCOMPARE(role(m, 0, TimelineModel::TimestampRole).toDateTime(),
            QDateTime(QDate(2026, 3, 2), QTime(10, 0)));
    }

    // Times read "14:07", not "14:07:35": in locales whose short format carries seconds
    // (C/POSIX, the default of many servers and containers) they are stripped; the rest of
    // the locale's format (order, separators, AM/PM) stays.
    void timeTextHasNoSeconds_data()
    {
        QTest::addColumn<QLocale>("locale");
        QTest::addColumn<QString>("expected");
        QTest::newRow("C") << QLocale::c() << u"14:07"_s;
        QTest::newRow("en_GB") << QLocale(QLocale::English, QLocale::UnitedKingdom) << u"14:07"_s;
        QTest::newRow("de_DE") << QLocale(QLocale::German, QLocale::Germany) << u"14:07"_s;
        QTest::newRow("en_US") << QLocale(QLocale::English, QLocale::UnitedStates)
                               << u"2:07\u202fPM"_s;
    }

    void timeTextHasNoSeconds()
    {
        QFETCH(QLocale, locale);
        QFETCH(QString, expected);
        const QLocale saved;
        QLocale::setDefault(locale);
        TimelineModel m(Room, u"me"_s);
        m.appendEvents({message(1, u"ana"_s, u"hi"_s, at(2, 14, 7, 35))});
        // en_US: CLDR's (and so Qt's) space before PM differs between versions.
        const auto plain = [](QString s) { return s.replace(QChar(0x202f), u' '); };
        const QString text = plain(role(m, 0, TimelineModel::TimeTextRole).toString());
        const QString spoken = plain(role(m, 0, TimelineModel::AccessibleTextRole).toString());
        QLocale::setDefault(saved);
        QCOMPARE(text, plain(expected));
        // What a screen reader says uses the same time.
        QVERIFY2(spoken.endsWith(u"ana at %1: hi"_s.arg(plain(expected))), qPrintable(spoken));
    }

    void systemEventsDescribeThemselves()
    {
        TimelineModel m(Room, u"me"_s);
        m.appendEvents({[] {
                            RoomEvent e = systemEvent(1, EventKind::Create, u"bob"_s, at(2, 9, 0));
                            e.text = u"general"_s;
                            return e;
                        }(),
            systemEvent(2, EventKind::Join, u"ana"_s, at(2, 9, 1)),
            systemEvent(3, EventKind::Topic, u"ana"_s, at(2, 9, 2), u"<b>lunch</b>"_s),
            systemEvent(4, EventKind::Topic, u"ana"_s, at(2, 9, 3)),
            systemEvent(5, EventKind::Leave, u"bob"_s, at(2, 9, 4))});
        QCOMPARE(role(m, 0, TimelineModel::KindRole).toString(), u"create"_s);
        QCOMPARE(role(m, 0, TimelineModel::RichTextRole).toString(), u"bob created #general"_s);
        QCOMPARE(role(m, 1, TimelineModel::KindRole).toString(), u"join"_s);
        QCOMPARE(role(m, 1, TimelineModel::TextRole).toString(), u"ana joined"_s);
        QCOMPARE(role(m, 2, TimelineModel::TextRole).toString(), u"<b>lunch</b>"_s);
        QCOMPARE(role(m, 2, TimelineModel::RichTextRole).toString(),
            u"ana changed the topic to &quot;&lt;b&gt;lunch&lt;/b&gt;&quot;"_s);
        QCOMPARE(role(m, 3, TimelineModel::RichTextRole).toString(), u"ana cleared the topic"_s);
        QCOMPARE(role(m, 4, TimelineModel::RichTextRole).toString(), u"bob left"_s);
        QCOMPARE(role(m, 4, TimelineModel::AccessibleTextRole).toString(),
            u"bob left at %1"_s.arg(time(at(2, 9, 4))));
    }

    void changesPatchLoadedMessages()
    {
        TimelineModel m(Room, u"me"_s);
        QAbstractItemModelTester tester(&m, QAbstractItemModelTester::FailureReportingMode::Fatal);
        m.appendEvents({message(1, u"ana"_s, u"first\nsecond"_s, at(2, 10, 0)),
            message(2, u"me"_s, u"mine"_s, at(2, 10, 1))});
        QSignalSpy inserted(&m, &QAbstractItemModel::rowsInserted);
        QSignalSpy changed(&m, &QAbstractItemModel::dataChanged);

        m.appendEvents({change(3, EventKind::Edit, 2, u"me"_s, u"mine, fixed"_s, at(2, 10, 5)),
            change(4, EventKind::React, 1, u"bob"_s, u"👍"_s),
            change(5, EventKind::React, 1, u"me"_s, u"👍"_s),
            change(6, EventKind::React, 1, u"me"_s, u"🎉"_s)});
        QCOMPARE(inserted.count(), 0); // changes are never rows
        QCOMPARE(m.rowCount(), 2);
        QCOMPARE(role(m, 1, TimelineModel::TextRole).toString(), u"mine, fixed"_s);
        QVERIFY(role(m, 1, TimelineModel::EditedRole).toBool());
        QCOMPARE(
            role(m, 1, TimelineModel::EditedAtRole).toDateTime().toMSecsSinceEpoch(), at(2, 10, 5));
        QVERIFY(role(m, 1, TimelineModel::AccessibleTextRole).toString().contains(u"(edited)"_s));
        QVERIFY(changedRow(changed, 1, TimelineModel::TextRole));
        QVERIFY(changedRow(changed, 0, TimelineModel::ReactionsRole));
        QCOMPARE(chips(m, 0), (QStringList {u"👍:2:mine"_s, u"🎉:1:mine"_s}));
        // The own name comes first, as the server lists it.
        QCOMPARE(role(m, 0, TimelineModel::ReactionsRole).toList().at(0).toMap()[u"users"_s],
            QVariant(QStringList {u"me"_s, u"bob"_s}));
        QVERIFY(m.reacted(1, u"👍"_s));

        m.appendEvents({change(7, EventKind::Unreact, 1, u"me"_s, u"🎉"_s),
            change(8, EventKind::Unreact, 1, u"me"_s, u"👍"_s)});
        QCOMPARE(chips(m, 0), (QStringList {u"👍:1:-"_s}));
        QVERIFY(!m.reacted(1, u"👍"_s));

        // The same change again (sync after a drop, a cached page) is not applied twice.
        m.appendEvents({change(4, EventKind::React, 1, u"bob"_s, u"👍"_s)});
        QCOMPARE(chips(m, 0), (QStringList {u"👍:1:-"_s}));

        changed.clear();
        m.appendEvents({change(9, EventKind::Redact, 1, u"ana"_s)});
        QVERIFY(role(m, 0, TimelineModel::RedactedRole).toBool());
        QCOMPARE(role(m, 0, TimelineModel::TextRole).toString(), QString());
        QVERIFY(chips(m, 0).isEmpty());
        QVERIFY(!role(m, 0, TimelineModel::EditedRole).toBool());
        QVERIFY(changedRow(changed, 0, TimelineModel::RedactedRole));
        QVERIFY(role(m, 0, TimelineModel::AccessibleTextRole)
                    .toString()
                    .contains(u"message deleted"_s));
        // Nothing brings a tombstone back.
        m.appendEvents({change(10, EventKind::React, 1, u"bob"_s, u"👍"_s)});
        QVERIFY(chips(m, 0).isEmpty());
        QCOMPARE(m.backlogSize(), 0);
        QCOMPARE(m.lastEditableSeq(), 2);
    }

    void changeToAMessageNotLoadedAppliesWhenItsPageLoads()
    {
        TimelineModel m(Room, u"me"_s);
        QAbstractItemModelTester tester(&m, QAbstractItemModelTester::FailureReportingMode::Fatal);
        m.appendEvents({message(50, u"ana"_s, u"recent"_s, at(2, 10, 0))});
        // An edit and a reaction to older messages arrive before their page (a live push,
        // or sync after a drop): kept, not shown.
        m.appendEvents({change(51, EventKind::Edit, 10, u"bob"_s, u"bob, edited"_s),
            change(52, EventKind::React, 10, u"ana"_s, u"👍"_s),
            change(53, EventKind::React, 20, u"ana"_s, u"👀"_s)});
        QCOMPARE(m.rowCount(), 1);
        QCOMPARE(m.backlogSize(), 3);

        // The page with seq 10 is bundled-state-less (an older server's cache, say): the
        // kept changes apply when it lands.
        QSignalSpy changed(&m, &QAbstractItemModel::dataChanged);
        m.prependEvents({message(10, u"bob"_s, u"bob, original"_s, at(2, 9, 0)),
                            message(11, u"ana"_s, u"x"_s, at(2, 9, 1))},
            true);
        QCOMPARE(m.rowCount(), 3);
        QCOMPARE(role(m, 0, TimelineModel::TextRole).toString(), u"bob, edited"_s);
        QCOMPARE(chips(m, 0), (QStringList {u"👍:1:-"_s}));
        QVERIFY(changedRow(changed, 0, TimelineModel::TextRole));
        QCOMPARE(m.backlogSize(), 1);

        // Seq 20 comes with its state, which already includes reaction 53: the kept copy
        // is not applied on top of it (§7.4 rule 1).
        RoomEvent twenty = message(20, u"bob"_s, u"twenty"_s, at(2, 9, 30));
        twenty.state.changedSeq = 53;
        twenty.state.reactions = {{u"👀"_s, 1, {u"ana"_s}}};
        m.appendEvents({twenty});
        QCOMPARE(chips(m, m.rowForSeq(20)), (QStringList {u"👀:1:-"_s}));
        QCOMPARE(m.backlogSize(), 0);
    }

    void bundledStateReplacesLocalState()
    {
        TimelineModel m(Room, u"me"_s);
        QAbstractItemModelTester tester(&m, QAbstractItemModelTester::FailureReportingMode::Fatal);
        m.appendEvents({message(5, u"ana"_s, u"hello"_s, at(2, 10, 0))});
        m.appendEvents({change(6, EventKind::React, 5, u"bob"_s, u"👍"_s)});
        // A context page read later: an edit and a second reaction the client missed.
        RoomEvent fresh = message(5, u"ana"_s, u"hello!"_s, at(2, 10, 0));
        fresh.state.changedSeq = 9;
        fresh.state.editedAt = at(2, 10, 9);
        fresh.state.reactions = {{u"👍"_s, 2, {u"me"_s, u"bob"_s}}};
        QSignalSpy changed(&m, &QAbstractItemModel::dataChanged);
        m.appendEvents({fresh});
        QCOMPARE(role(m, 0, TimelineModel::TextRole).toString(), u"hello!"_s);
        QVERIFY(role(m, 0, TimelineModel::EditedRole).toBool());
        QCOMPARE(chips(m, 0), (QStringList {u"👍:2:mine"_s}));
        QVERIFY(changedRow(changed, 0, TimelineModel::ReactionsRole));
        // An older read of the same message (a stale cache row) does not undo it.
        RoomEvent stale = message(5, u"ana"_s, u"hello"_s, at(2, 10, 0));
        stale.state.changedSeq = 6;
        m.appendEvents({stale});
        QCOMPARE(role(m, 0, TimelineModel::TextRole).toString(), u"hello!"_s);
    }

    void redactingTheFirstUnreadMessageMovesTheLine()
    {
        TimelineModel m(Room, u"me"_s);
        QAbstractItemModelTester tester(&m, QAbstractItemModelTester::FailureReportingMode::Fatal);
        m.setReadSeq(1);
        m.appendEvents({message(1, u"ana"_s, u"read"_s, at(2, 10, 0)),
            message(2, u"ana"_s, u"@me oops"_s, at(2, 10, 1), {}, {u"me"_s}),
            message(3, u"bob"_s, u"next"_s, at(2, 10, 2))});
        QCOMPARE(m.firstUnreadRow(), 1);
        QVERIFY(role(m, 1, TimelineModel::MentionsMeRole).toBool());
        QSignalSpy changed(&m, &QAbstractItemModel::dataChanged);
        m.appendEvents({change(4, EventKind::Redact, 2, u"ana"_s)});
        QCOMPARE(m.firstUnreadRow(), 2);
        QVERIFY(changedRow(changed, 1, TimelineModel::IsFirstUnreadRole));
        QVERIFY(changedRow(changed, 2, TimelineModel::IsFirstUnreadRole));
        QVERIFY(!role(m, 1, TimelineModel::MentionsMeRole).toBool());
        QVERIFY(role(m, 1, TimelineModel::RedactedRole).toBool());
        // Deleting the last unread one removes the line.
        m.appendEvents({change(5, EventKind::Redact, 3, u"bob"_s)});
        QCOMPARE(m.firstUnreadRow(), -1);
    }

    void repliesQuoteTheirMessage()
    {
        TimelineModel m(Room, u"me"_s);
        QAbstractItemModelTester tester(&m, QAbstractItemModelTester::FailureReportingMode::Fatal);
        RoomEvent reply = message(30, u"bob"_s, u"sure"_s, at(2, 10, 0));
        reply.replyTo = 4;
        m.appendEvents({reply});
        QCOMPARE(role(m, 0, TimelineModel::ReplyToRole).toLongLong(), 4);
        QVERIFY(!role(m, 0, TimelineModel::ReplyLoadedRole).toBool());
        QCOMPARE(role(m, 0, TimelineModel::ReplySenderRole).toString(), QString());

        QSignalSpy changed(&m, &QAbstractItemModel::dataChanged);
        m.prependEvents({message(4, u"ana"_s, u"lunch?\nat noon"_s, at(2, 9, 0))}, true);
        const int row = m.rowForSeq(30);
        QVERIFY(changedRow(changed, row, TimelineModel::ReplyLoadedRole));
        QVERIFY(role(m, row, TimelineModel::ReplyLoadedRole).toBool());
        QCOMPARE(role(m, row, TimelineModel::ReplySenderRole).toString(), u"ana"_s);
        QCOMPARE(role(m, row, TimelineModel::ReplyTextRole).toString(), u"lunch?…"_s);

        changed.clear();
        m.appendEvents({change(31, EventKind::Edit, 4, u"ana"_s, u"dinner?"_s)});
        QVERIFY(changedRow(changed, row, TimelineModel::ReplyTextRole));
        QCOMPARE(role(m, row, TimelineModel::ReplyTextRole).toString(), u"dinner?"_s);
        m.appendEvents({change(32, EventKind::Redact, 4, u"ana"_s)});
        QCOMPARE(role(m, row, TimelineModel::ReplyTextRole).toString(), u"Message deleted"_s);

        m.addPending(u"me:1"_s, u"me too"_s, at(2, 11, 0), 30);
        QCOMPARE(role(m, m.rowCount() - 1, TimelineModel::ReplySenderRole).toString(), u"bob"_s);
    }

    void backlogIsBounded()
    {
        TimelineModel m(Room, u"me"_s);
        m.appendEvents({message(5000, u"ana"_s, u"x"_s, at(2, 10, 0))});
        QList<RoomEvent> changes;
        for (int i = 0; i < 1500; ++i)
            changes.append(change(5001 + i, EventKind::React, 1 + i, u"bob"_s, u"👍"_s));
        m.appendEvents(changes);
        QCOMPARE(m.backlogSize(), confab::client::ChangeBacklog::MaxChanges);
    }

    void largeTimeline()
    {
        // Not a benchmark with a bound: prints the figures and checks the result is right.
        TimelineModel m(Room, u"me"_s);
        QAbstractItemModelTester tester(&m, QAbstractItemModelTester::FailureReportingMode::Fatal);
        const QStringList senders {u"ana"_s, u"bob"_s, u"carl"_s, u"me"_s};
        const qint64 base = at(1, 0, 0);
        const auto batch = [&](qint64 from, qint64 n) {
            QList<RoomEvent> events;
            events.reserve(n);
            for (qint64 seq = from; seq < from + n; ++seq)
                events.append(message(seq, senders.at(seq % 4), u"message number %1"_s.arg(seq),
                    base + seq * 20'000));
            return events;
        };
        const QList<RoomEvent> first = batch(1, 100'000);
        const QList<RoomEvent> more = batch(100'001, 10'000);
        QSignalSpy inserted(&m, &QAbstractItemModel::rowsInserted);

        QElapsedTimer timer;
        timer.start();
        m.appendEvents(first);
        const qint64 fillMs = timer.restart();
        m.appendEvents(more);
        const qint64 appendMs = timer.restart();
        for (int row = 0; row < m.rowCount(); row += 97)
            m.data(m.index(row), TimelineModel::ShowSenderRole);
        const qint64 readMs = timer.elapsed();
        qInfo("timeline: 100000 rows in %lld ms, +10000 appended in %lld ms (one insertion), "
              "%d rows; derived roles of every 97th row read in %lld ms",
            fillMs, appendMs, m.rowCount(), readMs);

        QCOMPARE(m.rowCount(), 110'000);
        QCOMPARE(inserted.count(), 2);
        QCOMPARE(inserted.at(1).at(1).toInt(), 100'000);
        QCOMPARE(inserted.at(1).at(2).toInt(), 109'999);
        QCOMPARE(m.rowForSeq(77'777), 77'776);
        QCOMPARE(role(m, 109'999, TimelineModel::TextRole).toString(), u"message number 110000"_s);
    }

    // Opening a big room applies one profile per member: the timeline relabels its rows once
    // for the lot, on the next event-loop turn, and shows the new names then.
    void profileChangesRelabelOncePerTurn()
    {
        Profiles profiles(nullptr);
        TimelineModel m(Room, u"me"_s);
        m.setProfiles(&profiles);
        m.appendEvents({message(1, u"user7"_s, u"hi"_s, at(2, 10, 0))});
        QSignalSpy changed(&m, &QAbstractItemModel::dataChanged);
        for (int i = 0; i < 200; ++i)
            profiles.apply({u"user%1"_s.arg(i), u"Name %1"_s.arg(i), {}, 0});
        QCOMPARE(changed.count(), 0);
        QTRY_COMPARE(changed.count(), 1);
        QCoreApplication::processEvents();
        QCOMPARE(changed.count(), 1);
        QCOMPARE(changed.at(0).at(0).value<QModelIndex>().row(), 0);
        QVERIFY(role(m, 0, TimelineModel::AccessibleTextRole).toString().contains(u"Name 7"_s));

        profiles.apply({u"user7"_s, u"Seven"_s, {}, 0});
        QTRY_COMPARE(changed.count(), 2);
        QVERIFY(role(m, 0, TimelineModel::AccessibleTextRole).toString().contains(u"Seven"_s));
    }
};

QTEST_GUILESS_MAIN(TestTimelineModel)
#include "tst_timelinemodel.moc"
