// SPDX-License-Identifier: GPL-3.0-or-later
// UnreadIndex against the SQL count it replaces (eventstore::unreadCounts), on a real SQLite
// file: random messages, other events and redactions from several senders, and a room longer
// than the window, where positions older than it must fall back to SQL.
#include "chat/roomdirectory.h"
#include "chat/unreadindex.h"
#include "protocol/roomevent.h"
#include "storage/accountstore.h"
#include "storage/database.h"
#include "storage/eventstore.h"
#include "storage/messagestate.h"
#include "storage/roomstore.h"
#include "storage/searchindex.h"
#include "storage/statementcache.h"
#include "storage/writecontext.h"

#include <QRandomGenerator>
#include <QSqlError>
#include <QSqlQuery>
#include <QTemporaryDir>
#include <QtTest>
#include <memory>

using namespace Qt::StringLiterals;
using namespace confab;
using namespace confab::server;
using protocol::EventKind;
using protocol::RoomEvent;

namespace {
const QString Connection = u"tst-unreadindex"_s;
constexpr qint64 Now = 1'800'000'000'000;
const QStringList Names = {u"ana"_s, u"bob"_s, u"cy"_s, u"dee"_s};
} // namespace

class TestUnreadIndex : public QObject
{
    Q_OBJECT

    QTemporaryDir m_dir;
    std::unique_ptr<WriteContext> m_ctx;
    std::unique_ptr<StatementCache> m_reads;
    RoomDirectory m_rooms;
    QList<qint64> m_users;

    qint64 room(const QString &name)
    {
        qint64 id = 0;
        if (!roomstore::insertRoom(*m_ctx, RoomKind::Channel, name, {}, {}, &id))
            qFatal("insertRoom failed");
        RoomRecord record;
        record.id = id;
        record.name = name;
        for (qint64 user : std::as_const(m_users)) {
            if (!roomstore::addMember(*m_ctx, id, user, 0))
                qFatal("addMember failed");
            record.members.insert(user);
        }
        m_rooms.insert(record);
        return id;
    }

    qint64 lastSeq(qint64 room)
    {
        QSqlQuery *q = m_reads->run(u"SELECT MAX(seq) FROM events WHERE room_id = ?"_s, {room});
        const qint64 seq = q && q->next() ? q->value(0).toLongLong() : 0;
        if (q)
            q->finish();
        return seq;
    }

    // What the event loop does once a write has committed.
    void publish(qint64 room) { m_rooms.setLastSeq(room, lastSeq(room)); }

    bool append(qint64 room, EventKind kind, int sender, const QStringList &mentions = {},
        qint64 target = 0)
    {
        RoomEvent e;
        e.room = room;
        e.kind = kind;
        e.sender = Names.at(sender);
        e.text = u"text"_s;
        e.topic = kind == EventKind::Topic ? u"topic"_s : QString();
        e.target = target;
        e.mentions = mentions;
        return m_ctx->appendEvent(e, m_users.at(sender))
            && (kind != EventKind::Message || searchindex::add(*m_ctx, e.id, e.text))
            && (kind != EventKind::Message
                || eventstore::insertMentions(*m_ctx, e, m_users.at(sender)));
    }

    // As MessageChanges does: the redact event, the tombstone, then the index forgets the room.
    bool redact(UnreadIndex &index, qint64 room, qint64 seq, int by)
    {
        messagestate::Target target;
        if (!messagestate::findMessage(*m_ctx, room, seq, &target) || !target.found)
            return false;
        RoomEvent e;
        e.room = room;
        e.kind = EventKind::Redact;
        e.sender = Names.at(by);
        e.target = seq;
        if (!m_ctx->appendEvent(e, m_users.at(by)) || !messagestate::applyRedact(*m_ctx, target, e))
            return false;
        publish(room);
        index.forget(room);
        return true;
    }

