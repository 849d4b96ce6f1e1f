// SPDX-License-Identifier: GPL-3.0-or-later
// The timeline as a person uses it: scrolling by wheel, switching rooms by keyboard and
// mouse, older pages loading, messages arriving. After every step the view must show the
// current room's rows and nothing else (tests/ui/timelinecheck.h).
#include "clientpool.h"
#include "models/roomlistmodel.h"
#include "models/timelinemodel.h"
#include "protocol/limits.h"
#include "protocol/roomevent.h"
#include "testserver.h"
#include "timelinecheck.h"
#include "uitestapp.h"

#include <QJsonArray>
#include <QQmlProperty>
#include <QRandomGenerator>
#include <QSet>
#include <QtQml/qqmlextensionplugin.h>
#include <QtTest>

Q_IMPORT_QML_PLUGIN(Confab_ClientPlugin)
Q_IMPORT_QML_PLUGIN(ConfabPlugin)

using namespace Qt::StringLiterals;
using namespace confab;
using namespace confab::test;

// The view now, once laid out, and every frame drawn since the test's frame check began.
#define CHECK_TIMELINE(app)                                                                        \
    do {                                                                                           \
        const QString broken = checkTimelineSettled((app).window(), (app).session());              \
        QVERIFY2(broken.isEmpty(), qPrintable(broken));                                            \
        QVERIFY2(frames.failure().isEmpty(), qPrintable(u"in a frame: "_s + frames.failure()));    \
    } while (false)

namespace {

// Sends \a count messages "<prefix> N/count" and returns the last seq (0 on failure).
qint64 seed(TestClient *sender, qint64 room, const QString &prefix, int count)
{
    qint64 last = 0;
    for (int i = 1; i <= count; ++i) {
        static int txn = 0;
        const auto r = sender->request(protocol::requests::send(
            room, u"seed-%1"_s.arg(++txn), u"%1 %2/%3"_s.arg(prefix).arg(i).arg(count)));
        if (!r || r->type != protocol::ServerFrameType::Result)
            return 0;
        last = r->data().value("seq"_L1).toInteger();
    }
    return last;
}

// Settles pending zero-timers and layout: what a person sees a moment later.
void settle(int ms = 50)
{
    QTest::qWait(ms);
}

} // namespace

