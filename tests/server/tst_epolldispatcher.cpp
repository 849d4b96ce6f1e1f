// SPDX-License-Identifier: GPL-3.0-or-later
// The epoll event dispatcher honours Qt's contract: timers, posted events from other
// threads, socket notifiers over real sockets on 127.0.0.1, and exiting a loop.
#include "net/epolleventdispatcher.h"

#include <QElapsedTimer>
#include <QEventLoop>
#include <QPointer>
#include <QTcpServer>
#include <QTcpSocket>
#include <QTimer>
#include <QtTest>
#include <memory>
#include <thread>

using confab::server::EpollEventDispatcher;

class TestEpollDispatcher : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void isTheThreadsDispatcher()
    {
        QVERIFY(qobject_cast<EpollEventDispatcher *>(QAbstractEventDispatcher::instance()));
    }

    void singleShotTimersFireInOrderAndNotEarly()
    {
        QList<int> order;
        QElapsedTimer clock;
        clock.start();
        qint64 firedAt30 = -1;
        QTimer::singleShot(60, this, [&] { order.append(60); });
        QTimer::singleShot(30, this, [&] {
            order.append(30);
            firedAt30 = clock.elapsed();
        });
        QTimer::singleShot(1, Qt::PreciseTimer, this, [&] { order.append(1); });
        QTRY_COMPARE_WITH_TIMEOUT(order.size(), 3, 2000);
        QCOMPARE(order, (QList<int> {1, 30, 60}));
        QVERIFY2(firedAt30 >= 29, qPrintable(QString::number(firedAt30)));
    }

    void repeatingTimerKeepsItsRhythmAndCanBeStoppedFromItsHandler()
    {
        QTimer timer;
        timer.setInterval(10);
        int ticks = 0;
        connect(&timer, &QTimer::timeout, this, [&] {
            if (++ticks == 5)
                timer.stop();
        });
        QElapsedTimer clock;
        clock.start();
        timer.start();
        QVERIFY(timer.remainingTime() > 0 && timer.remainingTime() <= 10);
        QTRY_COMPARE_WITH_TIMEOUT(ticks, 5, 2000);
        QVERIFY(clock.elapsed() >= 49);
        QTest::qWait(50);
        QCOMPARE(ticks, 5);
        QCOMPARE(timer.remainingTime(), -1);
    }

    void timerRestartedFromItsOwnHandlerIsNotReentered()
    {
        QTimer timer;
        timer.setInterval(0);
        int depth = 0;
        int maxDepth = 0;
        int ticks = 0;
        connect(&timer, &QTimer::timeout, this, [&] {
            ++depth;
            maxDepth = std::max(maxDepth, depth);
            // A nested loop inside the handler must not fire the same timer again.
            QEventLoop nested;
            QTimer::singleShot(5, &nested, &QEventLoop::quit);
            nested.exec();
            if (++ticks == 3)
                timer.stop();
            --depth;
        });
        timer.start();
        QTRY_COMPARE_WITH_TIMEOUT(ticks, 3, 2000);
        QCOMPARE(maxDepth, 1);
    }

    void killedTimersAreForgotten()
    {
        auto *owner = new QObject;
        int fired = 0;
        QTimer::singleShot(20, owner, [&] { ++fired; });
        QTimer::singleShot(20, owner, [&] { ++fired; });
        auto *dispatcher = QAbstractEventDispatcher::instance();
        QCOMPARE(dispatcher->registeredTimers(owner).size(), 0); // single shots own theirs
        const int id = owner->startTimer(15);
        QCOMPARE(dispatcher->registeredTimers(owner).size(), 1);
        QCOMPARE(dispatcher->registeredTimers(owner).first().timerId, id);
        delete owner; // kills all three
        QTest::qWait(60);
        QCOMPARE(fired, 0);
    }

    void postedEventsFromAnotherThreadWakeTheLoop()
    {
        QEventLoop loop;
        int received = 0;
        QElapsedTimer clock;
        clock.start();
        std::thread poster([&] {
            for (int i = 0; i < 1000; ++i) {
                QMetaObject::invokeMethod(
                    &loop,
                    [&] {
                        if (++received == 1000)
                            loop.quit();
                    },
                    Qt::QueuedConnection);
            }
        });
        QTimer::singleShot(5000, &loop, &QEventLoop::quit); // a lost wake-up shows as this
        loop.exec();
        poster.join();
        QCOMPARE(received, 1000);
        QVERIFY(clock.elapsed() < 4000);
    }

    void loopExitsWithoutWaitingForTheNextEvent()
    {
        QEventLoop loop;
        QElapsedTimer clock;
        clock.start();
        QTimer::singleShot(10, &loop, [&] { loop.exit(7); });
        QTimer::singleShot(3000, this, [] {}); // would bound a wait that ignored the exit
        QCOMPARE(loop.exec(), 7);
        QVERIFY(clock.elapsed() < 1000);
    }

    void socketsCarryLargeTransfersBothWays()
    {
        // Each direction outruns the kernel's buffers, so the write notifiers are switched
        // on and off many times, and the read notifiers fire for every chunk.
        QTcpServer server;
        QVERIFY(server.listen(QHostAddress::LocalHost));
        constexpr int Clients = 50;
        constexpr qint64 Bytes = 2 * 1024 * 1024;
        std::vector<std::unique_ptr<QTcpSocket>> clients;
        QList<QPointer<QTcpSocket>> accepted;
        connect(&server, &QTcpServer::newConnection, this, [&] {
            while (QTcpSocket *s = server.nextPendingConnection()) {
                accepted.append(s);
                // Echo everything back.
                connect(s, &QTcpSocket::readyRead, s, [s] { s->write(s->readAll()); });
            }
        });
        QList<qint64> echoed(Clients, 0);
        const QByteArray chunk(64 * 1024, 'x');
        for (int i = 0; i < Clients; ++i) {
            auto socket = std::make_unique<QTcpSocket>();
            QTcpSocket *s = socket.get();
            connect(s, &QTcpSocket::readyRead, this,
                [&echoed, s, i] { echoed[i] += s->readAll().size(); });
            s->connectToHost(QHostAddress::LocalHost, server.serverPort());
            clients.push_back(std::move(socket));
        }
        for (auto &s : clients) {
            QVERIFY(s->waitForConnected(2000) || s->state() == QAbstractSocket::ConnectedState);
            for (qint64 sent = 0; sent < Bytes; sent += chunk.size())
                s->write(chunk);
        }
        QTRY_VERIFY_WITH_TIMEOUT(
            std::all_of(echoed.cbegin(), echoed.cend(), [](qint64 n) { return n == Bytes; }),
            30000);
        QCOMPARE(accepted.size(), Clients);

        // Closing from either side is seen, and a closed descriptor's number can be
        // reused at once without events leaking to its new owner.
        int disconnected = 0;
        for (auto &s : clients)
            connect(s.get(), &QTcpSocket::disconnected, this, [&] { ++disconnected; });
        for (const auto &s : std::as_const(accepted))
            s->close();
        QTRY_COMPARE_WITH_TIMEOUT(disconnected, Clients, 5000);
        QTcpSocket again;
        again.connectToHost(QHostAddress::LocalHost, server.serverPort());
        QVERIFY(again.waitForConnected(2000));
        QTRY_COMPARE_WITH_TIMEOUT(accepted.size(), Clients + 1, 2000);
        QByteArray reply;
        connect(&again, &QTcpSocket::readyRead, this, [&] { reply += again.readAll(); });
        again.write("ping");
        QTRY_COMPARE_WITH_TIMEOUT(reply, QByteArray("ping"), 2000);
    }
};

int main(int argc, char **argv)
{
    auto *dispatcher = new EpollEventDispatcher;
    if (!dispatcher->isValid())
        qFatal("epoll is not available");
    QCoreApplication::setEventDispatcher(dispatcher);
    QCoreApplication app(argc, argv);
    TestEpollDispatcher test;
    return QTest::qExec(&test, argc, argv);
}

#include "tst_epolldispatcher.moc"
