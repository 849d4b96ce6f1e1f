// SPDX-License-Identifier: GPL-3.0-or-later
// Registration, sign-in with a password or a token, and sign-out.
#include "auth/passwordhasher.h"
#include "auth/tokens.h"
#include "chat/chatservice.h"
#include "chat/peer.h"
#include "core/logging.h"
#include "core/monotonicclock.h"
#include "protocol/serverframe.h"
#include "storage/accountstore.h"
#include "storage/writecontext.h"

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
} // namespace

template<typename T>
void ChatService::offThread(std::function<T()> work, std::function<void(T)> done)
{
    ++m_hashJobs;
    // The continuation runs on this object's thread, and not at all once it is gone.
    QtConcurrent::run(QThreadPool::globalInstance(), std::move(work))
        .then(this, [this, done = std::move(done)](T value) {
            --m_hashJobs;
            done(std::move(value));
        });
}

void ChatService::issueToken(Peer *c, const QJsonValue &id, qint64 userId, const QString &name,
    const CreateAccount &createAccount)
{
    const QString token = tokens::generate();
    const QByteArray hash = tokens::hash(token);
    const qint64 expires = now() + qint64(m_config.tokenLifetimeDays) * 24 * 3600 * 1000;
    auto user = std::make_shared<qint64>(userId);
    auto refusal = std::make_shared<std::optional<ErrorCode>>();
    QPointer<Peer> guard(c);
    m_writer.submit(
        [=](WriteContext &ctx) {
            refusal->reset();
            if (createAccount) {
                if (!createAccount(ctx, user.get(), refusal.get()))
                    return false;
                if (*refusal)
                    return true;
            }
            return accountstore::insertToken(ctx, hash, *user, expires);
        },
        [=, this](bool committed) {
            if (!guard)
                return;
            guard->setSignInPending(false);
            if (!committed)
                return guard->fail(id, ErrorCode::StorageError, u"the change could not be saved"_s);
            if (*refusal)
                return guard->fail(id, **refusal, refusalMessage(**refusal));
            attachSession(guard, *user, name, hash);
            protocol::SignedIn signedIn = sessionState(*user, name);
            signedIn.token = token;
            signedIn.expiresAt = expires;
            guard->reply(id, signedIn.toJson());
            qCInfo(lcAuth) << "signed in" << name;
        });
}

void ChatService::handleRegister(Peer *c, const protocol::Request &r)
{
    if (m_config.registration == RegistrationPolicy::Closed)
        return c->fail(
            r.id, ErrorCode::RegistrationClosed, u"this server does not accept registrations"_s);
    const auto &request = r.as<protocol::body::Register>();
    const QString invite = request.invite;
    if (m_config.registration == RegistrationPolicy::Invite && invite.isEmpty())
        return c->fail(
            r.id, ErrorCode::InvalidInvite, u"this server needs an invite code to register"_s);
    const QString password = request.password;
    if (password.size() < protocol::MinPasswordLength)
        return c->fail(r.id, ErrorCode::WeakPassword,
            u"passwords need at least %1 characters"_s.arg(protocol::MinPasswordLength));
    const QString name = request.username;
    if (accountstore::userByName(*m_reader, name))
        return c->fail(r.id, ErrorCode::NameTaken, u"that name is taken"_s);
    if (m_hashJobs >= maxHashJobs())
        return c->fail(r.id, ErrorCode::Throttled, u"the server is busy; retry shortly"_s,
            protocol::frames::retryAfter(1000));
    const bool needInvite = m_config.registration == RegistrationPolicy::Invite;
    c->setSignInPending(true, r.id);
    QPointer<Peer> guard(c);
    const QJsonValue id = r.id;
    offThread<QString>([password] { return passwords::hash(password); },
        [=, this](const QString &hash) {
            // Once draining, drain() has answered this request with shutting_down.
            if (!guard || m_draining)
                return;
            if (hash.isEmpty()) {
                guard->setSignInPending(false);
                return guard->fail(id, ErrorCode::Internal, u"hashing failed"_s);
            }
            issueToken(guard, id, 0, name,
                [=](WriteContext &ctx, qint64 *user, std::optional<ErrorCode> *refusal) {
                    // Checked again here: another registration may have taken the name meanwhile.
                    QSqlQuery *q = ctx.run(
                        u"SELECT 1 FROM users WHERE name_key = ?"_s, {accountstore::nameKey(name)});
                    if (!q)
                        return false;
                    const bool taken = q->next();
                    q->finish();
                    if (taken) {
                        *refusal = ErrorCode::NameTaken;
                        return true;
                    }
                    if (needInvite) {
                        bool found = false;
                        if (!accountstore::consumeInvite(ctx, tokens::hash(invite), &found))
                            return false;
                        if (!found) {
                            *refusal = ErrorCode::InvalidInvite;
                            return true;
                        }
                    }
                    return accountstore::insertUser(ctx, name, hash, user);
                });
        });
}

