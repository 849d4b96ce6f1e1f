// SPDX-License-Identifier: GPL-3.0-or-later
// Account, part two: following the server to another address (protocol §19.6), told by
// the server (hello's movedTo, the `moved` push) or found among the servers nearby by its
// id. Sign-in, reconnecting and the connection state are in account.cpp.
#include "core/clientlogging.h"
#include "keychain/tokenstore.h"
#include "lan/nearbyservers.h"
#include "net/connection.h"
#include "net/pinstore.h"
#include "protocol/moveaddress.h"
#include "session/account.h"
#include "settings/appsettings.h"

#include <QUrl>
#include <algorithm>

namespace confab::client {

namespace {
// An address a server moved to that could not be reached is tried again after this long,
// not at every reconnect to the old one that still announces it.
constexpr qint64 RetryMoveAfterMs = 30'000;
// Anyone on the network can announce addresses: only this many are remembered of each kind.
constexpr qsizetype MaxRememberedMoves = 32;
} // namespace

void Account::refuseMove(const QString &url)
{
    if (m_refusedMoves.size() >= MaxRememberedMoves)
        m_refusedMoves.removeFirst();
    m_refusedMoves.append(url);
}

void Account::retryMoveLater(const QString &url)
{
    const qint64 now = m_clock.elapsed();
    m_retryMoveAt.removeIf([now](const auto &entry) { return entry.value() <= now; });
    if (m_retryMoveAt.size() >= MaxRememberedMoves && !m_retryMoveAt.contains(url))
        m_retryMoveAt.erase(m_retryMoveAt.begin());
    m_retryMoveAt.insert(url, now + RetryMoveAfterMs);
}

void Account::setNearby(NearbyServers *nearby)
{
    m_nearby = nearby;
}

void Account::stopLookingNearby()
{
    if (std::exchange(m_listeningNearby, false) && m_nearby)
        m_nearby->setActive(false);
}

void Account::followMove(const QString &url)
{
    if (m_status == SignedOut || m_awaitingTrust)
        return;
    tryAddress(url);
}

bool Account::mayFollow(const QString &url, bool toldByServer)
{
    if (url.isEmpty() || !m_followUrl.isEmpty() || m_serverUrl.isEmpty())
        return false;
    const QUrl to(url);
    const QUrl from(m_serverUrl);
    if (PinStore::addressOf(to) == PinStore::addressOf(from) || m_refusedMoves.contains(url)
        || m_retryMoveAt.value(url, -1) > m_clock.elapsed())
        return false;
    if (m_serverId.isEmpty()) {
        // Nothing to hold the other address to: it could be any server.
        qCWarning(lcClientAccount)
            << "not following" << m_serverUrl << "to" << url << ": the server's id is not known";
        return false;
    }
    if (!protocol::mayFollowMove(from, to)) {
        qCWarning(lcClientAccount)
            << "not following" << m_serverUrl << "to" << url << ": it would give up TLS";
        refuseMove(url);
        if (!toldByServer)
            return false; // a beacon is anyone's to send: nothing to tell the user
        const QString text = tr("The server says it moved to %1, which is not encrypted. The app "
                                "stays at %2; ask the server's host.")
                                 .arg(url, m_serverUrl);
        setErrorText(text);
        setMoveNotice(text); // the chat page shows no sign-in errors
        return false;
    }
    return true;
}

bool Account::tryAddress(const QString &url)
{
    if (!mayFollow(url))
        return false;
    qCInfo(lcClientAccount) << m_serverUrl << "moved to" << url << ": trying there, expecting"
                            << m_serverId;
    m_followUrl = url;
    m_followingNearby = false;
    m_switching = true;
    m_connection->close();
    m_switching = false;
    m_state->setPhase(ConnectionState::Resuming);
    openConnection();
    return true;
}

void Account::adoptFollowed()
{
    const QString from = m_serverUrl;
    const QString to = std::exchange(m_followUrl, {});
    qCInfo(lcClientAccount) << "server" << m_serverId << "answered at" << to << ": it replaces"
                            << from;
    m_retryMoveAt.remove(to);
    // A new server still configured to point back must not bounce the app between them.
    retryMoveLater(from);
    const QString oldTokenKey = TokenStore::keyFor(from, m_username);
    m_data->serverMoved(from, to, m_username);
    setIdentity(to, m_username);
    // A sign-in with a password saves the address once it succeeds; a signed-in account
    // saves it now, with its token under the new address.
    if (m_auth == Auth::Token) {
        if (m_settings)
            m_settings->setLastServerUrl(to);
        if (m_staySignedIn && m_options.useKeychain && !m_token.isEmpty()) {
            saveToken();
            m_tokens->remove(oldTokenKey);
        }
    }
    setMoveNotice(tr("The server moved to %1. The app connects to it there from now on.").arg(to));
}

bool Account::followFailed(const CloseInfo &info)
{
    const QString url = std::exchange(m_followUrl, {});
    if (info.pinMismatch) {
        qCWarning(lcClientAccount)
            << "another server answers at" << url << ": staying at" << m_serverUrl;
        refuseMove(url);
        // Only when the server itself named that address: an announcement is anyone's to
        // send, and the user has nothing to ask the host about.
        if (!m_followingNearby) {
            const QString text = tr("The server said it moved to %1, but a different server "
                                    "answers there. The app stays at %2; ask the server's host.")
                                     .arg(url, m_serverUrl);
            setErrorText(text);
            setMoveNotice(text); // the chat page shows no sign-in errors
        }
    } else {
        qCInfo(lcClientAccount) << url << "could not be reached: staying at" << m_serverUrl;
        retryMoveLater(url);
    }
    if (m_status == SigningIn) {
        // The old address still answers (it told us about the move): sign in there.
        m_state->setPhase(ConnectionState::Resuming);
        openConnection();
        return true;
    }
    return false; // signed in: back to the old address with backoff
}

void Account::lookNearby()
{
    if (!m_nearby || m_serverId.isEmpty() || m_failures == 0)
        return;
    if (!m_nearby->isActive()) {
        // Turned on at the first failure, so that its answers are in by the time it is asked.
        m_nearby->setActive(true);
        m_listeningNearby = true;
    }
    if (m_failures < FailuresBeforeLookingNearby)
        return;
    // An announcement is anyone's to send. Only a server whose key is pinned is looked for
    // elsewhere, and only over wss://, where the handshake holds the answer to that pin: over
    // ws:// hello's id is a claim, and the app would hand its token to whoever made it.
    if (!m_pins || m_pins->fingerprintOf(m_serverId).isEmpty())
        return;
    // Every address the id is announced at, skipping those refused before: someone who
    // announces the id at an address of their own must not hide the server's.
    const QList<QUrl> candidates = m_nearby->urlsOf(m_serverId);
    const auto chosen
        = std::find_if(candidates.cbegin(), candidates.cend(), [this](const QUrl &url) {
              return url.scheme() == QLatin1StringView("wss") && mayFollow(url.toString(), false);
          });
    if (chosen == candidates.cend())
        return;
    const QUrl &there = *chosen;
    qCInfo(lcClientAccount) << m_serverUrl << "failed" << m_failures << "times; server"
                            << m_serverId << "is announced at" << there << ": trying there";
    m_followUrl = there.toString();
    m_followingNearby = true;
}

void Account::dismissMoveNotice()
{
    setMoveNotice({});
}

void Account::setMoveNotice(const QString &text)
{
    if (m_moveNotice == text)
        return;
    m_moveNotice = text;
    Q_EMIT moveNoticeChanged();
}

} // namespace confab::client
