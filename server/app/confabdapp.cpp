// SPDX-License-Identifier: GPL-3.0-or-later
#include "app/confabdapp.h"

#include "admin/admincommands.h"
#include "admin/backupcommands.h"
#include "admin/identitycommands.h"
#include "admin/migratecommand.h"
#include "app/backupscheduler.h"
#include "app/datafolderlock.h"
#include "app/servicenotifier.h"
#include "app/signalwatcher.h"
#include "chat/chatservice.h"
#include "core/logging.h"
#include "lan/beaconannouncer.h"
#include "lan/fingerprint.h"
#include "net/chatserver.h"
#include "net/eventloop.h"
#ifdef CONFAB_HAVE_AVAHI
#include "lan/mdnsadvertiser.h"
#endif

#include <QCommandLineParser>
#include <QCoreApplication>
#include <QTextStream>
#include <algorithm>
#include <csignal>
#include <cstdio>
#include <functional>
#include <memory>

#ifdef Q_OS_UNIX
#include <sys/resource.h>
#endif

using namespace Qt::StringLiterals;

namespace confab::server {

namespace {

bool buildConfig(const QCommandLineParser &parser, ServerConfig *config, QString *error)
{
    if (parser.isSet(u"config"_s) && !config->loadFile(parser.value(u"config"_s), error))
        return false;
    // Command-line flags win over the file.
    const QList<std::pair<QString, QString>> flags {
        {u"listen"_s, u"listen"_s},
        {u"port"_s, u"port"_s},
        {u"data"_s, u"data_dir"_s},
        {u"tls-cert"_s, u"tls_certificate"_s},
        {u"tls-key"_s, u"tls_key"_s},
        {u"registration"_s, u"registration"_s},
    };
    for (const auto &[flag, key] : flags) {
        if (parser.isSet(flag) && !config->set(key, parser.value(flag), error))
            return false;
    }
    const QStringList overrides = parser.values(u"set"_s);
    for (const QString &kv : overrides) {
        const qsizetype eq = kv.indexOf(u'=');
        if (eq <= 0) {
            *error = u"--set expects key=value, got '%1'"_s.arg(kv);
            return false;
        }
        if (!config->set(kv.left(eq).trimmed(), kv.mid(eq + 1), error))
            return false;
    }
    return config->validate(error);
}

void raiseDescriptorLimit(qint64 maxConnections)
{
#ifdef Q_OS_UNIX
    // Each connection is a descriptor, and the usual soft limit (1024) would refuse
    // clients long before max_connections. The hard limit is the operator's word.
    rlimit limit {};
    if (getrlimit(RLIMIT_NOFILE, &limit) != 0)
        return;
    const auto wanted = rlim_t(maxConnections + 1024);
    const rlim_t target
        = limit.rlim_max == RLIM_INFINITY ? wanted : std::min(limit.rlim_max, wanted);
    if (limit.rlim_cur != RLIM_INFINITY && limit.rlim_cur < target) {
        limit.rlim_cur = target;
        if (setrlimit(RLIMIT_NOFILE, &limit) == 0)
            qCInfo(lcServer) << "descriptor limit raised to" << qulonglong(target);
    }
    if (limit.rlim_cur != RLIM_INFINITY && qint64(limit.rlim_cur) < maxConnections + 64)
        qCWarning(lcServer) << "descriptor limit" << qulonglong(limit.rlim_cur)
                            << "is below max_connections; raise the hard limit (ulimit -Hn)";
#else
    Q_UNUSED(maxConnections);
#endif
}

/*!
 * \brief The UDP beacon (protocol §19.3) when discovery is on, else nullptr. Not starting
 * it is no reason to stop serving: people can still type the address.
 */
std::unique_ptr<BeaconAnnouncer> startBeacon(const ServerConfig &config, const ChatServer &server)
{
    if (!config.discovery)
        return nullptr;
    BeaconAnnouncer::Settings settings;
    settings.id = server.identity().id();
    settings.name = config.displayName();
    settings.port = server.port();
    settings.fingerprint = config.secure() ? server.servedFingerprint() : QString();
    settings.listen = config.listenAddress;
    // Accounts signed in on at least one connection (the size of a hash, so cheap at every
    // announcement): what "users online" means to someone choosing a server, where
    // connections would count one person's laptop and phone twice.
    auto beacon = std::make_unique<BeaconAnnouncer>(
        settings, [&server] { return server.service()->signedInUsers(); });
    QString error;
    if (!beacon->start(&error)) {
        qCWarning(lcLan).noquote() << error;
        return nullptr;
    }
    return beacon;
}

#ifdef CONFAB_HAVE_AVAHI
/*!
 * \brief The `_confab._tcp` service (protocol §19.5) when discovery is on, beside the beacon,
 * else nullptr. An absent avahi-daemon is waited for, not an error.
 */
std::unique_ptr<MdnsAdvertiser> startMdns(const ServerConfig &config, const ChatServer &server)
{
    if (!config.discovery)
        return nullptr;
    MdnsAdvertiser::Settings settings;
    settings.id = server.identity().id();
    settings.name = config.displayName();
    settings.port = server.port();
    settings.fingerprint = config.secure() ? server.servedFingerprint() : QString();
    settings.listen = config.listenAddress;
    auto mdns = std::make_unique<MdnsAdvertiser>(settings);
    QString error;
    if (!mdns->start(&error)) {
        qCWarning(lcLan).noquote() << error;
        return nullptr;
    }
    return mdns;
}
#endif

/*! \brief Re-reads the configuration as at start (file, then flags): for SIGHUP. */
using ConfigSource = std::function<bool(ServerConfig *, QString *)>;

void reload(ChatServer &server, const ConfigSource &source)
{
    qCInfo(lcServer) << "reloading the configuration";
    ServerConfig fresh;
    QString error;
    // An invalid file changes nothing at all: the running configuration stays whole.
    if (!source(&fresh, &error) || !server.reload(fresh, &error)) {
        qCWarning(lcServer).noquote() << "reload failed, the running configuration stays:" << error;
        return;
    }
    qCInfo(lcServer) << "configuration reloaded";
}

int serve(
    const ServerConfig &config, const ConfigSource &source, QTextStream &out, QTextStream &err)
{
#ifdef Q_OS_UNIX
    // SIGHUP's default action ends the process: one sent (systemctl reload) during a long
    // migration in start() would kill confabd. The SignalWatcher below takes it over.
    ::signal(SIGHUP, SIG_IGN);
#endif
    raiseDescriptorLimit(config.maxConnections);
    QString error;
    DataFolderLock lock(config.dataDir);
    if (!lock.acquire(&error)) {
        err << "confabd: " << error << Qt::endl;
        return ExitInUse;
    }
    ChatServer server(config);
    switch (server.start(&error)) {
    case ChatServer::StartError::None:
        break;
    case ChatServer::StartError::Config:
        err << "confabd: " << error << Qt::endl;
        return ExitUsage;
    case ChatServer::StartError::Database:
        err << "confabd: " << error << Qt::endl;
        return ExitDatabase;
    case ChatServer::StartError::Listen:
        err << "confabd: " << error << Qt::endl;
        return ExitListen;
    case ChatServer::StartError::Tls:
    case ChatServer::StartError::Identity:
        err << "confabd: " << error << Qt::endl;
        return ExitTls;
    }
    ServiceNotifier notifier([&server] { return server.service()->connectionCount(); });
    BackupScheduler backups(config);
    backups.start();
    SignalWatcher signals;
    QObject::connect(
        &signals, &SignalWatcher::terminationRequested, &notifier, &ServiceNotifier::stopping);
    QObject::connect(
        &signals, &SignalWatcher::terminationRequested, &server, &ChatServer::shutdown);
    QObject::connect(&server, &ChatServer::stopped, qApp, [] { QCoreApplication::exit(ExitOk); });
    QObject::connect(&signals, &SignalWatcher::reloadRequested, &server,
        [&server, &source] { reload(server, source); });
    // Scripts and tests read the real port (with --port 0) from this line.
    out << "confabd listening on " << server.url() << " (data: " << config.dataDir << ")"
        << Qt::endl;
    // The host reads the code to the people who join (docs/lan.md).
    if (config.secure())
        out << "confabd identity " << server.identity().id() << " code "
            << lan::shortCode(server.servedFingerprint()) << Qt::endl;
    const std::unique_ptr<BeaconAnnouncer> beacon = startBeacon(config, server);
    // Its bye as soon as the server stops taking people, not after the last one has gone.
    if (beacon)
        QObject::connect(
            &signals, &SignalWatcher::terminationRequested, beacon.get(), &BeaconAnnouncer::stop);
#ifdef CONFAB_HAVE_AVAHI
    const std::unique_ptr<MdnsAdvertiser> mdns = startMdns(config, server);
    // Withdrawn with the beacon's bye: avahi-daemon says goodbye for it at once.
    if (mdns)
        QObject::connect(
            &signals, &SignalWatcher::terminationRequested, mdns.get(), &MdnsAdvertiser::stop);
#endif
    // After the line: whoever waits for either may rely on the other being there too.
    notifier.ready();
    const int code = QCoreApplication::exec();
    qCInfo(lcServer) << "stopped";
    return code;
}

} // namespace

int runConfabd(int argc, char **argv)
{
    installEventDispatcher();
    QCoreApplication app(argc, argv);
    QCoreApplication::setApplicationName(u"confabd"_s);
    QCoreApplication::setApplicationVersion(QStringLiteral(CONFAB_VERSION));
    QTextStream out(stdout);
    QTextStream err(stderr);
    QTextStream in(stdin);

    QCommandLineParser parser;
    parser.setApplicationDescription(u"Confab chat server.\n\nCommands: serve (default), "_s
        + (admin::commandNames() + admin::backupCommandNames() + admin::identityCommandNames()
            + admin::migrateCommandNames())
              .join(u", "_s)
        + u".\nPasswords for add-user and reset-password are read from standard input."_s);
    parser.addHelpOption();
    parser.addVersionOption();
    parser.addOptions({
        {u"config"_s, u"Read settings from an INI file."_s, u"file"_s},
        {u"listen"_s, u"Address to listen on (default 127.0.0.1)."_s, u"address"_s},
        {u"port"_s, u"Port to listen on (default 8747; 0 picks a free one)."_s, u"port"_s},
        {u"data"_s, u"Data folder holding the database (default ./data)."_s, u"folder"_s},
        {u"tls-cert"_s, u"PEM certificate chain: serve wss:// instead of ws://."_s, u"file"_s},
        {u"tls-key"_s, u"PEM private key for --tls-cert."_s, u"file"_s},
        {u"registration"_s, u"open, invite or closed."_s, u"policy"_s},
        {u"set"_s, u"Set any configuration key (repeatable)."_s, u"key=value"_s},
        {u"min-size"_s, u"files list: only files of at least this many bytes."_s, u"bytes"_s},
        {u"user"_s, u"files list: only this user's files."_s, u"name"_s},
        {u"to"_s, u"migrate: the PostgreSQL database to copy into."_s, u"url"_s},
    });
    parser.addPositionalArgument(u"command"_s, u"serve or an admin command, then its arguments."_s);
    if (!parser.parse(QCoreApplication::arguments())) {
        err << "confabd: " << parser.errorText() << Qt::endl;
        return ExitUsage;
    }
    if (parser.isSet(u"help"_s)) {
        out << parser.helpText();
        return ExitOk;
    }
    if (parser.isSet(u"version"_s)) {
        out << "confabd " << QCoreApplication::applicationVersion() << Qt::endl;
        return ExitOk;
    }
    ServerConfig config;
    QString error;
    if (!buildConfig(parser, &config, &error)) {
        err << "confabd: " << error << Qt::endl;
        return ExitUsage;
    }
    QStringList args = parser.positionalArguments();
    // The parser takes every option wherever it stands; the admin command reads its own
    // filters as arguments.
    for (const QString &filter : {u"min-size"_s, u"user"_s, u"to"_s}) {
        if (parser.isSet(filter))
            args << u"--"_s + filter << parser.value(filter);
    }
    if (args.isEmpty() || args.first() == "serve"_L1) {
        if (args.size() > 1) {
            err << "confabd: serve takes no arguments" << Qt::endl;
            return ExitUsage;
        }
        return serve(
            config,
            [&parser](
                ServerConfig *fresh, QString *why) { return buildConfig(parser, fresh, why); },
            out, err);
    }
    for (const auto &command :
        {admin::backupCommand, admin::identityCommand, admin::migrateCommand}) {
        const int code = command(config, args, out, err);
        if (code >= 0)
            return code;
    }
    return admin::run(config, args, in, out, err);
}

} // namespace confab::server
