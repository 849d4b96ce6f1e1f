// SPDX-License-Identifier: GPL-3.0-or-later
#include "chat/chatservice.h"

#include "auth/passwordhasher.h"
#include "chat/accounts.h"
#include "chat/administration.h"
#include "chat/clusterfeed.h"
#include "chat/downloads.h"
#include "chat/filecollector.h"
#include "chat/groups.h"
#include "chat/history.h"
#include "chat/invitations.h"
#include "chat/messagechanges.h"
#include "chat/moderation.h"
#include "chat/notifylevels.h"
#include "chat/peer.h"
#include "chat/presence.h"
#include "chat/profiles.h"
#include "chat/redactionpurge.h"
#include "chat/roomlog.h"
#include "chat/rooms.h"
#include "chat/roomsettings.h"
#include "chat/roomviews.h"
#include "chat/search.h"
#include "chat/selfservice.h"
#include "chat/uploads.h"
#include "core/closecodes.h"
#include "core/logging.h"
#include "core/monotonicclock.h"
#include "net/wireframe.h"
#include "protocol/results.h"
#include "protocol/serverframe.h"
#include "storage/accountstore.h"
#include "storage/adminlog.h"
#include "storage/roomstore.h"
#include "storage/statementcache.h"

#include <QDateTime>
#include <QDir>
#include <QSqlQuery>
#include <atomic>

using namespace Qt::StringLiterals;
using confab::protocol::ErrorCode;
using confab::protocol::RequestType;

