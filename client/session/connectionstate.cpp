// SPDX-License-Identifier: GPL-3.0-or-later
#include "session/connectionstate.h"

#include "core/clientlogging.h"

namespace confab::client {

ConnectionState::ConnectionState(QObject *parent)
    : QObject(parent)
{ }

void ConnectionState::setPhase(Phase phase)
{
    if (m_phase == phase)
        return;
    qCDebug(lcClientSession) << "connection" << m_phase << "->" << phase;
    m_phase = phase;
    Q_EMIT phaseChanged(phase);
}

} // namespace confab::client
