// SPDX-License-Identifier: GPL-3.0-or-later
// Session against the real server library on 127.0.0.1: sign-in, messaging between two
// users, read state across devices, the outbox across an app restart, resume across a
// server restart, a silent link caught by the ping watchdog, gap filling, the
// no-keychain path, a server restored from a backup, send order under a tiny rate
// limit, and a sign-out while offline (the token is revoked at the next start).
#include "clientpool.h"
#include "keychain/tokenstore.h"
#include "models/directorymodel.h"
#include "models/memberlistmodel.h"
#include "session/pendingrevocations.h"
#include "sessionfixture.h"
#include "testserver.h"

#include <QDir>
#include <QDirIterator>
#include <QPointer>
#include <QRegularExpression>
#include <QSqlDatabase>
#include <QSqlQuery>
#include <QTcpServer>
#include <QTcpSocket>

using namespace Qt::StringLiterals;
using namespace confab;
using client::DirectoryModel;
using client::Session;
using client::TimelineModel;
using test::App;

namespace {

/*!
 * A loopback TCP proxy. freeze() makes every existing connection silent in both
 * directions without closing it (a dead NAT entry, a sleeping laptop's Wi-Fi); new
 * connections are forwarded normally. It records what the server sent.
 */
class SilentProxy : public QObject
{
public:
    explicit SilentProxy(quint16 target)
        : m_target(target)
    {
        connect(&m_server, &QTcpServer::newConnection, this, [this] {
            while (QTcpSocket *client = m_server.nextPendingConnection()) {
                auto *upstream = new QTcpSocket(this);
                client->setParent(this);
                auto pair = std::make_shared<Pair>(Pair {client, upstream});
                m_pairs.append(pair);
                ++m_accepted;
                upstream->connectToHost(QHostAddress::LocalHost, m_target);
                connect(client, &QTcpSocket::readyRead, this, [this, pair] {
                    const QByteArray data = pair->client->readAll();
                    if (!pair->frozen && pair->upstream)
                        pair->upstream->write(data);
                });
                connect(upstream, &QTcpSocket::readyRead, this, [this, pair] {
                    const QByteArray data = pair->upstream->readAll();
                    m_fromServer += data;
                    if (!pair->frozen && pair->client)
                        pair->client->write(data);
                });
                // Queued: a socket being destroyed emits disconnected from its destructor,
                // and a direct call would reach the other half while this one is half gone.
                connect(
                    upstream, &QTcpSocket::disconnected, client,
                    [pair] {
                        if (!pair->frozen && pair->client)
                            pair->client->disconnectFromHost();
                    },
                    Qt::QueuedConnection);
                connect(
                    client, &QTcpSocket::disconnected, upstream,
                    [pair] {
                        if (!pair->frozen && pair->upstream)
                            pair->upstream->disconnectFromHost();
                    },
                    Qt::QueuedConnection);
            }
        });
        m_server.listen(QHostAddress::LocalHost, 0);
    }

    QUrl url() const { return QUrl(u"ws://127.0.0.1:%1"_s.arg(m_server.serverPort())); }
    void freeze()
    {
        for (const auto &p : std::as_const(m_pairs))
            p->frozen = true;
    }
    int accepted() const { return m_accepted; }
    QByteArray fromServer() const { return m_fromServer; }

private:
    struct Pair
    {
        QPointer<QTcpSocket> client;
        QPointer<QTcpSocket> upstream;
        bool frozen = false;
    };
    QTcpServer m_server;
    quint16 m_target;
    QList<std::shared_ptr<Pair>> m_pairs;
    int m_accepted = 0;
    QByteArray m_fromServer;
};

} // namespace

class TestSession : public QObject
{
    Q_OBJECT

    std::unique_ptr<test::TestServer> m_server;
    std::vector<std::unique_ptr<test::TestClient>> m_raw;

    QString url() const { return m_server->url().toString(); }

    test::TestClient *rawLogin(const QString &user)
    {
        auto c = std::make_unique<test::TestClient>();
        if (!c->open(m_server->url()) || !c->login(user))
            return nullptr;
        m_raw.push_back(std::move(c));
        return m_raw.back().get();
    }

    // Signs in (creating the account if needed) and waits until the session is live.
    static bool signedIn(
        App &app, const QString &server, const QString &user, bool create, bool stay = false)
    {
        if (create)
            app->account()->createAccount(server, user, test::Password, {}, stay);
        else
            app->account()->signIn(server, user, test::Password, stay);
        return test::TestClient::waitUntil(
                   [&] {
                       return app->connectionState() == client::ConnectionState::Live
                           || (app->account()->status() == client::Account::SignedOut
                               && !app->account()->errorText().isEmpty());
                   },
                   15000)
            && app->account()->status() == client::Account::SignedIn;
    }