class TestUiTimeline : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase()
    {
        m_server.config().limits.resumeMax = 60;
        m_server.config().limits.ratePerSecond = 100000;
        m_server.config().limits.rateBurst = 100000;
        QVERIFY(m_server.start());
        m_pool = std::make_unique<ClientPool>([this] { return m_server.url(); });

        // ana seeds two channels and a direct conversation with alice; alice has read all.
        m_ana = m_pool->registered(u"ana"_s);
        QVERIFY(m_ana);
        TestClient *alice = m_pool->registered(u"alice"_s);
        QVERIFY(alice);
        m_general = createRoom(m_ana, u"general"_s);
        m_random = createRoom(m_ana, u"random"_s);
        QVERIFY(m_general > 0 && m_random > 0);
        QVERIFY(alice->request(protocol::requests::join(m_general)));
        QVERIFY(alice->request(protocol::requests::join(m_random)));
        const auto direct = m_ana->request(protocol::requests::openDirect(u"alice"_s));
        QVERIFY(direct && direct->type == protocol::ServerFrameType::Result);
        m_direct = qint64(direct->data().value("room"_L1).toObject().value("id"_L1).toDouble());
        QVERIFY(m_direct > 0);
        const qint64 lastGeneral = seed(m_ana, m_general, u"Seeded history message"_s, 400);
        const qint64 lastRandom = seed(m_ana, m_random, u"Random chatter"_s, 150);
        const qint64 lastDirect = seed(m_ana, m_direct, u"Hi alice, welcome"_s, 30);
        QVERIFY(lastGeneral > 0 && lastRandom > 0 && lastDirect > 0);
        QVERIFY(alice->request(protocol::requests::markRead(m_general, lastGeneral)));
        QVERIFY(alice->request(protocol::requests::markRead(m_random, lastRandom)));
        QVERIFY(alice->request(protocol::requests::markRead(m_direct, lastDirect)));
        alice->disconnectNow();
    }

    // Issue 10, item 1, as it was seen: in a channel of ~400 messages, ~20 wheel notches
    // up (older pages load), then Alt+Down to the next room and back. The other room showed
    // the first one's rows, and back in the first, rows were out of order with a hole.
    void roomSwitchAfterWheelScroll()
    {
        UiTestApp app;
        QVERIFY(app.loadMainActive());
        TimelineFrameCheck frames(app.window(), app.session());
        signIn(app);
        app.session()->currentRoom()->select(m_general);
        QTRY_VERIFY(timelineView(app.window()));
        QTRY_VERIFY(app.session()->currentRoom()->timeline()->rowCount() >= 50);
        settle(200);
        CHECK_TIMELINE(app);

        QQuickItem *view = timelineView(app.window());
        for (int i = 0; i < 20; ++i) {
            wheel(view, 1);
            settle(30);
            CHECK_TIMELINE(app);
        }
        // Switched while an older page may still be on its way, as a person would; then
        // scrolled a little or a lot in each room before switching on.
        const QList<int> notches = {0, 2, 7, 1, 12, 4, 20, 3};
        for (qsizetype i = 0; i < notches.size(); ++i) {
            const bool down = (i / 2) % 2 == 0;
            QTest::keyClick(app.window(), down ? Qt::Key_Down : Qt::Key_Up, Qt::AltModifier);
            settle(30);
            CHECK_TIMELINE(app);
            settle(300);
            CHECK_TIMELINE(app);
            for (int n = 0; n < notches.at(i); ++n) {
                wheel(timelineView(app.window()), 1);
                settle(20);
            }
            CHECK_TIMELINE(app);
        }
        QTRY_VERIFY(!app.session()->currentRoom()->loadingOlder());
        settle(200);
        CHECK_TIMELINE(app);
    }

    // Issue 10, item 3: a room with 300 unread opens on its "new messages" line, and
    // unread clears only as far as the user has scrolled.
    void opensAtFirstUnread()
    {
        const qint64 last = seed(m_ana, m_random, u"Unread news"_s, 300);
        QVERIFY(last > 0);
        // Read up to just before them, whatever earlier tests left.
        TestClient *alice = m_pool->connectClient();
        QVERIFY(alice && alice->login(u"alice"_s));
        QVERIFY(alice->request(protocol::requests::markRead(m_random, last - 300)));
        alice->disconnectNow();

        UiTestApp app;
        QVERIFY(app.loadMainActive());
        TimelineFrameCheck frames(app.window(), app.session());
        signIn(app);
        QTRY_VERIFY(app.session()->rooms()->room(m_random)
            && app.session()->rooms()->room(m_random)->unread == 300);
        app.session()->currentRoom()->select(m_random);
        client::TimelineModel *timeline = app.session()->currentRoom()->timeline();
        QTRY_VERIFY_WITH_TIMEOUT(!timeline->landingPending(), 10000);
        QVERIFY(timeline->firstUnreadRow() >= 0);
        const qint64 firstUnreadSeq = timeline->seqAt(timeline->firstUnreadRow());
        QCOMPARE(
            timeline
                ->data(timeline->index(timeline->firstUnreadRow()), client::TimelineModel::TextRole)
                .toString(),
            u"Unread news 1/300"_s);
        QTRY_VERIFY(!shownSeqs(app.window()).isEmpty()
            && shownSeqs(app.window()).constFirst() == firstUnreadSeq);
        CHECK_TIMELINE(app);
        // A moment later the badge still counts what is below the screen.
        QTest::qWait(1500);
        CHECK_TIMELINE(app);
        const auto shown = shownSeqs(app.window());
        QVERIFY(shown.contains(firstUnreadSeq));
        const qint64 unreadNow = app.session()->rooms()->room(m_random)->unread;
        QVERIFY2(unreadNow >= 300 - shown.size(), qPrintable(QString::number(unreadNow)));
        QVERIFY(unreadNow > 0);

        // Scrolling down reads them, a screenful at a time, down to none.
        QQuickItem *view = timelineView(app.window());
        qint64 previous = unreadNow;
        bool decreased = false;
        for (int i = 0; i < 200 && app.session()->rooms()->room(m_random)->unread > 0; ++i) {
            wheel(view, -3);
            QTest::qWait(100);
            const qint64 now = app.session()->rooms()->room(m_random)->unread;
            QVERIFY(now <= previous);
            decreased = decreased || now < previous;
            previous = now;
        }
        QVERIFY(decreased);
        QTRY_COMPARE_WITH_TIMEOUT(app.session()->rooms()->room(m_random)->unread, 0, 10000);
        CHECK_TIMELINE(app);
    }

    // Issue 10, item 5: what is half written stays with its room, and across a restart.
    // Issue 10, item 4: a saved session starts on the cached chat page from the first frame.
    void draftsAndColdStart()
    {
        UiProfile profile;
        {
            UiTestApp app(&profile);
            QVERIFY(app.loadMainActive());
            app.session()->account()->signIn(
                m_server.url().toString(), u"alice"_s, u"password-123"_s, true);
            QTRY_COMPARE_WITH_TIMEOUT(
                app.session()->connectionState(), client::ConnectionState::Live, 15000);
            QTRY_VERIFY(app.settings()->sessionSaved());
            app.session()->currentRoom()->select(m_general);
            QQuickItem *composer = app.item(u"composerInput"_s);
            QVERIFY(composer);
            QTRY_VERIFY(composer->hasActiveFocus());
            typeText(app.window(), u"half a thought"_s);
            QTest::keyClick(app.window(), Qt::Key_Down, Qt::AltModifier);
            QTRY_COMPARE(app.session()->currentRoom()->roomId(), m_random);
            QCOMPARE(QQmlProperty::read(composer, u"text"_s).toString(), QString());
            // Enter in the next room sends nothing: the draft stayed behind.
            QTest::keyClick(app.window(), Qt::Key_Return);
            QTest::qWait(500);
            client::TimelineModel *timeline = app.session()->currentRoom()->timeline();
            for (int row = 0; row < timeline->rowCount(); ++row) {
                const QString text
                    = timeline->data(timeline->index(row), client::TimelineModel::TextRole)
                          .toString();
                QVERIFY2(text != u"half a thought"_s, "the other room's draft was sent here");
                QVERIFY2(timeline->seqAt(row) > 0, "something was sent from an empty composer");
            }
            typeText(app.window(), u"other room"_s);
            QTest::keyClick(app.window(), Qt::Key_Up, Qt::AltModifier);
            QTRY_COMPARE(app.session()->currentRoom()->roomId(), m_general);
            QCOMPARE(QQmlProperty::read(composer, u"text"_s).toString(), u"half a thought"_s);
            QTest::keyClick(app.window(), Qt::Key_Down, Qt::AltModifier);
            QTRY_COMPARE(app.session()->currentRoom()->roomId(), m_random);
            QCOMPARE(QQmlProperty::read(composer, u"text"_s).toString(), u"other room"_s);
            QTest::keyClick(app.window(), Qt::Key_Up, Qt::AltModifier);
            QTRY_COMPARE(app.session()->currentRoom()->roomId(), m_general);
        }

        // The next start: the keychain answers after the first frames.
        UiTestApp app(&profile);
        QVERIFY(app.session()->account()->restore());
        QStringList pages;
        QVERIFY(app.loadMain(QSize(1100, 720), [&pages](QQuickWindow *window) {
            QObject::connect(
                // At the sync of each frame: the GUI thread waits there, also with the
                // threaded render loop of a real window.
                window, &QQuickWindow::beforeSynchronizing, window,
                [window, &pages] {
                    const auto loaders = findItems(window, u"pageLoader"_s);
                    auto *page = loaders.isEmpty()
                        ? nullptr
                        : QQmlProperty::read(loaders.constFirst(), u"item"_s).value<QObject *>();
                    pages.append(page ? page->objectName() : u"(none)"_s);
                },
                Qt::DirectConnection);
        }));
        QTRY_COMPARE_WITH_TIMEOUT(
            app.session()->connectionState(), client::ConnectionState::Live, 15000);
        QTest::qWait(100);
        QVERIFY(!pages.isEmpty());
        pages.removeDuplicates();
        QCOMPARE(pages, QStringList {u"chatPage"_s});
        QCOMPARE(app.session()->currentRoom()->roomId(), m_general);
        QQuickItem *composer = app.item(u"composerInput"_s);
        QVERIFY(composer);
        QCOMPARE(QQmlProperty::read(composer, u"text"_s).toString(), u"half a thought"_s);
        app.session()->currentRoom()->select(m_random);
        QTRY_COMPARE(QQmlProperty::read(composer, u"text"_s).toString(), u"other room"_s);
    }

    // A cold start opens the last room from the cache, all read; the resume then brings in
    // what was written meanwhile. The view lands on the first of those, and they stay unread
    // until scrolled to, as when the room is opened by hand.
    void coldStartLandsOnWhatCameMeanwhile()
    {
        UiProfile profile;
        TestClient *erin = m_pool->registered(u"erin"_s);
        QVERIFY(erin);
        const qint64 room = createRoom(m_ana, u"overnight"_s);
        QVERIFY(room > 0);
        QVERIFY(erin->request(protocol::requests::join(room)));
        const qint64 read = seed(m_ana, room, u"Yesterday's talk"_s, 40);
        QVERIFY(read > 0);
        QVERIFY(erin->request(protocol::requests::markRead(room, read)));
        erin->disconnectNow();
        {
            UiTestApp app(&profile);
            QVERIFY(app.loadMainActive());
            app.session()->account()->signIn(
                m_server.url().toString(), u"erin"_s, u"password-123"_s, true);
            QTRY_COMPARE_WITH_TIMEOUT(
                app.session()->connectionState(), client::ConnectionState::Live, 15000);
            QTRY_VERIFY(app.settings()->sessionSaved());
            app.session()->currentRoom()->select(room);
            QTRY_VERIFY_WITH_TIMEOUT(app.session()->rooms()->room(room)
                    && app.session()->rooms()->room(room)->unread == 0,
                10000);
        }
        const qint64 last = seed(m_ana, room, u"Overnight news"_s, 80);
        QVERIFY(last > 0);

        UiTestApp app(&profile);
        QVERIFY(app.session()->account()->restore());
        QVERIFY(app.loadMainActive());
        TimelineFrameCheck frames(app.window(), app.session());
        QCOMPARE(app.session()->currentRoom()->roomId(), room);
        QTRY_COMPARE_WITH_TIMEOUT(
            app.session()->connectionState(), client::ConnectionState::Live, 15000);
        client::TimelineModel *timeline = app.session()->currentRoom()->timeline();
        QTRY_VERIFY(timeline->highestSeq() == last && !timeline->landingPending());
        QVERIFY(timeline->firstUnreadRow() >= 0);
        QCOMPARE(
            timeline
                ->data(timeline->index(timeline->firstUnreadRow()), client::TimelineModel::TextRole)
                .toString(),
            u"Overnight news 1/80"_s);
        const qint64 firstUnreadSeq = timeline->seqAt(timeline->firstUnreadRow());
        QTRY_VERIFY(!shownSeqs(app.window()).isEmpty()
            && shownSeqs(app.window()).constFirst() == firstUnreadSeq);
        QTest::qWait(1500);
        CHECK_TIMELINE(app);
        QVERIFY(app.session()->rooms()->room(room)->unread > 0);
    }

    // Issue 10, item 2 (a segfault in libQt6Quick): the room list's section delegate and the
    // timeline's header were components that only a view's property referred to, so the
    // JavaScript collector could delete them under the view; the next section (a first
    // direct conversation) or header (a room switch) then crashed in Qt Quick. An app
    // that runs all day collects garbage many times.
    void viewDelegatesSurviveGarbageCollection()
    {
        TestClient *carol = m_pool->registered(u"carol"_s);
        TestClient *dave = m_pool->registered(u"dave"_s);
        QVERIFY(carol && dave);
        const qint64 room = createRoom(dave, u"gc-room"_s);
        QVERIFY(room > 0);
        QVERIFY(carol->request(protocol::requests::join(room)));
        carol->disconnectNow();

        UiTestApp app;
        QVERIFY(app.loadMainActive());
        app.session()->account()->signIn(
            m_server.url().toString(), u"carol"_s, u"password-123"_s, false);
        QTRY_COMPARE_WITH_TIMEOUT(
            app.session()->connectionState(), client::ConnectionState::Live, 15000);
        app.session()->currentRoom()->select(room);
        QTRY_VERIFY(timelineView(app.window()));
        QTest::qWait(100);
        for (int i = 0; i < 3; ++i) {
            app.engine()->collectGarbage();
            QTest::qWait(20);
        }
        // A new section ("Direct messages") and a new header (another room's timeline).
        const auto direct = dave->request(protocol::requests::openDirect(u"carol"_s));
        QVERIFY(direct && direct->type == protocol::ServerFrameType::Result);
        const qint64 directRoom
            = qint64(direct->data().value("room"_L1).toObject().value("id"_L1).toDouble());
        QTRY_VERIFY(app.session()->rooms()->contains(directRoom));
        QTest::qWait(100);
        app.session()->currentRoom()->select(directRoom);
        QTRY_VERIFY(timelineView(app.window()));
        QTRY_VERIFY(
            app.item(u"timelineStartLabel"_s) && reallyVisible(app.item(u"timelineStartLabel"_s)));
        const QString broken = checkTimelineSettled(app.window(), app.session());
        QVERIFY2(broken.isEmpty(), qPrintable(broken));
    }

    // A person's afternoon, compressed: random scrolling (wheel, scroll bar), room switches
    // (keyboard, mouse), messages arriving in bursts here and elsewhere, older pages,
    // typing and sending (also while the server is down), the server restarting, the window
    // minimised and restored. The timeline is checked after each step and on every frame.
    // CONFAB_SOAK_SECONDS (default 45) and CONFAB_SOAK_SEED make longer runs by hand; past
    // about 250 s, QtTest's watchdog needs QTEST_FUNCTION_TIMEOUT (ms) raised too.
    void randomisedSoak()
    {
        const int seconds = qEnvironmentVariableIsSet("CONFAB_SOAK_SECONDS")
            ? qEnvironmentVariableIntValue("CONFAB_SOAK_SECONDS")
            : 45;
        const quint32 soakSeed = qEnvironmentVariableIsSet("CONFAB_SOAK_SEED")
            ? quint32(qEnvironmentVariableIntValue("CONFAB_SOAK_SEED"))
            : 20261204u;
        QRandomGenerator random(soakSeed);
        QStringList log;
        const auto step = [&log](const QString &what) {
            log.append(what);
            if (log.size() > 25)
                log.removeFirst();
        };
        const qint64 tiny = createRoom(m_ana, u"tiny"_s);
        QVERIFY(tiny > 0);
        QVERIFY(seed(m_ana, tiny, u"Tiny room"_s, 3) > 0);
        TestClient *alice = m_pool->connectClient();
        QVERIFY(alice && alice->login(u"alice"_s));
        QVERIFY(alice->request(protocol::requests::join(tiny)));
        alice->disconnectNow();

        UiTestApp app;
        QVERIFY(app.loadMainActive());
        TimelineFrameCheck frames(app.window(), app.session());
        signIn(app);
        QTRY_VERIFY(app.session()->rooms()->contains(tiny));
        const QList<qint64> rooms = {m_general, m_random, m_direct, tiny};
        app.session()->currentRoom()->select(m_general);
        bool serverDown = false;
        int sent = 0;
        qint64 burstId = 1000000;

        QElapsedTimer clock;
        clock.start();
        int steps = 0;
        while (clock.elapsed() < seconds * 1000) {
            ++steps;
            const int action = int(random.bounded(100));
            QQuickItem *view = timelineView(app.window());
            if (action < 25 && view) {
                const int notches = int(random.bounded(1, 12)) * (random.bounded(3) == 0 ? -1 : 1);
                step(u"wheel %1"_s.arg(notches));
                for (int i = 0; i < std::abs(notches); ++i) {
                    wheel(view, notches > 0 ? 1 : -1);
                    QTest::qWait(int(random.bounded(5, 40)));
                }
            } else if (action < 33 && view) {
                QQuickItem *bar = app.item(u"timelineScrollBar"_s);
                if (bar && reallyVisible(bar) && bar->height() > 40) {
                    const double from = random.generateDouble();
                    const double to = random.generateDouble();
                    step(u"drag scroll bar %1 -> %2"_s.arg(from).arg(to));
                    const auto at = [bar](double f) {
                        return bar
                            ->mapToScene(QPointF(bar->width() / 2, 10 + f * (bar->height() - 20)))
                            .toPoint();
                    };
                    QTest::mousePress(app.window(), Qt::LeftButton, Qt::NoModifier, at(from));
                    for (int i = 1; i <= 8; ++i)
                        QTest::mouseMove(app.window(), at(from + (to - from) * i / 8), 15);
                    QTest::mouseRelease(app.window(), Qt::LeftButton, Qt::NoModifier, at(to));
                }
            } else if (action < 48) {
                const bool down = random.bounded(2) == 0;
                step(down ? u"Alt+Down"_s : u"Alt+Up"_s);
                QTest::keyClick(app.window(), down ? Qt::Key_Down : Qt::Key_Up, Qt::AltModifier);
            } else if (action < 58) {
                QQuickItem *list = app.item(u"roomList"_s);
                const int row = int(random.bounded(qint64(rooms.size())));
                QQuickItem *item = nullptr;
                if (list)
                    QMetaObject::invokeMethod(
                        list, "itemAtIndex", Q_RETURN_ARG(QQuickItem *, item), Q_ARG(int, row));
                if (item && reallyVisible(item)) {
                    step(u"click room row %1"_s.arg(row));
                    click(item);
                }
            } else if (action < 72 && !serverDown) {
                const qint64 room = rooms.at(random.bounded(qint64(rooms.size())));
                const int count = random.bounded(4) == 0 ? int(random.bounded(100, 400))
                                                         : int(random.bounded(1, 20));
                step(u"burst of %1 in room %2 (open: %3)"_s.arg(count).arg(room).arg(
                    app.session()->currentRoom()->roomId()));
                for (int i = 0; i < count; ++i)
                    m_ana->sendRaw(QString::fromUtf8(protocol::requests::send(
                        room, u"soak-%1"_s.arg(burstId), u"Soak %1 in %2"_s.arg(burstId).arg(room))
                                                         .encode(double(burstId))));
                ++burstId;
            } else if (action < 80) {
                QQuickItem *composer = app.item(u"composerInput"_s);
                if (composer && reallyVisible(composer)) {
                    step(u"type and send"_s);
                    typeInto(composer, u"typed %1"_s.arg(++sent));
                    QTest::keyClick(app.window(), Qt::Key_Return);
                }
            } else if (action < 85) {
                QQuickItem *jump = app.item(u"jumpToLatestButton"_s);
                if (jump && reallyVisible(jump)) {
                    step(u"jump to latest"_s);
                    click(jump);
                }
            } else if (action < 90) {
                step(u"minimise and restore"_s);
                app.window()->showMinimized();
                QTest::qWait(int(random.bounded(50, 300)));
                app.window()->showNormal();
                app.window()->requestActivate();
            } else if (action < 95) {
                if (serverDown) {
                    step(u"server starts"_s);
                    QVERIFY(m_server.start());
                    m_ana = m_pool->connectClient();
                    QVERIFY(m_ana && m_ana->login(u"ana"_s));
                    serverDown = false;
                } else {
                    step(u"server stops"_s);
                    m_server.stop();
                    serverDown = true;
                }
            }
            QTest::qWait(int(random.bounded(10, 120)));
            const QString broken = checkTimelineSettled(app.window(), app.session());
            const QString frame = frames.failure();
            if (!broken.isEmpty() || !frame.isEmpty()) {
                qWarning().noquote() << "soak seed" << soakSeed << "step" << steps
                                     << "last steps:\n  " << log.join(u"\n  "_s);
                QVERIFY2(broken.isEmpty(), qPrintable(broken));
                QVERIFY2(frame.isEmpty(), qPrintable(u"in a frame: "_s + frame));
            }
        }
        if (serverDown) {
            QVERIFY(m_server.start());
            m_ana = m_pool->connectClient();
            QVERIFY(m_ana && m_ana->login(u"ana"_s));
        }
        // Everything typed arrives, once, and the app settles live and consistent.
        QTRY_COMPARE_WITH_TIMEOUT(
            app.session()->connectionState(), client::ConnectionState::Live, 20000);
        QTRY_VERIFY_WITH_TIMEOUT(typedOnServer(rooms) == sent, 20000);
        CHECK_TIMELINE(app);
        qInfo("soak: seed %u, %d steps in %d s, %d frames checked, %d messages typed", soakSeed,
            steps, seconds, frames.frames(), sent);
        QVERIFY(frames.frames() > steps);
    }

    void cleanupTestCase() { m_pool.reset(); }

