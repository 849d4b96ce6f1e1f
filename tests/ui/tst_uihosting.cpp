// SPDX-License-Identifier: GPL-3.0-or-later
// Hosting a chat from the app (issue 16, docs/lan.md) in real windows: this process is the
// host's app, driven through the sign-in page's "Host a chat on this computer", the host
// dialog and the hosting bar; a second app, this binary again as a child process with its
// own settings and data (a Session is one per process), is the neighbour who joins. It
// finds the host in its Nearby list (the beacon; typed address where no beacon gets
// through), compares the code its trust dialog shows with the host's bar, creates an
// account and chats both ways. The host quits: the neighbour shows the chat as gone; the
// host's app starts again, hosts again by itself, and the neighbour reconnects by itself.
// Last, "Stop hosting" and its confirmation take the chat away again.
//
// The two processes talk in lines: this one writes a command to the neighbour's stdin, the
// neighbour does it in its window and answers one line on stdout ("fail ..." if it could not).
#include "clientpool.h"
#include "hosting/hostedserver.h"
#include "models/roomlistmodel.h"
#include "session/account.h"
#include "session/currentroom.h"
#include "testclient.h"
#include "uitestapp.h"

#include <QApplication>
#include <QProcess>
#include <QQmlProperty>
#include <QSslConfiguration>
#include <QTcpServer>
#include <QtQml/qqmlextensionplugin.h>
#include <QtTest>
#include <cstdio>
#include <poll.h>
#include <unistd.h>

Q_IMPORT_QML_PLUGIN(Confab_ClientPlugin)
Q_IMPORT_QML_PLUGIN(ConfabPlugin)

using namespace Qt::StringLiterals;
using namespace confab;
using namespace confab::test;
using client::HostedServer;

namespace {

constexpr auto JoinerVariable = "CONFAB_TEST_JOINER";
const QString ChatName = u"Workshop"_s;
const QString Password = u"password-123"_s;

bool timelineShows(UiTestApp &app, const QString &text)
{
    for (QQuickItem *label : findItems(app.window(), u"messageText"_s)) {
        if (reallyVisible(label) && QQmlProperty::read(label, u"text"_s).toString().contains(text))
            return true;
    }
    return false;
}

HostedServer *hostingOf(QQmlEngine &engine)
{
    const int type = qmlTypeId("Confab.Client", 1, 0, "Hosting");
    return type < 0 ? nullptr : engine.singletonInstance<HostedServer *>(type);
}

bool activate(UiTestApp &app)
{
    // Two apps share the display: the keys go to whichever window has the focus.
    app.window()->requestActivate();
    return QTest::qWaitForWindowActive(app.window());
}

bool sendFromComposer(UiTestApp &app, const QString &text)
{
    QQuickItem *composer = waitItem(app, u"composerInput"_s);
    if (!composer) {
        qWarning("no composer");
        return false;
    }
    if (!activate(app)) {
        qWarning("the window did not become the active one");
        return false;
    }
    typeInto(composer, text);
    QTest::keyClick(app.window(), Qt::Key_Return);
    const bool sent = QTest::qWaitFor(
        [&] { return QQmlProperty::read(composer, u"text"_s).toString().isEmpty(); }, 10000);
    if (!sent)
        qWarning() << "the composer still holds" << QQmlProperty::read(composer, u"text"_s);
    return sent;
}

bool openRoom(UiTestApp &app, qint64 room)
{
    client::Session *session = app.session();
    if (!QTest::qWaitFor([&] { return session->rooms()->room(room).has_value(); }, 20000))
        return false;
    session->currentRoom()->select(room);
    const bool opened = QTest::qWaitFor(
        [&] {
            return session->currentRoom()->roomId() == room && waitItem(app, u"composerInput"_s, 0);
        },
        10000);
    // The page hands the composer the focus from a zero timer once the room is open.
    QTest::qWait(50);
    return opened;
}

/*! \brief The neighbour's app: does what each line on stdin says, answers on stdout. */
class Joiner
{
public:
    int run()
    {
        if (!m_app.loadMainActive())
            return fail(u"window"_s);
        while (const auto line = command()) {
            const QString verb = line->section(u' ', 0, 0);
            const QString argument = line->section(u' ', 1);
            if (verb == u"quit")
                return 0;
            if (!perform(verb, argument))
                return fail(verb);
        }
        return fail(u"no command"_s);
    }

private:
    static void say(const QString &line)
    {
        std::fputs(qPrintable(line + u'\n'), stdout);
        std::fflush(stdout);
    }

