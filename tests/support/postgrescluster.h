// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QSqlDatabase>
#include <QString>
#include <QTemporaryDir>

namespace confab::test {

/*!
 * \brief A throw-away PostgreSQL cluster for one test: initdb in a temporary folder, a
 * postmaster that listens on a Unix socket in it and nowhere else, removed afterwards.
 *
 * CI runs as root, and PostgreSQL refuses to; there the cluster runs as the \c postgres
 * user the Debian package makes (else \c nobody), which then owns the folder. Locale C,
 * so that ORDER BY on text is by code point as on SQLite.
 */
class PostgresCluster
{
public:
    PostgresCluster() = default;
    ~PostgresCluster();
    PostgresCluster(const PostgresCluster &) = delete;
    PostgresCluster &operator=(const PostgresCluster &) = delete;

    /*! \brief Why no cluster can run here (no PostgreSQL server, no QPSQL driver), for
     * QSKIP; empty where one can. tools/install-deps installs both. */
    static QString unavailableReason();

    /*! \brief Makes and starts the cluster; false with \a error if it cannot. */
    bool start(QString *error);
    /*! \brief Stops it fast (as a crash would: `pg_ctl -m immediate`); the files stay. */
    bool stop();
    /*! \brief Starts it again over the same files, as after a crash or a reboot. */
    bool restart(QString *error);
    bool isRunning() const { return m_running; }

    /*! \brief The folder of the socket (libpq's host), and the port that names it. */
    QString socketFolder() const { return m_dir.path(); }
    /*! \brief The cluster's files (initdb's -D). */
    QString dataFolder() const { return m_dir.filePath(QStringLiteral("data")); }
    int port() const { return Port; }
    /*! \brief The superuser the tests connect as (no password: trust on the socket). */
    static QString user() { return QStringLiteral("confab"); }

    /*! \brief A QPSQL connection named \a connectionName to \a database, opened; check
     * isOpen(). Remove it with QSqlDatabase::removeDatabase when done. */
    QSqlDatabase connect(
        const QString &connectionName, const QString &database = QStringLiteral("postgres")) const;

    /*!
     * \brief Creates the database \a name and gives confabd's `database = …` URL for it,
     * with \a password in it if given (the cluster trusts its socket: a password there is
     * only to be kept out of output). Empty, with \a error, if it could not be created.
     */
    QString createDatabase(
        const QString &name, const QString &password = {}, QString *error = nullptr) const;

private:
    bool run(const QString &program, const QStringList &args, QString *error) const;

    static constexpr int Port = 5432; // the socket's name; nothing listens on TCP
    QTemporaryDir m_dir;
    QString m_binaries;
    QString m_runAs; //!< the user the cluster runs as, when this process is root
    bool m_running = false;
};

/*! \brief The first column of the first row \a sql gives on \a db; invalid (and a
 * warning) if it fails or gives no row. */
QVariant queryValue(QSqlDatabase &db, const QString &sql);

} // namespace confab::test
