// SPDX-License-Identifier: GPL-3.0-or-later
#include "chat/selfservice.h"

#include "chat/accounts.h"
#include "chat/fanout.h"
#include "chat/peer.h"
#include "chat/peerwrite.h"
#include "chat/presence.h"
#include "chat/profiles.h"
#include "chat/ranks.h"
#include "chat/roomdirectory.h"
#include "chat/roomlog.h"
#include "chat/roomviews.h"
#include "core/closecodes.h"
#include "core/logging.h"
#include "net/wireframe.h"
#include "protocol/frameshapes.h"
#include "protocol/requestbody.h"
#include "protocol/selfserviceresults.h"
#include "protocol/serverframe.h"
#include "protocol/textrules.h"
#include "storage/accountstore.h"
#include "storage/roomstore.h"
#include "storage/sessionstore.h"
#include "storage/teamstore.h"
#include "storage/writecontext.h"

#include <QDateTime>
#include <QSet>
#include <algorithm>

using namespace Qt::StringLiterals;
using confab::protocol::ErrorCode;
using confab::protocol::RoomEvent;

namespace confab::server {

namespace {
// Why a request whose password was checked is refused after all, decided in its transaction.
struct Refusal
{
    ErrorCode code;
    QString message;
};

/*!
 * \brief Whether the password checked off the event loop against \a verifiedHash still
 * speaks for \a user's session \a token: meanwhile the password may have changed (another
 * device's change_password, the operator's reset-password) or the session ended (a revoke,
 * a logout_all). Nothing on failure; an empty optional inside when all is well.
 */
std::optional<std::optional<Refusal>> recheck(
    WriteContext &ctx, qint64 user, const QByteArray &token, const QString &verifiedHash)
{
    bool live = false;
    std::optional<UserRecord> now;
    if (!sessionstore::tokenLive(ctx, token, &live) || !accountstore::userById(ctx, user, &now))
        return std::nullopt;
    if (!live)
        return Refusal {ErrorCode::InvalidToken, u"this session has ended; sign in again"_s};
    if (!now || now->passwordHash != verifiedHash)
        return Refusal {ErrorCode::InvalidCredentials, u"wrong password"_s};
    return std::optional<Refusal> {};
}

struct PasswordChange
{
    std::optional<Refusal> refusal;
    int revoked = 0;
};

struct Deletion
{
    std::optional<Refusal> refusal;
    QList<RoomEvent> left;
};
} // namespace

SelfService::SelfService(StorageWriter &writer, StatementCache &reader, Fanout &fanout,
    RoomDirectory &rooms, RoomLog &log, Presence &presence, Accounts &accounts, Ranks &ranks,
    RoomViews &views)
    : m_writer(writer)
    , m_reader(reader)
    , m_fanout(fanout)
    , m_rooms(rooms)
    , m_log(log)
    , m_presence(presence)
    , m_accounts(accounts)
    , m_ranks(ranks)
    , m_views(views)
{ }

void SelfService::closeOthers(qint64 user, const QByteArray &keep, const QString &reason) const
{
    const QList<Peer *> peers = m_fanout.online().value(user);
    for (Peer *peer : peers) {
        if (peer->tokenHash() != keep)
            peer->close(closecodes::SignedOut, reason);
    }
}

void SelfService::handleChangePassword(Peer *peer, const protocol::Request &r)
{
    const auto &request = r.as<protocol::body::ChangePassword>();
    if (request.newPassword.size() < protocol::MinPasswordLength)
        return peer->fail(r.id, ErrorCode::WeakPassword,
            u"passwords need at least %1 characters"_s.arg(protocol::MinPasswordLength),
            protocol::frames::offendingField(u"newPassword"_s));
    const QString newPassword = request.newPassword;
    const bool revokeOthers = request.revokeOthers;
    const QJsonValue id = r.id;
    m_accounts.checkPassword(
        peer, id, request.password, [=, this](Peer *checked, const QString &verifiedHash) {
            m_accounts.hashPassword(
                checked, id, newPassword, [=, this](Peer *p, const QString &hash) {
                    storePassword(p, id, verifiedHash, hash, revokeOthers);
                });
        });
}

void SelfService::storePassword(Peer *peer, const QJsonValue &id, const QString &verifiedHash,
    const QString &hash, bool revokeOthers)
{
    const qint64 user = peer->userId();
    const QByteArray keep = peer->tokenHash();
    writeFor<PasswordChange>(
        m_writer, peer, id,
        [=](WriteContext &ctx) -> std::optional<PasswordChange> {
            const auto refusal = recheck(ctx, user, keep, verifiedHash);
            if (!refusal)
                return std::nullopt;
            PasswordChange change {*refusal, 0};
            if (change.refusal)
                return change;
            if (!accountstore::setPasswordHash(ctx, user, hash)
                || (revokeOthers
                    && !sessionstore::deleteOtherTokens(ctx, user, keep, &change.revoked)))
                return std::nullopt;
            return change;
        },
        [=, this, revoking = m_accounts.sessions().revoking(user)](
            Peer *done, const PasswordChange &change) {
            if (change.refusal) {
                if (done)
                    done->fail(id, change.refusal->code, change.refusal->message);
                return;
            }
            if (done)
                done->reply(id, protocol::PasswordChanged {change.revoked}.toJson());
            if (revokeOthers)
                closeOthers(user, keep, u"password changed"_s);
            qCInfo(lcAuth) << "password changed for user" << user << "ended" << change.revoked;
        });
}

void SelfService::handleSessions(Peer *peer, const protocol::Request &r)
{
    QSet<QByteArray> online;
    for (const Peer *p : m_fanout.online().value(peer->userId()))
        online.insert(p->tokenHash());
    protocol::SessionList list;
    const auto rows
        = sessionstore::sessionsOf(m_reader, peer->userId(), QDateTime::currentMSecsSinceEpoch());
    for (const SessionRow &row : rows) {
        qint64 lastSeen = row.lastSeenMs;
        QString address = row.address;
        // A sign-in whose last-used time is still waiting for its batched write.
        if (const auto touch = m_accounts.pendingTouch(row.tokenHash)) {
            lastSeen = std::max(lastSeen, touch->atMs);
            if (!touch->address.isEmpty())
                address = touch->address;
        }
        list.sessions.append({row.id, row.device, address, row.createdMs, lastSeen,
            row.tokenHash == peer->tokenHash(), online.contains(row.tokenHash)});
    }
    // Most recently used first again, as sessionsOf() ordered them before the overlay.
    std::sort(list.sessions.begin(), list.sessions.end(), [](const auto &a, const auto &b) {
        return a.lastSeen != b.lastSeen ? a.lastSeen > b.lastSeen : a.id > b.id;
    });
    peer->reply(r.id, list.toJson());
}

void SelfService::handleRevokeSession(Peer *peer, const protocol::Request &r)
{
    const qint64 session = r.as<protocol::body::RevokeSession>().session;
    const qint64 user = peer->userId();
    const QByteArray current = peer->tokenHash();
    writeFor<QByteArray>(
        m_writer, peer, r.id,
        [user, session](WriteContext &ctx) -> std::optional<QByteArray> {
            QByteArray hash;
            if (!sessionstore::tokenOfSession(ctx, user, session, &hash)
                || (!hash.isEmpty() && !accountstore::deleteToken(ctx, hash)))
                return std::nullopt;
            return hash;
        },
        [this, id = r.id, user, session, current, revoking = m_accounts.sessions().revoking(user)](
            Peer *p, const QByteArray &hash) {
            // Someone else's session and one that never was answer alike.
            if (hash.isEmpty()) {
                if (p)
                    p->fail(id, ErrorCode::NotFound, u"no session %1"_s.arg(session));
                return;
            }
            if (p)
                p->reply(id);
            // Revoking one's own session is signing out (§18.1).
            m_fanout.closeUser(
                user, hash, hash == current ? u"signed out"_s : u"session revoked"_s);
        });
}

void SelfService::handleDeleteAccount(Peer *peer, const protocol::Request &r)
{
    m_accounts.checkPassword(peer, r.id, r.as<protocol::body::DeleteAccount>().password,
        [this, id = r.id](
            Peer *p, const QString &verifiedHash) { deleteAccount(p, id, verifiedHash); });
}

void SelfService::deleteAccount(Peer *peer, const QJsonValue &id, const QString &verifiedHash)
{
    const qint64 user = peer->userId();
    const QString name = peer->userName();
    const QByteArray token = peer->tokenHash();
    writeFor<Deletion>(
        m_writer, peer, id,
        [user, name, token, verifiedHash](WriteContext &ctx) -> std::optional<Deletion> {
            Deletion deletion;
            const auto refusal = recheck(ctx, user, token, verifiedHash);
            if (!refusal)
                return std::nullopt;
            if ((deletion.refusal = *refusal))
                return deletion;
            // The server must keep an admin who can act (§17.5): the last one hands the
            // role on first.
            bool admin = false;
            int admins = 0;
            if (!Ranks::isAdmin(ctx, user, &admin)
                || (admin && !accountstore::enabledAdmins(ctx, &admins)))
                return std::nullopt;
            if (admin && admins <= 1) {
                deletion.refusal = Refusal {ErrorCode::Forbidden,
                    u"you are the server's only admin: make someone else an admin first"_s};
                return deletion;
            }
            // Chosen here, not from the directory: a join or add_to_group that committed
            // after the password check is left too. Direct rooms are kept: the other
            // participant still reads them (§18.1).
            QList<qint64> rooms;
            if (!roomstore::channelsAndGroupsOf(ctx, user, &rooms))
                return std::nullopt;
            for (const qint64 room : std::as_const(rooms)) {
                // Each room as `leave` leaves it (§5.9), all in this one transaction.
                RoomEvent e = RoomLog::newEvent(room, protocol::EventKind::Leave, name);
                if (!ctx.appendEvent(e, user) || !roomstore::removeMember(ctx, room, user))
                    return std::nullopt;
                deletion.left.append(e);
            }
            QList<RoomInviteRecord> invitations;
            if (!teamstore::invitesOf(ctx, user, &invitations))
                return std::nullopt;
            for (const RoomInviteRecord &invitation : std::as_const(invitations)) {
                if (!teamstore::removeInvite(ctx, invitation.room, user))
                    return std::nullopt;
            }
            if (!accountstore::markDeleted(ctx, user) || !accountstore::deleteUserTokens(ctx, user))
                return std::nullopt;
            return deletion;
        },
        [this, id, user, name, revoking = m_accounts.sessions().revoking(user)](
            Peer *p, const Deletion &deletion) {
            if (deletion.refusal) {
                if (p)
                    p->fail(id, deletion.refusal->code, deletion.refusal->message);
                return;
            }
            // Everyone who could see the profile, asked before the leaves take them away.
            QSet<qint64> audience = Profiles::audience(m_rooms, user);
            // Their own connections get the reply and the close instead.
            audience.remove(user);
            // The leaver's peers see their own leave events, then nothing more.
            m_log.broadcast(deletion.left);
            for (const RoomEvent &e : deletion.left) {
                m_rooms.removeMember(e.room, user);
                m_presence.stopTyping(e.room, user);
            }
            m_ranks.setAdmin(user, false);
            // The cached profile would otherwise keep showing what the deletion cleared.
            m_views.forgetProfile(user);
            m_fanout.sendToUsers(
                audience, WireFrame::text(protocol::frames::profile(m_views.profile(user))));
            if (p)
                p->reply(id);
            m_fanout.closeUser(user, {}, u"account deleted"_s);
            qCInfo(lcAuth) << "deleted account" << name;
        });
}

} // namespace confab::server
