// SPDX-License-Identifier: GPL-3.0-or-later
// The large room: memory with every message of it loaded in the timeline, and the
// view's responsiveness while another member sends a burst into it.
#include "appbench.h"
#include "appbench_app.h"
#include "store/localstore.h"

#include <QCoreApplication>
#include <QEventLoop>
#include <QProcess>
#include <cstdio>

using namespace Qt::StringLiterals;

namespace confab::bench {

namespace {

void merge(QJsonObject &into, const QJsonObject &from)
{
    for (auto it = from.constBegin(); it != from.constEnd(); ++it)
        into.insert(it.key(), it.value());
}

int fail(const char *what)
{
    std::fprintf(stderr, "measure-room: %s\n", what);
    return 1;
}

} // namespace

int measureRoom(const QString &dir, int append, int pageTimeoutS, qint64 entryNs)
{
    const QJsonObject info = readInfo(dir);
    const qint64 lobby = qint64(info.value(KeyLobby).toDouble());
    const qint64 big = qint64(info.value(KeyBig).toDouble());
    if (lobby == 0 || big == 0)
        return fail("not a prepared folder");

    AppUnderTest app(dir);
    Probe probe;
    Frame last;
    app.onFrame = [&](const Frame &f) {
        last = f;
        probe.addFrame(f.swappedNs);
    };
    // The app opens the room it showed last: make that the small one, so the large room is
    // opened while the app runs, as a click in the room list would.
    const auto openLobbyFirst = [&](client::AppSettings &settings) {
        client::LocalStore store;
        if (store.open(client::LocalStore::pathFor(
                clientDir(dir), settings.lastServerUrl(), settings.lastUsername())))
            store.setMeta(u"last_room"_s, QString::number(lobby));
    };
    if (!app.start(openLobbyFirst))
        return fail("the app did not start");
    client::Session *session = app.session();
    const auto placedIn = [&](qint64 room) {
        return last.room == room && last.placed && last.delegatesOnScreen > 0;
    };
    if (!waitFor(
            [&] {
                return placedIn(lobby)
                    && session->connectionState() == client::ConnectionState::Live;
            },
            60000))
        return fail("the small room was not shown online within 60 s");
    const double startedMs = double(monotonicNs() - entryNs) / 1e6;
    waitFor([] { return false; }, 1000); // members, read markers: let the app settle
    QJsonObject out {
        {u"mode"_s, u"room"_s}, {u"backend"_s, app.backend()}, {u"started_online_ms"_s, startedMs}};
    merge(out, toJson(readMemory(), u"before_"_s));

    // Open the large room: its newest events come from the cache.
    const qint64 openNs = monotonicNs();
    session->currentRoom()->select(big);
    if (!waitFor([&] { return placedIn(big); }, 30000))
        return fail("the large room was not shown within 30 s");
    out.insert(u"open_ms"_s, double(last.swappedNs - openNs) / 1e6);
    client::TimelineModel *tl = session->currentRoom()->timeline();
    out.insert(u"open_rows"_s, tl->rowCount());
    waitFor([] { return false; }, 500);
    merge(out, toJson(readMemory(), u"open_"_s));

    // Page in the whole history the way scrolling up does: Session.loadOlder(), one page
    // at a time, each after the previous one was applied.
    int pages = 0;
    bool stalled = false;
    QEventLoop paging;
    const auto next = [&] {
        if (!tl->hasMoreBefore()) {
            paging.quit();
            return;
        }
        if (session->currentRoom()->loadingOlder())
            return;
        ++pages;
        session->currentRoom()->loadOlder();
        if (!session->currentRoom()->loadingOlder()) { // refused: offline, or no such room
            stalled = true;
            paging.quit();
        }
    };
    int reported = 0;
    const qint64 pageNs = monotonicNs();
    const auto c1 = QObject::connect(
        session->currentRoom(), &client::CurrentRoom::loadingOlderChanged, &paging, [&] {
            if (!session->currentRoom()->loadingOlder())
                QTimer::singleShot(0, &paging, next);
        });
    const auto c2 = QObject::connect(tl, &client::TimelineModel::countChanged, &paging, [&] {
        if (tl->rowCount() / 10000 > reported) {
            reported = tl->rowCount() / 10000;
            std::fprintf(stderr, "  %d rows after %.1f s\n", tl->rowCount(),
                double(monotonicNs() - pageNs) / 1e9);
        }
    });
    QTimer::singleShot(pageTimeoutS * 1000, &paging, &QEventLoop::quit);
    QTimer::singleShot(0, &paging, next);
    probe.start();
    paging.exec();
    probe.stop();
    QObject::disconnect(c1);
    QObject::disconnect(c2);
    out.insert(u"page_in_ms"_s, double(monotonicNs() - pageNs) / 1e6);
    out.insert(u"pages"_s, pages);
    out.insert(u"page_in_complete"_s, !tl->hasMoreBefore());
    out.insert(u"page_in_stalled"_s, stalled);
    merge(out, probe.result(u"page_in_"_s));

    // All of it loaded, the view at the newest message.
    if (QQuickItem *root = app.timelineRoot())
        QMetaObject::invokeMethod(root, "scrollToBottom");
    waitFor([] { return false; }, 1000);
    out.insert(u"loaded_rows"_s, tl->rowCount());
    out.insert(u"loaded_at_bottom"_s,
        app.timelineRoot() && app.timelineRoot()->property("atBottom").toBool());
    merge(out, toJson(readMemory(), u"loaded_"_s));

    // Another member sends a burst into the open room.
    if (append > 0) {
        const qint64 target = tl->highestSeq() + append;
        qint64 senderStartNs = 0;
        qint64 senderAckedNs = 0;
        qint64 doneNs = 0;
        int dropped = 0;
        QEventLoop appending;
        QProcess sender;
        sender.setProcessChannelMode(QProcess::ForwardedErrorChannel);
        QObject::connect(&sender, &QProcess::readyReadStandardOutput, &appending, [&] {
            while (sender.canReadLine()) {
                const QList<QByteArray> words = sender.readLine().trimmed().split(' ');
                if (words.value(0) == "start") {
                    senderStartNs = words.value(1).toLongLong();
                    probe.start();
                } else if (words.value(0) == "acked") {
                    senderAckedNs = words.value(1).toLongLong();
                }
            }
        });
        QObject::connect(&sender, &QProcess::finished, &appending, [&] {
            if (senderStartNs == 0)
                appending.quit(); // the sender failed before sending
        });
        const auto c3 = QObject::connect(tl, &client::TimelineModel::countChanged, &appending, [&] {
            if (doneNs == 0 && tl->highestSeq() >= target) {
                doneNs = monotonicNs();
                appending.quit();
            }
        });
        const auto c4 = QObject::connect(
            session->account(), &client::Account::connectionStateChanged, &appending, [&] {
                if (session->connectionState() != client::ConnectionState::Live)
                    ++dropped;
            });
        sender.start(QCoreApplication::applicationDirPath() + u"/confab_app_bench_server"_s,
            {u"send"_s, dir, u"--count"_s, QString::number(append)});
        QTimer::singleShot(600'000, &appending, &QEventLoop::quit);
        appending.exec();
        QObject::disconnect(c3);
        // The frame that shows the last of them.
        waitFor([&] { return doneNs != 0 && last.swappedNs > doneNs; }, 2000, 1);
        const qint64 shownNs = last.swappedNs;
        probe.stop();
        waitFor([&] { return sender.state() == QProcess::NotRunning; }, 600'000);
        QObject::disconnect(c4);
        out.insert(u"append"_s, append);
        out.insert(u"append_complete"_s, doneNs != 0);
        out.insert(u"append_until_all_in_timeline_ms"_s,
            doneNs && senderStartNs ? double(doneNs - senderStartNs) / 1e6 : -1.0);
        out.insert(u"append_until_shown_ms"_s,
            doneNs && shownNs > doneNs ? double(shownNs - senderStartNs) / 1e6 : -1.0);
        out.insert(u"append_sender_acked_ms"_s,
            senderAckedNs ? double(senderAckedNs - senderStartNs) / 1e6 : -1.0);
        out.insert(u"append_connection_drops"_s, dropped);
        out.insert(u"append_final_rows"_s, tl->rowCount());
        out.insert(u"append_at_bottom"_s,
            app.timelineRoot() && app.timelineRoot()->property("atBottom").toBool());
        merge(out, probe.result(u"append_"_s));
        merge(out, toJson(readMemory(), u"after_"_s));
    }
    std::printf("%s\n", QJsonDocument(out).toJson(QJsonDocument::Compact).constData());
    std::fflush(stdout);
    return 0;
}

} // namespace confab::bench
