// SPDX-License-Identifier: GPL-3.0-or-later
// Trust on first use as the user sees it (docs/lan.md), in the real Main.qml against an
// in-process server with its self-signed identity: the dialog shows the server's name and
// the code the host's screen shows, "Codes match" pins the key and signs in; a changed key
// shows the hard stop, whose only button is Cancel.
#include "identity/selfsignedcertificate.h"
#include "identity/serveridentity.h"
#include "lan/fingerprint.h"
#include "net/pinstore.h"
#include "session/servertrust.h"
#include "testserver.h"
#include "uitestapp.h"

#include <QAccessible>
#include <QQmlProperty>
#include <QScopeGuard>
#include <QSslKey>
#include <QWebSocketServer>
#include <QtQml/qqmlextensionplugin.h>
#include <QtTest>

Q_IMPORT_QML_PLUGIN(Confab_ClientPlugin)
Q_IMPORT_QML_PLUGIN(ConfabPlugin)

using namespace Qt::StringLiterals;
using namespace confab;
using namespace confab::test;
using client::ServerTrust;

class TestUiServerTrust : public QObject
{
    Q_OBJECT

    TestServer m_server;
    QUrl m_url; //!< wss:// (TestServer::url() is for plain servers)
    QString m_fingerprint;

    void fillIn(UiTestApp &app, const QString &user)
    {
        QQuickItem *server = waitItem(app, u"serverField"_s);
        QVERIFY(server);
        QQmlProperty::write(server, u"text"_s, QString());
        typeInto(server, m_url.toString());
        typeInto(app.item(u"usernameField"_s), user);
        typeInto(app.item(u"passwordField"_s), u"password-123"_s);
    }

private Q_SLOTS:
    void initTestCase()
    {
        m_server.config().tlsSelfSigned = true;
        m_server.config().serverName = u"Kitchen laptop"_s;
        m_server.config().registration = server::RegistrationPolicy::Open;
        QVERIFY(m_server.start());
        m_url = QUrl(m_server.server()->url());
        QCOMPARE(m_url.scheme(), u"wss"_s);
        QString error;
        const auto identity = server::ServerIdentity::loadOrCreate(
            m_server.config().dataDir, m_server.config().displayName(), &error);
        QVERIFY2(identity, qPrintable(error));
        m_fingerprint = identity->fingerprint();
    }

    void codesMatchSignsIn()
    {
        UiTestApp app;
        QVERIFY(app.loadMainActive());
        fillIn(app, u"alice"_s);
        QQuickItem *create = app.item(u"createAccountButton"_s);
        QTRY_VERIFY_WITH_TIMEOUT(reallyVisible(create), 10000);
        click(create);

        QQuickItem *code = waitItem(app, u"serverTrustCode"_s);
        QVERIFY(code);
        QCOMPARE(QQmlProperty::read(code, u"text"_s).toString(), lan::shortCode(m_fingerprint));
        QVERIFY(reallyVisible(visibleItem(app, u"codesDifferButton"_s)));
        QVERIFY(!visibleItem(app, u"keyChangedCloseButton"_s));
        QCOMPARE(app.session()->serverTrust()->serverName(), u"Kitchen laptop"_s);
        QVERIFY(app.session()->pins()->expectedFor(m_url).isEmpty());

        QQuickItem *match = visibleItem(app, u"codesMatchButton"_s);
        QVERIFY(match);
        // What a screen reader says for it: what the button does, not just "Codes match".
        QAccessibleInterface *accessible = QAccessible::queryAccessibleInterface(match);
        QVERIFY(accessible);
        QVERIFY(accessible->text(QAccessible::Name).contains(u"trust"_s));
        click(match);
        QTRY_COMPARE_WITH_TIMEOUT(
            app.session()->account()->status(), client::Account::SignedIn, 10000);
        QCOMPARE(app.session()->pins()->expectedFor(m_url), m_fingerprint);
        QTRY_VERIFY(!visibleItem(app, u"serverTrustCode"_s));
    }