private:
    // How many distinct "typed N" messages the server holds, or -1 if one is there twice.
    int typedOnServer(const QList<qint64> &rooms)
    {
        QSet<QString> texts;
        for (const qint64 room : rooms) {
            qint64 before = protocol::MaxSafeInteger;
            for (;;) {
                const auto page
                    = m_ana->request(protocol::requests::historyBefore(room, before, 100));
                if (!page || page->type != protocol::ServerFrameType::Result)
                    return -2;
                const QJsonArray events = page->data().value("events"_L1).toArray();
                for (const auto &v : events) {
                    const auto e = protocol::RoomEvent::fromJson(v.toObject());
                    if (!e || !e->text.startsWith(u"typed "_s))
                        continue;
                    if (texts.contains(e->text))
                        return -1;
                    texts.insert(e->text);
                }
                if (events.isEmpty() || !page->data().value("hasMore"_L1).toBool())
                    break;
                before = qint64(events.first().toObject().value("seq"_L1).toDouble());
            }
        }
        return int(texts.size());
    }

    void signIn(UiTestApp &app)
    {
        app.session()->account()->signIn(
            m_server.url().toString(), u"alice"_s, u"password-123"_s, false);
        QTRY_COMPARE_WITH_TIMEOUT(
            app.session()->connectionState(), client::ConnectionState::Live, 15000);
    }

    TestServer m_server;
    std::unique_ptr<ClientPool> m_pool;
    TestClient *m_ana = nullptr;
    qint64 m_general = 0;
    qint64 m_random = 0;
    qint64 m_direct = 0;
};

QTEST_MAIN(TestUiTimeline)
#include "tst_uitimeline.moc"
