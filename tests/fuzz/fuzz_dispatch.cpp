// SPDX-License-Identifier: GPL-3.0-or-later
// Fuzzes the server's request path behind the WebSocket layer: ClientConnection
// (rate limit, decoding) -> ChatService::dispatch -> every handler -> storage,
// on a real SQLite file, from a signed-in and from an anonymous connection.
//
// The entry point is the one QtWebSockets itself uses: a QWebSocket's
// textMessageReceived / binaryMessageReceived / disconnected signals. The
// sockets here were never connected, so everything the server sends is
// dropped by QtWebSockets; framing is the hostile suite's job (tests/hostile).
//
// Input format: the first byte picks the connection (bit 0: signed in), the
// rest is one frame per line; a line starting with 0x01 is a binary message.
#include "auth/passwordhasher.h"
#include "auth/tokens.h"
#include "core/chatservice.h"
#include "core/clientconnection.h"
#include "storage/accountstore.h"
#include "storage/writecontext.h"

#include <QCoreApplication>
#include <QDateTime>
#include <QElapsedTimer>
#include <QTemporaryDir>
#include <QThreadPool>
#include <QWebSocket>
#include <cstdio>
#include <cstdlib>

using namespace Qt::StringLiterals;
using namespace confab;
using server::ChatService;
using server::ClientConnection;

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

// Runs the event loop until \a done; a hang here is a bug the fuzzer should report.
template<typename F> void spinUntil(F done)
{
    QElapsedTimer timer;
    timer.start();
    while (!done()) {
        QCoreApplication::processEvents(QEventLoop::AllEvents, 10);
        check(timer.elapsed() < 30'000, "the server did not finish its work within 30 s");
    }
}

struct Harness
{
    QTemporaryDir dir;
    server::ServerConfig config;
    ChatService *service = nullptr;
    qint64 userId = 0;
    QString token;

    void start()
    {
        config.dataDir = dir.path();
        config.durability = server::Durability::Normal;
        // Generous, so that frames reach the handlers instead of rate_limited.
        config.limits.ratePerSecond = 1'000'000;
        config.limits.rateBurst = 1'000'000;
        service = new ChatService(config);
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
        ClientConnection *c = connectClient(true);
        frame(c,
            R"({"id":1,"type":"create_room","name":"general","topic":"t"})"
            "\n"
            R"({"id":2,"type":"create_room","name":"random"})"
            "\n"
            R"({"id":3,"type":"open_direct","user":"other"})"
            "\n"
            R"({"id":4,"type":"send","room":1,"txn":"seed:1","text":"hello @other"})");
        settle();
        disconnect(c);
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
        spinUntil([&] { return done; });
        check(ok, "a setup write failed");
    }

    void issueToken()
    {
        token = server::tokens::generate();
        const QByteArray hash = server::tokens::hash(token);
        const qint64 expires = QDateTime::currentMSecsSinceEpoch() + 24 * 3600 * 1000;
        write([hash, user = userId, expires](server::WriteContext &ctx) {
            return server::accountstore::insertToken(ctx, hash, user, expires);
        });
    }

    ClientConnection *connectClient(bool signedIn)
    {
        auto *socket = new QWebSocket;
        auto *c = new ClientConnection(socket, nullptr, config.limits, config.maxOutboundBytes,
            QDateTime::currentMSecsSinceEpoch(), service);
        service->addConnection(c);
        if (!signedIn)
            return c;
        const QString auth = uR"({"id":0,"type":"authenticate","token":"%1"})"_s.arg(token);
        Q_EMIT socket->textMessageReceived(auth);
        if (!c->isAuthenticated()) {
            // An earlier input signed this token out (logout, logout_all).
            issueToken();
            Q_EMIT socket->textMessageReceived(
                uR"({"id":0,"type":"authenticate","token":"%1"})"_s.arg(token));
        }
        check(c->isAuthenticated(), "a fresh token was refused");
        return c;
    }

    void frame(ClientConnection *c, QByteArrayView input)
    {
        auto *socket = c->findChild<QWebSocket *>();
        check(socket, "connection without its socket");
        const QList<QByteArray> lines = input.toByteArray().split('\n');
        for (const QByteArray &line : lines) {
            if (line.startsWith('\x01'))
                Q_EMIT socket->binaryMessageReceived(line.sliced(1));
            else
                // QtWebSockets hands over text only after decoding it as UTF-8.
                Q_EMIT socket->textMessageReceived(QString::fromUtf8(line));
            QCoreApplication::processEvents();
        }
    }

    // Waits until every password hash and every write the input caused is done:
    // writer completions run in submission order, so a marker submitted last
    // completes after all of them.
    void settle()
    {
        for (int round = 0; round < 2; ++round) {
            QThreadPool::globalInstance()->waitForDone();
            QCoreApplication::processEvents();
            bool done = false;
            service->writer().submit(
                [](server::WriteContext &) { return true; }, [&](bool) { done = true; });
            spinUntil([&] { return done; });
        }
    }

    void disconnect(ClientConnection *c)
    {
        // What QtWebSockets emits when the peer goes: the service drops the connection.
        if (auto *socket = c->findChild<QWebSocket *>())
            Q_EMIT socket->disconnected();
        QCoreApplication::sendPostedEvents(nullptr, QEvent::DeferredDelete);
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
    const bool signedIn = data[0] & 1;
    ClientConnection *c = harness->connectClient(signedIn);
    harness->frame(c,
        QByteArrayView(reinterpret_cast<const char *>(data) + 1,
            qsizetype(std::min<size_t>(size - 1, 256 * 1024))));
    harness->settle();
    check(harness->service->connectionCount() == 1, "connection count drifted");
    harness->disconnect(c);
    check(harness->service->connectionCount() == 0, "a closed connection was kept");
    return 0;
}
