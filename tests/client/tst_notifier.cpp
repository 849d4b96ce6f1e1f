// SPDX-License-Identifier: GPL-3.0-or-later
#include "notify/notifier.h"
#include "session/account.h"
#include "session/connectionstate.h"
#include "session/currentroom.h"
#include "session/notifylevels.h"
#include "session/roomactions.h"
#include "sessionfixture.h"
#include "settings/appsettings.h"
#include "testserver.h"

#include <QDBusConnection>
#include <QDBusConnectionInterface>
#include <QDateTime>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTest>

using namespace Qt::StringLiterals;
using confab::client::AppSettings;
using confab::client::IncomingMessage;
using confab::client::Notifier;

namespace {

const auto Service = u"org.freedesktop.Notifications"_s;
const auto Path = u"/org/freedesktop/Notifications"_s;

} // namespace

/*!
 * A stand-in for the desktop's notification server, on its own bus connection so calls
 * really travel through the (private) session bus.
 */
class FakeNotifications : public QObject
{
    Q_OBJECT
    Q_CLASSINFO("D-Bus Interface", "org.freedesktop.Notifications")

public:
    struct Call
    {
        QString appName;
        uint replacesId = 0;
        QString icon;
        QString summary;
        QString body;
        QStringList actions;
        QVariantMap hints;
        int timeout = 0;
    };

    QList<Call> calls;
    QStringList capabilities {u"actions"_s, u"body"_s};
    uint lastId = 40;

public Q_SLOTS:
    Q_SCRIPTABLE QStringList GetCapabilities() { return capabilities; }

    Q_SCRIPTABLE uint Notify(const QString &appName, uint replacesId, const QString &icon,
        const QString &summary, const QString &body, const QStringList &actions,
        const QVariantMap &hints, int timeout)
    {
        calls.append({appName, replacesId, icon, summary, body, actions, hints, timeout});
        return ++lastId;
    }

    Q_SCRIPTABLE void CloseNotification(uint id) { Q_EMIT NotificationClosed(id, 3); }

Q_SIGNALS:
    Q_SCRIPTABLE void ActionInvoked(uint id, const QString &actionKey);
    Q_SCRIPTABLE void NotificationClosed(uint id, uint reason);
};

