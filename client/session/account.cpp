// SPDX-License-Identifier: GPL-3.0-or-later
#include "session/account.h"

#include "core/clientlogging.h"
#include "keychain/tokenstore.h"
#include "net/pinstore.h"
#include "net/serverconnection.h"
#include "protocol/closecode.h"
#include "protocol/results.h"
#include "session/devicename.h"
#include "session/errortext.h"
#include "session/pendingrevocations.h"
#include "session/servertrust.h"
#include "session/session.h"
#include "session/syncengine.h"
#include "settings/appsettings.h"

#include <QJSEngine>
#include <QUrl>

namespace req = confab::protocol::requests;

namespace confab::client {

Account::Account(const SessionOptions &options, AppSettings *settings, Connection *connection,
    ConnectionState *state, SyncEngine *sync, AccountData *data, QObject *parent)
    : QObject(parent)
    , m_options(options)
    , m_settings(settings)
    , m_connection(connection)
    , m_state(state)
    , m_sync(sync)
    , m_data(data)
    , m_tokens(new TokenStore(options.keychainService, this))
    , m_revocations(new PendingRevocations(m_tokens, this))
    , m_backoff(options.backoffInitialMs, options.backoffMaxMs)
{
    m_tokens->setMemoryBackend(m_options.memoryKeychain);
    m_clock.start();
    connect(m_connection, &Connection::ready, this, &Account::onReady);
    connect(m_connection, &Connection::closed, this, &Account::onClosed);
    connect(m_state, &ConnectionState::phaseChanged, this, &Account::connectionStateChanged);
    // Outbox, read markers, typing and room actions follow the state themselves.
    connect(m_sync, &SyncEngine::resumeApplied, this,
        [this] { m_state->setPhase(ConnectionState::Live); });
    connect(m_sync, &SyncEngine::resumeFailed, this, [this](const Reply &reply) {
        if (reply.outcome == Reply::Error && m_authenticated)
            m_connection->close(); // unexpected: start over with a fresh connection
    });
    m_reconnectTimer.setSingleShot(true);
    connect(&m_reconnectTimer, &QTimer::timeout, this, &Account::reconnect);
    m_countdown.setInterval(1000);
    connect(&m_countdown, &QTimer::timeout, this, [this] {
        setReconnectIn(int(std::max<qint64>(0, (m_reconnectAt - m_clock.elapsed() + 999) / 1000)));
    });
}

Account::~Account() = default;

Account *Account::create(QQmlEngine *, QJSEngine *)
{
    Session *session = Session::instance();
    Q_ASSERT(session);
    QJSEngine::setObjectOwnership(session->account(), QJSEngine::CppOwnership);
    return session->account();
}

void Account::setTrust(ServerTrust *trust, const PinStore *pins)
{
    m_trust = trust;
    m_pins = pins;
    m_revocations->setPinStore(pins);
    connect(m_trust, &ServerTrust::confirmed, this, [this] { onTrustAnswered(true); });
    connect(m_trust, &ServerTrust::rejected, this, [this] { onTrustAnswered(false); });
}

ConnectionState::Phase Account::connectionState() const
{
    return m_state->phase();
}

// ---- sign-in, restore, sign-out -------------------------------------------------------

bool Account::restore()
{
    if (m_status != SignedOut || !m_settings)
        return false;
    const QString server = m_settings->lastServerUrl();
    const QString user = m_settings->lastUsername();
    if (server.isEmpty() || user.isEmpty() || !m_options.useKeychain)
        return false;
    m_revocations->revoke(server); // a sign-out that could not reach the server
    setIdentity(server, user);
    // Known before any connection, so that a server gone from this address can be looked
    // for nearby by its id.
    m_serverId = m_pins ? m_pins->serverIdFor(QUrl(server)) : QString();
    const quint64 generation = ++m_generation;
    // The keychain answers over D-Bus, after the first frames. A session saved last time
    // is shown from the cache at once, so the first frame is the chat page: never a
    // sign-in page that would take the first keystrokes and then vanish.
    if (m_settings->sessionSaved() && m_data->openCache(m_serverUrl, m_username)) {
        m_data->showRooms(m_username, m_data->cachedRooms());
        m_state->setPhase(ConnectionState::Resuming);
        setStatus(SignedIn);
    } else {
        setRestoring(true);
        setStatus(SigningIn);
    }
    m_tokens->read(TokenStore::keyFor(server, user),
        [this, generation](TokenStore::Result result, const QString &token) {
            if (generation != m_generation)
                return; // signed out (or in elsewhere) meanwhile
            setRestoring(false);
            // Back to the sign-in page with the account's name filled in; the token (if
            // the keychain was only unreachable) stays where it is for the next start.
            if (result != TokenStore::Result::Ok || token.isEmpty()) {
                if (result == TokenStore::Result::Unavailable)
                    setKeychainWarning();
                else
                    m_settings->setSessionSaved(false);
                endAccount(Token::Keep, m_errorText);
                return;
            }
            m_token = token;
            m_staySignedIn = true;
            m_settings->setSessionSaved(true); // the next start shows the cache at once
            if (!m_data->openCache(m_serverUrl, m_username)) {
                endAccount(Token::Keep, tr("The local cache could not be opened."));
                return;
            }
            if (m_status != SignedIn) {
                // Paint from the cache before the network answers.
                m_data->showRooms(m_username, m_data->cachedRooms());
                setStatus(SignedIn);
            }
            m_auth = Auth::Token;
            reconnect();
        });
    return true;
}

void Account::signIn(
    const QString &serverUrl, const QString &username, const QString &password, bool staySignedIn)
{
    startSignIn(Auth::Login, serverUrl, username, password, {}, staySignedIn);
}

void Account::createAccount(const QString &serverUrl, const QString &username,
    const QString &password, const QString &invite, bool staySignedIn)
{
    startSignIn(Auth::Register, serverUrl, username, password, invite, staySignedIn);
}

void Account::startSignIn(Auth auth, const QString &serverUrl, const QString &username,
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
    ++m_generation;
    setErrorText({});
    setIdentity(url, username.trimmed());
    m_serverId = m_pins ? m_pins->serverIdFor(QUrl(url)) : QString();
    m_password = password;
    m_invite = invite.trimmed();
    m_staySignedIn = staySignedIn;
    m_auth = auth;
    setStatus(SigningIn);
    setBusy(true);
    m_state->setPhase(ConnectionState::Resuming);
    openConnection();
}

void Account::openConnection()
{
    if (!m_followUrl.isEmpty()) {
        // Only the server that answered at m_serverUrl may take its place: the same id,
        // and the same key where one is pinned (a different one there is a hard stop).
        m_connection->setExpectedFingerprint(
            m_pins ? m_pins->fingerprintOf(m_serverId) : QString());
        m_connection->setExpectedServerId(m_serverId);
        m_connection->open(QUrl(m_followUrl));
        return;
    }
    const QUrl url(m_serverUrl);
    m_connection->setExpectedFingerprint(m_trust ? m_trust->invitedFingerprint(url) : QString());
    m_connection->setExpectedServerId(m_trust ? m_trust->invitedServerId(url) : QString());
    m_connection->open(url);
}

void Account::probeServer(const QString &serverUrl)
{
    // What was known is about the address before: nothing is offered (no "Create account")
    // until this one answers, and nothing at all if it never does.
    setRegistration({});
    const QString url = ServerConnection::normalisedUrl(serverUrl);
    if (url.isEmpty())
        return;
    if (!m_probe) {
        m_probe = new ServerConnection(this);
        // Only the hello is read, so a server nobody vouches for may answer; a pinned one
        // must still show its key.
        m_probe->setPinStore(m_pins);
        m_probe->setAllowFirstUse(true);
        connect(m_probe, &ServerConnection::ready, this, [this] {
            setRegistration(m_probe->registration());
            m_probe->close();
        });
    }
    m_probe->open(QUrl(url));
}

void Account::signOut()
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
        QTimer::singleShot(5000, this, [this, generation = m_generation + 1] {
            if (m_status == SignedOut && generation == m_generation)
                m_connection->close();
        });
    } else {
        m_connection->close();
    }
    const bool offline = !m_authenticated;
    endAccount(Token::Forget, {});
    if (offline && !token.isEmpty())
        keepForRevocation(server, token);
}

