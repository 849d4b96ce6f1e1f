// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "protocol/serverframe.h"

#include <QElapsedTimer>
#include <QHash>
#include <QObject>
#include <QPointer>
#include <QString>
#include <QTimer>

namespace confab::client {

class ConnectionState;
class Connection;
class Profiles;

/*!
 * \brief Typing notices both ways (docs/protocol.md §5.16, §6.5): sends typing:true at
 * most every typingTtlMs/2 while the composer has text and typing:false when it is
 * cleared; keeps others' indicators, expiring them typingTtlMs + 2 s after their last
 * news, and phrases them for the current room.
 *
 * Follows the connection state: notices are sent only while live, and every indicator
 * (ours and others') ends when the connection does.
 */
class TypingState : public QObject
{
    Q_OBJECT

public:
    TypingState(
        Connection *connection, ConnectionState *connectionState, QObject *parent = nullptr);

    void setTtlMs(int ms) { m_ttlMs = std::max(100, ms); }
    void setCurrentRoom(qint64 room);
    void composerTextChanged(const QString &text);
    /*! \brief A message was sent: the server ends our indicator itself. */
    void messageSent();
    /*! \brief Someone started or stopped typing. */
    void handlePush(const protocol::TypingChange &change);
    /*! \brief Every indicator is stale (the connection dropped, or signed out). */
    void clear();
    QString text() const { return m_text; }
    /*! \brief Typists are named by their display names (§18.2) from \a profiles. */
    void setProfiles(Profiles *profiles);

Q_SIGNALS:
    void textChanged();

private:
    void sendTyping(bool typing);
    void expire();
    void update();

    Connection *m_connection;
    ConnectionState *m_connectionState;
    int m_ttlMs = 6000;
    qint64 m_room = 0;
    bool m_typing = false; //!< we told the server we are typing in m_room
    QElapsedTimer m_sinceSent;
    QElapsedTimer m_clock;
    QHash<qint64, QHash<QString, qint64>> m_others; //!< room → user → expiry (m_clock ms)
    QTimer m_expiry;
    QString m_text;
    QPointer<Profiles> m_profiles;
};

} // namespace confab::client
