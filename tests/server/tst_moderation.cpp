// SPDX-License-Identifier: GPL-3.0-or-later
// Moderation (§17.4): kick, ban, unban, mute and unmute over real sockets, who may do them
// to whom, what a removed user still receives (nothing), and ranks changing under fire.
#include "admin/admincommands.h"
#include "clientpool.h"
#include "protocol/teamrequests.h"
#include "testclient.h"
#include "testserver.h"
#include "uploadhelpers.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QSet>
#include <QTextStream>
#include <QtTest>
#include <memory>

using namespace Qt::StringLiterals;
using namespace confab;
using protocol::ErrorCode;
using protocol::EventKind;
using protocol::RoomRole;
using protocol::ServerFrame;
using protocol::ServerFrameType;
namespace req = protocol::requests;

namespace {
bool ok(const std::optional<ServerFrame> &f)
{
    return f && f->type == ServerFrameType::Result;
}

QString answer(const std::optional<ServerFrame> &f)
{
    if (!f)
        return u"no reply"_s;
    return f->type == ServerFrameType::Result ? u"ok"_s : protocol::errorCodeName(f->error);
}

qint64 seqOf(const std::optional<ServerFrame> &f)
{
    return f ? qint64(f->data().value("seq"_L1).toDouble()) : 0;
}

// The room a push is about, whatever its kind; 0 for pushes about no room.
qint64 roomOf(const ServerFrame &f)
{
    if (const auto e = f.roomEvent())
        return e->room;
    if (f.body.value("room"_L1).isObject())
        return qint64(f.body.value("room"_L1).toObject().value("id"_L1).toDouble());
    return qint64(f.body.value("room"_L1).toDouble());
}
} // namespace

class TestModeration : public QObject
{
    Q_OBJECT

private:
    std::unique_ptr<test::TestServer> m_server;
    test::ClientPool m_clients {[this] { return m_server->url(); }};
    test::TestClient *m_root = nullptr; // the first account: an admin
    test::TestClient *m_ana = nullptr; // the channel's owner
    test::TestClient *m_mod = nullptr; // a moderator
    test::TestClient *m_bob = nullptr; // a member who watches
    qint64 m_room = 0;

    /*! \brief A user who joined the channel, with \a connections connections. */
    QList<test::TestClient *> member(const QString &name, int connections = 1)
    {
        QList<test::TestClient *> all;
        auto *first = m_clients.registered(name);
        if (!first || !ok(first->request(req::join(m_room))))
            return {};
        all.append(first);
        while (all.size() < connections) {
            auto *more = m_clients.signedIn(first->token());
            if (!more)
                return {};
            all.append(more);
        }
        return all;
    }

    /*! \brief Runs an operator subcommand in-process, against the running server's data. */
    int admin(const QStringList &args)
    {
        QString inText;
        QString outText;
        QTextStream in(&inText, QIODevice::ReadOnly);
        QTextStream out(&outText, QIODevice::WriteOnly);
        QTextStream err(&outText, QIODevice::WriteOnly);
        return server::admin::run(m_server->config(), args, in, out, err);
    }

    /*! \brief root (admin), ana (owner of m_room), mod (its moderator) and bob (a member). */
    void setUpRoom()
    {
        m_root = m_clients.registered(u"root"_s);
        m_ana = m_clients.registered(u"ana"_s);
        QVERIFY(m_root && m_ana);
        m_room = test::createRoom(m_ana, u"club"_s);
        QVERIFY(m_room);
        const auto mod = member(u"mod"_s);
        const auto bob = member(u"bob"_s);
        QVERIFY(!mod.isEmpty() && !bob.isEmpty());
        m_mod = mod.first();
        m_bob = bob.first();
        QCOMPARE(
            answer(m_ana->request(req::setRole(m_room, u"mod"_s, RoomRole::Moderator))), u"ok"_s);
    }

private Q_SLOTS:
    void init()
    {
        m_server = std::make_unique<test::TestServer>();
        m_server->config().limits.typingTtlMs = 5000;
        QVERIFY(m_server->start());
        setUpRoom();
    }
    void cleanup()
    {
        m_clients.clear();
        m_server.reset();
    }

