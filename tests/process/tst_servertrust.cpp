// SPDX-License-Identifier: GPL-3.0-or-later
// Trust on first use against the real confabd with tls_self_signed (docs/lan.md): the code
// the app shows is the one `confabd identity` prints, nothing is sent before the user
// confirms it, the pin is checked in the TLS handshake afterwards, and a changed key (the
// server's own, or an impostor's on its port) is a hard stop with no hello and no
// credentials sent. An invite's fingerprint given up front needs no code.
#include "confabdprocess.h"
#include "lan/fingerprint.h"
#include "net/pinstore.h"
#include "net/serverconnection.h"
#include "session/account.h"
#include "session/servertrust.h"
#include "sessionfixture.h"

#include <QDir>
#include <QFile>
#include <QProcess>
#include <QScopeGuard>
#include <QSslKey>
#include <QWebSocketServer>

using namespace Qt::StringLiterals;
using namespace confab;
using client::Account;
using client::ServerTrust;
using client::TlsTrust;
using test::App;

class TstServerTrust : public QObject
{
    Q_OBJECT

    QTemporaryDir m_dir;
    QString m_config;
    QString m_data;
    quint16 m_port = 0;
    std::unique_ptr<test::ConfabdProcess> m_server;

    QString url() const { return u"wss://127.0.0.1:%1"_s.arg(m_port); }

    bool startServer()
    {
        m_server = std::make_unique<test::ConfabdProcess>();
        // The same port each time: the pin is by address, and a restart must be checked
        // against the pin in the handshake, not only after hello.
        return m_server->start({u"--config"_s, m_config, u"--set"_s, u"port=%1"_s.arg(m_port)})
            && m_server->url() == QUrl(url());
    }

    //! A line of `confabd identity`, e.g. "code" -> "4821 0937 5510 2264 8093".
    QString identity(const QString &field) const
    {
        return test::identityField({u"--config"_s, m_config}, field);
    }

    static client::SessionOptions options() { return test::withoutKeychain(); }

    static bool live(App &app) { return test::signedInAndLive(app); }

    //! Every way \a app's connection ends, from now on.
    static std::shared_ptr<QList<client::CloseInfo>> closes(App &app)
    {
        auto list = std::make_shared<QList<client::CloseInfo>>();
        QObject::connect(app->connection(), &client::Connection::closed, app.session.get(),
            [list](const client::CloseInfo &info) { list->append(info); });
        return list;
    }

    //! How often \a app's connection got as far as an open WebSocket, from now on.
    static std::shared_ptr<int> opened(App &app)
    {
        auto count = std::make_shared<int>(0);
        client::Connection *connection = app->connection();
        QObject::connect(
            connection, &client::Connection::stateChanged, app.session.get(), [count, connection] {
                if (connection->state() == client::Connection::Open)
                    ++*count;
            });
        return count;
    }

    //! Refused in the TLS handshake for a pin: no WebSocket, so no hello, was exchanged.
    static bool refusedInHandshake(const QList<client::CloseInfo> &closes)
    {
        return closes.size() == 1 && closes[0].pinMismatch
            && closes[0].socketError == QAbstractSocket::SslHandshakeFailedError
            && !closes[0].reachedServer;
    }

    static TlsTrust::Kind trustOf(App &app) { return app->connection()->tlsTrust().kind; }

    int signIns() { return int(m_server->log().count("sign-in by")); }

private Q_SLOTS:
    void initTestCase()
    {
        QVERIFY(m_dir.isValid());
        m_config = m_dir.filePath(u"confabd.ini"_s);
        m_data = m_dir.filePath(u"data"_s);
        m_port = test::freePort();
        QVERIFY(m_port != 0);
        QVERIFY(test::writeFile(m_config,
            "[server]\ndata_dir = " + m_data.toUtf8()
                + "\nregistration = open\ntls_self_signed = true\nserver_name = Test host\n"));
        QVERIFY(QDir().mkpath(m_dir.filePath(u"app"_s)));
        QVERIFY(startServer());
    }

