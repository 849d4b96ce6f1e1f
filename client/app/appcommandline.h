// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QString>
#include <QStringList>

class QTextStream;

namespace confab::client {

/*!
 * \brief The app's command line. `--server URL --user NAME --password-stdin` signs in at
 * start-up without the sign-in page (tools/run uses it); the password never appears in
 * the process list because it is read from standard input.
 */
class AppCommandLine
{
public:
    /*! \brief Parses \a arguments (argv, program name first). False on a usage error;
     * errorText() says why. --help and --version print and exit. */
    bool parse(const QStringList &arguments);

    /*! \brief Reads the password line when --password-stdin was given. False if it is
     * missing or empty. */
    bool readPassword(QTextStream &in);

    /*! \brief All three of server, user and password are there: sign in directly. */
    bool signsIn() const;

    QString serverUrl() const { return m_serverUrl; }
    QString username() const { return m_username; }
    QString password() const { return m_password; }
    bool passwordFromStdin() const { return m_passwordFromStdin; }
    QString errorText() const { return m_error; }
    /*! \brief A confab:// message link to open once signed in; empty if none. */
    QString link() const { return m_link; }
    static bool isMessageLink(const QString &argument)
    {
        return argument.startsWith(QLatin1StringView("confab://"));
    }

private:
    QString m_serverUrl;
    QString m_username;
    QString m_password;
    bool m_passwordFromStdin = false;
    QString m_error;
    QString m_link;
};

} // namespace confab::client
