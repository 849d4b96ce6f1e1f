// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "protocol/request.h"

namespace confab::server {

class Accounts;
class Fanout;
class Peer;
class Presence;
class Ranks;
class RoomDirectory;
class RoomLog;
class RoomViews;
class StatementCache;
class StorageWriter;

/*!
 * \brief An account's own upkeep (§18.1): its password, its sessions, and deleting it.
 * Passwords are checked and hashed through Accounts, on the thread pool and under the
 * login throttle like a login. The writes they allow check again, in their transaction, that
 * the hash checked is still the account's and the session still valid: either may have changed
 * while the hash was being computed.
 */
class SelfService
{
public:
    SelfService(StorageWriter &writer, StatementCache &reader, Fanout &fanout, RoomDirectory &rooms,
        RoomLog &log, Presence &presence, Accounts &accounts, Ranks &ranks, RoomViews &views);

    void handleChangePassword(Peer *peer, const protocol::Request &r);
    void handleSessions(Peer *peer, const protocol::Request &r);
    void handleRevokeSession(Peer *peer, const protocol::Request &r);
    void handleDeleteAccount(Peer *peer, const protocol::Request &r);

private:
    /*! \brief Closes \a user's connections signed in with any token but \a keep. */
    void closeOthers(qint64 user, const QByteArray &keep, const QString &reason) const;
    /*! \brief Stores \a hash as the new password, if \a verifiedHash is still the account's. */
    void storePassword(Peer *peer, const QJsonValue &id, const QString &verifiedHash,
        const QString &hash, bool revokeOthers);
    void deleteAccount(Peer *peer, const QJsonValue &id, const QString &verifiedHash);

    StorageWriter &m_writer;
    StatementCache &m_reader;
    Fanout &m_fanout;
    RoomDirectory &m_rooms;
    RoomLog &m_log;
    Presence &m_presence;
    Accounts &m_accounts;
    Ranks &m_ranks;
    RoomViews &m_views;
};

} // namespace confab::server