    static int fail(const QString &what)
    {
        say(u"fail "_s + what);
        return 1;
    }

    /*! \brief The next line on stdin, the window staying live meanwhile; nullopt at the end. */
    std::optional<QString> command()
    {
        const QDeadlineTimer deadline(120000);
        while (!deadline.hasExpired()) {
            const qsizetype end = m_input.indexOf('\n');
            if (end >= 0) {
                const QString line = QString::fromUtf8(m_input.left(end));
                m_input.remove(0, end + 1);
                return line;
            }
            pollfd in {STDIN_FILENO, POLLIN, 0};
            if (::poll(&in, 1, 0) > 0) {
                char buffer[512];
                const ssize_t got = ::read(STDIN_FILENO, buffer, sizeof buffer);
                if (got <= 0)
                    return std::nullopt;
                m_input.append(buffer, got);
                continue;
            }
            QTest::qWait(20);
        }
        return std::nullopt;
    }

    bool perform(const QString &verb, const QString &argument)
    {
        client::Session *session = m_app.session();
        if (verb == u"join")
            return join(argument.section(u' ', 0, 0), argument.section(u' ', 1));
        if (verb == u"match") {
            QQuickItem *match = visibleItem(m_app, u"codesMatchButton"_s);
            if (!match)
                return false;
            click(match);
            return waitLive(u"live"_s);
        }
        if (verb == u"open") {
            if (!openRoom(m_app, argument.toLongLong()))
                return false;
            say(u"opened"_s);
            return true;
        }
        if (verb == u"expect") {
            if (!QTest::qWaitFor([&] { return timelineShows(m_app, argument); }, 20000))
                return false;
            say(u"saw "_s + argument);
            return true;
        }
        if (verb == u"send") {
            if (!sendFromComposer(m_app, argument))
                return false;
            say(u"sent"_s);
            return true;
        }
        if (verb == u"gone") {
            QQuickItem *banner = nullptr;
            const bool shown = QTest::qWaitFor(
                [&] {
                    banner = visibleItem(m_app, u"connectionBannerText"_s);
                    return banner && session->connectionState() != client::ConnectionState::Live;
                },
                20000);
            if (!shown)
                return false;
            say(u"gone "_s + QQmlProperty::read(banner, u"text"_s).toString());
            return true;
        }
        if (verb == u"live")
            return waitLive(u"live"_s);
        return false;
    }

    bool waitLive(const QString &answer)
    {
        client::Session *session = m_app.session();
        const bool live = QTest::qWaitFor(
            [&] {
                return session->account()->status() == client::Account::SignedIn
                    && session->connectionState() == client::ConnectionState::Live
                    && !visibleItem(m_app, u"connectionBannerText"_s);
            },
            30000);
        if (live)
            say(answer);
        return live;
    }

