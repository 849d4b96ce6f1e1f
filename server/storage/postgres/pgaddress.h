// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QSqlDatabase>
#include <QString>

namespace confab::server::postgres {

/*! \brief Where a PostgreSQL database is: what QPSQL needs to connect. */
struct PgAddress
{
    QString host; //!< a host name, an address, or the folder of a Unix socket
    int port = 5432;
    QString user;
    QString password;
    QString database;
    QString options; //!< libpq keywords past the address (sslmode=require;…), ';'-separated

    /*!
     * \brief Whether \a location is a PostgreSQL URL (`postgresql://` or `postgres://`)
     * rather than a SQLite file's path.
     */
    static bool isUrl(const QString &location);

    /*!
     * \brief Reads a libpq-style URL: `postgresql://user:password@host:port/database`,
     * with the query's `host=/run/postgresql` naming a Unix socket's folder and other
     * keys (`sslmode`, `sslrootcert`, `connect_timeout`…) passed to libpq as they are.
     * Empty \a error on success.
     */
    static PgAddress fromUrl(const QString &url, QString *error);

    /*! \brief The URL without its password, for logs and messages. */
    QString displayUrl() const;
};

/*!
 * \brief Opens a QPSQL connection named \a connectionName to \a address; \a application
 * names it in pg_stat_activity. Keepalives, so that a vanished peer over TCP cannot hold
 * a query for the kernel's many minutes. Check isOpen(); \a error says why not.
 */
QSqlDatabase openConnection(const PgAddress &address, const QString &connectionName,
    const QString &application, QString *error);

} // namespace confab::server::postgres
