// SPDX-License-Identifier: GPL-3.0-or-later
// Completion in the composer, in the real app (Main.qml, the Session, a server on
// 127.0.0.1) in a real window: `@an` and Tab completes a member, `#br` a channel,
// `:thumbs` an emoji; Up/Down move, Esc closes the list, and Enter sends once no list
// is shown.
#include "clientpool.h"
#include "models/memberlistmodel.h"
#include "models/roomlistmodel.h"
#include "testserver.h"
#include "uitestapp.h"

#include <QGuiApplication>
#include <QQmlProperty>
#include <QtQml/qqmlextensionplugin.h>
#include <QtTest>

Q_IMPORT_QML_PLUGIN(Confab_ClientPlugin)
Q_IMPORT_QML_PLUGIN(ConfabPlugin)

using namespace Qt::StringLiterals;
using namespace confab;
using namespace confab::test;

class TestUiCompletion : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase()
    {
        QVERIFY(m_server.start());
        m_pool = std::make_unique<ClientPool>([this] { return m_server.url(); });
        TestClient *ben = m_pool->registered(u"ben"_s);
        QVERIFY(ben);
        m_alpha = createRoom(ben, u"alpha"_s);
        QVERIFY(m_alpha > 0);
        QVERIFY(createRoom(ben, u"bravo"_s) > 0);
        for (const QString &name : {u"alice"_s, u"ana"_s, u"andrew"_s}) {
            TestClient *c = m_pool->registered(name);
            QVERIFY(c);
            QVERIFY(c->request(protocol::requests::join(m_alpha)));
            c->disconnectNow();
        }
        m_watcher = ben;
    }

    void atCompletesAMemberWithTab()
    {
        UiTestApp app;
        QVERIFY(signInToAlpha(app));
        QQuickItem *input = app.item(u"composerInput"_s);
        QQuickItem *popup = app.item(u"completionPopup"_s);
        QVERIFY(input && popup);
        QTRY_VERIFY(input->hasActiveFocus());

        typeText(app.window(), u"hi @an"_s);
        QTRY_VERIFY(reallyVisible(popup));
        QQuickItem *list = app.item(u"completionList"_s);
        QCOMPARE(QQmlProperty::read(list, u"count"_s).toInt(), 2); // ana, andrew
        QTRY_VERIFY(QQmlProperty::read(list, u"contentHeight"_s).toReal() >= 64); // both shown
        QTest::keyClick(app.window(), Qt::Key_Tab);
        QCOMPARE(QQmlProperty::read(input, u"text"_s).toString(), u"hi @ana "_s);
        QCOMPARE(QQmlProperty::read(input, u"cursorPosition"_s).toInt(), 8);
        QTRY_VERIFY(!reallyVisible(popup));
        QVERIFY2(input->hasActiveFocus(), "Tab picked; the focus stayed in the composer");

        // Down moves to the second; Enter picks it rather than sending.
        typeText(app.window(), u"and @an"_s);
        QTRY_VERIFY(reallyVisible(popup));
        QTest::keyClick(app.window(), Qt::Key_Down);
        QTest::keyClick(app.window(), Qt::Key_Return);
        QCOMPARE(QQmlProperty::read(input, u"text"_s).toString(), u"hi @ana and @andrew "_s);

        // A channel, then an emoji by name.
        typeText(app.window(), u"see #br"_s);
        QTRY_VERIFY(reallyVisible(popup));
        QTest::keyClick(app.window(), Qt::Key_Tab);
        typeText(app.window(), u":thumbs"_s);
        QTRY_VERIFY(reallyVisible(popup));
        QTest::keyClick(app.window(), Qt::Key_Tab);
        const QString written = u"hi @ana and @andrew see #bravo 👍"_s;
        QCOMPARE(QQmlProperty::read(input, u"text"_s).toString(), written);

        // Esc closes the list; Enter then sends, as always.
        typeText(app.window(), u" @b"_s);
        QTRY_VERIFY(reallyVisible(popup));
        QTest::keyClick(app.window(), Qt::Key_Escape);
        QTRY_VERIFY(!reallyVisible(popup));
        QTest::keyClick(app.window(), Qt::Key_Return);
        QTRY_COMPARE(QQmlProperty::read(input, u"text"_s).toString(), QString());
        const QString sent = written + u" @b"_s;
        QVERIFY(TestClient::waitUntil(
            [&] {
                const auto events = m_watcher->events(m_alpha);
                return !events.isEmpty() && events.last().text == sent;
            },
            10000));
    }

    void cleanupTestCase() { m_pool.reset(); }

private:
    bool signInToAlpha(UiTestApp &app)
    {
        SignInSteps steps;
        steps.server = m_server.url();
        steps.rooms = 1;
        steps.open = m_alpha;
        steps.alsoOpen = [&] { return app.session()->members()->rowCount() == 4; };
        return signInAndOpen(app, steps);
    }

    TestServer m_server;
    std::unique_ptr<ClientPool> m_pool;
    TestClient *m_watcher = nullptr;
    qint64 m_alpha = 0;
};

QTEST_MAIN(TestUiCompletion)
#include "tst_uicompletion.moc"
