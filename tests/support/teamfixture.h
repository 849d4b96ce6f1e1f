// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "clientpool.h"
#include "testclient.h"
#include "testserver.h"

#include <QSemaphore>
#include <functional>
#include <memory>
#include <optional>

namespace confab::test {

/*!
 * \brief What the tests of §17 and §18 set up alike: a fresh server per test function and
 * the clients that talk to it, the clients gone before the server.
 */
class TeamFixture
{
public:
    /*!
     * \brief Starts a new server, after \a configure has adjusted its settings. With
     * \a rootFirst, an account `root` is registered first: the first account is the
     * server's admin (§17.1), and most tests want their users to be plain members.
     */
    bool start(
        const std::function<void(server::ServerConfig &)> &configure = {}, bool rootFirst = false);
    void stop();

    std::unique_ptr<TestServer> server;
    ClientPool clients {[this] { return server->url(); }};
};

bool succeeded(const std::optional<protocol::ServerFrame> &r);
/*! \brief The error of \a r; Internal when \a r is no error at all, which no test expects. */
protocol::ErrorCode errorOf(const std::optional<protocol::ServerFrame> &r);
/*! \brief The `field` an error names. */
QString fieldOf(const std::optional<protocol::ServerFrame> &r);
/*! \brief The `seq` of a result; -1 when \a r is no result. */
qint64 seqOf(const std::optional<protocol::ServerFrame> &r);
/*! \brief Creates a channel, private or not, as \a c; its room id, or 0 if refused. */
qint64 createChannel(TestClient *c, const QString &name, bool isPrivate);
/*! \brief The next `room` push about \a room to \a c. */
std::optional<protocol::RoomSummary> waitSummary(TestClient *c, qint64 room);
/*! \brief A round trip: whatever the server sent \a c before has arrived. */
bool settle(TestClient *c);

/*! \brief What an operator subcommand (`confabd ...`) answered. */
struct AdminResult
{
    int exit = -1;
    QString out;
    QString err;
};
/*!
 * \brief Runs an operator subcommand in-process against the data folder of \a config, as the
 * shell would beside a running server, with \a input as its standard input.
 */
AdminResult runAdmin(
    const server::ServerConfig &config, const QStringList &args, const QString &input = {});

/*!
 * \brief Keeps every thread of the global pool, where passwords are hashed, waiting while it
 * lives, so that a password check stays in progress for as long as a test needs, whatever
 * the machine's speed. Released on every way out: a failed check must not leave the pool
 * stuck.
 */
class HashingHold
{
public:
    HashingHold();
    ~HashingHold();
    HashingHold(const HashingHold &) = delete;
    HashingHold &operator=(const HashingHold &) = delete;

    /*! \brief Whether every thread is held; false if they did not all start in time. */
    bool holding() const { return m_holding; }
    /*! \brief Lets the threads go on before the hold ends; the destructor still waits. */
    void release();

private:
    // Shared: the tasks may still be returning from acquire() after this hold has gone.
    std::shared_ptr<QSemaphore> m_gate = std::make_shared<QSemaphore>();
    int m_threads = 0;
    bool m_holding = false;
    bool m_released = false;
};

} // namespace confab::test