void ChatService::handleLogin(Peer *c, const protocol::Request &r)
{
    const auto &request = r.as<protocol::body::Login>();
    const QString name = request.username;
    if (const qint64 wait = m_throttle.retryAfter(name, monotonicMs()))
        return c->fail(r.id, ErrorCode::Throttled,
            u"too many failed attempts; retry in %1 ms"_s.arg(wait),
            protocol::frames::retryAfter(wait));
    if (m_hashJobs >= maxHashJobs())
        return c->fail(r.id, ErrorCode::Throttled, u"the server is busy; retry shortly"_s,
            protocol::frames::retryAfter(1000));
    const auto user = accountstore::userByName(*m_reader, name);
    // An unknown name costs one full verification too, so timing tells nothing.
    const QString stored = user ? user->passwordHash : m_decoyHash;
    const QString password = request.password;
    c->setSignInPending(true, r.id);
    QPointer<Peer> guard(c);
    const QJsonValue id = r.id;
    offThread<bool>([stored, password] { return passwords::verify(stored, password); },
        [=, this](bool verified) {
            if (!guard || m_draining)
                return;
            if (!verified || !user) {
                guard->setSignInPending(false);
                m_throttle.recordFailure(name, monotonicMs());
                return guard->fail(
                    id, ErrorCode::InvalidCredentials, u"wrong username or password"_s);
            }
            m_throttle.recordSuccess(name);
            if (user->disabled) {
                guard->setSignInPending(false);
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
            issueToken(guard, id, userId, user->name,
                [userId, verifiedHash](
                    WriteContext &ctx, qint64 *, std::optional<ErrorCode> *refusal) {
                    QSqlQuery *q = ctx.run(
                        u"SELECT password_hash, disabled FROM users WHERE id = ?"_s, {userId});
                    if (!q)
                        return false;
                    if (!q->next() || q->value(0).toString() != verifiedHash)
                        *refusal = ErrorCode::InvalidCredentials;
                    else if (q->value(1).toBool())
                        *refusal = ErrorCode::AccountDisabled;
                    q->finish();
                    return true;
                });
        });
}

void ChatService::handleAuthenticate(Peer *c, const protocol::Request &r)
{
    const QByteArray hash = tokens::hash(r.as<protocol::body::Authenticate>().token);
    const auto session = accountstore::session(*m_reader, hash);
    if (!session || session->expiresMs <= now())
        return c->fail(
            r.id, ErrorCode::InvalidToken, u"the session token is not valid; sign in again"_s);
    if (session->disabled)
        return c->fail(r.id, ErrorCode::AccountDisabled, u"this account is disabled"_s);
    attachSession(c, session->userId, session->userName, hash);
    protocol::SignedIn signedIn = sessionState(session->userId, session->userName);
    signedIn.expiresAt = session->expiresMs;
    c->reply(r.id, signedIn.toJson());
}

void ChatService::handleLogout(Peer *c, const protocol::Request &r)
{
    const QByteArray hash = c->tokenHash();
    const qint64 user = c->userId();
    write(
        c, r.id, [hash](WriteContext &ctx) { return accountstore::deleteToken(ctx, hash); },
        [this, id = r.id, hash, user](Peer *conn) {
            if (conn)
                conn->reply(id);
            closeUserConnections(user, hash, u"signed out"_s);
        });
}

void ChatService::handleLogoutAll(Peer *c, const protocol::Request &r)
{
    const qint64 user = c->userId();
    write(
        c, r.id, [user](WriteContext &ctx) { return accountstore::deleteUserTokens(ctx, user); },
        [this, id = r.id, user](Peer *conn) {
            if (conn)
                conn->reply(id);
            closeUserConnections(user, {}, u"signed out everywhere"_s);
        });
}

} // namespace confab::server
