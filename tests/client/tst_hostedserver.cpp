// SPDX-License-Identifier: GPL-3.0-or-later
// "Host a chat on this computer": the real confabd started by the app's HostedServer, on
// the LAN with its own certificate, the host an admin, stopped gracefully or found dead.
#include "hosting/hostedserver.h"
#include "lan/fingerprint.h"
#include "testclient.h"

#include <QNetworkInterface>
#include <QSettings>
#include <QSignalSpy>
#include <QSslCertificate>
#include <QStandardPaths>
#include <QTcpServer>
#include <QTcpSocket>
#include <QTemporaryDir>
#include <QtTest>
#include <csignal>

using namespace Qt::StringLiterals;
using namespace confab;
using client::HostedServer;

namespace {

bool waitForState(HostedServer &server, HostedServer::State state, int timeoutMs = 20000)
{
    return test::TestClient::waitUntil([&] { return server.state() == state; }, timeoutMs);
}

/*! \brief Opens \a url accepting only a certificate whose key has \a fingerprint. */
bool openPinned(test::TestClient &client, const QUrl &url, const QString &fingerprint)
{
    QObject::connect(&client.socket(), &QWebSocket::sslErrors, &client,
        [&client, fingerprint](const QList<QSslError> &errors) {
            if (!errors.isEmpty()
                && lan::fingerprintOf(errors.first().certificate()) == fingerprint)
                client.socket().ignoreSslErrors();
        });
    return client.open(url, 10000);
}

/*! \brief The real confabd, hosting from a folder in \a dir, on a port the system picks. */
void hostIn(HostedServer &server, const QTemporaryDir &dir)
{
    server.setProgram(QStringLiteral(CONFABD_PATH));
    server.setDataFolder(dir.filePath(u"hosted"_s));
    server.setPreferredPort(0);
}

bool portAnswers(quint16 port)
{
    QTcpSocket probe;
    probe.connectToHost(QHostAddress::LocalHost, port);
    return probe.waitForConnected(2000);
}

} // namespace