    // (a) First connect: the code is asked for before anything is sent, and it is the one
    // the host's `confabd identity` shows; confirming pins the key and signs in.
    void firstUseAsksForTheCode()
    {
        const QString code = identity(u"code"_s);
        QVERIFY(!code.isEmpty());
        App app(options(), m_dir.filePath(u"app"_s));
        ServerTrust *trust = app->serverTrust();
        app->account()->createAccount(url(), u"ana"_s, test::Password, {}, false);
        QTRY_COMPARE_WITH_TIMEOUT(trust->prompt(), ServerTrust::CompareCode, 15000);
        QCOMPARE(trust->shortCode(), code);
        QCOMPARE(trust->serverName(), u"Test host"_s);
        QCOMPARE(app->account()->status(), Account::SigningIn);
        QVERIFY(app->pins()->expectedFor(QUrl(url())).isEmpty());
        // The user takes their time: still nothing reaches the server.
        QTest::qWait(300);
        QCOMPARE(signIns(), 0);

        trust->confirm();
        QVERIFY(live(app));
        QCOMPARE(trust->prompt(), ServerTrust::None);
        QCOMPARE(trustOf(app), TlsTrust::Pinned);
        QCOMPARE(app->pins()->expectedFor(QUrl(url())), identity(u"fingerprint"_s));
        QCOMPARE(app->pins()->serverIdFor(QUrl(url())), identity(u"id"_s));
        QCOMPARE(signIns(), 1);
    }

    // (b) The next start: the pin holds, nothing is asked.
    void pinnedServerIsNotAskedAgain()
    {
        App app(options(), m_dir.filePath(u"app"_s));
        QSignalSpy asked(app->serverTrust(), &ServerTrust::changed);
        app->account()->signIn(url(), u"ana"_s, test::Password, false);
        QVERIFY(live(app));
        QCOMPARE(asked.count(), 0);
        QCOMPARE(trustOf(app), TlsTrust::Pinned);
    }

    // Codes that differ: nothing pinned, nothing sent, back to the sign-in page.
    void differentCodesSaveNothing()
    {
        const int before = signIns();
        App app(options());
        ServerTrust *trust = app->serverTrust();
        app->account()->signIn(url(), u"ana"_s, test::Password, false);
        QTRY_COMPARE_WITH_TIMEOUT(trust->prompt(), ServerTrust::CompareCode, 15000);
        trust->reject();
        QCOMPARE(app->account()->status(), Account::SignedOut);
        QVERIFY(!app->account()->errorText().isEmpty());
        QVERIFY(app->pins()->expectedFor(QUrl(url())).isEmpty());
        QVERIFY(app->pins()->fingerprintOf(identity(u"id"_s)).isEmpty());
        QTest::qWait(300);
        QCOMPARE(signIns(), before);
    }

    // (e) An invite's fingerprint, given before connecting: no code to compare, and the
    // key is pinned; a wrong one is refused like a changed key.
    void expectedFingerprintNeedsNoCode()
    {
        App app(options());
        ServerTrust *trust = app->serverTrust();
        QSignalSpy asked(trust, &ServerTrust::changed);
        QString wrong = identity(u"fingerprint"_s);
        wrong[0] = wrong[0] == u'0' ? u'1' : u'0';
        trust->expect(QUrl(url()), wrong);
        app->account()->signIn(url(), u"ana"_s, test::Password, false);
        QTRY_COMPARE_WITH_TIMEOUT(trust->prompt(), ServerTrust::KeyChanged, 15000);
        QCOMPARE(app->account()->status(), Account::SignedOut);
        trust->dismiss();
        asked.clear();

        trust->expect(QUrl(url()), identity(u"fingerprint"_s));
        app->account()->signIn(url(), u"ana"_s, test::Password, false);
        QVERIFY(live(app));
        QCOMPARE(asked.count(), 0);
        QCOMPARE(trustOf(app), TlsTrust::Pinned);
        QCOMPARE(app->pins()->expectedFor(QUrl(url())), identity(u"fingerprint"_s));
    }