    void kickedAndBannedReceiveNothingMore()
    {
        const auto kim = member(u"kim"_s, 2);
        const auto bea = member(u"bea"_s, 2);
        auto *cat = m_clients.registered(u"cat"_s);
        QVERIFY(kim.size() == 2 && bea.size() == 2 && cat);
        QVERIFY(ok(cat->request(req::join(m_room))));
        QVERIFY(ok(m_ana->request(req::send(m_room, u"t0"_s, u"before psst"_s))));

        const auto kicked = m_mod->request(req::kick(m_room, u"KIM"_s, u"spam"_s));
        QCOMPARE(answer(kicked), u"ok"_s);
        // Every connection of the kicked user gets the event, like a leave.
        for (auto *c : kim) {
            const auto e = c->waitEvent(m_room, seqOf(kicked));
            QVERIFY(e);
            QCOMPARE(e->kind, EventKind::Kick);
            QCOMPARE(e->user, u"kim"_s);
            QCOMPARE(e->reason, u"spam"_s);
            QCOMPARE(e->sender, u"mod"_s);
        }
        const auto banned = m_mod->request(req::ban(m_room, u"bea"_s));
        QCOMPARE(answer(banned), u"ok"_s);
        for (auto *c : bea) {
            const auto e = c->waitEvent(m_room, seqOf(banned));
            QVERIFY(e);
            QCOMPARE(e->kind, EventKind::Ban);
            QCOMPARE(e->until, 0);
        }
        QVERIFY(m_bob->waitEvent(m_room, seqOf(banned)));
        const auto timed = m_mod->request(req::ban(m_room, u"cat"_s, u"cool off"_s, 1));
        QCOMPARE(answer(timed), u"ok"_s);
        const auto timedEvent = m_bob->waitEvent(m_room, seqOf(timed));
        QVERIFY(timedEvent);
        QCOMPARE(timedEvent->until, timedEvent->timestamp + 1000);
        for (auto *c : kim + bea)
            c->clearPushes();

        // The room carries on: messages, typing, a topic, a file, a redaction, presence.
        QVERIFY(ok(m_bob->request(req::typing(m_room, true))));
        const auto psst = m_ana->request(req::send(m_room, u"t1"_s, u"psst after"_s));
        QVERIFY(ok(psst));
        QVERIFY(ok(m_ana->request(req::setTopic(m_room, u"new topic"_s))));
        const auto file = test::uploadFile(m_ana, u"notes.txt"_s, "secret notes");
        QVERIFY(file);
        const auto attached
            = m_ana->request(req::send(m_room, u"t2"_s, u"psst file"_s, 0, {file->id}));
        QVERIFY(ok(attached));
        QVERIFY(ok(m_ana->request(req::redact(m_room, seqOf(psst)))));
        m_bob->disconnectNow();
        auto *bob = m_clients.connectClient();
        QVERIFY(bob && bob->login(u"bob"_s));
        m_bob = bob;
        QVERIFY(m_ana->waitPush([](const ServerFrame &f) {
            return f.type == ServerFrameType::Presence
                && f.body.value("online"_L1).toArray().contains(u"bob"_s);
        }));
        const auto last = m_ana->request(req::send(m_room, u"t3"_s, u"last"_s));
        QVERIFY(ok(last));
        QVERIFY(m_ana->waitEvent(m_room, seqOf(last)));

        for (auto *c : kim + bea) {
            // Replies are in order: once this one is here, every broadcast before it is too.
            QVERIFY(ok(c->request(req::ping())));
            for (const ServerFrame &f : c->pushes()) {
                const QByteArray text = QJsonDocument(f.body).toJson(QJsonDocument::Compact);
                // A public channel's directory entry goes to everyone signed in (§6.6).
                if (f.type == ServerFrameType::Directory)
                    continue;
                QVERIFY2(roomOf(f) != m_room, text.constData());
                QVERIFY2(f.type != ServerFrameType::Typing, text.constData());
                QVERIFY2(f.type != ServerFrameType::Presence, text.constData());
            }
            const auto found = c->request(req::search({u"psst"_s, 0, {}, 0, 0}, 20));
            QVERIFY(ok(found));
            QCOMPARE(found->data().value("hits"_L1).toArray().size(), 0);
            QCOMPARE(answer(c->request(req::search({u"psst"_s, m_room, {}, 0, 0}, 20))),
                u"not_member"_s);
            QCOMPARE(answer(c->request(req::download(file->id))), u"not_found"_s);
            QCOMPARE(answer(c->request(req::historyAfter(m_room, 0, 50))), u"not_member"_s);
        }

        // A ban refuses join, with until when it ends; a kick does not.
        const auto refused = bea.first()->request(req::join(m_room));
        QCOMPARE(answer(refused), u"banned"_s);
        QVERIFY(!refused->body.contains("until"_L1));
        const auto timedRefusal = cat->request(req::join(m_room));
        if (QDateTime::currentMSecsSinceEpoch() < timedEvent->until) {
            QCOMPARE(answer(timedRefusal), u"banned"_s);
            QCOMPARE(qint64(timedRefusal->body.value("until"_L1).toDouble()), timedEvent->until);
        }
        QTRY_COMPARE_WITH_TIMEOUT(answer(cat->request(req::join(m_room))), u"ok"_s, 3000);
        QCOMPARE(answer(kim.first()->request(req::join(m_room))), u"ok"_s);

        // unban lifts it; a second unban finds nothing to lift, nor one of an ended ban.
        QCOMPARE(answer(m_mod->request(req::unban(m_room, u"bea"_s))), u"ok"_s);
        QCOMPARE(answer(m_mod->request(req::unban(m_room, u"bea"_s))), u"not_found"_s);
        QCOMPARE(answer(m_mod->request(req::unban(m_room, u"cat"_s))), u"not_found"_s);
        QCOMPARE(answer(bea.first()->request(req::join(m_room))), u"ok"_s);
    }

