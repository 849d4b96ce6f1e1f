// SPDX-License-Identifier: GPL-3.0-or-later
// confab_app_bench --real-window: the real `confab` executable in a real window (X11, e.g.
// Xvfb), started as a user starts it (no arguments, its own settings and cache under $HOME,
// the session token in the platform keychain), with each of Qt Quick's backends.
//
// Needs $DISPLAY and a session bus with a secret service (tests/bench/run-real-window sets
// up Xvfb, dbus-run-session and gnome-keyring); exits 77 without them.
//
// The app reports its own moments when CONFAB_STARTUP_TRACE names a file
// (client/app/startuptrace.cpp): the window exposed (mapped), the first frame, the first
// frame that shows the chat page with timeline rows, and its memory then. Launch is the
// moment this driver spawns it.
#include "appbench_window.h"

#include "appbench.h"

#include <QCoreApplication>
#include <QDir>
#include <QElapsedTimer>
#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QProcess>
#include <QThread>
#include <algorithm>
#include <cstdio>
#include <map>
#include <memory>
#include <optional>

using namespace Qt::StringLiterals;

namespace confab::bench {

namespace {

QString helper()
{
    return QCoreApplication::applicationDirPath() + u"/confab_app_bench_server"_s;
}

/*! The environment a user's session would give the app: ours, less what the benches set. */
QProcessEnvironment userEnvironment(const QString &home)
{
    QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
    for (const char *name : {"QT_QPA_PLATFORM", "QT_QUICK_BACKEND", "QSG_RHI_BACKEND",
             "QML_DISABLE_DISK_CACHE", "QSG_INFO", "CONFAB_STARTUP_TRACE", "XDG_CONFIG_HOME",
             "XDG_DATA_HOME", "XDG_CACHE_HOME"})
        env.remove(QString::fromLatin1(name));
    if (!home.isEmpty())
        env.insert(u"HOME"_s, home);
    return env;
}

std::optional<QByteArray> runHelper(const QStringList &args, int timeoutMs)
{
    QProcess p;
    QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
    env.insert(u"QT_QPA_PLATFORM"_s, u"offscreen"_s);
    p.setProcessEnvironment(env);
    p.setProcessChannelMode(QProcess::ForwardedErrorChannel);
    p.start(helper(), args);
    if (!p.waitForFinished(timeoutMs) || p.exitStatus() != QProcess::NormalExit
        || p.exitCode() != 0) {
        std::fprintf(stderr, "confab_app_bench_server %s: failed\n", qPrintable(args.join(u' ')));
        p.kill();
        p.waitForFinished();
        return std::nullopt;
    }
    return p.readAllStandardOutput();
}

QJsonObject lastJson(const QByteArray &out)
{
    const QList<QByteArray> lines = out.trimmed().split('\n');
    for (auto it = lines.crbegin(); it != lines.crend(); ++it) {
        if (it->startsWith('{'))
            return QJsonDocument::fromJson(*it).object();
    }
    return {};
}

bool copyFile(const QString &from, const QString &to)
{
    QFile::remove(to);
    return QDir().mkpath(QFileInfo(to).absolutePath()) && QFile::copy(from, to);
}

/*! $HOME as a returning user's: the settings where QSettings("Confab", "confab") reads them
 * and the cache where Session's default (AppDataLocation) finds it. */
bool makeHome(const QString &dir, const QString &home)
{
    const QString client = clientDir(dir);
    if (!copyFile(client + u"/settings.ini"_s, home + u"/.config/Confab/confab.conf"_s))
        return false;
    const auto files = QDir(client).entryList({u"*.sqlite*"_s}, QDir::Files);
    for (const QString &f : files) {
        if (!copyFile(client + u'/' + f, home + u"/.local/share/Confab/confab/"_s + f))
            return false;
    }
    return !files.isEmpty();
}

/*! Resident memory of a process by mapping: libraries by file name, [heap], [anon] … */
QList<std::pair<QString, qint64>> smapsByMapping(qint64 pid)
{
    QFile f(u"/proc/%1/smaps"_s.arg(pid));
    if (!f.open(QIODevice::ReadOnly))
        return {};
    std::map<QString, qint64> rss;
    QString current;
    const QList<QByteArray> lines = f.readAll().split('\n');
    for (const QByteArray &line : lines) {
        if (line.isEmpty())
            continue;
        if (line.startsWith("Rss:")) {
            rss[current] += line.mid(4).trimmed().split(' ').value(0).toLongLong();
        } else if (!line.at(0) || (line.at(0) >= '0' && line.at(0) <= '9')
            || (line.at(0) >= 'a' && line.at(0) <= 'f')) {
            // "start-end perms offset dev inode [path]"
            const QList<QByteArray> fields = line.simplified().split(' ');
            if (fields.size() < 5 || !fields.at(0).contains('-'))
                continue;
            const QString path
                = fields.size() > 5 ? QString::fromUtf8(fields.mid(5).join(' ')) : u"[anon]"_s;
            QString name = path.startsWith(u'/') ? QFileInfo(path).fileName() : path;
            // libLLVM-15.so.1, libQt6Quick.so.6.4.2 → libLLVM-15.so, libQt6Quick.so
            if (const qsizetype so = name.indexOf(u".so"_s); so > 0)
                name.truncate(so + 3);
            if (path.startsWith(u"/memfd:"_s) || path.startsWith(u"/dev/"_s))
                name = path;
            current = name;
        }
    }
    QList<std::pair<QString, qint64>> out(rss.cbegin(), rss.cend());
    std::sort(
        out.begin(), out.end(), [](const auto &a, const auto &b) { return a.second > b.second; });
    return out;
}

struct Config
{
    QString name; //!< key in the JSON
    QString label;
    QList<std::pair<QString, QString>> env;
    int runs = 5;
};

struct Run
{
    QJsonObject trace;
    double spawnMs(const char *key) const
    {
        const QJsonValue v = trace.value(QLatin1StringView(key));
        return v.isDouble() ? (v.toDouble() - trace.value(u"spawn_ns"_s).toDouble()) / 1e6 : -1;
    }
};

/*! One start of the real app, until its first painted chat page; then it is ended. */
std::optional<Run> startOnce(const QString &app, const QString &home, const QString &traceFile,
    const Config &c, const QString &stderrFile, QList<std::pair<QString, qint64>> *smaps)
{
    QFile::remove(traceFile);
    QProcess p;
    QProcessEnvironment env = userEnvironment(home);
    env.insert(u"CONFAB_STARTUP_TRACE"_s, traceFile);
    for (const auto &[k, v] : c.env)
        env.insert(k, v);
    if (!stderrFile.isEmpty())
        env.insert(u"QSG_INFO"_s, u"1"_s);
    p.setProcessEnvironment(env);
    p.setStandardOutputFile(QProcess::nullDevice());
    p.setStandardErrorFile(stderrFile.isEmpty() ? QProcess::nullDevice() : stderrFile);
    p.setWorkingDirectory(home);
    const qint64 spawnNs = monotonicNs();
    p.start(app, {});
    if (!p.waitForStarted(10000))
        return std::nullopt;
    QElapsedTimer clock;
    clock.start();
    QByteArray line;
    while (clock.elapsed() < 60000 && p.state() == QProcess::Running) {
        QFile f(traceFile);
        if (f.open(QIODevice::ReadOnly)) {
            line = f.readLine();
            if (line.endsWith('\n'))
                break;
        }
        QThread::msleep(5);
    }
    if (smaps && line.endsWith('\n'))
        *smaps = smapsByMapping(p.processId());
    p.terminate();
    if (!p.waitForFinished(10000)) {
        p.kill();
        p.waitForFinished();
    }
    if (!line.endsWith('\n')) {
        std::fprintf(
            stderr, "real window, %s: no chat page painted within 60 s\n", qPrintable(c.name));
        return std::nullopt;
    }
    Run r;
    r.trace = QJsonDocument::fromJson(line).object();
    r.trace.insert(u"spawn_ns"_s, double(spawnNs));
    return r;
}

double median(QList<double> v)
{
    std::sort(v.begin(), v.end());
    if (v.isEmpty())
        return -1;
    const qsizetype n = v.size();
    return n % 2 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
}

const QList<std::pair<const char *, const char *>> WindowFigures {
    {"exposed_ns", "launch -> window mapped (first expose)"},
    {"first_frame_ns", "launch -> first frame"},
    {"chat_frame_ns", "launch -> first painted chat page"},
    {"qml_loaded_ns", "launch -> Main.qml loaded"},
    {"engine_ns", "launch -> QML engine created (session restored)"},
    {"app_ns", "launch -> QApplication constructed"},
    {"main_ns", "launch -> main()"},
};

QJsonObject summarise(const Config &c, const QList<Run> &runs, const QString &stderrFile)
{
    QJsonObject json {{u"benchmark"_s, u"app_window_start"_s}, {u"config"_s, c.name},
        {u"label"_s, c.label}, {u"runs"_s, double(runs.size())},
        {u"graphics_api"_s, runs.value(0).trace.value(u"graphics_api"_s)},
        {u"gl_renderer"_s, runs.value(0).trace.value(u"gl_renderer"_s)},
        {u"rows_on_screen"_s, runs.value(0).trace.value(u"rows_on_screen"_s)},
        {u"target_ms"_s, 400}};
    std::printf("\n%s: %lld runs (+1 warm-up), %s%s\n", qPrintable(c.label), qint64(runs.size()),
        qPrintable(json.value(u"graphics_api"_s).toString()),
        json.value(u"gl_renderer"_s).toString().isEmpty()
            ? ""
            : qPrintable(u", "_s + json.value(u"gl_renderer"_s).toString()));
    std::printf("  %-48s %10s %10s\n", "", "min", "median");
    for (const auto &[key, label] : WindowFigures) {
        QList<double> v;
        for (const Run &r : runs)
            v.append(r.spawnMs(key));
        const double med = median(v);
        const double min = v.isEmpty() ? -1 : *std::min_element(v.cbegin(), v.cend());
        std::printf("  %-48s %10.1f %10.1f\n", label, min, med);
        QString name = QString::fromLatin1(key);
        name.chop(3);
        json.insert(u"launch_to_"_s + name + u"_ms_median"_s, med);
        json.insert(u"launch_to_"_s + name + u"_ms_min"_s, min);
    }
    for (const char *key : {"vm_rss_kib", "vm_hwm_kib", "rss_anon_kib", "rss_file_kib"}) {
        QList<double> v;
        for (const Run &r : runs)
            v.append(r.trace.value(QLatin1StringView(key)).toDouble());
        json.insert(QLatin1StringView(key) + u"_median"_s, median(v));
    }
    int signIn = 0;
    for (const Run &r : runs)
        signIn += r.trace.value(u"sign_in_frame_ns"_s).isDouble() ? 1 : 0;
    json.insert(u"runs_painting_sign_in"_s, signIn);
    std::printf("  %-48s %10s %10.1f\n", "VmRSS at the first painted chat page, MiB", "",
        json.value(u"vm_rss_kib_median"_s).toDouble() / 1024);
    std::printf("  %-48s %10s %10.1f\n", "  of it anonymous (heap, GL buffers), MiB", "",
        json.value(u"rss_anon_kib_median"_s).toDouble() / 1024);
    std::printf("  %-48s %10s %10.1f\n", "  of it mapped files (code, fonts), MiB", "",
        json.value(u"rss_file_kib_median"_s).toDouble() / 1024);
    std::printf(
        "  runs that painted the sign-in page first: %d of %lld\n", signIn, qint64(runs.size()));
    if (!stderrFile.isEmpty()) {
        QFile f(stderrFile);
        QJsonArray info;
        if (f.open(QIODevice::ReadOnly)) {
            const QList<QByteArray> lines = f.readAll().split('\n');
            for (const QByteArray &l : lines) {
                if (l.contains("GL_RENDERER") || l.contains("GL_VERSION") || l.contains("backend")
                    || l.contains("render loop") || l.contains("texture atlas")
                    || l.contains("Software") || l.contains("software"))
                    info.append(QString::fromUtf8(l.trimmed()));
            }
        }
        for (const auto &l : std::as_const(info))
            std::printf("  QSG_INFO: %s\n", qPrintable(l.toString()));
        json.insert(u"qsg_info"_s, info);
    }
    return json;
}

void printJson(const QJsonObject &o)
{
    std::printf("%s\n", QJsonDocument(o).toJson(QJsonDocument::Compact).constData());
    std::fflush(stdout);
}

/*! The large room in a real window: confab_app_bench --measure-room (the app as
 * appbench_app.cpp builds it; the real executable cannot be driven to page in 100,000
 * messages) on the X display, with the backend's environment. */
std::optional<QJsonObject> measureRoomInWindow(
    const QString &dir, const Config &c, int pageTimeoutS)
{
    QProcess p;
    QProcessEnvironment env = userEnvironment({});
    env.insert(u"QT_QPA_PLATFORM"_s, u"xcb"_s);
    for (const auto &[k, v] : c.env)
        env.insert(k, v);
    p.setProcessEnvironment(env);
    p.setProcessChannelMode(QProcess::ForwardedErrorChannel);
    p.start(QCoreApplication::applicationFilePath(),
        {u"--measure-room"_s, dir, u"--append"_s, u"0"_s, u"--page-timeout"_s,
            QString::number(pageTimeoutS)});
    if (!p.waitForFinished((pageTimeoutS + 120) * 1000) || p.exitCode() != 0) {
        p.kill();
        p.waitForFinished();
        return std::nullopt;
    }
    return lastJson(p.readAllStandardOutput());
}

class Server
{
public:
    explicit Server(const QString &dir)
    {
        QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
        env.insert(u"QT_QPA_PLATFORM"_s, u"offscreen"_s);
        m_p.setProcessEnvironment(env);
        m_p.setProcessChannelMode(QProcess::ForwardedErrorChannel);
        m_p.start(helper(), {u"serve"_s, dir});
        QElapsedTimer clock;
        clock.start();
        while (!m_p.canReadLine() && clock.elapsed() < 30000 && m_p.state() != QProcess::NotRunning)
            m_p.waitForReadyRead(1000);
        m_ready = m_p.canReadLine() && m_p.readLine().startsWith("ready");
    }
    ~Server()
    {
        m_p.closeWriteChannel();
        if (!m_p.waitForFinished(20000))
            m_p.kill();
        m_p.waitForFinished();
    }
    bool ready() const { return m_ready; }

private:
    QProcess m_p;
    bool m_ready = false;
};

} // namespace

int realWindow(const WindowOptions &o)
{
    if (qEnvironmentVariableIsEmpty("DISPLAY")) {
        std::printf("real window: skipped: no $DISPLAY (run under tests/bench/run-real-window)\n");
        return 77;
    }
    if (qEnvironmentVariableIsEmpty("DBUS_SESSION_BUS_ADDRESS")) {
        std::printf("real window: skipped: no session bus for the keychain\n");
        return 77;
    }
    if (!QFileInfo(o.app).isExecutable()) {
        std::fprintf(stderr, "real window: %s is not an executable\n", qPrintable(o.app));
        return 1;
    }
    const QString dir = QDir(o.dir).absolutePath();
    QDir().mkpath(dir);
    if (!QFile::exists(infoPath(dir))) {
        const auto prepared = runHelper(
            {u"prepare"_s, dir, u"--messages"_s, QString::number(o.messages)}, 1'800'000);
        if (!prepared)
            return 1;
        std::printf("%s", prepared->constData());
    }
    if (!runHelper({u"keychain-put"_s, dir}, 60000))
        return 1;
    QList<QJsonObject> keychain;
    for (int i = 0; i < 3; ++i) {
        const auto out = runHelper({u"keychain-read"_s, dir}, 60000);
        if (!out)
            return 1;
        keychain.append(lastJson(*out));
    }
    QJsonObject kc {{u"benchmark"_s, u"app_keychain"_s}, {u"runs"_s, 3}};
    for (const char *key : {"first_read_ms", "second_read_ms"}) {
        QList<double> v;
        for (const QJsonObject &k : std::as_const(keychain))
            v.append(k.value(QLatin1StringView(key)).toDouble());
        kc.insert(QLatin1StringView(key) + u"_median"_s, median(v));
    }
    std::printf("\nkeychain (QtKeychain -> D-Bus secret service, gnome-keyring), 3 fresh "
                "processes: first read %.1f ms, second read %.1f ms (medians)\n",
        kc.value(u"first_read_ms_median"_s).toDouble(),
        kc.value(u"second_read_ms_median"_s).toDouble());
    printJson(kc);

    const QString home = dir + u"/home"_s;
    if (!makeHome(dir, home)) {
        std::fprintf(stderr, "real window: cannot lay out %s\n", qPrintable(home));
        return 1;
    }
    const QString trace = dir + u"/startup-trace.jsonl"_s;

    QList<Config> configs {
        {u"opengl"_s, u"Qt Quick's default, OpenGL (QSG_RHI_BACKEND=opengl)"_s,
            {{u"QSG_RHI_BACKEND"_s, u"opengl"_s}}, o.starts},
        {u"software"_s, u"QT_QUICK_BACKEND=software"_s, {{u"QT_QUICK_BACKEND"_s, u"software"_s}},
            o.starts},
        {u"app"_s, u"the app's own choice (no backend variable set)"_s, {}, o.starts},
    };
    if (o.diskCache) {
        configs.append({u"opengl_no_disk_cache"_s, u"OpenGL, QML_DISABLE_DISK_CACHE=1"_s,
            {{u"QSG_RHI_BACKEND"_s, u"opengl"_s}, {u"QML_DISABLE_DISK_CACHE"_s, u"1"_s}}, 3});
        configs.append({u"software_no_disk_cache"_s, u"software, QML_DISABLE_DISK_CACHE=1"_s,
            {{u"QT_QUICK_BACKEND"_s, u"software"_s}, {u"QML_DISABLE_DISK_CACHE"_s, u"1"_s}}, 3});
    }
    {
        Server server(dir);
        if (!server.ready())
            return 1;
        for (const Config &c : std::as_const(configs)) {
            QList<Run> runs;
            QList<std::pair<QString, qint64>> smaps;
            const QString stderrFile = dir + u"/stderr-"_s + c.name + u".log"_s;
            for (int i = 0; i <= c.runs; ++i) {
                // The warm-up (page cache, QML and shader caches) prints QSG_INFO; the first
                // measured run gives the breakdown of its memory by mapping.
                const auto r = startOnce(o.app, home, trace, c, i == 0 ? stderrFile : QString(),
                    i == 1 ? &smaps : nullptr);
                if (!r)
                    return 1;
                if (i > 0)
                    runs.append(*r);
            }
            QJsonObject json = summarise(c, runs, stderrFile);
            QJsonArray top;
            std::printf("  resident memory by mapping at that frame (largest), MiB:");
            for (qsizetype i = 0; i < std::min<qsizetype>(12, smaps.size()); ++i) {
                top.append(QJsonArray {smaps[i].first, double(smaps[i].second)});
                std::printf("%s %s %.1f", i ? "," : "", qPrintable(smaps[i].first),
                    double(smaps[i].second) / 1024);
            }
            std::printf("\n");
            json.insert(u"smaps_top_kib"_s, top);
            printJson(json);
        }
    }

    if (o.room) {
        Server server(dir);
        if (!server.ready())
            return 1;
        for (const Config &c : std::as_const(configs)) {
            if (c.name != u"opengl"_s && c.name != u"software"_s)
                continue;
            const auto r = measureRoomInWindow(dir, c, o.pageTimeoutS);
            if (!r || r->isEmpty()) {
                std::fprintf(
                    stderr, "real window, %s: the large room failed\n", qPrintable(c.name));
                return 1;
            }
            QJsonObject json {{u"benchmark"_s, u"app_window_memory"_s}, {u"config"_s, c.name},
                {u"label"_s, c.label}, {u"backend"_s, r->value(u"backend"_s)},
                {u"messages"_s, double(o.messages)}, {u"rows_loaded"_s, r->value(u"loaded_rows"_s)},
                {u"complete"_s, r->value(u"page_in_complete"_s)},
                {u"page_in_ms"_s, r->value(u"page_in_ms"_s)}, {u"target_mib"_s, 120}};
            for (const QString &prefix : {u"before_"_s, u"open_"_s, u"loaded_"_s}) {
                for (const QString &field :
                    {u"vm_rss_kib"_s, u"vm_hwm_kib"_s, u"rss_anon_kib"_s, u"rss_file_kib"_s})
                    json.insert(prefix + field, r->value(prefix + field));
            }
            std::printf("\nlarge room in a real window, %s (%s): %d rows loaded; VmRSS MiB: small "
                        "room %.1f, large room open %.1f, every row loaded %.1f (peak %.1f)\n",
                qPrintable(c.label), qPrintable(r->value(u"backend"_s).toString()),
                r->value(u"loaded_rows"_s).toInt(),
                r->value(u"before_vm_rss_kib"_s).toDouble() / 1024,
                r->value(u"open_vm_rss_kib"_s).toDouble() / 1024,
                r->value(u"loaded_vm_rss_kib"_s).toDouble() / 1024,
                r->value(u"loaded_vm_hwm_kib"_s).toDouble() / 1024);
            printJson(json);
        }
    }
    return 0;
}

} // namespace confab::bench
