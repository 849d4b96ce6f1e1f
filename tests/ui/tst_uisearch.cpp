// SPDX-License-Identifier: GPL-3.0-or-later
// Search in the real app (Main.qml, the Session, a server on 127.0.0.1): Ctrl+F, a query
// typed into the panel, results grouped by room with the matched word bold, the keyboard
// to pick one, and Enter opening its room with that message on screen.
#include "clientpool.h"
#include "models/roomlistmodel.h"
#include "models/searchresultsmodel.h"
#include "testserver.h"
#include "uitestapp.h"

#include <QQmlProperty>
#include <QtQml/qqmlextensionplugin.h>
#include <QtTest>

Q_IMPORT_QML_PLUGIN(Confab_ClientPlugin)
Q_IMPORT_QML_PLUGIN(ConfabPlugin)

using namespace Qt::StringLiterals;
using namespace confab;
using namespace confab::test;
using client::SearchResultsModel;

namespace {

// The shown timeline row whose text is \a text, or null.
QQuickItem *shownMessage(UiTestApp &app, const QString &text)
{
    QQuickItem *view = app.item(u"timelineView"_s);
    if (!view)
        return nullptr;
    const QRectF viewport = view->mapRectToScene(QRectF(0, 0, view->width(), view->height()));
    for (QQuickItem *item : findItems(app.window(), u"messageText"_s)) {
        if (!reallyVisible(item))
            continue;
        QString shown;
        const int length = QQmlProperty::read(item, u"length"_s).toInt();
        if (!QMetaObject::invokeMethod(
                item, "getText", Q_RETURN_ARG(QString, shown), Q_ARG(int, 0), Q_ARG(int, length)))
            shown = QQmlProperty::read(item, u"text"_s).toString();
        const QRectF at = item->mapRectToScene(QRectF(0, 0, item->width(), item->height()));
        if (shown == text && viewport.intersects(at))
            return item;
    }
    return nullptr;
}

} // namespace

class TestUiSearch : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase()
    {
        m_server.config().limits.ratePerSecond = 10000;
        m_server.config().limits.rateBurst = 10000;
        QVERIFY(m_server.start());
        m_pool = std::make_unique<ClientPool>([this] { return m_server.url(); });
        TestClient *ben = m_pool->registered(u"ben"_s);
        QVERIFY(ben);
        TestClient *alice = m_pool->registered(u"alice"_s);
        QVERIFY(alice);
        m_alpha = createRoom(ben, u"alpha"_s);
        m_bravo = createRoom(ben, u"bravo"_s);
        QVERIFY(m_alpha > 0 && m_bravo > 0);
        QVERIFY(alice->request(protocol::requests::join(m_alpha)));
        QVERIFY(alice->request(protocol::requests::join(m_bravo)));
        int txn = 0;
        const auto send = [&](qint64 room, const QString &text) {
            const auto r = ben->request(protocol::requests::send(room, u"t-%1"_s.arg(++txn), text));
            return r ? r->data().value(u"seq"_s).toInteger() : 0;
        };
        // The hit in bravo is far above what bravo shows when it opens.
        QVERIFY(send(m_bravo, m_target) > 0);
        for (int i = 0; i < 150; ++i)
            QVERIFY(send(m_bravo, u"filler %1 in bravo"_s.arg(i)) > 0);
        QVERIFY(send(m_alpha, u"release party <b>tonight</b>"_s) > 0);
        QVERIFY(send(m_alpha, u"nothing to see"_s) > 0);
        alice->disconnectNow();
        ben->disconnectNow();
    }

    void ctrlFTypeAndJump()
    {
        UiTestApp app;
        QVERIFY(signIn(app));
        QVERIFY(!shownMessage(app, m_target));
        QQuickItem *button = app.item(u"searchButton"_s);
        QVERIFY(button);
        QTRY_VERIFY(reallyVisible(button)); // the server offers search

        QTest::keyClick(app.window(), Qt::Key_F, Qt::ControlModifier);
        QQuickItem *field = waitItem(app, u"searchField"_s);
        QVERIFY(field);
        QTRY_VERIFY(field->hasActiveFocus());
        typeText(app.window(), u"releas"_s); // the last word also matches as a prefix

        QQuickItem *list = app.item(u"searchResults"_s);
        QVERIFY(list);
        auto *results = qobject_cast<SearchResultsModel *>(
            QQmlProperty::read(list, u"model"_s).value<QObject *>());
        QVERIFY(results);
        QTRY_COMPARE(results->rowCount(), 2);
        QCOMPARE(results->query(), u"releas"_s);
        // Grouped by room, each under its name; the words matched are bold, what the
        // message holds as markup is text.
        QStringList sections;
        int bravoRow = -1;
        for (int row = 0; row < results->rowCount(); ++row) {
            const QModelIndex index = results->index(row);
            sections << index.data(SearchResultsModel::RoomNameRole).toString();
            if (results->roomIdAt(row) == m_bravo)
                bravoRow = row;
            else
                QCOMPARE(index.data(SearchResultsModel::SnippetRole).toString(),
                    u"<b>release</b> party &lt;b&gt;tonight&lt;/b&gt;"_s);
        }
        sections.sort();
        QCOMPARE(sections, (QStringList {u"alpha"_s, u"bravo"_s}));
        QVERIFY(!findItems(list, u"searchSnippet"_s).isEmpty());
        // The view shows each room's name once, above its hits.
        QStringList headings;
        QTRY_COMPARE(findItems(list, u"searchSection"_s).size(), 2);
        for (QQuickItem *heading : findItems(list, u"searchSection"_s))
            headings << QQmlProperty::read(heading, u"text"_s).toString();
        headings.sort();
        QCOMPARE(headings, sections);

        // Down to bravo's hit, Enter: bravo opens with the message on screen.
        QTRY_COMPARE(QQmlProperty::read(list, u"currentIndex"_s).toInt(), 0);
        for (int i = 0; i < bravoRow; ++i)
            QTest::keyClick(app.window(), Qt::Key_Down);
        QCOMPARE(QQmlProperty::read(list, u"currentIndex"_s).toInt(), bravoRow);
        QTest::keyClick(app.window(), Qt::Key_Return);
        QTRY_COMPARE(app.session()->currentRoom()->roomId(), m_bravo);
        QTRY_VERIFY_WITH_TIMEOUT(shownMessage(app, m_target), 10000);
        const QObject *panel = app.window()->findChild<QObject *>(u"searchPanel"_s);
        QVERIFY(panel);
        QTRY_VERIFY(!panel->property("visible").toBool());

        // Esc closes the panel without going anywhere.
        QTest::keyClick(app.window(), Qt::Key_F, Qt::ControlModifier);
        QTRY_VERIFY(field->hasActiveFocus());
        QTest::keyClick(app.window(), Qt::Key_Escape);
        QTRY_VERIFY(!panel->property("visible").toBool());
        QCOMPARE(app.session()->currentRoom()->roomId(), m_bravo);
    }

    void cleanupTestCase() { m_pool.reset(); }

private:
    bool signIn(UiTestApp &app)
    {
        SignInSteps steps;
        steps.server = m_server.url();
        steps.rooms = 2;
        steps.open = m_alpha;
        return signInAndOpen(app, steps);
    }

    TestServer m_server;
    std::unique_ptr<ClientPool> m_pool;
    qint64 m_alpha = 0;
    qint64 m_bravo = 0;
    const QString m_target = u"the release notes are ready"_s;
};

QTEST_MAIN(TestUiSearch)
#include "tst_uisearch.moc"