    static qint64 createRoom(App &app, const QString &name)
    {
        app->roomActions()->createRoom(name, {});
        test::TestClient::waitUntil([&] { return app->currentRoom()->roomId() != 0; }, 10000);
        return app->currentRoom()->roomId();
    }

private Q_SLOTS:
    void init()
    {
        m_server = std::make_unique<test::TestServer>();
        QVERIFY(m_server->start());
    }
    void cleanup()
    {
        m_raw.clear();
        m_server.reset();
    }

    void signInReportsErrorsThenSucceeds()
    {
        App app;
        QSignalSpy status(app->account(), &client::Account::statusChanged);
        // Unknown account: a translated sentence, back to the sign-in page.
        app->account()->signIn(url(), u"nobody"_s, u"wrong-password"_s, false);
        QCOMPARE(app->account()->status(), client::Account::SigningIn);
        QVERIFY(app->account()->busy());
        QTRY_COMPARE_WITH_TIMEOUT(app->account()->status(), client::Account::SignedOut, 15000);
        QVERIFY(app->account()->errorText().contains(u"password"_s));
        QVERIFY(!app->account()->busy());

        // Nothing listening: connection refused.
        QTcpServer probe;
        QVERIFY(probe.listen(QHostAddress::LocalHost, 0));
        const quint16 closedPort = probe.serverPort();
        probe.close();
        app->account()->signIn(
            u"ws://127.0.0.1:%1"_s.arg(closedPort), u"ana"_s, test::Password, false);
        QTRY_COMPARE_WITH_TIMEOUT(app->account()->status(), client::Account::SignedOut, 15000);
        QVERIFY2(app->account()->errorText().contains(u"refused"_s),
            qPrintable(app->account()->errorText()));

        // Bad address: refused locally.
        app->account()->signIn(u"http://example.org"_s, u"ana"_s, test::Password, false);
        QCOMPARE(app->account()->status(), client::Account::SignedOut);
        QVERIFY(app->account()->errorText().contains(u"ws://"_s));

        // Registration policy from hello.
        app->account()->probeServer(url());
        QTRY_COMPARE(app->account()->registration(), u"open"_s);

        QVERIFY(signedIn(app, url(), u"ana"_s, true));
        QVERIFY(app->account()->errorText().isEmpty());
        QCOMPARE(app->account()->username(), u"ana"_s);
        QCOMPARE(app->messageSender()->maxTextBytes(), 16384);
        // A second account with the same name is refused with its own sentence.
        App other;
        other->account()->createAccount(url(), u"ANA"_s, test::Password, {}, false);
        QTRY_COMPARE_WITH_TIMEOUT(other->account()->status(), client::Account::SignedOut, 15000);
        QVERIFY2(other->account()->errorText().contains(u"taken"_s),
            qPrintable(other->account()->errorText()));
        // Weak password.
        other->account()->createAccount(url(), u"zed"_s, u"short"_s, {}, false);
        QTRY_COMPARE_WITH_TIMEOUT(other->account()->status(), client::Account::SignedOut, 15000);
        QVERIFY2(other->account()->errorText().contains(u"8"_s),
            qPrintable(other->account()->errorText()));
    }

