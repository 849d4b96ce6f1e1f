// SPDX-License-Identifier: GPL-3.0-or-later
#include "net/frametap.h"

#include "core/logging.h"

#include <QByteArray>
#include <QCoreApplication>
#include <QDir>
#include <QFile>
#include <QRegularExpression>
#include <cstdio>

using namespace Qt::StringLiterals;

namespace confab::server::frametap {

namespace {

FILE *openLog()
{
    const QString folder = qEnvironmentVariable("CONFAB_FRAME_LOG");
    if (folder.isEmpty())
        return nullptr;
    QDir().mkpath(folder);
    // The program's name tells the validator which test (or confabd) sent the frames.
    QString program = QCoreApplication::applicationName();
    program.replace(QRegularExpression(u"[^A-Za-z0-9_.]"_s), u"_"_s);
    const QString path = QDir(folder).filePath(
        u"frames-%1-%2.jsonl"_s.arg(program.isEmpty() ? u"process"_s : program)
            .arg(QCoreApplication::applicationPid()));
    FILE *file = std::fopen(QFile::encodeName(path).constData(), "a");
    if (!file) {
        qCWarning(lcNet) << "CONFAB_FRAME_LOG: cannot append to" << path;
        return nullptr;
    }
    // Line-buffered: a test that kills the server loses no whole frame. Never closed: the
    // process's exit flushes it.
    std::setvbuf(file, nullptr, _IOLBF, 1 << 16);
    return file;
}

} // namespace

void record(QByteArrayView utf8)
{
    static FILE *const log = openLog();
    if (!log)
        return;
    QByteArray line;
    line.reserve(utf8.size() + 1);
    line.append(utf8).append('\n');
    // One call per line: stdio locks the stream for it, so threads never interleave lines.
    std::fwrite(line.constData(), 1, size_t(line.size()), log);
}

} // namespace confab::server::frametap
