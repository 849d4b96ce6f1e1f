// SPDX-License-Identifier: GPL-3.0-or-later
// Profiles in the real app (Main.qml, the Session, a server on 127.0.0.1) in a real
// window (§18.2): another user changes their display name while you look at their
// messages and the sender label follows; `@` completion finds a member by display name
// and inserts the username.
#include "clientpool.h"
#include "models/memberlistmodel.h"
#include "protocol/accountrequests.h"
#include "testserver.h"
#include "uitestapp.h"

#include <QDir>
#include <QGuiApplication>
#include <QQmlProperty>
#include <QtQml/qqmlextensionplugin.h>
#include <QtTest>

Q_IMPORT_QML_PLUGIN(Confab_ClientPlugin)
Q_IMPORT_QML_PLUGIN(ConfabPlugin)

using namespace Qt::StringLiterals;
using namespace confab;
using namespace confab::test;

class TestUiPeople : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase()
    {
        QVERIFY(m_server.start());
        m_pool = std::make_unique<ClientPool>([this] { return m_server.url(); });
        m_ben = m_pool->registered(u"ben"_s);
        QVERIFY(m_ben);
        m_alpha = createRoom(m_ben, u"alpha"_s);
        QVERIFY(m_alpha > 0);
        TestClient *alice = m_pool->registered(u"alice"_s);
        QVERIFY(alice);
        QVERIFY(alice->request(protocol::requests::join(m_alpha)));
        alice->disconnectNow();
        QVERIFY(m_ben->request(protocol::requests::send(m_alpha, u"t1"_s, u"hello from ben"_s)));
    }

    void senderLabelFollowsAProfilePush()
    {
        UiTestApp app;
        QVERIFY(signInToAlpha(app));
        const auto benLabel = [&app]() -> QString {
            for (QQuickItem *label : findItems(app.window(), u"senderLabel"_s)) {
                if (reallyVisible(label))
                    return QQmlProperty::read(label, u"text"_s).toString();
            }
            return {};
        };
        QTRY_COMPARE(benLabel(), u"ben"_s);
        QVERIFY(m_ben->request(protocol::requests::setProfile(u"Ben Ortiz"_s)));
        QTRY_COMPARE(benLabel(), u"Ben Ortiz"_s);

        // Completion by display name inserts the username (the stored text names ben).
        QQuickItem *input = app.item(u"composerInput"_s);
        QQuickItem *popup = app.item(u"completionPopup"_s);
        QVERIFY(input && popup);
        QTRY_VERIFY(input->hasActiveFocus());
        typeText(app.window(), u"hi @ort"_s);
        QTRY_VERIFY(reallyVisible(popup));
        QTest::keyClick(app.window(), Qt::Key_Tab);
        QCOMPARE(QQmlProperty::read(input, u"text"_s).toString(), u"hi @ben "_s);
        QDir().mkpath(QStringLiteral(CONFAB_SCREENSHOT_DIR));
        QVERIFY(app.window()->grabWindow().save(
            QDir(QStringLiteral(CONFAB_SCREENSHOT_DIR)).filePath(u"people-display-names.png"_s)));
    }

    void cleanupTestCase() { m_pool.reset(); }

private:
    bool signInToAlpha(UiTestApp &app)
    {
        SignInSteps steps;
        steps.server = m_server.url();
        steps.rooms = 1;
        steps.open = m_alpha;
        steps.alsoOpen = [&] { return app.session()->members()->rowCount() == 2; };
        return signInAndOpen(app, steps);
    }

    TestServer m_server;
    std::unique_ptr<ClientPool> m_pool;
    TestClient *m_ben = nullptr;
    qint64 m_alpha = 0;
};

QTEST_MAIN(TestUiPeople)
#include "tst_uipeople.moc"