void Account::keepForRevocation(const QString &server, const QString &token)
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
    const quint64 generation = m_generation;
    m_revocations->add(server, token, [this, generation, unrevoked](bool stored) {
        if (!stored && generation == m_generation)
            unrevoked();
    });
}

void Account::endAccount(Token token, const QString &error)
{
    ++m_generation;
    if (std::exchange(m_awaitingTrust, false) && m_trust)
        m_trust->withdraw();
    setRestoring(false);
    if (token == Token::Forget) {
        if (m_settings)
            m_settings->setSessionSaved(false);
        if (m_options.useKeychain && !m_serverUrl.isEmpty())
            m_tokens->remove(TokenStore::keyFor(m_serverUrl, m_username));
    }
    m_sync->stop();
    m_sync->setCursors({});
    m_state->setPhase(ConnectionState::Offline);
    m_reconnectTimer.stop();
    m_countdown.stop();
    setReconnectIn(0);
    m_token.clear();
    m_password.clear();
    m_authenticated = false;
    m_auth = Auth::None;
    m_backoff.reset();
    m_followUrl.clear();
    m_refusedMoves.clear();
    m_retryMoveAt.clear();
    m_failures = 0;
    stopLookingNearby();
    setMoveNotice({});
    m_data->closeAccount();
    setErrorText(error);
    setBusy(false);
    setStatus(SignedOut);
}