    void banOfANonMemberAndNotFound()
    {
        auto *eve = m_clients.registered(u"eve"_s);
        QVERIFY(eve);
        QCOMPARE(answer(m_mod->request(req::kick(m_room, u"eve"_s))), u"not_found"_s);
        QCOMPARE(answer(m_mod->request(req::mute(m_room, u"eve"_s))), u"not_found"_s);
        QCOMPARE(answer(m_mod->request(req::kick(m_room, u"nobody"_s))), u"not_found"_s);
        QCOMPARE(answer(m_mod->request(req::unmute(m_room, u"bob"_s))), u"not_found"_s);
        // A user who is not a member can be banned, and then cannot join.
        QCOMPARE(
            answer(m_mod->request(req::ban(m_room, u"eve"_s, u"pre-emptive"_s, 3600))), u"ok"_s);
        const auto refused = eve->request(req::join(m_room));
        QCOMPARE(answer(refused), u"banned"_s);
        QVERIFY(refused->body.value("until"_L1).toDouble() > 0);
        // A direct room has no moderation.
        const auto direct = m_ana->request(req::openDirect(u"bob"_s));
        QVERIFY(ok(direct));
        const qint64 dm
            = qint64(direct->data().value("room"_L1).toObject().value("id"_L1).toDouble());
        QCOMPARE(answer(m_ana->request(req::kick(dm, u"bob"_s))), u"forbidden"_s);
    }

