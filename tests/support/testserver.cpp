// SPDX-License-Identifier: GPL-3.0-or-later
#include "testserver.h"

#include "testclient.h"

#include <QtTest>

using namespace Qt::StringLiterals;

namespace confab::test {

TestServer::TestServer()
{
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
