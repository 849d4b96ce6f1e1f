// SPDX-License-Identifier: GPL-3.0-or-later
#include "session/session.h"

#include "core/clientlogging.h"
#include "files/filetransfers.h"
#include "files/pendingattachments.h"
#include "lan/nearbyservers.h"
#include "models/directorymodel.h"
#include "models/invitationsmodel.h"
#include "models/memberlistmodel.h"
#include "models/roomlistmodel.h"
#include "models/timelinemodel.h"
#include "net/serverconnection.h"
#include "notify/notifier.h"
#include "protocol/results.h"
#include "session/account.h"
#include "session/accountsettings.h"
#include "session/administration.h"
#include "session/currentroom.h"
#include "session/drafts.h"
#include "session/messagesender.h"
#include "session/moderation.h"
#include "session/notifylevels.h"
#include "session/outbox.h"
#include "session/profiles.h"
#include "session/pushrouter.h"
#include "session/readmarkers.h"
#include "session/roomactions.h"
#include "session/roomstate.h"
#include "session/servertrust.h"
#include "session/syncengine.h"
#include "session/typingstate.h"
#include "session/uploads.h"
#include "settings/appsettings.h"

#include <QDir>
#include <QFileInfo>
#include <QJSEngine>
#include <QSettings>
#include <QStandardPaths>
#include <QUrl>

using namespace Qt::StringLiterals;

