// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QProcess>
#include <QString>
#include <QStringList>

namespace confab::test {

/*! \brief What a `confabd` command (an admin or backup command) ended with. */
struct CommandResult
{
    int code = -1; //!< the exit code; -1 if it crashed or did not finish
    QString out;
    QString err;
};

/*!
 * \brief Runs `confabd ARGS` (the test's CONFABD_PATH) to its end, with \a input on its
 * standard input; at most 30 s.
 */
inline CommandResult confabd(const QStringList &args, const QByteArray &input = {})
{
    QProcess p;
    p.start(QStringLiteral(CONFABD_PATH), args);
    p.write(input);
    p.closeWriteChannel();
    p.waitForFinished(30000);
    return {p.exitStatus() == QProcess::NormalExit ? p.exitCode() : -1,
        QString::fromUtf8(p.readAllStandardOutput()), QString::fromUtf8(p.readAllStandardError())};
}

} // namespace confab::test
