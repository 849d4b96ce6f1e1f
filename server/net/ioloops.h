// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "net/loopmessages.h"
#include "net/mailbox.h"

#include <QByteArray>
#include <QHash>
#include <QObject>
#include <memory>
#include <vector>

namespace confab::server {

class ConnectionTransport;
class IoLoop;
class LoopTransport;

/*!
 * \brief The loop threads that read and write plain connections, seen from the main
 * thread: hands each new connection to the least busy loop, and delivers what the loops
 * report to the connections' LoopTransports, in order.
 *
 * The chat logic stays on the main thread, so its order per room and per connection is
 * what it was; a loop only moves bytes, which is where most of a broadcast's time goes.
 */
class IoLoops final : public QObject
{
    Q_OBJECT
public:
    /*! \brief Starts \a threads loop threads. */
    explicit IoLoops(int threads, QObject *parent = nullptr);
    /*! \brief Ends every connection the loops still have, then the threads. */
    ~IoLoops() override;
    IoLoops(const IoLoops &) = delete;
    IoLoops &operator=(const IoLoops &) = delete;

    /*!
     * \brief A transport for \a fd (an accepted socket whose upgrade has been answered; it
     * becomes the loop's) with \a early, the bytes read together with the upgrade request.
     */
    std::unique_ptr<ConnectionTransport> adopt(qintptr fd, QByteArray early);

    int threadCount() const { return int(m_loops.size()); }

    /*! \brief From a loop thread. */
    void postEvent(LoopEvent event);
    /*! \brief Delivers every event the loops have reported so far; main thread. */
    void deliverEvents();

private:
    friend class LoopTransport;
    void forget(const LoopTransport *transport);

    std::vector<std::unique_ptr<IoLoop>> m_loops;
    std::vector<int> m_load; //!< live connections per loop
    Mailbox<LoopEvent> m_events;
    std::vector<LoopEvent> m_pending; //!< taken from m_events, delivered up to m_next
    std::vector<LoopEvent> m_fresh;
    std::size_t m_next = 0;
    int m_depth = 0;
    QHash<quint64, LoopTransport *> m_transports;
    quint64 m_nextId = 0;
};

} // namespace confab::server
