// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "auth/loginthrottle.h"
#include "chat/roomdirectory.h"
#include "chat/typingtracker.h"
#include "core/serverconfig.h"
#include "net/wireframe.h"
#include "protocol/directoryentry.h"
#include "protocol/request.h"
#include "protocol/results.h"
#include "protocol/roomevent.h"
#include "protocol/roomsummary.h"
#include "storage/statementcache.h"
#include "storage/storagewriter.h"

#include <QHash>
#include <QJsonObject>
#include <QObject>
#include <QPointer>
#include <QTimer>
#include <functional>
#include <memory>

namespace confab::server {

class Peer;

/*!
 * \brief Everything a signed-in chat needs, independent of how clients connect:
 * accounts, rooms, messages, unread state, presence and typing. It sees each client
 * only as a Peer.
 *
 * Runs on one thread. Durable changes go through the StorageWriter and take
 * effect here (directory, replies, broadcasts) only in its completion, after
 * the commit. Handlers live in chatservice_*.cpp by concern.
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
    bool isIdle() const { return m_hashJobs == 0 && m_writer.pending() == 0; }

    const ServerConfig &config() const { return m_config; }
    int connectionCount() const { return int(m_connections.size()); }
    const QList<Peer *> &connections() const { return m_connections; }
    StorageWriter &writer() { return m_writer; }

private:
    using Handler = void (ChatService::*)(Peer *, const protocol::Request &);

    // chatservice.cpp: plumbing shared by every handler
    void dispatch(Peer *c, const protocol::Request &r);
    void removeConnection(Peer *c);
    void attachSession(Peer *c, qint64 userId, const QString &name, const QByteArray &tokenHash);
    void sendToUsers(const QSet<qint64> &users, const WireFrame &frame, qint64 exceptUser = 0);
    void sendToUser(qint64 user, const WireFrame &frame, Peer *except = nullptr);
    void broadcastEvents(const QList<protocol::RoomEvent> &events);
    void closeUserConnections(qint64 user, const QByteArray &onlyToken, const QString &reason);
    /*! \brief Records a presence change; flushPresence() tells the peers, batched. */
    void setPresence(qint64 user, bool online);
    void flushPresence();
    void clearTyping(const QList<TypingTracker::Key> &keys);
    void sweep();
    void pollAdminLog();
    QString userName(qint64 id);
    /*! \brief Wall-clock ms, for what is stored or shown; intervals use monotonicMs(). */
    qint64 now() const;
    /*! \brief Queues a write; \a done runs after commit only if \a c is still connected. */
    void write(Peer *c, const QJsonValue &requestId, StorageWriter::Apply apply,
        std::function<void(Peer *)> done);
    /*! \brief Runs \a work on the thread pool and \a done back on this thread. */
    template<typename T> void offThread(std::function<T()> work, std::function<void(T)> done);
    /*! \brief Checks that \a c's user may read/write \a room, replying with the error if not. */
    const RoomRecord *memberRoom(Peer *c, const protocol::Request &r);
    protocol::RoomSummary roomSummary(const RoomRecord &room, qint64 user);
    /*! \brief The signed-in result without token and expiry: who, and every room. */
    protocol::SignedIn sessionState(qint64 user, const QString &name);

    // chatservice_accounts.cpp
    void handleRegister(Peer *c, const protocol::Request &r);
    void handleLogin(Peer *c, const protocol::Request &r);
    void handleAuthenticate(Peer *c, const protocol::Request &r);
    void handleLogout(Peer *c, const protocol::Request &r);
    void handleLogoutAll(Peer *c, const protocol::Request &r);
    /*!
     * \brief Issues a token in one write, after \a createAccount ran in the same
     * transaction: it creates the account (register) or re-checks it (login),
     * and sets *refusal to refuse.
     */
    using CreateAccount = std::function<bool(
        WriteContext &, qint64 *user, std::optional<protocol::ErrorCode> *refusal)>;
    void issueToken(Peer *c, const QJsonValue &id, qint64 userId, const QString &name,
        const CreateAccount &createAccount);

    // chatservice_rooms.cpp
    void handleListRooms(Peer *c, const protocol::Request &r);
    void handleCreateRoom(Peer *c, const protocol::Request &r);
    void handleJoin(Peer *c, const protocol::Request &r);
    void handleLeave(Peer *c, const protocol::Request &r);
    void handleSetTopic(Peer *c, const protocol::Request &r);
    void handleOpenDirect(Peer *c, const protocol::Request &r);
    void handleMembers(Peer *c, const protocol::Request &r);
    void announceRoom(const RoomRecord &room, Peer *except);
    /*! \brief Tells every signed-in connection about a new or changed channel. */
    void announceChannel(const RoomRecord &room);
    protocol::DirectoryEntry directoryEntry(const RoomRecord &room, qint64 user) const;

    // chatservice_messages.cpp
    void handleSend(Peer *c, const protocol::Request &r);
    void handleHistory(Peer *c, const protocol::Request &r);
    void handleSync(Peer *c, const protocol::Request &r);
    void handleMarkRead(Peer *c, const protocol::Request &r);
    void handleTyping(Peer *c, const protocol::Request &r);
    void handlePing(Peer *c, const protocol::Request &r);

    ServerConfig m_config;
    StorageWriter m_writer;
    std::unique_ptr<StatementCache> m_reader;
    RoomDirectory m_rooms;
    TypingTracker m_typing;
    LoginThrottle m_throttle;
    QString m_decoyHash;
    QList<Peer *> m_connections;
    QHash<qint64, QList<Peer *>> m_online;
    QHash<qint64, QString> m_userNames;
    QTimer m_sweepTimer;
    // Presence changes not yet pushed (user -> online). A sign-in storm would otherwise
    // cost one frame per peer per sign-in, O(N^2) for N members of one room.
    QHash<qint64, bool> m_presencePending;
    QTimer m_presenceTimer;
    qint64 m_lastPresenceFlush = 0;
    qint64 m_adminLogCursor = 0;
    int m_hashJobs = 0;
    qint64 m_lastTokenPrune = 0;
    bool m_draining = false;
};

} // namespace confab::server
