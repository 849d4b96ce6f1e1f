// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QHash>
#include <QObject>
#include <QTimer>

namespace confab::client {

class RoomListModel;
class RoomState;
class ServerConnection;

/*!
 * \brief The read position the view reports, sent as mark_read: forward only, at most
 * once per interval per burst (the first at once), and re-sent after a reconnect if the
 * connection dropped before the answer.
 */
class ReadMarkers : public QObject
{
    Q_OBJECT

public:
    ReadMarkers(ServerConnection *connection, RoomListModel *rooms, RoomState *state,
        QObject *parent = nullptr);

    void mark(qint64 room, qint64 seq);
    /*! \brief Sends what is pending now (switching rooms) if live. */
    void flush();
    void setLive(bool live);
    void clear();
    /*! \brief The room's log was reloaded: markers sent before mean nothing now. */
    void forget(qint64 room);

private:
    ServerConnection *m_connection;
    RoomListModel *m_rooms;
    RoomState *m_state;
    QHash<qint64, qint64> m_wanted; //!< room → seq the view reached, not yet sent
    QHash<qint64, qint64> m_sent; //!< room → highest seq sent
    QTimer m_throttle;
    bool m_live = false;
};

} // namespace confab::client