    void muteBlocksSpeakingUntilUnmuted()
    {
        const auto sent = m_bob->request(req::send(m_room, u"b1"_s, u"hello"_s));
        QVERIFY(ok(sent));
        const auto muted = m_mod->request(req::mute(m_room, u"bob"_s, u"calm down"_s));
        QCOMPARE(answer(muted), u"ok"_s);
        const auto e = m_bob->waitEvent(m_room, seqOf(muted));
        QVERIFY(e && e->kind == EventKind::Mute && e->until == 0);

        const auto refused = m_bob->request(req::send(m_room, u"b2"_s, u"let me talk"_s));
        QCOMPARE(answer(refused), u"muted"_s);
        QVERIFY(!refused->body.contains("until"_L1));
        QCOMPARE(answer(m_bob->request(req::typing(m_room, true))), u"muted"_s);
        QCOMPARE(answer(m_bob->request(req::edit(m_room, seqOf(sent), u"x"_s))), u"muted"_s);
        QCOMPARE(answer(m_bob->request(req::react(m_room, seqOf(sent), u"👍"_s))), u"muted"_s);
        QCOMPARE(answer(m_bob->request(req::unreact(m_room, seqOf(sent), u"👍"_s))), u"muted"_s);
        QCOMPARE(answer(m_bob->request(req::setTopic(m_room, u"mine"_s))), u"muted"_s);
        // Reading, and deleting one's own message, stay allowed.
        QCOMPARE(answer(m_bob->request(req::historyAfter(m_room, 0, 50))), u"ok"_s);
        QCOMPARE(answer(m_bob->request(req::redact(m_room, seqOf(sent)))), u"ok"_s);

        // A timed mute says when it ends; it replaces the open-ended one.
        const auto timed = m_mod->request(req::mute(m_room, u"bob"_s, {}, 60));
        QCOMPARE(answer(timed), u"ok"_s);
        const auto timedEvent = m_mod->waitEvent(m_room, seqOf(timed));
        QVERIFY(timedEvent);
        QCOMPARE(timedEvent->until, timedEvent->timestamp + 60000);
        const auto until = m_bob->request(req::send(m_room, u"b3"_s, u"now?"_s));
        QCOMPARE(answer(until), u"muted"_s);
        QCOMPARE(qint64(until->body.value("until"_L1).toDouble()), timedEvent->until);
        const auto typingUntil = m_bob->request(req::typing(m_room, true));
        QCOMPARE(qint64(typingUntil->body.value("until"_L1).toDouble()), timedEvent->until);

        // A mute survives leaving and joining again.
        QVERIFY(ok(m_bob->request(req::leave(m_room))));
        QVERIFY(ok(m_bob->request(req::join(m_room))));
        QCOMPARE(answer(m_bob->request(req::send(m_room, u"b4"_s, u"again"_s))), u"muted"_s);

        QCOMPARE(answer(m_mod->request(req::unmute(m_room, u"bob"_s))), u"ok"_s);
        QCOMPARE(answer(m_bob->request(req::send(m_room, u"b5"_s, u"thanks"_s))), u"ok"_s);
        QCOMPARE(answer(m_bob->request(req::typing(m_room, true))), u"ok"_s);
        QCOMPARE(answer(m_mod->request(req::unmute(m_room, u"bob"_s))), u"not_found"_s);
    }

    void ranksDecideWhoMayActOnWhom()
    {
        const auto other = member(u"other"_s);
        QVERIFY(!other.isEmpty());
        QVERIFY(ok(m_ana->request(req::setRole(m_room, u"other"_s, RoomRole::Moderator))));
        // A moderator cannot touch the owner, another moderator, or themselves.
        for (const QString &target : {u"ana"_s, u"other"_s, u"mod"_s}) {
            QCOMPARE(answer(m_mod->request(req::kick(m_room, target))), u"forbidden"_s);
            QCOMPARE(answer(m_mod->request(req::ban(m_room, target))), u"forbidden"_s);
            QCOMPARE(answer(m_mod->request(req::mute(m_room, target))), u"forbidden"_s);
        }
        // A member cannot moderate at all.
        QCOMPARE(answer(m_bob->request(req::kick(m_room, u"mod"_s))), u"forbidden"_s);
        QCOMPARE(answer(m_bob->request(req::mute(m_room, u"other"_s))), u"forbidden"_s);
        // The owner can kick a moderator; an admin can kick the owner.
        QCOMPARE(answer(m_ana->request(req::kick(m_room, u"other"_s))), u"ok"_s);
        QVERIFY(ok(m_root->request(req::join(m_room))));
        const auto kicked = m_root->request(req::kick(m_room, u"ana"_s, u"owner out"_s));
        QCOMPARE(answer(kicked), u"ok"_s);
        QVERIFY(m_ana->waitEvent(m_room, seqOf(kicked)));
        QCOMPARE(answer(m_ana->request(req::send(m_room, u"a1"_s, u"hi"_s))), u"not_member"_s);
        // Nobody outranks an admin.
        QCOMPARE(answer(m_mod->request(req::kick(m_room, u"root"_s))), u"forbidden"_s);
    }