    void twoUsersSendAndReceive()
    {
        App ana;
        App bob;
        QVERIFY(signedIn(ana, url(), u"ana"_s, true));
        QVERIFY(signedIn(bob, url(), u"bob"_s, true));
        const qint64 room = createRoom(ana, u"general"_s);
        QVERIFY(room > 0);
        QCOMPARE(ana->currentRoom()->name(), u"general"_s);
        bob->roomActions()->joinRoom(room);
        QTRY_COMPARE_WITH_TIMEOUT(bob->currentRoom()->roomId(), room, 10000);
        QTRY_COMPARE_WITH_TIMEOUT(ana->members()->rowCount(), 2, 10000);

        // Empty and whitespace-only text is not sent.
        const int before = ana->currentRoom()->timeline()->rowCount();
        ana->currentRoom()->sendMessage(u"   \n\t"_s);
        QCOMPARE(ana->currentRoom()->timeline()->rowCount(), before);
        // Over the server's limit: refused locally with a message.
        QSignalSpy failed(ana->messageSender(), &client::MessageSender::actionFailed);
        ana->currentRoom()->sendMessage(QString(ana->messageSender()->maxTextBytes() + 1, u'x'));
        QCOMPARE(failed.size(), 1);
        QCOMPARE(ana->messageSender()->utf8Length(u"é😀"_s), 6);

        ana->currentRoom()->sendMessage(u"hello @bob"_s);
        // Shown at once, before the server answers.
        QCOMPARE(test::rowsWithText(ana->currentRoom()->timeline(), u"hello @bob"_s), 1);
        QTRY_COMPARE_WITH_TIMEOUT(
            test::rowsWithText(bob->currentRoom()->timeline(), u"hello @bob"_s), 1, 10000);
        QTRY_COMPARE_WITH_TIMEOUT(test::deliveryOf(ana->currentRoom()->timeline(), u"hello @bob"_s),
            int(TimelineModel::Sent), 10000);
        // The own event replaced the pending row: no duplicate, and the outbox is empty.
        QCOMPARE(test::rowsWithText(ana->currentRoom()->timeline(), u"hello @bob"_s), 1);
        QCOMPARE(test::timelineSeqs(ana->currentRoom()->timeline()),
            test::timelineSeqs(bob->currentRoom()->timeline()));

        bob->currentRoom()->sendMessage(u"hi ana"_s);
        QTRY_COMPARE_WITH_TIMEOUT(
            test::rowsWithText(ana->currentRoom()->timeline(), u"hi ana"_s), 1, 10000);
        // ana is looking at the room: it counts as unread until she marks it read.
        const auto s = ana->rooms()->room(room);
        QVERIFY(s);
        QCOMPARE(s->unread, 1);

        // Typing indicator for the other side, cleared when the composer empties.
        ana->currentRoom()->composerTextChanged(u"typing something"_s);
        QTRY_COMPARE_WITH_TIMEOUT(bob->currentRoom()->typingText(), u"ana is typing…"_s, 10000);
        ana->currentRoom()->composerTextChanged(QString());
        QTRY_COMPARE_WITH_TIMEOUT(bob->currentRoom()->typingText(), QString(), 10000);

        // Topic through the session; both headers follow the event.
        ana->roomActions()->setTopic(u"Lunch plans"_s);
        QTRY_COMPARE_WITH_TIMEOUT(bob->currentRoom()->topic(), u"Lunch plans"_s, 10000);

        // An open directory hears of a channel created meanwhile, without a refresh.
        bob->roomActions()->refreshDirectory();
        QTRY_COMPARE_WITH_TIMEOUT(bob->directory()->rowCount(), 1, 10000);
        const qint64 other = createRoom(ana, u"books"_s);
        QVERIFY(other > 0);
        QTRY_COMPARE_WITH_TIMEOUT(bob->directory()->rowCount(), 2, 10000);
        QCOMPARE(bob->directory()->index(0).data(DirectoryModel::NameRole).toString(), u"books"_s);
        QVERIFY(!bob->directory()->index(0).data(DirectoryModel::JoinedRole).toBool());
    }

    void readStateFollowsAcrossDevicesOfOneUser()
    {
        App bob1;
        QVERIFY(signedIn(bob1, url(), u"bob"_s, true));
        App bob2;
        QVERIFY(signedIn(bob2, url(), u"bob"_s, false));
        auto *ana = new test::TestClient(this);
        QVERIFY(ana->open(m_server->url()) && ana->registerUser(u"ana"_s));
        const qint64 room = test::createRoom(ana, u"general"_s);
        bob1->roomActions()->joinRoom(room);
        QTRY_VERIFY_WITH_TIMEOUT(bob2->rooms()->contains(room), 10000); // room push
        qint64 last = 0;
        for (int i = 1; i <= 3; ++i) {
            const auto r = ana->request(protocol::requests::send(
                room, u"a%1"_s.arg(i), i == 3 ? u"@bob look"_s : u"m%1"_s.arg(i)));
            QVERIFY(r && r->type == protocol::ServerFrameType::Result);
            last = qint64(r->data().value("seq"_L1).toDouble());
        }
        QTRY_COMPARE_WITH_TIMEOUT(bob1->rooms()->room(room)->unread, 3, 10000);
        QTRY_COMPARE_WITH_TIMEOUT(bob2->rooms()->room(room)->unread, 3, 10000);
        QCOMPARE(bob2->rooms()->room(room)->mentions, 1);
        QCOMPARE(bob1->rooms()->totalUnread(), 3);

        // Read on device 1 up to the second message: device 2 follows the unread push.
        bob1->currentRoom()->select(room);
        bob1->currentRoom()->markRead(last - 1);
        QTRY_COMPARE_WITH_TIMEOUT(bob1->rooms()->room(room)->unread, 1, 10000);
        QTRY_COMPARE_WITH_TIMEOUT(bob2->rooms()->room(room)->unread, 1, 10000);
        QCOMPARE(bob2->rooms()->room(room)->readSeq, last - 1);
        // Never backwards.
        bob1->currentRoom()->markRead(last - 2);
        bob1->currentRoom()->markRead(last);
        QTRY_COMPARE_WITH_TIMEOUT(bob2->rooms()->room(room)->unread, 0, 10000);
        QCOMPARE(bob2->rooms()->room(room)->mentions, 0);
        QTest::qWait(700); // past the throttle: nothing else may move it back
        QCOMPARE(bob1->rooms()->room(room)->readSeq, last);
        QCOMPARE(bob2->rooms()->room(room)->readSeq, last);
    }

