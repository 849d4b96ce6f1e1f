// SPDX-License-Identifier: GPL-3.0-or-later
// Edits, redactions, reactions, replies and context (protocol §5.19–5.24, §7.4) through real
// sockets on 127.0.0.1: the events, the state bundled with stored messages, who may do what,
// the counts on every device, resume across a drop, and redacted text leaving the files.
#include "clientpool.h"
#include "protocol/hello.h"
#include "protocol/results.h"
#include "protocol/searchresults.h"
#include "testclient.h"
#include "testserver.h"

#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QtTest>
#include <memory>

using namespace Qt::StringLiterals;
using namespace confab;
using protocol::ErrorCode;
using protocol::EventKind;
using protocol::RoomEvent;
using protocol::ServerFrameType;
namespace req = protocol::requests;

namespace {
const QString ThumbsUp = u"👍"_s;
const QString Heart = u"❤️"_s;
} // namespace

class TestConversations : public QObject
{
    Q_OBJECT

private:
    std::unique_ptr<test::TestServer> m_server;
    test::ClientPool m_clients {[this] { return m_server->url(); }};
    int m_rawId = 0;

    static bool succeeded(const std::optional<protocol::ServerFrame> &r)
    {
        return r && r->type == ServerFrameType::Result;
    }
    static qint64 seqOf(const std::optional<protocol::ServerFrame> &r)
    {
        return succeeded(r) ? qint64(r->data().value("seq"_L1).toDouble()) : -1;
    }
    static ErrorCode errorOf(const std::optional<protocol::ServerFrame> &r)
    {
        return r && r->type == ServerFrameType::Error ? r->error : ErrorCode::Internal;
    }
    static qint64 send(test::TestClient *c, qint64 room, const QString &txn, const QString &text,
        qint64 replyTo = 0)
    {
        return seqOf(c->request(req::send(room, txn, text, replyTo)));
    }
    static QList<RoomEvent> history(test::TestClient *c, qint64 room)
    {
        const auto r = c->request(req::historyBefore(room, 1000, 200));
        if (!succeeded(r))
            return {};
        const auto page = protocol::HistoryPage::fromJson(r->data());
        return page ? page->events : QList<RoomEvent>();
    }
    static RoomEvent at(const QList<RoomEvent> &events, qint64 seq)
    {
        for (const RoomEvent &e : events) {
            if (e.seq == seq)
                return e;
        }
        return {};
    }
    // A channel of ana's that bob has joined: create 1, join ana 2, join bob 3.
    qint64 sharedRoom(test::TestClient *ana, test::TestClient *bob, const QString &name)
    {
        const qint64 room = test::createRoom(ana, name);
        if (room <= 0 || !succeeded(bob->request(req::join(room))))
            return 0;
        return room;
    }
    // Sends \a fields as a request frame; the reply (by id), or nullopt.
    std::optional<protocol::ServerFrame> raw(test::TestClient *c, QJsonObject fields)
    {
        const QString id = u"raw-%1"_s.arg(++m_rawId);
        fields.insert("id"_L1, id);
        c->sendRaw(QString::fromUtf8(QJsonDocument(fields).toJson(QJsonDocument::Compact)));
        std::optional<protocol::ServerFrame> found;
        test::TestClient::waitUntil(
            [&] {
                const auto replies = c->strayReplies();
                for (const auto &f : replies) {
                    if (f.id.toString() == id)
                        found = f;
                }
                return found.has_value();
            },
            5000);
        return found;
    }
    static std::optional<protocol::ReadState> waitUnread(test::TestClient *c, qint64 room)
    {
        const auto f = c->waitPush([room](const protocol::ServerFrame &f) {
            const auto state = f.readState();
            return f.type == ServerFrameType::Unread && state && state->room == room;
        });
        return f ? f->readState() : std::nullopt;
    }
    static bool fileContains(const QString &path, const QByteArray &needle)
    {
        QFile f(path);
        return f.open(QIODevice::ReadOnly) && f.readAll().contains(needle);
    }
    bool databaseContains(const QByteArray &needle) const
    {
        const QString db = m_server->databasePath();
        return fileContains(db, needle) || fileContains(db + u"-wal"_s, needle)
            || fileContains(db + u"-shm"_s, needle);
    }

private Q_SLOTS:
    void init()
    {
        m_server = std::make_unique<test::TestServer>();
        QVERIFY(m_server->start());
    }
    void cleanup()
    {
        m_clients.clear();
        m_server.reset();
    }

