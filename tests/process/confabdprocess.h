// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QByteArray>
#include <QProcess>
#include <QSslConfiguration>
#include <QString>
#include <QStringList>
#include <QUrl>

namespace confab::test {

/*!
 * \brief The real confabd binary as a child process, with what it logs kept for asserting.
 */
class ConfabdProcess
{
public:
    ConfabdProcess() = default;
    ~ConfabdProcess();
    ConfabdProcess(const ConfabdProcess &) = delete;
    ConfabdProcess &operator=(const ConfabdProcess &) = delete;

    /*! \brief Starts `confabd --port 0 ARGS` and waits for its "listening on" line. */
    bool start(const QStringList &args);
    void stop();
    /*! \brief Sends \a signal (e.g. SIGHUP) to the process. */
    void signal(int signal);

    quint16 port() const { return m_port; }
    QUrl url() const { return m_url; }
    /*! \brief Everything it wrote to stderr so far (its log). */
    QByteArray log();
    /*! \brief Waits until the log contains \a text; true if it did in time. */
    bool waitForLog(const QByteArray &text, int timeoutMs = 5000);

private:
    QProcess m_process;
    QByteArray m_log;
    quint16 m_port = 0;
    QUrl m_url;
};

/*! \brief Writes a self-signed certificate for 127.0.0.1 (cert + key PEM) with openssl,
 * with \a extensions added as `openssl req -addext` takes them. */
bool makeCertificate(const QString &certPath, const QString &keyPath, const QString &commonName,
    const QStringList &extensions = {});
/*! \brief \a text as a DER UTF8String (tag, length, bytes). */
QByteArray derUtf8String(const QByteArray &text);
/*! \brief The value of line \a field ("id", "fingerprint", "code") that `confabd identity
 * ARGS` prints; empty if it fails. */
QString identityField(const QStringList &args, const QString &field);
/*! \brief A client TLS configuration that trusts exactly the certificate in \a certPath. */
QSslConfiguration pinnedTo(const QString &certPath);
/*! \brief A port that was free a moment ago on 127.0.0.1 (for programs that need one named). */
quint16 freePort();
/*! \brief Writes \a text to \a path (replacing it); false if it cannot. */
bool writeFile(const QString &path, const QByteArray &text);

} // namespace confab::test
