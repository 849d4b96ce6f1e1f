// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "core/trustedproxies.h"
#include "protocol/limits.h"
#include "storage/database.h"

#include <QHostAddress>
#include <QString>
#include <QStringList>
#include <optional>

namespace confab::server {

enum class RegistrationPolicy
{
    Open,
    Invite,
    Closed
};

QString registrationPolicyName(RegistrationPolicy policy);
/*! \brief The policy named "open", "invite" or "closed"; nullopt for anything else. */
std::optional<RegistrationPolicy> registrationPolicyFromName(QStringView name);

/*!
 * \brief Everything an operator can set, with the defaults a fresh install uses.
 * Documented key by key in docs/configuration.md.
 */
struct ServerConfig
{
    QHostAddress listenAddress = QHostAddress::LocalHost;
    quint16 port = 8747;
    QString dataDir = QStringLiteral("data");
    QString filesDir; //!< where file bytes are stored (§16); empty: `files` beside the database
    //! A PostgreSQL database (`postgresql://…`, docs/postgresql.md) that several instances
    //! share; empty: the embedded SQLite file in dataDir.
    QString database;
    QString tlsCertificate;
    QString tlsKey;
    //! Serve wss:// with the server's own key and self-signed certificate (data folder's
    //! identity/), which clients pin on first use (docs/lan.md); not with tls_certificate.
    bool tlsSelfSigned = false;
    QString serverName; //!< shown in lists of servers; empty: the machine's host name
    //! Announce the server on the local network (mDNS/DNS-SD and a UDP beacon, docs/lan.md).
    bool discovery = false;
    //! Where this server moved to (docs/lan.md, protocol §19.6): a ws:// or wss:// URL told
    //! to every client in hello and, on reload, in a `moved` push; empty: it did not move.
    QString movedTo;
    RegistrationPolicy registration = RegistrationPolicy::Open;
    QStringList allowedOrigins; //!< browser Origins allowed; requests without Origin always are
    //! Who may GET /metrics: addresses and CIDR subnets. Loopback only unless widened, since
    //! the counts are the operator's business (how many people, how busy, how many fail).
    TrustedProxies metricsAllow {QStringLiteral("127.0.0.0/8, ::1")};
    TrustedProxies trustedProxies; //!< whose X-Forwarded-For names the client
    Durability durability = Durability::Full;
    protocol::Limits limits;
    //! Threads that read and write plain ws:// connections besides the main thread, which
    //! keeps the chat logic; 0: the main thread does it all. TLS connections stay on it.
    int ioThreads = defaultIoThreads();
    int maxConnections = 20'000;
    int maxConnectionsPerAddress = 1'000;
    qint64 maxOutboundBytes = 4 * 1024 * 1024; //!< unsent bytes before a slow reader is dropped
    qint64 maxOutboundBytesPerAddress = 64 * 1024 * 1024; //!< all connections of one address
    qint64 maxOutboundBytesPerAccount = 64 * 1024 * 1024; //!< all connections of one account
    qint64 maxReplyBytes = 1024 * 1024; //!< encoded events one history or sync reply carries
    int handshakeTimeoutMs = 10'000;
    int tokenLifetimeDays = 30;
    int loginFreeFailures = 5;
    int loginAddressFreeFailures = 30; //!< failed sign-ins from one address before it waits
    //! After a redaction, the longest wait before the search indexes are merged and the
    //! write-ahead log truncated: until then the deleted text may linger in the data folder.
    int redactionPurgeDelayS = 60;
    QString backupDir; //!< timed backups; empty: `backups` in the data folder
    int backupIntervalS = 0; //!< seconds between timed backups; 0: none
    int backupKeep = 7; //!< timed backups kept; older ones are removed

    /*!
     * \brief As many as the machine has cores, between 2 and 8. Loop threads spend most of
     * their time in the kernel's send path: on 2 cores, 2 of them delivered twice what 1 did.
     */
    static int defaultIoThreads();

    /*! \brief Whether the port speaks TLS: with tls_certificate or tls_self_signed. */
    bool secure() const { return tlsSelfSigned || !tlsCertificate.isEmpty(); }
    /*! \brief serverName, or the machine's host name. */
    QString displayName() const;

    /*! \brief The SQLite file in dataDir (backups, checks and restores work on it). */
    QString databasePath() const;
    /*! \brief What the server opens: database, or else databasePath(). */
    QString databaseLocation() const { return database.isEmpty() ? databasePath() : database; }
    bool usesPostgres() const { return !database.isEmpty(); }
    /*! \brief databaseLocation() without a password, for logs. */
    QString databaseDisplay() const;
    /*! \brief filesDir, or its default. */
    QString filesPath() const;
    /*! \brief backupDir, or its default; absolute. */
    QString backupPath() const;

    /*!
     * \brief Applies one "key = value" setting. Unknown keys and bad values are
     * errors, so a typo never silently falls back to a default.
     */
    bool set(const QString &key, const QString &value, QString *error);

    /*! \brief Reads an INI file's [server] settings (and top-level keys). */
    bool loadFile(const QString &path, QString *error);

    bool validate(QString *error) const;

    /*! \brief Whether \a client is in metricsAllow (an IPv4-mapped address as IPv4). */
    bool mayReadMetrics(const QHostAddress &client) const;

    /*!
     * \brief Every setting as "key" and its value as text, for saying what a reload
     * changed. Keys that cannot change while the server runs are listed by restartKeys().
     */
    QList<std::pair<QString, QString>> settings() const;
    static QStringList restartKeys();
};

} // namespace confab::server
