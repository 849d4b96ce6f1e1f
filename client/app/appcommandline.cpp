// SPDX-License-Identifier: GPL-3.0-or-later
#include "app/appcommandline.h"

#include <QCommandLineOption>
#include <QCommandLineParser>
#include <QCoreApplication>
#include <QTextStream>

using namespace Qt::StringLiterals;

namespace confab::client {

bool AppCommandLine::parse(const QStringList &arguments)
{
    QCommandLineParser parser;
    parser.setApplicationDescription(QCoreApplication::translate(
        "AppCommandLine", "Confab, a desktop chat client for confabd servers."));
    const QCommandLineOption help = parser.addHelpOption();
    const QCommandLineOption version = parser.addVersionOption();
    const QCommandLineOption server(u"server"_s,
        QCoreApplication::translate("AppCommandLine", "Server address, e.g. ws://127.0.0.1:8747."),
        u"url"_s);
    const QCommandLineOption user(u"user"_s,
        QCoreApplication::translate("AppCommandLine", "Username to sign in as."), u"name"_s);
    const QCommandLineOption passwordStdin(u"password-stdin"_s,
        QCoreApplication::translate("AppCommandLine",
            "Read the password from the first line of standard input and sign in."));
    parser.addOptions({server, user, passwordStdin});
    parser.addPositionalArgument(u"link"_s,
        QCoreApplication::translate("AppCommandLine",
            "A confab:// link to a message, opened once signed in (the desktop passes it)."),
        u"[link]"_s);

    if (!parser.parse(arguments)) {
        m_error = parser.errorText();
        return false;
    }
    if (parser.isSet(help))
        parser.showHelp(0);
    if (parser.isSet(version))
        parser.showVersion();
    const QStringList positional = parser.positionalArguments();
    // One link, as the desktop's x-scheme-handler passes it; anything else is a mistake.
    if (positional.size() > 1 || (positional.size() == 1 && !isMessageLink(positional.first()))) {
        m_error = QCoreApplication::translate("AppCommandLine", "Unexpected argument: %1")
                      .arg(positional.constLast());
        return false;
    }
    m_link = positional.value(0);

    m_serverUrl = parser.value(server).trimmed();
    m_username = parser.value(user).trimmed();
    m_passwordFromStdin = parser.isSet(passwordStdin);
    // Half a sign-in is almost certainly a mistake in a script: say so rather than
    // silently showing the sign-in page.
    if (m_passwordFromStdin && (m_serverUrl.isEmpty() || m_username.isEmpty())) {
        m_error = QCoreApplication::translate(
            "AppCommandLine", "--password-stdin needs --server and --user as well.");
        return false;
    }
    return true;
}

bool AppCommandLine::readPassword(QTextStream &in)
{
    if (!m_passwordFromStdin)
        return false;
    m_password = in.readLine();
    if (m_password.isEmpty()) {
        m_error = QCoreApplication::translate("AppCommandLine", "No password on standard input.");
        return false;
    }
    return true;
}

bool AppCommandLine::signsIn() const
{
    return m_passwordFromStdin && !m_serverUrl.isEmpty() && !m_username.isEmpty()
        && !m_password.isEmpty();
}

} // namespace confab::client
