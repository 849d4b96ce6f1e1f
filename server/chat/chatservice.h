// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "auth/sessioncache.h"
#include "chat/fanout.h"
#include "chat/ranks.h"
#include "chat/roomdirectory.h"
#include "core/serverconfig.h"
#include "protocol/request.h"
#include "storage/blobstore.h"
#include "storage/storagewriter.h"

#include <QHash>
#include <QList>
#include <QObject>
#include <QTimer>
#include <functional>
#include <memory>

namespace confab::server {

class Accounts;
class ClusterFeed;
class Administration;
class Downloads;
class FileCollector;
class Groups;
class History;
class Invitations;
class MessageChanges;
class Moderation;
class NotifyLevels;
class Peer;
class Presence;
class Profiles;
class RedactionPurge;
class RoomLog;
class RoomSettings;
class Rooms;
class Search;
class SelfService;
class RoomViews;
class StatementCache;
class Uploads;

/*!
 * \brief Everything a signed-in chat needs, independent of how clients connect. It sees
 * each client only as a Peer, and routes each request to the part that owns it:
 * Accounts (sign-in), RoomLog (what members append), Rooms (which rooms there are),
 * History (reading logs back) and Presence (online and typing).
 *
 * Runs on one thread. Durable changes go through the StorageWriter and take effect here
 * (directory, replies, broadcasts) only in its completion, after the commit.
 */
class ChatService : public QObject
{
    Q_OBJECT
public:
    explicit ChatService(const ServerConfig &config, QObject *parent = nullptr);
    ~ChatService() override;

    /*! \brief Opens storage and loads state; false with \a error if the database is unusable. */
    bool open(QString *error);

    /*! \brief Serves \a peer until it emits closed(); whoever created it owns it. */
    void addConnection(Peer *peer);
    /*! \brief Stops taking requests and finishes every write already accepted. */
    void drain();
    /*! \brief No password is being hashed and every accepted write has been answered. */
    bool isIdle() const;

    const ServerConfig &config() const { return m_config; }
    /*!
     * \brief Serves by \a fresh from now on (a configuration reload); the registration mode
     * an admin set from the app still wins over the file's. The caller keeps what needs a
     * restart (the data folder, typing and purge timings) as it was.
     */
    void reconfigure(const ServerConfig &fresh);
    int connectionCount() const { return int(m_connections.size()); }
    /*! \brief Accounts signed in on at least one connection. */
    int signedInUsers() const { return int(m_fanout.online().size()); }
    const QList<Peer *> &connections() const { return m_connections; }
    StorageWriter &writer() { return m_writer; }
    /*! \brief Where file bytes live (§16), for downloads and the collector. */
    BlobStore &blobs() { return m_blobs; }
    /*! \brief Deletes unreferenced files (§16.6); null before open(). */
    FileCollector *fileCollector() const { return m_collector.get(); }

private:
    using Handler = std::function<void(Peer *, const protocol::Request &)>;

    void dispatch(Peer *peer, const protocol::Request &r);
    void removeConnection(Peer *peer);
    void sweep();
    /*! \brief Applies the operator's commands logged since the last poll; false if unread. */
    bool pollAdminLog();
    /*! \brief Closes the connections of \a users whose sessions ended on another instance. */
    void endLapsedSessions(const QList<qint64> &users);
    /*! \brief Another instance changed something kept in memory (RoomViews::Shared). */
    void sharedChangedElsewhere(int what, qint64 a, qint64 b);

    // The configuration in force: the file's, with the settings changed from the app over it
    // (Administration keeps the registration mode here, where Accounts and hello read it).
    ServerConfig m_config;
    StorageWriter m_writer;
    std::unique_ptr<StatementCache> m_reader;
    RoomDirectory m_rooms;
    Ranks m_ranks;
    SessionCache m_sessions;
    Fanout m_fanout;
    // Built in open(), once the reader exists; in the order they depend on each other.
    std::unique_ptr<RoomViews> m_views;
    std::unique_ptr<Presence> m_presence;
    std::unique_ptr<RoomLog> m_log;
    std::unique_ptr<ClusterFeed> m_cluster; //!< on PostgreSQL: the other instances' events
    std::unique_ptr<Rooms> m_roomsHandler;
    std::unique_ptr<Invitations> m_invitations;
    std::unique_ptr<RoomSettings> m_roomSettings;
    std::unique_ptr<History> m_history;
    std::unique_ptr<RedactionPurge> m_purge;
    std::unique_ptr<MessageChanges> m_changes;
    std::unique_ptr<Moderation> m_moderation;
    std::unique_ptr<NotifyLevels> m_notify;
    std::unique_ptr<Groups> m_groups;
    std::unique_ptr<Accounts> m_accounts;
    std::unique_ptr<SelfService> m_selfService;
    std::unique_ptr<Search> m_search;
    std::unique_ptr<Administration> m_administration;
    std::unique_ptr<Profiles> m_profiles;
    BlobStore m_blobs;
    std::unique_ptr<Uploads> m_uploads;
    std::unique_ptr<Downloads> m_downloads;
    std::unique_ptr<FileCollector> m_collector;
    QHash<protocol::RequestType, Handler> m_handlers;
    QList<Peer *> m_connections;
    QTimer m_sweepTimer;
    QString m_readerConnection;
    qint64 m_adminLogCursor = 0;
    bool m_draining = false;
};

} // namespace confab::server
