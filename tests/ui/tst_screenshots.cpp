// SPDX-License-Identifier: GPL-3.0-or-later
// Renders the main window offscreen with a lived-in room (several people, grouped
// messages, yesterday and today, a mention, an own message that failed, unread badges in
// the sidebar, the member list) and saves it, light and dark, to
// ${CMAKE_BINARY_DIR}/screenshots/. The README's docs/screenshot.png is one of these.
#include "clientpool.h"
#include "files/pendingattachments.h"
#include "models/roomlistmodel.h"
#include "models/timelinemodel.h"
#include "testserver.h"
#include "timelinecheck.h"
#include "uitestapp.h"

#include <QDateTime>
#include <QDir>
#include <QImage>
#include <QPainter>
#include <QQmlProperty>
#include <QSqlDatabase>
#include <QSqlQuery>
#include <QTemporaryDir>
#include <QtQml/qqmlextensionplugin.h>
#include <QtTest>
#include <cmath>

Q_IMPORT_QML_PLUGIN(Confab_ClientPlugin)
Q_IMPORT_QML_PLUGIN(ConfabPlugin)

using namespace Qt::StringLiterals;
using namespace confab;
using namespace confab::test;

namespace {

const QSize WindowSize(1180, 740);

// Sends as \a c; the message's seq, or 0 if the server refused it.
qint64 say(TestClient *c, qint64 room, const QString &text)
{
    static int counter = 0;
    const auto r = c->request(protocol::requests::send(room, u"shot-%1"_s.arg(++counter), text));
    if (!r || r->type != protocol::ServerFrameType::Result)
        return 0;
    return r->data().value(u"seq"_s).toInteger();
}

// A made-up screen design: a window with a form, in the app's colours.
QImage mockup(QSize size)
{
    QImage image(size, QImage::Format_RGB32);
    image.fill(QColor(0xf3f4f8));
    QPainter p(&image);
    p.setRenderHint(QPainter::Antialiasing);
    const QRect card(size.width() / 3, size.height() / 5, size.width() / 3, size.height() * 3 / 5);
    p.setPen(Qt::NoPen);
    p.setBrush(Qt::white);
    p.drawRoundedRect(card, 16, 16);
    p.setBrush(QColor(0x4f5bd5));
    p.drawEllipse(QPoint(card.center().x(), card.top() + 80), 40, 40);
    p.setBrush(QColor(0xe2e4ea));
    for (int i = 0; i < 2; ++i)
        p.drawRoundedRect(card.left() + 40, card.top() + 170 + i * 80, card.width() - 80, 48, 8, 8);
    p.setBrush(QColor(0x4f5bd5));
    p.drawRoundedRect(card.left() + 40, card.bottom() - 100, card.width() - 80, 52, 8, 8);
    return image;
}

// Standard deviation of the pixels' grey values: a blank or single-colour image is ~0.
double greyDeviation(const QImage &image)
{
    double sum = 0, sumSq = 0;
    qint64 n = 0;
    for (int y = 0; y < image.height(); y += 2) {
        for (int x = 0; x < image.width(); x += 2) {
            const double g = qGray(image.pixel(x, y));
            sum += g;
            sumSq += g * g;
            ++n;
        }
    }
    const double mean = sum / double(n);
    return std::sqrt(std::max(0.0, sumSq / double(n) - mean * mean));
}

// Moves a room's first \a count events to yesterday afternoon, so the timeline shows two
// days. The server must be stopped: this edits its database file directly.
bool backdate(const QString &databasePath, qint64 room, qint64 count)
{
    const QString connection = u"screenshot-backdate"_s;
    bool ok = false;
    {
        QSqlDatabase db = QSqlDatabase::addDatabase(u"QSQLITE"_s, connection);
        db.setDatabaseName(databasePath);
        if (db.open()) {
            const QDateTime yesterday(QDate::currentDate().addDays(-1), QTime(16, 10));
            QSqlQuery q(db);
            q.prepare(u"UPDATE events SET ts = ? + (seq * 60000) WHERE room_id = ? AND seq <= ?"_s);
            q.addBindValue(yesterday.toMSecsSinceEpoch());
            q.addBindValue(room);
            q.addBindValue(count);
            ok = q.exec() && q.numRowsAffected() == count;
            db.close();
        }
    }
    QSqlDatabase::removeDatabase(connection);
    return ok;
}

} // namespace

