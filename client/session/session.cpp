// SPDX-License-Identifier: GPL-3.0-or-later
#include "session/session.h"

#include "core/clientlogging.h"
#include "keychain/tokenstore.h"
#include "models/directorymodel.h"
#include "models/memberlistmodel.h"
#include "models/roomlistmodel.h"
#include "models/timelinemodel.h"
#include "net/serverconnection.h"
#include "notify/notifier.h"
#include "protocol/closecode.h"
#include "protocol/results.h"
#include "session/drafts.h"
#include "session/errortext.h"
#include "session/messagesender.h"
#include "session/outbox.h"
#include "session/pendingrevocations.h"
#include "session/pushrouter.h"
#include "session/readmarkers.h"
#include "session/roomactions.h"
#include "session/roomstate.h"
#include "session/syncengine.h"
#include "session/typingstate.h"
#include "settings/appsettings.h"

#include <QJSEngine>
#include <QJsonArray>
#include <QStandardPaths>
#include <QUrl>

using namespace Qt::StringLiterals;
namespace req = confab::protocol::requests;

namespace confab::client {

namespace {

Session *s_instance = nullptr;
constexpr int FillWhenFewerThan = 30; // rows: fewer than a screenful pages in history
constexpr int LandingMaxRows = 2000; // paged back to reach the first unread, at most
const QString LastRoomKey = u"last_room"_s;

} // namespace

Session::Session(const SessionOptions &options, AppSettings *settings, QObject *parent)
    : QObject(parent)
    , m_options(options)
    , m_settings(settings)
    , m_connection(new ServerConnection(this))
    , m_connectionState(new ConnectionState(this))
    , m_sync(new SyncEngine(m_connection, this))
    , m_outbox(new Outbox(m_connection, m_connectionState, this))
    , m_typing(new TypingState(m_connection, m_connectionState, this))
    , m_tokens(new TokenStore(options.keychainService, this))
    , m_backoff(options.backoffInitialMs, options.backoffMaxMs)
    , m_rooms(new RoomListModel(this))
    , m_directory(new DirectoryModel(this))
    , m_members(new MemberListModel(this))
    , m_noRoom(new TimelineModel(0, QString(), this))
    , m_state(new RoomState(m_rooms, m_members, m_directory, m_outbox, m_sync, &m_store, this))
    , m_reads(new ReadMarkers(m_connection, m_connectionState, m_rooms, m_state, this))
    , m_actions(new RoomActions(
          m_connection, m_connectionState, m_state, m_sync, m_members, m_directory, this))
    , m_messages(new MessageSender(m_outbox, m_state, this))
    , m_revocations(new PendingRevocations(m_tokens, this))
    , m_drafts(new Drafts(this))
{
    if (m_options.dataDir.isEmpty())
        m_options.dataDir = QStandardPaths::writableLocation(QStandardPaths::AppDataLocation);
    m_tokens->setMemoryBackend(m_options.memoryKeychain);
    m_clock.start();
    m_connection->setWatchdog(m_options.pingIntervalMs, m_options.pingTimeoutMs);
    connect(m_connection, &ServerConnection::ready, this, &Session::onReady);
    connect(m_connection, &ServerConnection::closed, this, &Session::onClosed);
    routePushes();
    connect(
        m_connectionState, &ConnectionState::phaseChanged, this, &Session::connectionStateChanged);
    connect(m_sync, &SyncEngine::batchReady, m_state, &RoomState::applyBatch);
    connect(m_state, &RoomState::roomRemoved, this, [this](qint64 room) {
        if (room == m_currentRoom)
            selectRoom(0);
    });
    connect(m_state, &RoomState::roomReset, m_reads, &ReadMarkers::forget);
    connect(m_sync, &SyncEngine::resumeApplied, this, &Session::onResumeApplied);
    connect(m_sync, &SyncEngine::resumeComplete, this, [this] {
        landAfterResume(); // every gap is filled: the rows that came meanwhile are all there
        Q_EMIT resumed();
        if (TimelineModel *tl = m_state->timeline(m_currentRoom);
            tl && tl->rowCount() < FillWhenFewerThan && tl->hasMoreBefore())
            loadOlder();
    });
    connect(m_sync, &SyncEngine::resumeFailed, this, [this](const Reply &reply) {
        if (reply.outcome == Reply::Error && m_authenticated)
            m_connection->close(); // unexpected: start over with a fresh connection
    });
    connect(m_messages, &MessageSender::actionFailed, this, &Session::actionFailed);
    connect(m_actions, &RoomActions::roomOpened, this, &Session::selectRoom);
    connect(m_actions, &RoomActions::actionFailed, this, &Session::actionFailed);
    connect(m_actions, &RoomActions::loadingOlderChanged, this, [this] {
        Q_EMIT loadingOlderChanged();
        if (!m_actions->loadingOlder())
            continueLanding();
    });
    connect(m_typing, &TypingState::textChanged, this, &Session::typingTextChanged);
    connect(m_rooms, &RoomListModel::roomChanged, this, [this](qint64 room) {
        if (room == m_currentRoom)
            Q_EMIT currentRoomInfoChanged();
    });
    connect(m_rooms, &RoomListModel::totalsChanged, this, [this] {
        if (m_notifier)
            m_notifier->setUnreadTotal(m_rooms->totalUnread());
    });
    m_reconnectTimer.setSingleShot(true);
    connect(&m_reconnectTimer, &QTimer::timeout, this, &Session::reconnect);
    m_countdown.setInterval(1000);
    connect(&m_countdown, &QTimer::timeout, this, [this] {
        setReconnectIn(int(std::max<qint64>(0, (m_reconnectAt - m_clock.elapsed() + 999) / 1000)));
    });
}

void Session::routePushes()
{
    using protocol::ServerFrame;
    using protocol::ServerFrameType;
    auto *router = new PushRouter(this);
    connect(m_connection, &ServerConnection::pushReceived, router, &PushRouter::dispatch);
    router->route(
        ServerFrameType::Event, &ServerFrame::roomEvent, m_sync, &SyncEngine::handleEvent);
    router->holdsBack(ServerFrameType::Event, [this] { m_sync->flushLive(); });
    router->route(
        ServerFrameType::Room, &ServerFrame::roomSummary, m_state, &RoomState::applySummary);
    router->route(
        ServerFrameType::Unread, &ServerFrame::readState, m_reads, &ReadMarkers::applyReadState);
    router->route(ServerFrameType::Presence, &ServerFrame::presence, m_members,
        &MemberListModel::applyPresence);
    router->route(
        ServerFrameType::Typing, &ServerFrame::typing, m_typing, &TypingState::handlePush);
    router->route(ServerFrameType::Directory, &ServerFrame::directoryEntry, m_directory,
        &DirectoryModel::apply);
}

Session::~Session()
{
    m_drafts->setStore(nullptr); // written now: the cache closes before Drafts is deleted
    m_connection->disconnect(this);
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

// ---- sign-in, restore, sign-out -------------------------------------------------------

bool Session::restore()
{
    if (m_status != SignedOut || !m_settings)
        return false;
    const QString server = m_settings->lastServerUrl();
    const QString user = m_settings->lastUsername();
    if (server.isEmpty() || user.isEmpty() || !m_options.useKeychain)
        return false;
    m_revocations->revoke(server); // a sign-out that could not reach the server
    setIdentity(server, user);
    const quint64 generation = ++m_accountGeneration;
    m_actions->reset();
    // The keychain answers over D-Bus, after the first frames. A session saved last time
    // is shown from the cache at once, so the first frame is the chat page: never a
    // sign-in page that would take the first keystrokes and then vanish.
    if (m_settings->sessionSaved() && openStore()) {
        publishCache(m_store.rooms());
        m_connectionState->setPhase(ConnectionState::Resuming);
        setStatus(SignedIn);
    } else {
        setRestoring(true);
        setStatus(SigningIn);
    }
    m_tokens->read(TokenStore::keyFor(server, user),
        [this, generation](TokenStore::Result result, const QString &token) {
            if (generation != m_accountGeneration)
                return; // signed out (or in elsewhere) meanwhile
            setRestoring(false);
            if (result != TokenStore::Result::Ok || token.isEmpty()) {
                if (result == TokenStore::Result::Unavailable)
                    setKeychainWarning();
                else
                    m_settings->setSessionSaved(false);
                endRestore();
                return;
            }
            m_token = token;
            m_staySignedIn = true;
            m_settings->setSessionSaved(true); // the next start shows the cache at once
            if (!openStore()) {
                setErrorText(tr("The local cache could not be opened."));
                endRestore();
                return;
            }
            if (m_status != SignedIn) {
                publishCache(m_store.rooms()); // paint from the cache before the network answers
                setStatus(SignedIn);
            }
            m_auth = Auth::Token;
            reconnect();
        });
    return true;
}

void Session::endRestore()
{
    // Back to the sign-in page with the account's name filled in; the token (if the
    // keychain was only unreachable) stays where it is for the next start.
    ++m_accountGeneration;
    m_drafts->setStore(nullptr);
    m_outbox->setStore(nullptr);
    m_sync->setCursors({});
    m_store.close();
    selectRoom(0);
    // What the cached page did meanwhile (read markers, typing) belongs to this account:
    // none of it may reach the next one signed in here.
    m_reads->clear();
    m_typing->clear();
    m_state->clear();
    m_rooms->resetRooms({});
    m_members->clear();
    m_directory->clear();
    m_actions->reset();
    m_connectionState->setPhase(ConnectionState::Offline);
    setStatus(SignedOut);
}

void Session::signIn(
    const QString &serverUrl, const QString &username, const QString &password, bool staySignedIn)
{
    startSignIn(Auth::Login, serverUrl, username, password, {}, staySignedIn);
}

void Session::createAccount(const QString &serverUrl, const QString &username,
    const QString &password, const QString &invite, bool staySignedIn)
{
    startSignIn(Auth::Register, serverUrl, username, password, invite, staySignedIn);
}

void Session::startSignIn(Auth auth, const QString &serverUrl, const QString &username,
    const QString &password, const QString &invite, bool staySignedIn)
{
    if (m_status != SignedOut)
        return;
    const QString url = ServerConnection::normalisedUrl(serverUrl);
    if (url.isEmpty()) {
        setErrorText(tr("Enter a server address starting with ws:// or wss://."));
        return;
    }
    if (username.trimmed().isEmpty() || password.isEmpty()) {
        setErrorText(tr("Enter your username and password."));
        return;
    }
    ++m_accountGeneration;
    m_actions->reset();
    setErrorText({});
    setIdentity(url, username.trimmed());
    m_password = password;
    m_invite = invite.trimmed();
    m_staySignedIn = staySignedIn;
    m_auth = auth;
    setStatus(SigningIn);
    setBusy(true);
    m_connectionState->setPhase(ConnectionState::Resuming);
    m_connection->open(QUrl(url));
}

void Session::probeServer(const QString &serverUrl)
{
    // What was known is about the address before: nothing is offered (no "Create account")
    // until this one answers, and nothing at all if it never does.
    if (!m_registration.isEmpty()) {
        m_registration.clear();
        Q_EMIT registrationChanged();
    }
    const QString url = ServerConnection::normalisedUrl(serverUrl);
    if (url.isEmpty())
        return;
    if (!m_probe) {
        m_probe = new ServerConnection(this);
        connect(m_probe, &ServerConnection::ready, this, [this] {
            if (m_registration != m_probe->registration()) {
                m_registration = m_probe->registration();
                Q_EMIT registrationChanged();
            }
            m_probe->close();
        });
    }
    m_probe->open(QUrl(url));
}

void Session::signOut()
{
    if (m_status == SignedOut)
        return;
    const QString server = m_serverUrl;
    const QString token = m_token;
    if (m_authenticated) {
        // The server revokes the token, then closes every connection using it (SignedOut).
        m_connection->send(req::logout(), this, [this, server, token](const Reply &reply) {
            if (reply.outcome == Reply::Disconnected)
                keepForRevocation(server, token); // maybe revoked already: checked later
            if (m_status == SignedOut)
                m_connection->close();
        });
        QTimer::singleShot(5000, this, [this, generation = m_accountGeneration + 1] {
            if (m_status == SignedOut && generation == m_accountGeneration)
                m_connection->close();
        });
    } else {
        m_connection->close();
    }
    const bool offline = !m_authenticated;
    forgetAccount({});
    if (offline && !token.isEmpty())
        keepForRevocation(server, token);
}

void Session::keepForRevocation(const QString &server, const QString &token)
{
    // The token stays valid on the server until revoked; never in a plain file.
    const auto unrevoked = [this] {
        setKeychainWarning();
        setErrorText(tr("You are signed out on this computer, but the server could not be "
                        "told, and without a keychain the app cannot remind it later. Sign "
                        "in and out again while online to end that session on the server."));
    };
    if (!m_options.useKeychain) {
        unrevoked();
        return;
    }
    const quint64 generation = m_accountGeneration;
    m_revocations->add(server, token, [this, generation, unrevoked](bool stored) {
        if (!stored && generation == m_accountGeneration)
            unrevoked();
    });
}

void Session::forgetAccount(const QString &error)
{
    ++m_accountGeneration;
    setRestoring(false);
    if (m_settings)
        m_settings->setSessionSaved(false);
    if (m_options.useKeychain && !m_serverUrl.isEmpty())
        m_tokens->remove(TokenStore::keyFor(m_serverUrl, m_username));
    m_sync->stop();
    m_sync->setCursors({});
    m_connectionState->setPhase(ConnectionState::Offline);
    m_outbox->setStore(nullptr);
    m_drafts->setStore(nullptr);
    m_store.close();
    m_reconnectTimer.stop();
    m_countdown.stop();
    setReconnectIn(0);
    m_reads->clear();
    m_token.clear();
    m_password.clear();
    m_authenticated = false;
    m_auth = Auth::None;
    m_backoff.reset();
    selectRoom(0); // QML lets go of the timeline before it is deleted
    m_state->clear();
    m_rooms->resetRooms({});
    m_members->clear();
    m_directory->clear();
    m_actions->reset();
    setErrorText(error);
    setBusy(false);
    setStatus(SignedOut);
}

void Session::setKeychainWarning()
{
    if (!m_keychainWarning.isEmpty())
        return; // said once is enough
    m_keychainWarning = tr("No keychain is available, so you will have to sign in again next "
                           "time. Your password and session are not stored anywhere.");
    Q_EMIT keychainWarningChanged();
}

void Session::saveToken()
{
    if (!m_staySignedIn)
        return;
    if (!m_options.useKeychain) {
        setKeychainWarning();
        return;
    }
    m_tokens->write(TokenStore::keyFor(m_serverUrl, m_username), m_token,
        [this, generation = m_accountGeneration](TokenStore::Result result, const QString &) {
            if (result != TokenStore::Result::Ok)
                setKeychainWarning();
            else if (m_settings && generation == m_accountGeneration)
                m_settings->setSessionSaved(true);
        });
}

// ---- connection ---------------------------------------------------------------------------

void Session::onReady()
{
    const protocol::Limits &limits = m_connection->limits();
    if (m_maxTextBytes != limits.maxTextBytes) {
        m_maxTextBytes = limits.maxTextBytes;
        Q_EMIT limitsChanged();
    }
    m_actions->setHistoryPageMax(limits.historyPageMax);
    m_sync->setHistoryPageMax(limits.historyPageMax);
    m_typing->setTtlMs(limits.typingTtlMs);
    if (m_registration != m_connection->registration()) {
        m_registration = m_connection->registration();
        Q_EMIT registrationChanged();
    }
    if (m_options.useKeychain)
        m_revocations->revoke(m_serverUrl); // sign-outs that could not reach it before
    switch (m_auth) {
    case Auth::Login:
        m_connection->send(req::login(m_username, m_password), this,
            [this](const Reply &r) { onAccountReply(r); });
        break;
    case Auth::Register:
        m_connection->send(req::registerAccount(m_username, m_password, m_invite), this,
            [this](const Reply &r) { onAccountReply(r); });
        break;
    case Auth::Token:
        // authenticate is immediate, so sync may follow at once (§10).
        m_connection->send(
            req::authenticate(m_token), this, [this](const Reply &r) { onAuthenticateReply(r); });
        m_sync->startResume();
        break;
    case Auth::None:
        m_connection->close();
        break;
    }
}

void Session::onAccountReply(const Reply &reply)
{
    if (m_status != SigningIn)
        return;
    if (!reply.ok()) {
        if (reply.outcome == Reply::Error) {
            setErrorText(signInErrorText(reply.error, reply.retryAfterMs));
            m_auth = Auth::None;
            m_connection->close();
        }
        return; // a lost connection is reported by onClosed
    }
    const auto signedIn = protocol::SignedIn::fromJson(reply.data);
    if (!signedIn) {
        qCWarning(lcClientSession) << "sign-in result without a user: starting over";
        m_connection->close();
        return;
    }
    m_password.clear();
    m_authenticated = true;
    m_token = signedIn->token;
    setIdentity(m_serverUrl, signedIn->user);
    if (!openStore()) {
        setErrorText(tr("The local cache could not be opened."));
        m_connection->close();
        forgetAccount(m_errorText);
        return;
    }
    if (m_settings) {
        m_settings->setLastServerUrl(m_serverUrl);
        m_settings->setLastUsername(m_username);
        m_settings->setSessionSaved(false); // until the keychain holds this account's token
    }
    saveToken();
    publishCache(signedIn->rooms);
    m_auth = Auth::Token; // reconnects authenticate with the token
    setBusy(false);
    setStatus(SignedIn);
    m_backoff.connected(m_clock.elapsed());
    m_sync->startResume();
}

void Session::onAuthenticateReply(const Reply &reply)
{
    if (reply.ok()) {
        m_authenticated = true;
        m_backoff.connected(m_clock.elapsed());
        if (const auto signedIn = protocol::SignedIn::fromJson(reply.data))
            setIdentity(m_serverUrl, signedIn->user);
        return;
    }
    if (reply.outcome != Reply::Error)
        return;
    using protocol::ErrorCode;
    if (reply.error == ErrorCode::InvalidToken || reply.error == ErrorCode::AccountDisabled) {
        const QString error = signInErrorText(reply.error, 0);
        m_connection->close();
        forgetAccount(error);
        return;
    }
    m_connection->close(); // shutting_down, rate_limited, ...: try again later
}

void Session::onResumeApplied()
{
    // Outbox, read markers, typing and room actions follow the state themselves.
    m_connectionState->setPhase(ConnectionState::Live);
}

void Session::landAfterResume()
{
    // The room on screen was opened from the cache (a cold start, a sign-in, a reconnect):
    // what the resume brought in is unread, and the view lands on it as if the room had just
    // been opened, unless the user has scrolled since.
    TimelineModel *tl = m_state->existingTimeline(m_currentRoom);
    if (!tl)
        return;
    if (const auto s = m_rooms->room(m_currentRoom))
        tl->setReadSeq(s->readSeq);
    if (tl->firstUnreadRow() < 0 && tl->unreadLineLoaded())
        return;
    m_landingRows = -1;
    tl->setLandingPending(!tl->unreadLineLoaded());
    continueLanding();
    Q_EMIT landingRequested();
}

void Session::onClosed(const CloseInfo &info)
{
    m_authenticated = false;
    // Live frames that came on this connection are applied before anything follows the
    // state offline.
    m_sync->stop();
    m_connectionState->setPhase(ConnectionState::Offline);
    if (m_status == SignedOut)
        return;
    if (m_status == SigningIn && m_auth != Auth::Token) {
        if (m_errorText.isEmpty())
            setErrorText(connectErrorText(info.socketError, info.watchdog));
        m_password.clear();
        m_auth = Auth::None;
        setBusy(false);
        setStatus(SignedOut);
        return;
    }
    if (info.code == protocol::closecode::SignedOut) {
        forgetAccount(tr("You were signed out."));
        return;
    }
    m_backoff.disconnected(m_clock.elapsed());
    if (info.code == protocol::closecode::Flooding)
        m_backoff.jumpToMax();
    if (!info.local)
        scheduleReconnect();
}

void Session::scheduleReconnect()
{
    const int delay = m_backoff.nextDelayMs();
    qCInfo(lcClientSession) << "reconnecting in" << delay << "ms";
    m_reconnectAt = m_clock.elapsed() + delay;
    m_reconnectTimer.start(delay);
    m_countdown.start();
    setReconnectIn((delay + 999) / 1000);
}

void Session::retryNow()
{
    if (m_status != SignedIn || m_connectionState->phase() != ConnectionState::Offline)
        return;
    reconnect();
}

void Session::reconnect()
{
    m_reconnectTimer.stop();
    m_countdown.stop();
    setReconnectIn(0);
    if (m_status != SignedIn || m_serverUrl.isEmpty())
        return;
    m_connectionState->setPhase(ConnectionState::Resuming);
    m_connection->open(QUrl(m_serverUrl));
}

// ---- cache and models ---------------------------------------------------------------------

bool Session::openStore()
{
    if (m_store.isOpen())
        return true;
    if (!m_store.open(LocalStore::pathFor(m_options.dataDir, m_serverUrl, m_username)))
        return false;
    m_sync->setCursors(m_store.cursors());
    m_outbox->setStore(&m_store);
    m_drafts->setStore(&m_store);
    return true;
}

void Session::publishCache(const QList<RoomSummary> &rooms)
{
    m_rooms->setOwnUser(m_username);
    m_members->setOwnUser(m_username);
    m_state->setOwnUser(m_username);
    m_rooms->resetRooms(rooms);
    if (m_notifier)
        m_notifier->setUnreadTotal(m_rooms->totalUnread());
    const qint64 last = m_store.meta(LastRoomKey).toLongLong();
    if (last > 0 && m_rooms->contains(last))
        selectRoom(last);
}

// ---- rooms ----------------------------------------------------------------------------------

void Session::selectRoom(qint64 roomId)
{
    if (roomId == m_currentRoom || (roomId != 0 && !m_rooms->contains(roomId)))
        return;
    m_reads->flush();
    m_currentRoom = roomId;
    m_state->setCurrentRoom(roomId);
    m_actions->setCurrentRoom(roomId);
    m_members->clear();
    m_typing->setCurrentRoom(roomId);
    if (TimelineModel *tl = m_state->timeline(roomId)) {
        if (const auto s = m_rooms->room(roomId))
            tl->setReadSeq(s->readSeq);
        // Opening a room shows its first unread message: page back to it first.
        m_landingRows = -1;
        tl->setLandingPending(m_connectionState->isLive() && !tl->unreadLineLoaded());
        if (m_store.isOpen())
            m_store.setMeta(LastRoomKey, QString::number(roomId));
    }
    Q_EMIT currentRoomChanged();
    Q_EMIT currentRoomInfoChanged();
    m_actions->requestMembers();
    TimelineModel *tl = m_state->timeline(roomId);
    if (tl && tl->landingPending())
        continueLanding();
    else if (tl && m_connectionState->isLive() && tl->rowCount() < FillWhenFewerThan
        && tl->hasMoreBefore())
        loadOlder();
}

void Session::continueLanding()
{
    TimelineModel *tl = m_state->existingTimeline(m_currentRoom);
    if (!tl || !tl->landingPending() || m_actions->loadingOlder())
        return;
    // Bounded: far more unread than anyone reads opens at the oldest of these rows; and a
    // page that added nothing (only rows already held) ends it too.
    if (!tl->unreadLineLoaded() && tl->rowCount() < LandingMaxRows
        && tl->rowCount() != m_landingRows && m_connectionState->isLive()) {
        m_landingRows = tl->rowCount();
        loadOlder();
    }
    if (!m_actions->loadingOlder())
        tl->setLandingPending(false);
}

void Session::markRead(qint64 seq)
{
    m_reads->mark(m_currentRoom, seq);
}

void Session::loadOlder()
{
    m_actions->loadOlder();
}

void Session::refreshDirectory()
{
    m_actions->refreshDirectory();
}

void Session::createRoom(const QString &name, const QString &topic)
{
    m_actions->createRoom(name, topic);
}

void Session::joinRoom(qint64 roomId)
{
    m_actions->joinRoom(roomId);
}

void Session::leaveRoom(qint64 roomId)
{
    m_actions->leaveRoom(roomId);
}

void Session::openDirect(const QString &user)
{
    m_actions->openDirect(user);
}

void Session::setTopic(const QString &topic)
{
    m_actions->setTopic(topic);
}

// ---- messages -----------------------------------------------------------------------------

void Session::sendMessage(const QString &text)
{
    if (m_status == SignedIn && m_messages->send(m_currentRoom, text, m_maxTextBytes))
        m_typing->messageSent();
}

void Session::retryMessage(const QString &txn)
{
    m_messages->retry(txn);
}

void Session::discardMessage(const QString &txn)
{
    m_messages->discard(txn);
}

void Session::composerTextChanged(const QString &text)
{
    if (!m_drafts->setText(m_currentRoom, text))
        return; // the room's draft put back on a room switch: nobody is typing
    m_typing->composerTextChanged(text);
}

int Session::utf8Length(const QString &text) const
{
    return int(text.toUtf8().size());
}

void Session::setNotifier(Notifier *notifier)
{
    m_notifier = notifier;
    m_state->setNotifier(notifier);
    if (m_notifier)
        m_notifier->setUnreadTotal(m_rooms->totalUnread());
}

} // namespace confab::client