    void outboxSurvivesAppRestartAndDeliversOnce()
    {
        auto keychain = std::make_shared<QHash<QString, QString>>();
        client::SessionOptions options;
        options.memoryKeychain = keychain;
        auto app = std::make_unique<App>(options);
        const QString dataDir = app->path;
        auto keepDir = std::move(app->m_dir); // the folder outlives the first instance
        QVERIFY(signedIn(*app, url(), u"ana"_s, true, true));
        QCOMPARE(keychain->size(), 1);
        const qint64 room = createRoom(*app, u"general"_s);
        QVERIFY(room > 0);

        m_server->stop();
        QTRY_VERIFY_WITH_TIMEOUT((*app)->connectionState() != client::ConnectionState::Live, 10000);
        (*app)->currentRoom()->sendMessage(u"written offline"_s);
        QCOMPARE(test::deliveryOf((*app)->currentRoom()->timeline(), u"written offline"_s),
            int(TimelineModel::Sending));
        app.reset(); // the app quits with the message unsent

        App second(options, dataDir);
        QVERIFY(second->account()->restore());
        // The cache paints rooms and the pending message before any network answer.
        QTRY_COMPARE_WITH_TIMEOUT(second->account()->status(), client::Account::SignedIn, 5000);
        QCOMPARE(second->currentRoom()->roomId(), room);
        QCOMPARE(test::deliveryOf(second->currentRoom()->timeline(), u"written offline"_s),
            int(TimelineModel::Sending));
        QVERIFY(second->connectionState() != client::ConnectionState::Live);

        QVERIFY(m_server->start());
        second->account()->retryNow();
        QTRY_COMPARE_WITH_TIMEOUT(second->connectionState(), client::ConnectionState::Live, 15000);
        QTRY_COMPARE_WITH_TIMEOUT(
            test::deliveryOf(second->currentRoom()->timeline(), u"written offline"_s),
            int(TimelineModel::Sent), 10000);
        QCOMPARE(test::rowsWithText(second->currentRoom()->timeline(), u"written offline"_s), 1);

        // Exactly one stored message on the server...
        auto *check = rawLogin(u"ana"_s);
        QVERIFY(check);
        const auto log = test::serverLog(check, room);
        int copies = 0;
        for (const auto &e : log)
            copies += e.text == u"written offline"_s ? 1 : 0;
        QCOMPARE(copies, 1);
        // ...and a third start sends nothing more: the outbox row is gone from the cache.
        second.session.reset();
        {
            QSqlDatabase db = QSqlDatabase::addDatabase(u"QSQLITE"_s, u"outboxcheck"_s);
            db.setDatabaseName(client::LocalStore::pathFor(dataDir, url(), u"ana"_s));
            QVERIFY(db.open());
            QSqlQuery q(db);
            QVERIFY(q.exec(u"SELECT count(*) FROM outbox"_s) && q.next());
            QCOMPARE(q.value(0).toInt(), 0);
        }
        QSqlDatabase::removeDatabase(u"outboxcheck"_s);
    }