    // (d) Someone else answers on the pinned address with a certificate of their own: the
    // handshake fails, nothing of the WebSocket is exchanged.
    void impostorIsRefusedInTheHandshake()
    {
        m_server->stop();
        const QString cert = m_dir.filePath(u"impostor.pem"_s);
        const QString key = m_dir.filePath(u"impostor.key"_s);
        QVERIFY(test::makeCertificate(cert, key, u"Test host"_s));
        QWebSocketServer impostor(u"impostor"_s, QWebSocketServer::SecureMode);
        QSslConfiguration tls = QSslConfiguration::defaultConfiguration();
        tls.setLocalCertificate(QSslCertificate::fromPath(cert).value(0));
        QFile keyFile(key);
        QVERIFY(keyFile.open(QIODevice::ReadOnly));
        tls.setPrivateKey(QSslKey(&keyFile, QSsl::Ec));
        tls.setPeerVerifyMode(QSslSocket::VerifyNone);
        impostor.setSslConfiguration(tls);
        QVERIFY(impostor.listen(QHostAddress::LocalHost, m_port));
        QSignalSpy upgraded(&impostor, &QWebSocketServer::newConnection);

        App app(options(), m_dir.filePath(u"app"_s));
        QSignalSpy ready(app->connection(), &client::Connection::ready);
        const auto closed = closes(app);
        app->account()->signIn(url(), u"ana"_s, test::Password, false);
        QTRY_COMPARE_WITH_TIMEOUT(app->serverTrust()->prompt(), ServerTrust::KeyChanged, 15000);
        QVERIFY(refusedInHandshake(*closed));
        QCOMPARE(app->account()->status(), Account::SignedOut);
        QVERIFY(!app->account()->errorText().isEmpty());
        QCOMPARE(ready.count(), 0);
        QCOMPARE(upgraded.count(), 0);
        // The pin stays the real server's.
        QCOMPARE(app->pins()->expectedFor(QUrl(url())), identity(u"fingerprint"_s));
        impostor.close();
        QVERIFY(startServer());
    }

    // (c) The host replaced the key (same id): refused in the handshake, no hello; and at
    // another address too, right after hello, before a credential.
    void changedKeyIsAHardStop()
    {
        const QString pinned = identity(u"fingerprint"_s);
        m_server->stop();
        const QString folder = m_data + u"/identity"_s;
        QVERIFY(QFile::remove(folder + u"/key.pem"_s));
        QVERIFY(QFile::remove(folder + u"/certificate.pem"_s));
        QVERIFY(test::makeCertificate(
            folder + u"/certificate.pem"_s, folder + u"/key.pem"_s, u"Test host"_s));
        QVERIFY(startServer());
        QVERIFY(identity(u"fingerprint"_s) != pinned);

        App app(options(), m_dir.filePath(u"app"_s));
        QSignalSpy ready(app->connection(), &client::Connection::ready);
        const auto closed = closes(app);
        app->account()->signIn(url(), u"ana"_s, test::Password, false);
        QTRY_COMPARE_WITH_TIMEOUT(app->serverTrust()->prompt(), ServerTrust::KeyChanged, 15000);
        QVERIFY(refusedInHandshake(*closed));
        QCOMPARE(app->account()->status(), Account::SignedOut);
        QCOMPARE(ready.count(), 0);
        QCOMPARE(app->connection()->hello().serverId, QString());
        QCOMPARE(signIns(), 0);
        QCOMPARE(app->pins()->expectedFor(QUrl(url())), pinned);
        app->serverTrust()->dismiss();

        // The same server id at an address never pinned: hello names the id, whose pin
        // the new key does not match.
        const QString elsewhere = u"wss://localhost:%1"_s.arg(m_port);
        closed->clear();
        app->account()->signIn(elsewhere, u"ana"_s, test::Password, false);
        QTRY_COMPARE_WITH_TIMEOUT(app->serverTrust()->prompt(), ServerTrust::KeyChanged, 15000);
        QCOMPARE(closed->size(), 1);
        QVERIFY(closed->at(0).pinMismatch);
        QCOMPARE(closed->at(0).presentedFingerprint, identity(u"fingerprint"_s));
        QCOMPARE(closed->at(0).expectedFingerprint, pinned);
        QCOMPARE(app->account()->status(), Account::SignedOut);
        QCOMPARE(ready.count(), 0);
        QCOMPARE(signIns(), 0);
        QVERIFY(app->pins()->expectedFor(QUrl(elsewhere)).isEmpty());
    }