    void operatorsSetAdminRanksTargetsAtOnce()
    {
        QVERIFY(ok(m_root->request(req::join(m_room))));
        // The operator makes bob an admin and root none; the running server has not polled
        // admin_log yet, and the requests that follow must already see it (§17.1).
        QCOMPARE(admin({u"set-admin"_s, u"bob"_s, u"on"_s}), 0);
        QCOMPARE(admin({u"set-admin"_s, u"root"_s, u"off"_s}), 0);
        QCOMPARE(answer(m_mod->request(req::kick(m_room, u"bob"_s))), u"forbidden"_s);
        QCOMPARE(answer(m_mod->request(req::mute(m_room, u"bob"_s))), u"forbidden"_s);
        QCOMPARE(answer(m_ana->request(req::ban(m_room, u"bob"_s))), u"forbidden"_s);
        QCOMPARE(answer(m_ana->request(req::setRole(m_room, u"bob"_s, RoomRole::Moderator))),
            u"forbidden"_s);
        QCOMPARE(answer(m_mod->request(req::mute(m_room, u"root"_s))), u"ok"_s);
        QCOMPARE(
            answer(m_ana->request(req::setRole(m_room, u"root"_s, RoomRole::Moderator))), u"ok"_s);
        QCOMPARE(answer(m_ana->request(req::kick(m_room, u"root"_s))), u"ok"_s);
    }

    void moderatorsRedactAnyMessage()
    {
        const auto bobs = m_bob->request(req::send(m_room, u"r1"_s, u"rude"_s));
        QVERIFY(ok(bobs));
        const auto mods = m_mod->request(req::send(m_room, u"r2"_s, u"a moderator's"_s));
        QVERIFY(ok(mods));
        QCOMPARE(answer(m_bob->request(req::redact(m_room, seqOf(mods)))), u"forbidden"_s);
        const auto redacted = m_mod->request(req::redact(m_room, seqOf(bobs)));
        QCOMPARE(answer(redacted), u"ok"_s);
        const auto e = m_bob->waitEvent(m_room, seqOf(redacted));
        QVERIFY(e);
        QCOMPARE(e->kind, EventKind::Redact);
        QCOMPARE(e->sender, u"mod"_s);
        QCOMPARE(e->target, seqOf(bobs));
        // The owner outranks the moderator's messages too.
        QCOMPARE(answer(m_ana->request(req::redact(m_room, seqOf(mods)))), u"ok"_s);
    }