class TestNotifier : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase()
    {
        if (!QDBusConnection::sessionBus().isConnected())
            QFAIL("no session bus: run under dbus-run-session (ctest does)");
        m_bus.emplace(QDBusConnection::connectToBus(QDBusConnection::SessionBus, u"fake"_s));
        QVERIFY(m_bus->isConnected());
        QVERIFY(m_bus->registerObject(Path, &m_fake, QDBusConnection::ExportScriptableContents));
        QVERIFY(m_bus->registerService(Service));
        QVERIFY(m_dir.isValid());
    }

    void init()
    {
        m_fake.calls.clear();
        m_fake.capabilities = {u"actions"_s, u"body"_s};
        m_ini.emplace(m_dir.filePath(u"n.ini"_s), QSettings::IniFormat);
        m_ini->clear();
        m_settings.emplace(&*m_ini);
    }

    void directMessageWhenInactive()
    {
        Notifier n(&*m_settings);
        n.setActiveOverride(false);
        QSignalSpy notified(&n, &Notifier::notified);
        n.messageArrived({5, u"ana"_s, true, u"ana"_s, u"lunch?"_s, false});
        QTRY_COMPARE(m_fake.calls.size(), 1);
        const auto &c = m_fake.calls.first();
        QCOMPARE(c.appName, u"Confab"_s);
        QCOMPARE(c.replacesId, 0u);
        QCOMPARE(c.icon, u"confab"_s);
        QCOMPARE(c.summary, u"ana"_s);
        QCOMPARE(c.body, u"lunch?"_s);
        QCOMPARE(c.actions, (QStringList {u"default"_s, u"Open"_s}));
        QCOMPARE(c.hints.value(u"desktop-entry"_s).toString(), u"org.confab.Confab"_s);
        QCOMPARE(c.hints.value(u"category"_s).toString(), u"im.received"_s);
        QCOMPARE(c.timeout, -1);
        QTRY_COMPARE(notified.count(), 1);
        QCOMPARE(notified.first().at(0).toLongLong(), 5);
        QCOMPARE(notified.first().at(1).toString(), u"ana"_s);
        QCOMPARE(notified.first().at(2).toString(), u"lunch?"_s);
    }

    void onlyDirectMessagesAndMentionsWhileInactiveAndEnabled()
    {
        Notifier n(&*m_settings);
        QSignalSpy notified(&n, &Notifier::notified);
        n.setActiveOverride(false);
        // A plain channel message never notifies.
        n.messageArrived({1, u"general"_s, false, u"ana"_s, u"chatter"_s, false});
        // The window is active: the user sees it already.
        n.setActiveOverride(true);
        n.messageArrived({2, u"bob"_s, true, u"bob"_s, u"while active"_s, false});
        n.setActiveOverride(false);
        // Turned off in the settings.
        m_settings->setNotificationsEnabled(false);
        n.messageArrived({2, u"bob"_s, true, u"bob"_s, u"while disabled"_s, false});
        m_settings->setNotificationsEnabled(true);
        // A mention in a channel does.
        n.messageArrived({1, u"general"_s, false, u"ana"_s, u"@me look"_s, true});

        // Calls reach the server in order: once the mention is there, the others would be.
        QTRY_COMPARE(notified.count(), 1);
        QCOMPARE(m_fake.calls.size(), 1);
        QCOMPARE(m_fake.calls.first().summary, u"ana in #general"_s);
        QCOMPARE(m_fake.calls.first().body, u"@me look"_s);
        QCOMPARE(notified.first().at(0).toLongLong(), 1);
    }

    void levelsAndDoNotDisturb()
    {
        Notifier n(&*m_settings);
        QSignalSpy notified(&n, &Notifier::notified);
        n.setActiveOverride(false);
        // "none" (§18.3): nothing, a mention in a direct conversation neither.
        n.messageArrived({2, u"bob"_s, true, u"bob"_s, u"muted"_s, true}, u"none"_s);
        // "mentions": a direct message without a mention does not notify ...
        n.messageArrived({2, u"bob"_s, true, u"bob"_s, u"quiet"_s, false}, u"mentions"_s);
        // ... and while do-not-disturb is on, nothing does.
        n.setDoNotDisturbUntil(QDateTime::currentMSecsSinceEpoch() + 60'000);
        n.messageArrived({2, u"bob"_s, true, u"bob"_s, u"in dnd"_s, false}, u"all"_s);
        n.messageArrived({1, u"general"_s, false, u"ana"_s, u"@me dnd"_s, true}, u"all"_s);
        // An end time in the past is off.
        n.setDoNotDisturbUntil(QDateTime::currentMSecsSinceEpoch() - 1);
        // A mention in a "mentions" room does notify.
        n.messageArrived({1, u"general"_s, false, u"ana"_s, u"@me look"_s, true}, u"mentions"_s);

        QTRY_COMPARE(notified.count(), 1);
        QCOMPARE(m_fake.calls.size(), 1);
        QCOMPARE(m_fake.calls.first().body, u"@me look"_s);
    }

    // §18.3 end to end: the levels and do-not-disturb come from the server (a room summary,
    // a `dnd` push) through a real Session to the Notifier it was given.
    void sessionLevelsAndDoNotDisturbReachTheNotifier()
    {
        confab::test::TestServer server;
        QVERIFY(server.start());
        confab::test::App bob;
        bob->account()->createAccount(
            server.url().toString(), u"bob"_s, confab::test::Password, {}, false);
        QVERIFY(confab::test::TestClient::waitUntil(
            [&] { return bob->connectionState() == confab::client::ConnectionState::Live; },
            15000));
        Notifier notifier(&*m_settings);
        notifier.setActiveOverride(false);
        QSignalSpy notified(&notifier, &Notifier::notified);
        bob->setNotifier(&notifier);

        bob->roomActions()->createRoom(u"lounge"_s, {});
        QTRY_VERIFY_WITH_TIMEOUT(bob->currentRoom()->roomId() != 0, 10000);
        const qint64 room = bob->currentRoom()->roomId();
        confab::test::TestClient ana;
        QVERIFY(ana.open(server.url()));
        QVERIFY(ana.registerUser(u"ana"_s));
        QVERIFY(ana.request(confab::protocol::requests::join(room)));
        confab::client::RoomListModel *rooms = bob->rooms();
        const auto mentions = [&] { return rooms->room(room) ? rooms->room(room)->mentions : -1; };
        int sent = 0;
        const auto mention = [&](const QString &text) {
            ++sent;
            return ana.request(confab::protocol::requests::send(room, u"t%1"_s.arg(sent), text))
                && confab::test::TestClient::waitUntil([&] { return mentions() == sent; }, 10000);
        };

        // Muted: the server's room summary says "none"; a mention is counted, not shown.
        bob->notifyLevels()->setLevel(room, u"none"_s);
        QTRY_COMPARE_WITH_TIMEOUT(rooms->notifyLevel(room), u"none"_s, 10000);
        QVERIFY(mention(u"@bob muted"_s));

        // Loud again, but do-not-disturb (the server's `dnd` push): still nothing.
        bob->notifyLevels()->setLevel(room, u"all"_s);
        QTRY_COMPARE_WITH_TIMEOUT(rooms->notifyLevel(room), u"all"_s, 10000);
        bob->notifyLevels()->dndForOneHour();
        QTRY_VERIFY_WITH_TIMEOUT(bob->notifyLevels()->dndOn(), 10000);
        QVERIFY(mention(u"@bob in dnd"_s));

        // Do-not-disturb ends: the next mention notifies, and it is the only one.
        bob->notifyLevels()->dndOff();
        QTRY_VERIFY_WITH_TIMEOUT(!bob->notifyLevels()->dndOn(), 10000);
        QVERIFY(mention(u"@bob back"_s));
        QTRY_COMPARE_WITH_TIMEOUT(notified.count(), 1, 10000);
        QCOMPARE(notified.first().at(0).toLongLong(), room);
        QCOMPARE(notified.first().at(2).toString(), u"@bob back"_s);
        QCOMPARE(m_fake.calls.size(), 1);
        QCOMPARE(m_fake.calls.first().body, u"@bob back"_s);
        bob->setNotifier(nullptr);
    }

    void longBodiesAreCut()
    {
        Notifier n(&*m_settings);
        n.setActiveOverride(false);
        const QString text = QString(500, u'x');
        n.messageArrived({5, u"ana"_s, true, u"ana"_s, text, false});
        QTRY_COMPARE(m_fake.calls.size(), 1);
        const QString body = m_fake.calls.first().body;
        QCOMPARE(body.size(), 200);
        QVERIFY(body.endsWith(u'\u2026'));
        QVERIFY(text.startsWith(body.chopped(1)));
    }

    void markupServersGetEscapedBodies()
    {
        m_fake.capabilities.append(u"body-markup"_s);
        Notifier n(&*m_settings);
        n.setActiveOverride(false);
        QSignalSpy notified(&n, &Notifier::notified);
        n.messageArrived({5, u"ana"_s, true, u"ana"_s, u"<b>a & b</b>"_s, false});
        QTRY_COMPARE(m_fake.calls.size(), 1);
        QCOMPARE(m_fake.calls.first().body, u"&lt;b&gt;a &amp; b&lt;/b&gt;"_s);
        QTRY_COMPARE(notified.count(), 1);
        QCOMPARE(notified.first().at(2).toString(), u"<b>a & b</b>"_s);
    }

    void clickingANotificationActivatesItsRoom()
    {
        Notifier n(&*m_settings);
        n.setActiveOverride(false);
        QSignalSpy notified(&n, &Notifier::notified);
        QSignalSpy activated(&n, &Notifier::activated);
        n.messageArrived({5, u"ana"_s, true, u"ana"_s, u"one"_s, false});
        n.messageArrived({9, u"general"_s, false, u"bob"_s, u"@me two"_s, true});
        QTRY_COMPARE(notified.count(), 2);
        const uint first = m_fake.lastId - 1;
        const uint second = m_fake.lastId;

        Q_EMIT m_fake.ActionInvoked(second, u"default"_s);
        QTRY_COMPARE(activated.count(), 1);
        QCOMPARE(activated.first().at(0).toLongLong(), 9);

        // Someone else's notification id (or one already closed) is not ours.
        Q_EMIT m_fake.ActionInvoked(second + 100, u"default"_s);
        m_fake.CloseNotification(first);
        Q_EMIT m_fake.ActionInvoked(first, u"default"_s);
        Q_EMIT m_fake.ActionInvoked(second, u"default"_s);
        QTRY_COMPARE(activated.count(), 2);
        QCOMPARE(activated.last().at(0).toLongLong(), 9);
    }

private:
    FakeNotifications m_fake;
    std::optional<QDBusConnection> m_bus;
    QTemporaryDir m_dir;
    std::optional<QSettings> m_ini;
    std::optional<AppSettings> m_settings;
};

QTEST_MAIN(TestNotifier)
#include "tst_notifier.moc"
