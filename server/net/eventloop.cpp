// SPDX-License-Identifier: GPL-3.0-or-later
#include "net/eventloop.h"

#include <QCoreApplication>

#ifdef CONFAB_HAVE_EPOLL
#include "net/epolleventdispatcher.h"

#include <memory>
#endif

namespace confab::server {

void installEventDispatcher()
{
    if (QAbstractEventDispatcher *dispatcher = makeEventDispatcher())
        QCoreApplication::setEventDispatcher(dispatcher);
}

QAbstractEventDispatcher *makeEventDispatcher()
{
#ifdef CONFAB_HAVE_EPOLL
    // Qt's default loop costs O(open sockets) per wakeup; see EpollEventDispatcher.
    if (qgetenv("CONFAB_EVENT_DISPATCHER") == "qt")
        return nullptr;
    auto dispatcher = std::make_unique<EpollEventDispatcher>();
    if (dispatcher->isValid())
        return dispatcher.release();
#endif
    return nullptr;
}

} // namespace confab::server
