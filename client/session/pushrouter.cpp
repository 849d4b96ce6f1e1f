// SPDX-License-Identifier: GPL-3.0-or-later
#include "session/pushrouter.h"

#include "core/clientlogging.h"

namespace confab::client {

PushRouter::PushRouter(QObject *parent)
    : QObject(parent)
{ }

void PushRouter::holdsBack(protocol::ServerFrameType type, const std::function<void()> &release)
{
    m_releases.insert(int(type), release);
}

void PushRouter::dispatch(const protocol::ServerFrame &frame)
{
    for (auto it = m_releases.cbegin(); it != m_releases.cend(); ++it) {
        if (it.key() != int(frame.type))
            it.value()();
    }
    const auto route = m_routes.constFind(int(frame.type));
    if (route == m_routes.cend()) {
        qCDebug(lcClientSession) << "no owner for a" << protocol::serverFrameTypeName(frame.type)
                                 << "push";
        return;
    }
    if (!route.value()(frame))
        qCWarning(lcClientSession)
            << "dropping a malformed" << protocol::serverFrameTypeName(frame.type) << "push";
}

} // namespace confab::client
