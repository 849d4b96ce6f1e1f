// SPDX-License-Identifier: GPL-3.0-or-later
// Two Sessions in a conversation against the real confabd binary, which is killed with
// SIGKILL while both sides are sending (some messages unacknowledged) and restarted on
// the same data folder and port. Both clients must end with the server's log exactly:
// no gap, no duplicate, every message stored once, outboxes empty.
#include "sessionfixture.h"

#include <QProcess>
#include <QRegularExpression>
#include <QSqlDatabase>
#include <QSqlQuery>
#include <QTemporaryDir>
#include <csignal>

using namespace Qt::StringLiterals;
using namespace confab;
using client::Session;
using client::TimelineModel;
using test::App;

namespace {

int rowsWithDelivery(const TimelineModel *tl, TimelineModel::Delivery delivery)
{
    int n = 0;
    for (int row = 0; row < tl->rowCount(); ++row) {
        if (tl->data(tl->index(row), TimelineModel::DeliveryRole).toInt() == int(delivery)
            && tl->data(tl->index(row), TimelineModel::SeqRole).toLongLong() == 0)
            ++n;
    }
    return n;
}

// Own messages the server acknowledged (their rows carry a seq).
int acknowledged(const TimelineModel *tl, const QString &prefix)
{
    int n = 0;
    for (int row = 0; row < tl->rowCount(); ++row) {
        if (tl->data(tl->index(row), TimelineModel::TextRole).toString().startsWith(prefix)
            && tl->data(tl->index(row), TimelineModel::SeqRole).toLongLong() > 0)
            ++n;
    }
    return n;
}

int outboxRows(const QString &dataDir, const QString &server, const QString &user)
{
    int rows = -1;
    {
        QSqlDatabase db = QSqlDatabase::addDatabase(u"QSQLITE"_s, u"outboxcheck"_s);
        db.setDatabaseName(client::LocalStore::pathFor(dataDir, server, user));
        if (db.open()) {
            QSqlQuery q(db);
            if (q.exec(u"SELECT count(*) FROM outbox"_s) && q.next())
                rows = q.value(0).toInt();
        }
    }
    QSqlDatabase::removeDatabase(u"outboxcheck"_s);
    return rows;
}

} // namespace

class TestSessionCrash : public QObject
{
    Q_OBJECT

    QTemporaryDir m_dir;
    std::unique_ptr<QProcess> m_process;
    quint16 m_port = 0;

    bool startServer()
    {
        m_process = std::make_unique<QProcess>();
        m_process->setProgram(QStringLiteral(CONFABD_PATH));
        m_process->setArguments({u"--data"_s, m_dir.path(), u"--port"_s, QString::number(m_port),
            u"--set"_s, u"rate_per_second=100000"_s, u"--set"_s, u"rate_burst=100000"_s});
        m_process->start();
        if (!m_process->waitForStarted(5000))
            return false;
        static const QRegularExpression line(u"listening on ws://127\\.0\\.0\\.1:(\\d+)"_s);
        QByteArray out;
        test::TestClient::waitUntil(
            [&] {
                out += m_process->readAllStandardOutput();
                return line.match(QString::fromUtf8(out)).hasMatch()
                    || m_process->state() == QProcess::NotRunning;
            },
            10000);
        const auto match = line.match(QString::fromUtf8(out));
        if (!match.hasMatch()) {
            qWarning() << "confabd did not start:" << out << m_process->readAllStandardError();
            return false;
        }
        m_port = quint16(match.captured(1).toUInt());
        return true;
    }
    QString url() const { return u"ws://127.0.0.1:%1"_s.arg(m_port); }

    static bool online(App &app)
    {
        return test::TestClient::waitUntil(
            [&] { return app->connectionState() == client::ConnectionState::Live; }, 15000);
    }

private Q_SLOTS:
    void cleanup()
    {
        if (m_process && m_process->state() != QProcess::NotRunning) {
            m_process->kill();
            m_process->waitForFinished();
        }
        m_process.reset();
    }

