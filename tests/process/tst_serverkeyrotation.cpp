// SPDX-License-Identifier: GPL-3.0-or-later
// A deliberate key rotation against the real confabd and the app (protocol §19.7,
// docs/lan.md): after `confabd identity rotate` and a restart, apps that pinned the old key
// accept the new one without a question (the running app reconnects by itself, an app
// that missed several rotations follows the chain, a pinned server at a new address too),
// and re-pin it. An impostor that copies the chain into its own certificate is still
// refused in the TLS handshake.
#include "confabdprocess.h"
#include "lan/keyrotation.h"
#include "session/account.h"
#include "session/servertrust.h"
#include "sessionfixture.h"

#include <QDir>
#include <QFile>
#include <QSslKey>
#include <QWebSocketServer>

using namespace Qt::StringLiterals;
using namespace confab;
using client::Account;
using client::ServerTrust;
using client::TlsTrust;
using test::App;

class TstServerKeyRotation : public QObject
{
    Q_OBJECT

    QTemporaryDir m_dir;
    QString m_config;
    QString m_appDir;
    quint16 m_port = 0;
    std::unique_ptr<test::ConfabdProcess> m_server;

    QString url() const { return u"wss://127.0.0.1:%1"_s.arg(m_port); }
    QString identity(const QString &field) const
    {
        return test::identityField({u"--config"_s, m_config}, field);
    }

    bool startServer()
    {
        m_server = std::make_unique<test::ConfabdProcess>();
        return m_server->start({u"--config"_s, m_config, u"--set"_s, u"port=%1"_s.arg(m_port)})
            && m_server->url() == QUrl(url());
    }

    //! Stops the server, rotates its key \a times, starts it again; the new fingerprint.
    QString rotateAndRestart(int times = 1)
    {
        m_server->stop();
        for (int i = 0; i < times; ++i) {
            if (test::identityField({u"rotate"_s, u"--config"_s, m_config}, u"fingerprint"_s)
                    .isEmpty())
                return {};
        }
        return startServer() ? identity(u"fingerprint"_s) : QString();
    }

    static client::SessionOptions options() { return test::withoutKeychain(); }

    static bool live(App &app) { return test::signedInAndLive(app); }

    int signIns() { return int(m_server->log().count("sign-in by")); }

private Q_SLOTS:
    void initTestCase()
    {
        QVERIFY(m_dir.isValid());
        m_config = m_dir.filePath(u"confabd.ini"_s);
        m_appDir = m_dir.filePath(u"app"_s);
        m_port = test::freePort();
        QVERIFY(m_port != 0);
        QVERIFY(test::writeFile(m_config,
            "[server]\ndata_dir = " + m_dir.filePath(u"data"_s).toUtf8()
                + "\nregistration = open\ntls_self_signed = true\nserver_name = Test host\n"));
        QVERIFY(QDir().mkpath(m_appDir));
        QVERIFY(startServer());
        // The first connection: the user compares the code, the key is pinned.
        App app(options(), m_appDir);
        app->account()->createAccount(url(), u"ana"_s, test::Password, {}, false);
        QTRY_COMPARE_WITH_TIMEOUT(app->serverTrust()->prompt(), ServerTrust::CompareCode, 15000);
        app->serverTrust()->confirm();
        QVERIFY(live(app));
        QCOMPARE(app->pins()->expectedFor(QUrl(url())), identity(u"fingerprint"_s));
    }

    // The app stays open across the rotation and the restart: it reconnects by itself,
    // asks nothing, and pins the new key.
    void aRunningAppAcceptsTheRotatedKey()
    {
        App app(options(), m_appDir);
        QSignalSpy asked(app->serverTrust(), &ServerTrust::changed);
        app->account()->signIn(url(), u"ana"_s, test::Password, false);
        QVERIFY(live(app));
        const QString before = app->connection()->tlsTrust().fingerprint;
        QCOMPARE(app->connection()->tlsTrust().rotatedFrom, QString());

        const QString after = rotateAndRestart();
        QVERIFY(!after.isEmpty());
        QVERIFY(after != before);
        QVERIFY(test::TestClient::waitUntil(
            [&] {
                return app->connectionState() == client::ConnectionState::Live
                    && app->connection()->tlsTrust().fingerprint == after;
            },
            30000));
        QCOMPARE(app->connection()->tlsTrust().kind, TlsTrust::Pinned);
        QCOMPARE(app->connection()->tlsTrust().rotatedFrom, before);
        QCOMPARE(app->pins()->expectedFor(QUrl(url())), after);
        QCOMPARE(app->pins()->fingerprintOf(identity(u"id"_s)), after);
        QCOMPARE(asked.count(), 0);
        QCOMPARE(app->account()->status(), Account::SignedIn);
    }