    /*! \brief The sign-in page: the host's row in Nearby, else \a url typed; then an
     * account, up to the trust dialog, whose code it says. */
    bool join(const QString &url, const QString &name)
    {
        QQuickItem *server = waitItem(m_app, u"serverField"_s);
        if (!server)
            return false;
        QQuickItem *row = nullptr;
        const bool heard = QTest::qWaitFor(
            [&] {
                for (QQuickItem *entry : findItems(m_app.window(), u"nearbyServer"_s)) {
                    if (reallyVisible(entry) && entry->property("name").toString() == name)
                        row = entry;
                }
                return row != nullptr;
            },
            15000);
        if (heard) {
            click(row);
            if (!QTest::qWaitFor(
                    [&] { return !QQmlProperty::read(server, u"text"_s).toString().isEmpty(); },
                    5000))
                return false;
            say(u"nearby "_s + QQmlProperty::read(server, u"text"_s).toString());
        } else {
            QQmlProperty::write(server, u"text"_s, QString());
            typeInto(server, url);
            say(u"typed "_s + url);
        }
        if (!activate(m_app))
            return false;
        typeInto(m_app.item(u"usernameField"_s), u"bob"_s);
        typeInto(m_app.item(u"passwordField"_s), Password);
        QQuickItem *create = m_app.item(u"createAccountButton"_s);
        if (!create
            || !QTest::qWaitFor(
                [&] { return reallyVisible(create) && create->isEnabled(); }, 15000))
            return false;
        click(create);
        QQuickItem *code = waitItem(m_app, u"serverTrustCode"_s, 15000);
        if (!code)
            return false;
        say(u"code "_s + QQmlProperty::read(code, u"text"_s).toString());
        return true;
    }

    UiTestApp m_app;
    QByteArray m_input;
};

} // namespace

class TestUiHosting : public QObject
{
    Q_OBJECT

    QProcess m_joiner;
    QTemporaryDir m_joinerHome;
    QByteArray m_joinerOutput;

    /*! \brief A port free now, so that the chat comes back where the neighbour saved it. */
    static quint16 freePort()
    {
        QTcpServer probe;
        return probe.listen(QHostAddress::Any, 0) ? probe.serverPort() : 0;
    }

    void tell(const QString &line) { m_joiner.write((line + u'\n').toUtf8()); }

    /*! \brief The neighbour's next answer; "fail ..." or empty when it could not. */
    QString answer(int timeoutMs = 60000)
    {
        QString line;
        [[maybe_unused]] const bool answered = QTest::qWaitFor(
            [&] {
                m_joinerOutput += m_joiner.readAllStandardOutput();
                const qsizetype end = m_joinerOutput.indexOf('\n');
                if (end >= 0) {
                    line = QString::fromUtf8(m_joinerOutput.left(end));
                    m_joinerOutput.remove(0, end + 1);
                    return true;
                }
                return m_joiner.state() == QProcess::NotRunning;
            },
            timeoutMs);
        return line;
    }

    static std::unique_ptr<TestClient> otherDevice(const QUrl &url, const QString &user)
    {
        auto client = std::make_unique<TestClient>();
        // The code was compared in the windows; this is the same person's script.
        QSslConfiguration tls = QSslConfiguration::defaultConfiguration();
        tls.setPeerVerifyMode(QSslSocket::VerifyNone);
        client->socket().setSslConfiguration(tls);
        if (!client->open(url) || !client->login(user))
            return nullptr;
        return client;
    }

private Q_SLOTS:
    void initTestCase()
    {
        QVERIFY(QFileInfo(QStringLiteral(CONFABD_PATH)).isExecutable());
        QVERIFY(m_joinerHome.isValid());
    }

