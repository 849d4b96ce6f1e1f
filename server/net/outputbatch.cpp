// SPDX-License-Identifier: GPL-3.0-or-later
#include "net/outputbatch.h"

#include "net/clientconnection.h"

namespace confab::server {

void OutputBatch::hold(ClientConnection *connection)
{
    m_held.append(connection);
}

void OutputBatch::end()
{
    if (--m_depth > 0)
        return;
    // Swapped out first: a write can drop a slow reader, which must not edit this list.
    const QList<QPointer<ClientConnection>> held = std::exchange(m_held, {});
    for (const QPointer<ClientConnection> &c : held) {
        if (c)
            c->flushHeld();
    }
}

} // namespace confab::server
