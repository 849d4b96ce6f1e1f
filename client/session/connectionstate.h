// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QObject>
#include <QtQml/qqmlregistration.h>

namespace confab::client {

/*!
 * \brief Whether the session is live: the one connection state that the objects which
 * send on their own (Outbox, ReadMarkers, TypingState, RoomActions) follow themselves.
 *
 * \c Resuming covers everything between deciding to connect and the \c sync reply being
 * applied (socket, hello, authenticate, sync); only \c Live may send messages, read
 * markers, typing notices or room requests, because only then is the local state as
 * new as the server's (docs/protocol.md §10).
 *
 * Followers must not depend on each other's reaction to one change: each reacts to the
 * phase alone, so the order in which they connected does not matter.
 */
class ConnectionState : public QObject
{
    Q_OBJECT
    QML_ELEMENT
    QML_UNCREATABLE("The session owns its connection state.")
    Q_PROPERTY(Phase phase READ phase NOTIFY phaseChanged)

public:
    enum Phase
    {
        Offline, //!< no connection; waiting to reconnect, or signed out
        Resuming, //!< connecting, signing in or applying the resume
        Live, //!< the resume is applied: requests may be sent
    };
    Q_ENUM(Phase)

    explicit ConnectionState(QObject *parent = nullptr);

    Phase phase() const { return m_phase; }
    bool isLive() const { return m_phase == Live; }
    void setPhase(Phase phase);

Q_SIGNALS:
    void phaseChanged(confab::client::ConnectionState::Phase phase);

private:
    Phase m_phase = Offline;
};

} // namespace confab::client
