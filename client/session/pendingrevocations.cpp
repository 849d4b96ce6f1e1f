// SPDX-License-Identifier: GPL-3.0-or-later
#include "session/pendingrevocations.h"

#include "core/clientlogging.h"
#include "keychain/tokenstore.h"
#include "net/serverconnection.h"
#include "protocol/closecode.h"

#include <QTimer>

using namespace Qt::StringLiterals;
namespace req = confab::protocol::requests;

namespace confab::client {

namespace {

QStringList parse(const QString &value)
{
    return value.split(u'\n', Qt::SkipEmptyParts);
}

} // namespace

PendingRevocations::PendingRevocations(TokenStore *tokens, QObject *parent)
    : QObject(parent)
    , m_tokens(tokens)
{ }

QString PendingRevocations::keyFor(const QString &serverUrl)
{
    // Account keys start with the server URL; this one cannot collide with them.
    return u"pending-revocation|"_s + serverUrl;
}

void PendingRevocations::add(
    const QString &serverUrl, const QString &token, const std::function<void(bool)> &done)
{
    const QString key = keyFor(serverUrl);
    m_clean.remove(serverUrl);
    m_tokens->read(key, [this, key, token, done](TokenStore::Result result, const QString &value) {
        if (result == TokenStore::Result::Unavailable) {
            if (done)
                done(false);
            return;
        }
        QStringList tokens = parse(value);
        if (!tokens.contains(token))
            tokens.append(token);
        m_tokens->write(key, tokens.join(u'\n'), [done](TokenStore::Result r, const QString &) {
            if (done)
                done(r == TokenStore::Result::Ok);
        });
    });
}

void PendingRevocations::revoke(const QString &serverUrl)
{
    if (serverUrl.isEmpty() || running() || m_clean.contains(serverUrl))
        return;
    m_serverUrl = serverUrl;
    m_tokens->read(keyFor(serverUrl), [this](TokenStore::Result result, const QString &value) {
        m_pending = result == TokenStore::Result::Ok ? parse(value) : QStringList();
        next();
    });
}

void PendingRevocations::next()
{
    if (m_pending.isEmpty()) {
        finish();
        return;
    }
    if (!m_connection) {
        m_connection = new ServerConnection(this);
        m_connection->setPinStore(m_pins);
        connect(m_connection, &ServerConnection::ready, this, &PendingRevocations::onReady);
        connect(m_connection, &ServerConnection::closed, this, &PendingRevocations::onClosed);
    }
    m_revoked = false;
    m_connection->open(QUrl(m_serverUrl));
}

void PendingRevocations::onReady()
{
    const QString token = m_pending.first();
    m_connection->send(req::authenticate(token), this, [this](const Reply &reply) {
        using protocol::ErrorCode;
        if (reply.ok()) {
            // The server revokes it, answers and closes the connection with SignedOut.
            m_connection->send(req::logout(), this, [this](const Reply &r) {
                if (r.ok()) {
                    m_revoked = true;
                    m_connection->close();
                }
            });
            return;
        }
        if (reply.outcome == Reply::Error
            && (reply.error == ErrorCode::InvalidToken
                || reply.error == ErrorCode::AccountDisabled))
            m_revoked = true; // expired or revoked already: nothing left to do
        m_connection->close();
    });
}

void PendingRevocations::onClosed(const CloseInfo &info)
{
    if (!running())
        return;
    if (info.code == protocol::closecode::SignedOut)
        m_revoked = true;
    if (!m_revoked) {
        // Unreachable, or refused for now: try again at the next start or connection.
        qCInfo(lcClientKeychain) << "could not revoke a signed-out session yet";
        finish();
        return;
    }
    m_pending.removeFirst();
    qCInfo(lcClientKeychain) << "revoked a session signed out while offline";
    // Not from inside the connection's own signal: it is being torn down.
    save([this] { QTimer::singleShot(0, this, &PendingRevocations::next); });
}

void PendingRevocations::save(std::function<void()> then)
{
    const QString key = keyFor(m_serverUrl);
    const auto callback = [then = std::move(then)](TokenStore::Result, const QString &) { then(); };
    if (m_pending.isEmpty())
        m_tokens->remove(key, callback);
    else
        m_tokens->write(key, m_pending.join(u'\n'), callback);
}

void PendingRevocations::finish()
{
    const QString server = std::exchange(m_serverUrl, {});
    const int remaining = int(m_pending.size());
    m_pending.clear();
    if (remaining == 0)
        m_clean.insert(server);
    if (m_connection && m_connection->state() != ServerConnection::Offline)
        m_connection->close();
    Q_EMIT finished(server, remaining);
}

} // namespace confab::client
