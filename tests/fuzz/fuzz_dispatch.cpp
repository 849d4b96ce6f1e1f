// SPDX-License-Identifier: GPL-3.0-or-later
// Fuzzes the server's chat logic: a request frame's decoding -> ChatService::dispatch ->
// every handler -> storage, on a real SQLite file, from a signed-in and from an
// anonymous peer.
//
// The peer is an InMemoryPeer: no socket, no Qt signals faked on one. Framing, rate
// limits and output bounds are the transport's and the hostile suite's (tests/hostile).
// One service and one database serve every input, so an input costs its own work (and
// a writer round trip only if it wrote), not a database set-up.
//
// Input format: the first byte picks the peer (bit 0: signed in), the rest is one frame
// per line; a line starting with 0x01 stands for a binary message (the rest of the line),
// which reaches the chat logic as an upload chunk or a bad_frame (§16.2).
#include "auth/passwordhasher.h"
#include "auth/tokens.h"
#include "chat/chatservice.h"
#include "storage/accountstore.h"
#include "storage/writecontext.h"
#include "testing/inmemorypeer.h"

#include <QCoreApplication>
#include <QDateTime>
#include <QElapsedTimer>
#include <QFileInfo>
#include <QTemporaryDir>
#include <cstdio>
#include <cstdlib>
#include <memory>

using namespace Qt::StringLiterals;
using namespace confab;
using server::ChatService;
using server::InMemoryPeer;

namespace {

void check(bool ok, const char *what)
{
    if (!ok) {
        std::fprintf(stderr, "invariant broken: %s\n", what);
        std::abort();
    }
}

void quiet(QtMsgType type, const QMessageLogContext &, const QString &message)
{
    if (type == QtFatalMsg) {
        std::fprintf(stderr, "%s\n", qPrintable(message));
        std::abort();
    }
}

// Past this the database is started afresh: every room the fuzzer creates makes each
// later sign-in and sync of its user dearer, until they, not the input, set the pace.
constexpr qint64 MaxDatabaseBytes = 2 * 1024 * 1024;

struct Harness
{
    std::unique_ptr<QTemporaryDir> dir;
    server::ServerConfig config;
    std::unique_ptr<ChatService> service;
    // Kept across inputs until an input signs it out: signing in afresh for every input
    // cost more than most inputs, and its presence changes outlived the input.
    std::unique_ptr<InMemoryPeer> signedInPeer;
    qint64 userId = 0;
    QByteArray authenticate;

    void start()
    {
        signedInPeer.reset();
        service.reset();
        dir = std::make_unique<QTemporaryDir>();
        check(dir->isValid(), "no temporary folder");
        config.dataDir = dir->path();
        config.durability = server::Durability::Normal;
        // Small pages: the database grows over a run, and a sync or history that encodes
        // hundreds of events per input costs throughput without reaching more code (the
        // gap and paging paths are reached sooner instead).
        config.limits.resumeMax = 16;
        config.limits.historyPageMax = 16;
        service = std::make_unique<ChatService>(config);
        QString error;
        check(service->open(&error), "the service did not open its database");
        // A second account, so open_direct and mentions have someone to reach.
        const QString hash = server::passwords::hash(u"password-123"_s);
        qint64 other = 0;
        write([hash, this, &other](server::WriteContext &ctx) {
            return server::accountstore::insertUser(ctx, u"fuzzer"_s, hash, &userId)
                && server::accountstore::insertUser(ctx, u"other"_s, hash, &other);
        });
        check(userId > 0 && other > 0, "the fuzzer's accounts were not created");
        issueToken();
        // A few rooms to aim at: ids 1..3, the signed-in user a member of 1 and 2.
        std::unique_ptr<InMemoryPeer> peer = connectPeer(true);
        frame(peer.get(),
            R"({"id":1,"type":"create_room","name":"general","topic":"t"})"
            "\n"
            R"({"id":2,"type":"create_room","name":"random"})"
            "\n"
            R"({"id":3,"type":"open_direct","user":"other"})"
            "\n"
            R"({"id":4,"type":"send","room":1,"txn":"seed:1","text":"hello @other"})");
        settle();
    }