    void serverRestartMidConversationResumesWithoutGapOrDuplicate()
    {
        App ana;
        QVERIFY(signedIn(ana, url(), u"ana"_s, true));
        auto *bob = new test::TestClient(this);
        QVERIFY(bob->open(m_server->url()) && bob->registerUser(u"bob"_s));
        const qint64 room = createRoom(ana, u"general"_s);
        QVERIFY(bob->request(protocol::requests::join(room)));
        QSignalSpy resumed(ana.session.get(), &Session::resumed);
        int n = 0;
        for (; n < 5; ++n)
            QVERIFY(bob->request(protocol::requests::send(room, u"b%1"_s.arg(n), u"m%1"_s.arg(n))));
        ana->currentRoom()->sendMessage(u"before restart"_s);
        QTRY_COMPARE_WITH_TIMEOUT(
            test::rowsWithText(ana->currentRoom()->timeline(), u"m4"_s), 1, 10000);

        QVERIFY(m_server->restart());
        // While ana is away, bob keeps talking.
        auto *bob2 = rawLogin(u"bob"_s);
        QVERIFY(bob2);
        for (; n < 10; ++n)
            QVERIFY(
                bob2->request(protocol::requests::send(room, u"b%1"_s.arg(n), u"m%1"_s.arg(n))));
        QTRY_VERIFY_WITH_TIMEOUT(resumed.size() >= 1, 15000);
        QTRY_COMPARE_WITH_TIMEOUT(ana->connectionState(), client::ConnectionState::Live, 15000);
        for (; n < 13; ++n)
            QVERIFY(
                bob2->request(protocol::requests::send(room, u"b%1"_s.arg(n), u"m%1"_s.arg(n))));
        QTRY_COMPARE_WITH_TIMEOUT(
            test::rowsWithText(ana->currentRoom()->timeline(), u"m12"_s), 1, 10000);

        const auto log = test::serverLog(bob2, room);
        QVERIFY(log.size() >= 16);
        QCOMPARE(test::timelineSeqs(ana->currentRoom()->timeline()), test::seqsOf(log));
        QCOMPARE(test::rowsWithText(ana->currentRoom()->timeline(), u"before restart"_s), 1);
    }

    void silentConnectionIsDetectedAndReplaced()
    {
        SilentProxy proxy(m_server->server()->port());
        client::SessionOptions options;
        options.pingIntervalMs = 400;
        options.pingTimeoutMs = 400;
        App ana(options);
        QVERIFY(signedIn(ana, proxy.url().toString(), u"ana"_s, true));
        const qint64 room = createRoom(ana, u"general"_s);
        QVERIFY(room > 0);
        QCOMPARE(proxy.accepted(), 1);
        // Pings keep a healthy but idle link up.
        QTest::qWait(1500);
        QCOMPARE(ana->connectionState(), client::ConnectionState::Live);
        QCOMPARE(proxy.accepted(), 1);

        QSignalSpy states(ana->account(), &client::Account::connectionStateChanged);
        QElapsedTimer t;
        t.start();
        proxy.freeze(); // no FIN, no RST: only the watchdog can notice
        QTRY_VERIFY_WITH_TIMEOUT(ana->connectionState() != client::ConnectionState::Live, 10000);
        const qint64 detectedMs = t.elapsed();
        QTRY_COMPARE_WITH_TIMEOUT(ana->connectionState(), client::ConnectionState::Live, 15000);
        QCOMPARE(proxy.accepted(), 2);
        qInfo() << "silent link detected after" << detectedMs << "ms, live again after"
                << t.elapsed() << "ms";
        QVERIFY(detectedMs < 5000);
        ana->currentRoom()->sendMessage(u"after the freeze"_s);
        QTRY_COMPARE_WITH_TIMEOUT(
            test::deliveryOf(ana->currentRoom()->timeline(), u"after the freeze"_s),
            int(TimelineModel::Sent), 10000);
    }

    void gapIsFilledFromHistory()
    {
        m_server->config().limits.resumeMax = 5;
        m_server->config().limits.historyPageMax = 4;
        QVERIFY(m_server->restart());
        auto keychain = std::make_shared<QHash<QString, QString>>();
        client::SessionOptions options;
        options.memoryKeychain = keychain;
        auto first = std::make_unique<App>(options);
        const QString dataDir = first->path;
        auto keepDir = std::move(first->m_dir);
        QVERIFY(signedIn(*first, url(), u"ana"_s, true, true));
        const qint64 room = createRoom(*first, u"general"_s);
        QVERIFY(room > 0);
        first.reset();

        auto *bob = new test::TestClient(this);
        QVERIFY(bob->open(m_server->url()) && bob->registerUser(u"bob"_s));
        QVERIFY(bob->request(protocol::requests::join(room)));
        for (int i = 0; i < 23; ++i)
            QVERIFY(bob->request(protocol::requests::send(room, u"g%1"_s.arg(i), u"g%1"_s.arg(i))));

        App second(options, dataDir);
        QSignalSpy resumed(second.session.get(), &Session::resumed);
        QVERIFY(second->account()->restore());
        QTRY_VERIFY_WITH_TIMEOUT(resumed.size() >= 1, 15000);
        const auto log = test::serverLog(bob, room, 4);
        QCOMPARE(log.size(), 2 + 1 + 23);
        QCOMPARE(test::timelineSeqs(second->currentRoom()->timeline()), test::seqsOf(log));
        // The cache holds the whole log too, with the cursor at its end.
        client::LocalStore store;
        second.session.reset();
        QVERIFY(store.open(client::LocalStore::pathFor(dataDir, url(), u"ana"_s)));
        QCOMPARE(test::seqsOf(store.events(room)), test::seqsOf(log));
        QCOMPARE(store.cursors().value(room), log.last().seq);
    }