    void helloAnnouncesConversations()
    {
        auto *c = m_clients.connectClient();
        QVERIFY(c);
        const QJsonArray features = c->hello().value("features"_L1).toArray();
        QVERIFY(features.contains(QJsonValue(protocol::features::Conversations)));
    }

    void eachChangeIsBroadcastAndBundled()
    {
        auto *ana = m_clients.registered(u"ana"_s);
        auto *bob = m_clients.registered(u"bob"_s);
        QVERIFY(ana && bob);
        const qint64 room = sharedRoom(ana, bob, u"general"_s);
        QVERIFY(room > 0);
        const qint64 msg = send(ana, room, u"a1"_s, u"lunch at noon @bob?"_s);
        QCOMPARE(msg, 4);
        const qint64 reply = send(bob, room, u"b1"_s, u"sure"_s, msg);
        QCOMPARE(reply, 5);
        for (auto *c : {ana, bob}) {
            const auto e = c->waitEvent(room, reply);
            QVERIFY(e);
            QCOMPARE(e->replyTo, msg);
            // A message pushed live is new and carries no state.
            QCOMPARE(e->state, protocol::MessageState {});
        }

        const qint64 edit = seqOf(ana->request(req::edit(room, msg, u"lunch at 12:30 @bob?"_s)));
        QCOMPARE(edit, 6);
        // The key's place is where it appeared, even after its first user leaves it.
        QCOMPARE(seqOf(bob->request(req::react(room, msg, ThumbsUp))), 7);
        QCOMPARE(seqOf(ana->request(req::react(room, msg, u"❤"_s))), 8); // stored with U+FE0F
        QCOMPARE(seqOf(ana->request(req::react(room, msg, ThumbsUp))), 9);
        QCOMPARE(seqOf(bob->request(req::unreact(room, msg, ThumbsUp))), 10);
        QCOMPARE(seqOf(bob->request(req::react(room, msg, Heart))), 11);

        qint64 editTs = 0;
        for (auto *c : {ana, bob}) {
            const auto e = c->waitEvent(room, edit);
            QVERIFY(e);
            editTs = e->timestamp;
            QCOMPARE(e->kind, EventKind::Edit);
            QCOMPARE(e->sender, u"ana"_s);
            QCOMPARE(e->target, msg);
            QCOMPARE(e->text, u"lunch at 12:30 @bob?"_s);
            const auto heart = c->waitEvent(room, 8);
            QVERIFY(heart);
            QCOMPARE(heart->kind, EventKind::React);
            QCOMPARE(heart->key, Heart);
            QCOMPARE(heart->target, msg);
            const auto un = c->waitEvent(room, 10);
            QVERIFY(un);
            QCOMPARE(un->kind, EventKind::Unreact);
            QCOMPARE(un->key, ThumbsUp);
            QCOMPARE(un->sender, u"bob"_s);
            QVERIFY(c->waitEvent(room, 11));
        }

        // history: the message with its current state; each viewer sees their name first.
        const QList<RoomEvent> anaView = history(ana, room);
        QCOMPARE(anaView.size(), 11);
        RoomEvent m = at(anaView, msg);
        QCOMPARE(m.text, u"lunch at 12:30 @bob?"_s);
        QCOMPARE(m.mentions, QStringList {u"bob"_s}); // an edit does not change mentions
        QVERIFY(m.state.editedAt > 0);
        QCOMPARE(m.state.changedSeq, 11);
        QVERIFY(!m.state.redacted);
        QCOMPARE(m.state.reactions.size(), 2);
        QCOMPARE(m.state.reactions.at(0), (protocol::Reaction {ThumbsUp, 1, {u"ana"_s}}));
        QCOMPARE(m.state.reactions.at(1), (protocol::Reaction {Heart, 2, {u"ana"_s, u"bob"_s}}));
        QCOMPARE(at(anaView, reply).replyTo, msg);
        QCOMPARE(at(anaView, edit).target, msg);
        QCOMPARE(at(anaView, edit).kind, EventKind::Edit);
        QCOMPARE(at(anaView, 7).key, ThumbsUp);
        QCOMPARE(at(anaView, 7).text, QString());
        const RoomEvent bobsMessage = at(history(bob, room), msg);
        QCOMPARE(bobsMessage.state.reactions.at(1).users, (QStringList {u"bob"_s, u"ana"_s}));
        QCOMPARE(bobsMessage.state.editedAt, m.state.editedAt);
        QCOMPARE(m.state.editedAt, editTs);

        // sync from 0 carries the same state; context opens around the message.
        const auto synced = bob->request(req::sync({{room, 0}}));
        QVERIFY(succeeded(synced));
        const auto sync = protocol::SyncResult::fromJson(synced->data());
        QVERIFY(sync && sync->rooms.size() == 1);
        QCOMPARE(at(sync->rooms.first().events, msg), bobsMessage);
        const auto around = bob->request(req::context(room, msg, 3));
        QVERIFY(succeeded(around));
        const auto context = protocol::ContextPage::fromJson(around->data());
        QVERIFY(context);
        QCOMPARE(context->events.size(), 3);
        QCOMPARE(context->events.at(0).seq, 3);
        QCOMPARE(context->events.at(1), bobsMessage);
        QCOMPARE(context->events.at(2).seq, 5);
        QVERIFY(context->hasMoreBefore);
        QVERIFY(context->hasMoreAfter);

        // redact: a tombstone, earlier edits emptied, reactions and mentions gone.
        const qint64 redact = seqOf(ana->request(req::redact(room, msg)));
        QCOMPARE(redact, 12);
        for (auto *c : {ana, bob}) {
            const auto e = c->waitEvent(room, redact);
            QVERIFY(e);
            QCOMPARE(e->kind, EventKind::Redact);
            QCOMPARE(e->target, msg);
        }
        const QList<RoomEvent> after = history(bob, room);
        m = at(after, msg);
        QCOMPARE(m.text, QString());
        QVERIFY(m.state.redacted);
        QCOMPARE(m.state.editedAt, 0);
        QVERIFY(m.state.reactions.isEmpty());
        QVERIFY(m.mentions.isEmpty());
        QCOMPARE(m.state.changedSeq, redact);
        QCOMPARE(m.txn, u"a1"_s);
        QCOMPARE(at(after, edit).text, QString());
        QCOMPARE(at(after, edit).target, msg);
        // A reply to a tombstone is allowed.
        QCOMPARE(send(bob, room, u"b2"_s, u"too late"_s, msg), 13);
    }

