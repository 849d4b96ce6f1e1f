// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "core/serverconfig.h"
#include "net/chatserver.h"
#include "net/eventloop.h"

#include <QCoreApplication>
#include <QSqlDatabase>
#include <QTemporaryDir>
#include <QTest>
#include <QUrl>
#include <memory>

namespace confab::test {

/*!
 * \brief confabd's server library running in the test process on 127.0.0.1,
 * port 0, over a real SQLite file in a temporary folder, or, with the environment's
 * CONFAB_TEST_DATABASE=postgresql, a fresh database on a throw-away PostgreSQL cluster
 * (one per test process, PostgresCluster).
 */
/*!
 * \brief A connection named \a connectionName to \a location (a SQLite file, waiting up to
 * 5 s for its lock, or a `postgresql://` URL), opened; check isOpen(). Remove it with
 * QSqlDatabase::removeDatabase when done.
 */
QSqlDatabase openDatabase(const QString &location, const QString &connectionName);

class TestServer
{
public:
    TestServer();
    ~TestServer();

    /*! \brief Settings for the next start(); the data folder is preset. */
    server::ServerConfig &config() { return m_config; }
    bool start();
    /*! \brief Clean shutdown, as on SIGTERM; the data folder stays. */
    void stop();
    bool restart();

    QUrl url() const;
    QString databasePath() const { return m_config.databasePath(); }
    /*! \brief What the server opens: the SQLite file or the PostgreSQL URL. */
    QString databaseLocation() const { return m_config.databaseLocation(); }
    /*! \brief A connection of the test's own to the server's database, opened: see
     * test::openDatabase(). */
    QSqlDatabase openDatabase(const QString &connectionName) const
    {
        return test::openDatabase(databaseLocation(), connectionName);
    }
    /*! \brief Whether this process's servers run on PostgreSQL (see above). */
    static bool onPostgres();
    /*! \brief The data folder of this process's PostgreSQL cluster (onPostgres()). */
    static QString postgresDataFolder();
    server::ChatServer *server() const { return m_server.get(); }

private:
    QTemporaryDir m_dir;
    server::ServerConfig m_config;
    std::unique_ptr<server::ChatServer> m_server;
};

} // namespace confab::test

/*!
 * \brief Like QTEST_GUILESS_MAIN, but the event loop is the one confabd serves with, so
 * in-process server tests exercise it too.
 */
#define CONFAB_SERVER_TEST_MAIN(TestObject)                                                        \
    int main(int argc, char *argv[])                                                               \
    {                                                                                              \
        confab::server::installEventDispatcher();                                                  \
        QCoreApplication app(argc, argv);                                                          \
        TestObject tc;                                                                             \
        QTEST_SET_MAIN_SOURCE_PATH                                                                 \
        return QTest::qExec(&tc, argc, argv);                                                      \
    }
