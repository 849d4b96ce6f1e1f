// SPDX-License-Identifier: GPL-3.0-or-later
#include "core/serverconfig.h"

#include "protocol/moveaddress.h"
#include "storage/postgres/pgaddress.h"

#include <QDir>
#include <QFileInfo>
#include <QSettings>
#include <QSysInfo>
#include <QThread>
#include <algorithm>
#include <functional>
#include <limits>

using namespace Qt::StringLiterals;

namespace confab::server {

QString registrationPolicyName(RegistrationPolicy policy)
{
    switch (policy) {
    case RegistrationPolicy::Open:
        return u"open"_s;
    case RegistrationPolicy::Invite:
        return u"invite"_s;
    case RegistrationPolicy::Closed:
        return u"closed"_s;
    }
    return u"closed"_s;
}

std::optional<RegistrationPolicy> registrationPolicyFromName(QStringView name)
{
    for (const RegistrationPolicy p :
        {RegistrationPolicy::Open, RegistrationPolicy::Invite, RegistrationPolicy::Closed}) {
        if (name == registrationPolicyName(p))
            return p;
    }
    return std::nullopt;
}

QString ServerConfig::databasePath() const
{
    return QDir(dataDir).filePath(u"confab.sqlite3"_s);
}

QString ServerConfig::databaseDisplay() const
{
    QString ignored; // database was checked when it was set
    return usesPostgres() ? postgres::PgAddress::fromUrl(database, &ignored).displayUrl()
                          : databasePath();
}

QString ServerConfig::filesPath() const
{
    return filesDir.isEmpty() ? QDir(dataDir).filePath(u"files"_s) : filesDir;
}

QString ServerConfig::backupPath() const
{
    return QFileInfo(backupDir.isEmpty() ? QDir(dataDir).filePath(u"backups"_s) : backupDir)
        .absoluteFilePath();
}

namespace {
bool toInt(const QString &value, qint64 low, qint64 high, qint64 *out)
{
    bool ok = false;
    *out = value.trimmed().toLongLong(&ok);
    return ok && *out >= low && *out <= high;
}
} // namespace

bool ServerConfig::set(const QString &key, const QString &rawValue, QString *error)
{
    const QString value = rawValue.trimmed();
    const auto integer = [&](auto &field, qint64 low, qint64 high) {
        qint64 v = 0;
        if (!toInt(value, low, high, &v)) {
            *error = u"%1: expected an integer from %2 to %3, got '%4'"_s.arg(key)
                         .arg(low)
                         .arg(high)
                         .arg(value);
            return false;
        }
        field = std::remove_reference_t<decltype(field)>(v);
        return true;
    };
    constexpr qint64 Big = std::numeric_limits<int>::max();

    if (key == "listen"_L1) {
        QHostAddress a;
        if (!a.setAddress(value)) {
            *error = u"listen: '%1' is not an IP address"_s.arg(value);
            return false;
        }
        listenAddress = a;
        return true;
    }
    if (key == "port"_L1)
        return integer(port, 0, 65535);
    if (key == "data_dir"_L1) {
        dataDir = value;
        return true;
    }
    if (key == "database"_L1) {
        if (!value.isEmpty()) {
            postgres::PgAddress::fromUrl(value, error);
            if (!error->isEmpty())
                return false;
        }
        database = value;
        return true;
    }
    if (key == "files_dir"_L1) {
        filesDir = value;
        return true;
    }
    if (key == "backup_dir"_L1) {
        backupDir = value;
        return true;
    }
    if (key == "tls_certificate"_L1) {
        tlsCertificate = value;
        return true;
    }
    if (key == "tls_key"_L1) {
        tlsKey = value;
        return true;
    }
    const auto boolean = [&](bool &field) {
        static const QStringList yes {u"true"_s, u"on"_s, u"yes"_s, u"1"_s};
        static const QStringList no {u"false"_s, u"off"_s, u"no"_s, u"0"_s};
        if (!yes.contains(value.toLower()) && !no.contains(value.toLower())) {
            *error = u"%1: expected true or false, got '%2'"_s.arg(key, value);
            return false;
        }
        field = yes.contains(value.toLower());
        return true;
    };
    if (key == "tls_self_signed"_L1)
        return boolean(tlsSelfSigned);
    if (key == "discovery"_L1)
        return boolean(discovery);
    if (key == "server_name"_L1) {
        // Shown in other people's server lists and in the certificate: one short line.
        const bool control = std::any_of(value.begin(), value.end(),
            [](QChar c) { return c.category() == QChar::Other_Control; });
        if (value.size() > 64 || control) {
            *error = u"server_name: at most 64 characters, none of them control characters"_s;
            return false;
        }
        serverName = value;
        return true;
    }
    if (key == "moved_to"_L1) {
        // Every client follows it without asking: refuse whatever they would not.
        if (!value.isEmpty() && !protocol::moveAddress(value).isValid()) {
            *error = u"moved_to: expected a ws:// or wss:// URL with a host and at most a port "
                     "(no user, path, query or fragment), got '%1'"_s.arg(value);
            return false;
        }
        movedTo = value.isEmpty() ? QString() : protocol::moveAddress(value).toString();
        return true;
    }
    if (key == "registration"_L1) {
        const std::optional<RegistrationPolicy> policy = registrationPolicyFromName(value);
        if (!policy) {
            *error = u"registration: expected open, invite or closed, got '%1'"_s.arg(value);
            return false;
        }
        registration = *policy;
        return true;
    }
    if (key == "allowed_origins"_L1) {
        allowedOrigins = value.split(u',', Qt::SkipEmptyParts);
        for (QString &o : allowedOrigins)
            o = o.trimmed();
        return true;
    }
    if (key == "trusted_proxies"_L1)
        return trustedProxies.parse(value, error);
    if (key == "metrics_allow"_L1) // the same address-and-subnet list as trusted_proxies
        return metricsAllow.parse(value, error, key);
    if (key == "durability"_L1) {
        if (value == "full"_L1)
            durability = Durability::Full;
        else if (value == "normal"_L1)
            durability = Durability::Normal;
        else {
            *error = u"durability: expected full or normal, got '%1'"_s.arg(value);
            return false;
        }
        return true;
    }
    using F = std::function<bool()>;
    const QHash<QString, F> integers {
        {u"max_frame_bytes"_s,
            [&] { return integer(limits.maxFrameBytes, 1024, 16 * 1024 * 1024); }},
        {u"max_text_bytes"_s, [&] { return integer(limits.maxTextBytes, 1, 1024 * 1024); }},
        {u"history_page_max"_s, [&] { return integer(limits.historyPageMax, 1, 10'000); }},
        {u"resume_max"_s, [&] { return integer(limits.resumeMax, 1, 100'000); }},
        {u"rate_per_second"_s, [&] { return integer(limits.ratePerSecond, 1, 1'000'000); }},
        {u"rate_burst"_s, [&] { return integer(limits.rateBurst, 1, 1'000'000); }},
        {u"auth_timeout_ms"_s, [&] { return integer(limits.authTimeoutMs, 100, Big); }},
        {u"typing_ttl_ms"_s, [&] { return integer(limits.typingTtlMs, 100, Big); }},
        {u"heartbeat_interval_ms"_s, [&] { return integer(limits.heartbeatIntervalMs, 100, Big); }},
        {u"max_file_bytes"_s, [&] { return integer(limits.maxFileBytes, 0, qint64(1) << 40); }},
        {u"max_chunk_bytes"_s,
            [&] { return integer(limits.maxChunkBytes, 4096, 4 * 1024 * 1024); }},
        {u"download_window_bytes"_s,
            [&] { return integer(limits.downloadWindowBytes, 4096, qint64(1) << 30); }},
        {u"uploads_in_flight"_s, [&] { return integer(limits.uploadsInFlight, 1, 10'000); }},
        {u"quota_bytes"_s, [&] { return integer(limits.quotaBytes, 0, qint64(1) << 50); }},
        {u"chunk_rate_per_second"_s,
            [&] { return integer(limits.chunkRatePerSecond, 1, 1'000'000); }},
        {u"upload_expiry_hours"_s, [&] { return integer(limits.uploadExpiryHours, 1, 8760); }},
        {u"io_threads"_s, [&] { return integer(ioThreads, 0, 64); }},
        {u"max_connections"_s, [&] { return integer(maxConnections, 1, Big); }},
        {u"max_connections_per_address"_s,
            [&] { return integer(maxConnectionsPerAddress, 1, Big); }},
        {u"max_outbound_bytes"_s, [&] { return integer(maxOutboundBytes, 1024, qint64(1) << 34); }},
        {u"max_outbound_bytes_per_address"_s,
            [&] { return integer(maxOutboundBytesPerAddress, 1024, qint64(1) << 40); }},
        {u"max_outbound_bytes_per_account"_s,
            [&] { return integer(maxOutboundBytesPerAccount, 1024, qint64(1) << 40); }},
        {u"max_reply_bytes"_s, [&] { return integer(maxReplyBytes, 64 * 1024, qint64(1) << 30); }},
        {u"handshake_timeout_ms"_s, [&] { return integer(handshakeTimeoutMs, 100, Big); }},
        {u"token_lifetime_days"_s, [&] { return integer(tokenLifetimeDays, 1, 3650); }},
        {u"login_free_failures"_s, [&] { return integer(loginFreeFailures, 1, 1000); }},
        {u"login_address_free_failures"_s,
            [&] { return integer(loginAddressFreeFailures, 1, 1'000'000); }},
        {u"redaction_purge_delay_s"_s, [&] { return integer(redactionPurgeDelayS, 0, 86'400); }},
        // QTimer counts int milliseconds: 2147483 s (about 24.8 days) is the longest it waits.
        {u"backup_interval_s"_s, [&] { return integer(backupIntervalS, 0, 2'147'483); }},
        {u"backup_keep"_s, [&] { return integer(backupKeep, 1, 10'000); }},
    };
    const auto it = integers.constFind(key);
    if (it == integers.cend()) {
        *error = u"unknown setting '%1'"_s.arg(key);
        return false;
    }
    return it.value()();
}

bool ServerConfig::loadFile(const QString &path, QString *error)
{
    if (!QFileInfo(path).isReadable()) {
        *error = u"cannot read config file %1"_s.arg(path);
        return false;
    }
    QSettings ini(path, QSettings::IniFormat);
    if (ini.status() != QSettings::NoError) {
        *error = u"config file %1 is not valid INI"_s.arg(path);
        return false;
    }
    const QStringList keys = ini.allKeys();
    for (const QString &fullKey : keys) {
        // Only [server] or top-level keys exist; anything else is a typo worth reporting.
        QString key = fullKey;
        if (key.startsWith("server/"_L1))
            key = key.mid(7);
        else if (key.contains(u'/')) {
            *error = u"%1: unknown section in '%2'"_s.arg(path, fullKey);
            return false;
        }
        const QVariant v = ini.value(fullKey);
        // QSettings splits unquoted commas into a list; join it back for list-valued keys.
        const QString value
            = v.typeId() == QMetaType::QStringList ? v.toStringList().join(u',') : v.toString();
        QString why;
        if (!set(key, value, &why)) {
            *error = u"%1: %2"_s.arg(path, why);
            return false;
        }
    }
    return true;
}

bool ServerConfig::mayReadMetrics(const QHostAddress &client) const
{
    return metricsAllow.contains(client);
}

bool ServerConfig::validate(QString *error) const
{
    if (tlsCertificate.isEmpty() != tlsKey.isEmpty()) {
        *error = u"tls_certificate and tls_key must be set together"_s;
        return false;
    }
    if (tlsSelfSigned && !tlsCertificate.isEmpty()) {
        *error = u"tls_self_signed and tls_certificate exclude each other"_s;
        return false;
    }
    if (limits.maxTextBytes + 1024 > limits.maxFrameBytes) {
        *error = u"max_frame_bytes must exceed max_text_bytes by at least 1024"_s;
        return false;
    }
    if (limits.downloadWindowBytes < limits.maxChunkBytes) {
        *error = u"download_window_bytes must be at least max_chunk_bytes"_s;
        return false;
    }
    if (limits.rateBurst < 1 || limits.ratePerSecond < 1) {
        *error = u"rate limits must be positive"_s;
        return false;
    }
    // Behind a TLS proxy this server cannot tell what its clients use; serving TLS itself,
    // it knows they would all refuse the move (and each user would see why).
    if (secure() && movedTo.startsWith("ws://"_L1)) {
        *error = u"moved_to: this server serves wss://, and clients do not follow a move from "
                 "wss:// to ws://"_s;
        return false;
    }
    return true;
}

QList<std::pair<QString, QString>> ServerConfig::settings() const
{
    const auto n = [](qint64 v) { return QString::number(v); };
    const protocol::Limits &l = limits;
    return {
        {u"listen"_s, listenAddress.toString()},
        {u"port"_s, n(port)},
        {u"data_dir"_s, dataDir},
        {u"files_dir"_s, filesDir},
        {u"database"_s, usesPostgres() ? databaseDisplay() : QString()},
        {u"tls_certificate"_s, tlsCertificate},
        {u"tls_key"_s, tlsKey},
        {u"tls_self_signed"_s, tlsSelfSigned ? u"true"_s : u"false"_s},
        {u"server_name"_s, serverName},
        {u"discovery"_s, discovery ? u"true"_s : u"false"_s},
        {u"moved_to"_s, movedTo},
        {u"registration"_s, registrationPolicyName(registration)},
        {u"allowed_origins"_s, allowedOrigins.join(u", "_s)},
        {u"trusted_proxies"_s, trustedProxies.toString()},
        {u"metrics_allow"_s, metricsAllow.toString()},
        {u"durability"_s, durability == Durability::Full ? u"full"_s : u"normal"_s},
        {u"max_frame_bytes"_s, n(l.maxFrameBytes)},
        {u"max_text_bytes"_s, n(l.maxTextBytes)},
        {u"history_page_max"_s, n(l.historyPageMax)},
        {u"resume_max"_s, n(l.resumeMax)},
        {u"rate_per_second"_s, n(l.ratePerSecond)},
        {u"rate_burst"_s, n(l.rateBurst)},
        {u"auth_timeout_ms"_s, n(l.authTimeoutMs)},
        {u"typing_ttl_ms"_s, n(l.typingTtlMs)},
        {u"heartbeat_interval_ms"_s, n(l.heartbeatIntervalMs)},
        {u"max_file_bytes"_s, n(l.maxFileBytes)},
        {u"max_chunk_bytes"_s, n(l.maxChunkBytes)},
        {u"download_window_bytes"_s, n(l.downloadWindowBytes)},
        {u"uploads_in_flight"_s, n(l.uploadsInFlight)},
        {u"quota_bytes"_s, n(l.quotaBytes)},
        {u"chunk_rate_per_second"_s, n(l.chunkRatePerSecond)},
        {u"upload_expiry_hours"_s, n(l.uploadExpiryHours)},
        {u"io_threads"_s, n(ioThreads)},
        {u"max_connections"_s, n(maxConnections)},
        {u"max_connections_per_address"_s, n(maxConnectionsPerAddress)},
        {u"max_outbound_bytes"_s, n(maxOutboundBytes)},
        {u"max_outbound_bytes_per_address"_s, n(maxOutboundBytesPerAddress)},
        {u"max_outbound_bytes_per_account"_s, n(maxOutboundBytesPerAccount)},
        {u"max_reply_bytes"_s, n(maxReplyBytes)},
        {u"handshake_timeout_ms"_s, n(handshakeTimeoutMs)},
        {u"token_lifetime_days"_s, n(tokenLifetimeDays)},
        {u"login_free_failures"_s, n(loginFreeFailures)},
        {u"login_address_free_failures"_s, n(loginAddressFreeFailures)},
        {u"redaction_purge_delay_s"_s, n(redactionPurgeDelayS)},
        {u"backup_dir"_s, backupDir},
        {u"backup_interval_s"_s, n(backupIntervalS)},
        {u"backup_keep"_s, n(backupKeep)},
    };
}

QString ServerConfig::displayName() const
{
    return serverName.isEmpty() ? QSysInfo::machineHostName().left(64) : serverName;
}

int ServerConfig::defaultIoThreads()
{
    return std::clamp(QThread::idealThreadCount(), 2, 8);
}

QStringList ServerConfig::restartKeys()
{
    // Where the server listens and keeps its data are fixed once it runs; the typing and
    // purge timings and the backup schedule are read once by the parts that use them.
    return {u"listen"_s, u"port"_s, u"io_threads"_s, u"discovery"_s, u"server_name"_s,
        u"data_dir"_s, u"files_dir"_s, u"database"_s, u"durability"_s, u"typing_ttl_ms"_s,
        u"redaction_purge_delay_s"_s, u"backup_dir"_s, u"backup_interval_s"_s, u"backup_keep"_s};
}

} // namespace confab::server