    void contextStaysInsideTheLog()
    {
        auto *ana = m_clients.registered(u"ana"_s);
        QVERIFY(ana);
        const qint64 room = test::createRoom(ana, u"ctx"_s);
        QVERIFY(room > 0);
        for (int i = 0; i < 8; ++i)
            QVERIFY(send(ana, room, u"c%1"_s.arg(i), u"m%1"_s.arg(i)) > 0); // seqs 3..10
        const auto page = [&](qint64 seq, int limit) {
            const auto r = ana->request(req::context(room, seq, limit));
            return succeeded(r) ? protocol::ContextPage::fromJson(r->data()) : std::nullopt;
        };
        // Near the end, the share after goes before.
        auto p = page(9, 5);
        QVERIFY(p);
        QCOMPARE(p->events.first().seq, 6);
        QCOMPARE(p->events.last().seq, 10);
        QVERIFY(p->hasMoreBefore);
        QVERIFY(!p->hasMoreAfter);
        // Near the start, the other way round.
        p = page(1, 4);
        QVERIFY(p);
        QCOMPARE(p->events.first().seq, 1);
        QCOMPARE(p->events.last().seq, 4);
        QVERIFY(!p->hasMoreBefore);
        QVERIFY(p->hasMoreAfter);
        p = page(5, 1);
        QVERIFY(p && p->events.size() == 1 && p->events.first().seq == 5);
        QCOMPARE(errorOf(ana->request(req::context(room, 11, 5))), ErrorCode::NotFound);
        QCOMPARE(errorOf(ana->request(req::context(room + 100, 1, 5))), ErrorCode::NotFound);
        auto *eve = m_clients.registered(u"eve"_s);
        QVERIFY(eve);
        QCOMPARE(errorOf(eve->request(req::context(room, 3, 5))), ErrorCode::NotMember);
    }

