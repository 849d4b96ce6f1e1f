// SPDX-License-Identifier: GPL-3.0-or-later
#include "chat/notifylevels.h"

#include "chat/fanout.h"
#include "chat/peer.h"
#include "chat/peerwrite.h"
#include "chat/roomdirectory.h"
#include "chat/roomviews.h"
#include "net/wireframe.h"
#include "protocol/serverframe.h"
#include "storage/notifystore.h"
#include "storage/writecontext.h"

#include <QDateTime>
#include <QLoggingCategory>

using namespace Qt::StringLiterals;
using confab::protocol::ErrorCode;

Q_LOGGING_CATEGORY(lcNotify, "confab.notify", QtInfoMsg)

namespace confab::server {

NotifyLevels::NotifyLevels(
    StorageWriter &writer, const RoomDirectory &rooms, const Fanout &fanout, RoomViews &views)
    : m_writer(writer)
    , m_rooms(rooms)
    , m_fanout(fanout)
    , m_views(views)
{ }

void NotifyLevels::handleSetNotify(Peer *peer, const protocol::Request &r)
{
    const RoomRecord *room = m_views.memberRoom(peer, r);
    if (!room)
        return;
    const qint64 roomId = room->id;
    const qint64 user = peer->userId();
    const protocol::NotifyLevel level = r.as<protocol::body::SetNotify>().level;
    writeFor<bool>(
        m_writer, peer, r.id,
        [=](WriteContext &ctx) -> std::optional<bool> {
            bool member = false;
            if (!notifystore::setLevel(ctx, roomId, user, level, &member))
                return std::nullopt;
            return member;
        },
        [this, roomId, user, id = r.id, changing = m_views.notifyLevelChanging(roomId, user)](
            Peer *p, bool member) {
            const RoomRecord *changed = m_rooms.room(roomId);
            // A leave committed first took the membership, and the level with it: answered
            // as the membership check would answer now (§18.3).
            if (!member || !changed || !changed->members.contains(user)) {
                if (!p)
                    return;
                if (!changed || m_views.hiddenFrom(*changed, user))
                    return p->fail(id, ErrorCode::NotFound, u"no room %1"_s.arg(roomId));
                return p->fail(
                    id, ErrorCode::NotMember, u"you are not a member of room %1"_s.arg(roomId));
            }
            if (p)
                p->reply(id, QJsonObject());
            m_views.changedHere(RoomViews::Shared::NotifyLevel, roomId, user);
            const auto frame
                = WireFrame::text(protocol::frames::room(m_views.summary(*changed, user)));
            m_fanout.sendToUser(user, frame);
        });
}

void NotifyLevels::handleSetDnd(Peer *peer, const protocol::Request &r)
{
    const qint64 requested = r.as<protocol::body::SetDnd>().until;
    // A time already past ends it, so "off" has one stored form.
    const qint64 until = requested > QDateTime::currentMSecsSinceEpoch() ? requested : 0;
    const qint64 user = peer->userId();
    writeFor(
        m_writer, peer, r.id,
        [=](WriteContext &ctx) { return notifystore::setDndUntil(ctx, user, until); },
        [this, user, until, id = r.id, changing = m_views.dndChanging(user)](Peer *p) {
            if (p)
                p->reply(id, QJsonObject());
            qCDebug(lcNotify) << "user" << user << "do-not-disturb until" << until;
            m_views.changedHere(RoomViews::Shared::Dnd, user);
            m_fanout.sendToUser(user, WireFrame::text(protocol::frames::dnd(until)));
        });
}

} // namespace confab::server