void Account::setKeychainWarning()
{
    if (!m_keychainWarning.isEmpty())
        return; // said once is enough
    m_keychainWarning = tr("No keychain is available, so you will have to sign in again next "
                           "time. Your password and session are not stored anywhere.");
    Q_EMIT keychainWarningChanged();
}

void Account::saveToken()
{
    if (!m_staySignedIn)
        return;
    if (!m_options.useKeychain) {
        setKeychainWarning();
        return;
    }
    m_tokens->write(TokenStore::keyFor(m_serverUrl, m_username), m_token,
        [this, generation = m_generation](TokenStore::Result result, const QString &) {
            if (result != TokenStore::Result::Ok)
                setKeychainWarning();
            else if (m_settings && generation == m_generation)
                m_settings->setSessionSaved(true);
        });
}

// ---- connection ---------------------------------------------------------------------------

void Account::onReady()
{
    if (askTrust())
        return;
    m_failures = 0;
    stopLookingNearby();
    if (!m_followUrl.isEmpty())
        adoptFollowed(); // the connection checked the id and the pin
    else if (!m_connection->hello().serverId.isEmpty())
        m_serverId = m_connection->hello().serverId;
    // Nothing is sent to a server that says it moved: the credentials go to the new address.
    if (tryAddress(m_connection->hello().movedTo))
        return;
    setRegistration(m_connection->registration());
    if (m_options.useKeychain)
        m_revocations->revoke(m_serverUrl); // sign-outs that could not reach it before
    switch (m_auth) {
    case Auth::Login:
        m_connection->send(req::login(m_username, m_password, deviceName()), this,
            [this](const Reply &r) { onAccountReply(r); });
        break;
    case Auth::Register:
        m_connection->send(req::registerAccount(m_username, m_password, m_invite, deviceName()),
            this, [this](const Reply &r) { onAccountReply(r); });
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

void Account::onAccountReply(const Reply &reply)
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
        qCWarning(lcClientAccount) << "sign-in result without a user: starting over";
        m_connection->close();
        return;
    }
    m_password.clear();
    m_authenticated = true;
    m_token = signedIn->token;
    setIdentity(m_serverUrl, signedIn->user);
    if (!m_data->openCache(m_serverUrl, m_username)) {
        setErrorText(tr("The local cache could not be opened."));
        m_connection->close();
        endAccount(Token::Forget, m_errorText);
        return;
    }
    if (m_settings) {
        m_settings->setLastServerUrl(m_serverUrl);
        m_settings->setLastUsername(m_username);
        m_settings->setSessionSaved(false); // until the keychain holds this account's token
    }
    saveToken();
    m_data->showRooms(m_username, signedIn->rooms);
    Q_EMIT this->signedIn(*signedIn);
    m_auth = Auth::Token; // reconnects authenticate with the token
    setBusy(false);
    setStatus(SignedIn);
    m_backoff.connected(m_clock.elapsed());
    m_sync->startResume();
}

void Account::onAuthenticateReply(const Reply &reply)
{
    if (reply.ok()) {
        m_authenticated = true;
        m_backoff.connected(m_clock.elapsed());
        if (const auto signedIn = protocol::SignedIn::fromJson(reply.data)) {
            setIdentity(m_serverUrl, signedIn->user);
            Q_EMIT this->signedIn(*signedIn);
        }
        return;
    }
    if (reply.outcome != Reply::Error)
        return;
    using protocol::ErrorCode;
    if (reply.error == ErrorCode::InvalidToken || reply.error == ErrorCode::AccountDisabled) {
        const QString error = signInErrorText(reply.error, 0);
        m_connection->close();
        endAccount(Token::Forget, error);
        return;
    }
    m_connection->close(); // shutting_down, rate_limited, ...: try again later
}

bool Account::askTrust()
{
    const TlsTrust tls = m_connection->tlsTrust();
    if (tls.kind != TlsTrust::FirstUse) {
        if (m_trust)
            m_trust->noteTrusted(QUrl(connectingUrl()), m_connection->hello(), tls);
        return false;
    }
    // Not a credential, token or revocation goes to a server nobody vouches for. The user
    // compares codes at leisure (the server would drop an idle unauthenticated connection
    // meanwhile); the next connection is checked against the pin in its handshake.
    qCInfo(lcClientAccount) << connectingUrl() << "is not vouched for: asking the user";
    const protocol::Hello hello = m_connection->hello();
    m_awaitingTrust = true;
    m_connection->close();
    if (m_trust)
        m_trust->askFirstUse(QUrl(connectingUrl()), hello, tls);
    else
        onTrustAnswered(false);
    return true;
}