    // Offline through several rotations: the chain in the certificate leads from the pin
    // it has to the key it meets. Also reached at an address it never pinned: hello names
    // the id, and the chain answers for the id's pin there.
    void anAppAwayThroughSeveralRotationsFollowsTheChain()
    {
        const QString pinned = identity(u"fingerprint"_s);
        const QString after = rotateAndRestart(3);
        QVERIFY(!after.isEmpty());

        const QString elsewhere = u"wss://localhost:%1"_s.arg(m_port);
        App app(options(), m_appDir);
        QCOMPARE(app->pins()->expectedFor(QUrl(url())), pinned);
        QVERIFY(app->pins()->expectedFor(QUrl(elsewhere)).isEmpty());
        QSignalSpy asked(app->serverTrust(), &ServerTrust::changed);
        app->account()->signIn(elsewhere, u"ana"_s, test::Password, false);
        QVERIFY(live(app));
        QCOMPARE(asked.count(), 0);
        QCOMPARE(app->connection()->tlsTrust().kind, TlsTrust::Pinned);
        QCOMPARE(app->connection()->tlsTrust().rotatedFrom, pinned);
        QCOMPARE(app->pins()->fingerprintOf(identity(u"id"_s)), after);
        QCOMPARE(app->pins()->expectedFor(QUrl(elsewhere)), after);
        // The first address now expects the new key as well: it leads to the same id.
        QCOMPARE(app->pins()->expectedFor(QUrl(url())), after);
    }

    // An invite link made before the rotation names the old key: on a device that never
    // knew the server, it still leads to the server, through the chain, with no code.
    void anInviteFromBeforeTheRotationStillWorks()
    {
        const QString invited = identity(u"fingerprint"_s);
        const QString id = identity(u"id"_s);
        const QString after = rotateAndRestart();
        QVERIFY(!after.isEmpty());

        QTemporaryDir fresh;
        App app(options(), fresh.path());
        QVERIFY(app->pins()->expectedFor(QUrl(url())).isEmpty());
        app->serverTrust()->expect(QUrl(url()), invited, id);
        QSignalSpy asked(app->serverTrust(), &ServerTrust::changed);
        app->account()->signIn(url(), u"ana"_s, test::Password, false);
        QVERIFY(live(app));
        QCOMPARE(asked.count(), 0);
        QCOMPARE(app->connection()->tlsTrust().rotatedFrom, invited);
        QCOMPARE(app->pins()->fingerprintOf(id), after);

        // The same link for another id is refused: the chain is the server's own.
        QTemporaryDir other;
        App stranger(options(), other.path());
        stranger->serverTrust()->expect(
            QUrl(url()), invited, u"00000000-0000-4000-8000-000000000000"_s);
        stranger->account()->signIn(url(), u"ana"_s, test::Password, false);
        QTRY_COMPARE_WITH_TIMEOUT(
            stranger->serverTrust()->prompt(), ServerTrust::KeyChanged, 15000);
        QCOMPARE(stranger->account()->status(), Account::SignedOut);
        QVERIFY(stranger->pins()->fingerprintOf(id).isEmpty());
    }

