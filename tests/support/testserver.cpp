// SPDX-License-Identifier: GPL-3.0-or-later
#include "testserver.h"

#include "postgrescluster.h"
#include "storage/postgres/pgaddress.h"
#include "testclient.h"

#include <QSqlError>
#include <QSqlQuery>
#include <QtTest>
#include <atomic>

using namespace Qt::StringLiterals;

namespace confab::test {

namespace {

// One cluster for the whole test process (initdb takes seconds); a database per server.
PostgresCluster &sharedCluster()
{
    static PostgresCluster cluster;
    if (!cluster.isRunning()) {
        const QString unavailable = PostgresCluster::unavailableReason();
        if (!unavailable.isEmpty())
            qFatal("CONFAB_TEST_DATABASE=postgresql, but %s", qPrintable(unavailable));
        QString error;
        if (!cluster.start(&error))
            qFatal("cannot start the test's PostgreSQL: %s", qPrintable(error));
    }
    return cluster;
}

QString freshPostgresDatabase()
{
    static std::atomic<int> next {0};
    QString error;
    const QString url = sharedCluster().createDatabase(u"confab_%1"_s.arg(++next), {}, &error);
    if (url.isEmpty())
        qFatal("cannot create a test database: %s", qPrintable(error));
    return url;
}

} // namespace

QSqlDatabase openDatabase(const QString &location, const QString &connectionName)
{
    if (server::postgres::PgAddress::isUrl(location)) {
        QString error;
        const auto address = server::postgres::PgAddress::fromUrl(location, &error);
        QSqlDatabase db
            = server::postgres::openConnection(address, connectionName, u"test"_s, &error);
        if (!error.isEmpty())
            qWarning() << "openDatabase:" << error;
        return db;
    }
    QSqlDatabase db = QSqlDatabase::addDatabase(u"QSQLITE"_s, connectionName);
    db.setDatabaseName(location);
    db.setConnectOptions(u"QSQLITE_BUSY_TIMEOUT=5000"_s);
    if (!db.open())
        qWarning() << "openDatabase:" << db.lastError().text();
    return db;
}

bool TestServer::onPostgres()
{
    return qEnvironmentVariable("CONFAB_TEST_DATABASE") == "postgresql"_L1;
}

QString TestServer::postgresDataFolder()
{
    return sharedCluster().dataFolder();
}

TestServer::TestServer()
{
    if (onPostgres())
        m_config.database = freshPostgresDatabase();
    m_config.dataDir = m_dir.path();
    m_config.port = 0;
    m_config.durability = server::Durability::Normal; // tests kill processes, not power
    m_config.limits.ratePerSecond = 1000;
    m_config.limits.rateBurst = 1000;
}

TestServer::~TestServer()
{
    stop();
}

bool TestServer::start()
{
    m_server = std::make_unique<server::ChatServer>(m_config);
    QString error;
    if (m_server->start(&error) != server::ChatServer::StartError::None) {
        qWarning() << "test server failed to start:" << error;
        m_server.reset();
        return false;
    }
    // Later restarts reuse the port, so clients can reconnect to the same URL.
    m_config.port = m_server->port();
    return true;
}

void TestServer::stop()
{
    if (!m_server)
        return;
    bool stopped = false;
    QObject::connect(m_server.get(), &server::ChatServer::stopped, [&] { stopped = true; });
    m_server->shutdown();
    TestClient::waitUntil([&] { return stopped; }, 5000);
    m_server.reset();
    QCoreApplication::sendPostedEvents(nullptr, QEvent::DeferredDelete);
}

bool TestServer::restart()
{
    stop();
    return start();
}

QUrl TestServer::url() const
{
    return QUrl(u"ws://127.0.0.1:%1"_s.arg(m_server ? m_server->port() : 0));
}

} // namespace confab::test