class TestScreenshots : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase()
    {
        // A real user's locale rather than the C locale of a CI machine ("16:05", not
        // "16:05:00").
        QLocale::setDefault(QLocale(QLocale::English, QLocale::UnitedKingdom));
        m_server.config().limits.ratePerSecond = 10000; // the busy room is seeded quickly
        m_server.config().limits.rateBurst = 10000;
        QVERIFY(m_server.start());
        m_pool = std::make_unique<ClientPool>([this] { return m_server.url(); });
        m_outDir = QStringLiteral(CONFAB_SCREENSHOT_DIR);
        QVERIFY(QDir().mkpath(m_outDir));
    }

    void mainWindow()
    {
        // People and rooms.
        TestClient *ana = m_pool->registered(u"ana"_s);
        TestClient *ben = m_pool->registered(u"ben"_s);
        TestClient *chloe = m_pool->registered(u"chloe"_s);
        TestClient *me = m_pool->registered(u"alice"_s);
        QVERIFY(ana && ben && chloe && me);
        const qint64 general = createRoom(ana, u"general"_s);
        const qint64 design = createRoom(ben, u"design"_s);
        m_general = general;
        m_design = design;
        const qint64 releases = createRoom(chloe, u"releases"_s);
        const qint64 random = createRoom(chloe, u"random"_s);
        QVERIFY(general > 0 && design > 0 && releases > 0 && random > 0);
        QVERIFY(ana->request(
            protocol::requests::setTopic(general, u"Company-wide news and everyday chatter"_s)));
        for (TestClient *c : {ben, chloe, me})
            QVERIFY(c->request(protocol::requests::join(general)));
        for (TestClient *c : {ana, me})
            QVERIFY(c->request(protocol::requests::join(design)));
        QVERIFY(me->request(protocol::requests::join(releases)));
        QVERIFY(me->request(protocol::requests::join(random)));

        // Yesterday in #general.
        QVERIFY(say(ana, general, u"Is the staging server back up?"_s));
        QVERIFY(say(ben, general, u"It is, I restarted it after the kernel update."_s));
        QVERIFY(say(ben, general, u"Notes are here: https://wiki.example.org/staging"_s));
        const qint64 lastOfYesterday = say(me, general, u"Thanks Ben!"_s);
        QVERIFY(lastOfYesterday > 0);

        // The server goes down for the edit, then comes back on the same port.
        m_pool->clear();
        m_server.stop();
        QVERIFY(backdate(m_server.databasePath(), general, lastOfYesterday));
        QVERIFY(m_server.restart());

        ana = m_pool->connectClient();
        ben = m_pool->connectClient();
        chloe = m_pool->connectClient();
        me = m_pool->connectClient();
        QVERIFY(ana && ana->login(u"ana"_s));
        QVERIFY(ben && ben->login(u"ben"_s));
        QVERIFY(chloe && chloe->login(u"chloe"_s));
        QVERIFY(me && me->login(u"alice"_s));

        // Today.
        QVERIFY(say(chloe, general, u"Lunch at 12:30 today? The new place on Elm Street."_s));
        const qint64 readUpTo = say(ana, general, u"Count me in."_s);
        QVERIFY(readUpTo > 0);
        QVERIFY(me->request(protocol::requests::markRead(general, readUpTo)));
        me->disconnectNow();
        QVERIFY(say(ben, general,
            u"Same. I'll book a table for four, they fill up fast on Fridays and the terrace "
            "is the nice part."_s));
        QVERIFY(say(ana, general,
            u"@alice could you review the sign-in fix before lunch? It keeps the token "
            "out of the log file."_s));
        QVERIFY(say(ana, general, u"It's a small one: 40 lines."_s));
        QVERIFY(say(ben, design, u"New icons are in the shared folder."_s));
        QVERIFY(say(ben, design, u"Feedback welcome, especially on the dark variants."_s));
        QVERIFY(say(ana, design, u"Looking now."_s));
        QVERIFY(say(chloe, releases, u"0.1.0 is tagged."_s));
        QVERIFY(say(chloe, random, u"@alice the plant on your desk needs water"_s));
        const auto direct = ben->request(protocol::requests::openDirect(u"alice"_s));
        QVERIFY(direct && direct->type == protocol::ServerFrameType::Result);
        const qint64 directRoom
            = direct->data().value(u"room"_s).toObject().value(u"id"_s).toInteger();
        QVERIFY(directRoom > 0);
        QVERIFY(say(ben, directRoom, u"Got a minute after lunch?"_s));
        chloe->disconnectNow(); // one member offline in the member list

        // The app signs in as alice, who last read #general up to "Count me in."
        UiTestApp app;
        app.settings()->setTheme(client::AppSettings::Light);
        QVERIFY(app.loadMain(WindowSize));
        app.session()->account()->signIn(
            m_server.url().toString(), u"alice"_s, u"password-123"_s, false);
        QTRY_COMPARE_WITH_TIMEOUT(
            app.session()->account()->status(), client::Account::SignedIn, 15000);
        QTRY_COMPARE_WITH_TIMEOUT(
            app.session()->connectionState(), client::ConnectionState::Live, 15000);
        app.session()->currentRoom()->select(general);
        QTRY_COMPARE(app.session()->currentRoom()->roomId(), general);
        client::TimelineModel *timeline = app.session()->currentRoom()->timeline();
        QVERIFY(timeline);
        QTRY_VERIFY_WITH_TIMEOUT(timeline->rowCount() >= 14, 10000);

        // An own message that could not be delivered.
        timeline->addPending(
            u"screenshot:1"_s, u"Sure, after the standup."_s, QDateTime::currentMSecsSinceEpoch());
        timeline->markFailed(u"screenshot:1"_s, tr("You are offline."));

        QQuickItem *members = app.item(u"membersButton"_s);
        QVERIFY(members);
        click(members);
        QTRY_VERIFY(app.item(u"memberList"_s) && reallyVisible(app.item(u"memberList"_s)));
        QTRY_VERIFY(app.session()->rooms()->totalUnread() > 0);
        // No hover effects or tooltips in the picture.
        QTest::mouseMove(app.window(), QPoint(WindowSize.width() - 5, WindowSize.height() - 5));

        shoot(app, u"main-light.png"_s);

        // The room switcher over it, filtered.
        app.window()->requestActivate();
        QVERIFY(QTest::qWaitForWindowActive(app.window()));
        QTest::keyClick(app.window(), Qt::Key_K, Qt::ControlModifier);
        QQuickItem *field = app.item(u"switcherField"_s);
        QVERIFY(field);
        QTRY_VERIFY(field->hasActiveFocus());
        typeText(app.window(), u"e"_s);
        shoot(app, u"switcher-light.png"_s);
        QTest::keyClick(app.window(), Qt::Key_Escape);
        QTRY_VERIFY(!reallyVisible(field));

        // Search (Ctrl+F), results grouped by room.
        QTest::keyClick(app.window(), Qt::Key_F, Qt::ControlModifier);
        QQuickItem *searchField = waitItem(app, u"searchField"_s);
        QVERIFY(searchField);
        QTRY_VERIFY(searchField->hasActiveFocus());
        typeText(app.window(), u"the"_s);
        QTRY_VERIFY(!findItems(app.window(), u"searchSnippet"_s).isEmpty());
        shoot(app, u"search-light.png"_s);
        QTest::keyClick(app.window(), Qt::Key_Escape);
        QTRY_VERIFY(!reallyVisible(searchField));

        // Completion above the composer, then the emoji picker.
        QQuickItem *composer = app.item(u"composerInput"_s);
        typeInto(composer, u"@"_s);
        QTRY_VERIFY(reallyVisible(app.item(u"completionPopup"_s)));
        shoot(app, u"completion-light.png"_s);
        QTest::keyClick(app.window(), Qt::Key_Escape);
        QTest::keyClick(app.window(), Qt::Key_Backspace);
        click(app.item(u"emojiButton"_s));
        QQuickItem *emojiField = waitItem(app, u"emojiSearchField"_s);
        QVERIFY(emojiField);
        QTRY_VERIFY(emojiField->hasActiveFocus());
        QTest::mouseMove(app.window(), QPoint(WindowSize.width() - 5, WindowSize.height() - 5));
        shoot(app, u"emoji-picker-light.png"_s);
        QTest::keyClick(app.window(), Qt::Key_Escape);
        QTRY_VERIFY(!reallyVisible(emojiField));

        // The settings dialog.
        click(app.item(u"settingsButton"_s));
        QQuickItem *themeBox = app.item(u"themeBox"_s);
        QVERIFY(themeBox);
        QTRY_VERIFY(reallyVisible(themeBox));
        shoot(app, u"settings-light.png"_s);
        QTest::keyClick(app.window(), Qt::Key_Escape);
        QTRY_VERIFY(!reallyVisible(themeBox));
        app.settings()->setTheme(client::AppSettings::Dark);
        QTRY_VERIFY(app.settings()->darkMode());
        shoot(app, u"main-dark.png"_s);
    }

    // Issue 10's fixes as a person sees them: a room with many unread messages opens on its
    // "new messages" line; after scrolling a channel up, switching to a direct conversation
    // shows that conversation; a half-written message waits in its own room.
    void landingSwitchAndDraft()
    {
        TestClient *chloe = m_pool->connectClient();
        TestClient *ben = m_pool->connectClient();
        TestClient *me = m_pool->connectClient();
        QVERIFY(chloe && chloe->login(u"chloe"_s));
        QVERIFY(ben && ben->login(u"ben"_s));
        QVERIFY(me && me->login(u"alice"_s));
        const qint64 ops = createRoom(chloe, u"ops"_s);
        QVERIFY(ops > 0);
        QVERIFY(me->request(protocol::requests::join(ops)));
        QVERIFY(ben->request(protocol::requests::join(ops)));
        qint64 read = 0;
        for (int i = 1; i <= 12; ++i)
            read = say(chloe, ops, u"Nightly build %1 passed."_s.arg(i));
        QVERIFY(read > 0);
        QVERIFY(me->request(protocol::requests::markRead(ops, read)));
        me->disconnectNow();
        const QStringList news = {u"Deploy of 0.2.0 starts at 14:00."_s,
            u"Database migration is running, expect a minute of read-only mode."_s,
            u"Migration done: 0 errors."_s, u"Web nodes are being rotated one by one."_s,
            u"@alice can you watch the error rate while I rotate?"_s};
        for (int i = 0; i < 60; ++i)
            QVERIFY(say(i % 3 == 0 ? ben : chloe, ops, news.at(i % news.size())));

        UiTestApp app;
        app.settings()->setTheme(client::AppSettings::Light);
        QVERIFY(app.loadMain(WindowSize));
        app.window()->requestActivate();
        QVERIFY(QTest::qWaitForWindowActive(app.window()));
        app.session()->account()->signIn(
            m_server.url().toString(), u"alice"_s, u"password-123"_s, false);
        QTRY_COMPARE_WITH_TIMEOUT(
            app.session()->connectionState(), client::ConnectionState::Live, 15000);
        app.session()->currentRoom()->select(ops);
        client::TimelineModel *timeline = app.session()->currentRoom()->timeline();
        QTRY_VERIFY(!timeline->landingPending() && timeline->firstUnreadRow() >= 0);
        QTRY_VERIFY(!shownSeqs(app.window()).isEmpty()
            && shownSeqs(app.window()).constFirst() == timeline->seqAt(timeline->firstUnreadRow()));
        QTest::mouseMove(app.window(), QPoint(WindowSize.width() - 5, WindowSize.height() - 5));
        shootChecked(app, u"unread-landing-light.png"_s);

        // #general scrolled up, then Alt+Down to the direct conversation with ben.
        app.session()->currentRoom()->select(m_general);
        QTRY_VERIFY(timelineView(app.window()));
        QTest::qWait(200);
        wheel(timelineView(app.window()), 6);
        QTest::qWait(200);
        const qint64 direct
            = app.session()->rooms()->roomIdAt(app.session()->rooms()->rowCount() - 1);
        app.session()->currentRoom()->select(direct);
        QTRY_COMPARE(app.session()->currentRoom()->roomId(), direct);
        QTRY_VERIFY(!shownSeqs(app.window()).isEmpty());
        shootChecked(app, u"room-switch-light.png"_s);

        // A draft in #general, a look at #design, back: the draft is where it was left.
        app.session()->currentRoom()->select(m_general);
        QQuickItem *composer = app.item(u"composerInput"_s);
        QVERIFY(composer);
        typeInto(composer, u"Looks good to me, one question about the token"_s);
        app.session()->currentRoom()->select(m_design);
        QTRY_COMPARE(QQmlProperty::read(composer, u"text"_s).toString(), QString());
        app.session()->currentRoom()->select(m_general);
        QTRY_COMPARE(QQmlProperty::read(composer, u"text"_s).toString(),
            u"Looks good to me, one question about the token"_s);
        QTest::mouseMove(app.window(), QPoint(WindowSize.width() - 5, WindowSize.height() - 5));
        shootChecked(app, u"draft-light.png"_s);
    }

    // A message with an image (its thumbnail inline) and a file (a card with Save).
    void filesInTheTimeline()
    {
        TestClient *ben = m_pool->connectClient();
        TestClient *me = m_pool->connectClient();
        QVERIFY(ben && ben->login(u"ben"_s));
        QVERIFY(me && me->login(u"alice"_s));
        const qint64 media = createRoom(ben, u"mockups"_s);
        QVERIFY(media > 0);
        QVERIFY(me->request(protocol::requests::join(media)));
        QVERIFY(say(ben, media, u"Could you share the sign-in mock-ups?"_s));
        me->disconnectNow();

        QTemporaryDir files;
        QVERIFY(files.isValid());
        const QString picture = files.filePath(u"sign-in-mockup.png"_s);
        QVERIFY(mockup(QSize(1200, 800)).save(picture));
        const QString notes = files.filePath(u"review-notes.pdf"_s);
        {
            QFile pdf(notes);
            QVERIFY(pdf.open(QIODevice::WriteOnly));
            pdf.write("%PDF-1.4\n% review notes\n");
            pdf.write(QByteArray(180 * 1024, ' '));
            pdf.write("\n%%EOF\n");
        }

        UiTestApp app;
        app.settings()->setTheme(client::AppSettings::Light);
        QVERIFY(app.loadMain(WindowSize));
        app.session()->account()->signIn(
            m_server.url().toString(), u"alice"_s, u"password-123"_s, false);
        QTRY_COMPARE_WITH_TIMEOUT(
            app.session()->connectionState(), client::ConnectionState::Live, 15000);
        QTRY_VERIFY(app.session()->pendingAttachments()->available());
        app.session()->currentRoom()->select(media);
        QTRY_COMPARE(app.session()->currentRoom()->roomId(), media);
        QVERIFY(app.session()->pendingAttachments()->addUrls(
            {QUrl::fromLocalFile(picture), QUrl::fromLocalFile(notes)}));
        app.session()->currentRoom()->sendMessage(u"Here they are, with my notes."_s);
        client::TimelineModel *timeline = app.session()->currentRoom()->timeline();
        QTRY_VERIFY_WITH_TIMEOUT(
            [&] {
                const int row = timeline->rowCount() - 1;
                const QVariantList files
                    = timeline->index(row).data(client::TimelineModel::AttachmentsRole).toList();
                return timeline->seqAt(row) > 0 && files.size() == 2
                    && files.at(0).toMap().value(u"fileId"_s).toLongLong() > 0;
            }(),
            15000);
        QQuickItem *thumbnail = nullptr;
        QTRY_VERIFY((thumbnail = visibleItem(app, u"thumbnailImage"_s))
            && QQmlProperty::read(thumbnail, u"status"_s).toInt() == 1);
        QTRY_VERIFY(visibleItem(app, u"fileCard"_s));
        QTest::mouseMove(app.window(), QPoint(WindowSize.width() - 5, WindowSize.height() - 5));
        shootChecked(app, u"files-light.png"_s);
    }

    // The first thing a new user sees: the sign-in page of a server with open registration.
    void signInPage()
    {
        UiTestApp app;
        app.settings()->setTheme(client::AppSettings::Light);
        app.settings()->setLastServerUrl(m_server.url().toString());
        QVERIFY(app.loadMain(QSize(900, 640)));
        QQuickItem *create = app.item(u"createAccountButton"_s);
        QVERIFY(create);
        QTRY_VERIFY(reallyVisible(create)); // the probe found registration open
        QTest::mouseMove(app.window(), QPoint(5, 5));
        shoot(app, u"signin-light.png"_s, QSize(900, 640));
    }

    void cleanupTestCase() { m_pool.reset(); }