void Account::onTrustAnswered(bool confirmed)
{
    if (!std::exchange(m_awaitingTrust, false))
        return;
    const bool wasFollowing = !confirmed && !m_followUrl.isEmpty();
    if (wasFollowing) {
        // A new address whose code was not confirmed is not followed; the old one serves.
        refuseMove(std::exchange(m_followUrl, {}));
    }
    if (confirmed || wasFollowing) {
        if (m_status == SignedIn) {
            reconnect();
        } else if (m_status == SigningIn) {
            m_state->setPhase(ConnectionState::Resuming);
            openConnection();
        }
        return;
    }
    if (m_status == SigningIn && m_auth != Auth::Token) {
        setErrorText(tr("Not signed in: the server's code was not confirmed."));
        m_password.clear();
        m_auth = Auth::None;
        setBusy(false);
        setStatus(SignedOut);
    }
    // Signed in: it stays offline until the user retries.
}

void Account::onKeyChanged(const CloseInfo &info)
{
    if (m_trust)
        m_trust->showKeyChanged(QUrl(m_serverUrl), info);
    const QString text = tr("Not connected: this server's key has changed.");
    if (m_status == SigningIn && m_auth != Auth::Token) {
        setErrorText(text);
        m_password.clear();
        m_auth = Auth::None;
        setBusy(false);
        setStatus(SignedOut);
    } else if (m_restoring) {
        endAccount(Token::Keep, text);
    }
    // Signed in: no reconnecting to it by itself; the user may retry once the host
    // explains.
}

void Account::onClosed(const CloseInfo &info)
{
    m_authenticated = false;
    // Live frames that came on this connection are applied before anything follows the
    // state offline.
    m_sync->stop();
    m_state->setPhase(ConnectionState::Offline);
    if (m_status == SignedOut || m_awaitingTrust || m_switching)
        return;
    const bool following = !m_followUrl.isEmpty();
    if (following && followFailed(info))
        return;
    if (info.pinMismatch && !following) {
        onKeyChanged(info);
        return;
    }
    if (!info.reachedServer && !following)
        ++m_failures;
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
        endAccount(Token::Forget, signedOutText(info.reason));
        return;
    }
    m_backoff.disconnected(m_clock.elapsed());
    if (info.code == protocol::closecode::Flooding)
        m_backoff.jumpToMax();
    if (!info.local)
        scheduleReconnect();
}

void Account::scheduleReconnect()
{
    const int delay = m_backoff.nextDelayMs();
    qCInfo(lcClientAccount) << "reconnecting in" << delay << "ms";
    m_reconnectAt = m_clock.elapsed() + delay;
    m_reconnectTimer.start(delay);
    m_countdown.start();
    setReconnectIn((delay + 999) / 1000);
}

void Account::retryNow()
{
    if (m_status != SignedIn || m_state->phase() != ConnectionState::Offline)
        return;
    reconnect();
}

void Account::reconnect()
{
    m_reconnectTimer.stop();
    m_countdown.stop();
    setReconnectIn(0);
    if (m_status != SignedIn || m_serverUrl.isEmpty())
        return;
    m_state->setPhase(ConnectionState::Resuming);
    lookNearby();
    openConnection();
}

// ---- properties ---------------------------------------------------------------------------

void Account::setStatus(Status status)
{
    if (m_status == status)
        return;
    m_status = status;
    Q_EMIT statusChanged();
}

void Account::setRestoring(bool restoring)
{
    if (m_restoring == restoring)
        return;
    m_restoring = restoring;
    Q_EMIT statusChanged();
}

void Account::setErrorText(const QString &text)
{
    if (m_errorText == text)
        return;
    m_errorText = text;
    Q_EMIT errorTextChanged();
}

void Account::clearError()
{
    setErrorText({});
}

void Account::setBusy(bool busy)
{
    if (m_busy == busy)
        return;
    m_busy = busy;
    Q_EMIT busyChanged();
}

void Account::setReconnectIn(int seconds)
{
    if (m_reconnectIn == seconds)
        return;
    m_reconnectIn = seconds;
    Q_EMIT reconnectInSecondsChanged();
}

void Account::setRegistration(const QString &registration)
{
    if (m_registration == registration)
        return;
    m_registration = registration;
    Q_EMIT registrationChanged();
}

void Account::setIdentity(const QString &serverUrl, const QString &username)
{
    if (m_serverUrl != serverUrl) {
        m_serverUrl = serverUrl;
        Q_EMIT serverUrlChanged();
    }
    if (!username.isEmpty() && m_username != username) {
        m_username = username;
        Q_EMIT usernameChanged();
    }
}

} // namespace confab::client
