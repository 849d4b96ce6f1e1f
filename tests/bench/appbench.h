// SPDX-License-Identifier: GPL-3.0-or-later
// Shared by confab_app_bench (the app under measurement and the driver) and
// confab_app_bench_server (preparation, the server, the sender): the layout of a prepared
// folder and small readers of the kernel's view of a process.
#pragma once

#include <QByteArray>
#include <QFile>
#include <QJsonDocument>
#include <QJsonObject>
#include <QList>
#include <QString>
#include <ctime>
#include <unistd.h>

namespace confab::bench {

/*
 * A prepared folder:
 *   server/        the server's data (confab.sqlite3)
 *   client/        the app's settings.ini and per-account cache
 *   bench.json     what the measuring processes need (see the keys below)
 */
inline QString serverDir(const QString &dir)
{
    return dir + QStringLiteral("/server");
}
inline QString clientDir(const QString &dir)
{
    return dir + QStringLiteral("/client");
}
inline QString infoPath(const QString &dir)
{
    return dir + QStringLiteral("/bench.json");
}

// Keys of bench.json.
inline constexpr QLatin1StringView KeyPort("port");
inline constexpr QLatin1StringView KeyUrl("url");
inline constexpr QLatin1StringView KeyUser("user");
inline constexpr QLatin1StringView KeyToken("token"); //!< the app's token (its "keychain")
inline constexpr QLatin1StringView KeySenderToken("senderToken"); //!< another member's
inline constexpr QLatin1StringView KeyLobby("lobby"); //!< a small room
inline constexpr QLatin1StringView KeyBig("big"); //!< the large room
inline constexpr QLatin1StringView KeyBigLastSeq("bigLastSeq");
inline constexpr QLatin1StringView KeyMessages("messages");
inline constexpr QLatin1StringView KeyCachedRows("cachedRows");

inline QJsonObject readInfo(const QString &dir)
{
    QFile f(infoPath(dir));
    if (!f.open(QIODevice::ReadOnly))
        return {};
    return QJsonDocument::fromJson(f.readAll()).object();
}

inline bool writeInfo(const QString &dir, const QJsonObject &info)
{
    QFile f(infoPath(dir));
    return f.open(QIODevice::WriteOnly | QIODevice::Truncate)
        && f.write(QJsonDocument(info).toJson()) > 0;
}

/*! \brief CLOCK_MONOTONIC in ns: the same clock in every process of the machine, so a
 * child's timestamps can be compared with the moment its parent spawned it. */
inline qint64 monotonicNs()
{
    timespec ts {};
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return qint64(ts.tv_sec) * 1'000'000'000 + ts.tv_nsec;
}

/*! \brief Milliseconds since this process was created (fork), from the kernel's
 * starttime in /proc/self/stat against CLOCK_BOOTTIME. Includes exec and dynamic loading;
 * starttime is in clock ticks, so the figure is late by 0 to 1 tick (10 ms at USER_HZ 100).
 * -1 if unreadable. */
inline double msSinceProcessStart()
{
    timespec ts {};
    clock_gettime(CLOCK_BOOTTIME, &ts);
    const double nowS = double(ts.tv_sec) + double(ts.tv_nsec) / 1e9;
    QFile f(QStringLiteral("/proc/self/stat"));
    if (!f.open(QIODevice::ReadOnly))
        return -1;
    const QByteArray stat = f.readAll();
    // The command name may hold spaces and parentheses: fields start after the last ')'.
    const QList<QByteArray> fields = stat.mid(stat.lastIndexOf(')') + 2).split(' ');
    constexpr int StartTimeField = 22 - 3; // field 22 of stat, the 1st after ')' is field 3
    if (fields.size() <= StartTimeField)
        return -1;
    const double startS = fields.at(StartTimeField).toDouble() / double(sysconf(_SC_CLK_TCK));
    return (nowS - startS) * 1000.0;
}

/*! \brief The memory lines of /proc/self/status, in KiB. */
struct MemoryStatus
{
    qint64 vmRss = 0; //!< resident now
    qint64 vmHwm = 0; //!< resident peak
    qint64 rssAnon = 0; //!< heap, stacks, anonymous mappings
    qint64 rssFile = 0; //!< mapped files: code of the binary and the libraries, fonts
    qint64 rssShmem = 0;
};

inline MemoryStatus readMemory()
{
    MemoryStatus m;
    QFile f(QStringLiteral("/proc/self/status"));
    if (!f.open(QIODevice::ReadOnly))
        return m;
    const QList<QByteArray> lines = f.readAll().split('\n');
    for (const QByteArray &line : lines) {
        const auto value = [&line] {
            return line.mid(line.indexOf(':') + 1).trimmed().split(' ').value(0).toLongLong();
        };
        if (line.startsWith("VmRSS:"))
            m.vmRss = value();
        else if (line.startsWith("VmHWM:"))
            m.vmHwm = value();
        else if (line.startsWith("RssAnon:"))
            m.rssAnon = value();
        else if (line.startsWith("RssFile:"))
            m.rssFile = value();
        else if (line.startsWith("RssShmem:"))
            m.rssShmem = value();
    }
    return m;
}

inline QJsonObject toJson(const MemoryStatus &m, const QString &prefix)
{
    return {{prefix + QStringLiteral("vm_rss_kib"), double(m.vmRss)},
        {prefix + QStringLiteral("vm_hwm_kib"), double(m.vmHwm)},
        {prefix + QStringLiteral("rss_anon_kib"), double(m.rssAnon)},
        {prefix + QStringLiteral("rss_file_kib"), double(m.rssFile)},
        {prefix + QStringLiteral("rss_shmem_kib"), double(m.rssShmem)}};
}

} // namespace confab::bench
