// SPDX-License-Identifier: GPL-3.0-or-later
// confab_app_bench_server: everything of the app benchmark that is not the app, in a
// process of its own so that the measured process holds only the app.
//
//   prepare DIR --messages N   server data and the app's cache in DIR (not timed)
//   serve DIR                  the server on DIR's port until stdin closes
//   send DIR --count N         another member pipelines N messages into the large room
#include "appbench.h"
#include "keychain/tokenstore.h"
#include "models/timelinemodel.h"
#include "net/chatserver.h"
#include "session/session.h"
#include "settings/appsettings.h"
#include "storage/database.h"
#include "testclient.h"

#include <QCommandLineParser>
#include <QDateTime>
#include <QDir>
#include <QElapsedTimer>
#include <QGuiApplication>
#include <QJsonArray>
#include <QSettings>
#include <QSocketNotifier>
#include <QSqlDatabase>
#include <QSqlError>
#include <QSqlQuery>
#include <QTcpServer>
#include <cstdio>
#include <memory>

using namespace Qt::StringLiterals;
using namespace confab;
namespace req = protocol::requests;

namespace {

const QString Password = u"password-123"_s; // TestClient::registerUser's
const QString AppUser = u"bench"_s;
const QStringList Others {u"ana"_s, u"ben"_s, u"cleo"_s};

int fail(const char *what)
{
    std::fprintf(stderr, "confab_app_bench_server: %s\n", what);
    return 1;
}

server::ServerConfig benchConfig(const QString &dir, quint16 port)
{
    server::ServerConfig config;
    config.dataDir = bench::serverDir(dir);
    config.port = port;
    // The app is measured, not the server's fsync: as the in-process tests run it.
    config.durability = server::Durability::Normal;
    // One sender pipelines thousands of messages; the default rate limit would pace it.
    config.limits.ratePerSecond = 1'000'000;
    config.limits.rateBurst = 1'000'000;
    return config;
}

quint16 freePort()
{
    QTcpServer probe;
    return probe.listen(QHostAddress::LocalHost, 0) ? probe.serverPort() : 0;
}

bool stopServer(std::unique_ptr<server::ChatServer> &server)
{
    if (!server)
        return true;
    bool stopped = false;
    QObject::connect(server.get(), &server::ChatServer::stopped, [&] { stopped = true; });
    server->shutdown();
    const bool ok = test::TestClient::waitUntil([&] { return stopped; }, 15000);
    server.reset();
    QCoreApplication::sendPostedEvents(nullptr, QEvent::DeferredDelete);
    return ok;
}

std::unique_ptr<server::ChatServer> startServer(const server::ServerConfig &config)
{
    auto server = std::make_unique<server::ChatServer>(config);
    QString error;
    if (server->start(&error) != server::ChatServer::StartError::None) {
        std::fprintf(stderr, "server did not start: %s\n", qPrintable(error));
        return nullptr;
    }
    return server;
}

qint64 roomIdOf(const std::optional<protocol::ServerFrame> &reply)
{
    if (!reply || reply->type != protocol::ServerFrameType::Result)
        return 0;
    return qint64(reply->data().value("room"_L1).toObject().value("id"_L1).toDouble());
}

bool exec(QSqlQuery &q, const QString &sql, const QVariantList &values = {})
{
    if (!q.prepare(sql)) {
        std::fprintf(stderr, "seed: %s\n", qPrintable(q.lastError().text()));
        return false;
    }
    for (const QVariant &v : values)
        q.addBindValue(v);
    if (!q.exec()) {
        std::fprintf(stderr, "seed: %s\n", qPrintable(q.lastError().text()));
        return false;
    }
    return true;
}

/*!
 * Appends \a count messages to \a room straight in the server's database (the server is
 * stopped): sending them through the protocol would take minutes. Runs of three messages
 * per sender, 20 s apart (so the log spans days and has day separators), bodies of 20 to
 * 200 characters, every 50th with a link. Returns the room's last seq, 0 on error.
 */
qint64 seedMessages(const QString &databasePath, qint64 room, qint64 count)
{
    const QString name = u"appbench-seed"_s;
    qint64 last = 0;
    {
        QString error;
        QSqlDatabase db
            = server::database::open(databasePath, name, server::Durability::Normal, &error);
        if (!error.isEmpty()) {
            std::fprintf(stderr, "seed: %s\n", qPrintable(error));
            return 0;
        }
        QSqlQuery q(db);
        QList<qint64> senders;
        for (const QString &user : QStringList {AppUser} + Others) {
            if (!exec(q, u"SELECT id FROM users WHERE name_key = ?"_s, {user}) || !q.next())
                return 0;
            senders.append(q.value(0).toLongLong());
        }
        if (!exec(q, u"SELECT COALESCE(MAX(seq), 0) FROM events WHERE room_id = ?"_s, {room})
            || !q.next())
            return 0;
        const qint64 base = q.value(0).toLongLong();
        last = base + count;
        const QString lorem = u"Lorem ipsum dolor sit amet, consectetur adipiscing elit, sed do "
                              u"eiusmod tempor incididunt ut labore et dolore magna aliqua. Ut "
                              u"enim ad minim veniam, quis nostrud exercitation ullamco laboris "
                              u"nisi ut aliquip ex ea commodo consequat. Duis aute irure dolor in "
                              u"reprehenderit in voluptate velit esse cillum dolore eu fugiat "
                              u"nulla pariatur. Excepteur sint occaecat cupidatat non proident."_s;
        const qint64 now = QDateTime::currentMSecsSinceEpoch();
        bool ok = exec(q, u"PRAGMA synchronous=OFF"_s) && db.transaction();
        ok = ok
            && exec(q,
                u"WITH RECURSIVE s(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM s WHERE x < ?) "
                u"INSERT INTO events(room_id, seq, ts, kind, sender_id, txn, body) "
                u"SELECT ?, ? + x, ? + x * 20000, 1, "
                u"CASE (x / 3) % 4 WHEN 0 THEN ? WHEN 1 THEN ? WHEN 2 THEN ? ELSE ? END, "
                u"'seed:' || x, "
                u"substr(?, 1 + (x * 37) % 200, 20 + (x * 53) % 181) "
                u"|| CASE WHEN x % 50 = 0 THEN ' https://example.org/page/' || x ELSE '' END "
                u"FROM s"_s,
                {count, room, base, now - count * 20000, senders[0], senders[1], senders[2],
                    senders[3], lorem});
        // Everyone has read everything: no "new messages" line, no unread badge.
        ok = ok && exec(q, u"UPDATE members SET read_seq = ? WHERE room_id = ?"_s, {last, room});
        ok = ok && db.commit();
        if (!ok)
            last = 0;
    }
    server::database::close(name);
    return last;
}

int prepare(const QString &dir, qint64 messages)
{
    QElapsedTimer clock;
    clock.start();
    if (!QDir().mkpath(bench::serverDir(dir)) || !QDir().mkpath(bench::clientDir(dir)))
        return fail("cannot create the folders");
    if (QFile::exists(bench::infoPath(dir)))
        return fail("the folder is already prepared");
    const quint16 port = freePort();
    const server::ServerConfig config = benchConfig(dir, port);
    auto server = startServer(config);
    if (!server)
        return 1;
    const QUrl url(u"ws://127.0.0.1:%1"_s.arg(port));

    // Accounts and rooms through the protocol, as people would make them.
    test::TestClient owner;
    if (!owner.open(url) || !owner.registerUser(AppUser))
        return fail("cannot register the app's user");
    const qint64 lobby = roomIdOf(owner.request(req::createRoom(u"lobby"_s, u"Small talk"_s)));
    const qint64 big = roomIdOf(owner.request(req::createRoom(u"big"_s, u"A long history"_s)));
    if (lobby == 0 || big == 0)
        return fail("cannot create the rooms");
    QString senderToken;
    for (const QString &name : Others) {
        test::TestClient other;
        if (!other.open(url) || !other.registerUser(name))
            return fail("cannot register a member");
        for (qint64 room : {lobby, big}) {
            const auto r = other.request(req::join(room));
            if (!r || r->type != protocol::ServerFrameType::Result)
                return fail("cannot join");
        }
        if (senderToken.isEmpty())
            senderToken = other.token();
        for (int i = 0; i < 10; ++i)
            other.request(req::send(lobby, u"%1-%2"_s.arg(name).arg(i), u"hello %1"_s.arg(i)));
    }
    if (!stopServer(server))
        return fail("the server did not stop");

    const qint64 lastSeq = seedMessages(config.databasePath(), big, messages);
    if (lastSeq == 0)
        return fail("seeding failed");
    const double seedSeconds = double(clock.elapsed()) / 1000.0;

    // The app signs in once, opens the large room and pages back until the cache holds
    // what it keeps of a room, then quits: the state a returning user starts from.
    server = startServer(config);
    if (!server)
        return 1;
    auto keychain = std::make_shared<QHash<QString, QString>>();
    int cachedRows = 0;
    {
        QSettings ini(bench::clientDir(dir) + u"/settings.ini"_s, QSettings::IniFormat);
        client::AppSettings settings(&ini);
        client::SessionOptions options;
        options.dataDir = bench::clientDir(dir);
        options.memoryKeychain = keychain;
        client::Session session(options, &settings);
        bool resumed = false;
        QObject::connect(&session, &client::Session::resumed, [&] { resumed = true; });
        session.account()->signIn(url.toString(), AppUser, Password, true);
        if (!test::TestClient::waitUntil([&] { return resumed; }, 30000))
            return fail("the app did not sign in");
        session.currentRoom()->select(big);
        const auto idle = [&] { return !session.currentRoom()->loadingOlder(); };
        while (session.currentRoom()->timeline()->rowCount() < client::LocalStore::MaxEventsPerRoom
            && session.currentRoom()->timeline()->hasMoreBefore()) {
            if (!test::TestClient::waitUntil(idle, 30000))
                return fail("history does not arrive");
            session.currentRoom()->loadOlder();
            test::TestClient::waitUntil(idle, 30000);
        }
        cachedRows = session.currentRoom()->timeline()->rowCount();
        ini.sync();
        test::TestClient::waitUntil([&] { return !keychain->isEmpty(); }, 5000);
        test::TestClient::waitUntil([] { return false; }, 300); // read markers, acks
    }
    QCoreApplication::sendPostedEvents(nullptr, QEvent::DeferredDelete);
    if (keychain->size() != 1)
        return fail("the app did not keep its token");
    if (!stopServer(server))
        return fail("the server did not stop");

    const QJsonObject info {{bench::KeyPort, port}, {bench::KeyUrl, url.toString()},
        {bench::KeyUser, AppUser}, {bench::KeyToken, keychain->cbegin().value()},
        {bench::KeySenderToken, senderToken}, {bench::KeyLobby, double(lobby)},
        {bench::KeyBig, double(big)}, {bench::KeyBigLastSeq, double(lastSeq)},
        {bench::KeyMessages, double(messages)}, {bench::KeyCachedRows, cachedRows}};
    if (!bench::writeInfo(dir, info))
        return fail("cannot write bench.json");
    std::printf("prepared %s: room %lld with %lld messages (last seq %lld, seeded in %.1f s), "
                "app cache holds %d rows of it, %.1f s in all\n",
        qPrintable(dir), big, messages, lastSeq, seedSeconds, cachedRows,
        double(clock.elapsed()) / 1000.0);
    return 0;
}

int serve(const QString &dir)
{
    const QJsonObject info = bench::readInfo(dir);
    if (info.isEmpty())
        return fail("not a prepared folder");
    auto server = startServer(benchConfig(dir, quint16(info.value(bench::KeyPort).toInt())));
    if (!server)
        return 1;
    std::printf("ready %s\n", qPrintable(server->url()));
    std::fflush(stdout);
    // Runs until the parent closes our stdin (or dies): then a clean shutdown.
    QSocketNotifier input(0, QSocketNotifier::Read);
    QObject::connect(&input, &QSocketNotifier::activated, [&] {
        char buffer[256];
        if (::read(0, buffer, sizeof buffer) > 0)
            return;
        input.setEnabled(false);
        QObject::connect(server.get(), &server::ChatServer::stopped, qApp, &QCoreApplication::quit,
            Qt::QueuedConnection);
        server->shutdown();
    });
    const int rc = QCoreApplication::exec();
    server.reset();
    return rc;
}

int send(const QString &dir, int count)
{
    const QJsonObject info = bench::readInfo(dir);
    if (info.isEmpty())
        return fail("not a prepared folder");
    const qint64 room = qint64(info.value(bench::KeyBig).toDouble());
    test::TestClient sender;
    if (!sender.open(QUrl(info.value(bench::KeyUrl).toString()))
        || !sender.authenticate(info.value(bench::KeySenderToken).toString()))
        return fail("the sender cannot sign in");
    const qint64 start = bench::monotonicNs();
    std::printf("start %lld\n", start);
    std::fflush(stdout);
    const QString prefix = u"live-%1-"_s.arg(QCoreApplication::applicationPid());
    for (int i = 0; i < count; ++i) {
        const QString txn = prefix + QString::number(i);
        sender.sendRaw(QString::fromUtf8(
            req::send(room, txn, u"incoming message %1 of the burst, typed quickly"_s.arg(i))
                .encode(txn)));
    }
    const bool acked = test::TestClient::waitUntil(
        [&] { return sender.strayReplies().size() >= count; }, 600'000);
    std::printf("acked %lld %lld\n", bench::monotonicNs(), qint64(sender.strayReplies().size()));
    std::fflush(stdout);
    return acked ? 0 : 1;
}

/*! The app's token into the platform keychain (QtKeychain over D-Bus), where a signed-in
 * user's session keeps it, so that the real app's Session::restore() reads it from there. */
int keychainPut(const QString &dir)
{
    const QJsonObject info = bench::readInfo(dir);
    if (info.isEmpty())
        return fail("not a prepared folder");
    QSettings ini(bench::clientDir(dir) + u"/settings.ini"_s, QSettings::IniFormat);
    client::AppSettings settings(&ini);
    client::TokenStore store(u"Confab"_s);
    bool done = false;
    client::TokenStore::Result result = client::TokenStore::Result::Unavailable;
    store.write(client::TokenStore::keyFor(settings.lastServerUrl(), settings.lastUsername()),
        info.value(bench::KeyToken).toString(), [&](client::TokenStore::Result r, const QString &) {
            result = r;
            done = true;
        });
    test::TestClient::waitUntil([&] { return done; }, 30000);
    if (result != client::TokenStore::Result::Ok)
        return fail("the keychain refused the token (no secret service on the session bus?)");
    return 0;
}

/*! The keychain round trip as the app's start pays it: the first read in a fresh process
 * (QtKeychain connects to the secret service) and a second one; prints a JSON line. */
int keychainRead(const QString &dir, qint64 mainNs)
{
    QSettings ini(bench::clientDir(dir) + u"/settings.ini"_s, QSettings::IniFormat);
    client::AppSettings settings(&ini);
    const QString key
        = client::TokenStore::keyFor(settings.lastServerUrl(), settings.lastUsername());
    client::TokenStore store(u"Confab"_s);
    QJsonObject out {{u"benchmark"_s, u"app_keychain"_s}};
    for (const QString &which : {u"first"_s, u"second"_s}) {
        bool done = false;
        bool ok = false;
        const qint64 start = bench::monotonicNs();
        store.read(key, [&](client::TokenStore::Result r, const QString &token) {
            ok = r == client::TokenStore::Result::Ok && !token.isEmpty();
            done = true;
        });
        test::TestClient::waitUntil([&] { return done; }, 30000);
        if (!ok)
            return fail("the token is not in the keychain");
        out.insert(which + u"_read_ms"_s, double(bench::monotonicNs() - start) / 1e6);
    }
    out.insert(u"main_to_second_read_ms"_s, double(bench::monotonicNs() - mainNs) / 1e6);
    std::printf("%s\n", QJsonDocument(out).toJson(QJsonDocument::Compact).constData());
    return 0;
}

} // namespace

int main(int argc, char **argv)
{
    const qint64 mainNs = bench::monotonicNs();
    // The prepare step runs the app's Session, which belongs to a GUI application.
    if (qEnvironmentVariableIsEmpty("QT_QPA_PLATFORM"))
        qputenv("QT_QPA_PLATFORM", "offscreen");
    QGuiApplication app(argc, argv);
    QGuiApplication::setOrganizationName(u"Confab"_s);
    QGuiApplication::setApplicationName(u"confab-app-bench"_s);
    QCommandLineParser parser;
    parser.setApplicationDescription(u"Server side of confab_app_bench."_s);
    parser.addPositionalArgument(
        u"mode"_s, u"prepare, serve, send, keychain-put or keychain-read"_s);
    parser.addPositionalArgument(u"dir"_s, u"The benchmark's folder."_s);
    parser.addOptions(
        {{u"messages"_s, u"prepare: messages in the large room."_s, u"n"_s, u"100000"_s},
            {u"count"_s, u"send: messages to send."_s, u"n"_s, u"10000"_s}});
    parser.process(app);
    const QStringList args = parser.positionalArguments();
    if (args.size() != 2)
        parser.showHelp(2);
    const QString dir = QDir(args[1]).absolutePath();
    if (args[0] == "prepare"_L1)
        return prepare(dir, parser.value(u"messages"_s).toLongLong());
    if (args[0] == "serve"_L1)
        return serve(dir);
    if (args[0] == "keychain-put"_L1)
        return keychainPut(dir);
    if (args[0] == "keychain-read"_L1)
        return keychainRead(dir, mainNs);
    if (args[0] == "send"_L1)
        return send(dir, parser.value(u"count"_s).toInt());
    parser.showHelp(2);
}