namespace confab::server {

namespace {
// With several instances, memory answers a sign-in for a token at most this long after
// storage did: a bound on a revocation whose note was lost (docs/postgresql.md).
constexpr qint64 SessionMaxAgeMs = 30'000;

// Unique per service: several instances may share a process (the tests of several
// instances on one PostgreSQL), and Qt names connections process-wide.
QString nextReaderConnection()
{
    static std::atomic<int> next {0};
    return u"confab-reader-%1"_s.arg(++next);
}
} // namespace

ChatService::ChatService(const ServerConfig &config, QObject *parent)
    : QObject(parent)
    , m_config(config)
    , m_blobs(config.filesPath())
    , m_readerConnection(nextReaderConnection())
{
    m_sweepTimer.setInterval(std::clamp(config.limits.typingTtlMs / 4, 50, 1000));
    connect(&m_sweepTimer, &QTimer::timeout, this, &ChatService::sweep);
}

ChatService::~ChatService()
{
    // Completions still queued run now and may use every part: the parts go after.
    m_writer.stop();
    if (m_log)
        m_log->setClusterFeed(nullptr);
    if (m_views)
        m_views->setRefresh({});
    m_sessions.setRevokedHook({});
    m_ranks.setChangeHook({});
    m_fanout.setElsewhere({});
    if (m_views)
        m_views->setSharedHook({});
    if (m_administration)
        m_administration->setSettingsHook({});
    if (m_presence)
        m_presence->setCluster(nullptr);
    if (m_history)
        m_history->setReadHook({});
    m_cluster.reset();
    m_collector.reset();
    m_downloads.reset();
    m_uploads.reset();
    m_administration.reset();
    m_profiles.reset();
    m_selfService.reset();
    m_accounts.reset();
    m_moderation.reset();
    m_notify.reset();
    m_groups.reset();
    m_changes.reset();
    m_purge.reset();
    m_search.reset();
    m_history.reset();
    m_roomSettings.reset();
    m_invitations.reset();
    m_roomsHandler.reset();
    m_log.reset();
    m_presence.reset();
    m_views.reset();
    m_reader.reset();
    database::close(m_readerConnection);
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
    if (!m_writer.start(m_config.databaseLocation(), m_config.durability, error))
        return false;
    QSqlDatabase db = database::open(
        m_config.databaseLocation(), m_readerConnection, m_config.durability, error);
    if (!error->isEmpty())
        return false;
    m_reader = std::make_unique<StatementCache>(db);
    m_reader->reconnectOnLoss(m_config.durability);
    m_rooms.load(roomstore::loadAll(*m_reader));
    m_ranks.load(*m_reader);
    m_adminLogCursor = adminlog::latestId(*m_reader);
    m_administration = std::make_unique<Administration>(
        m_config, m_writer, *m_reader, m_fanout, m_ranks, m_sessions);
    m_administration->loadSettings();

    m_views = std::make_unique<RoomViews>(*m_reader, m_rooms, m_ranks);
    m_presence = std::make_unique<Presence>(
        m_fanout, m_rooms, *m_views, *m_reader, m_config.limits.typingTtlMs);
    m_log = std::make_unique<RoomLog>(m_writer, m_rooms, m_fanout, *m_views, *m_presence);
    m_roomsHandler
        = std::make_unique<Rooms>(m_writer, *m_reader, m_rooms, *m_log, m_fanout, *m_views);
    m_invitations = std::make_unique<Invitations>(m_writer, *m_reader, *m_log, m_fanout, *m_views);
    m_roomSettings = std::make_unique<RoomSettings>(*m_reader, m_rooms, *m_log, m_fanout, *m_views);
    m_history
        = std::make_unique<History>(m_config, m_writer, *m_reader, m_rooms, m_fanout, *m_views);
    m_accounts = std::make_unique<Accounts>(
        m_config, m_writer, *m_reader, m_fanout, *m_views, *m_presence, m_ranks, m_sessions);
    m_accounts->setOperatorCheck([this] { return pollAdminLog(); });
    m_accounts->start();
    m_accounts->warmUp();
    m_views->warmUp();
    m_selfService = std::make_unique<SelfService>(m_writer, *m_reader, m_fanout, m_rooms, *m_log,
        *m_presence, *m_accounts, m_ranks, *m_views);
    m_purge = std::make_unique<RedactionPurge>(m_writer, *m_reader, m_config.redactionPurgeDelayS);
    m_changes = std::make_unique<MessageChanges>(
        *m_log, m_rooms, m_ranks, m_fanout, *m_views, *m_reader, *m_purge);
    m_moderation = std::make_unique<Moderation>(
        *m_log, m_rooms, m_ranks, m_fanout, *m_presence, *m_views, *m_reader);
    m_notify = std::make_unique<NotifyLevels>(m_writer, m_rooms, m_fanout, *m_views);
    m_groups = std::make_unique<Groups>(m_writer, *m_reader, m_rooms, *m_log, m_fanout, *m_views);
    m_search = std::make_unique<Search>(m_config, *m_reader, *m_views);
    m_profiles = std::make_unique<Profiles>(m_writer, m_rooms, m_fanout, *m_views);
    m_uploads = std::make_unique<Uploads>(m_config, m_writer, *m_reader, m_blobs);
    if (!m_uploads->open(error))
        return false;
    m_downloads = std::make_unique<Downloads>(m_config, *m_reader, m_blobs);
    m_collector = std::make_unique<FileCollector>(m_writer, m_blobs);
    m_collector->start();

    // Other instances may append to the same database: hear them, and tell them.
    if (m_config.usesPostgres()) {
        postgres::Doorbell::Options bell;
        bell.address = postgres::PgAddress::fromUrl(m_config.database, error);
        if (!error->isEmpty())
            return false;
        m_cluster = std::make_unique<ClusterFeed>(bell,
            ClusterFeed::Parts {*m_reader, m_writer.localAppends(), m_rooms, *m_log, *m_views,
                *m_presence, m_fanout});
        m_log->setClusterFeed(m_cluster.get());
        m_views->setRefresh([feed = m_cluster.get()](qint64 room) { feed->refresh(room); });
        ClusterFeed *feed = m_cluster.get();
        // A sign-out, a revoked session or a changed role here is rung to the others; what
        // they ring is read again here. Memory answers sign-ins only while rings are heard.
        m_sessions.setTrusted(false);
        m_sessions.setMaxAge(SessionMaxAgeMs);
        m_sessions.setRevokedHook([feed](qint64 user) { feed->userChanged(user); });
        m_ranks.setChangeHook([feed](qint64 user) { feed->userChanged(user); });
        connect(feed, &ClusterFeed::userRang, this, [this](qint64 user) {
            m_sessions.forgetUser(user);
            m_ranks.reload(*m_reader, user);
            endLapsedSessions({user});
        });
        // Presence, typing and read positions, as the others tell them.
        m_presence->setCluster(feed);
        m_fanout.setElsewhere([feed](qint64 user) { return feed->onlineElsewhere(user); });
        connect(
            feed, &ClusterFeed::elsewhereChanged, m_presence.get(), &Presence::setOnlineElsewhere);
        connect(feed, &ClusterFeed::typingRang, m_presence.get(), &Presence::typedElsewhere);
        m_history->setReadHook(
            [feed](qint64 room, qint64 user, qint64 seq) { feed->readMoved(room, user, seq); });
        connect(feed, &ClusterFeed::readRang, this, [this](qint64 room, qint64 user, qint64 seq) {
            m_history->readElsewhere(room, user, seq);
        });
        // What the others keep in memory follows what changed here, and the other way.
        m_views->setSharedHook([feed](RoomViews::Shared what, qint64 a, qint64 b) {
            feed->sharedChanged(int(what), a, b);
        });
        m_administration->setSettingsHook(
            [feed] { feed->sharedChanged(int(RoomViews::Shared::Settings), 0, 0); });
        connect(feed, &ClusterFeed::sharedRang, this, &ChatService::sharedChangedElsewhere);
        connect(feed, &ClusterFeed::listeningChanged, this, [this](bool listening) {
            m_sessions.setTrusted(listening);
            // Rings may have been missed while the doorbell was away.
            if (listening) {
                m_ranks.load(*m_reader);
                endLapsedSessions(m_fanout.online().keys());
            }
        });
        m_cluster->start();
    }

    const auto route = [](auto *owner, auto method) -> Handler {
        return [owner, method](Peer *p, const protocol::Request &r) { (owner->*method)(p, r); };
    };
    Accounts *accounts = m_accounts.get();
    RoomLog *log = m_log.get();
    Rooms *rooms = m_roomsHandler.get();
    History *history = m_history.get();
    Administration *admin = m_administration.get();
    m_handlers = {
        {RequestType::Register, route(accounts, &Accounts::handleRegister)},
        {RequestType::Login, route(accounts, &Accounts::handleLogin)},
        {RequestType::Authenticate, route(accounts, &Accounts::handleAuthenticate)},
        {RequestType::Logout, route(accounts, &Accounts::handleLogout)},
        {RequestType::LogoutAll, route(accounts, &Accounts::handleLogoutAll)},
        {RequestType::ChangePassword,
            route(m_selfService.get(), &SelfService::handleChangePassword)},
        {RequestType::Sessions, route(m_selfService.get(), &SelfService::handleSessions)},
        {RequestType::RevokeSession, route(m_selfService.get(), &SelfService::handleRevokeSession)},
        {RequestType::DeleteAccount, route(m_selfService.get(), &SelfService::handleDeleteAccount)},
        {RequestType::ListRooms, route(rooms, &Rooms::handleListRooms)},
        {RequestType::CreateRoom, route(rooms, &Rooms::handleCreateRoom)},
        {RequestType::OpenDirect, route(rooms, &Rooms::handleOpenDirect)},
        {RequestType::Members, route(rooms, &Rooms::handleMembers)},
        {RequestType::Join, route(log, &RoomLog::handleJoin)},
        {RequestType::Leave, route(log, &RoomLog::handleLeave)},
        {RequestType::SetTopic, route(log, &RoomLog::handleSetTopic)},
        {RequestType::Send, route(log, &RoomLog::handleSend)},
        {RequestType::History, route(history, &History::handleHistory)},
        {RequestType::Sync, route(history, &History::handleSync)},
        {RequestType::MarkRead, route(history, &History::handleMarkRead)},
        {RequestType::Context, route(history, &History::handleContext)},
        {RequestType::Edit, route(m_changes.get(), &MessageChanges::handleEdit)},
        {RequestType::Redact, route(m_changes.get(), &MessageChanges::handleRedact)},
        {RequestType::React, route(m_changes.get(), &MessageChanges::handleReact)},
        {RequestType::Unreact, route(m_changes.get(), &MessageChanges::handleUnreact)},
        {RequestType::Typing, route(m_presence.get(), &Presence::handleTyping)},
        {RequestType::Search, route(m_search.get(), &Search::handleSearch)},
        {RequestType::UploadBegin, route(m_uploads.get(), &Uploads::handleBegin)},
        {RequestType::UploadStatus, route(m_uploads.get(), &Uploads::handleStatus)},
        {RequestType::UploadFinish, route(m_uploads.get(), &Uploads::handleFinish)},
        {RequestType::UploadCancel, route(m_uploads.get(), &Uploads::handleCancel)},
        {RequestType::Download, route(m_downloads.get(), &Downloads::handleDownload)},
        {RequestType::Kick, route(m_moderation.get(), &Moderation::handleKick)},
        {RequestType::Ban, route(m_moderation.get(), &Moderation::handleBan)},
        {RequestType::Unban, route(m_moderation.get(), &Moderation::handleUnban)},
        {RequestType::Mute, route(m_moderation.get(), &Moderation::handleMute)},
        {RequestType::Unmute, route(m_moderation.get(), &Moderation::handleUnmute)},
        {RequestType::Invite, route(m_invitations.get(), &Invitations::handleInvite)},
        {RequestType::DeclineInvite, route(m_invitations.get(), &Invitations::handleDeclineInvite)},
        {RequestType::SetRoom, route(m_roomSettings.get(), &RoomSettings::handleSetRoom)},
        {RequestType::SetRole, route(m_roomSettings.get(), &RoomSettings::handleSetRole)},
        {RequestType::Users, route(admin, &Administration::handleUsers)},
        {RequestType::SetUser, route(admin, &Administration::handleSetUser)},
        {RequestType::ServerSettings, route(admin, &Administration::handleServerSettings)},
        {RequestType::SetServerSettings, route(admin, &Administration::handleSetServerSettings)},
        {RequestType::CreateInvite, route(admin, &Administration::handleCreateInvite)},
        {RequestType::Audit, route(admin, &Administration::handleAudit)},
        {RequestType::SetProfile, route(m_profiles.get(), &Profiles::handleSetProfile)},
        {RequestType::SetNotify, route(m_notify.get(), &NotifyLevels::handleSetNotify)},
        {RequestType::SetDnd, route(m_notify.get(), &NotifyLevels::handleSetDnd)},
        {RequestType::OpenGroup, route(m_groups.get(), &Groups::handleOpenGroup)},
        {RequestType::AddToGroup, route(m_groups.get(), &Groups::handleAddToGroup)},
        {RequestType::Ping,
            [](Peer *p, const protocol::Request &r) {
                p->reply(r.id, protocol::Pong {QDateTime::currentMSecsSinceEpoch()}.toJson());
            }},
    };
    m_sweepTimer.start();
    qCInfo(lcStorage) << "opened" << m_config.databaseDisplay();
    return true;
}

bool ChatService::isIdle() const
{
    return (!m_accounts || !m_accounts->isHashing()) && m_writer.pending() == 0;
}

void ChatService::addConnection(Peer *peer)
{
    m_connections.append(peer);
    connect(peer, &Peer::requestReceived, this, &ChatService::dispatch);
    connect(peer, &Peer::closed, this, &ChatService::removeConnection);
    connect(peer, &Peer::chunkReceived, this,
        [this](Peer *p, qint64 upload, qint64 offset, const QByteArray &data) {
            if (!m_draining && m_uploads)
                m_uploads->handleChunk(p, upload, offset, data);
        });
}

void ChatService::removeConnection(Peer *peer)
{
    m_connections.removeOne(peer);
    disconnect(peer, nullptr, this, nullptr);
    if (peer->isAuthenticated() && m_fanout.detach(peer))
        m_presence->userLeft(peer->userId());
}

void ChatService::dispatch(Peer *peer, const protocol::Request &r)
{
    if (m_draining)
        return peer->fail(r.id, ErrorCode::ShuttingDown, u"the server is shutting down"_s);
    const bool open = protocol::allowedBeforeAuthentication(r.type);
    if (!peer->isAuthenticated() && !open)
        return peer->fail(r.id, ErrorCode::Unauthenticated, u"sign in first"_s);
    if (open && r.type != RequestType::Ping) {
        if (peer->isAuthenticated())
            return peer->fail(
                r.id, ErrorCode::AlreadyAuthenticated, u"this connection is already signed in"_s);
        // One sign-in at a time: two could both succeed, leaving the connection signed in
        // twice. Refused, not queued, so that the client decides what comes next.
        if (peer->signInPending())
            return peer->fail(r.id, ErrorCode::SignInInProgress,
                u"another sign-in on this connection is still in progress"_s);
    }
    const Handler handler = m_handlers.value(r.type);
    if (!handler)
        return peer->fail(r.id, ErrorCode::Internal, u"no handler"_s);
    handler(peer, r);
}

void ChatService::sweep()
{
    const qint64 now = monotonicMs();
    m_presence->expire(now);
    m_accounts->sweep(now);
    pollAdminLog();
}

bool ChatService::pollAdminLog()
{
    const std::optional<QList<adminlog::Action>> actions
        = adminlog::since(*m_reader, m_adminLogCursor);
    if (!actions)
        return false;
    for (const adminlog::Action &a : *actions) {
        m_adminLogCursor = a.id;
        qCInfo(lcAdmin) << "applying admin action" << a.action << a.subject;
        if (a.action == "revoke_user"_L1) {
            m_sessions.forgetUser(a.subject);
            m_fanout.closeUser(a.subject, {}, u"signed out by the operator"_s);
        } else if (a.action == "room"_L1) {
            // With several instances the feed reads the room from its first event, as it
            // reads a room another instance created.
            if (m_cluster)
                m_cluster->refresh(a.subject);
            else
                m_roomsHandler->roomCreatedElsewhere(a.subject);
        }
        // Only enabled admins rank as admins: disable-user and enable-user change it too.
        if (a.action == "set_admin"_L1 || a.action == "revoke_user"_L1
            || a.action == "enable_user"_L1) {
            const std::optional<UserRecord> user = accountstore::userById(*m_reader, a.subject);
            m_ranks.setAdmin(a.subject, user && user->admin && !user->disabled);
        }
    }
    return true;
}

void ChatService::endLapsedSessions(const QList<qint64> &users)
{
    // A failed read must not sign everyone out: nothing is ended unless storage answers.
    QSqlQuery *probe = m_reader->run(u"SELECT 1"_s);
    if (!probe || !probe->next())
        return;
    probe->finish();
    const qint64 now = QDateTime::currentMSecsSinceEpoch();
    for (const qint64 user : users) {
        // A revocation of this instance's own is on its way: its completion answers the
        // request and then closes, and its ring brings this check again after that.
        if (m_sessions.isRevoking(user))
            continue;
        const QList<Peer *> peers = m_fanout.online().value(user);
        for (Peer *peer : peers) {
            const std::optional<SessionRecord> session
                = accountstore::session(*m_reader, peer->tokenHash());
            if (!session || session->disabled || session->expiresMs <= now)
                peer->close(closecodes::SignedOut, u"signed out on another server"_s);
        }
    }
}

void ChatService::sharedChangedElsewhere(int what, qint64 a, qint64 b)
{
    // Forgotten here, read again from storage, and told to this instance's clients as the
    // instance that made the change told its own.
    switch (RoomViews::Shared(what)) {
    case RoomViews::Shared::Profile: {
        m_views->forgetProfile(a);
        const protocol::Profile profile = m_views->profile(a);
        m_fanout.sendToUsers(
            Profiles::audience(m_rooms, a), WireFrame::text(protocol::frames::profile(profile)));
        return;
    }
    case RoomViews::Shared::Dnd:
        m_views->forgetDnd(a);
        if (m_fanout.isOnline(a))
            m_fanout.sendToUser(a, WireFrame::text(protocol::frames::dnd(m_views->dndUntil(a))));
        return;
    case RoomViews::Shared::NotifyLevel:
        m_rooms.forgetNotifyLevel(a, b);
        if (const RoomRecord *room = m_rooms.room(a);
            room && room->members.contains(b) && m_fanout.isOnline(b))
            m_fanout.sendToUser(
                b, WireFrame::text(protocol::frames::room(m_views->summary(*room, b))));
        return;
    case RoomViews::Shared::Settings:
        m_administration->loadSettings();
        return;
    }
}

void ChatService::reconfigure(const ServerConfig &fresh)
{
    // In place: the handlers hold references to m_config and read it on each request.
    m_config = fresh;
    if (m_administration)
        m_administration->loadSettings();
    if (m_accounts)
        m_accounts->reconfigure();
}

void ChatService::drain()
{
    m_draining = true;
    m_sweepTimer.stop();
    if (m_collector)
        m_collector->stop();
    if (m_accounts)
        m_accounts->stopSigningIn();
    // Deleted text still waiting for its purge leaves the files now, not at the next start.
    if (m_purge)
        m_purge->purgeNow();
    if (m_uploads)
        m_uploads->drain();
    m_writer.stop();
    // A password still being hashed has written nothing yet, and the writer has stopped:
    // the request is answered now, so that every request read gets its one reply before
    // the close.
    for (Peer *peer : std::as_const(m_connections)) {
        if (!peer->signInPending())
            continue;
        peer->fail(
            peer->signInRequestId(), ErrorCode::ShuttingDown, u"the server is shutting down"_s);
        peer->setSignInPending(false);
    }
}

} // namespace confab::server
