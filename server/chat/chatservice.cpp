// SPDX-License-Identifier: GPL-3.0-or-later
#include "chat/chatservice.h"

#include "auth/passwordhasher.h"
#include "chat/peer.h"
#include "core/closecodes.h"
#include "core/logging.h"
#include "core/monotonicclock.h"
#include "protocol/serverframe.h"
#include "storage/accountstore.h"
#include "storage/eventstore.h"
#include "storage/roomstore.h"

#include <QDateTime>
#include <QDir>
#include <QJsonArray>
#include <QSqlQuery>

using namespace Qt::StringLiterals;
using confab::protocol::ErrorCode;
using confab::protocol::RequestType;

namespace confab::server {

namespace {
const QString ReaderConnection = u"confab-reader"_s;
// Presence frames go out at most this often; a lone change after a quiet spell goes
// out on the next turn of the event loop.
constexpr qint64 PresenceIntervalMs = 250;
} // namespace

ChatService::ChatService(const ServerConfig &config, QObject *parent)
    : QObject(parent)
    , m_config(config)
    , m_throttle(config.loginFreeFailures)
{
    m_sweepTimer.setInterval(std::clamp(config.limits.typingTtlMs / 4, 50, 1000));
    connect(&m_sweepTimer, &QTimer::timeout, this, &ChatService::sweep);
    m_presenceTimer.setSingleShot(true);
    connect(&m_presenceTimer, &QTimer::timeout, this, &ChatService::flushPresence);
}

ChatService::~ChatService()
{
    m_writer.stop();
    m_reader.reset();
    database::close(ReaderConnection);
}

bool ChatService::open(QString *error)
{
    if (!passwords::initialize()) {
        *error = u"libsodium failed to initialise"_s;
        return false;
    }
    if (!QDir().mkpath(m_config.dataDir)) {
        *error = u"cannot create data folder %1"_s.arg(m_config.dataDir);
        return false;
    }
    // The writer migrates the schema before the reader looks at it.
    if (!m_writer.start(m_config.databasePath(), m_config.durability, error))
        return false;
    QSqlDatabase db
        = database::open(m_config.databasePath(), ReaderConnection, m_config.durability, error);
    if (!error->isEmpty())
        return false;
    m_reader = std::make_unique<StatementCache>(db);
    m_rooms.load(roomstore::loadAll(*m_reader));
    if (QSqlQuery *q = m_reader->run(u"SELECT COALESCE(MAX(id), 0) FROM admin_log"_s);
        q && q->next())
        m_adminLogCursor = q->value(0).toLongLong();
    m_decoyHash = passwords::decoyHash();
    m_sweepTimer.start();
    qCInfo(lcStorage) << "opened" << m_config.databasePath();
    return true;
}

qint64 ChatService::now() const
{
    return QDateTime::currentMSecsSinceEpoch();
}

void ChatService::addConnection(Peer *c)
{
    m_connections.append(c);
    connect(c, &Peer::requestReceived, this, &ChatService::dispatch);
    connect(c, &Peer::closed, this, &ChatService::removeConnection);
}

void ChatService::removeConnection(Peer *c)
{
    m_connections.removeOne(c);
    if (c->isAuthenticated()) {
        auto it = m_online.find(c->userId());
        if (it != m_online.end()) {
            it->removeOne(c);
            if (it->isEmpty()) {
                m_online.erase(it);
                clearTyping(m_typing.clearUser(c->userId()));
                setPresence(c->userId(), false);
            }
        }
    }
}

void ChatService::dispatch(Peer *c, const protocol::Request &r)
{
    static const QHash<RequestType, Handler> handlers {
        {RequestType::Register, &ChatService::handleRegister},
        {RequestType::Login, &ChatService::handleLogin},
        {RequestType::Authenticate, &ChatService::handleAuthenticate},
        {RequestType::Logout, &ChatService::handleLogout},
        {RequestType::LogoutAll, &ChatService::handleLogoutAll},
        {RequestType::ListRooms, &ChatService::handleListRooms},
        {RequestType::CreateRoom, &ChatService::handleCreateRoom},
        {RequestType::Join, &ChatService::handleJoin},
        {RequestType::Leave, &ChatService::handleLeave},
        {RequestType::SetTopic, &ChatService::handleSetTopic},
        {RequestType::OpenDirect, &ChatService::handleOpenDirect},
        {RequestType::Send, &ChatService::handleSend},
        {RequestType::History, &ChatService::handleHistory},
        {RequestType::Sync, &ChatService::handleSync},
        {RequestType::MarkRead, &ChatService::handleMarkRead},
        {RequestType::Typing, &ChatService::handleTyping},
        {RequestType::Members, &ChatService::handleMembers},
        {RequestType::Ping, &ChatService::handlePing},
    };
    if (m_draining)
        return c->fail(r.id, ErrorCode::ShuttingDown, u"the server is shutting down"_s);
    const bool open = protocol::allowedBeforeAuthentication(r.type);
    if (!c->isAuthenticated() && !open)
        return c->fail(r.id, ErrorCode::Unauthenticated, u"sign in first"_s);
    if (open && r.type != RequestType::Ping) {
        if (c->isAuthenticated())
            return c->fail(
                r.id, ErrorCode::AlreadyAuthenticated, u"this connection is already signed in"_s);
        // One sign-in at a time: two could both succeed, leaving the connection signed in
        // twice. Refused, not queued, so that the client decides what comes next.
        if (c->signInPending())
            return c->fail(r.id, ErrorCode::SignInInProgress,
                u"another sign-in on this connection is still in progress"_s);
    }
    const Handler h = handlers.value(r.type);
    if (!h)
        return c->fail(r.id, ErrorCode::Internal, u"no handler"_s);
    (this->*h)(c, r);
}

void ChatService::write(Peer *c, const QJsonValue &requestId, StorageWriter::Apply apply,
    std::function<void(Peer *)> done)
{
    QPointer<Peer> guard(c);
    m_writer.submit(std::move(apply), [guard, requestId, done = std::move(done)](bool committed) {
        if (!committed) {
            if (guard)
                guard->fail(requestId, ErrorCode::StorageError, u"the change could not be saved"_s);
            return;
        }
        done(guard.data());
    });
}

void ChatService::attachSession(
    Peer *c, qint64 userId, const QString &name, const QByteArray &tokenHash)
{
    c->setSession(userId, name, tokenHash);
    m_userNames.insert(userId, name);
    auto &list = m_online[userId];
    list.append(c);
    if (list.size() == 1)
        setPresence(userId, true);
}

void ChatService::sendToUser(qint64 user, const WireFrame &frame, Peer *except)
{
    // Copy: a send can drop a slow reader, which edits the list.
    const QList<Peer *> conns = m_online.value(user);
    for (Peer *c : conns) {
        if (c != except)
            c->send(frame);
    }
}

void ChatService::sendToUsers(const QSet<qint64> &users, const WireFrame &frame, qint64 exceptUser)
{
    for (qint64 u : users) {
        if (u != exceptUser)
            sendToUser(u, frame);
    }
}

void ChatService::broadcastEvents(const QList<protocol::RoomEvent> &events)
{
    for (const protocol::RoomEvent &e : events) {
        m_rooms.setLastSeq(e.room, e.seq);
        const RoomRecord *room = m_rooms.room(e.room);
        if (!room)
            continue;
        // Encoded and framed once for every recipient on every device.
        const WireFrame frame = WireFrame::text(protocol::frames::event(e));
        sendToUsers(room->members, frame);
    }
}

void ChatService::closeUserConnections(
    qint64 user, const QByteArray &onlyToken, const QString &reason)
{
    const QList<Peer *> conns = m_online.value(user);
    for (Peer *c : conns) {
        if (onlyToken.isEmpty() || c->tokenHash() == onlyToken)
            c->close(closecodes::SignedOut, reason);
    }
}

void ChatService::setPresence(qint64 user, bool online)
{
    m_presencePending.insert(user, online);
    if (m_presenceTimer.isActive())
        return;
    const qint64 wait = m_lastPresenceFlush + PresenceIntervalMs - monotonicMs();
    m_presenceTimer.start(int(std::clamp<qint64>(wait, 0, PresenceIntervalMs)));
}

void ChatService::flushPresence()
{
    m_lastPresenceFlush = monotonicMs();
    // One frame per room with changes, shared by all its members: a member of several
    // such rooms may hear of a peer more than once, which the protocol allows.
    QHash<qint64, std::pair<QStringList, QStringList>> perRoom;
    for (auto it = m_presencePending.cbegin(); it != m_presencePending.cend(); ++it) {
        const QString name = userName(it.key());
        const QSet<qint64> rooms = m_rooms.roomsOf(it.key());
        for (qint64 room : rooms) {
            auto &lists = perRoom[room];
            (it.value() ? lists.first : lists.second).append(name);
        }
    }
    m_presencePending.clear();
    for (auto it = perRoom.cbegin(); it != perRoom.cend(); ++it) {
        const RoomRecord *room = m_rooms.room(it.key());
        if (!room)
            continue;
        const auto &[online, offline] = it.value();
        // Someone alone in the room among the changes has nobody to tell but themselves.
        if (online.size() + offline.size() == 1 && room->members.size() == 1)
            continue;
        sendToUsers(room->members, WireFrame::text(protocol::frames::presence(online, offline)));
    }
}

void ChatService::clearTyping(const QList<TypingTracker::Key> &keys)
{
    for (const auto &[roomId, userId] : keys) {
        if (const RoomRecord *room = m_rooms.room(roomId))
            sendToUsers(room->members,
                WireFrame::text(protocol::frames::typing(roomId, userName(userId), false)), userId);
    }
}

void ChatService::sweep()
{
    clearTyping(m_typing.expire(monotonicMs()));
    m_throttle.prune(monotonicMs());
    pollAdminLog();
    if (monotonicMs() - m_lastTokenPrune > 3600 * 1000) {
        m_lastTokenPrune = monotonicMs();
        m_writer.submit(
            [](WriteContext &ctx) { return accountstore::deleteExpiredTokens(ctx); }, {});
    }
}

void ChatService::pollAdminLog()
{
    QSqlQuery *q
        = m_reader->run(u"SELECT id, action, subject FROM admin_log WHERE id > ? ORDER BY id"_s,
            {m_adminLogCursor});
    QList<std::pair<QString, qint64>> actions;
    while (q && q->next()) {
        m_adminLogCursor = q->value(0).toLongLong();
        actions.append({q->value(1).toString(), q->value(2).toLongLong()});
    }
    for (const auto &[action, subject] : actions) {
        qCInfo(lcAdmin) << "applying admin action" << action << subject;
        if (action == "revoke_user"_L1) {
            closeUserConnections(subject, {}, u"signed out by the operator"_s);
        } else if (action == "room"_L1) {
            if (auto room = roomstore::load(*m_reader, subject)) {
                m_rooms.insert(*room);
                announceRoom(*room, nullptr);
                announceChannel(*room);
            }
        }
    }
}

QString ChatService::userName(qint64 id)
{
    auto it = m_userNames.constFind(id);
    if (it != m_userNames.cend())
        return it.value();
    const auto user = accountstore::userById(*m_reader, id);
    QString name = user ? user->name : QString();
    m_userNames.insert(id, name);
    return name;
}

const RoomRecord *ChatService::memberRoom(Peer *c, const protocol::Request &r)
{
    const qint64 id = protocol::requestRoom(r.body);
    const RoomRecord *room = m_rooms.room(id);
    // A direct room is nobody else's business: outsiders cannot tell it exists.
    if (!room || (room->kind == RoomKind::Direct && !room->members.contains(c->userId()))) {
        c->fail(r.id, ErrorCode::NotFound, u"no room %1"_s.arg(id));
        return nullptr;
    }
    if (!room->members.contains(c->userId())) {
        c->fail(r.id, ErrorCode::NotMember, u"you are not a member of room %1"_s.arg(id));
        return nullptr;
    }
    return room;
}

protocol::RoomSummary ChatService::roomSummary(const RoomRecord &room, qint64 user)
{
    protocol::RoomSummary s;
    s.id = room.id;
    s.direct = room.kind == RoomKind::Direct;
    s.name = room.name;
    s.topic = room.topic;
    s.lastSeq = room.lastSeq;
    s.memberCount = int(room.members.size());
    if (s.direct) {
        for (qint64 m : room.members)
            s.members.append(userName(m));
        // A direct room is named after the other person, which differs per viewer.
        s.name = userName(user);
        for (qint64 m : room.members) {
            if (m != user)
                s.name = userName(m);
        }
    }
    s.readSeq = roomstore::readSeq(*m_reader, room.id, user);
    s.hasReadState = s.readSeq >= 0;
    if (s.hasReadState) {
        const auto counts = eventstore::unreadCounts(*m_reader, room.id, user, s.readSeq);
        s.unread = counts.unread;
        s.mentions = counts.mentions;
    }
    return s;
}

protocol::SignedIn ChatService::sessionState(qint64 user, const QString &name)
{
    protocol::SignedIn state;
    state.user = name;
    QList<qint64> ids = m_rooms.roomsOf(user).values();
    std::sort(ids.begin(), ids.end());
    for (qint64 id : ids) {
        if (const RoomRecord *room = m_rooms.room(id))
            state.rooms.append(roomSummary(*room, user));
    }
    return state;
}

void ChatService::drain()
{
    m_draining = true;
    m_sweepTimer.stop();
    m_writer.stop();
    // A password still being hashed has written nothing yet, and the writer has stopped:
    // the request is answered now, so that every request read gets its one reply before
    // the close.
    for (Peer *c : std::as_const(m_connections)) {
        if (!c->signInPending())
            continue;
        c->fail(c->signInRequestId(), ErrorCode::ShuttingDown, u"the server is shutting down"_s);
        c->setSignInPending(false);
    }
}

void ChatService::handlePing(Peer *c, const protocol::Request &r)
{
    c->reply(r.id, protocol::Pong {now()}.toJson());
}

} // namespace confab::server
