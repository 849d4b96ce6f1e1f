// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "auth/loginthrottle.h"
#include "core/roomdirectory.h"
#include "core/serverconfig.h"
#include "core/typingtracker.h"
#include "net/outputbatch.h"
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

class ClientConnection;

/*!
 * \brief Everything a signed-in chat needs, independent of how sockets arrive:
 * accounts, rooms, messages, unread state, presence and typing.
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

    void addConnection(ClientConnection *connection);
    /*! \brief Stops taking requests and finishes every write already accepted. */
    void drain();

    const ServerConfig &config() const { return m_config; }
    int connectionCount() const { return int(m_connections.size()); }
    const QList<ClientConnection *> &connections() const { return m_connections; }
    StorageWriter &writer() { return m_writer; }

private:
    using Handler = void (ChatService::*)(ClientConnection *, const protocol::Request &);

    // chatservice.cpp: plumbing shared by every handler
    void dispatch(ClientConnection *c, const protocol::Request &r);
    void removeConnection(ClientConnection *c);
    void attachSession(
        ClientConnection *c, qint64 userId, const QString &name, const QByteArray &tokenHash);
    void sendToUsers(const QSet<qint64> &users, const WireFrame &frame, qint64 exceptUser = 0);
    void sendToUser(qint64 user, const WireFrame &frame, ClientConnection *except = nullptr);
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
    void write(ClientConnection *c, const QJsonValue &requestId, StorageWriter::Apply apply,
        std::function<void(ClientConnection *)> done);
    /*! \brief Runs \a work on the thread pool and \a done back on this thread. */
    template<typename T> void offThread(std::function<T()> work, std::function<void(T)> done);
    /*! \brief Checks that \a c's user may read/write \a room, replying with the error if not. */
    const RoomRecord *memberRoom(ClientConnection *c, const protocol::Request &r);
    protocol::RoomSummary roomSummary(const RoomRecord &room, qint64 user);
    /*! \brief The signed-in result without token and expiry: who, and every room. */
    protocol::SignedIn sessionState(qint64 user, const QString &name);

    // chatservice_accounts.cpp
    void handleRegister(ClientConnection *c, const protocol::Request &r);
    void handleLogin(ClientConnection *c, const protocol::Request &r);
    void handleAuthenticate(ClientConnection *c, const protocol::Request &r);
    void handleLogout(ClientConnection *c, const protocol::Request &r);
    void handleLogoutAll(ClientConnection *c, const protocol::Request &r);
    /*!
     * \brief Issues a token in one write, after \a createAccount ran in the same
     * transaction: it creates the account (register) or re-checks it (login),
     * and sets *refusal to refuse.
     */
    using CreateAccount = std::function<bool(
        WriteContext &, qint64 *user, std::optional<protocol::ErrorCode> *refusal)>;
    void issueToken(ClientConnection *c, const QJsonValue &id, qint64 userId, const QString &name,
        const CreateAccount &createAccount);

    // chatservice_rooms.cpp
    void handleListRooms(ClientConnection *c, const protocol::Request &r);
    void handleCreateRoom(ClientConnection *c, const protocol::Request &r);
    void handleJoin(ClientConnection *c, const protocol::Request &r);
    void handleLeave(ClientConnection *c, const protocol::Request &r);
    void handleSetTopic(ClientConnection *c, const protocol::Request &r);
    void handleOpenDirect(ClientConnection *c, const protocol::Request &r);
    void handleMembers(ClientConnection *c, const protocol::Request &r);
    void announceRoom(const RoomRecord &room, ClientConnection *except);
    /*! \brief Tells every signed-in connection about a new or changed channel. */
    void announceChannel(const RoomRecord &room);
    protocol::DirectoryEntry directoryEntry(const RoomRecord &room, qint64 user) const;

    // chatservice_messages.cpp
    void handleSend(ClientConnection *c, const protocol::Request &r);
    void handleHistory(ClientConnection *c, const protocol::Request &r);
    void handleSync(ClientConnection *c, const protocol::Request &r);
    void handleMarkRead(ClientConnection *c, const protocol::Request &r);
    void handleTyping(ClientConnection *c, const protocol::Request &r);
    void handlePing(ClientConnection *c, const protocol::Request &r);

    ServerConfig m_config;
    StorageWriter m_writer;
    std::unique_ptr<StatementCache> m_reader;
    RoomDirectory m_rooms;
    TypingTracker m_typing;
    LoginThrottle m_throttle;
    QString m_decoyHash;
    QList<ClientConnection *> m_connections;
    QHash<qint64, QList<ClientConnection *>> m_online;
    QHash<qint64, QString> m_userNames;
    QTimer m_sweepTimer;
    OutputBatch m_output;
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