    void serverRestoredFromBackupIsReloaded()
    {
        App ana;
        QVERIFY(signedIn(ana, url(), u"ana"_s, true));
        auto *bob = new test::TestClient(this);
        QVERIFY(bob->open(m_server->url()) && bob->registerUser(u"bob"_s));
        const qint64 room = createRoom(ana, u"general"_s);
        QVERIFY(bob->request(protocol::requests::join(room)));
        for (int i = 0; i < 3; ++i)
            QVERIFY(
                bob->request(protocol::requests::send(room, u"k%1"_s.arg(i), u"kept%1"_s.arg(i))));
        QTRY_COMPARE_WITH_TIMEOUT(
            test::rowsWithText(ana->currentRoom()->timeline(), u"kept2"_s), 1, 10000);

        // The backup: a copy of the data folder while the server is down.
        const QFileInfo db(m_server->databasePath());
        QTemporaryDir backup;
        const auto copyDb = [&](const QString &from, const QString &to) {
            const QStringList names = QDir(from).entryList({db.fileName() + u'*'}, QDir::Files);
            for (const QString &name : names) {
                QFile::remove(to + u'/' + name);
                if (!QFile::copy(from + u'/' + name, to + u'/' + name))
                    return false;
            }
            return !names.isEmpty();
        };
        m_server->stop();
        QVERIFY(copyDb(db.absolutePath(), backup.path()));
        QVERIFY(m_server->start());
        QTRY_COMPARE_WITH_TIMEOUT(ana->connectionState(), client::ConnectionState::Live, 15000);
        auto *bob2 = rawLogin(u"bob"_s);
        QVERIFY(bob2);
        for (int i = 0; i < 5; ++i)
            QVERIFY(
                bob2->request(protocol::requests::send(room, u"l%1"_s.arg(i), u"lost%1"_s.arg(i))));
        QTRY_COMPARE_WITH_TIMEOUT(
            test::rowsWithText(ana->currentRoom()->timeline(), u"lost4"_s), 1, 10000);
        const qint64 highBefore = ana->currentRoom()->timeline()->highestSeq();

        // Roll the server back to the backup: its log now ends below ana's cursor.
        m_server->stop();
        QTRY_VERIFY_WITH_TIMEOUT(ana->connectionState() != client::ConnectionState::Live, 10000);
        const QStringList current
            = QDir(db.absolutePath()).entryList({db.fileName() + u'*'}, QDir::Files);
        for (const QString &name : current)
            QVERIFY(QFile::remove(db.absolutePath() + u'/' + name));
        QVERIFY(copyDb(backup.path(), db.absolutePath()));
        QVERIFY(m_server->start());
        auto *bob3 = rawLogin(u"bob"_s);
        QVERIFY(bob3);
        // New events take the seqs the lost ones had.
        QVERIFY(bob3->request(protocol::requests::send(room, u"n0"_s, u"new0"_s)));
        QTRY_COMPARE_WITH_TIMEOUT(ana->connectionState(), client::ConnectionState::Live, 15000);
        QVERIFY(bob3->request(protocol::requests::send(room, u"n1"_s, u"new1"_s)));
        QTRY_COMPARE_WITH_TIMEOUT(
            test::rowsWithText(ana->currentRoom()->timeline(), u"new1"_s), 1, 10000);

        const auto log = test::serverLog(bob3, room);
        QVERIFY(log.last().seq < highBefore + 2); // the restore really went back
        QCOMPARE(test::timelineSeqs(ana->currentRoom()->timeline()), test::seqsOf(log));
        QCOMPARE(test::rowsWithText(ana->currentRoom()->timeline(), u"lost0"_s), 0);
        QCOMPARE(test::rowsWithText(ana->currentRoom()->timeline(), u"new0"_s), 1);
        QCOMPARE(test::rowsWithText(ana->currentRoom()->timeline(), u"kept0"_s), 1);
        // Messages still work both ways, and the cache agrees with the server.
        ana->currentRoom()->sendMessage(u"after the restore"_s);
        QTRY_COMPARE_WITH_TIMEOUT(
            test::deliveryOf(ana->currentRoom()->timeline(), u"after the restore"_s),
            int(TimelineModel::Sent), 10000);
        const auto finalLog = test::serverLog(bob3, room);
        QTRY_COMPARE_WITH_TIMEOUT(
            test::timelineSeqs(ana->currentRoom()->timeline()), test::seqsOf(finalLog), 10000);
        const QString dataDir = ana.path;
        ana.session.reset();
        client::LocalStore store;
        QVERIFY(store.open(client::LocalStore::pathFor(dataDir, url(), u"ana"_s)));
        QCOMPARE(test::seqsOf(store.events(room)), test::seqsOf(finalLog));
        QCOMPARE(store.cursors().value(room), finalLog.last().seq);
    }