class TestHostedServer : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase()
    {
        // resume() remembers hosting in QSettings: keep that out of the user's own file.
        QStandardPaths::setTestModeEnabled(true);
    }

    void hostsWithTheHostAsAdminAndStopsGracefully()
    {
        QTemporaryDir dir;
        HostedServer server;
        hostIn(server, dir);
        QVERIFY(!server.hasAccount());

        // The first start needs the host's account.
        server.start(u"Workshop"_s, QString(), QString());
        QCOMPARE(server.state(), HostedServer::Failed);
        QVERIFY(!server.errorText().isEmpty());

        // A password the server refuses: the first start fails, and nothing counts as made,
        // although add-user had already made the database.
        server.start(u"Workshop"_s, u"ana"_s, u"short"_s);
        QVERIFY(waitForState(server, HostedServer::Failed));
        QVERIFY2(server.errorText().contains(u"password"_s), qPrintable(server.errorText()));
        QVERIFY(!server.hasAccount());

        server.start(u"Workshop"_s, u"ana"_s, u"password-123"_s);
        QCOMPARE(server.state(), HostedServer::Starting);
        QVERIFY2(waitForState(server, HostedServer::Running), qPrintable(server.errorText()));
        QVERIFY(server.hasAccount());
        QCOMPARE(server.url().scheme(), u"wss"_s);
        QCOMPARE(server.url().host(), u"127.0.0.1"_s);
        QVERIFY(lan::isFingerprint(server.fingerprint()));
        QCOMPARE(server.shortCode(), lan::shortCode(server.fingerprint()));
        for (const QString &address : server.addresses())
            QVERIFY2(address.startsWith(u"wss://"_s)
                    && address.endsWith(u":%1"_s.arg(server.url().port())),
                qPrintable(address));

        // The handshake's certificate is the one HostedServer named, and the host is an
        // admin of a server that says its name.
        test::TestClient ana;
        QVERIFY(openPinned(ana, server.url(), server.fingerprint()));
        QCOMPARE(ana.hello().value("serverId"_L1).toString(), server.serverId());
        QCOMPARE(ana.hello().value("name"_L1).toString(), u"Workshop"_s);
        QVERIFY(ana.login(u"ana"_s, u"password-123"_s));
        QCOMPARE(ana.session().value("admin"_L1).toBool(), true);

        // It listens on every address, for the others on the LAN.
        QVERIFY(portAnswers(quint16(server.url().port())));

        QSignalSpy changes(&server, &HostedServer::stateChanged);
        const quint16 port = quint16(server.url().port());
        server.stop();
        QCOMPARE(server.state(), HostedServer::Stopping);
        QVERIFY(waitForState(server, HostedServer::Stopped));
        // Graceful: the connected client heard "going away" (1001), not a reset.
        QVERIFY(test::TestClient::waitUntil([&] { return ana.closeCode() >= 0; }, 5000));
        QCOMPARE(ana.closeCode(), 1001);
        QVERIFY(!portAnswers(port));
        QVERIFY(server.url().isEmpty());
    }

    void anAppThatQuitWhileHostingHostsAgainButNotAfterStop()
    {
        QTemporaryDir dir;
        {
            HostedServer first;
            hostIn(first, dir);
            first.start(u"Ship"_s, u"ana"_s, u"password-123"_s);
            QVERIFY2(waitForState(first, HostedServer::Running), qPrintable(first.errorText()));
        } // the app quits while hosting
        HostedServer again;
        hostIn(again, dir);
        QCOMPARE(again.lastServerName(), u"Ship"_s);
        again.resume();
        QVERIFY2(waitForState(again, HostedServer::Running), qPrintable(again.errorText()));
        test::TestClient ana;
        QVERIFY(openPinned(ana, again.url(), again.fingerprint()));
        QCOMPARE(ana.hello().value("name"_L1).toString(), u"Ship"_s);
        again.stop();
        QVERIFY(waitForState(again, HostedServer::Stopped));

        HostedServer third;
        hostIn(third, dir);
        third.resume();
        QCOMPARE(third.state(), HostedServer::Stopped);
    }

    void countsWhoIsSignedInFromItsOwnBeacon()
    {
        bool lan = false;
        for (const QNetworkInterface &i : QNetworkInterface::allInterfaces()) {
            const auto flags = i.flags();
            lan = lan
                || (flags.testFlag(QNetworkInterface::IsUp)
                    && flags.testFlag(QNetworkInterface::CanMulticast)
                    && !flags.testFlag(QNetworkInterface::IsLoopBack));
        }
        if (!lan)
            QSKIP("no network interface here carries multicast: the beacon cannot be heard");
        QTemporaryDir dir;
        HostedServer server;
        hostIn(server, dir);
        server.start(u"Workshop"_s, u"ana"_s, u"password-123"_s);
        QVERIFY2(waitForState(server, HostedServer::Running), qPrintable(server.errorText()));
        QCOMPARE(server.usersOnline(), 0);
        test::TestClient ana;
        QVERIFY(openPinned(ana, server.url(), server.fingerprint()));
        QVERIFY(ana.login(u"ana"_s, u"password-123"_s));
        // The next announcement (every 5 s) carries the count.
        QVERIFY(test::TestClient::waitUntil([&] { return server.usersOnline() == 1; }, 15000));
        ana.disconnectNow();
        QVERIFY(test::TestClient::waitUntil([&] { return server.usersOnline() == 0; }, 15000));
        server.stop();
        QVERIFY(waitForState(server, HostedServer::Stopped));
        QCOMPARE(server.usersOnline(), 0);
    }

    void aSecondStartKeepsTheIdentityAndTheAccount()
    {
        QTemporaryDir dir;
        QString id;
        QString fingerprint;
        {
            HostedServer first;
            hostIn(first, dir);
            first.start(u"Workshop"_s, u"ana"_s, u"password-123"_s);
            QVERIFY2(waitForState(first, HostedServer::Running), qPrintable(first.errorText()));
            id = first.serverId();
            fingerprint = first.fingerprint();
        } // the destructor stops it
        HostedServer again;
        hostIn(again, dir);
        QVERIFY(again.hasAccount());
        again.start(u"Workshop"_s, QString(), QString());
        QVERIFY2(waitForState(again, HostedServer::Running), qPrintable(again.errorText()));
        QCOMPARE(again.serverId(), id);
        QCOMPARE(again.fingerprint(), fingerprint);
        test::TestClient ana;
        QVERIFY(openPinned(ana, again.url(), fingerprint));
        QVERIFY(ana.login(u"ana"_s, u"password-123"_s));
    }

    // 8747 taken at the first start: the free port used instead is the one neighbours saved,
    // so the next start tries that one again, not 8747.
    void aTakenPortIsReplacedAndTheReplacementRemembered()
    {
        QSettings().remove(u"hosting/port"_s);
        QTcpServer squatter;
        QVERIFY(squatter.listen(QHostAddress::Any, 0));
        const quint16 taken = squatter.serverPort();
        QTemporaryDir dir;
        HostedServer server;
        hostIn(server, dir);
        server.setPreferredPort(taken);
        server.start(u"Workshop"_s, u"ana"_s, u"password-123"_s);
        QVERIFY2(waitForState(server, HostedServer::Running), qPrintable(server.errorText()));
        const quint16 used = quint16(server.url().port());
        QVERIFY(used != taken && used != 0);
        server.stop();
        QVERIFY(waitForState(server, HostedServer::Stopped));

        squatter.close();
        HostedServer again;
        hostIn(again, dir);
        again.setPreferredPort(taken);
        again.start(u"Workshop"_s, QString(), QString());
        QVERIFY2(waitForState(again, HostedServer::Running), qPrintable(again.errorText()));
        QCOMPARE(quint16(again.url().port()), used);
        again.stop();
        QVERIFY(waitForState(again, HostedServer::Stopped));
        QSettings().remove(u"hosting/port"_s);
    }

    void aServerThatDiesIsReportedAndAMissingBinaryIsNamed()
    {
        QTemporaryDir dir;
        HostedServer server;
        hostIn(server, dir);
        server.start(u"Workshop"_s, u"ana"_s, u"password-123"_s);
        QVERIFY2(waitForState(server, HostedServer::Running), qPrintable(server.errorText()));
        QProcess pgrep;
        pgrep.start(u"pgrep"_s, {u"-f"_s, u"--newest"_s, dir.filePath(u"hosted"_s)});
        QVERIFY(pgrep.waitForFinished());
        const qint64 pid = pgrep.readAllStandardOutput().trimmed().toLongLong();
        QVERIFY(pid > 0);
        ::kill(pid_t(pid), SIGKILL);
        QVERIFY(waitForState(server, HostedServer::Failed));
        QVERIFY2(server.errorText().contains(u"crashed"_s), qPrintable(server.errorText()));

        HostedServer missing;
        missing.setProgram(dir.filePath(u"no-such-confabd"_s));
        missing.setDataFolder(dir.filePath(u"other"_s));
        missing.start(u"x"_s, u"ana"_s, u"password-123"_s);
        QVERIFY(waitForState(missing, HostedServer::Failed));
        QVERIFY(!missing.errorText().isEmpty());
    }
};

QTEST_GUILESS_MAIN(TestHostedServer)
#include "tst_hostedserver.moc"
