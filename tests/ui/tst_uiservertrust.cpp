// SPDX-License-Identifier: GPL-3.0-or-later
// Trust on first use as the user sees it (docs/lan.md), in the real Main.qml against an
// in-process server with its self-signed identity: the dialog shows the server's name and
// the code the host's screen shows, "Codes match" pins the key and signs in; a changed key
// shows the hard stop, whose only button is Cancel.
#include "identity/serveridentity.h"
#include "lan/fingerprint.h"
#include "net/pinstore.h"
#include "session/servertrust.h"
#include "testserver.h"
#include "uitestapp.h"

#include <QAccessible>
#include <QQmlProperty>
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
