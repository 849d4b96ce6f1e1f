// SPDX-License-Identifier: GPL-3.0-or-later
// The per-account cache on a real SQLite file: rooms, cursors, events, outbox and meta
// survive a reopen; each room keeps only its newest events.
#include "store/localstore.h"

#include <QSqlDatabase>
#include <QSqlQuery>
#include <QTemporaryDir>
#include <QtTest>

using namespace Qt::StringLiterals;
using confab::client::LocalStore;
using confab::client::OutboxEntry;
using confab::client::RoomSummary;
using confab::client::StoreBatch;
using confab::protocol::EventKind;
using confab::protocol::RoomEvent;

namespace {

RoomEvent message(qint64 room, qint64 seq, const QString &text)
{
    RoomEvent e;
    e.id = room * 100000 + seq;
    e.room = room;
    e.seq = seq;
    e.timestamp = 1'700'000'000'000 + seq;
    e.kind = EventKind::Message;
    e.sender = u"ana"_s;
    e.txn = u"t%1"_s.arg(seq);
    e.text = text;
    if (text.contains(u"@bob"_s))
        e.mentions = {u"bob"_s};
    return e;
}

RoomSummary room(qint64 id, const QString &name, bool direct = false)
{
    RoomSummary r;
    r.id = id;
    r.name = name;
    r.direct = direct;
    r.topic = direct ? QString() : u"topic of "_s + name;
    r.lastSeq = 7;
    r.memberCount = 2;
    if (direct)
        r.members = {u"ana"_s, u"bob"_s};
    r.readSeq = 3;
    r.unread = 4;
    r.mentions = 1;
    return r;
}

} // namespace

class TestLocalStore : public QObject
{
    Q_OBJECT

    QTemporaryDir m_dir;
    QString path() const { return m_dir.filePath(u"cache.sqlite"_s); }

private Q_SLOTS:
    void init() { QFile::remove(path()); }

    void pathIsPerAccountAndCaseInsensitiveInTheUser()
    {
        const QString a = LocalStore::pathFor(u"/d"_s, u"ws://h:1"_s, u"Ana"_s);
        QCOMPARE(a, LocalStore::pathFor(u"/d"_s, u"ws://h:1"_s, u"ana"_s));
        QVERIFY(a != LocalStore::pathFor(u"/d"_s, u"ws://h:2"_s, u"ana"_s));
        QVERIFY(a != LocalStore::pathFor(u"/d"_s, u"ws://h:1"_s, u"bob"_s));
        QVERIFY(a.startsWith(u"/d/"_s) && a.endsWith(u".sqlite"_s));
    }

    void roomsCursorsAndEventsSurviveReopen()
    {
        {
            LocalStore s;
            QVERIFY(s.open(path()));
            StoreBatch b;
            b.upserts = {room(1, u"general"_s), room(2, u"bob"_s, true)};
            b.events
                = {message(1, 5, u"hi @bob"_s), message(1, 6, u"two"_s), message(2, 3, u"dm"_s)};
            b.cursors = {{1, 6}, {2, 3}};
            QVERIFY(s.apply(b));
            // Cursors only move up, even if a later batch says less.
            StoreBatch lower;
            lower.cursors = {{1, 2}};
            QVERIFY(s.apply(lower));
        }
        LocalStore s;
        QVERIFY(s.open(path()));
        const auto rooms = s.rooms();
        QCOMPARE(rooms.size(), 2);
        QCOMPARE(rooms[0], room(1, u"general"_s));
        QCOMPARE(rooms[1], room(2, u"bob"_s, true));
        const auto cursors = s.cursors();
        QCOMPARE(cursors.value(1), 6);
        QCOMPARE(cursors.value(2), 3);
        const auto events = s.events(1);
        QCOMPARE(events.size(), 2);
        QCOMPARE(events[0], message(1, 5, u"hi @bob"_s));
        QCOMPARE(events[1], message(1, 6, u"two"_s));
        QCOMPARE(s.events(2).size(), 1);

        // A room removed takes its events and cursor along.
        StoreBatch rm;
        rm.removed = {1};
        QVERIFY(s.apply(rm));
        QCOMPARE(s.rooms().size(), 1);
        QVERIFY(s.events(1).isEmpty());
        QVERIFY(!s.cursors().contains(1));
    }

