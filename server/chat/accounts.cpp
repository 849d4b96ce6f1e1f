// SPDX-License-Identifier: GPL-3.0-or-later
#include "chat/accounts.h"

#include "auth/passwordhasher.h"
#include "auth/tokens.h"
#include "chat/fanout.h"
#include "chat/peer.h"
#include "chat/peerwrite.h"
#include "chat/presence.h"
#include "chat/ranks.h"
#include "chat/roomviews.h"
#include "core/logging.h"
#include "core/metrics.h"
#include "core/monotonicclock.h"
#include "protocol/errorcode.h"
#include "protocol/results.h"
#include "protocol/serverframe.h"
#include "storage/accountstore.h"
#include "storage/sessionstore.h"
#include "storage/writecontext.h"

#include <QDateTime>
#include <QPointer>
#include <QThreadPool>
#include <QtConcurrent/QtConcurrentRun>

using namespace Qt::StringLiterals;
using confab::protocol::ErrorCode;

namespace confab::server {

namespace {
// Argon2id takes 19 MiB and tens of ms each; beyond this many in flight,
// a login flood is refused instead of queued without bound.
int maxHashJobs()
{
    return QThreadPool::globalInstance()->maxThreadCount() * 8;
}

SignInGate::Limits gateLimits(const ServerConfig &config)
{
    return {config.loginFreeFailures, config.loginAddressFreeFailures, maxHashJobs()};
}

QString refusalMessage(ErrorCode code)
{
    switch (code) {
    case ErrorCode::NameTaken:
        return u"that name is taken"_s;
    case ErrorCode::InvalidInvite:
        return u"the invite code is not valid"_s;
    case ErrorCode::AccountDisabled:
        return u"this account is disabled"_s;
    default:
        return u"wrong username or password"_s;
    }
}

/*! \brief Wall-clock ms, for what is stored (token expiry); intervals use monotonicMs(). */
qint64 wallClockMs()
{
    return QDateTime::currentMSecsSinceEpoch();
}

constexpr qint64 TokenPruneIntervalMs = 3600 * 1000;

/*! \brief The peer's address as `sessions` shows it (§18.1); "" if unknown. */
QString addressText(const Peer *peer)
{
    const QHostAddress address = peer->peerAddress();
    if (address.isNull())
        return {};
    // An IPv4 client of a dual-stack socket shows as itself, not ::ffff:a.b.c.d.
    bool v4 = false;
    const quint32 ipv4 = address.toIPv4Address(&v4);
    return v4 ? QHostAddress(ipv4).toString() : address.toString();
}

/*!
 * One line per sign-in, by password or by token, in the same shape, so that an operator
 * (or fail2ban) reads both alike. Names and devices are quoted: they come from clients.
 */
void logSignIn(const char *method, const QString &user, const Peer *peer, const QString &device,
    qint64 session, std::optional<ErrorCode> failure)
{
    QString text;
    {
        QDebug line = QDebug(&text).nospace();
        line << "sign-in by " << method << ": user " << user << " from "
             << qUtf8Printable(addressText(peer)) << " device " << device;
        if (session)
            line << " session " << session;
        line << ": " << (failure ? qUtf8Printable(protocol::errorCodeName(*failure)) : "ok");
    }
    qCInfo(lcAuth).noquote() << text;
}
} // namespace

Accounts::Accounts(const ServerConfig &config, StorageWriter &writer, StatementCache &reader,
    Fanout &fanout, RoomViews &views, Presence &presence, Ranks &ranks, SessionCache &sessions,
    QObject *parent)
    : QObject(parent)
    , m_config(config)
    , m_writer(writer)
    , m_reader(reader)
    , m_fanout(fanout)
    , m_views(views)
    , m_presence(presence)
    , m_ranks(ranks)
    , m_gate(gateLimits(config))
    , m_sessions(sessions)
{
    m_touchTimer.setSingleShot(true);
    m_touchTimer.setInterval(TouchFlushMs);
    connect(&m_touchTimer, &QTimer::timeout, this, &Accounts::flushTouches);
}

void Accounts::stopSigningIn()
{
    m_stopped = true;
    flushTouches();
}

void Accounts::start()
{
    m_decoyHash = passwords::decoyHash();
}

void Accounts::warmUp()
{
    const auto live = sessionstore::liveSessions(m_reader, wallClockMs(), SessionCache::Budget / 2);
    for (const auto &[hash, session] : live)
        m_sessions.remember(hash, session);
    qCInfo(lcAuth) << "sessions in memory:" << live.size();
}

void Accounts::reconfigure()
{
    m_gate.setFreeFailures(m_config.loginFreeFailures, m_config.loginAddressFreeFailures);
}

void Accounts::sweep(qint64 nowMs)
{
    m_gate.prune(nowMs);
    // A token not seen for an interval is written again at its next sign-in anyway.
    for (auto it = m_touched.begin(); it != m_touched.end();) {
        if (nowMs - it->atMonotonicMs >= TouchIntervalMs)
            it = m_touched.erase(it);
        else
            ++it;
    }
    if (nowMs - m_lastTokenPrune > TokenPruneIntervalMs) {
        m_lastTokenPrune = nowMs;
        m_writer.submit(
            [](WriteContext &ctx) { return accountstore::deleteExpiredTokens(ctx); }, {});
    }
}

void Accounts::refuse(Peer *peer, const QJsonValue &id, const SignInGate::Decision &decision)
{
    const qint64 wait = decision.retryAfterMs;
    QString message;
    switch (*decision.refusal) {
    case SignInGate::Refusal::Name:
        message = u"too many failed attempts; retry in %1 ms"_s.arg(wait);
        metrics::refused(metrics::Refusal::LoginName);
        break;
    case SignInGate::Refusal::Address:
        message = u"too many sign-in attempts from your address; retry in %1 ms"_s.arg(wait);
        metrics::refused(metrics::Refusal::LoginAddress);
        break;
    case SignInGate::Refusal::Busy:
        message = u"the server is busy; retry shortly"_s;
        metrics::refused(metrics::Refusal::LoginBusy);
        break;
    }
    peer->fail(id, ErrorCode::Throttled, message, protocol::frames::retryAfter(wait));
}

template<typename T> void Accounts::offThread(std::function<T()> work, std::function<void(T)> done)
{
    ++m_hashJobs;
    // The continuation runs on this object's thread, and not at all once it is gone.
    QtConcurrent::run(QThreadPool::globalInstance(), std::move(work))
        .then(this, [this, done = std::move(done)](T value) {
            --m_hashJobs;
            done(std::move(value));
        });
}

void Accounts::attach(Peer *peer, qint64 user, const QString &name, const QByteArray &tokenHash)
{
    peer->setSession(user, name, tokenHash);
    m_views.rememberName(user, name);
    if (m_fanout.attach(peer))
        m_presence.setOnline(user, true);
}

void Accounts::issueToken(Peer *peer, const QJsonValue &id, const QString &name,
    const QString &device, const char *method, CheckAccount check)
{
    const QString address = addressText(peer);
    const QString token = tokens::generate();
    const QByteArray hash = tokens::hash(token);
    const qint64 expires = wallClockMs() + qint64(m_config.tokenLifetimeDays) * 24 * 3600 * 1000;
    QPointer<Peer> guard(peer);
    m_writer.submit<SignIn>(
        [check = std::move(check), hash, expires, device, address](
            WriteContext &ctx) -> std::optional<SignIn> {
            std::optional<SignIn> signIn = check(ctx);
            if (!signIn || signIn->refusal)
                return signIn;
            if (!accountstore::insertToken(ctx, hash, signIn->user, expires)
                || !sessionstore::insertSession(ctx, hash, signIn->user, device, address))
                return std::nullopt;
            return signIn;
        },
        [this, guard, id, name, device, method, hash, token, expires](
            std::optional<SignIn> signIn) {
            if (!guard)
                return;
            guard->setSignInPending(false);
            if (!signIn)
                return guard->fail(id, ErrorCode::StorageError, u"the change could not be saved"_s);
            if (signIn->refusal) {
                logSignIn(method, name, guard, device, 0, signIn->refusal);
                return guard->fail(id, *signIn->refusal, refusalMessage(*signIn->refusal));
            }
            if (signIn->madeAdmin)
                m_ranks.setAdmin(signIn->user, true);
            attach(guard, signIn->user, name, hash);
            protocol::SignedIn signedIn = m_views.sessionState(signIn->user, name);
            signedIn.token = token;
            signedIn.expiresAt = expires;
            guard->reply(id, signedIn.toJson());
            logSignIn(method, name, guard, device, 0, std::nullopt);
        });
}

void Accounts::handleRegister(Peer *peer, const protocol::Request &r)
{
    if (m_config.registration == RegistrationPolicy::Closed)
        return peer->fail(
            r.id, ErrorCode::RegistrationClosed, u"this server does not accept registrations"_s);
    const auto &request = r.as<protocol::body::Register>();
    const QString invite = request.invite;
    if (m_config.registration == RegistrationPolicy::Invite && invite.isEmpty())
        return peer->fail(
            r.id, ErrorCode::InvalidInvite, u"this server needs an invite code to register"_s);
    const QString password = request.password;
    if (password.size() < protocol::MinPasswordLength)
        return peer->fail(r.id, ErrorCode::WeakPassword,
            u"passwords need at least %1 characters"_s.arg(protocol::MinPasswordLength));
    const QString name = request.username;
    const QString device = request.device;
    const bool needInvite = m_config.registration == RegistrationPolicy::Invite;
    // With open registration anyone may take a free name, so saying a name is taken tells
    // nothing that trying would not. With invites, only a valid invite learns it (below).
    if (!needInvite && accountstore::userByName(m_reader, name))
        return peer->fail(r.id, ErrorCode::NameTaken, u"that name is taken"_s);
    const QHostAddress address = peer->peerAddress();
    if (const auto admitted = m_gate.admitRegistration(address, monotonicMs()); !admitted)
        return refuse(peer, r.id, admitted);
    peer->setSignInPending(true, r.id);
    QPointer<Peer> guard(peer);
    const QJsonValue id = r.id;
    offThread<QString>([password] { return passwords::hash(password); },
        [=, this](const QString &hash) {
            m_gate.abandoned({}, address); // a registration says nothing about guessing
            // Once draining, drain() has answered this request with shutting_down.
            if (!guard || m_stopped)
                return;
            if (hash.isEmpty()) {
                guard->setSignInPending(false);
                return guard->fail(id, ErrorCode::Internal, u"hashing failed"_s);
            }
            issueToken(guard, id, name, device, "registration",
                [=](WriteContext &ctx) -> std::optional<SignIn> {
                    // Checked again here: another registration may have taken the name meanwhile.
                    bool taken = false;
                    if (!accountstore::nameTaken(ctx, name, &taken))
                        return std::nullopt;
                    if (taken && needInvite) {
                        // Without a valid invite, a taken name and a free one get the same
                        // answer; a valid invite is not used up by a name that is taken.
                        bool valid = false;
                        if (!accountstore::inviteValid(ctx, tokens::hash(invite), &valid))
                            return std::nullopt;
                        return SignIn {0, valid ? ErrorCode::NameTaken : ErrorCode::InvalidInvite};
                    }
                    if (taken)
                        return SignIn {0, ErrorCode::NameTaken};
                    if (needInvite) {
                        bool found = false;
                        if (!accountstore::consumeInvite(ctx, tokens::hash(invite), &found))
                            return std::nullopt;
                        if (!found)
                            return SignIn {0, ErrorCode::InvalidInvite};
                    }
                    SignIn created;
                    std::optional<UserRecord> record;
                    if (!accountstore::insertUser(ctx, name, hash, &created.user)
                        || !accountstore::userById(ctx, created.user, &record))
                        return std::nullopt;
                    created.madeAdmin = record && record->admin;
                    return created;
                });
        });
}

void Accounts::handleLogin(Peer *peer, const protocol::Request &r)
{
    const auto &request = r.as<protocol::body::Login>();
    const QString name = request.username;
    const QHostAddress address = peer->peerAddress();
    if (const auto admitted = m_gate.admitLogin(name, address, monotonicMs()); !admitted)
        return refuse(peer, r.id, admitted);
    const auto user = accountstore::userByName(m_reader, name);
    // An unknown name costs one full verification too, so timing tells nothing.
    const QString stored = user ? user->passwordHash : m_decoyHash;
    const QString password = request.password;
    const QString device = request.device;
    peer->setSignInPending(true, r.id);
    QPointer<Peer> guard(peer);
    const QJsonValue id = r.id;
    offThread<bool>([stored, password] { return passwords::verify(stored, password); },
        [=, this](bool verified) {
            // Counted even if the client has gone: closing right after sending a guess
            // must not keep it off the record.
            if (!verified || !user)
                m_gate.failed(name, address, monotonicMs());
            else
                m_gate.succeeded(name, address);
            if (!guard || m_stopped)
                return;
            if (!verified || !user) {
                guard->setSignInPending(false);
                logSignIn("password", name, guard, device, 0, ErrorCode::InvalidCredentials);
                return guard->fail(
                    id, ErrorCode::InvalidCredentials, u"wrong username or password"_s);
            }
            if (user->disabled) {
                guard->setSignInPending(false);
                logSignIn("password", name, guard, device, 0, ErrorCode::AccountDisabled);
                return guard->fail(id, ErrorCode::AccountDisabled, u"this account is disabled"_s);
            }
            // The user was read before hashing. Meanwhile the operator may have reset
            // the password or disabled the account, deleting its tokens (confabd admin
            // writes from another process); a token inserted after that would outlive
            // the reset, or revive when the account is enabled again. So the check is
            // repeated inside the token's transaction, which SQLite orders with the
            // operator's: either this token exists before the deletion, or it is refused.
            const qint64 userId = user->id;
            const QString verifiedHash = user->passwordHash;
            issueToken(guard, id, user->name, device, "password",
                [userId, verifiedHash](WriteContext &ctx) -> std::optional<SignIn> {
                    std::optional<UserRecord> now;
                    if (!accountstore::userById(ctx, userId, &now))
                        return std::nullopt;
                    if (!now || now->passwordHash != verifiedHash)
                        return SignIn {userId, ErrorCode::InvalidCredentials};
                    if (now->disabled)
                        return SignIn {userId, ErrorCode::AccountDisabled};
                    return SignIn {userId, std::nullopt};
                });
        });
}

std::optional<SessionRecord> Accounts::sessionOf(const QByteArray &tokenHash, bool fromStorage)
{
    if (!fromStorage) {
        if (std::optional<SessionRecord> cached = m_sessions.find(tokenHash))
            return cached;
    }
    std::optional<SessionRecord> stored = accountstore::session(m_reader, tokenHash);
    // Only a token that signs in is remembered: a refusal stays a question for storage.
    if (stored && !stored->disabled && stored->expiresMs > wallClockMs())
        m_sessions.remember(tokenHash, *stored);
    return stored;
}

void Accounts::handleAuthenticate(Peer *peer, const protocol::Request &r)
{
    // The operator's revocations from another process reach memory before memory is asked.
    // Failing closed: when the log cannot be read, a revocation may be in it, so storage
    // (which the operator's command changed in the same transaction) answers instead.
    const bool operatorSeen = !m_operatorCheck || m_operatorCheck();
    const QByteArray hash = tokens::hash(r.as<protocol::body::Authenticate>().token);
    const auto session = sessionOf(hash, !operatorSeen);
    if (!session || session->expiresMs <= wallClockMs()) {
        // An expired token still names its user; an unknown one names nobody.
        logSignIn("token", session ? session->userName : QString(), peer,
            session ? session->device : QString(), session ? session->sessionId : 0,
            ErrorCode::InvalidToken);
        return peer->fail(
            r.id, ErrorCode::InvalidToken, u"the session token is not valid; sign in again"_s);
    }
    if (session->disabled) {
        logSignIn("token", session->userName, peer, session->device, session->sessionId,
            ErrorCode::AccountDisabled);
        return peer->fail(r.id, ErrorCode::AccountDisabled, u"this account is disabled"_s);
    }
    logSignIn("token", session->userName, peer, session->device, session->sessionId, std::nullopt);
    attach(peer, session->userId, session->userName, hash);
    protocol::SignedIn signedIn = m_views.sessionState(session->userId, session->userName);
    signedIn.expiresAt = session->expiresMs;
    peer->reply(r.id, signedIn.toJson());
    touch(hash, addressText(peer));
}

void Accounts::touch(const QByteArray &tokenHash, const QString &address)
{
    // What `sessions` shows as last used, and from where (§18.1). Nobody waits for it, and
    // a minute is precise enough: a reconnect storm writes each session once, in a few
    // batches, instead of one job per sign-in. A new address is not held back by the interval.
    const qint64 now = monotonicMs();
    const auto it = m_touched.constFind(tokenHash);
    if (it != m_touched.cend() && now - it->atMonotonicMs < TouchIntervalMs
        && (address.isEmpty() || it->address == address))
        return;
    m_touched.insert(tokenHash, {now, address});
    m_touchQueue.insert(tokenHash, {wallClockMs(), address});
    if (!m_touchTimer.isActive())
        m_touchTimer.start();
}

std::optional<Accounts::Touch> Accounts::pendingTouch(const QByteArray &tokenHash) const
{
    const auto it = m_touchQueue.constFind(tokenHash);
    if (it == m_touchQueue.cend())
        return std::nullopt;
    return it.value();
}

void Accounts::flushTouches()
{
    m_touchTimer.stop();
    if (m_touchQueue.isEmpty())
        return;
    QList<sessionstore::Touch> touches;
    touches.reserve(m_touchQueue.size());
    for (auto it = m_touchQueue.cbegin(); it != m_touchQueue.cend(); ++it)
        touches.append({it.key(), it->address, it->atMs});
    m_touchQueue.clear();
    m_writer.submit([touches = std::move(touches)](
                        WriteContext &ctx) { return sessionstore::touchSessions(ctx, touches); },
        {});
}

void Accounts::checkPassword(Peer *peer, const QJsonValue &id, const QString &password,
    std::function<void(Peer *, const QString &)> verified)
{
    // One password check at a time per connection: the connection tracks one request in
    // progress, which shutdown answers (§18.1). Refused, not queued, as a second sign-in is.
    if (peer->signInPending())
        return peer->fail(id, ErrorCode::RateLimited,
            u"another password check on this connection is still in progress"_s,
            protocol::frames::retryAfter(SignInGate::BusyRetryMs));
    const QString name = peer->userName();
    const QHostAddress address = peer->peerAddress();
    if (const auto admitted = m_gate.admitLogin(name, address, monotonicMs()); !admitted)
        return refuse(peer, id, admitted);
    const auto user = accountstore::userById(m_reader, peer->userId());
    const QString stored = user ? user->passwordHash : m_decoyHash;
    peer->setSignInPending(true, id);
    QPointer<Peer> guard(peer);
    offThread<bool>([stored, password] { return passwords::verify(stored, password); },
        [=, this, verified = std::move(verified)](bool right) {
            if (!right || !user)
                m_gate.failed(name, address, monotonicMs());
            else
                m_gate.succeeded(name, address);
            if (!guard || m_stopped)
                return;
            guard->setSignInPending(false);
            if (!right || !user)
                return guard->fail(id, ErrorCode::InvalidCredentials, u"wrong password"_s);
            verified(guard, stored);
        });
}

void Accounts::hashPassword(Peer *peer, const QJsonValue &id, const QString &password,
    std::function<void(Peer *, const QString &)> done)
{
    peer->setSignInPending(true, id);
    QPointer<Peer> guard(peer);
    offThread<QString>([password] { return passwords::hash(password); },
        [=, this, done = std::move(done)](const QString &hash) {
            if (!guard || m_stopped)
                return;
            guard->setSignInPending(false);
            if (hash.isEmpty())
                return guard->fail(id, ErrorCode::Internal, u"hashing failed"_s);
            done(guard, hash);
        });
}

void Accounts::handleLogout(Peer *peer, const protocol::Request &r)
{
    const QByteArray hash = peer->tokenHash();
    const qint64 user = peer->userId();
    writeFor(
        m_writer, peer, r.id,
        [hash](WriteContext &ctx) { return accountstore::deleteToken(ctx, hash); },
        [this, id = r.id, hash, user, revoking = m_sessions.revoking(user)](Peer *p) {
            if (p)
                p->reply(id);
            m_fanout.closeUser(user, hash, u"signed out"_s);
        });
}

void Accounts::handleLogoutAll(Peer *peer, const protocol::Request &r)
{
    const qint64 user = peer->userId();
    writeFor(
        m_writer, peer, r.id,
        [user](WriteContext &ctx) { return accountstore::deleteUserTokens(ctx, user); },
        [this, id = r.id, user, revoking = m_sessions.revoking(user)](Peer *p) {
            if (p)
                p->reply(id);
            m_fanout.closeUser(user, {}, u"signed out everywhere"_s);
        });
}

} // namespace confab::server