    void onlyTheRulesAllow()
    {
        auto *ana = m_clients.registered(u"ana"_s);
        auto *bob = m_clients.registered(u"bob"_s);
        auto *eve = m_clients.registered(u"eve"_s);
        QVERIFY(ana && bob && eve);
        const qint64 room = sharedRoom(ana, bob, u"rules"_s);
        const qint64 other = test::createRoom(bob, u"other"_s);
        QVERIFY(room > 0 && other > 0);
        const qint64 msg = send(ana, room, u"r1"_s, u"mine"_s);
        QCOMPARE(msg, 4);
        const qint64 elsewhere = send(bob, other, u"r2"_s, u"in another room"_s);
        QVERIFY(elsewhere > 0);

        // Someone else's message: no edit, no delete; reactions are for everyone.
        QCOMPARE(errorOf(bob->request(req::edit(room, msg, u"hijack"_s))), ErrorCode::Forbidden);
        QCOMPARE(errorOf(bob->request(req::redact(room, msg))), ErrorCode::Forbidden);
        QVERIFY(seqOf(bob->request(req::react(room, msg, ThumbsUp))) > 0);
        // Not a message of this room.
        for (const qint64 target : {qint64(3), qint64(1), qint64(99), elsewhere}) {
            QCOMPARE(errorOf(ana->request(req::edit(room, target, u"x"_s))), ErrorCode::NotFound);
            QCOMPARE(errorOf(ana->request(req::redact(room, target))), ErrorCode::NotFound);
            QCOMPARE(
                errorOf(ana->request(req::react(room, target, ThumbsUp))), ErrorCode::NotFound);
            QCOMPARE(
                errorOf(ana->request(req::unreact(room, target, ThumbsUp))), ErrorCode::NotFound);
            QCOMPARE(errorOf(ana->request(req::send(room, u"rt%1"_s.arg(target), u"re"_s, target))),
                ErrorCode::NotFound);
        }
        // The reaction event at seq 5 is not a message either.
        QCOMPARE(errorOf(ana->request(req::react(room, 5, ThumbsUp))), ErrorCode::NotFound);
        // Not a member; no such room.
        QCOMPARE(errorOf(eve->request(req::edit(room, msg, u"x"_s))), ErrorCode::NotMember);
        QCOMPARE(errorOf(eve->request(req::react(room, msg, ThumbsUp))), ErrorCode::NotMember);
        QCOMPARE(errorOf(eve->request(req::redact(room + 100, msg))), ErrorCode::NotFound);

        // Repeats: a react answers the original seq and appends nothing.
        QCOMPARE(seqOf(bob->request(req::react(room, msg, ThumbsUp))), 5);
        QCOMPARE(errorOf(ana->request(req::unreact(room, msg, ThumbsUp))), ErrorCode::NotFound);
        QCOMPARE(seqOf(bob->request(req::unreact(room, msg, ThumbsUp))), 6);
        QCOMPARE(errorOf(bob->request(req::unreact(room, msg, ThumbsUp))), ErrorCode::NotFound);

        // 20 distinct keys, then a 21st is too many; an existing key still works.
        const QStringList keys {u"😀"_s, u"😁"_s, u"😂"_s, u"🤣"_s, u"😃"_s, u"😄"_s, u"😅"_s, u"😆"_s,
            u"😉"_s, u"😊"_s, u"😋"_s, u"😎"_s, u"😍"_s, u"😘"_s, u"🥰"_s, u"😗"_s, u"😙"_s, u"😚"_s,
            u"🙂"_s, u"🤗"_s, u"🤩"_s};
        for (int i = 0; i < 20; ++i)
            QVERIFY2(
                seqOf(ana->request(req::react(room, msg, keys.at(i)))) > 0, qPrintable(keys.at(i)));
        QCOMPARE(errorOf(bob->request(req::react(room, msg, keys.at(20)))), ErrorCode::TooLarge);
        const qint64 same = seqOf(bob->request(req::react(room, msg, keys.at(0))));
        QVERIFY(same > 0);
        const RoomEvent full = at(history(ana, room), msg);
        QCOMPARE(full.state.reactions.size(), 20);
        QCOMPARE(full.state.reactions.first().count, 2);
        QCOMPARE(full.state.reactions.first().users, (QStringList {u"ana"_s, u"bob"_s}));

        // Delete twice: the second answers the first's seq, nothing appended.
        const qint64 redact = seqOf(ana->request(req::redact(room, msg)));
        QCOMPARE(redact, same + 1);
        QCOMPARE(seqOf(ana->request(req::redact(room, msg))), redact);
        QCOMPARE(errorOf(bob->request(req::redact(room, msg))), ErrorCode::Forbidden);
        QCOMPARE(errorOf(ana->request(req::edit(room, msg, u"back"_s))), ErrorCode::NotFound);
        QCOMPARE(errorOf(bob->request(req::react(room, msg, Heart))), ErrorCode::NotFound);
        QCOMPARE(errorOf(bob->request(req::unreact(room, msg, keys.at(0)))), ErrorCode::NotFound);
        QCOMPARE(send(ana, room, u"r3"_s, u"next"_s), redact + 1);
    }