    // Every user at every position given, index against SQL; says which one differed.
    void compareAll(UnreadIndex &index, qint64 room, const QList<qint64> &positions)
    {
        for (qint64 user : std::as_const(m_users)) {
            for (qint64 pos : positions) {
                const eventstore::UnreadCounts fast = index.counts(room, user, pos);
                const eventstore::UnreadCounts sql
                    = eventstore::unreadCounts(*m_reads, room, user, pos);
                const QByteArray where
                    = "user " + QByteArray::number(user) + " readSeq " + QByteArray::number(pos);
                const QByteArray got = where + ": unread " + QByteArray::number(fast.unread)
                    + " != " + QByteArray::number(sql.unread);
                QVERIFY2(fast.unread == sql.unread, got.constData());
                QVERIFY2(fast.mentions == sql.mentions, where.constData());
            }
        }
    }

    // ~n messages in one statement; sender chosen by \a senderSql over the row number x.
    void bulk(qint64 room, qint64 n, const QString &senderSql)
    {
        const qint64 from = lastSeq(room);
        QSqlQuery q(m_ctx->database());
        QVERIFY(q.prepare(u"WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM c "
                          u"WHERE x < ?) INSERT INTO events(room_id, seq, ts, kind, sender_id, "
                          u"body) SELECT ?, ? + x, ?, ?, "_s
            + senderSql + u", 'bulk' FROM c"_s));
        q.addBindValue(n);
        q.addBindValue(room);
        q.addBindValue(from);
        q.addBindValue(Now);
        q.addBindValue(int(EventKind::Message));
        QVERIFY2(q.exec(), qPrintable(q.lastError().text()));
        m_ctx->resetSequences();
        // Indexed for search as a sent message is, so that a redaction can take them out.
        QSqlQuery words(m_ctx->database());
        QVERIFY(words.prepare(u"INSERT INTO search_words(rowid, body) SELECT id, body FROM events "
                              u"WHERE room_id = ? AND seq > ?"_s));
        words.addBindValue(room);
        words.addBindValue(from);
        QVERIFY2(words.exec(), qPrintable(words.lastError().text()));
    }

private Q_SLOTS:
    void init()
    {
        QVERIFY(m_dir.isValid());
        QFile::remove(m_dir.filePath(u"unread.db"_s));
        QString error;
        QSqlDatabase db = database::open(
            m_dir.filePath(u"unread.db"_s), Connection, Durability::Normal, &error);
        QVERIFY2(error.isEmpty(), qPrintable(error));
        QVERIFY2(database::migrate(db, &error), qPrintable(error));
        m_ctx = std::make_unique<WriteContext>(db);
        m_reads = std::make_unique<StatementCache>(db);
        m_ctx->setNow(Now);
        m_rooms = RoomDirectory();
        m_users.clear();
        for (const QString &name : Names) {
            qint64 id = 0;
            QVERIFY(accountstore::insertUser(*m_ctx, name, u"hash"_s, &id));
            m_users.append(id);
        }
    }

    void cleanup()
    {
        m_reads.reset();
        m_ctx.reset();
        database::close(Connection);
    }

    void randomHistoryMatchesSql()
    {
        const qint64 a = room(u"alpha"_s);
        const qint64 b = room(u"beta"_s);
        publish(a);
        publish(b);
        UnreadIndex index(*m_reads, m_rooms);
        QRandomGenerator rng(17);
        QList<qint64> messages; // seqs of room a's messages not yet redacted
        int redactions = 0;
        for (int step = 0; step < 400; ++step) {
            const int sender = int(rng.bounded(Names.size()));
            const quint32 what = rng.bounded(100);
            if (what < 60) {
                QStringList mentions;
                if (rng.bounded(4) == 0)
                    mentions.append(Names.at(int(rng.bounded(Names.size()))));
                QVERIFY(append(a, EventKind::Message, sender, mentions));
                messages.append(lastSeq(a));
            } else if (what < 75) {
                QVERIFY(append(a, EventKind::Topic, sender));
            } else if (what < 85 && !messages.isEmpty()) {
                const qint64 seq = messages.takeAt(rng.bounded(int(messages.size())));
                QVERIFY(redact(index, a, seq, sender));
                ++redactions;
            } else {
                // Another room moves on; room a's window must not notice.
                QVERIFY(append(b, EventKind::Message, sender));
            }
            // Several writes sometimes commit before the loop hears of them.
            if (rng.bounded(3) != 0) {
                publish(a);
                publish(b);
            } else {
                continue;
            }
            const qint64 last = lastSeq(a);
            compareAll(index, a, {0, last / 2, qMax<qint64>(0, last - 3), last});
            if (QTest::currentTestFailed())
                QFAIL(qPrintable(u"at step %1"_s.arg(step)));
        }
        publish(a);
        publish(b);
        compareAll(index, a, {0, 1, lastSeq(a) / 3, lastSeq(a)});
        compareAll(index, b, {0, lastSeq(b) / 2, lastSeq(b)});
        // The sequence did what the test is about.
        QVERIFY(redactions > 10);
        QVERIFY(eventstore::unreadCounts(*m_reads, a, m_users.at(0), 0).unread > 50);
        QVERIFY(eventstore::unreadCounts(*m_reads, a, m_users.at(0), 0).mentions > 0);
    }

