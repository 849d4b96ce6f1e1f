// SPDX-License-Identifier: GPL-3.0-or-later
// The real confabd binary killed with SIGKILL at random moments while clients
// keep sending: nothing acknowledged may be lost, duplicated or changed.
#include "reliability.h"
#include "resumeclient.h"
#include "testclient.h"

#include <QElapsedTimer>
#include <QJsonArray>
#include <QSqlQuery>
#include <QTemporaryDir>
#include <QtTest>
#include <memory>
#include <vector>

using namespace Qt::StringLiterals;
using namespace confab;
using protocol::ServerFrameType;
namespace req = protocol::requests;

namespace {
constexpr int MessageKind = int(protocol::EventKind::Message);

struct StoredMessage
{
    qint64 seq = 0;
    qint64 id = 0;
    qint64 ts = 0;
    int copies = 0;
};
} // namespace

class TestReliabilityCrash : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void acknowledgedMessagesSurviveRepeatedKillNine()
    {
        QTemporaryDir dir;
        test::ConfabdProcess server(QStringLiteral(CONFABD_PATH), dir.path());
        // The default rate limit would refuse most of the stream; this is about durability.
        // durability stays at its default, full.
        server.setSettings({u"rate_per_second=100000"_s, u"rate_burst=100000"_s});
        QVERIFY(server.start());

        const int senderCount = test::scaled(3, 4);
        QStringList tokens;
        qint64 room = 0;
        {
            test::TestClient owner;
            QVERIFY(owner.open(server.url()));
            QVERIFY(owner.registerUser(u"writer0"_s));
            const auto created = owner.request(req::createRoom(u"crash"_s));
            QVERIFY(created && created->type == ServerFrameType::Result);
            room = qint64(created->data().value("room"_L1).toObject().value("id"_L1).toDouble());
            tokens << owner.token();
            for (int i = 1; i <= senderCount; ++i) {
                test::TestClient c;
                QVERIFY(c.open(server.url()));
                const QString name = i < senderCount ? u"writer%1"_s.arg(i) : u"reader"_s;
                QVERIFY(c.registerUser(name));
                const auto joined = c.request(req::join(room));
                QVERIFY(joined && joined->type == ServerFrameType::Result);
                tokens << c.token();
            }
        }

        // senderCount writers, and one reader whose received timeline is checked too.
        std::vector<std::unique_ptr<test::ResumeClient>> clients;
        for (const QString &token : std::as_const(tokens)) {
            auto c = std::make_unique<test::ResumeClient>([&] { return server.url(); });
            c->setToken(token);
            c->setReconnectDelay(20);
            c->setWindow(24);
            c->follow(room, 0);
            c->connectToServer();
            clients.push_back(std::move(c));
        }
        test::ResumeClient &reader = *clients.back();
        for (int i = 0; i < senderCount; ++i)
            clients[size_t(i)]->autoSend(room, u"w%1-"_s.arg(i), 1'000'000'000);
        const auto allLive = [&] {
            return std::all_of(
                clients.begin(), clients.end(), [](const auto &c) { return c->isLive(); });
        };
        const auto ackCount = [&] {
            qint64 n = 0;
            for (const auto &c : clients)
                n += c->acks().size();
            return n;
        };

        const int kills = test::scaled(30, 120);
        int originalAcksChecked = 0;
        QElapsedTimer clock;
        clock.start();
        for (int k = 0; k < kills; ++k) {
            QVERIFY2(test::TestClient::waitUntil(allLive, 30000),
                qPrintable(u"clients did not resume after kill %1"_s.arg(k)));
            // Kill at a random moment, but only once this life has acknowledged something,
            // so that every kill lands in the middle of a stream of commits.
            const qint64 acksBefore = ackCount();
            const int delayMs = test::randomBetween(1, 250);
            QElapsedTimer life;
            life.start();
            QVERIFY(test::TestClient::waitUntil(
                [&] { return life.elapsed() >= delayMs && ackCount() > acksBefore; }, 30000));
            QVERIFY(server.kill9());
            {
                test::TestDatabase file(server.databasePath());
                QCOMPARE(file.integrityCheck(), u"ok"_s);
            }
            QVERIFY(server.start());

            // A resend of a transaction acknowledged before the crash returns the original ack.
            const int who = test::randomBetween(0, senderCount - 1);
            const auto &acks = clients[size_t(who)]->acks();
            if (!acks.isEmpty()) {
                // Copied out: the checker's event loop lets the writers add acks meanwhile.
                auto it = acks.cbegin();
                std::advance(it, test::randomBetween(0, int(acks.size()) - 1));
                const QString txn = it.key();
                const QJsonObject original = it.value();
                test::TestClient checker;
                QVERIFY(checker.open(server.url()));
                QVERIFY(checker.authenticate(tokens[who]));
                const auto again = checker.request(req::send(room, txn, u"changed"_s));
                QVERIFY(again && again->type == ServerFrameType::Result);
                QCOMPARE(again->data(), original);
                ++originalAcksChecked;
            }
        }

        // Stop producing; everything still in an outbox must get through.
        for (int i = 0; i < senderCount; ++i)
            clients[size_t(i)]->autoSend(room, u"w%1-"_s.arg(i), clients[size_t(i)]->autoSent());
        QVERIFY(test::TestClient::waitUntil(
            [&] {
                return allLive() && std::all_of(clients.begin(), clients.end(), [](const auto &c) {
                    return c->outboxSize() == 0;
                });
            },
            60000));
        qint64 lastSeq = 0;
        for (const auto &c : clients) {
            for (const auto &ack : c->acks())
                lastSeq = qMax(lastSeq, qint64(ack.value("seq"_L1).toDouble()));
        }
        QVERIFY(test::TestClient::waitUntil([&] { return reader.cursor(room) >= lastSeq; }, 30000));
        const double seconds = double(clock.elapsed()) / 1000;
        QVERIFY(server.terminate());

        test::TestDatabase file(server.databasePath());
        QCOMPARE(file.integrityCheck(), u"ok"_s);
        QHash<QString, StoredMessage> stored; // "user/txn"
        QSqlQuery q(file.db());
        QVERIFY(
            q.prepare(u"SELECT e.seq, e.id, e.ts, e.kind, u.name, e.txn FROM events e "
                      u"JOIN users u ON u.id = e.sender_id WHERE e.room_id = ? ORDER BY e.seq"_s));
        q.addBindValue(room);
        QVERIFY(q.exec());
        qint64 expectedSeq = 1;
        QMap<qint64, std::pair<qint64, QString>> log; // seq -> (id, txn)
        while (q.next()) {
            const qint64 seq = q.value(0).toLongLong();
            QCOMPARE(seq, expectedSeq++); // the log stays gap-free through every crash
            log.insert(seq, {q.value(1).toLongLong(), q.value(5).toString()});
            if (q.value(3).toInt() != MessageKind)
                continue;
            StoredMessage &m = stored[q.value(4).toString() + u'/' + q.value(5).toString()];
            m.seq = seq;
            m.id = q.value(1).toLongLong();
            m.ts = q.value(2).toLongLong();
            ++m.copies;
        }
        q.finish();

        qint64 checked = 0;
        for (int i = 0; i < senderCount; ++i) {
            const auto &c = *clients[size_t(i)];
            QVERIFY2(c.violations().isEmpty(), qPrintable(c.violations().join(u'\n')));
            // Every message this writer ever generated was acknowledged exactly once.
            QCOMPARE(qint64(c.acks().size()), qint64(c.autoSent()));
            for (auto it = c.acks().cbegin(); it != c.acks().cend(); ++it) {
                const QString key = u"writer%1/"_s.arg(i) + it.key();
                const auto m = stored.constFind(key);
                QVERIFY2(m != stored.cend(), qPrintable(u"acknowledged %1 was lost"_s.arg(key)));
                QCOMPARE(m->copies, 1);
                QCOMPARE(m->seq, qint64(it.value().value("seq"_L1).toDouble()));
                QCOMPARE(m->id, qint64(it.value().value("id"_L1).toDouble()));
                QCOMPARE(m->ts, qint64(it.value().value("ts"_L1).toDouble()));
                ++checked;
            }
        }
        QCOMPARE(qint64(stored.size()), checked); // nothing stored that nobody sent

        // What the reader saw through events, sync and history is exactly the log.
        QVERIFY2(reader.violations().isEmpty(), qPrintable(reader.violations().join(u'\n')));
        const auto seen = reader.timeline(room);
        QCOMPARE(seen.size(), log.size());
        for (auto it = log.cbegin(); it != log.cend(); ++it) {
            QVERIFY(seen.contains(it.key()));
            QCOMPARE(seen.value(it.key()).id, it.value().first);
            QCOMPARE(seen.value(it.key()).txn, it.value().second);
        }

        int lost = 0;
        int resends = 0;
        for (const auto &c : clients) {
            lost += c->lostAcks();
            resends += c->resends();
        }
        qInfo("%s mode: %d kills survived in %.1f s; %lld acknowledged messages checked "
              "(%d writers), log of %lld events; %d resends after reconnect, %d of them "
              "for messages stored but never acknowledged; %d original acks re-checked",
            test::longMode() ? "long" : "CI", kills, seconds, checked, senderCount,
            qint64(log.size()), resends, lost, originalAcksChecked);
        QVERIFY(checked > kills);
    }
};

QTEST_GUILESS_MAIN(TestReliabilityCrash)
#include "tst_reliability_crash.moc"
