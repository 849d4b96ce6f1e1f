// SPDX-License-Identifier: GPL-3.0-or-later
#include "session/moderation.h"

#include "models/invitationsmodel.h"
#include "models/memberlistmodel.h"
#include "models/roomlistmodel.h"
#include "net/connection.h"
#include "protocol/roles.h"
#include "protocol/teamrequests.h"
#include "session/errortext.h"
#include "session/roomactions.h"
#include "session/session.h"

#include <QJSEngine>

using namespace Qt::StringLiterals;
namespace req = confab::protocol::requests;

namespace confab::client {

Moderation::Moderation(Connection *connection, RoomListModel *rooms, MemberListModel *members,
    InvitationsModel *invitations, RoomActions *actions, QObject *parent)
    : QObject(parent)
    , m_connection(connection)
    , m_rooms(rooms)
    , m_members(members)
    , m_invitations(invitations)
    , m_actions(actions)
{
    // The open room's role and settings come with its summary and its events.
    connect(m_rooms, &RoomListModel::roomChanged, this, [this](qint64 room) {
        if (room == m_currentRoom)
            Q_EMIT standingChanged();
    });
    connect(m_rooms, &QAbstractItemModel::modelReset, this, &Moderation::standingChanged);
    connect(m_rooms, &QAbstractItemModel::dataChanged, this, &Moderation::standingChanged);
    connect(m_members, &MemberListModel::selfMutedChanged, this, &Moderation::standingChanged);
    // An accepted invitation (here or on another device) ends when its room is listed.
    connect(m_rooms, &QAbstractItemModel::rowsInserted, this,
        [this](const QModelIndex &, int first, int last) {
            for (int row = first; row <= last; ++row)
                m_invitations->remove(m_rooms->roomIdAt(row));
            Q_EMIT standingChanged();
        });
}

Moderation *Moderation::create(QQmlEngine *, QJSEngine *)
{
    Session *session = Session::instance();
    Q_ASSERT(session);
    QJSEngine::setObjectOwnership(session->moderation(), QJSEngine::CppOwnership);
    return session->moderation();
}

void Moderation::setCurrentRoom(qint64 room)
{
    if (m_currentRoom == room)
        return;
    m_currentRoom = room;
    Q_EMIT standingChanged();
}

void Moderation::setOwnAdmin(bool admin)
{
    m_members->setOwnAdmin(admin);
    if (m_admin == admin)
        return;
    m_admin = admin;
    Q_EMIT standingChanged();
}

void Moderation::reset()
{
    ++m_generation;
    m_currentRoom = 0;
    setOwnAdmin(false);
    m_invitations->clear();
    Q_EMIT standingChanged();
}

int Moderation::ownRank() const
{
    const auto room = m_rooms->room(m_currentRoom);
    if (!room || room->direct)
        return 0;
    if (m_admin)
        return protocol::AdminRank;
    const auto role = protocol::roomRoleFromName(room->role);
    return role ? int(*role) : 0;
}

bool Moderation::canInvite() const
{
    const auto room = m_rooms->room(m_currentRoom);
    if (!room || room->direct || room->role.isEmpty())
        return false; // a direct room, or a server without teams
    // A muted member's invite answers `muted` (§17.4).
    if (m_members->selfMuted())
        return false;
    return room->invitesBy != u"moderators" || ownRank() >= 1;
}

bool Moderation::canConfigure() const
{
    const auto room = m_rooms->room(m_currentRoom);
    return room && !room->direct && !room->role.isEmpty() && ownRank() >= 2;
}

bool Moderation::isPrivate() const
{
    const auto room = m_rooms->room(m_currentRoom);
    return room && room->isPrivate;
}

QString Moderation::invitesBy() const
{
    const auto room = m_rooms->room(m_currentRoom);
    return room && !room->invitesBy.isEmpty() ? room->invitesBy : u"members"_s;
}

void Moderation::send(const protocol::OutgoingRequest &request, const std::function<void()> &done)
{
    const quint64 generation = m_generation;
    m_connection->send(
        request, this, [this, generation, done, type = request.type](const Reply &reply) {
            if (generation != m_generation)
                return;
            if (reply.outcome == Reply::Disconnected) {
                Q_EMIT actionFailed(tr("You are offline. Try again when the connection is back."));
                return;
            }
            if (!reply.ok()) {
                Q_EMIT actionFailed(teamActionErrorText(reply.error, type));
                return;
            }
            if (done)
                done();
            Q_EMIT actionDone();
        });
}

void Moderation::sendFor(qint64 room, const protocol::OutgoingRequest &request)
{
    if (room > 0)
        send(request);
}

void Moderation::invite(qint64 room, const QString &user)
{
    if (user.trimmed().isEmpty()) {
        Q_EMIT actionFailed(tr("Enter the username of who to invite."));
        return;
    }
    sendFor(room, req::invite(room, user.trimmed()));
}

void Moderation::kick(qint64 room, const QString &user, const QString &reason)
{
    sendFor(room, req::kick(room, user, reason.trimmed()));
}

void Moderation::ban(qint64 room, const QString &user, const QString &reason, int durationS)
{
    sendFor(room, req::ban(room, user, reason.trimmed(), std::max(0, durationS)));
}

void Moderation::unban(qint64 room, const QString &user)
{
    sendFor(room, req::unban(room, user));
}

void Moderation::mute(qint64 room, const QString &user, const QString &reason, int durationS)
{
    sendFor(room, req::mute(room, user, reason.trimmed(), std::max(0, durationS)));
}

void Moderation::unmute(qint64 room, const QString &user)
{
    sendFor(room, req::unmute(room, user));
}

void Moderation::setRole(qint64 room, const QString &user, const QString &role)
{
    if (const auto r = protocol::roomRoleFromName(role))
        sendFor(room, req::setRole(room, user, *r));
}

void Moderation::setRoom(qint64 room, const QVariant &isPrivate, const QString &invitesBy)
{
    std::optional<bool> givenPrivate;
    if (isPrivate.isValid() && !isPrivate.isNull())
        givenPrivate = isPrivate.toBool();
    const std::optional<protocol::InvitePolicy> givenPolicy
        = protocol::invitePolicyFromName(invitesBy);
    // Nothing changed: nothing to send, and nothing to fail.
    if (!givenPrivate && !givenPolicy) {
        Q_EMIT actionDone();
        return;
    }
    sendFor(room, req::setRoom(room, givenPrivate, givenPolicy));
}

void Moderation::acceptInvite(qint64 roomId)
{
    const quint64 generation = m_generation;
    m_actions->joinInvited(roomId, [this, generation, roomId](const Reply &reply) {
        if (generation != m_generation)
            return;
        if (reply.outcome == Reply::Disconnected) {
            Q_EMIT actionFailed(tr("You are offline. Try again when the connection is back."));
            return;
        }
        // not_found: the invitation was withdrawn (or the channel is gone) meanwhile, so its
        // card goes; any other refusal (a ban, say) leaves it, to try again or decline.
        if (reply.error == protocol::ErrorCode::NotFound) {
            m_invitations->remove(roomId);
            Q_EMIT actionFailed(teamActionErrorText(reply.error, protocol::RequestType::Join));
            return;
        }
        Q_EMIT actionFailed(actionErrorText(reply.error));
    });
}

void Moderation::declineInvite(qint64 roomId)
{
    const quint64 generation = m_generation;
    m_connection->send(
        req::declineInvite(roomId), this, [this, generation, roomId](const Reply &reply) {
            if (generation != m_generation)
                return;
            // not_found: the invitation had already ended; either way it is gone.
            if (reply.ok() || reply.error == protocol::ErrorCode::NotFound) {
                m_invitations->remove(roomId);
                return;
            }
            Q_EMIT actionFailed(reply.outcome == Reply::Disconnected
                    ? tr("You are offline. Try again when the connection is back.")
                    : teamActionErrorText(reply.error, protocol::RequestType::DeclineInvite));
        });
}

} // namespace confab::client
