// SPDX-License-Identifier: GPL-3.0-or-later
// Moving a server (docs/lan.md, protocol §19.6) with the real confabd: a second server
// restored from a backup of the first has its id and key. The app follows the old server's
// `moved` announcement (on reload, and in hello at sign-in) and keeps its pin and history;
// it does not follow an address where another server answers; and when the old address
// is gone, it finds the server nearby by its id.
#include "confabdprocess.h"
#include "keychain/tokenstore.h"
#include "lan/beaconpacket.h"
#include "lan/mdnsrecord.h"
#include "lan/nearbyservers.h"
#include "net/pinstore.h"
#include "net/serverconnection.h"
#include "session/account.h"
#include "session/currentroom.h"
#include "session/roomactions.h"
#include "session/servertrust.h"
#include "sessionfixture.h"
#include "store/localstore.h"

#include <QDir>
#include <QElapsedTimer>
#include <QFile>
#include <QFileInfo>
#include <QProcess>
#include <QSignalSpy>
#include <QUdpSocket>
#include <csignal>

using namespace Qt::StringLiterals;
using namespace confab;
using client::Account;
using client::ServerTrust;
using test::App;

class TstServerMove : public QObject
{
    Q_OBJECT

    QTemporaryDir m_dir;
    test::ConfabdProcess m_old;
    QString m_oldConfig;
    test::ConfabdProcess m_moved; //!< restored from a backup of the old: the same id and key
    test::ConfabdProcess m_later; //!< the same, from a later backup
    test::ConfabdProcess m_stranger; //!< its own id and key
    std::unique_ptr<test::ConfabdProcess> m_movedAgain; //!< where the later one moved to last
    QString m_movedAgainData;
    bool m_oldGone = false;

    QString path(const QString &name) const { return m_dir.filePath(name); }

    static QString configText(const QString &data, const QString &movedTo = {})
    {
        QString text = u"[server]\ndata_dir = %1\nregistration = open\n"
                       "tls_self_signed = true\nserver_name = Workshop\n"_s.arg(data);
        if (!movedTo.isEmpty())
            text += u"moved_to = %1\n"_s.arg(movedTo);
        return text;
    }

    //! One line of `confabd identity` for the data folder \a data, e.g. "id".
    static QString identity(const QString &data, const QString &field)
    {
        return test::identityField({u"--data"_s, data}, field);
    }

    static bool run(const QStringList &args)
    {
        QProcess confabd;
        confabd.start(QStringLiteral(CONFABD_PATH), args);
        if (!confabd.waitForFinished(30000) || confabd.exitCode() != 0) {
            qWarning() << args << confabd.readAllStandardError();
            return false;
        }
        return true;
    }

    //! Backs the old server up now, and starts \a server on it, as on a new machine. The
    //! sessions signed in before are in the backup: their tokens work there too.
    bool startRestored(test::ConfabdProcess &server, const QString &name)
    {
        const QString data = path(name);
        const QString config = path(name + u".ini"_s);
        const QString backup = path(name + u"-backup"_s);
        return run({u"--data"_s, path(u"old"_s), u"backup"_s, backup})
            && run({u"--data"_s, data, u"restore"_s, backup})
            && test::writeFile(config, configText(data).toUtf8())
            && server.start({u"--config"_s, config});
    }

    //! Sets (or clears) the old server's moved_to and has it reload.
    bool moveOldTo(const QString &url)
    {
        const int before = int(m_old.log().count("configuration reloaded"));
        if (!test::writeFile(m_oldConfig, configText(path(u"old"_s), url).toUtf8()))
            return false;
        m_old.signal(SIGHUP);
        return test::TestClient::waitUntil(
            [&] { return int(m_old.log().count("configuration reloaded")) > before; }, 10000);
    }

    static client::SessionOptions options() { return test::withoutKeychain(); }

    //! Signs \a app in to \a url as ana, confirming the code if asked; true once live.
    static bool signIn(App &app, const QString &url, bool create = false, bool stay = false)
    {
        ServerTrust *trust = app->serverTrust();
        QObject::connect(trust, &ServerTrust::changed, app.session.get(), [trust] {
            if (trust->prompt() == ServerTrust::CompareCode)
                trust->confirm();
        });
        if (create)
            app->account()->createAccount(url, u"ana"_s, test::Password, {}, false);
        else
            app->account()->signIn(url, u"ana"_s, test::Password, stay);
        return live(app);
    }