    // The rotated key served by a server that names another id in hello (its own data
    // folder, the key given as tls_certificate): the chain is for the pinned id, so the
    // connection ends at hello, before anything is sent.
    void aRotationForAnotherIdIsRefusedAtHello()
    {
        const QString pinned = App(options(), m_appDir)->pins()->expectedFor(QUrl(url()));
        QVERIFY(!pinned.isEmpty());
        m_server->stop();
        QVERIFY(!test::identityField({u"rotate"_s, u"--config"_s, m_config}, u"fingerprint"_s)
                     .isEmpty());
        const QString folder = m_dir.filePath(u"data/identity/"_s);
        test::ConfabdProcess other;
        QVERIFY(other.start({u"--data"_s, m_dir.filePath(u"other"_s), u"--tls-cert"_s,
            folder + u"certificate.pem"_s, u"--tls-key"_s, folder + u"key.pem"_s, u"--set"_s,
            u"port=%1"_s.arg(m_port), u"--set"_s, u"registration=open"_s}));

        App app(options(), m_appDir);
        const auto closed = std::make_shared<QList<client::CloseInfo>>();
        QObject::connect(app->connection(), &client::Connection::closed, app.session.get(),
            [closed](const client::CloseInfo &info) { closed->append(info); });
        QSignalSpy ready(app->connection(), &client::Connection::ready);
        app->account()->signIn(url(), u"ana"_s, test::Password, false);
        QTRY_COMPARE_WITH_TIMEOUT(app->serverTrust()->prompt(), ServerTrust::KeyChanged, 15000);
        QCOMPARE(closed->size(), 1);
        QVERIFY(closed->at(0).pinMismatch);
        QCOMPARE(ready.count(), 0);
        QVERIFY(!other.log().contains("sign-in by"));
        QCOMPARE(app->pins()->expectedFor(QUrl(url())), pinned);
        other.stop();
        QVERIFY(startServer());
    }

    // The server rotated while the app was away, and before the app comes back someone with
    // a key of their own takes the server's port, carrying the server's real chain: it
    // starts at the app's pin but ends at the server's new key, not theirs. Refused in the
    // handshake.
    void aCopiedChainIsRefusedInTheHandshake()
    {
        const QString pinned = App(options(), m_appDir)->pins()->expectedFor(QUrl(url()));
        QVERIFY(!pinned.isEmpty());
        QVERIFY(!rotateAndRestart().isEmpty());
        QFile real(m_dir.filePath(u"data/identity/certificate.pem"_s));
        QVERIFY(real.open(QIODevice::ReadOnly));
        const QSslCertificate realCertificate(real.readAll(), QSsl::Pem);
        m_server->stop();

        // The extension copied as it is, with `openssl req -addext OID=DER:hex`.
        const auto chain = lan::KeyRotations::ofCertificate(realCertificate.toDer());
        QVERIFY(chain);
        const QString cert = m_dir.filePath(u"copier.pem"_s);
        const QString key = m_dir.filePath(u"copier.key"_s);
        QVERIFY(test::makeCertificate(cert, key, u"Test host"_s,
            {QString::fromLatin1(lan::KeyRotations::ExtensionOid) + u"=DER:"_s
                + QString::fromLatin1(test::derUtf8String(chain->toJson()).toHex())}));
        const QSslCertificate copier = QSslCertificate::fromPath(cert).value(0);
        QCOMPARE(lan::KeyRotations::ofCertificate(copier.toDer()), chain);

        QWebSocketServer impostor(u"impostor"_s, QWebSocketServer::SecureMode);
        QSslConfiguration tls = QSslConfiguration::defaultConfiguration();
        tls.setLocalCertificate(copier);
        QFile keyFile(key);
        QVERIFY(keyFile.open(QIODevice::ReadOnly));
        tls.setPrivateKey(QSslKey(&keyFile, QSsl::Ec));
        tls.setPeerVerifyMode(QSslSocket::VerifyNone);
        impostor.setSslConfiguration(tls);
        QVERIFY(impostor.listen(QHostAddress::LocalHost, m_port));
        QSignalSpy upgraded(&impostor, &QWebSocketServer::newConnection);

        App app(options(), m_appDir);
        QSignalSpy ready(app->connection(), &client::Connection::ready);
        app->account()->signIn(url(), u"ana"_s, test::Password, false);
        QTRY_COMPARE_WITH_TIMEOUT(app->serverTrust()->prompt(), ServerTrust::KeyChanged, 15000);
        QCOMPARE(app->account()->status(), Account::SignedOut);
        QCOMPARE(ready.count(), 0);
        QCOMPARE(upgraded.count(), 0);
        QCOMPARE(app->pins()->expectedFor(QUrl(url())), pinned);
        impostor.close();
        QVERIFY(startServer());
    }
};

QTEST_MAIN(TstServerKeyRotation)
#include "tst_serverkeyrotation.moc"
