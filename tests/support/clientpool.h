// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "testclient.h"

#include <QUrl>
#include <functional>
#include <memory>
#include <vector>

namespace confab::test {

/*!
 * \brief The clients one test uses, kept alive until clear(). Each helper
 * returns nullptr when its step failed, so tests can QVERIFY the result.
 */
class ClientPool
{
public:
    /*! \a serverUrl is asked on every connect: a test may restart its server. */
    explicit ClientPool(std::function<QUrl()> serverUrl);

    TestClient *newClient(); //!< not yet connected
    TestClient *connectClient(); //!< connected, hello received
    TestClient *registered(const QString &name); //!< connected and registered
    TestClient *signedIn(const QString &token); //!< connected and authenticated
    void clear() { m_clients.clear(); }

private:
    std::function<QUrl()> m_serverUrl;
    std::vector<std::unique_ptr<TestClient>> m_clients;
};

/*! \brief Creates a channel as \a c; its room id, or 0 if refused. */
qint64 createRoom(TestClient *c, const QString &name);

} // namespace confab::test