    // The server says it moved, but another server (another key) answers there: the app
    // stays, and says so in the bar across the window, which the user can dismiss.
    void aRefusedMoveShowsTheNotice()
    {
        // Another server's key on another port (a second server in this process would
        // share its database connections' names).
        QString error;
        const auto made = server::makeSelfSignedCertificate(u"Other"_s, 2, &error);
        QVERIFY2(made, qPrintable(error));
        QWebSocketServer other(u"other"_s, QWebSocketServer::SecureMode);
        QSslConfiguration tls = QSslConfiguration::defaultConfiguration();
        tls.setLocalCertificate(QSslCertificate(made->certificatePem));
        tls.setPrivateKey(QSslKey(made->keyPem, QSsl::Ec));
        tls.setPeerVerifyMode(QSslSocket::VerifyNone);
        other.setSslConfiguration(tls);
        QVERIFY(other.listen(QHostAddress::LocalHost));
        const QString elsewhere = u"wss://127.0.0.1:%1"_s.arg(other.serverPort());

        UiTestApp app;
        QVERIFY(app.loadMainActive());
        fillIn(app, u"mover"_s);
        QQuickItem *create = app.item(u"createAccountButton"_s);
        QTRY_VERIFY_WITH_TIMEOUT(reallyVisible(create), 10000);
        click(create);
        QQuickItem *match = waitItem(app, u"codesMatchButton"_s);
        QVERIFY(match);
        click(match);
        QTRY_COMPARE_WITH_TIMEOUT(
            app.session()->account()->status(), client::Account::SignedIn, 10000);
        QVERIFY(!visibleItem(app, u"moveNotice"_s));

        server::ServerConfig moved = m_server.config();
        moved.movedTo = elsewhere;
        QVERIFY2(m_server.server()->reload(moved, &error), qPrintable(error));
        const auto restore
            = qScopeGuard([&] { m_server.server()->reload(m_server.config(), &error); });
        QQuickItem *notice = waitItem(app, u"moveNotice"_s);
        QVERIFY(notice);
        QTRY_VERIFY_WITH_TIMEOUT(reallyVisible(notice), 10000);
        const QString text = QQmlProperty::read(notice, u"text"_s).toString();
        QVERIFY2(text.contains(elsewhere) && text.contains(m_url.toString()), qPrintable(text));
        QCOMPARE(app.session()->account()->status(), client::Account::SignedIn);
        QCOMPARE(app.session()->account()->serverUrl(), m_url.toString());
        // Nothing of the key-changed stop: that is for the server the user chose.
        QVERIFY(!visibleItem(app, u"serverTrustKeyChanged"_s));

        auto *dismiss = notice->findChild<QQuickItem *>(u"noticeDismissButton"_s);
        QVERIFY(dismiss);
        click(dismiss);
        QTRY_VERIFY(!reallyVisible(notice));
        QCOMPARE(app.session()->account()->moveNotice(), QString());
    }

    void changedKeyIsAHardStop()
    {
        UiTestApp app;
        // What this device pinned for the address is another key than the server's.
        QString other = m_fingerprint;
        other[0] = other[0] == u'0' ? u'1' : u'0';
        QVERIFY(app.session()->pins()->pin(m_url, u"some-id"_s, other));
        QVERIFY(app.loadMainActive());
        fillIn(app, u"alice"_s);
        click(app.item(u"signInButton"_s));

        QQuickItem *explanation = waitItem(app, u"serverTrustKeyChanged"_s);
        QVERIFY(explanation);
        QVERIFY(!visibleItem(app, u"codesMatchButton"_s));
        QVERIFY(!visibleItem(app, u"codesDifferButton"_s));
        QTRY_COMPARE(app.session()->account()->status(), client::Account::SignedOut);
        QVERIFY(!app.session()->account()->errorText().isEmpty());
        QQuickItem *cancel = visibleItem(app, u"keyChangedCloseButton"_s);
        QVERIFY(cancel);
        click(cancel);
        QTRY_VERIFY(!visibleItem(app, u"serverTrustKeyChanged"_s));
        QCOMPARE(app.session()->serverTrust()->prompt(), ServerTrust::None);
        QCOMPARE(app.session()->pins()->expectedFor(m_url), other);
    }
};

QTEST_MAIN(TestUiServerTrust)
#include "tst_uiservertrust.moc"