    static bool live(App &app, int timeoutMs = 15000)
    {
        return test::signedInAndLive(app, timeoutMs);
    }

    static QString connectedTo(App &app)
    {
        const auto *ws = qobject_cast<client::ServerConnection *>(app->connection());
        return ws ? ws->url().toString() : QString();
    }

    static bool openGeneral(App &app)
    {
        for (int row = 0; row < app->rooms()->rowCount(); ++row) {
            const QModelIndex index = app->rooms()->index(row);
            if (index.data(client::RoomListModel::NameRole).toString() == u"general"_s) {
                app->currentRoom()->select(
                    index.data(client::RoomListModel::RoomIdRole).toLongLong());
                return true;
            }
        }
        return false;
    }

    int signInsAt(test::ConfabdProcess &server) { return int(server.log().count("sign-in by")); }

private Q_SLOTS:
    void initTestCase()
    {
        QVERIFY(m_dir.isValid());
        m_oldConfig = path(u"old.ini"_s);
        QVERIFY(test::writeFile(m_oldConfig, configText(path(u"old"_s)).toUtf8()));
        QVERIFY(m_old.start({u"--config"_s, m_oldConfig}));

        // ana, a room and a message on the old server; then the backup a move starts from.
        App app(options());
        QVERIFY(signIn(app, m_old.url().toString(), true));
        app->roomActions()->createRoom(u"general"_s, {});
        QTRY_VERIFY_WITH_TIMEOUT(app->currentRoom()->roomId() != 0, 10000);
        app->currentRoom()->sendMessage(u"before the move"_s);
        QTRY_COMPARE_WITH_TIMEOUT(
            test::deliveryOf(app->currentRoom()->timeline(), u"before the move"_s),
            int(client::TimelineModel::Sent), 10000);
        QVERIFY(m_stranger.start({u"--data"_s, path(u"stranger"_s), u"--set"_s,
            u"tls_self_signed=true"_s, u"--set"_s, u"registration=open"_s}));
    }

    void cleanup()
    {
        if (!m_oldGone)
            QVERIFY(moveOldTo({}));
    }

    // A signed-in app hears `moved` on reload, checks the new address's id and key, and
    // from then on uses it: the pin is the same, the history is there, sending works.
    void followsTheMovedAnnouncement()
    {
        const QString id = identity(path(u"old"_s), u"id"_s);
        const QString fingerprint = identity(path(u"old"_s), u"fingerprint"_s);
        QTemporaryDir appDir;
        // Staying signed in: the token follows the server to its new address.
        client::SessionOptions staying;
        staying.memoryKeychain = std::make_shared<QHash<QString, QString>>();
        const QString oldToken = client::TokenStore::keyFor(m_old.url().toString(), u"ana"_s);
        QString newToken; // once the new server has its port
        {
            App app(staying, appDir.path());
            QVERIFY(signIn(app, m_old.url().toString(), false, true));
            QTRY_VERIFY_WITH_TIMEOUT(staying.memoryKeychain->contains(oldToken), 5000);
            QCOMPARE(app->pins()->fingerprintOf(id), fingerprint);
            QVERIFY(app->account()->moveNotice().isEmpty());
            QVERIFY(startRestored(m_moved, u"moved"_s));
            QCOMPARE(identity(path(u"moved"_s), u"id"_s), id);
            newToken = client::TokenStore::keyFor(m_moved.url().toString(), u"ana"_s);
            const int movedSignIns = signInsAt(m_moved);

            QVERIFY(moveOldTo(m_moved.url().toString()));
            QTRY_COMPARE_WITH_TIMEOUT(app->account()->serverUrl(), m_moved.url().toString(), 15000);
            QVERIFY(live(app));
            QCOMPARE(connectedTo(app), m_moved.url().toString());
            QVERIFY(signInsAt(m_moved) > movedSignIns);
            QCOMPARE(app.settings->lastServerUrl(), m_moved.url().toString());
            QCOMPARE(app->pins()->fingerprintOf(id), fingerprint);
            QCOMPARE(app->pins()->serverIdFor(m_moved.url()), id);
            QCOMPARE(app->serverTrust()->prompt(), ServerTrust::None);
            QVERIFY(app->account()->moveNotice().contains(m_moved.url().toString()));
            QVERIFY(app->account()->errorText().isEmpty());
            QTRY_VERIFY_WITH_TIMEOUT(staying.memoryKeychain->contains(newToken), 5000);
            QVERIFY(!staying.memoryKeychain->contains(oldToken));

            QVERIFY(openGeneral(app));
            app->currentRoom()->sendMessage(u"after the move"_s);
            QTRY_COMPARE_WITH_TIMEOUT(
                test::deliveryOf(app->currentRoom()->timeline(), u"after the move"_s),
                int(client::TimelineModel::Sent), 10000);
        }

        // The next start of the app, in the same folder: it restores the session at the new
        // address, asks no code, and the cache it kept for the old address is its now.
        const QString oldCache
            = client::LocalStore::pathFor(appDir.path(), m_old.url().toString(), u"ana"_s);
        const QString newCache
            = client::LocalStore::pathFor(appDir.path(), m_moved.url().toString(), u"ana"_s);
        QVERIFY(QFileInfo::exists(oldCache));
        QVERIFY(!QFileInfo::exists(newCache));
        App again(staying, appDir.path());
        QCOMPARE(again.settings->lastServerUrl(), m_moved.url().toString());
        QSignalSpy asked(again->serverTrust(), &ServerTrust::changed);
        QVERIFY(again->account()->restore());
        QVERIFY(live(again));
        QCOMPARE(connectedTo(again), m_moved.url().toString());
        QCOMPARE(asked.count(), 0);
        QVERIFY(QFileInfo::exists(newCache));
        QVERIFY(!QFileInfo::exists(oldCache));
        QVERIFY(openGeneral(again));
        QTRY_COMPARE_WITH_TIMEOUT(
            test::rowsWithText(again->currentRoom()->timeline(), u"after the move"_s), 1, 10000);
    }