    void demotionRacesWithKicksAndSends()
    {
        constexpr int Kicks = 25;
        QStringList targets;
        for (int i = 0; i < Kicks; ++i) {
            targets.append(u"t%1"_s.arg(i));
            QVERIFY(!member(targets.last()).isEmpty());
        }
        // The moderator fires 50 requests without waiting; the owner demotes them meanwhile.
        QSet<QString> ids;
        for (int i = 0; i < Kicks; ++i) {
            const QString kick = u"kick%1"_s.arg(i);
            const QString send = u"send%1"_s.arg(i);
            ids << kick << send;
            m_mod->sendRaw(QString::fromUtf8(req::kick(m_room, targets[i]).encode(kick)));
            m_mod->sendRaw(
                QString::fromUtf8(req::send(m_room, send, u"message %1"_s.arg(i)).encode(send)));
            // The first third is on the wire before the demotion, the rest right after it:
            // some of those pass the handler's look at the ranks and meet the committed
            // demotion in their transaction.
            if (i == Kicks / 3) {
                m_mod->socket().flush();
                m_ana->socket().sendTextMessage(QString::fromUtf8(
                    req::setRole(m_room, u"mod"_s, RoomRole::Member).encode(u"demote"_s)));
                m_ana->socket().flush();
            }
        }
        QVERIFY(test::TestClient::waitUntil(
            [&] { return m_mod->strayReplies().size() >= 2 * Kicks; }, 20000));
        QVERIFY(
            test::TestClient::waitUntil([&] { return !m_ana->strayReplies().isEmpty(); }, 20000));
        QCOMPARE(answer(m_ana->strayReplies().first()), u"ok"_s);
        QVERIFY(ok(m_mod->request(req::ping())));
        // Exactly one reply each.
        QMap<QString, ServerFrame> replies;
        for (const ServerFrame &f : m_mod->strayReplies()) {
            QVERIFY2(!replies.contains(f.id.toString()), qPrintable(f.id.toString()));
            replies.insert(f.id.toString(), f);
        }
        QCOMPARE(QSet<QString>(replies.keyBegin(), replies.keyEnd()), ids);

        // The log: the role event splits the kicks; each kick applied before it, none after,
        // and every kicked user is out of the member list while the others stay.
        const qint64 roleSeq = seqOf(m_ana->strayReplies().first());
        QSet<QString> kickedBefore;
        for (int i = 0; i < Kicks; ++i) {
            const ServerFrame &kick = replies.value(u"kick%1"_s.arg(i));
            if (kick.type == ServerFrameType::Result) {
                QVERIFY(seqOf(kick) < roleSeq);
                kickedBefore.insert(targets[i]);
            } else {
                QCOMPARE(kick.error, ErrorCode::Forbidden);
            }
            QCOMPARE(answer(replies.value(u"send%1"_s.arg(i))), u"ok"_s);
        }
        QList<protocol::RoomEvent> log;
        for (bool more = true; more;) {
            const auto page = m_ana->request(
                req::historyAfter(m_room, log.isEmpty() ? 0 : log.last().seq, 100));
            QVERIFY(ok(page));
            for (const auto &v : page->data().value("events"_L1).toArray()) {
                const auto e = protocol::RoomEvent::fromJson(v.toObject());
                QVERIFY(e);
                log.append(*e);
            }
            more = page->data().value("hasMore"_L1).toBool();
        }
        QSet<QString> kickedInLog;
        QSet<QString> joined;
        for (const auto &event : std::as_const(log)) {
            const auto *e = &event;
            if (e->kind == EventKind::Join)
                joined.insert(e->sender);
            if (e->kind == EventKind::Kick) {
                // Removed after its event: they were a member up to it.
                QVERIFY(joined.contains(e->user));
                QVERIFY(e->seq < roleSeq);
                kickedInLog.insert(e->user);
            }
        }
        QCOMPARE(kickedInLog, kickedBefore);
        const auto members = m_ana->request(req::members(m_room));
        QVERIFY(ok(members));
        QSet<QString> listed;
        for (const auto &m : members->data().value("members"_L1).toArray())
            listed.insert(m.toObject().value("user"_L1).toString());
        for (const QString &t : targets)
            QCOMPARE(listed.contains(t), !kickedBefore.contains(t));
        // Demoted: no more moderation.
        QCOMPARE(answer(m_mod->request(req::kick(m_room, u"bob"_s))), u"forbidden"_s);
    }
};

CONFAB_SERVER_TEST_MAIN(TestModeration)
#include "tst_moderation.moc"
