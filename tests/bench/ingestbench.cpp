// SPDX-License-Identifier: GPL-3.0-or-later
// Durable ingest and broadcast latency of the server library on loopback.
// Prints figures; asserts nothing about time.
#include "chat/chatservice.h"
#include "testclient.h"
#include "testserver.h"

#include <QCommandLineParser>
#include <QCoreApplication>
#include <QElapsedTimer>
#include <QJsonDocument>
#include <QJsonObject>
#include <algorithm>
#include <memory>

using namespace Qt::StringLiterals;
using namespace confab;
namespace req = protocol::requests;

int main(int argc, char **argv)
{
    QCoreApplication app(argc, argv);
    QCommandLineParser parser;
    parser.addOptions({{u"messages"_s, u"Messages per sender."_s, u"n"_s, u"5000"_s},
        {u"senders"_s, u"Sending connections."_s, u"n"_s, u"4"_s},
        {u"durability"_s, u"full or normal."_s, u"mode"_s, u"full"_s},
        {u"words"_s, u"Words per message; 0 sends \"payload N\"."_s, u"n"_s, u"0"_s}});
    parser.process(app);
    const int perSender = parser.value(u"messages"_s).toInt();
    const int senders = parser.value(u"senders"_s).toInt();
    const int words = parser.value(u"words"_s).toInt();
    // Texts as long as people's (the search index's cost grows with them): pseudo-words
    // from a fixed 2,000-word vocabulary, different in every message.
    const auto text = [words](int i) {
        if (words <= 0)
            return u"payload %1"_s.arg(i);
        QStringList parts;
        quint32 x = quint32(i) * 2654435761u + 1;
        for (int w = 0; w < words; ++w) {
            x = x * 1664525u + 1013904223u;
            parts.append(u"w%1"_s.arg((x >> 8) % 2000, 0, 36));
        }
        return parts.join(u' ');
    };

    test::TestServer server;
    server.config().limits.ratePerSecond = 1'000'000;
    server.config().limits.rateBurst = 1'000'000;
    server.config().durability = parser.value(u"durability"_s) == "normal"_L1
        ? confab::server::Durability::Normal
        : confab::server::Durability::Full;
    if (!server.start())
        return 1;
    test::TestClient owner;
    if (!owner.open(server.url()) || !owner.registerUser(u"bench"_s))
        return 1;
    const auto created = owner.request(req::createRoom(u"bench"_s));
    const qint64 room
        = qint64(created->data().value("room"_L1).toObject().value("id"_L1).toDouble());

    std::vector<std::unique_ptr<test::TestClient>> clients;
    for (int s = 0; s < senders; ++s) {
        clients.push_back(std::make_unique<test::TestClient>());
        if (!clients.back()->open(server.url()) || !clients.back()->authenticate(owner.token()))
            return 1;
    }
    // Phase 1: every sender pipelines its messages; acks arrive only after commit.
    QElapsedTimer clock;
    clock.start();
    const int total = perSender * senders;
    for (int i = 0; i < perSender; ++i) {
        for (int s = 0; s < senders; ++s) {
            const QString txn = u"b%1-%2"_s.arg(s).arg(i);
            clients[s]->sendRaw(QString::fromUtf8(req::send(room, txn, text(i)).encode(txn)));
        }
    }
    const auto acked = [&] {
        qsizetype n = 0;
        for (auto &c : clients)
            n += c->strayReplies().size();
        return n;
    };
    test::TestClient::waitUntil([&] { return acked() >= total; }, 600'000);
    const double seconds = double(clock.nsecsElapsed()) / 1e9;

    // Phase 2: one message at a time, timed from send to its arrival on another
    // connection: validate, commit (with fsync in full mode), broadcast.
    test::TestClient receiver;
    if (!receiver.open(server.url()) || !receiver.authenticate(owner.token()))
        return 1;
    QList<double> latencies;
    const int probes = std::min(200, std::max(20, perSender / 10));
    for (int i = 0; i < probes; ++i) {
        QElapsedTimer t;
        t.start();
        const auto ack = owner.request(req::send(room, u"probe-%1"_s.arg(i), u"probe"_s));
        if (!ack || ack->type != protocol::ServerFrameType::Result)
            return 1;
        if (!receiver.waitEvent(room, qint64(ack->data().value("seq"_L1).toDouble())))
            return 1;
        latencies.append(double(t.nsecsElapsed()) / 1e6);
    }
    std::sort(latencies.begin(), latencies.end());
    const auto pct
        = [&](double p) { return latencies[qsizetype(p * double(latencies.size() - 1))]; };
    const QJsonObject result {{"benchmark"_L1, "durable_ingest"_L1}, {"words"_L1, words},
        {"durability"_L1, parser.value(u"durability"_s)}, {"senders"_L1, senders},
        {"messages"_L1, total}, {"acknowledged"_L1, double(acked())}, {"seconds"_L1, seconds},
        {"acks_per_second"_L1, double(acked()) / seconds},
        {"max_batch"_L1, server.server()->service()->writer().maxBatch()},
        {"batches"_L1, double(server.server()->service()->writer().committedBatches())},
        {"broadcast_latency_ms_p50"_L1, pct(0.5)}, {"broadcast_latency_ms_p99"_L1, pct(0.99)}};
    printf("durable ingest (%s): %d senders, %lld acknowledged in %.2f s = %.0f msg/s, %lld group "
           "commits (largest %d)\n",
        qPrintable(parser.value(u"durability"_s)), senders, qint64(acked()), seconds,
        double(acked()) / seconds, server.server()->service()->writer().committedBatches(),
        server.server()->service()->writer().maxBatch());
    printf("send-to-delivery latency over %d single messages: p50 %.2f ms, p99 %.2f ms\n", probes,
        pct(0.5), pct(0.99));
    printf("%s\n", QJsonDocument(result).toJson(QJsonDocument::Compact).constData());
    return acked() >= total ? 0 : 1;
}
