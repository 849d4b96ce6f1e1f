// SPDX-License-Identifier: GPL-3.0-or-later
// The real confabd under a pretend systemd: NOTIFY_SOCKET names a datagram socket this test
// owns, as systemd's would be for a Type=notify unit with WatchdogSec=.
#include "testclient.h"

#include <QProcess>
#include <QRegularExpression>
#include <QSocketNotifier>
#include <QTemporaryDir>
#include <QtTest>
#include <csignal>
#include <memory>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

using namespace Qt::StringLiterals;
using namespace confab;

namespace {

//! One datagram as confabd sent it, and whether its listening line was out by then.
struct Notification
{
    QByteArrayList assignments;
    bool afterListeningLine = false;
    bool has(const QByteArray &a) const { return assignments.contains(a); }
};

} // namespace

class TestServiceNotify : public QObject
{
    Q_OBJECT

private:
    QTemporaryDir m_dir;
    int m_socket = -1;
    std::unique_ptr<QSocketNotifier> m_notifier;
    std::unique_ptr<QProcess> m_process;
    QByteArray m_stdout;
    QList<Notification> m_received;

    bool sawListeningLine()
    {
        // Read what is in the pipe now, without waiting: the line is written before READY=1
        // is sent, so by the time the datagram is here the line is in the pipe.
        while (m_process->waitForReadyRead(0))
            m_stdout += m_process->readAllStandardOutput();
        m_stdout += m_process->readAllStandardOutput();
        return m_stdout.contains("confabd listening on ws://127.0.0.1:");
    }

    void receive()
    {
        char buffer[4096];
        for (;;) {
            const ssize_t n = ::recv(m_socket, buffer, sizeof buffer, MSG_DONTWAIT);
            if (n < 0)
                return;
            Notification notification;
            notification.assignments = QByteArray(buffer, n).split('\n');
            notification.assignments.removeAll(QByteArray());
            notification.afterListeningLine = sawListeningLine();
            m_received.append(notification);
        }
    }

    int count(const QByteArray &assignment) const
    {
        return int(std::count_if(m_received.cbegin(), m_received.cend(),
            [&](const Notification &n) { return n.has(assignment); }));
    }

    bool waitFor(const QByteArray &assignment, int timeoutMs = 10000)
    {
        return test::TestClient::waitUntil([&] { return count(assignment) > 0; }, timeoutMs);
    }

    QStringList statuses() const
    {
        QStringList out;
        for (const Notification &n : m_received) {
            for (const QByteArray &a : n.assignments) {
                if (a.startsWith("STATUS="))
                    out << QString::fromUtf8(a.mid(7));
            }
        }
        return out;
    }

    void start(const QString &watchdogUsec, const QString &watchdogPid = {})
    {
        QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
        for (const auto *name : {"NOTIFY_SOCKET", "WATCHDOG_USEC", "WATCHDOG_PID"})
            env.remove(QString::fromLatin1(name));
        env.insert(u"NOTIFY_SOCKET"_s, m_dir.filePath(u"notify"_s));
        if (!watchdogUsec.isEmpty())
            env.insert(u"WATCHDOG_USEC"_s, watchdogUsec);
        if (!watchdogPid.isEmpty())
            env.insert(u"WATCHDOG_PID"_s, watchdogPid);
        m_process = std::make_unique<QProcess>();
        m_process->setProcessEnvironment(env);
        m_process->setProgram(QStringLiteral(CONFABD_PATH));
        m_process->setArguments({u"--data"_s, m_dir.filePath(u"data"_s), u"--port"_s, u"0"_s});
        m_process->start();
        QVERIFY(m_process->waitForStarted(5000));
    }

    QUrl url()
    {
        static const QRegularExpression line(u"listening on (ws://127\\.0\\.0\\.1:\\d+)"_s);
        return QUrl(line.match(QString::fromUtf8(m_stdout)).captured(1));
    }

    void stop()
    {
        ::kill(pid_t(m_process->processId()), SIGTERM);
        QVERIFY(waitFor("STOPPING=1"));
        // With the loop running: a connected test client answers the server's close.
        QVERIFY(test::TestClient::waitUntil(
            [&] { return m_process->state() == QProcess::NotRunning; }, 10000));
        QCOMPARE(m_process->exitStatus(), QProcess::NormalExit);
        QCOMPARE(m_process->exitCode(), 0);
    }

private Q_SLOTS:
    void init()
    {
        QVERIFY(m_dir.isValid());
        ::unlink(QFile::encodeName(m_dir.filePath(u"notify"_s)).constData());
        m_socket = ::socket(AF_UNIX, SOCK_DGRAM | SOCK_CLOEXEC | SOCK_NONBLOCK, 0);
        QVERIFY(m_socket >= 0);
        sockaddr_un address {};
        address.sun_family = AF_UNIX;
        const QByteArray path = QFile::encodeName(m_dir.filePath(u"notify"_s));
        QVERIFY(size_t(path.size()) < sizeof address.sun_path);
        std::copy(path.cbegin(), path.cend(), address.sun_path);
        QCOMPARE(::bind(m_socket, reinterpret_cast<sockaddr *>(&address), sizeof address), 0);
        m_notifier = std::make_unique<QSocketNotifier>(m_socket, QSocketNotifier::Read);
        connect(m_notifier.get(), &QSocketNotifier::activated, this, &TestServiceNotify::receive);
        m_received.clear();
        m_stdout.clear();
    }

    void cleanup()
    {
        if (m_process && m_process->state() != QProcess::NotRunning) {
            m_process->kill();
            m_process->waitForFinished();
        }
        m_process.reset();
        m_notifier.reset();
        if (m_socket >= 0)
            ::close(m_socket);
        m_socket = -1;
    }

    void readyAfterListeningThenWatchdogPings()
    {
        start(u"200000"_s); // WatchdogSec=200ms: a ping every 100 ms
        QVERIFY(waitFor("READY=1"));
        const Notification &first = m_received.constFirst();
        QVERIFY2(first.has("READY=1"), m_received.constFirst().assignments.join(' ').constData());
        QVERIFY(first.afterListeningLine);
        QVERIFY(first.has("STATUS=Serving 0 connections"));

        // Pings keep coming while the loop runs: at 100 ms, 5 within 1.5 s even on a busy CI.
        QVERIFY(test::TestClient::waitUntil([&] { return count("WATCHDOG=1") >= 5; }, 1500));

        // The status line follows the connections.
        test::TestClient client;
        QVERIFY(client.open(url()));
        QVERIFY(client.registerUser(u"ana"_s));
        QVERIFY(test::TestClient::waitUntil(
            [&] { return statuses().contains(u"Serving 1 connection"_s); }, 5000));

        stop();
        QCOMPARE(count("READY=1"), 1);
    }

    void noPingsWithoutWatchdog()
    {
        start({});
        QVERIFY(waitFor("READY=1"));
        QVERIFY(m_received.constFirst().afterListeningLine);
        // Ten times the interval of the test above; not one ping.
        QTest::qWait(1000);
        QCOMPARE(count("WATCHDOG=1"), 0);
        stop();
    }

    void noPingsWhenAnotherProcessIsWatched()
    {
        // WATCHDOG_PID names the process systemd watches (say, a wrapper script that started
        // confabd); confabd is not it and must not ping in its place.
        start(u"200000"_s, u"1"_s);
        QVERIFY(waitFor("READY=1"));
        QTest::qWait(1000);
        QCOMPARE(count("WATCHDOG=1"), 0);
        stop();
    }
};

QTEST_GUILESS_MAIN(TestServiceNotify)
#include "tst_servicenotify.moc"
