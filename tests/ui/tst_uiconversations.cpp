// SPDX-License-Identifier: GPL-3.0-or-later
// Replies, edits, deletions, reactions and jumps in the real app (Main.qml, the Session, a
// server on 127.0.0.1), driven as a person does: the hover bar, the composer's keys, the
// confirmation, the chips, a quote's click. Writes conversations.png to the screenshots.
#include "clientpool.h"
#include "models/roomlistmodel.h"
#include "models/timelinemodel.h"
#include "session/currentroom.h"
#include "session/messageactions.h"
#include "testserver.h"
#include "uitestapp.h"

#include <QDir>
#include <QQmlProperty>
#include <QtQml/qqmlextensionplugin.h>
#include <QtTest>

Q_IMPORT_QML_PLUGIN(Confab_ClientPlugin)
Q_IMPORT_QML_PLUGIN(ConfabPlugin)

using namespace Qt::StringLiterals;
using namespace confab;
using namespace confab::test;
using client::TimelineModel;

class TestUiConversations : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase()
    {
        m_server.config().limits.ratePerSecond = 10000;
        m_server.config().limits.rateBurst = 10000;
        QVERIFY(m_server.start());
        m_pool = std::make_unique<ClientPool>([this] { return m_server.url(); });
        m_ben = m_pool->registered(u"ben"_s);
        QVERIFY(m_ben);
        TestClient *alice = m_pool->registered(u"alice"_s);
        QVERIFY(alice);
        m_alpha = createRoom(m_ben, u"alpha"_s);
        m_bravo = createRoom(m_ben, u"bravo"_s);
        QVERIFY(m_alpha > 0 && m_bravo > 0);
        QVERIFY(alice->request(protocol::requests::join(m_alpha)));
        QVERIFY(alice->request(protocol::requests::join(m_bravo)));
        // Far above what alpha shows when it opens: a jump has to load it.
        m_oldSeq = benSays(m_alpha, u"the plan from last month"_s);
        QVERIFY(m_oldSeq > 0);
        // More than a new device's resume brings (resumeMax, 500).
        for (int i = 0; i < 600; ++i)
            QVERIFY(benSays(m_alpha, u"filler %1"_s.arg(i)) > 0);
        const qint64 last = benSays(m_alpha, u"lunch at noon?"_s);
        QVERIFY(last > 0);
        m_bravoSeq = benSays(m_bravo, u"bravo original"_s);
        // Read: alpha opens at its newest messages, the old one far above.
        QVERIFY(alice->request(protocol::requests::markRead(m_alpha, last)));
        QVERIFY(alice->request(protocol::requests::markRead(m_bravo, m_bravoSeq)));
        alice->disconnectNow();
    }

    void replyViaHoverBarThenQuoteJumps()
    {
        UiTestApp app;
        QVERIFY(signIn(app));
        QQuickItem *row = nullptr;
        QTRY_VERIFY((row = shownRow(app, u"lunch at noon?"_s)));
        QQuickItem *reply = hoverAction(app, row, u"replyButton"_s);
        QVERIFY(reply);
        click(reply);
        QQuickItem *label = waitItem(app, u"composerContextLabel"_s);
        QTRY_VERIFY(reallyVisible(label));
        QCOMPARE(
            QQmlProperty::read(label, u"text"_s).toString(), u"Replying to ben: lunch at noon?"_s);
        QQuickItem *input = app.item(u"composerInput"_s);
        QTRY_VERIFY(input->hasActiveFocus());
        typeText(app.window(), u"sure"_s);
        QTest::keyClick(app.window(), Qt::Key_Return);
        QTRY_VERIFY(!reallyVisible(label));

        TimelineModel *tl = app.session()->currentRoom()->timeline();
        QTRY_VERIFY_WITH_TIMEOUT(
            tl->rowForSeq(tl->highestSeq()) >= 0 && tl->textOf(tl->highestSeq()) == u"sure"_s,
            5000);
        const int mine = tl->rowForSeq(tl->highestSeq());
        QCOMPARE(tl->index(mine).data(TimelineModel::ReplySenderRole).toString(), u"ben"_s);
        QQuickItem *sure = nullptr;
        QTRY_VERIFY((sure = shownRow(app, u"sure"_s)));
        QTRY_VERIFY(reallyVisible(childNamed(sure, u"replyQuote"_s)));

        // Ben answers the old message: alice's quote says it is not loaded, and a click
        // opens it in place.
        QVERIFY(m_ben->request(
            protocol::requests::send(m_alpha, u"ben-r1"_s, u"about that plan"_s, m_oldSeq)));
        QQuickItem *answer = nullptr;
        QTRY_VERIFY((answer = shownRow(app, u"about that plan"_s)));
        QQuickItem *quote = childNamed(answer, u"replyQuote"_s);
        QVERIFY(quote);
        QTRY_VERIFY(reallyVisible(quote));
        QCOMPARE(QQmlProperty::read(quote, u"loaded"_s).toBool(), false);
        QVERIFY(!shownRow(app, u"the plan from last month"_s));
        // The highlight lasts HighlightMs; under ASan the row can take longer than that to
        // render, so the test records what was highlighted instead of sampling it late.
        confab::client::MessageActions *actions = app.session()->messageActions();
        QList<double> highlighted;
        const auto recorder = connect(actions, &confab::client::MessageActions::highlightChanged,
            this, [&] { highlighted.append(actions->highlightSeq()); });
        click(quote);
        QTRY_VERIFY_WITH_TIMEOUT(shownRow(app, u"the plan from last month"_s), 10000);
        disconnect(recorder);
        QVERIFY(!highlighted.isEmpty());
        QCOMPARE(highlighted.first(), double(m_oldSeq));
        // The timeline holds one run of the log from there to the newest message.
        QVERIFY(tl->rowForSeq(m_oldSeq) >= 0);
        for (qint64 seq = m_oldSeq; seq <= tl->highestSeq(); ++seq)
            QVERIFY2(tl->rowForSeq(seq) >= 0, qPrintable(QString::number(seq)));
        saveScreenshot(app, u"conversations-jump.png"_s);
        // Read to the end, so the next device opens alpha at its newest messages.
        app.session()->currentRoom()->markRead(tl->highestSeq());
        QTRY_COMPARE(app.session()->rooms()->room(m_alpha)->readSeq, tl->highestSeq());
    }

    void editWithUpArrowEnterSavesEscCancels()
    {
        UiTestApp app;
        QVERIFY(signIn(app));
        QQuickItem *input = app.item(u"composerInput"_s);
        QTRY_VERIFY(input->hasActiveFocus());
        typeText(app.window(), u"a typo mesage"_s);
        QTRY_COMPARE(QQmlProperty::read(input, u"text"_s).toString(), u"a typo mesage"_s);
        QTest::keyClick(app.window(), Qt::Key_Return);
        // Sent from a view that was not at the bottom: the view goes down to it.
        QTRY_VERIFY(shownRow(app, u"a typo mesage"_s));
        TimelineModel *tl = app.session()->currentRoom()->timeline();
        QTRY_VERIFY(
            tl->lastEditableSeq() > 0 && tl->textOf(tl->lastEditableSeq()) == u"a typo mesage"_s);

        QTest::keyClick(app.window(), Qt::Key_Up);
        QTRY_COMPARE(QQmlProperty::read(input, u"text"_s).toString(), u"a typo mesage"_s);
        QQuickItem *label = app.item(u"composerContextLabel"_s);
        QTRY_VERIFY(reallyVisible(label));
        QQmlProperty::write(input, u"text"_s, QString());
        typeText(app.window(), u"a typo message"_s);
        QTest::keyClick(app.window(), Qt::Key_Return);
        QQuickItem *row = nullptr;
        QTRY_VERIFY_WITH_TIMEOUT((row = shownRow(app, u"a typo message"_s)), 5000);
        QTRY_VERIFY(reallyVisible(childNamed(row, u"editedLabel"_s)));
        QCOMPARE(QQmlProperty::read(input, u"text"_s).toString(), QString());

        // Up again, then Esc: nothing changes and the composer is empty again.
        QTest::keyClick(app.window(), Qt::Key_Up);
        QTRY_COMPARE(QQmlProperty::read(input, u"text"_s).toString(), u"a typo message"_s);
        QTest::keyClick(app.window(), Qt::Key_Escape);
        QTRY_COMPARE(QQmlProperty::read(input, u"text"_s).toString(), QString());
        QTRY_VERIFY(!reallyVisible(label));
        QCOMPARE(app.session()->messageActions()->editing(), 0);
        QVERIFY(shownRow(app, u"a typo message"_s));
    }

    // An edit borrows the composer: what it holds is neither the room's draft nor typing.
    void editingIsNeitherTheDraftNorTyping()
    {
        UiTestApp app;
        QVERIFY(signIn(app));
        QQuickItem *input = app.item(u"composerInput"_s);
        QTRY_VERIFY(input->hasActiveFocus());
        typeText(app.window(), u"mine to edit"_s);
        QTest::keyClick(app.window(), Qt::Key_Return);
        TimelineModel *tl = app.session()->currentRoom()->timeline();
        QTRY_VERIFY(
            tl->lastEditableSeq() > 0 && tl->textOf(tl->lastEditableSeq()) == u"mine to edit"_s);
        typeText(app.window(), u"half a thought"_s);
        QTRY_COMPARE(app.session()->currentRoom()->draft(), u"half a thought"_s);
        // Typing notices are throttled: the last one ends before the edit starts.
        QTest::qWait(600);
        m_ben->clearPushes();

        QVERIFY(app.session()->messageActions()->startEdit(tl->lastEditableSeq()));
        QTRY_COMPARE(QQmlProperty::read(input, u"text"_s).toString(), u"mine to edit"_s);
        typeText(app.window(), u" again"_s);
        QTRY_COMPARE(QQmlProperty::read(input, u"text"_s).toString(), u"mine to edit again"_s);
        QCOMPARE(app.session()->currentRoom()->draft(), u"half a thought"_s);
        QTest::qWait(300);
        for (const auto &push : m_ben->pushes())
            QVERIFY2(push.type != protocol::ServerFrameType::Typing, "an edit sent typing");

        QTest::keyClick(app.window(), Qt::Key_Escape);
        QTRY_COMPARE(QQmlProperty::read(input, u"text"_s).toString(), u"half a thought"_s);
        QCOMPARE(app.session()->currentRoom()->draft(), u"half a thought"_s);
    }

    void deleteAsksThenLeavesATombstone()
    {
        UiTestApp app;
        QVERIFY(signIn(app));
        typeText(app.window(), u"delete me"_s);
        QTest::keyClick(app.window(), Qt::Key_Return);
        QQuickItem *row = nullptr;
        QTRY_VERIFY((row = shownRow(app, u"delete me"_s)));
        TimelineModel *tl = app.session()->currentRoom()->timeline();
        QTRY_VERIFY(QQmlProperty::read(row, u"actionable"_s).toBool());
        QQuickItem *remove = hoverAction(app, row, u"deleteButton"_s);
        QVERIFY(remove);
        const qint64 seq = qint64(QQmlProperty::read(row, u"seq"_s).toDouble());
        click(remove);
        QQuickItem *confirm = nullptr;
        QTRY_VERIFY((confirm = visibleItem(app, u"confirmDeleteButton"_s)));
        QTRY_VERIFY(app.window()
                        ->findChild<QObject *>(u"deleteMessageDialog"_s)
                        ->property("opened")
                        .toBool());
        saveScreenshot(app, u"conversations-delete.png"_s);
        click(confirm);
        QTRY_VERIFY_WITH_TIMEOUT(
            tl->index(tl->rowForSeq(seq)).data(TimelineModel::RedactedRole).toBool(), 5000);
        QTRY_VERIFY(reallyVisible(childNamed(row, u"tombstone"_s)));
        QVERIFY(!shownRow(app, u"delete me"_s));
    }

    void reactionsCountAndToggle()
    {
        UiTestApp app;
        QVERIFY(signIn(app));
        QQuickItem *row = nullptr;
        QTRY_VERIFY((row = shownRow(app, u"lunch at noon?"_s)));
        const qint64 seq = qint64(QQmlProperty::read(row, u"seq"_s).toDouble());
        QQuickItem *react = hoverAction(app, row, u"reactButton"_s);
        QVERIFY(react);
        click(react);
        QObject *picker = nullptr;
        QTRY_VERIFY((picker = app.window()->findChild<QObject *>(u"emojiPicker"_s))
            && picker->property("opened").toBool());
        typeText(app.window(), u"thumbs"_s);
        QTest::qWait(100);
        QTest::keyClick(app.window(), Qt::Key_Return);
        TimelineModel *tl = app.session()->currentRoom()->timeline();
        const auto chipsOf = [&] {
            return tl->index(tl->rowForSeq(seq)).data(TimelineModel::ReactionsRole).toList();
        };
        QTRY_COMPARE_WITH_TIMEOUT(chipsOf().size(), 1, 5000);
        const QString key = chipsOf().first().toMap().value(u"key"_s).toString();
        QCOMPARE(key, u"👍"_s); // typed into the picker's search, Enter picked the first
        QVERIFY(chipsOf().first().toMap().value(u"mine"_s).toBool());
        // Ben adds the same: 2, still highlighted as alice's.
        QVERIFY(m_ben->request(protocol::requests::react(m_alpha, seq, key)));
        QTRY_COMPARE(chipsOf().first().toMap().value(u"count"_s).toInt(), 2);
        QQuickItem *chip = nullptr;
        QTRY_VERIFY((chip = childNamed(row, u"reactionChip"_s)) && reallyVisible(chip));
        QTRY_COMPARE(QQmlProperty::read(chip, u"count"_s).toInt(), 2);
        QVERIFY(QQmlProperty::read(chip, u"mine"_s).toBool());
        saveScreenshot(app, u"conversations-reactions.png"_s);
        // A click takes alice's back.
        click(chip);
        QTRY_COMPARE(chipsOf().first().toMap().value(u"count"_s).toInt(), 1);
        QVERIFY(!chipsOf().first().toMap().value(u"mine"_s).toBool());
        QVERIFY(m_ben->request(protocol::requests::unreact(m_alpha, seq, key)));
        QTRY_COMPARE(chipsOf().size(), 0);
    }

    void editInAnotherRoomShowsNothingHere()
    {
        UiTestApp app;
        QVERIFY(signIn(app));
        QVERIFY(m_ben->request(
            protocol::requests::edit(m_bravo, m_bravoSeq, u"bravo edited while away"_s)));
        app.session()->currentRoom()->select(m_bravo);
        app.session()->currentRoom()->select(m_alpha);
        QTest::qWait(300);
        QVERIFY(!shownRow(app, u"bravo edited while away"_s));
        QVERIFY(!shownRow(app, u"bravo original"_s));
        QVERIFY(shownRow(app, u"lunch at noon?"_s));
        app.session()->currentRoom()->select(m_bravo);
        QTRY_VERIFY(shownRow(app, u"bravo edited while away"_s));
        QVERIFY(!shownRow(app, u"lunch at noon?"_s));
    }

    void cleanupTestCase() { m_pool.reset(); }

