// SPDX-License-Identifier: GPL-3.0-or-later
#include "net/ioloops.h"

#include "net/ioloop.h"
#include "net/looptransport.h"

#include <algorithm>
#include <iterator>

namespace confab::server {

IoLoops::IoLoops(int threads, QObject *parent)
    : QObject(parent)
    , m_load(std::size_t(threads), 0)
{
    m_loops.reserve(std::size_t(threads));
    for (int i = 0; i < threads; ++i)
        m_loops.push_back(std::make_unique<IoLoop>(this, i));
}

IoLoops::~IoLoops()
{
    // The loops end their connections; what they report meanwhile is not delivered.
    for (LoopTransport *transport : std::as_const(m_transports))
        transport->loopsEnded();
    m_loops.clear();
}

std::unique_ptr<ConnectionTransport> IoLoops::adopt(qintptr fd, QByteArray early)
{
    const auto least = std::min_element(m_load.begin(), m_load.end());
    const int index = int(least - m_load.begin());
    ++*least;
    const quint64 id = ++m_nextId;
    auto link = std::make_shared<LoopLink>();
    auto transport
        = std::make_unique<LoopTransport>(this, m_loops[std::size_t(index)].get(), index, id, link);
    m_transports.insert(id, transport.get());
    LoopCommand open;
    open.id = id;
    open.op = LoopCommand::Op::Open;
    open.fd = fd;
    open.bytes = std::move(early);
    open.link = std::move(link);
    m_loops[std::size_t(index)]->post(std::move(open));
    return transport;
}

void IoLoops::forget(const LoopTransport *transport)
{
    m_transports.remove(transport->id());
    --m_load[std::size_t(transport->loopIndex())];
}

void IoLoops::postEvent(LoopEvent event)
{
    if (m_events.post(std::move(event)))
        QMetaObject::invokeMethod(this, &IoLoops::deliverEvents, Qt::QueuedConnection);
}

void IoLoops::deliverEvents()
{
    if (m_pending.empty()) {
        m_events.take(m_pending);
    } else {
        m_events.take(m_fresh);
        std::move(m_fresh.begin(), m_fresh.end(), std::back_inserter(m_pending));
        m_fresh.clear();
    }
    // Re-entered when a delivery reads pending input (readPending() at shutdown): the inner
    // call goes on where the outer one is, so each connection's events keep their order.
    ++m_depth;
    while (m_next < m_pending.size()) {
        LoopEvent event = std::move(m_pending[m_next++]);
        // A connection may end, and be forgotten, while earlier events are delivered.
        if (LoopTransport *transport = m_transports.value(event.id))
            transport->deliver(event);
    }
    if (--m_depth == 0) {
        m_pending.clear();
        m_next = 0;
    }
}

} // namespace confab::server