    void countsAcrossDevicesAfterChanges()
    {
        auto *ana = m_clients.registered(u"ana"_s);
        auto *bob = m_clients.registered(u"bob"_s);
        auto *cy = m_clients.registered(u"cy"_s);
        QVERIFY(ana && bob && cy);
        auto *ana2 = m_clients.signedIn(ana->token());
        auto *ana3 = m_clients.signedIn(ana->token());
        QVERIFY(ana2 && ana3);
        const qint64 room = sharedRoom(bob, ana, u"counts"_s);
        QVERIFY(room > 0 && succeeded(cy->request(req::join(room))));
        const qint64 first = send(bob, room, u"k1"_s, u"hi @ana"_s);
        const qint64 second = send(bob, room, u"k2"_s, u"and @cy"_s);
        QVERIFY(first > 0 && second > 0);
        QVERIFY(ana3->waitEvent(room, second) && cy->waitEvent(room, second));

        // Edits and reactions change no count and push nothing.
        QVERIFY(seqOf(bob->request(req::edit(room, second, u"and @cy and @ana"_s))) > 0);
        QVERIFY(seqOf(cy->request(req::react(room, first, ThumbsUp))) > 0);
        const qint64 react = seqOf(bob->request(req::react(room, second, Heart)));
        QVERIFY(react > 0);
        for (auto *c : {ana, ana2, ana3, cy})
            QVERIFY(c->waitEvent(room, react));
        const auto counted = ana->request(req::markRead(room, 3)); // her join
        QVERIFY(succeeded(counted));
        const auto before = protocol::ReadState::fromJson(counted->data());
        QVERIFY(before);
        QCOMPARE(before->unread, 2);
        QCOMPARE(before->mentions, 1);
        for (auto *c : {ana2, ana3})
            QVERIFY(waitUnread(c, room));
        for (auto *c : {ana, ana2, ana3, bob, cy}) {
            const auto pushes = c->pushes();
            for (const auto &f : pushes)
                QVERIFY2(f.type != ServerFrameType::Unread, qPrintable(c->user()));
        }

        // Redacting the mention lowers ana's counts on every device, and cy's unread.
        const qint64 redact = seqOf(bob->request(req::redact(room, first)));
        QVERIFY(redact > 0);
        for (auto *c : {ana, ana2, ana3}) {
            const auto state = waitUnread(c, room);
            QVERIFY2(state, qPrintable(c->user()));
            QCOMPARE(state->unread, 1);
            QCOMPARE(state->mentions, 0);
            QCOMPARE(state->readSeq, before->readSeq);
        }
        const auto cyState = waitUnread(cy, room);
        QVERIFY(cyState);
        QCOMPARE(cyState->unread, 1);
        QCOMPARE(cyState->mentions, 1);
        // The sender's own message never counted for him.
        QVERIFY(bob->waitEvent(room, redact));
        QVERIFY(!bob->waitPush(
            [](const protocol::ServerFrame &f) { return f.type == ServerFrameType::Unread; }, 200));

        // A new device sees the same counts in its summary.
        auto *ana4 = m_clients.signedIn(ana->token());
        QVERIFY(ana4);
        const QJsonArray rooms = ana4->session().value("rooms"_L1).toArray();
        QCOMPARE(rooms.size(), 1);
        QCOMPARE(rooms.first().toObject().value("unread"_L1).toInt(), 1);
        QCOMPARE(rooms.first().toObject().value("mentions"_L1).toInt(), 0);

        // A redaction above nobody's read position pushes nothing to those who read it.
        QVERIFY(succeeded(cy->request(req::markRead(room, 100))));
        cy->clearPushes();
        QVERIFY(seqOf(bob->request(req::redact(room, second))) > 0);
        QVERIFY(waitUnread(ana4, room));
        QVERIFY(!cy->waitPush(
            [](const protocol::ServerFrame &f) { return f.type == ServerFrameType::Unread; }, 200));
    }

