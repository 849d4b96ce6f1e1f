// SPDX-License-Identifier: GPL-3.0-or-later
#include "session/readmarkers.h"

#include "models/roomlistmodel.h"
#include "net/connection.h"
#include "protocol/results.h"
#include "session/connectionstate.h"
#include "session/roomstate.h"

using namespace Qt::StringLiterals;

namespace confab::client {

namespace {
constexpr int ThrottleMs = 500;
}

ReadMarkers::ReadMarkers(Connection *connection, ConnectionState *connectionState,
    RoomListModel *rooms, RoomState *state, QObject *parent)
    : QObject(parent)
    , m_connection(connection)
    , m_connectionState(connectionState)
    , m_rooms(rooms)
    , m_state(state)
{
    m_throttle.setSingleShot(true);
    connect(&m_throttle, &QTimer::timeout, this, &ReadMarkers::flush);
    connect(m_connectionState, &ConnectionState::phaseChanged, this, [this] {
        if (m_connectionState->isLive())
            flush();
    });
}

void ReadMarkers::mark(qint64 room, qint64 seq)
{
    const auto summary = m_rooms->room(room);
    if (!summary || seq <= summary->readSeq || seq <= m_sent.value(room)
        || seq <= m_wanted.value(room))
        return; // only forward
    m_wanted.insert(room, seq);
    if (!m_throttle.isActive())
        flush();
}

void ReadMarkers::flush()
{
    if (m_wanted.isEmpty() || !m_connectionState->isLive())
        return;
    const auto wanted = std::exchange(m_wanted, {});
    for (auto it = wanted.cbegin(); it != wanted.cend(); ++it) {
        const qint64 room = it.key();
        const qint64 seq = it.value();
        m_sent.insert(room, seq);
        m_connection->send(
            protocol::requests::markRead(room, seq), this, [this, room, seq](const Reply &r) {
                if (const auto read = protocol::ReadState::fromJson(r.data); r.ok() && read) {
                    applyReadState(*read);
                } else if (r.outcome == Reply::Disconnected && m_sent.value(room) == seq) {
                    // Lost with the connection: send it again after the resume.
                    m_sent.remove(room);
                    if (seq > m_wanted.value(room))
                        m_wanted.insert(room, seq);
                }
            });
    }
    m_throttle.start(ThrottleMs);
}

void ReadMarkers::applyReadState(const protocol::ReadState &read)
{
    m_state->applyReadState(read);
}

void ReadMarkers::forget(qint64 room)
{
    m_sent.remove(room);
    m_wanted.remove(room);
}

void ReadMarkers::clear()
{
    m_wanted.clear();
    m_sent.clear();
    m_throttle.stop();
}

} // namespace confab::client
