// SPDX-License-Identifier: GPL-3.0-or-later
#include "net/eventloop.h"

#ifdef CONFAB_HAVE_EPOLL
#include "net/epolleventdispatcher.h"

#include <QCoreApplication>
#include <memory>
#endif

namespace confab::server {

void installEventDispatcher()
{
#ifdef CONFAB_HAVE_EPOLL
    // Qt's default loop costs O(open sockets) per wakeup; see EpollEventDispatcher.
    if (qgetenv("CONFAB_EVENT_DISPATCHER") == "qt")
        return;
    auto dispatcher = std::make_unique<EpollEventDispatcher>();
    if (dispatcher->isValid())
        QCoreApplication::setEventDispatcher(dispatcher.release());
#endif
}

} // namespace confab::server