    void hostFindCompareChatQuitReturn()
    {
        UiProfile hostProfile;
        QTemporaryDir serverData;
        const quint16 port = freePort();
        QVERIFY(port > 0);
        const auto setUp = [&](HostedServer *hosting) {
            hosting->setProgram(QStringLiteral(CONFABD_PATH));
            hosting->setDataFolder(serverData.filePath(u"hosted-server"_s));
            hosting->setPreferredPort(port);
        };

        // The host: "Host a chat on this computer", the dialog filled in with the keyboard.
        auto app = std::make_unique<UiTestApp>(&hostProfile);
        QVERIFY(app->loadMainActive());
        HostedServer *hosting = hostingOf(*app->engine());
        QVERIFY(hosting);
        QCOMPARE(hosting->state(), HostedServer::Stopped);
        setUp(hosting);
        QQuickItem *hostButton = waitItem(*app, u"hostChatButton"_s);
        QVERIFY(hostButton);
        click(hostButton);
        QQuickItem *nameField = waitItem(*app, u"hostNameField"_s);
        QVERIFY(nameField);
        QQmlProperty::write(nameField, u"text"_s, QString());
        typeInto(nameField, ChatName);
        typeInto(app->item(u"hostUserField"_s), u"hana"_s);
        typeInto(app->item(u"hostPasswordField"_s), Password);
        QQuickItem *start = visibleItem(*app, u"startHostingButton"_s);
        QVERIFY(start);
        QTRY_VERIFY(start->isEnabled());
        click(start);
        QTRY_COMPARE_WITH_TIMEOUT(hosting->state(), HostedServer::Running, 30000);
        QCOMPARE(hosting->url().port(), int(port));
        QTRY_COMPARE_WITH_TIMEOUT(
            app->session()->connectionState(), client::ConnectionState::Live, 20000);
        QVERIFY(!hosting->shortCode().isEmpty());
        QVERIFY(!hosting->addresses().isEmpty());
        QQuickItem *status = waitItem(*app, u"hostingStatus"_s);
        QVERIFY(status);
        const QString barText = QQmlProperty::read(status, u"text"_s).toString();
        QVERIFY2(barText.contains(ChatName), qPrintable(barText));

        // A channel, made from the host's other device (the windows' part is the chat).
        auto hanaPhone = otherDevice(hosting->url(), u"hana"_s);
        QVERIFY(hanaPhone);
        const qint64 general = createRoom(hanaPhone.get(), u"general"_s);
        QVERIFY(general > 0);
        QVERIFY(openRoom(*app, general));

        // The neighbour: its own settings and data, the same display.
        QProcessEnvironment environment = QProcessEnvironment::systemEnvironment();
        environment.insert(QString::fromLatin1(JoinerVariable), u"1"_s);
        // Its window is drawn offscreen: with no window manager on the test's display, two
        // X windows take the keyboard from each other, and a window that lost it ignores
        // the keys typed into it.
        environment.insert(u"QT_QPA_PLATFORM"_s, u"offscreen"_s);
        for (const char *variable : {"XDG_CONFIG_HOME", "XDG_DATA_HOME", "XDG_CACHE_HOME"}) {
            const QString name = QString::fromLatin1(variable);
            environment.insert(name, m_joinerHome.filePath(name));
        }
        m_joiner.setProcessEnvironment(environment);
        m_joiner.setProcessChannelMode(QProcess::ForwardedErrorChannel);
        m_joiner.start(QCoreApplication::applicationFilePath(), {});
        QVERIFY(m_joiner.waitForStarted());

        tell(u"join "_s + hosting->addresses().constFirst() + u' ' + ChatName);
        const QString found = answer();
        QVERIFY2(found.startsWith(u"nearby ") || found.startsWith(u"typed "), qPrintable(found));
        const bool beaconHeard = found.startsWith(u"nearby ");
        if (beaconHeard)
            QCOMPARE(QUrl(found.section(u' ', 1)).port(), int(port));
        else
            qWarning("no beacon reached the second app here: it typed the address instead");
        // The code the neighbour's dialog shows is the one the host's bar shows.
        const QString code = answer();
        QVERIFY2(code.startsWith(u"code "), qPrintable(code));
        const QString shownCode = code.section(u' ', 1);
        QCOMPARE(shownCode, hosting->shortCode());
        QVERIFY2(QQmlProperty::read(status, u"text"_s).toString().contains(shownCode),
            qPrintable(QQmlProperty::read(status, u"text"_s).toString()));
        tell(u"match"_s);
        QCOMPARE(answer(), u"live"_s);

        // Bob's other device joins the channel; his window opens it.
        auto bobPhone = otherDevice(hosting->url(), u"bob"_s);
        QVERIFY(bobPhone);
        QVERIFY(bobPhone->request(protocol::requests::join(general)));
        tell(u"open "_s + QString::number(general));
        QCOMPARE(answer(), u"opened"_s);

        // Both ways, typed into each window's composer.
        QVERIFY(sendFromComposer(*app, u"hello from the host"_s));
        tell(u"expect hello from the host"_s);
        QCOMPARE(answer(), u"saw hello from the host"_s);
        tell(u"send hi from next door"_s);
        QCOMPARE(answer(), u"sent"_s);
        QTRY_VERIFY_WITH_TIMEOUT(timelineShows(*app, u"hi from next door"_s), 15000);
        if (beaconHeard) {
            // The bar counts the people signed in from the server's own beacon (every 5 s).
            QTRY_COMPARE_WITH_TIMEOUT(hosting->usersOnline(), 2, 15000);
            QVERIFY2(QQmlProperty::read(status, u"text"_s).toString().contains(u"2 connected"_s),
                qPrintable(QQmlProperty::read(status, u"text"_s).toString()));
        }

        // The host quits: the chat ends with the app, and the neighbour says it is gone.
        hanaPhone.reset();
        bobPhone.reset();
        app.reset();
        tell(u"gone"_s);
        const QString gone = answer();
        QVERIFY2(gone.startsWith(u"gone "), qPrintable(gone));

        // The host's app starts again: it hosts again by itself, on the same port, and
        // both apps reconnect without anyone clicking.
        app = std::make_unique<UiTestApp>(&hostProfile);
        // As main.cpp does: the saved session first, then the window.
        QVERIFY(app->session()->account()->restore());
        app->setBeforeLoad([&](QQmlApplicationEngine &engine) {
            if (HostedServer *h = hostingOf(engine))
                setUp(h);
        });
        QVERIFY(app->loadMainActive());
        hosting = hostingOf(*app->engine());
        QVERIFY(hosting);
        QTRY_COMPARE_WITH_TIMEOUT(hosting->state(), HostedServer::Running, 30000);
        QCOMPARE(hosting->url().port(), int(port));
        QTRY_COMPARE_WITH_TIMEOUT(
            app->session()->connectionState(), client::ConnectionState::Live, 20000);
        tell(u"live"_s);
        QCOMPARE(answer(), u"live"_s);
        QVERIFY(openRoom(*app, general));
        QVERIFY(sendFromComposer(*app, u"back again"_s));
        tell(u"expect back again"_s);
        QCOMPARE(answer(), u"saw back again"_s);

        // "Stop hosting", confirmed: the neighbour loses the chat again.
        QQuickItem *stop = waitItem(*app, u"stopHostingButton"_s);
        QVERIFY(stop);
        click(stop);
        QQuickItem *confirm = waitItem(*app, u"confirmStopHostingButton"_s);
        QVERIFY(confirm);
        QCOMPARE(hosting->state(), HostedServer::Running);
        click(confirm);
        QTRY_COMPARE_WITH_TIMEOUT(hosting->state(), HostedServer::Stopped, 15000);
        QTRY_VERIFY(!visibleItem(*app, u"hostingBar"_s));
        tell(u"gone"_s);
        const QString goneAgain = answer();
        QVERIFY2(goneAgain.startsWith(u"gone "), qPrintable(goneAgain));

        tell(u"quit"_s);
        QVERIFY(m_joiner.waitForFinished(15000));
        QCOMPARE(m_joiner.exitCode(), 0);
    }

    void cleanup()
    {
        if (m_joiner.state() != QProcess::NotRunning) {
            m_joiner.kill();
            m_joiner.waitForFinished();
        }
    }
};

int main(int argc, char **argv)
{
    if (qEnvironmentVariableIsSet(JoinerVariable)) {
        QApplication app(argc, argv);
        QApplication::setAttribute(Qt::AA_Use96Dpi, true);
        return Joiner().run();
    }
    // The app's own settings (QSettings(): whether it was hosting) go to a folder of the
    // test's, not the user's; the neighbour gets another one.
    QTemporaryDir home;
    for (const char *variable : {"XDG_CONFIG_HOME", "XDG_DATA_HOME", "XDG_CACHE_HOME"})
        qputenv(variable, QFile::encodeName(home.filePath(QString::fromLatin1(variable))));
    QApplication app(argc, argv);
    QApplication::setAttribute(Qt::AA_Use96Dpi, true);
    TestUiHosting test;
    QTEST_SET_MAIN_SOURCE_PATH
    return QTest::qExec(&test, argc, argv);
}

#include "tst_uihosting.moc"
