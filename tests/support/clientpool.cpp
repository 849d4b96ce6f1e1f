// SPDX-License-Identifier: GPL-3.0-or-later
#include "clientpool.h"

#include <QJsonObject>

using namespace Qt::StringLiterals;

namespace confab::test {

ClientPool::ClientPool(std::function<QUrl()> serverUrl)
    : m_serverUrl(std::move(serverUrl))
{ }

TestClient *ClientPool::newClient()
{
    m_clients.push_back(std::make_unique<TestClient>());
    return m_clients.back().get();
}

TestClient *ClientPool::connectClient()
{
    auto *c = newClient();
    return c->open(m_serverUrl()) ? c : nullptr;
}

TestClient *ClientPool::registered(const QString &name)
{
    auto *c = connectClient();
    return c && c->registerUser(name) ? c : nullptr;
}

TestClient *ClientPool::signedIn(const QString &token)
{
    auto *c = connectClient();
    return c && c->authenticate(token) ? c : nullptr;
}

qint64 createRoom(TestClient *c, const QString &name)
{
    const auto r = c->request(protocol::requests::createRoom(name));
    return r && r->type == protocol::ServerFrameType::Result
        ? qint64(r->data().value("room"_L1).toObject().value("id"_L1).toDouble())
        : 0;
}

} // namespace confab::test