    void keepsOnlyTheNewestEventsPerRoom()
    {
        LocalStore s;
        QVERIFY(s.open(path()));
        StoreBatch b;
        for (qint64 seq = 1; seq <= 700; ++seq)
            b.events.append(message(1, seq, u"m%1"_s.arg(seq)));
        b.events.append(message(2, 1, u"other room"_s));
        b.cursors = {{1, 700}, {2, 1}};
        QVERIFY(s.apply(b));
        auto events = s.events(1);
        QCOMPARE(events.size(), LocalStore::MaxEventsPerRoom);
        QCOMPARE(events.first().seq, 201);
        QCOMPARE(events.last().seq, 700);
        QCOMPARE(s.events(2).size(), 1);
        QCOMPARE(s.events(1, 10).first().seq, 691);

        StoreBatch more;
        more.events = {message(1, 701, u"new"_s)};
        more.cursors = {{1, 701}};
        QVERIFY(s.apply(more));
        events = s.events(1);
        QCOMPARE(events.size(), LocalStore::MaxEventsPerRoom);
        QCOMPARE(events.first().seq, 202);
        QCOMPARE(events.last().text, u"new"_s);
        s.close();

        // Check the file itself, not just what the class reports.
        {
            QSqlDatabase db = QSqlDatabase::addDatabase(u"QSQLITE"_s, u"check"_s);
            db.setDatabaseName(path());
            QVERIFY(db.open());
            QSqlQuery q(db);
            QVERIFY(q.exec(u"SELECT count(*) FROM events WHERE room = 1"_s) && q.next());
            QCOMPARE(q.value(0).toInt(), 500);
            QVERIFY(q.exec(u"PRAGMA journal_mode"_s) && q.next());
            QCOMPARE(q.value(0).toString(), u"wal"_s);
        }
        QSqlDatabase::removeDatabase(u"check"_s);
    }

    void outboxRoundTripInOrder()
    {
        {
            LocalStore s;
            QVERIFY(s.open(path()));
            for (int i = 1; i <= 3; ++i) {
                OutboxEntry e;
                e.txn = u"dev:%1"_s.arg(i);
                e.room = 1;
                e.text = u"message %1"_s.arg(i);
                e.createdMs = 1000 + i;
                QVERIFY(s.addOutbox(e));
                QVERIFY(e.order > 0);
            }
            QVERIFY(s.markOutboxFailed(u"dev:1"_s, u"gone"_s));
            QVERIFY(s.requeueOutbox(u"dev:1"_s, u"dev:4"_s)); // retry: new txn, at the end
            StoreBatch delivered;
            delivered.deliveredTxns = {u"dev:2"_s};
            QVERIFY(s.apply(delivered));
            QVERIFY(s.markOutboxFailed(u"dev:3"_s, u"not a member"_s));
        }
        LocalStore s;
        QVERIFY(s.open(path()));
        const auto rows = s.outbox();
        QCOMPARE(rows.size(), 2);
        QCOMPARE(rows[0].txn, u"dev:3"_s);
        QVERIFY(rows[0].failed);
        QCOMPARE(rows[0].error, u"not a member"_s);
        QCOMPARE(rows[1].txn, u"dev:4"_s);
        QCOMPARE(rows[1].text, u"message 1"_s);
        QCOMPARE(rows[1].createdMs, 1001);
        QVERIFY(!rows[1].failed);
        QVERIFY(s.removeOutbox(u"dev:3"_s));
        QCOMPARE(s.outbox().size(), 1);
    }

    void metaDeviceIdAndTxnCounterPersist()
    {
        QString device;
        {
            LocalStore s;
            QVERIFY(s.open(path()));
            device = s.deviceId();
            QVERIFY(!device.isEmpty());
            QCOMPARE(s.deviceId(), device);
            QCOMPARE(s.nextTxnCounter(), 1);
            QCOMPARE(s.nextTxnCounter(), 2);
            QVERIFY(s.setMeta(u"last_room"_s, u"42"_s));
        }
        LocalStore s;
        QVERIFY(s.open(path()));
        QCOMPARE(s.deviceId(), device);
        QCOMPARE(s.nextTxnCounter(), 3); // never hands out a txn twice
        QCOMPARE(s.meta(u"last_room"_s), u"42"_s);
        // The device id fits the protocol's txn alphabet.
        QVERIFY(QRegularExpression(u"^[A-Za-z0-9_.:-]+$"_s).match(device + u":3"_s).hasMatch());
    }

    void twoStoresAtOnce()
    {
        LocalStore a;
        LocalStore b;
        QVERIFY(a.open(path()));
        QVERIFY(b.open(m_dir.filePath(u"other.sqlite"_s)));
        StoreBatch batch;
        batch.upserts = {room(9, u"nine"_s)};
        QVERIFY(a.apply(batch));
        QCOMPARE(a.rooms().size(), 1);
        QCOMPARE(b.rooms().size(), 0);
    }
};

QTEST_GUILESS_MAIN(TestLocalStore)
#include "tst_localstore.moc"