    // A move to where another server (another id and key) answers is not followed: the
    // app says so, keeps the old address, and stays with the old server.
    void doesNotFollowToAnotherServer()
    {
        App app(options());
        QVERIFY(signIn(app, m_old.url().toString()));
        const QString old = m_old.url().toString();
        const int strangerSignIns = signInsAt(m_stranger);

        QVERIFY(moveOldTo(m_stranger.url().toString()));
        QTRY_VERIFY_WITH_TIMEOUT(
            app->account()->errorText().contains(m_stranger.url().toString()), 15000);
        QVERIFY(live(app));
        QCOMPARE(app->account()->serverUrl(), old);
        QCOMPARE(connectedTo(app), old);
        QCOMPARE(app.settings->lastServerUrl(), old);
        QVERIFY(app->pins()->serverIdFor(m_stranger.url()).isEmpty());
        QVERIFY(app->account()->moveNotice().contains(m_stranger.url().toString()));
        QCOMPARE(app->serverTrust()->prompt(), ServerTrust::None);
        QCOMPARE(signInsAt(m_stranger), strangerSignIns);
    }

    // A server that moved before the app first signed in says so in hello: the password
    // goes only to the new address.
    void followsHelloAtSignIn()
    {
        QVERIFY(moveOldTo(m_moved.url().toString()));
        const int oldSignIns = signInsAt(m_old);
        App app(options());
        QVERIFY(signIn(app, m_old.url().toString()));
        QCOMPARE(app->account()->serverUrl(), m_moved.url().toString());
        QCOMPARE(connectedTo(app), m_moved.url().toString());
        QCOMPARE(app.settings->lastServerUrl(), m_moved.url().toString());
        QCOMPARE(signInsAt(m_old), oldSignIns);
        QVERIFY(!app->account()->moveNotice().isEmpty());
        // A new device: what it shows comes from the new server, which has it all.
        QVERIFY(openGeneral(app));
        QTRY_COMPARE_WITH_TIMEOUT(
            test::rowsWithText(app->currentRoom()->timeline(), u"before the move"_s), 1, 10000);
        QCOMPARE(test::rowsWithText(app->currentRoom()->timeline(), u"after the move"_s), 1);
    }