    void startAfreshIfGrown()
    {
        const QString db = config.databasePath();
        if (QFileInfo(db).size() + QFileInfo(db + u"-wal"_s).size() > MaxDatabaseBytes)
            start();
    }

    // Runs \a apply in a writer transaction and waits for its commit.
    void write(server::StorageWriter::Apply apply)
    {
        bool done = false;
        bool ok = false;
        service->writer().submit(std::move(apply), [&](bool committed) {
            ok = committed;
            done = true;
        });
        settle();
        check(done && ok, "a setup write failed");
    }

    void issueToken()
    {
        const QString token = server::tokens::generate();
        const QByteArray hash = server::tokens::hash(token);
        const qint64 expires = QDateTime::currentMSecsSinceEpoch() + 24 * 3600 * 1000;
        write([hash, user = userId, expires](server::WriteContext &ctx) {
            return server::accountstore::insertToken(ctx, hash, user, expires);
        });
        authenticate = uR"({"id":0,"type":"authenticate","token":"%1"})"_s.arg(token).toUtf8();
    }

    std::unique_ptr<InMemoryPeer> connectPeer(bool signedIn)
    {
        auto peer = std::make_unique<InMemoryPeer>(config.limits);
        // Replies are counted, not kept: nobody reads them, and keeping them costs.
        peer->setRecording(false);
        service->addConnection(peer.get());
        if (!signedIn)
            return peer;
        // Answered at once: a token is checked against the database without a write.
        peer->feed(authenticate);
        if (!peer->isAuthenticated()) {
            // An earlier input signed this token out (logout, logout_all).
            issueToken();
            peer->feed(authenticate);
        }
        check(peer->isAuthenticated(), "a fresh token was refused");
        return peer;
    }

    InMemoryPeer *signedIn()
    {
        if (!signedInPeer || signedInPeer->isClosing())
            signedInPeer = connectPeer(true);
        return signedInPeer.get();
    }

    static void frame(InMemoryPeer *peer, QByteArrayView input)
    {
        qsizetype start = 0;
        while (start <= input.size()) {
            qsizetype end = input.indexOf('\n', start);
            if (end < 0)
                end = input.size();
            const QByteArrayView line = input.sliced(start, end - start);
            if (line.startsWith('\x01'))
                peer->feedBinary(line.sliced(1).toByteArray());
            else
                peer->feed(line.toByteArray());
            start = end + 1;
        }
    }

    // Waits until every password hash and every write the input caused is answered,
    // then delivers what they posted (a close's closed(), a hash's continuation).
    void settle()
    {
        QElapsedTimer timer;
        timer.start();
        QCoreApplication::processEvents();
        while (!service->isIdle()) {
            QCoreApplication::processEvents(QEventLoop::WaitForMoreEvents);
            // A hang is a bug the fuzzer should report.
            check(timer.elapsed() < 30'000, "the server did not finish its work within 30 s");
        }
        QCoreApplication::processEvents();
    }
};

Harness *harness = nullptr;

} // namespace

extern "C" int LLVMFuzzerInitialize(int *argc, char ***argv)
{
    qInstallMessageHandler(quiet);
    static QCoreApplication app(*argc, *argv);
    harness = new Harness;
    harness->start();
    return 0;
}

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size == 0)
        return 0;
    std::unique_ptr<InMemoryPeer> anonymous;
    InMemoryPeer *peer = nullptr;
    if (data[0] & 1) {
        peer = harness->signedIn();
    } else {
        anonymous = harness->connectPeer(false);
        peer = anonymous.get();
    }
    harness->frame(peer,
        QByteArrayView(reinterpret_cast<const char *>(data) + 1,
            qsizetype(std::min<size_t>(size - 1, 256 * 1024))));
    harness->settle();
    const bool signedInOpen = harness->signedInPeer && !harness->signedInPeer->isClosing();
    const bool anonymousOpen = anonymous && !anonymous->isClosing();
    check(harness->service->connectionCount() == int(signedInOpen) + int(anonymousOpen),
        "connection count drifted");
    anonymous.reset();
    check(harness->service->connectionCount() == int(signedInOpen), "a closed connection was kept");
    harness->startAfreshIfGrown();
    return 0;
}