private:
    qint64 benSays(qint64 room, const QString &text)
    {
        const auto r
            = m_ben->request(protocol::requests::send(room, u"ben-%1"_s.arg(++m_txn), text));
        return r ? r->data().value(u"seq"_s).toInteger() : 0;
    }

    static void saveScreenshot(UiTestApp &app, const QString &name)
    {
        QDir().mkpath(QStringLiteral(CONFAB_SCREENSHOT_DIR));
        app.window()->grabWindow().save(QDir(QStringLiteral(CONFAB_SCREENSHOT_DIR)).filePath(name));
    }

    bool signIn(UiTestApp &app)
    {
        SignInSteps steps;
        steps.server = m_server.url();
        steps.rooms = 2;
        steps.open = m_alpha;
        steps.alsoLive = [&] { return app.session()->messageActions()->available(); };
        return signInAndOpen(app, steps);
    }

    TestServer m_server;
    std::unique_ptr<ClientPool> m_pool;
    TestClient *m_ben = nullptr;
    qint64 m_alpha = 0;
    qint64 m_bravo = 0;
    qint64 m_oldSeq = 0;
    qint64 m_bravoSeq = 0;
    int m_txn = 0;
};

QTEST_MAIN(TestUiConversations)
#include "tst_uiconversations.moc"