    // An address no client could follow is refused by the reload, which keeps what ran.
    void aBadAddressFailsTheReload()
    {
        const int before = int(m_old.log().count("reload failed"));
        QVERIFY(test::writeFile(
            m_oldConfig, configText(path(u"old"_s), u"wss://127.0.0.1:1/chat"_s).toUtf8()));
        m_old.signal(SIGHUP);
        QVERIFY(test::TestClient::waitUntil(
            [&] { return int(m_old.log().count("reload failed")) > before; }, 10000));
        QVERIFY(m_old.log().contains("moved_to: expected a ws:// or wss:// URL"));

        // This server serves wss://: no client would follow it to ws://.
        QVERIFY(test::writeFile(
            m_oldConfig, configText(path(u"old"_s), u"ws://127.0.0.1:1"_s).toUtf8()));
        m_old.signal(SIGHUP);
        QVERIFY(test::TestClient::waitUntil(
            [&] { return int(m_old.log().count("reload failed")) > before + 1; }, 10000));
        QVERIFY(m_old.log().contains("clients do not follow a move from wss:// to ws://"));
    }

    // The old server is gone without a word; the same server id is announced nearby at
    // another port: after a few failed reconnects the app tries there and adopts it.
    void findsTheServerNearbyByItsId()
    {
        App app(options());
        quint16 beaconPort = test::freePort();
        QVERIFY(beaconPort != 0);
        app->nearby()->setBeaconPort(beaconPort);
        QVERIFY(signIn(app, m_old.url().toString()));
        QVERIFY(startRestored(m_later, u"later"_s));
        m_old.stop();
        m_oldGone = true;
        QTRY_COMPARE_WITH_TIMEOUT(app->connectionState(), client::ConnectionState::Offline, 10000);

        const QString id = identity(path(u"later"_s), u"id"_s);
        const QString fingerprint = identity(path(u"later"_s), u"fingerprint"_s);
        QUdpSocket beacon;
        const QByteArray announce = lan::encodeBeacon(
            lan::BeaconPacket::announce(id, u"Workshop"_s, m_later.port(), fingerprint, 1));
        QVERIFY(test::TestClient::waitUntil(
            [&] {
                beacon.writeDatagram(announce, QHostAddress::LocalHost, beaconPort);
                return app->account()->serverUrl() == m_later.url().toString();
            },
            20000));
        QVERIFY(live(app));
        QCOMPARE(connectedTo(app), m_later.url().toString());
        QCOMPARE(app.settings->lastServerUrl(), m_later.url().toString());
        QVERIFY(!app->nearby()->isActive());
    }

    // Someone announces the server's id at an address of their own (a server with another
    // key), while mDNS has the real one: the app tries the forged one, is refused there in
    // the handshake, and goes on to the next, instead of being held at the forged one.
    void aForgedAnnouncementDoesNotHideTheServer_data()
    {
        QTest::addColumn<bool>("realByMdns");
        QTest::newRow("the real one by mDNS") << true;
        QTest::newRow("both by the beacon") << false;
    }
    void aForgedAnnouncementDoesNotHideTheServer()
    {
        QFETCH(bool, realByMdns);
        // Each row moves on from where the last one left the server.
        test::ConfabdProcess *source = m_movedAgain ? m_movedAgain.get() : &m_later;
        const QString sourceData = m_movedAgain ? m_movedAgainData : path(u"later"_s);
        App app(options());
        quint16 beaconPort = test::freePort();
        QVERIFY(beaconPort != 0);
        app->nearby()->setBeaconPort(beaconPort);
        app->nearby()->setUseMdns(false); // the record below stands in for Avahi's
        QVERIFY(signIn(app, source->url().toString()));
        // The server moves again, by a backup taken now (the app's session is in it).
        auto moved = std::make_unique<test::ConfabdProcess>();
        test::ConfabdProcess &third = *moved;
        const QString name = realByMdns ? u"third"_s : u"fourth"_s;
        const QString data = path(name);
        QVERIFY(run({u"--data"_s, sourceData, u"backup"_s, path(name + u"-backup"_s)}));
        QVERIFY(run({u"--data"_s, data, u"restore"_s, path(name + u"-backup"_s)}));
        QVERIFY(test::writeFile(path(name + u".ini"_s), configText(data).toUtf8()));
        QVERIFY(third.start({u"--config"_s, path(name + u".ini"_s)}));
        source->stop();
        QTRY_COMPARE_WITH_TIMEOUT(app->connectionState(), client::ConnectionState::Offline, 10000);

        const QString id = identity(data, u"id"_s);
        lan::MdnsRecord real;
        real.version = 1;
        real.id = id;
        real.name = u"Workshop"_s;
        real.fingerprint = identity(data, u"fingerprint"_s);
        QUdpSocket beacon;
        const QByteArray forged = lan::encodeBeacon(
            lan::BeaconPacket::announce(id, u"Workshop"_s, m_stranger.port(), real.fingerprint, 1));
        const QByteArray genuine = lan::encodeBeacon(
            lan::BeaconPacket::announce(id, u"Workshop"_s, third.port(), real.fingerprint, 1));
        const int strangerSignIns = signInsAt(m_stranger);
        bool triedForged = false;
        QVERIFY(test::TestClient::waitUntil(
            [&] {
                if (realByMdns)
                    app->nearby()->mdnsResolved(real, QHostAddress::LocalHost, third.port());
                else
                    beacon.writeDatagram(genuine, QHostAddress::LocalHost, beaconPort);
                // The forger announces after the server, so its address is the newest.
                beacon.writeDatagram(forged, QHostAddress::LocalHost, beaconPort);
                triedForged = triedForged || connectedTo(app) == m_stranger.url().toString();
                return app->account()->serverUrl() == third.url().toString();
            },
            30000));
        QVERIFY(live(app));
        QCOMPARE(connectedTo(app), third.url().toString());
        QVERIFY(triedForged);
        QCOMPARE(signInsAt(m_stranger), strangerSignIns);
        QCOMPARE(app->serverTrust()->prompt(), ServerTrust::None);
        m_movedAgain = std::move(moved);
        m_movedAgainData = data;
    }