    // A certificate the system's CAs vouch for is still checked against the pin, after
    // the handshake and before anything is sent; with no pin it needs no code.
    void caValidCertificateStillMeetsThePin()
    {
        // The key made above names 127.0.0.1: trusted as a CA, it draws no TLS error.
        const QSslConfiguration before = QSslConfiguration::defaultConfiguration();
        QSslConfiguration withCa = before;
        withCa.addCaCertificates(m_data + u"/identity/certificate.pem"_s);
        QSslConfiguration::setDefaultConfiguration(withCa);
        const auto restore
            = qScopeGuard([&] { QSslConfiguration::setDefaultConfiguration(before); });

        App pinned(options(), m_dir.filePath(u"app"_s));
        QSignalSpy ready(pinned->connection(), &client::Connection::ready);
        const auto closed = closes(pinned);
        const auto open = opened(pinned);
        pinned->account()->signIn(url(), u"ana"_s, test::Password, false);
        QTRY_COMPARE_WITH_TIMEOUT(pinned->serverTrust()->prompt(), ServerTrust::KeyChanged, 15000);
        QCOMPARE(closed->size(), 1);
        QVERIFY(closed->at(0).pinMismatch);
        // Checked once TLS is up, before the WebSocket counts as open: nothing was sent.
        QCOMPARE(*open, 0);
        QCOMPARE(ready.count(), 0);
        QCOMPARE(signIns(), 0);

        App fresh(options());
        QSignalSpy asked(fresh->serverTrust(), &ServerTrust::changed);
        fresh->account()->signIn(url(), u"ana"_s, test::Password, false);
        QVERIFY(live(fresh));
        QCOMPARE(trustOf(fresh), TlsTrust::CaTrusted);
        QCOMPARE(asked.count(), 0);
        // Not pinned: a CA-signed key may change with each renewal.
        QVERIFY(fresh->pins()->expectedFor(QUrl(url())).isEmpty());

        // An invite link naming another key for a server id already pinned is refused after
        // hello: a forged link must not take a known server's pin over.
        pinned->serverTrust()->dismiss();
        const QString stolenId = pinned->pins()->serverIdFor(QUrl(url()));
        QVERIFY(!stolenId.isEmpty());
        const QString stolenPin = pinned->pins()->fingerprintOf(stolenId);
        closed->clear();
        const int signInsBefore = signIns();
        pinned->serverTrust()->expect(QUrl(url()), identity(u"fingerprint"_s), stolenId);
        pinned->account()->signIn(url(), u"ana"_s, test::Password, false);
        QTRY_COMPARE_WITH_TIMEOUT(pinned->serverTrust()->prompt(), ServerTrust::KeyChanged, 15000);
        QCOMPARE(signIns(), signInsBefore);
        QCOMPARE(pinned->pins()->fingerprintOf(stolenId), stolenPin);
        pinned->serverTrust()->dismiss();

        // The way back after a host lost its identity (a new id and key at the old
        // address): the old pin refuses it, the host's new invite link is taken.
        m_server->stop();
        QVERIFY(QDir(m_data + u"/identity"_s).removeRecursively());
        QVERIFY(startServer());
        const QString newId = identity(u"id"_s);
        QVERIFY(newId != stolenId);
        pinned->account()->signIn(url(), u"ana"_s, test::Password, false);
        QTRY_COMPARE_WITH_TIMEOUT(pinned->serverTrust()->prompt(), ServerTrust::KeyChanged, 15000);
        pinned->serverTrust()->dismiss();
        pinned->serverTrust()->expect(QUrl(url()), identity(u"fingerprint"_s), newId);
        pinned->account()->signIn(url(), u"ana"_s, test::Password, false);
        QVERIFY(live(pinned));
        QCOMPARE(pinned->pins()->serverIdFor(QUrl(url())), newId);
        QCOMPARE(pinned->pins()->expectedFor(QUrl(url())), identity(u"fingerprint"_s));
        QCOMPARE(pinned->pins()->fingerprintOf(stolenId), stolenPin);

        // The same server id speaking plain ws:// (reconfigured, or someone using the id to
        // get a password sent in clear): refused after hello, before anything is sent.
        pinned->account()->signOut();
        QTRY_COMPARE(pinned->account()->status(), Account::SignedOut);
        m_server->stop();
        test::ConfabdProcess plain;
        QVERIFY(plain.start({u"--data"_s, m_data}));
        const QString plainUrl = plain.url().toString();
        QVERIFY(plainUrl.startsWith(u"ws://"_s));
        pinned->account()->signIn(plainUrl, u"ana"_s, test::Password, false);
        QTRY_COMPARE_WITH_TIMEOUT(pinned->serverTrust()->prompt(), ServerTrust::KeyChanged, 15000);
        QVERIFY(!plain.log().contains("sign-in by"));
        QCOMPARE(pinned->account()->status(), Account::SignedOut);
        pinned->serverTrust()->dismiss();
        plain.stop();
        QVERIFY(startServer());
    }
};

QTEST_MAIN(TstServerTrust)
#include "tst_servertrust.moc"
