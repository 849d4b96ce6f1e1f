// SPDX-License-Identifier: GPL-3.0-or-later
// confab_app_bench: the desktop app's start-up from cache, its memory with a large room
// loaded and its responsiveness while a burst arrives. Prints figures; asserts nothing
// about time.
//
//   confab_app_bench [--messages N] [--append N] [--starts N] [--dir DIR]
//       the driver: prepares a folder (confab_app_bench_server prepare), runs the server in
//       a child process, and each measurement in a fresh process of its own:
//   confab_app_bench --measure-start DIR      start → first painted timeline from cache
//   confab_app_bench --measure-room DIR       memory with the large room, then the burst
//   confab_app_bench --real-window --app PATH --dir DIR
//       the real executable in a real window, each backend (appbench_window.cpp)
#include "appbench.h"
#include "appbench_app.h"
#include "appbench_window.h"

#include <QApplication>
#include <QCommandLineParser>
#include <QDir>
#include <QElapsedTimer>
#include <QJsonArray>
#include <QProcess>
#include <QTemporaryDir>
#include <QtQml/qqmlextensionplugin.h>
#include <cstdio>
#include <cstring>
#include <memory>

// The QML modules are static plugins, as in the app.
Q_IMPORT_QML_PLUGIN(Confab_ClientPlugin)
Q_IMPORT_QML_PLUGIN(ConfabPlugin)

using namespace Qt::StringLiterals;

