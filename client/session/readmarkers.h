// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "protocol/results.h"

#include <QHash>
#include <QObject>
#include <QTimer>

namespace confab::client {

class ConnectionState;
class RoomListModel;
class RoomState;
class Connection;

/*!
 * \brief The read position the view reports, sent as mark_read: forward only, at most
 * once per interval per burst (the first at once), and re-sent after a reconnect if the
 * connection dropped before the answer.
 */
class ReadMarkers : public QObject
{
    Q_OBJECT

public:
    /*! Sends only while \a connectionState is live, and what is pending when it goes live. */
    ReadMarkers(Connection *connection, ConnectionState *connectionState, RoomListModel *rooms,
        RoomState *state, QObject *parent = nullptr);

    void mark(qint64 room, qint64 seq);
    /*! \brief Sends what is pending now (switching rooms) if live. */
    void flush();
    /*! \brief Signed out: nothing pending or sent belongs to the next account. */
    void clear();
    /*! \brief The server's read position for a room: an unread push, or the answer to
     * a mark_read from this or another device. */
    void applyReadState(const protocol::ReadState &read);
    /*! \brief The room's log was reloaded: markers sent before mean nothing now. */
    void forget(qint64 room);

private:
    Connection *m_connection;
    ConnectionState *m_connectionState;
    RoomListModel *m_rooms;
    RoomState *m_state;
    QHash<qint64, qint64> m_wanted; //!< room → seq the view reached, not yet sent
    QHash<qint64, qint64> m_sent; //!< room → highest seq sent
    QTimer m_throttle;
};

} // namespace confab::client