namespace confab::client {

namespace {

Session *s_instance = nullptr;
const QString LastRoomKey = u"last_room"_s;
// Per new address: the address whose cache it takes over (protocol §19.6).
const QString MovedFromGroup = u"moved_from"_s;

// A cache database and the folders beside it, by the database's path.
QStringList cacheFiles(const QString &databasePath)
{
    const QString base = databasePath.chopped(int(sizeof(".sqlite")) - 1);
    return {databasePath, databasePath + u"-wal"_s, databasePath + u"-shm"_s, base + u".files"_s,
        base + u".pasted"_s};
}

ServerConnection *webSocketConnection(const SessionOptions &options)
{
    auto *connection = new ServerConnection;
    connection->setWatchdog(options.pingIntervalMs, options.pingTimeoutMs);
    return connection;
}

} // namespace

Session::Session(const SessionOptions &options, AppSettings *settings, QObject *parent)
    : Session(options, settings, webSocketConnection(options), parent)
{ }

Session::Session(
    const SessionOptions &options, AppSettings *settings, Connection *connection, QObject *parent)
    : QObject(parent)
    , m_dataDir(options.dataDir.isEmpty()
              ? QStandardPaths::writableLocation(QStandardPaths::AppDataLocation)
              : options.dataDir)
    , m_pins(settings ? settings->storage() : nullptr)
    , m_settings(settings)
    , m_connection(connection)
    , m_connectionState(new ConnectionState(this))
    , m_sync(new SyncEngine(m_connection, this))
    , m_outbox(new Outbox(m_connection, m_connectionState, this))
    , m_typing(new TypingState(m_connection, m_connectionState, this))
    , m_rooms(new RoomListModel(this))
    , m_directory(new DirectoryModel(this))
    , m_members(new MemberListModel(this))
    , m_state(new RoomState(m_rooms, m_members, m_directory, m_outbox, m_sync, &m_store, this))
    , m_reads(new ReadMarkers(m_connection, m_connectionState, m_rooms, m_state, this))
    , m_actions(new RoomActions(
          m_connection, m_connectionState, m_state, m_sync, m_members, m_directory, this))
    , m_messages(new MessageSender(m_outbox, m_state, this))
    , m_drafts(new Drafts(this))
    , m_currentRoom(new CurrentRoom(m_rooms, m_state, m_connectionState, m_reads, m_actions,
          m_members, m_typing, m_drafts, m_messages, this))
    , m_account(new Account(options, settings, m_connection, m_connectionState, m_sync, this, this))
    , m_messageActions(new MessageActions(
          m_connection, m_connectionState, m_state, m_rooms, m_currentRoom, m_account, this))
    , m_pending(new PendingAttachments(m_dataDir + u"/pasted"_s, this))
    , m_transfers(new FileTransfers(m_connection, m_connectionState, m_state, this))
{
    m_connection->setParent(this);
    m_trust = new ServerTrust(&m_pins, this);
    if (auto *webSocket = qobject_cast<ServerConnection *>(m_connection)) {
        webSocket->setPinStore(&m_pins);
        webSocket->setAllowFirstUse(true); // the Account asks the user before sending
    }
    m_account->setTrust(m_trust, &m_pins);
    m_nearby = new NearbyServers(this);
    m_account->setNearby(m_nearby);
    m_administration = new Administration(m_connection, this);
    connect(m_account, &Account::signedIn, m_administration, &Administration::applySignIn);
    m_invitations = new InvitationsModel(this);
    m_profiles = new Profiles(m_connection, this);
    m_members->setProfiles(m_profiles);
    m_state->setProfiles(m_profiles);
    m_typing->setProfiles(m_profiles);
    m_avatarUploads = new Uploads(m_connection, m_connectionState, this);
    m_profiles->setUploads(m_avatarUploads);
    connect(m_account, &Account::signedIn, m_profiles, [this](const protocol::SignedIn &result) {
        m_profiles->setOwn(m_account->username(), result.profile);
    });
    m_moderation = new Moderation(m_connection, m_rooms, m_members, m_invitations, m_actions, this);
    connect(m_account, &Account::signedIn, this, [this](const protocol::SignedIn &result) {
        m_moderation->setOwnAdmin(result.admin);
        // Every sign-in result of a server with teams lists the pending invitations.
        if (result.hasTeams)
            m_invitations->resetInvitations(result.invites);
    });
    m_accountSettings = new AccountSettings(m_connection, this);
    m_notifyLevels = new NotifyLevels(m_connection, this);
    connect(m_account, &Account::signedIn, m_notifyLevels,
        [this](const protocol::SignedIn &r) { m_notifyLevels->applyDnd(r.dndUntil.value_or(0)); });
    connect(m_notifyLevels, &NotifyLevels::dndChanged, this, [this] {
        if (m_notifier)
            m_notifier->setDoNotDisturbUntil(m_notifyLevels->dndUntilMs());
    });
    connect(m_currentRoom, &CurrentRoom::roomChanged, m_moderation,
        [this] { m_moderation->setCurrentRoom(m_currentRoom->roomId()); });
    m_messages->setPendingAttachments(m_pending);
    m_messageActions->setSender(m_messages);
    m_state->setFileViews(
        [this](const OutboxEntry &entry) { return m_pending->uploadingView(entry); },
        [this](qint64 fileId) { return m_transfers->status(fileId); });
    connect(m_connection, &Connection::binaryReceived, m_transfers, &FileTransfers::handleBinary);
    if (settings) {
        const auto applyCacheCap = [this, settings] {
            m_transfers->setCacheCapBytes(qint64(settings->fileCacheMiB()) * 1024 * 1024);
        };
        applyCacheCap();
        connect(settings, &AppSettings::fileCacheMiBChanged, this, applyCacheCap);
    }
    connect(m_connection, &Connection::ready, this, &Session::applyLimits);
    routePushes();
    connect(m_sync, &SyncEngine::batchReady, m_state, &RoomState::applyBatch);
    connect(m_state, &RoomState::roomReset, m_reads, &ReadMarkers::forget);
    connect(m_sync, &SyncEngine::resumeComplete, this, [this] {
        // Every gap is filled: the rows that came meanwhile are all there.
        m_currentRoom->landAfterResume();
        Q_EMIT resumed();
        m_currentRoom->fillAfterResume();
    });
    connect(m_currentRoom, &CurrentRoom::roomChanged, this, [this] {
        m_pending->setRoom(m_currentRoom->roomId());
        // The next start opens the room the user was in.
        if (m_currentRoom->roomId() != 0 && m_store.isOpen())
            m_store.setMeta(LastRoomKey, QString::number(m_currentRoom->roomId()));
    });
    connect(m_rooms, &RoomListModel::totalsChanged, this, [this] {
        if (m_notifier)
            m_notifier->setUnreadTotal(m_rooms->totalUnread());
    });
}

void Session::routePushes()
{
    using protocol::ServerFrame;
    using protocol::ServerFrameType;
    auto *router = new PushRouter(this);
    connect(m_connection, &Connection::pushReceived, router, &PushRouter::dispatch);
    router->route(
        ServerFrameType::Event, &ServerFrame::roomEvent, m_sync, &SyncEngine::handleEvent);
    router->holdsBack(ServerFrameType::Event, [this] { m_sync->flushLive(); });
    router->route(
        ServerFrameType::Room, &ServerFrame::roomSummary, m_state, &RoomState::applySummary);
    router->route(
        ServerFrameType::Unread, &ServerFrame::readState, m_reads, &ReadMarkers::applyReadState);
    router->route(ServerFrameType::Presence, &ServerFrame::presence, m_members,
        &MemberListModel::applyPresence);
    router->route(ServerFrameType::Profile, &ServerFrame::profile, m_profiles, &Profiles::apply);
    router->route(
        ServerFrameType::Typing, &ServerFrame::typing, m_typing, &TypingState::handlePush);
    router->route(ServerFrameType::Directory, &ServerFrame::directoryEntry, m_directory,
        &DirectoryModel::apply);
    router->route(
        ServerFrameType::Dnd, &ServerFrame::dndUntil, m_notifyLevels, &NotifyLevels::applyDnd);
    router->route(ServerFrameType::Moved, &ServerFrame::movedTo, m_account, &Account::followMove);
    router->route(ServerFrameType::Uploaded, &ServerFrame::uploaded, this, &Session::onUploaded);
    router->route(
        ServerFrameType::Invited, &ServerFrame::invitation, m_invitations, &InvitationsModel::add);
    router->route(ServerFrameType::InviteRemoved, &ServerFrame::pushedRoom, m_invitations,
        &InvitationsModel::remove);
    router->route(
        ServerFrameType::Unlisted, &ServerFrame::pushedRoom, m_directory, &DirectoryModel::unlist);
    connect(m_connection, &Connection::unsolicitedError, m_outbox->uploads(),
        &Uploads::handleChunkError);
    connect(
        m_connection, &Connection::unsolicitedError, m_avatarUploads, &Uploads::handleChunkError);
}

Session::~Session()
{
    m_drafts->setStore(nullptr); // written now: the cache closes before Drafts is deleted
    // The connection is deleted before the account (children go in the order they were
    // made): nothing it says on the way out may reach a half-deleted session.
    m_connection->disconnect(this);
    m_connection->disconnect(m_account);
    if (s_instance == this)
        s_instance = nullptr;
}

Session *Session::create(QQmlEngine *, QJSEngine *)
{
    Q_ASSERT(s_instance);
    QJSEngine::setObjectOwnership(s_instance, QJSEngine::CppOwnership);
    return s_instance;
}

void Session::setInstance(Session *session)
{
    s_instance = session;
}

Session *Session::instance()
{
    return s_instance;
}

// ---- the connection's limits
// ---------------------------------------------------------------------------

void Session::applyLimits()
{
    const protocol::Limits &limits = m_connection->limits();
    m_messages->setMaxTextBytes(limits.maxTextBytes);
    m_actions->setHistoryPageMax(limits.historyPageMax);
    m_sync->setHistoryPageMax(limits.historyPageMax);
    m_typing->setTtlMs(limits.typingTtlMs);
    m_pending->setLimits(m_connection->hello().has(protocol::features::Files), limits.maxFileBytes);
}

// ---- cache and models ---------------------------------------------------------------------

bool Session::openCache(const QString &serverUrl, const QString &username)
{
    if (m_store.isOpen())
        return true;
    const QString path = LocalStore::pathFor(m_dataDir, serverUrl, username);
    QSettings *settings = m_settings ? m_settings->storage() : nullptr;
    const QString movedKey = MovedFromGroup + u'/'
        + QString::fromLatin1(QUrl::toPercentEncoding(serverUrl + u'|' + username.toLower()));
    if (settings && settings->contains(movedKey)) {
        // The server moved while the old address's cache was open: it becomes this one's,
        // with its outbox, drafts and files, now that it is closed.
        const QString from = settings->value(movedKey).toString();
        settings->remove(movedKey);
        const QStringList was = cacheFiles(LocalStore::pathFor(m_dataDir, from, username));
        const QStringList is = cacheFiles(path);
        if (!QFileInfo::exists(path) && QFileInfo::exists(was.first())) {
            for (qsizetype i = 0; i < was.size(); ++i) {
                if (QFileInfo::exists(was.at(i)) && !QDir().rename(was.at(i), is.at(i)))
                    qCWarning(lcClientSession) << "could not move" << was.at(i) << "to" << is.at(i);
            }
        }
    }
    if (!m_store.open(path))
        return false;
    m_sync->setCursors(m_store.cursors());
    m_outbox->setStore(&m_store);
    m_drafts->setStore(&m_store);
    // Downloaded files and pasted images are the account's too: folders beside its cache.
    const QString base = m_store.path().chopped(int(sizeof(".sqlite")) - 1);
    m_transfers->openCache(base + u".files"_s);
    m_pending->setCopiesDir(base + u".pasted"_s, m_outbox->entries());
    return true;
}

QList<RoomSummary> Session::cachedRooms() const
{
    return m_store.rooms();
}

void Session::showRooms(const QString &username, const QList<RoomSummary> &rooms)
{
    m_rooms->setOwnUser(username);
    m_members->setOwnUser(username);
    m_state->setOwnUser(username);
    m_rooms->resetRooms(rooms);
    if (m_notifier)
        m_notifier->setUnreadTotal(m_rooms->totalUnread());
    const qint64 last = m_store.meta(LastRoomKey).toLongLong();
    if (last > 0 && m_rooms->contains(last))
        m_currentRoom->select(last);
}

void Session::closeAccount()
{
    m_drafts->setStore(nullptr); // written before the cache closes
    m_outbox->setStore(nullptr);
    m_transfers->openCache({});
    m_store.close();
    // What was done meanwhile (read markers, typing) belongs to this account: none of it
    // may reach the next one signed in here.
    m_reads->clear();
    m_typing->clear();
    m_currentRoom->select(0); // QML lets go of the timeline before it is deleted
    m_pending->forgetAll();
    m_state->clear();
    m_rooms->resetRooms({});
    m_members->clear();
    m_directory->clear();
    m_actions->reset(); // late replies for this account are dropped
    m_moderation->reset(); // and its invitations and rank go
    m_administration->reset();
    m_accountSettings->reset();
    m_notifyLevels->reset();
    m_profiles->clear();
}

void Session::serverMoved(const QString &from, const QString &to, const QString &username)
{
    // The cache stays open under the old name until the account closes; the next open
    // under the new address renames it.
    if (QSettings *settings = m_settings ? m_settings->storage() : nullptr)
        settings->setValue(MovedFromGroup + u'/'
                + QString::fromLatin1(QUrl::toPercentEncoding(to + u'|' + username.toLower())),
            from);
}

void Session::onUploaded(const protocol::UploadProgress &progress)
{
    // Each takes only the uploads it started.
    m_outbox->uploads()->handleUploaded(progress);
    m_avatarUploads->handleUploaded(progress);
}

void Session::setNotifier(Notifier *notifier)
{
    m_notifier = notifier;
    m_state->setNotifier(notifier);
    if (m_notifier) {
        m_notifier->setUnreadTotal(m_rooms->totalUnread());
        m_notifier->setDoNotDisturbUntil(m_notifyLevels->dndUntilMs());
    }
}

} // namespace confab::client