namespace confab::bench {

qint64 applicationCreatedNs = 0;

namespace {

struct Options
{
    QString dir;
    qint64 messages = 100'000;
    int append = 10'000;
    int starts = 5;
    int pageTimeoutS = 900;
};

QProcessEnvironment childEnvironment()
{
    QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
    if (!env.contains(u"QT_QPA_PLATFORM"_s))
        env.insert(u"QT_QPA_PLATFORM"_s, u"offscreen"_s);
    return env;
}

QString helperPath()
{
    return QCoreApplication::applicationDirPath() + u"/confab_app_bench_server"_s;
}

/*! \brief Runs a child to its end; its stdout, or nullopt if it failed. */
std::optional<QByteArray> run(
    const QString &program, const QStringList &args, int timeoutMs, qint64 *spawnNs = nullptr)
{
    QProcess p;
    p.setProcessEnvironment(childEnvironment());
    p.setProcessChannelMode(QProcess::ForwardedErrorChannel);
    if (spawnNs)
        *spawnNs = monotonicNs();
    p.start(program, args);
    if (!p.waitForFinished(timeoutMs)) {
        std::fprintf(
            stderr, "%s %s: did not finish\n", qPrintable(program), qPrintable(args.join(u' ')));
        p.kill();
        p.waitForFinished();
        return std::nullopt;
    }
    if (p.exitStatus() != QProcess::NormalExit || p.exitCode() != 0) {
        std::fprintf(stderr, "%s %s: failed (%d)\n", qPrintable(program),
            qPrintable(args.join(u' ')), p.exitCode());
        return std::nullopt;
    }
    return p.readAllStandardOutput();
}

QJsonObject lastJsonLine(const QByteArray &out)
{
    const QList<QByteArray> lines = out.trimmed().split('\n');
    for (auto it = lines.crbegin(); it != lines.crend(); ++it) {
        if (it->startsWith('{'))
            return QJsonDocument::fromJson(*it).object();
    }
    return {};
}

/*! \brief The server in a child process, so the app's process holds only the app. */
class Server
{
public:
    explicit Server(const QString &dir)
        : m_dir(dir)
    { }
    ~Server() { stop(); }
    bool start()
    {
        m_process = std::make_unique<QProcess>();
        m_process->setProcessEnvironment(childEnvironment());
        m_process->setProcessChannelMode(QProcess::ForwardedErrorChannel);
        m_process->start(helperPath(), {u"serve"_s, m_dir});
        QElapsedTimer clock;
        clock.start();
        while (!m_process->canReadLine() && clock.elapsed() < 30000
            && m_process->state() != QProcess::NotRunning)
            m_process->waitForReadyRead(1000);
        return m_process->canReadLine() && m_process->readLine().startsWith("ready");
    }
    void stop()
    {
        if (!m_process)
            return;
        m_process->closeWriteChannel(); // the server shuts down cleanly
        if (!m_process->waitForFinished(20000))
            m_process->kill();
        m_process->waitForFinished();
        m_process.reset();
    }

private:
    QString m_dir;
    std::unique_ptr<QProcess> m_process;
};

struct Summary
{
    double min = 0;
    double median = 0;
};

Summary summarise(const QList<QJsonObject> &runs, const QString &key)
{
    QList<double> v;
    for (const QJsonObject &r : runs)
        v.append(r.value(key).toDouble());
    std::sort(v.begin(), v.end());
    if (v.isEmpty())
        return {};
    const qsizetype n = v.size();
    return {v.first(), n % 2 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2};
}

// Start-up figures, in the order of the table.
const QList<std::pair<QString, const char *>> StartFigures {
    {u"spawn_to_placed_frame_ms"_s, "spawn -> first painted timeline (placed at the end)"},
    {u"exec_to_placed_frame_ms"_s, "process created -> same (/proc starttime, +0..10 ms)"},
    {u"main_to_placed_frame_ms"_s, "main() -> same"},
    {u"main_to_rows_frame_ms"_s, "main() -> first frame with timeline rows"},
    {u"main_to_first_frame_ms"_s, "main() -> first frame"},
    {u"main_to_cache_rows_ms"_s, "main() -> timeline model filled from cache"},
    {u"main_to_qml_loaded_ms"_s, "main() -> Main.qml loaded"},
    {u"main_to_app_ms"_s, "main() -> QApplication constructed"},
    {u"exec_to_main_ms"_s, "process created -> main() (dynamic loading)"},
    {u"vm_rss_kib"_s, "VmRSS at the painted timeline, KiB"},
    {u"view_items_max"_s, "items in the timeline's ListView, most in any frame"},
    {u"view_items_placed"_s, "items in the timeline's ListView when placed"},
};

std::optional<QList<QJsonObject>> measureStarts(const QString &dir, int runs)
{
    QList<QJsonObject> results;
    for (int i = 0; i < runs + 1; ++i) { // the first one warms the page cache: dropped
        qint64 spawnNs = 0;
        const auto out = run(
            QCoreApplication::applicationFilePath(), {u"--measure-start"_s, dir}, 90000, &spawnNs);
        if (!out)
            return std::nullopt;
        QJsonObject r = lastJsonLine(*out);
        if (r.isEmpty())
            return std::nullopt;
        r.insert(u"spawn_to_placed_frame_ms"_s,
            (r.value(u"placed_frame_ns"_s).toDouble() - double(spawnNs)) / 1e6);
        if (i > 0)
            results.append(r);
    }
    return results;
}

void printStarts(const char *title, const QList<QJsonObject> &runs, const QString &server)
{
    std::printf("\nstart from cache, %s: %lld runs (+1 warm-up), %d rows in the timeline, %s\n",
        title, qint64(runs.size()), runs.value(0).value(u"rows"_s).toInt(),
        qPrintable(runs.value(0).value(u"backend"_s).toString()));
    std::printf("  %-56s %10s %10s\n", "", "min", "median");
    QJsonObject json {{u"benchmark"_s, u"app_start"_s}, {u"server"_s, server},
        {u"runs"_s, double(runs.size())}, {u"rows"_s, runs.value(0).value(u"rows"_s)},
        {u"target_ms"_s, 400}};
    for (const auto &[key, label] : StartFigures) {
        const Summary s = summarise(runs, key);
        std::printf("  %-56s %10.1f %10.1f\n", label, s.min, s.median);
        json.insert(key + u"_min"_s, s.min);
        json.insert(key + u"_median"_s, s.median);
    }
    std::printf("%s\n", QJsonDocument(json).toJson(QJsonDocument::Compact).constData());
}

double mib(const QJsonObject &r, const QString &key)
{
    return r.value(key).toDouble() / 1024.0;
}

void printRoom(const QJsonObject &r, qint64 messages)
{
    const auto d = [&r](const char *key) { return r.value(QLatin1StringView(key)).toDouble(); };
    std::printf("\nlarge room (%lld messages in the server), offscreen 1200x800, %s\n", messages,
        qPrintable(r.value(u"backend"_s).toString()));
    std::printf("  %-44s %9s %9s %9s %9s\n", "memory, MiB", "VmRSS", "VmHWM", "RssAnon", "RssFile");
    const QList<std::pair<QString, QString>> stages {{u"before_"_s, u"small room open (before)"_s},
        {u"open_"_s, u"large room open, %1 rows from cache"_s.arg(r.value(u"open_rows"_s).toInt())},
        {u"loaded_"_s, u"%1 rows loaded, at the bottom"_s.arg(r.value(u"loaded_rows"_s).toInt())},
        {u"after_"_s, u"after the burst, %1 rows"_s.arg(r.value(u"append_final_rows"_s).toInt())}};
    for (const auto &[prefix, label] : stages) {
        if (!r.contains(prefix + u"vm_rss_kib"_s))
            continue;
        std::printf("  %-44s %9.1f %9.1f %9.1f %9.1f\n", qPrintable(label),
            mib(r, prefix + u"vm_rss_kib"_s), mib(r, prefix + u"vm_hwm_kib"_s),
            mib(r, prefix + u"rss_anon_kib"_s), mib(r, prefix + u"rss_file_kib"_s));
    }
    std::printf("  opening the large room: %.1f ms to its painted timeline\n", d("open_ms"));
    std::printf("  paging in the history: %.1f s for %d pages (%s); 16 ms timer late p50 %.1f / "
                "p99 %.1f / max %.1f ms\n",
        d("page_in_ms") / 1000, r.value(u"pages"_s).toInt(),
        r.value(u"page_in_complete"_s).toBool() ? "complete" : "INCOMPLETE: timed out or stalled",
        d("page_in_timer_late_ms_p50"), d("page_in_timer_late_ms_p99"),
        d("page_in_timer_late_ms_max"));
    QJsonObject memory {{u"benchmark"_s, u"app_memory"_s}, {u"messages"_s, double(messages)},
        {u"rows_loaded"_s, r.value(u"loaded_rows"_s)}, {u"target_mib"_s, 120}};
    for (const QString &prefix : {u"before_"_s, u"open_"_s, u"loaded_"_s, u"after_"_s}) {
        for (const QString &field : {u"vm_rss_kib"_s, u"vm_hwm_kib"_s})
            memory.insert(prefix + field, r.value(prefix + field));
    }
    std::printf("%s\n", QJsonDocument(memory).toJson(QJsonDocument::Compact).constData());
    const QJsonObject pageIn {{u"benchmark"_s, u"app_history_page_in"_s},
        {u"rows"_s, r.value(u"loaded_rows"_s)}, {u"pages"_s, r.value(u"pages"_s)},
        {u"seconds"_s, d("page_in_ms") / 1000}, {u"complete"_s, r.value(u"page_in_complete"_s)},
        {u"timer_late_ms_p99"_s, d("page_in_timer_late_ms_p99")},
        {u"timer_late_ms_max"_s, d("page_in_timer_late_ms_max")}};
    std::printf("%s\n", QJsonDocument(pageIn).toJson(QJsonDocument::Compact).constData());
    if (!r.contains(u"append"_s))
        return;
    std::printf("  burst of %d messages from another member: all in the timeline after %.1f ms, "
                "painted after %.1f ms (sender's last ack after %.1f ms)%s\n",
        r.value(u"append"_s).toInt(), d("append_until_all_in_timeline_ms"),
        d("append_until_shown_ms"), d("append_sender_acked_ms"),
        r.value(u"append_complete"_s).toBool() ? "" : " INCOMPLETE");
    std::printf("    16 ms timer late p50 %.1f / p99 %.1f / max %.1f ms over %d ticks; %d frames, "
                "gap between frames p50 %.1f / p99 %.1f / max %.1f ms; %d connection drops\n",
        d("append_timer_late_ms_p50"), d("append_timer_late_ms_p99"), d("append_timer_late_ms_max"),
        int(d("append_timer_ticks")), int(d("append_frames")), d("append_frame_gap_ms_p50"),
        d("append_frame_gap_ms_p99"), d("append_frame_gap_ms_max"),
        r.value(u"append_connection_drops"_s).toInt());
    QJsonObject burst {{u"benchmark"_s, u"app_append"_s}, {u"messages"_s, r.value(u"append"_s)},
        {u"rows_before"_s, r.value(u"loaded_rows"_s)}};
    for (const char *key :
        {"append_complete", "append_until_all_in_timeline_ms", "append_until_shown_ms",
            "append_sender_acked_ms", "append_timer_late_ms_p50", "append_timer_late_ms_p99",
            "append_timer_late_ms_max", "append_frames", "append_frame_gap_ms_p50",
            "append_frame_gap_ms_p99", "append_frame_gap_ms_max", "append_connection_drops"})
        burst.insert(
            QString::fromLatin1(key + std::strlen("append_")), r.value(QLatin1StringView(key)));
    std::printf("%s\n", QJsonDocument(burst).toJson(QJsonDocument::Compact).constData());
}

int driver(const Options &o)
{
    QTemporaryDir temporary;
    const QString dir = o.dir.isEmpty() ? temporary.path() : QDir(o.dir).absolutePath();
    std::printf("confab_app_bench: %lld messages, %d appended, %d starts; folder %s\n", o.messages,
        o.append, o.starts, qPrintable(dir));
    std::fflush(stdout);
    const auto prepared = run(
        helperPath(), {u"prepare"_s, dir, u"--messages"_s, QString::number(o.messages)}, 1'800'000);
    if (!prepared)
        return 1;
    std::printf("%s", prepared->constData());

    Server server(dir);
    if (!server.start())
        return 1;
    const auto online = measureStarts(dir, o.starts);
    server.stop();
    if (!online)
        return 1;
    printStarts("server running", *online, u"up"_s);
    const auto offline = measureStarts(dir, o.starts);
    if (!offline)
        return 1;
    printStarts("server unreachable", *offline, u"down"_s);
    std::fflush(stdout);

    if (!server.start())
        return 1;
    const auto room = run(QCoreApplication::applicationFilePath(),
        {u"--measure-room"_s, dir, u"--append"_s, QString::number(o.append), u"--page-timeout"_s,
            QString::number(o.pageTimeoutS)},
        (o.pageTimeoutS + 900) * 1000);
    server.stop();
    if (!room)
        return 1;
    const QJsonObject r = lastJsonLine(*room);
    if (r.isEmpty())
        return 1;
    printRoom(r, o.messages);
    return r.value(u"page_in_complete"_s).toBool()
            && (o.append == 0 || r.value(u"append_complete"_s).toBool())
        ? 0
        : 1;
}

} // namespace
} // namespace confab::bench

