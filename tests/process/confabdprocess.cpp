// SPDX-License-Identifier: GPL-3.0-or-later
#include "confabdprocess.h"

#include "testclient.h"

#include <QFile>
#include <QRegularExpression>
#include <QSaveFile>
#include <QSslCertificate>
#include <QTcpServer>
#include <csignal>

using namespace Qt::StringLiterals;

namespace confab::test {

ConfabdProcess::~ConfabdProcess()
{
    stop();
}

bool ConfabdProcess::start(const QStringList &args)
{
    m_process.setProgram(QStringLiteral(CONFABD_PATH));
    m_process.setArguments(QStringList {u"--port"_s, u"0"_s} + args);
    m_process.start();
    if (!m_process.waitForStarted(5000))
        return false;
    static const QRegularExpression line(u"listening on (wss?://127\\.0\\.0\\.1:(\\d+))"_s);
    QByteArray out;
    TestClient::waitUntil(
        [&] {
            out += m_process.readAllStandardOutput();
            return line.match(QString::fromUtf8(out)).hasMatch()
                || m_process.state() == QProcess::NotRunning;
        },
        15000);
    const auto match = line.match(QString::fromUtf8(out));
    if (!match.hasMatch()) {
        qWarning() << "confabd did not start:" << out << log();
        return false;
    }
    m_url = QUrl(match.captured(1));
    m_port = quint16(match.captured(2).toUInt());
    return true;
}

void ConfabdProcess::stop()
{
    if (m_process.state() == QProcess::NotRunning)
        return;
    m_process.terminate();
    if (!m_process.waitForFinished(10000)) {
        m_process.kill();
        m_process.waitForFinished();
    }
}

void ConfabdProcess::signal(int signal)
{
    ::kill(pid_t(m_process.processId()), signal);
}

QByteArray ConfabdProcess::log()
{
    m_log += m_process.readAllStandardError();
    return m_log;
}

bool ConfabdProcess::waitForLog(const QByteArray &text, int timeoutMs)
{
    return TestClient::waitUntil([&] { return log().contains(text); }, timeoutMs);
}

bool makeCertificate(const QString &certPath, const QString &keyPath, const QString &commonName,
    const QStringList &extensions)
{
    QStringList args {u"req"_s, u"-x509"_s, u"-newkey"_s, u"ec"_s, u"-pkeyopt"_s,
        u"ec_paramgen_curve:prime256v1"_s, u"-nodes"_s, u"-days"_s, u"2"_s, u"-subj"_s,
        u"/CN="_s + commonName, u"-addext"_s, u"subjectAltName=IP:127.0.0.1"_s, u"-keyout"_s,
        keyPath, u"-out"_s, certPath};
    for (const QString &extension : extensions)
        args << u"-addext"_s << extension;
    QProcess openssl;
    openssl.start(u"openssl"_s, args);
    if (!openssl.waitForFinished(30000) || openssl.exitStatus() != QProcess::NormalExit
        || openssl.exitCode() != 0) {
        qWarning() << "openssl failed:" << openssl.errorString() << openssl.readAllStandardError();
        return false;
    }
    return true;
}

QByteArray derUtf8String(const QByteArray &text)
{
    QByteArray der(1, char(0x0c));
    const qsizetype size = text.size();
    if (size < 0x80) {
        der += char(size);
    } else {
        QByteArray length;
        for (qsizetype rest = size; rest > 0; rest >>= 8)
            length.prepend(char(rest & 0xff));
        der += char(0x80 | length.size());
        der += length;
    }
    return der + text;
}

QString identityField(const QStringList &args, const QString &field)
{
    QProcess confabd;
    confabd.start(QStringLiteral(CONFABD_PATH), QStringList {u"identity"_s} + args);
    if (!confabd.waitForFinished(15000) || confabd.exitCode() != 0)
        return {};
    for (const QString &line : QString::fromUtf8(confabd.readAllStandardOutput()).split(u'\n')) {
        if (line.startsWith(field + u' '))
            return line.mid(field.size()).trimmed();
    }
    return {};
}

QSslConfiguration pinnedTo(const QString &certPath)
{
    QSslConfiguration tls = QSslConfiguration::defaultConfiguration();
    tls.setCaCertificates(QSslCertificate::fromPath(certPath));
    tls.setPeerVerifyMode(QSslSocket::VerifyPeer);
    return tls;
}

quint16 freePort()
{
    QTcpServer probe;
    if (!probe.listen(QHostAddress::LocalHost, 0))
        return 0;
    return probe.serverPort();
}

bool writeFile(const QString &path, const QByteArray &text)
{
    QSaveFile file(path);
    return file.open(QIODevice::WriteOnly) && file.write(text) == text.size() && file.commit();
}

} // namespace confab::test
