// SPDX-License-Identifier: GPL-3.0-or-later
#include "hosting/hostedserver.h"

#include "core/clientlogging.h"
#include "lan/invitelink.h"

#include <QCoreApplication>
#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QNetworkInterface>
#include <QRegularExpression>
#include <QSettings>
#include <QStandardPaths>
#include <QSysInfo>
#include <QTimer>

#ifdef Q_OS_LINUX
#include <csignal>
#include <sys/prctl.h>
#endif

using namespace Qt::StringLiterals;

namespace confab::client {

namespace {

// confabd's exit code when it cannot listen (docs/operations.md): the preferred port is taken.
constexpr int ExitListen = 3;
// Written in the data folder once the host's account is made and an admin.
constexpr auto AccountMadeFile = "host-account";
// Whether the app was hosting when it quit, and as what (QSettings, the app's own file).
constexpr auto HostingKey = "hosting/enabled";
constexpr auto NameKey = "hosting/serverName";
// The port it last served on: neighbours saved this computer's address with it, so a later
// start tries that one before the preferred port (8747 may have been taken back then).
constexpr auto PortKey = "hosting/port";
// How long a graceful stop may take before the child is killed: shutdown answers what it
// accepted and flushes the database, which takes well under a second on any disk.
constexpr int StopGraceMs = 10'000;

QString lastLines(const QByteArray &text)
{
    const QStringList lines = QString::fromUtf8(text).split(u'\n', Qt::SkipEmptyParts);
    return lines.mid(std::max<qsizetype>(0, lines.size() - 3)).join(u'\n');
}

void endWithParent([[maybe_unused]] QProcess *process)
{
#ifdef Q_OS_LINUX
    // If the app dies without stopping it, the server must not linger unseen, holding
    // the port and the data folder's lock.
    process->setChildProcessModifier([] { ::prctl(PR_SET_PDEATHSIG, SIGTERM); });
#endif
}

} // namespace

HostedServer::HostedServer(QObject *parent)
    : QObject(parent)
    , m_dataFolder(QDir(QStandardPaths::writableLocation(QStandardPaths::AppDataLocation))
                       .filePath(u"hosted-server"_s))
{
    // Only the beacon counts people online; mDNS would add a row without a count.
    m_beacons.setUseMdns(false);
    for (const auto signal : {&QAbstractItemModel::rowsInserted, &QAbstractItemModel::rowsRemoved})
        connect(&m_beacons, signal, this, &HostedServer::countUsersOnline);
    connect(&m_beacons, &QAbstractItemModel::dataChanged, this, &HostedServer::countUsersOnline);
}

HostedServer::~HostedServer()
{
    if (m_command) {
        m_command->disconnect(this);
        m_command->kill();
        m_command->waitForFinished(StopGraceMs);
    }
    if (m_server) {
        m_server->disconnect(this);
        m_server->terminate();
        if (!m_server->waitForFinished(StopGraceMs))
            m_server->kill();
        m_server->waitForFinished();
    }
}

QString HostedServer::program() const
{
    if (!m_program.isEmpty())
        return m_program;
    QString beside = QDir(QCoreApplication::applicationDirPath()).filePath(u"confabd"_s);
    if (QFileInfo(beside).isExecutable())
        return beside;
    return QStandardPaths::findExecutable(u"confabd"_s);
}

QStringList HostedServer::dataArguments() const
{
    return {u"--data"_s, m_dataFolder, u"--set"_s, u"tls_self_signed=true"_s};
}

bool HostedServer::hasAccount() const
{
    // Not the database: add-user makes it before it checks the name and password, so a
    // refused first start would otherwise look like a finished one.
    return QFileInfo::exists(QDir(m_dataFolder).filePath(QLatin1StringView(AccountMadeFile)));
}

void HostedServer::start(
    const QString &serverName, const QString &adminName, const QString &password)
{
    if (m_state == Starting || m_state == Running || m_state == Stopping)
        return;
    if (program().isEmpty()) {
        fail(tr("The Confab server (confabd) is not installed on this computer."));
        return;
    }
    // Named always, so that what the bar and the links say is what hello says.
    m_serverName = serverName.trimmed().isEmpty() ? QSysInfo::machineHostName().left(64)
                                                  : serverName.trimmed().left(64);
    m_errorText.clear();
    QSettings settings;
    settings.setValue(QLatin1StringView(HostingKey), true);
    settings.setValue(QLatin1StringView(NameKey), m_serverName);
    setState(Starting);
    const bool firstStart = !hasAccount();
    if (firstStart && (adminName.isEmpty() || password.isEmpty())) {
        fail(tr("Choose a name and a password for your account on the new server."));
        return;
    }
    // The name goes into the certificate when the identity is made (its first start).
    runCommand(
        dataArguments() + QStringList {u"--set"_s, u"server_name="_s + m_serverName, u"identity"_s},
        {}, [this, firstStart, adminName, password](const QByteArray &out) {
            readIdentity(out);
            if (m_fingerprint.isEmpty()) {
                fail(tr("The server did not say which certificate it serves."));
                return;
            }
            if (!firstStart) {
                serve(portToTry());
                return;
            }
            runCommand(dataArguments() + QStringList {u"add-user"_s, adminName},
                password.toUtf8() + '\n', [this, adminName](const QByteArray &) {
                    runCommand(dataArguments() + QStringList {u"set-admin"_s, adminName, u"on"_s},
                        {}, [this](const QByteArray &) {
                            QFile made(
                                QDir(m_dataFolder).filePath(QLatin1StringView(AccountMadeFile)));
                            if (!made.open(QIODevice::WriteOnly)) {
                                fail(tr("Cannot write in %1.").arg(m_dataFolder));
                                return;
                            }
                            serve(portToTry());
                        });
                });
        });
}

void HostedServer::runCommand(const QStringList &args, const QByteArray &input,
    const std::function<void(const QByteArray &out)> &next)
{
    m_command = new QProcess(this);
    endWithParent(m_command);
    connect(m_command, &QProcess::finished, this,
        [this, next, command = args.mid(dataArguments().size()).join(u' ')](
            int exitCode, QProcess::ExitStatus status) {
            QProcess *done = std::exchange(m_command, nullptr);
            done->deleteLater();
            if (m_state != Starting)
                return;
            if (status != QProcess::NormalExit || exitCode != 0) {
                const QByteArray err = done->readAllStandardError();
                qCWarning(lcClientHosting) << "confabd" << command << "failed:" << exitCode << err;
                fail(tr("The server could not be prepared: %1").arg(lastLines(err)));
                return;
            }
            next(done->readAllStandardOutput());
        });
    connect(m_command, &QProcess::errorOccurred, this, [this](QProcess::ProcessError error) {
        if (error == QProcess::FailedToStart && m_command) {
            m_command->deleteLater();
            m_command = nullptr;
            fail(tr("The Confab server (confabd) could not be started."));
        }
    });
    m_command->start(program(), args);
    if (!input.isEmpty()) {
        m_command->write(input);
        m_command->closeWriteChannel();
    }
}

void HostedServer::readIdentity(const QByteArray &out)
{
    for (const QByteArray &line : out.split('\n')) {
        const qsizetype space = line.indexOf(' ');
        const QByteArray key = line.left(space);
        const QString value = QString::fromUtf8(line.mid(space + 1)).trimmed();
        if (key == "id")
            m_serverId = value;
        else if (key == "fingerprint")
            m_fingerprint = value;
        else if (key == "code")
            m_shortCode = value;
    }
}

quint16 HostedServer::portToTry() const
{
    if (m_preferredPort == 0)
        return 0;
    const uint saved = QSettings().value(QLatin1StringView(PortKey)).toUInt();
    return saved > 0 && saved <= 65535 ? quint16(saved) : m_preferredPort;
}

void HostedServer::serve(quint16 port)
{
    m_triedPort = port;
    m_serverOutput.clear();
    m_server = new QProcess(this);
    endWithParent(m_server);
    // The server's log is its own business; its stdout carries the lines read below.
    m_server->setProcessChannelMode(QProcess::SeparateChannels);
    m_server->setStandardErrorFile(
        QDir(m_dataFolder).filePath(u"confabd.log"_s), QIODevice::Append);
    connect(m_server, &QProcess::readyReadStandardOutput, this, &HostedServer::onServeOutput);
    connect(m_server, &QProcess::finished, this, &HostedServer::onServeFinished);
    QStringList args = dataArguments();
    args << u"--listen"_s << u"0.0.0.0"_s << u"--port"_s << QString::number(port) << u"--set"_s
         << u"discovery=true"_s;
    args << u"--set"_s << u"server_name="_s + m_serverName;
    args << u"serve"_s;
    qCInfo(lcClientHosting) << "starting" << program() << "on port" << port;
    m_server->start(program(), args);
}

void HostedServer::onServeOutput()
{
    m_serverOutput += m_server->readAllStandardOutput();
    if (m_state != Starting)
        return;
    static const QRegularExpression listening(u"listening on wss://[^ ]*:(\\d+) "_s);
    const auto match = listening.match(QString::fromUtf8(m_serverOutput));
    if (!match.hasMatch())
        return;
    const QString port = match.captured(1);
    m_url = QUrl(u"wss://127.0.0.1:"_s + port);
    m_addresses.clear();
    for (const QHostAddress &address : QNetworkInterface::allAddresses()) {
        if (address.isLoopback() || address.protocol() != QAbstractSocket::IPv4Protocol)
            continue;
        m_addresses << u"wss://%1:%2"_s.arg(address.toString(), port);
    }
    qCInfo(lcClientHosting) << "hosting on port" << port << "for" << m_addresses;
    QSettings().setValue(QLatin1StringView(PortKey), port.toUInt());
    setState(Running);
}

void HostedServer::onServeFinished(int exitCode, QProcess::ExitStatus status)
{
    QProcess *done = std::exchange(m_server, nullptr);
    done->deleteLater();
    const State was = m_state;
    if (was == Starting && status == QProcess::NormalExit && exitCode == ExitListen
        && m_triedPort != 0) {
        qCInfo(lcClientHosting) << "port" << m_triedPort << "is taken: using a free one";
        serve(0);
        return;
    }
    m_url.clear();
    m_addresses.clear();
    if (was == Stopping) {
        setState(Stopped);
        return;
    }
    qCWarning(lcClientHosting) << "the hosted server ended:" << exitCode << status;
    fail(status == QProcess::NormalExit ? tr("The server stopped (exit code %1); its log is in %2.")
                                              .arg(exitCode)
                                              .arg(QDir(m_dataFolder).filePath(u"confabd.log"_s))
                                        : tr("The server crashed; its log is in %1.")
                                              .arg(QDir(m_dataFolder).filePath(u"confabd.log"_s)));
}

void HostedServer::resume()
{
    if (m_state == Stopped && hasAccount()
        && QSettings().value(QLatin1StringView(HostingKey)).toBool())
        start(lastServerName(), QString(), QString());
}

QString HostedServer::inviteLink(const QString &address, const QString &inviteCode) const
{
    if (m_state != Running || !m_addresses.contains(address))
        return {};
    const QUrl url(address);
    lan::InviteLink link;
    link.host = url.host();
    link.port = quint16(url.port());
    link.fingerprint = m_fingerprint;
    link.serverId = m_serverId;
    link.name = m_serverName;
    link.invite = inviteCode.trimmed();
    return link.toString();
}

QString HostedServer::lastServerName() const
{
    const QString saved = QSettings().value(QLatin1StringView(NameKey)).toString();
    return saved.isEmpty() ? QSysInfo::machineHostName().left(64) : saved;
}

void HostedServer::stop()
{
    QSettings().setValue(QLatin1StringView(HostingKey), false);
    if (m_command) {
        m_command->disconnect(this);
        m_command->kill();
        m_command->deleteLater();
        m_command = nullptr;
    }
    if (!m_server) {
        setState(Stopped);
        return;
    }
    setState(Stopping);
    m_server->terminate();
    QProcess *server = m_server;
    QTimer::singleShot(StopGraceMs, server, [server] { server->kill(); });
}

void HostedServer::fail(const QString &why)
{
    m_errorText = why;
    setState(Failed);
}

void HostedServer::setState(State state)
{
    if (m_state == state && state != Failed)
        return;
    m_state = state;
    m_beacons.setActive(state == Running);
    countUsersOnline();
    Q_EMIT stateChanged();
}

void HostedServer::countUsersOnline()
{
    int count = 0;
    for (int row = 0; m_state == Running && row < m_beacons.rowCount(); ++row) {
        const QModelIndex index = m_beacons.index(row);
        if (index.data(NearbyServers::ServerIdRole).toString() == m_serverId)
            count = index.data(NearbyServers::UsersOnlineRole).toInt();
    }
    if (count == m_usersOnline)
        return;
    m_usersOnline = count;
    Q_EMIT usersOnlineChanged();
}

} // namespace confab::client