    // Without TLS, hello's id is only a claim, and an announcement is anyone's to send: a
    // plain server is not looked for nearby, even where a server with its id answers (here
    // a restored copy), since the app would hand its token to whoever announced it.
    void aPlainServerIsNotLookedForNearby()
    {
        test::ConfabdProcess plain;
        test::ConfabdProcess copy;
        QVERIFY(plain.start({u"--data"_s, path(u"plain"_s), u"--set"_s, u"registration=open"_s}));
        QCOMPARE(plain.url().scheme(), u"ws"_s);
        App app(options());
        quint16 beaconPort = test::freePort();
        QVERIFY(beaconPort != 0);
        app->nearby()->setBeaconPort(beaconPort);
        QVERIFY(signIn(app, plain.url().toString(), true));
        const QString id = identity(path(u"plain"_s), u"id"_s);
        QCOMPARE(app->connection()->hello().serverId, id);
        QVERIFY(run({u"--data"_s, path(u"plain"_s), u"backup"_s, path(u"plain-backup"_s)}));
        QVERIFY(run({u"--data"_s, path(u"copy"_s), u"restore"_s, path(u"plain-backup"_s)}));
        QVERIFY(copy.start({u"--data"_s, path(u"copy"_s)}));
        QSignalSpy failures(app->connection(), &client::Connection::closed);
        plain.stop();
        QTRY_COMPARE_WITH_TIMEOUT(app->connectionState(), client::ConnectionState::Offline, 10000);

        QUdpSocket beacon;
        const QByteArray announce = lan::encodeBeacon(
            lan::BeaconPacket::announce(id, u"Workshop"_s, copy.port(), QString(), 1));
        const QString there = copy.url().toString();
        QElapsedTimer clock;
        clock.start();
        // Past the failures after which a pinned server is looked for, with the announcement
        // heard all along.
        while (clock.elapsed() < 30000
            && failures.count() <= Account::FailuresBeforeLookingNearby + 1) {
            beacon.writeDatagram(announce, QHostAddress::LocalHost, beaconPort);
            QTest::qWait(250);
        }
        QVERIFY2(failures.count() > Account::FailuresBeforeLookingNearby + 1,
            qPrintable(QString::number(failures.count())));
        QCOMPARE(app->account()->serverUrl(), plain.url().toString());
        QCOMPARE(app->nearby()->urlsOf(id), QList<QUrl>({QUrl(there)})); // heard, not followed
        QVERIFY(connectedTo(app) != there);
        QCOMPARE(signInsAt(copy), 0);
    }
};

QTEST_MAIN(TstServerMove)
#include "tst_servermove.moc"
