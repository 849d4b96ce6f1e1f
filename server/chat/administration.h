// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "core/serverconfig.h"
#include "protocol/request.h"
#include "protocol/teamresults.h"
#include "storage/records.h"

#include <functional>

namespace confab::server {

class Fanout;
class Peer;
class Ranks;
class SessionCache;
class StatementCache;
class StorageWriter;

/*!
 * \brief Running the server from the app (§17.5): the user directory, disabling accounts and
 * the admin role, the registration mode, invite codes, and the audit log every change
 * leaves behind.
 *
 * The registration mode in force lives in the configuration every part reads (\a config):
 * open() puts the value stored from the app over the file's, and set_server_settings changes
 * it after its commit, so `register` and the next `hello` follow at once.
 */
class Administration
{
public:
    Administration(ServerConfig &config, StorageWriter &writer, StatementCache &reader,
        Fanout &fanout, Ranks &ranks, SessionCache &sessions);

    /*! \brief Puts the registration mode stored from the app, if any, over the file's. */
    void loadSettings();
    /*! \brief Several instances: \a hook hears each settings change committed here. */
    void setSettingsHook(std::function<void()> hook) { m_settingsChanged = std::move(hook); }

    void handleUsers(Peer *peer, const protocol::Request &r);
    void handleSetUser(Peer *peer, const protocol::Request &r);
    void handleServerSettings(Peer *peer, const protocol::Request &r);
    void handleSetServerSettings(Peer *peer, const protocol::Request &r);
    void handleCreateInvite(Peer *peer, const protocol::Request &r);
    void handleAudit(Peer *peer, const protocol::Request &r);

private:
    /*! \brief Whether \a peer's user is an admin; if not, the request was answered forbidden. */
    bool requireAdmin(Peer *peer, const protocol::Request &r) const;
    protocol::UserEntry entry(const UserRecord &user, bool adminView) const;
    /*! \brief A PageSize request's limit, within historyPageMax. */
    int pageLimit(int requested) const;

    ServerConfig &m_config;
    StorageWriter &m_writer;
    StatementCache &m_reader;
    Fanout &m_fanout;
    Ranks &m_ranks;
    SessionCache &m_sessions;
    std::function<void()> m_settingsChanged;
};

} // namespace confab::server
