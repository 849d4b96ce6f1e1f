// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "protocol/request.h"

namespace confab::server {

class Accounts;
class Fanout;
class Peer;
class Presence;
class RoomDirectory;
class RoomLog;
class StatementCache;
class StorageWriter;

/*!
 * \brief An account's own upkeep (§18.1): its password, its sessions, and deleting it.
 * Passwords are checked and hashed through Accounts, on the thread pool and under the
 * login throttle like a login.
 */
class SelfService
{
public:
    SelfService(StorageWriter &writer, StatementCache &reader, Fanout &fanout, RoomDirectory &rooms,
        RoomLog &log, Presence &presence, Accounts &accounts);

    void handleChangePassword(Peer *peer, const protocol::Request &r);
    void handleSessions(Peer *peer, const protocol::Request &r);
    void handleRevokeSession(Peer *peer, const protocol::Request &r);
    void handleDeleteAccount(Peer *peer, const protocol::Request &r);

private:
    /*! \brief Closes \a user's connections signed in with any token but \a keep. */
    void closeOthers(qint64 user, const QByteArray &keep, const QString &reason) const;
    void deleteAccount(Peer *peer, const QJsonValue &id);

    StorageWriter &m_writer;
    StatementCache &m_reader;
    Fanout &m_fanout;
    RoomDirectory &m_rooms;
    RoomLog &m_log;
    Presence &m_presence;
    Accounts &m_accounts;
};

} // namespace confab::server