private:
    void shoot(UiTestApp &app, const QString &fileName, QSize size = WindowSize)
    {
        // Let bindings, layouts and the list settle before grabbing. A blank or one-colour
        // image has a deviation near 0; the sparse sign-in page has about 17.
        QTest::qWait(300);
        QVERIFY(QTest::qWaitForWindowExposed(app.window()));
        const QImage image = app.window()->grabWindow();
        QVERIFY(!image.isNull());
        const qreal dpr = app.window()->devicePixelRatio();
        QCOMPARE(image.size(), size * dpr);
        const double deviation = greyDeviation(image);
        QVERIFY2(
            deviation > 8, qPrintable(u"the image looks blank: deviation %1"_s.arg(deviation)));
        const QString path = m_outDir + u'/' + fileName;
        QVERIFY(image.save(path));
        qInfo().noquote() << "saved" << path << "grey deviation" << deviation;
    }

    // Shot only once the timeline shows the current room's rows, in order.
    void shootChecked(UiTestApp &app, const QString &fileName)
    {
        QTest::qWait(300);
        const QString broken = checkTimelineSettled(app.window(), app.session());
        QVERIFY2(broken.isEmpty(), qPrintable(broken));
        shoot(app, fileName);
    }

    TestServer m_server;
    std::unique_ptr<ClientPool> m_pool;
    QString m_outDir;
    qint64 m_general = 0;
    qint64 m_design = 0;
};

QTEST_MAIN(TestScreenshots)
#include "tst_screenshots.moc"