    void resumeAcrossADropBetweenAMessageAndItsEdit()
    {
        auto *ana = m_clients.registered(u"ana"_s);
        auto *bob = m_clients.registered(u"bob"_s);
        QVERIFY(ana && bob);
        const qint64 room = sharedRoom(ana, bob, u"resume"_s);
        QVERIFY(room > 0);
        const qint64 msg = send(bob, room, u"s1"_s, u"draft"_s);
        QVERIFY(ana->waitEvent(room, msg));
        const QString token = ana->token();
        ana->disconnectNow();

        const qint64 edit = seqOf(bob->request(req::edit(room, msg, u"final"_s)));
        const qint64 react = seqOf(bob->request(req::react(room, msg, ThumbsUp)));
        QVERIFY(edit > msg && react == edit + 1);

        auto *back = m_clients.signedIn(token);
        QVERIFY(back);
        const auto synced = back->request(req::sync({{room, msg}}));
        QVERIFY(succeeded(synced));
        const auto sync = protocol::SyncResult::fromJson(synced->data());
        QVERIFY(sync && sync->rooms.size() == 1);
        const QList<RoomEvent> missed = sync->rooms.first().events;
        QCOMPARE(missed.size(), 2);
        QCOMPARE(missed.at(0).kind, EventKind::Edit);
        QCOMPARE(missed.at(0).target, msg);
        QCOMPARE(missed.at(0).text, u"final"_s);
        QCOMPARE(missed.at(1).kind, EventKind::React);
        QCOMPARE(missed.at(1).key, ThumbsUp);
        QVERIFY(!sync->rooms.first().gap);

        // The target, loaded later, already includes both: changedSeq says so.
        const RoomEvent m = at(history(back, room), msg);
        QCOMPARE(m.text, u"final"_s);
        QCOMPARE(m.state.changedSeq, react);
        QCOMPARE(m.state.editedAt, missed.at(0).timestamp);
        QCOMPARE(m.state.reactions, (QList<protocol::Reaction> {{ThumbsUp, 1, {u"bob"_s}}}));
        // A cursor before the message gets it with its state and the changes after it.
        const auto older = back->request(req::sync({{room, msg - 1}}));
        const auto olderSync = protocol::SyncResult::fromJson(older->data());
        QVERIFY(olderSync);
        QCOMPARE(olderSync->rooms.first().events.size(), 3);
        QCOMPARE(olderSync->rooms.first().events.first(), m);
    }