    void killNineMidConversationLosesAndDuplicatesNothing()
    {
        QVERIFY(startServer());
        App ana;
        App bob;
        ana->account()->createAccount(url(), u"ana"_s, test::Password, {}, false);
        bob->account()->createAccount(url(), u"bob"_s, test::Password, {}, false);
        QVERIFY(online(ana));
        QVERIFY(online(bob));
        ana->roomActions()->createRoom(u"crash"_s, {});
        QTRY_VERIFY_WITH_TIMEOUT(ana->currentRoom()->roomId() != 0, 10000);
        const qint64 room = ana->currentRoom()->roomId();
        bob->roomActions()->joinRoom(room);
        QTRY_COMPARE_WITH_TIMEOUT(bob->currentRoom()->roomId(), room, 10000);

        // Both sides talk in bursts; the server dies between two bursts' acks.
        constexpr int PerBurst = 4;
        constexpr int Total = 150; // per side
        int written = 0;
        int writtenAtKill = -1;
        int writtenAtRestart = -1;
        int unackedAtKill = -1;
        bool killNow = false;
        QTimer talk;
        talk.setInterval(15);
        connect(&talk, &QTimer::timeout, this, [&] {
            for (int i = 0; i < PerBurst && written < Total; ++i, ++written) {
                ana->currentRoom()->sendMessage(u"a%1"_s.arg(written));
                bob->currentRoom()->sendMessage(u"b%1"_s.arg(written));
            }
            if (killNow && writtenAtKill < 0) {
                unackedAtKill
                    = rowsWithDelivery(ana->currentRoom()->timeline(), TimelineModel::Sending)
                    + rowsWithDelivery(bob->currentRoom()->timeline(), TimelineModel::Sending);
                writtenAtKill = written;
                ::kill(pid_t(m_process->processId()), SIGKILL);
            }
            if (written >= Total)
                talk.stop();
        });
        talk.start();
        QTRY_VERIFY_WITH_TIMEOUT(acknowledged(ana->currentRoom()->timeline(), u"a"_s) >= 5
                && acknowledged(bob->currentRoom()->timeline(), u"b"_s) >= 5,
            15000);
        killNow = true;
        QTRY_VERIFY_WITH_TIMEOUT(writtenAtKill >= 0, 5000);
        QTRY_COMPARE_WITH_TIMEOUT(m_process->state(), QProcess::NotRunning, 5000);
        QCOMPARE(m_process->exitStatus(), QProcess::CrashExit);
        QTRY_VERIFY_WITH_TIMEOUT(ana->connectionState() != client::ConnectionState::Live
                && bob->connectionState() != client::ConnectionState::Live,
            10000);
        // Keep talking into the void for a few bursts, then bring the server back.
        QTRY_VERIFY_WITH_TIMEOUT(written >= std::min(Total, writtenAtKill + 3 * PerBurst), 10000);
        writtenAtRestart = written;
        QVERIFY(startServer());
        QTRY_COMPARE_WITH_TIMEOUT(written, Total, 30000);
        qInfo("written per side: %d before the kill (%d unacknowledged then), %d before the "
              "restart, %d in all",
            writtenAtKill, unackedAtKill, writtenAtRestart, Total);
        QVERIFY(unackedAtKill > 0);
        QVERIFY(writtenAtKill < Total);

        QVERIFY(online(ana));
        QVERIFY(online(bob));
        QTRY_VERIFY_WITH_TIMEOUT(
            rowsWithDelivery(ana->currentRoom()->timeline(), TimelineModel::Sending) == 0
                && rowsWithDelivery(bob->currentRoom()->timeline(), TimelineModel::Sending) == 0,
            30000);
        QCOMPARE(rowsWithDelivery(ana->currentRoom()->timeline(), TimelineModel::Failed), 0);
        QCOMPARE(rowsWithDelivery(bob->currentRoom()->timeline(), TimelineModel::Failed), 0);

        test::TestClient reader;
        QVERIFY(reader.open(QUrl(url())));
        QVERIFY(reader.login(u"ana"_s));
        const auto log = test::serverLog(&reader, room);
        QVERIFY(!log.isEmpty());
        for (int i = 0; i < log.size(); ++i)
            QCOMPARE(log.at(i).seq, qint64(i + 1)); // gap-free on the server
        // Each message written on either side is stored exactly once...
        QHash<QString, int> copies;
        for (const auto &e : log)
            copies[e.text] += e.kind == protocol::EventKind::Message ? 1 : 0;
        for (int i = 0; i < Total; ++i) {
            QCOMPARE(copies.value(u"a%1"_s.arg(i)), 1);
            QCOMPARE(copies.value(u"b%1"_s.arg(i)), 1);
        }
        // ...and both clients hold exactly the server's log.
        QTRY_COMPARE_WITH_TIMEOUT(
            test::timelineSeqs(ana->currentRoom()->timeline()), test::seqsOf(log), 10000);
        QTRY_COMPARE_WITH_TIMEOUT(
            test::timelineSeqs(bob->currentRoom()->timeline()), test::seqsOf(log), 10000);
        for (int i = 0; i < Total; ++i) {
            QCOMPARE(test::rowsWithText(ana->currentRoom()->timeline(), u"a%1"_s.arg(i)), 1);
            QCOMPARE(test::rowsWithText(ana->currentRoom()->timeline(), u"b%1"_s.arg(i)), 1);
            QCOMPARE(test::rowsWithText(bob->currentRoom()->timeline(), u"a%1"_s.arg(i)), 1);
            QCOMPARE(test::rowsWithText(bob->currentRoom()->timeline(), u"b%1"_s.arg(i)), 1);
        }
        ana.session.reset();
        bob.session.reset();
        QCOMPARE(outboxRows(ana.path, url(), u"ana"_s), 0);
        QCOMPARE(outboxRows(bob.path, url(), u"bob"_s), 0);
    }
};

QTEST_MAIN(TestSessionCrash)
#include "tst_session_crash.moc"