    void burstUnderTinyRateLimitIsStoredInWrittenOrder_data()
    {
        QTest::addColumn<int>("perSecond");
        QTest::addColumn<int>("burst");
        QTest::addColumn<int>("messages");
        // Fast refill: a pipelined client would see later sends slip in between refusals.
        QTest::newRow("fast refill") << 1000 << 20 << 200;
        // Slow refill: even one send at a time runs into the limit and has to wait.
        QTest::newRow("slow refill") << 25 << 3 << 40;
    }

    void burstUnderTinyRateLimitIsStoredInWrittenOrder()
    {
        // Many sends of the burst are refused with rate_limited and must be retried; none
        // may overtake an earlier one of the same room, and each is stored once.
        QFETCH(int, perSecond);
        QFETCH(int, burst);
        QFETCH(int, messages);
        m_server->config().limits.ratePerSecond = perSecond;
        m_server->config().limits.rateBurst = burst;
        QVERIFY(m_server->restart());
        App ana;
        QVERIFY(signedIn(ana, url(), u"ana"_s, true));
        const qint64 room = createRoom(ana, u"burst"_s);
        QVERIFY(room > 0);
        QStringList written;
        for (int i = 0; i < messages; ++i) {
            written.append(u"o%1"_s.arg(i));
            ana->currentRoom()->sendMessage(written.last());
        }
        QTRY_VERIFY_WITH_TIMEOUT(std::all_of(written.cbegin(), written.cend(),
                                     [&](const QString &t) {
                                         return test::deliveryOf(ana->currentRoom()->timeline(), t)
                                             == int(TimelineModel::Sent);
                                     }),
            60000);
        QCOMPARE(ana->connectionState(),
            client::ConnectionState::Live); // throttled, never cut off (4004)

        auto *check = rawLogin(u"ana"_s);
        QVERIFY(check);
        QStringList stored;
        for (const auto &e : test::serverLog(check, room)) {
            if (e.kind == protocol::EventKind::Message)
                stored.append(e.text);
        }
        QCOMPARE(stored, written);
        QStringList shown;
        for (int row = 0; row < ana->currentRoom()->timeline()->rowCount(); ++row) {
            const QString text
                = ana->currentRoom()
                      ->timeline()
                      ->data(ana->currentRoom()->timeline()->index(row), TimelineModel::TextRole)
                      .toString();
            if (text.startsWith(u'o'))
                shown.append(text);
        }
        QCOMPARE(shown, written);
    }