    void redactionLeavesNoCopyInTheFiles()
    {
        if (test::TestServer::onPostgres())
            QSKIP("SQLite's files only: PostgreSQL keeps a redacted row's old version until "
                  "VACUUM (docs/postgresql.md)");
        m_server->config().redactionPurgeDelayS = 0;
        QVERIFY(m_server->restart());
        auto *ana = m_clients.registered(u"ana"_s);
        QVERIFY(ana);
        const qint64 room = test::createRoom(ana, u"secrets"_s);
        QVERIFY(room > 0);
        const QByteArray marker = "zqxjvkwplorbmfhty";
        const QByteArray edited = "ypwqzvkxjmrbnhlgt";
        const qint64 msg
            = send(ana, room, u"p1"_s, u"the code is "_s + QString::fromLatin1(marker));
        QVERIFY(msg > 0);
        QVERIFY(
            seqOf(ana->request(req::edit(room, msg, u"no, it is "_s + QString::fromLatin1(edited))))
            > 0);
        // Other messages keep their place in the indexes.
        QVERIFY(send(ana, room, u"p2"_s, u"keep this one"_s) > 0);
        QVERIFY(databaseContains(marker));
        QVERIFY(databaseContains(edited));

        QVERIFY(seqOf(ana->request(req::redact(room, msg))) > 0);
        // The purge runs at once with a delay of 0: the indexes merged, the log truncated.
        QTRY_VERIFY_WITH_TIMEOUT(!databaseContains(marker) && !databaseContains(edited), 10000);
        m_clients.clear();
        m_server->stop();
        QVERIFY(!databaseContains(marker));
        QVERIFY(!databaseContains(edited));
        QVERIFY(databaseContains("keep this one"));
    }

    void redactionIsPurgedWhenTheServerStops()
    {
        if (test::TestServer::onPostgres())
            QSKIP("SQLite's files only: PostgreSQL keeps a redacted row's old version until "
                  "VACUUM (docs/postgresql.md)");
        // A purge still waiting for its delay runs on a clean shutdown.
        m_server->config().redactionPurgeDelayS = 86'400;
        QVERIFY(m_server->restart());
        auto *ana = m_clients.registered(u"ana"_s);
        QVERIFY(ana);
        const qint64 room = test::createRoom(ana, u"late"_s);
        QVERIFY(room > 0);
        const QByteArray marker = "qvtzkrwxjplmbfyhd";
        const qint64 msg = send(ana, room, u"q1"_s, QString::fromLatin1(marker));
        QVERIFY(msg > 0);
        QVERIFY(seqOf(ana->request(req::redact(room, msg))) > 0);
        m_clients.clear();
        m_server->stop();
        QVERIFY(!databaseContains(marker));
    }