int main(int argc, char **argv)
{
    using namespace confab::bench;
    const qint64 entryNs = monotonicNs();
    const double execToMainMs = msSinceProcessStart();
    bool measuring = false;
    for (int i = 1; i < argc; ++i)
        measuring = measuring || !std::strcmp(argv[i], "--measure-start")
            || !std::strcmp(argv[i], "--measure-room");
    std::unique_ptr<QCoreApplication> app;
    if (measuring) {
        if (qEnvironmentVariableIsEmpty("QT_QPA_PLATFORM"))
            qputenv("QT_QPA_PLATFORM", "offscreen");
        app = std::make_unique<QApplication>(argc, argv);
        applicationCreatedNs = monotonicNs();
    } else {
        app = std::make_unique<QCoreApplication>(argc, argv);
    }
    QCommandLineParser parser;
    parser.setApplicationDescription(u"The desktop app's start-up, memory and responsiveness."_s);
    parser.addHelpOption();
    parser.addOptions({
        {u"messages"_s, u"Messages in the large room."_s, u"n"_s, u"100000"_s},
        {u"append"_s, u"Messages another member sends into the open room."_s, u"n"_s, u"10000"_s},
        {u"starts"_s, u"Measured start-ups per server state."_s, u"n"_s, u"5"_s},
        {u"dir"_s, u"Folder to prepare (default: a temporary one)."_s, u"dir"_s},
        {u"page-timeout"_s, u"Seconds allowed for paging in the history."_s, u"s"_s, u"900"_s},
        {u"measure-start"_s, u"One start-up from the prepared folder."_s, u"dir"_s},
        {u"measure-room"_s, u"The large room: memory and the burst."_s, u"dir"_s},
        {u"real-window"_s,
            u"The real executable in a real window (needs $DISPLAY and a "
            "session bus with a secret service)."_s},
        {u"app"_s, u"--real-window: the confab executable."_s, u"path"_s},
        {u"no-room"_s, u"--real-window: leave out the large room."_s},
        {u"no-disk-cache-runs"_s,
            u"--real-window: leave out the runs without the QML disk cache."_s},
    });
    parser.process(*app);
    if (parser.isSet(u"measure-start"_s))
        return measureStart(
            QDir(parser.value(u"measure-start"_s)).absolutePath(), entryNs, execToMainMs);
    if (parser.isSet(u"measure-room"_s))
        return measureRoom(QDir(parser.value(u"measure-room"_s)).absolutePath(),
            parser.value(u"append"_s).toInt(), parser.value(u"page-timeout"_s).toInt(), entryNs);
    if (parser.isSet(u"real-window"_s)) {
        WindowOptions w;
        w.app = parser.value(u"app"_s);
        w.dir = parser.value(u"dir"_s);
        w.messages = parser.value(u"messages"_s).toLongLong();
        w.starts = std::max(1, parser.value(u"starts"_s).toInt());
        w.pageTimeoutS = parser.value(u"page-timeout"_s).toInt();
        w.room = !parser.isSet(u"no-room"_s);
        w.diskCache = !parser.isSet(u"no-disk-cache-runs"_s);
        if (w.app.isEmpty() || w.dir.isEmpty()) {
            std::fprintf(stderr, "--real-window needs --app and --dir\n");
            return 2;
        }
        return realWindow(w);
    }
    Options o;
    o.dir = parser.value(u"dir"_s);
    o.messages = parser.value(u"messages"_s).toLongLong();
    o.append = parser.value(u"append"_s).toInt();
    o.starts = std::max(1, parser.value(u"starts"_s).toInt());
    o.pageTimeoutS = parser.value(u"page-timeout"_s).toInt();
    return driver(o);
}