    void signOutWhileOfflineRevokesOnNextStart()
    {
        auto keychain = std::make_shared<QHash<QString, QString>>();
        client::SessionOptions options;
        options.memoryKeychain = keychain;
        auto app = std::make_unique<App>(options);
        const QString dataDir = app->path;
        auto keepDir = std::move(app->m_dir);
        QVERIFY(signedIn(*app, url(), u"ana"_s, true, true));
        const QString accountKey = client::TokenStore::keyFor(url(), u"ana"_s);
        const QString pendingKey = client::PendingRevocations::keyFor(url());
        const QString token = keychain->value(accountKey);
        QVERIFY(token.size() >= 20);

        m_server->stop();
        QTRY_VERIFY_WITH_TIMEOUT((*app)->connectionState() != client::ConnectionState::Live, 10000);
        (*app)->account()->signOut();
        QCOMPARE((*app)->account()->status(), client::Account::SignedOut);
        // Kept only in the keychain, under its own key, until the server can revoke it.
        QTRY_COMPARE_WITH_TIMEOUT(keychain->value(pendingKey), token, 5000);
        QVERIFY(!keychain->contains(accountKey));
        QVERIFY((*app)->account()->errorText().isEmpty());
        app.reset();
        QDirIterator files(dataDir, QDir::Files | QDir::Hidden, QDirIterator::Subdirectories);
        while (files.hasNext()) {
            QFile f(files.next());
            QVERIFY(f.open(QIODevice::ReadOnly));
            QVERIFY2(!f.readAll().contains(token.toUtf8()), qPrintable(f.fileName()));
        }

        // Still valid on the server meanwhile: that is why it must be revoked.
        QVERIFY(m_server->start());
        {
            test::TestClient probe;
            QVERIFY(probe.open(m_server->url()) && probe.authenticate(token));
        }
        // The next start has no session to restore, but revokes the old one.
        App second(options, dataDir);
        QSignalSpy status(second->account(), &client::Account::statusChanged);
        QVERIFY(second->account()->restore());
        QTRY_VERIFY_WITH_TIMEOUT(!keychain->contains(pendingKey), 15000);
        QCOMPARE(second->account()->status(), client::Account::SignedOut);
        test::TestClient after;
        QVERIFY(after.open(m_server->url()));
        QVERIFY(!after.authenticate(token));
        QVERIFY(keychain->isEmpty());
    }

    void signOutWhileOfflineWithoutKeychainSaysSo()
    {
        client::SessionOptions options;
        options.useKeychain = false;
        App app(options);
        QVERIFY(signedIn(app, url(), u"ana"_s, true, false));
        QVERIFY(
            app->account()->keychainWarning().isEmpty()); // not staying signed in: nothing to say
        m_server->stop();
        QTRY_VERIFY_WITH_TIMEOUT(app->connectionState() != client::ConnectionState::Live, 10000);
        app->account()->signOut();
        QCOMPARE(app->account()->status(), client::Account::SignedOut);
        QVERIFY2(app->account()->errorText().contains(u"server could not be told"_s),
            qPrintable(app->account()->errorText()));
        QVERIFY(!app->account()->keychainWarning().isEmpty());
    }

    void withoutKeychainNothingSecretIsWritten()
    {
        SilentProxy sniffer(m_server->server()->port()); // to learn the token the server issued
        client::SessionOptions options;
        options.useKeychain = false;
        App app(options);
        QSignalSpy warning(app->account(), &client::Account::keychainWarningChanged);
        QVERIFY(signedIn(app, sniffer.url().toString(), u"ana"_s, true, true));
        QVERIFY(!app->account()->keychainWarning().isEmpty());
        QCOMPARE(warning.size(), 1);
        createRoom(app, u"secret-free"_s);
        app->currentRoom()->sendMessage(u"some text"_s);
        QTRY_COMPARE_WITH_TIMEOUT(test::deliveryOf(app->currentRoom()->timeline(), u"some text"_s),
            int(TimelineModel::Sent), 10000);

        const QRegularExpression tokenRe(u"\"token\":\"([A-Za-z0-9_-]+)\""_s);
        const auto match = tokenRe.match(QString::fromUtf8(sniffer.fromServer()));
        QVERIFY(match.hasMatch());
        const QByteArray token = match.captured(1).toUtf8();
        QVERIFY(token.size() >= 20);

        // A restart cannot restore: nothing was stored.
        App again(options, app.path);
        QVERIFY(!again->account()->restore());
        QCOMPARE(again->account()->status(), client::Account::SignedOut);
        app.session.reset();
        again.session.reset();
        app.settingsFile->sync();

        int files = 0;
        QDirIterator it(app.path, QDir::Files | QDir::Hidden, QDirIterator::Subdirectories);
        while (it.hasNext()) {
            QFile f(it.next());
            QVERIFY(f.open(QIODevice::ReadOnly));
            const QByteArray bytes = f.readAll();
            QVERIFY2(!bytes.contains(token), qPrintable(f.fileName()));
            QVERIFY2(!bytes.contains(test::Password.toUtf8()), qPrintable(f.fileName()));
            ++files;
        }
        QVERIFY(files >= 2); // the cache and the settings were checked, not nothing
    }
};

QTEST_MAIN(TestSession)
#include "tst_session.moc"