    void hostileFields()
    {
        auto *ana = m_clients.registered(u"ana"_s);
        QVERIFY(ana);
        const qint64 room = test::createRoom(ana, u"hostile"_s);
        const qint64 msg = send(ana, room, u"h1"_s, u"target"_s);
        QVERIFY(msg > 0);
        // $R is the room, $M the message's seq, $BIG 2^53, $HUGE 20,000 characters.
        const QList<std::pair<QString, ErrorCode>> cases {
            {uR"({"type":"edit","room":$R,"target":"$M","text":"x"})"_s, ErrorCode::BadRequest},
            {uR"({"type":"edit","room":$R,"text":"x"})"_s, ErrorCode::BadRequest},
            {uR"({"type":"edit","room":$R,"target":$M})"_s, ErrorCode::BadRequest},
            {uR"({"type":"edit","room":$R,"target":$M,"text":5})"_s, ErrorCode::BadRequest},
            {uR"({"type":"edit","room":$R,"target":$M,"text":""})"_s, ErrorCode::BadRequest},
            {uR"({"type":"edit","room":$R,"target":$M,"text":"  "})"_s, ErrorCode::BadRequest},
            {uR"({"type":"edit","room":$R,"target":$M,"text":"$HUGE"})"_s, ErrorCode::TooLarge},
            {uR"({"type":"edit","room":$R,"target":0,"text":"x"})"_s, ErrorCode::BadRequest},
            {uR"({"type":"edit","room":$R,"target":-4,"text":"x"})"_s, ErrorCode::BadRequest},
            {uR"({"type":"edit","room":$R,"target":$BIG,"text":"x"})"_s, ErrorCode::BadRequest},
            {uR"({"type":"edit","room":$R,"target":4.5,"text":"x"})"_s, ErrorCode::BadRequest},
            {uR"({"type":"edit","room":$R,"target":null,"text":"x"})"_s, ErrorCode::BadRequest},
            {uR"({"type":"edit","room":$R,"target":$M,"text":"x","thread":1})"_s,
                ErrorCode::BadRequest},
            {uR"({"type":"redact","room":$R,"target":[$M]})"_s, ErrorCode::BadRequest},
            {uR"({"type":"redact","room":$R})"_s, ErrorCode::BadRequest},
            {uR"({"type":"redact","target":$M})"_s, ErrorCode::BadRequest},
            {uR"({"type":"redact","room":"$R","target":$M})"_s, ErrorCode::BadRequest},
            {uR"({"type":"react","room":$R,"target":$M,"key":"a"})"_s, ErrorCode::BadRequest},
            {uR"({"type":"react","room":$R,"target":$M,"key":"👍👍"})"_s, ErrorCode::BadRequest},
            {uR"({"type":"react","room":$R,"target":$M,"key":"👍x"})"_s, ErrorCode::BadRequest},
            {uR"({"type":"react","room":$R,"target":$M,"key":""})"_s, ErrorCode::BadRequest},
            {uR"({"type":"react","room":$R,"target":$M,"key":1})"_s, ErrorCode::BadRequest},
            {uR"({"type":"react","room":$R,"target":$M,"key":{"k":"👍"}})"_s, ErrorCode::BadRequest},
            {uR"({"type":"react","room":$R,"target":$M})"_s, ErrorCode::BadRequest},
            {uR"({"type":"react","room":$R,"target":$M,"key":"$HUGE"})"_s, ErrorCode::TooLarge},
            {uR"({"type":"unreact","room":$R,"target":$M,"key":"x"})"_s, ErrorCode::BadRequest},
            {uR"({"type":"unreact","room":$R,"target":"1","key":"👍"})"_s, ErrorCode::BadRequest},
            {uR"({"type":"send","room":$R,"txn":"h2","text":"x","replyTo":"$M"})"_s,
                ErrorCode::BadRequest},
            {uR"({"type":"send","room":$R,"txn":"h3","text":"x","replyTo":0})"_s,
                ErrorCode::BadRequest},
            {uR"({"type":"send","room":$R,"txn":"h4","text":"x","replyTo":$BIG})"_s,
                ErrorCode::BadRequest},
            {uR"({"type":"context","room":$R,"seq":"$M"})"_s, ErrorCode::BadRequest},
            {uR"({"type":"context","room":$R})"_s, ErrorCode::BadRequest},
            {uR"({"type":"context","room":$R,"seq":$M,"limit":0})"_s, ErrorCode::BadRequest},
            {uR"({"type":"context","room":$R,"seq":$M,"limit":100000})"_s, ErrorCode::BadRequest},
            {uR"({"type":"context","room":$R,"seq":0})"_s, ErrorCode::BadRequest},
        };
        for (const auto &[text, expected] : cases) {
            QString frame = text;
            frame.replace(u"$R"_s, QString::number(room))
                .replace(u"$M"_s, QString::number(msg))
                .replace(u"$BIG"_s, QString::number(qint64(1) << 53))
                .replace(u"$HUGE"_s, QString(20000, u'x'));
            const QJsonObject fields = QJsonDocument::fromJson(frame.toUtf8()).object();
            QVERIFY2(!fields.isEmpty(), qPrintable(text));
            const auto reply = raw(ana, fields);
            QVERIFY2(reply, qPrintable(text));
            QVERIFY2(reply->type == ServerFrameType::Error, qPrintable(text));
            QVERIFY2(reply->error == expected,
                qPrintable(text + u" got "_s + reply->body.value("code"_L1).toString()));
        }
        // Nothing of it reached the log: the next message takes the next seq.
        QCOMPARE(send(ana, room, u"h5"_s, u"still here"_s), msg + 1);
        const RoomEvent m = at(history(ana, room), msg);
        QCOMPARE(m.text, u"target"_s);
        QCOMPARE(m.state, protocol::MessageState {});
    }
};

CONFAB_SERVER_TEST_MAIN(TestConversations)
#include "tst_conversations.moc"
