// SPDX-License-Identifier: GPL-3.0-or-later
#include "chat/selfservice.h"

#include "chat/accounts.h"
#include "chat/fanout.h"
#include "chat/peer.h"
#include "chat/peerwrite.h"
#include "chat/presence.h"
#include "chat/roomdirectory.h"
#include "chat/roomlog.h"
#include "core/closecodes.h"
#include "core/logging.h"
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

using namespace Qt::StringLiterals;
using confab::protocol::ErrorCode;
using confab::protocol::RoomEvent;

namespace confab::server {

SelfService::SelfService(StorageWriter &writer, StatementCache &reader, Fanout &fanout,
    RoomDirectory &rooms, RoomLog &log, Presence &presence, Accounts &accounts)
    : m_writer(writer)
    , m_reader(reader)
    , m_fanout(fanout)
    , m_rooms(rooms)
    , m_log(log)
    , m_presence(presence)
    , m_accounts(accounts)
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
    const qint64 user = peer->userId();
    const QByteArray keep = peer->tokenHash();
    const QJsonValue id = r.id;
    m_accounts.checkPassword(peer, id, request.password, [=, this](Peer *checked) {
        m_accounts.hashPassword(checked, id, newPassword, [=, this](Peer *p, const QString &hash) {
            writeFor<int>(
                m_writer, p, id,
                [=](WriteContext &ctx) -> std::optional<int> {
                    int revoked = 0;
                    if (!accountstore::setPasswordHash(ctx, user, hash)
                        || (revokeOthers
                            && !sessionstore::deleteOtherTokens(ctx, user, keep, &revoked)))
                        return std::nullopt;
                    return revoked;
                },
                [=, this](Peer *done, int revoked) {
                    if (done)
                        done->reply(id, protocol::PasswordChanged {revoked}.toJson());
                    if (revokeOthers)
                        closeOthers(user, keep, u"password changed"_s);
                    qCInfo(lcAuth) << "password changed for user" << user << "ended" << revoked;
                });
        });
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
        list.sessions.append({row.id, row.device, row.address, row.createdMs, row.lastSeenMs,
            row.tokenHash == peer->tokenHash(), online.contains(row.tokenHash)});
    }
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
        [this, id = r.id, user, session, current](Peer *p, const QByteArray &hash) {
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
        [this, id = r.id](Peer *p) { deleteAccount(p, id); });
}

void SelfService::deleteAccount(Peer *peer, const QJsonValue &id)
{
    const qint64 user = peer->userId();
    const QString name = peer->userName();
    // Direct rooms are kept: the other participant still reads them (§18.1).
    QList<qint64> rooms;
    for (const qint64 room : m_rooms.roomsOf(user)) {
        const RoomRecord *record = m_rooms.room(room);
        if (record && record->kind != RoomKind::Direct)
            rooms.append(room);
    }
    writeFor<QList<RoomEvent>>(
        m_writer, peer, id,
        [user, name, rooms](WriteContext &ctx) -> std::optional<QList<RoomEvent>> {
            QList<RoomEvent> left;
            for (const qint64 room : rooms) {
                // Each room as `leave` leaves it (§5.9), all in this one transaction.
                bool member = false;
                if (!roomstore::isMember(ctx, room, user, &member))
                    return std::nullopt;
                if (!member)
                    continue;
                RoomEvent e = RoomLog::newEvent(room, protocol::EventKind::Leave, name);
                if (!ctx.appendEvent(e, user) || !roomstore::removeMember(ctx, room, user))
                    return std::nullopt;
                left.append(e);
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
            return left;
        },
        [this, id, user, name](Peer *p, const QList<RoomEvent> &left) {
            // The leaver's peers see their own leave events, then nothing more.
            m_log.broadcast(left);
            for (const RoomEvent &e : left) {
                m_rooms.removeMember(e.room, user);
                m_presence.stopTyping(e.room, user);
            }
            if (p)
                p->reply(id);
            m_fanout.closeUser(user, {}, u"account deleted"_s);
            qCInfo(lcAuth) << "deleted account" << name;
        });
}

} // namespace confab::server