    void longRoomFallsBackToSqlOutsideTheWindow()
    {
        const qint64 r = room(u"long"_s);
        const qint64 ana = m_users.at(0);
        // 25,000 messages: the first 10,000 from everyone in turn, the newest 15,000 mostly
        // Ana's (one in 50 from Bob), so Ana's own fill the window and her count needs SQL.
        QCOMPARE(m_users.last() - ana, Names.size() - 1); // ids in a row, for the bulk below
        bulk(r, 10'000, u"%1 + x % %2"_s.arg(ana).arg(Names.size()));
        bulk(r, 15'000, u"CASE WHEN x % 50 = 0 THEN %1 ELSE %2 END"_s.arg(m_users.at(1)).arg(ana));
        publish(r);
        const qint64 last = lastSeq(r);
        QCOMPARE(last, 25'000);
        UnreadIndex index(*m_reads, m_rooms);
        // The window: the newest cap + Slack messages.
        const qint64 windowStart = last - (eventstore::UnreadCountCap + UnreadIndex::Slack) + 1;
        const QList<qint64> positions = {0, 5'000, 10'000, windowStart - 2, windowStart - 1,
            windowStart, 20'000, last - 10, last};
        compareAll(index, r, positions);
        // Ana's count from before the window: capped for nobody, since few are others'.
        const qint64 fromStart = index.counts(r, ana, 0).unread;
        QVERIFY2(fromStart > 5'000 && fromStart < eventstore::UnreadCountCap,
            QByteArray::number(fromStart).constData());
        QCOMPARE(index.counts(r, m_users.at(2), 0).unread, eventstore::UnreadCountCap);

        // A redaction inside and one before the window, then enough to trim the window.
        QVERIFY(redact(index, r, last - 50, 1));
        QVERIFY(redact(index, r, 3'000, 1));
        compareAll(index, r, positions);
        bulk(r, 12'000, u"CASE WHEN x % 7 = 0 THEN %1 ELSE %2 END"_s.arg(m_users.at(3)).arg(ana));
        publish(r);
        const qint64 end = lastSeq(r);
        compareAll(index, r, {0, windowStart, last, end - 11'500, end - 11'000, end - 100, end});
        // A fresh index reads the longer room from scratch and agrees too.
        UnreadIndex fresh(*m_reads, m_rooms);
        compareAll(fresh, r, {0, windowStart, last, end - 11'500, end - 11'000, end - 100, end});
    }

    void smallRoomAndUnknownRoom()
    {
        const qint64 r = room(u"gamma"_s);
        QVERIFY(append(r, EventKind::Message, 1, {u"ana"_s}));
        publish(r);
        UnreadIndex index(*m_reads, m_rooms);
        const eventstore::UnreadCounts counts = index.counts(r, m_users.at(0), 0);
        QCOMPARE(counts.unread, 1);
        QCOMPARE(counts.mentions, 1);
        QCOMPARE(index.counts(r, m_users.at(1), 0).unread, 0);
        QCOMPARE(index.counts(r + 1000, m_users.at(0), 0).unread, 0);
    }
};

QTEST_GUILESS_MAIN(TestUnreadIndex)
#include "tst_unreadindex.moc"
