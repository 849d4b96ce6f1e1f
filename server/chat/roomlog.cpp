// SPDX-License-Identifier: GPL-3.0-or-later
#include "chat/roomlog.h"

#include "chat/clusterfeed.h"
#include "chat/fanout.h"
#include "chat/moderation.h"
#include "chat/peer.h"
#include "chat/peerwrite.h"
#include "chat/presence.h"
#include "chat/ranks.h"
#include "chat/roomdirectory.h"
#include "chat/roomviews.h"
#include "core/metrics.h"
#include "net/wireframe.h"
#include "protocol/frameshapes.h"
#include "protocol/results.h"
#include "protocol/roles.h"
#include "protocol/serverframe.h"
#include "protocol/textrules.h"
#include "storage/accountstore.h"
#include "storage/eventstore.h"
#include "storage/filestore.h"
#include "storage/messagestate.h"
#include "storage/roomstore.h"
#include "storage/searchindex.h"
#include "storage/teamstore.h"
#include "storage/writecontext.h"

using namespace Qt::StringLiterals;
using confab::protocol::ErrorCode;
using confab::protocol::EventKind;
using confab::protocol::RoomEvent;

namespace confab::server {

namespace {
// What the one append path found inside its transaction.
struct Appended
{
    enum class Outcome
    {
        Appended,
        Unchanged,
        NotMember,
        Refused
    };
    Outcome outcome = Outcome::Appended;
    RoomEvent event;
    ErrorCode code = ErrorCode::Internal;
    QString message;
    QJsonObject details;
};

// A direct room whose other participant deleted their account is read-only (§18.1).
RoomLog::Check unlessPeerDeleted(qint64 room, RoomLog::Check check)
{
    return [room, check = std::move(check)](WriteContext &ctx) -> std::optional<RoomLog::Verdict> {
        bool deleted = false;
        if (!accountstore::hasDeletedMember(ctx, room, &deleted))
            return std::nullopt;
        if (deleted)
            return RoomLog::Verdict {RoomLog::Verdict::Outcome::Refused, {}, ErrorCode::Forbidden,
                u"the other participant has deleted their account"_s, {}};
        return check ? check(ctx) : RoomLog::Verdict {};
    };
}

QJsonObject acknowledgement(const RoomEvent &e)
{
    return protocol::SendAck {e.id, e.room, e.seq, e.timestamp, e.txn}.toJson();
}
} // namespace

RoomEvent RoomLog::newEvent(qint64 room, EventKind kind, const QString &sender)
{
    RoomEvent e;
    e.room = room;
    e.kind = kind;
    e.sender = sender;
    return e;
}

RoomLog::RoomLog(StorageWriter &writer, RoomDirectory &rooms, const Fanout &fanout,
    RoomViews &views, Presence &presence)
    : m_writer(writer)
    , m_rooms(rooms)
    , m_fanout(fanout)
    , m_views(views)
    , m_presence(presence)
{ }

void RoomLog::append(Peer *peer, const QJsonValue &requestId, Entry entry)
{
    auto shared = std::make_shared<const Entry>(std::move(entry));
    writeFor<Appended>(
        m_writer, peer, requestId,
        [shared](WriteContext &ctx) -> std::optional<Appended> {
            const Entry &e = *shared;
            Appended result {Appended::Outcome::Appended, e.event, ErrorCode::Internal, {}, {}};
            // Transaction ids are per sender: a resend finds its original row, committed
            // in the same transaction as the message itself. Looked up only where the
            // message is not appended: the insert's unique key on (sender, txn) finds a
            // resend, so a new message (nearly every one) costs no lookup. A resend is
            // answered the same whichever check comes first: with its original.
            bool found = false;
            const auto original = [&]() -> bool {
                if (e.event.txn.isEmpty())
                    return true;
                if (!eventstore::findByTxn(ctx, e.authorId, e.event.txn, &result.event, &found))
                    return false;
                if (found)
                    result.outcome = Appended::Outcome::Unchanged;
                return true;
            };
            // Checked again here: the membership the handler saw may have changed since.
            bool member = false;
            if (!roomstore::isMember(ctx, e.event.room, e.authorId, &member))
                return std::nullopt;
            if (member == e.authorJoins) {
                if (!original())
                    return std::nullopt;
                if (!found)
                    result.outcome
                        = member ? Appended::Outcome::Unchanged : Appended::Outcome::NotMember;
                return result;
            }
            if (e.check) {
                const std::optional<Verdict> verdict = e.check(ctx);
                if (!verdict)
                    return std::nullopt;
                if (verdict->outcome != Verdict::Outcome::Append) {
                    if (!original())
                        return std::nullopt;
                    if (found)
                        return result;
                }
                switch (verdict->outcome) {
                case Verdict::Outcome::Append:
                    break;
                case Verdict::Outcome::Unchanged:
                    result.outcome = Appended::Outcome::Unchanged;
                    result.event = verdict->earlier;
                    return result;
                case Verdict::Outcome::Refused:
                    result.outcome = Appended::Outcome::Refused;
                    result.code = verdict->code;
                    result.message = verdict->message;
                    result.details = verdict->details;
                    return result;
                }
            }
            if (e.stamp)
                e.stamp(ctx, result.event);
            bool repeated = false;
            if (!ctx.appendEvent(result.event, e.authorId, &repeated)) {
                // A key taken that is not a resend's is an error like any other.
                if (!repeated || !original() || !found)
                    return std::nullopt;
                return result;
            }
            if (e.alongside && !e.alongside(ctx, result.event))
                return std::nullopt;
            return result;
        },
        [this, shared, requestId](Peer *p, const Appended &result) {
            const Entry &e = *shared;
            switch (result.outcome) {
            case Appended::Outcome::NotMember: {
                if (!p)
                    return;
                // Answered as the handler's own check would answer it now: a leave that
                // committed first makes a group or direct room one you cannot see (§18.4).
                const RoomRecord *room = m_rooms.room(e.event.room);
                if (!room || m_views.hiddenFrom(*room, e.authorId))
                    p->fail(requestId, ErrorCode::NotFound, u"no room %1"_s.arg(e.event.room),
                        {{u"field"_s, u"room"_s}});
                else
                    p->fail(requestId, ErrorCode::NotMember,
                        u"you are not a member of room %1"_s.arg(e.event.room));
                return;
            }
            case Appended::Outcome::Refused:
                if (p)
                    p->fail(requestId, result.code, result.message, result.details);
                return;
            case Appended::Outcome::Unchanged:
                if (e.unchanged)
                    e.unchanged(p, result.event);
                return;
            case Appended::Outcome::Appended:
                // The others' earlier events first, before this one changes the room here.
                if (m_cluster)
                    m_cluster->catchUp(result.event.room, result.event.seq - 1);
                if (e.beforeBroadcast)
                    e.beforeBroadcast(p, result.event);
                broadcast({result.event});
                if (e.afterBroadcast)
                    e.afterBroadcast(p, result.event);
                return;
            }
        },
        shared->event.room);
}

void RoomLog::broadcast(const QList<RoomEvent> &events)
{
    for (const RoomEvent &e : events) {
        if (m_cluster) {
            m_cluster->catchUp(e.room, e.seq - 1);
            // In seq order on every instance: after the others' events that storage did not
            // give yet, at the next ring or poll.
            if (!m_cluster->deliverable(e)) {
                m_cluster->hold(e);
                continue;
            }
        }
        send(e);
        if (m_cluster)
            m_cluster->sent(e);
    }
    // The others' events that waited behind these.
    if (m_cluster) {
        for (const RoomEvent &e : events)
            m_cluster->catchUp(e.room);
    }
}

void RoomLog::send(const RoomEvent &e)
{
    m_rooms.setLastSeq(e.room, e.seq);
    const RoomRecord *room = m_rooms.room(e.room);
    if (!room)
        return;
    // Encoded and framed once for every recipient on every device.
    const int sent
        = m_fanout.sendToUsers(room->members, WireFrame::text(protocol::frames::event(e)));
    metrics::registry().deliveries.add(quint64(sent));
}

void RoomLog::announceRoom(const RoomRecord &room, const Peer *except)
{
    for (qint64 member : room.members)
        m_fanout.sendToUser(
            member, WireFrame::text(protocol::frames::room(m_views.summary(room, member))), except);
}

void RoomLog::announceChannel(const RoomRecord &room)
{
    if (room.kind != RoomKind::Channel)
        return;
    // Two encodings for everyone: members and the rest differ only in `joined`.
    protocol::DirectoryEntry entry = RoomViews::directoryEntry(room, 0);
    const WireFrame forOthers = WireFrame::text(protocol::frames::directory(entry));
    entry.joined = true;
    const WireFrame forMembers = WireFrame::text(protocol::frames::directory(entry));
    // A private channel is listed only to its members and the users invited to it (§17.2).
    const QSet<qint64> invited = room.isPrivate ? m_views.invitees(room.id) : QSet<qint64>();
    const auto &online = m_fanout.online();
    for (auto it = online.cbegin(); it != online.cend(); ++it) {
        const bool member = room.members.contains(it.key());
        if (room.isPrivate && !member && !invited.contains(it.key()))
            continue;
        const WireFrame &frame = member ? forMembers : forOthers;
        for (Peer *peer : it.value())
            peer->send(frame);
    }
}

void RoomLog::handleSend(Peer *peer, const protocol::Request &r)
{
    const RoomRecord *room = m_views.memberRoom(peer, r);
    if (!room)
        return;
    const auto &request = r.as<protocol::body::Send>();
    Entry entry;
    entry.event = RoomLog::newEvent(room->id, EventKind::Message, peer->userName());
    entry.event.txn = request.txn;
    entry.event.text = request.text;
    entry.event.mentions = protocol::extractMentions(entry.event.text);
    entry.event.replyTo = request.replyTo;
    entry.authorId = peer->userId();
    if (request.replyTo > 0 || !request.attachments.isEmpty()) {
        entry.check = [room = room->id, replyTo = request.replyTo, files = request.attachments,
                          user = peer->userId()](WriteContext &ctx) -> std::optional<Verdict> {
            // A reply quotes a message of the same room; a redacted one quotes its tombstone.
            if (replyTo > 0) {
                messagestate::Target target;
                if (!messagestate::findMessage(ctx, room, replyTo, &target))
                    return std::nullopt;
                if (!target.found)
                    return Verdict {Verdict::Outcome::Refused, {}, ErrorCode::NotFound,
                        u"replyTo: no message %1 in room %2"_s.arg(replyTo).arg(room), {}};
            }
            // Only files the sender may attach (§16.3), checked in the message's transaction.
            for (qint64 file : files) {
                bool ok = false;
                const bool attachable = filestore::canAttach(ctx, user, file, &ok);
                if (!ok)
                    return std::nullopt;
                if (!attachable)
                    return Verdict {Verdict::Outcome::Refused, {}, ErrorCode::NotFound,
                        u"attachments: no file %1 you may read"_s.arg(file),
                        {{u"field"_s, u"attachments"_s}, {u"file"_s, double(file)}}};
            }
            return Verdict {};
        };
    }
    // A muted member's message is refused in the transaction: a mute committed just before
    // it wins (§17.4).
    entry.check = Moderation::unlessMuted(room->id, peer->userId(), std::move(entry.check));
    if (room->kind == RoomKind::Direct)
        entry.check = unlessPeerDeleted(room->id, std::move(entry.check));
    entry.alongside
        = [user = peer->userId(), files = request.attachments](WriteContext &ctx, RoomEvent &e) {
              if (!eventstore::insertMentions(ctx, e, user) || !searchindex::add(ctx, e.id, e.text))
                  return false;
              if (files.isEmpty())
                  return true;
              // The rows go in the message's own transaction: the ack means both are durable.
              if (!filestore::insertAttachments(ctx, e.id, files))
                  return false;
              for (qint64 id : files) {
                  const std::optional<FileRecord> file = filestore::file(ctx, id);
                  if (!file)
                      return false;
                  e.attachments.append(file->info);
              }
              return true;
          };
    // The ack first, then the event to every member, the sender's peers included.
    entry.beforeBroadcast = entry.unchanged = [id = r.id](Peer *p, const RoomEvent &e) {
        if (p)
            p->reply(id, acknowledgement(e));
    };
    entry.afterBroadcast = [this, user = peer->userId()](Peer *, const RoomEvent &e) {
        metrics::registry().messagesAccepted.add();
        m_presence.stopTyping(e.room, user);
    };
    append(peer, r.id, std::move(entry));
}

void RoomLog::handleJoin(Peer *peer, const protocol::Request &r)
{
    const qint64 roomId = r.as<protocol::body::Join>().room;
    const qint64 user = peer->userId();
    // Another instance may have created the room, or made the user a member, a moment ago.
    if (m_cluster && !m_rooms.isMember(roomId, user))
        m_cluster->refresh(roomId);
    const RoomRecord *room = m_rooms.room(roomId);
    // A private channel is joined by invitation (or by an admin); to anyone else it is
    // not there (§17.2).
    const bool admin = m_views.ranks().isAdmin(user);
    if (!room || room->kind != RoomKind::Channel || (!admin && m_views.hiddenFrom(*room, user)))
        return peer->fail(r.id, ErrorCode::NotFound, u"no channel %1"_s.arg(roomId));
    if (room->members.contains(user))
        return peer->reply(r.id, protocol::RoomResult {m_views.summary(*room, user)}.toJson());
    Entry entry;
    entry.event = RoomLog::newEvent(roomId, EventKind::Join, peer->userName());
    entry.authorId = user;
    entry.authorJoins = true;
    // Checked again in the transaction: a ban or the end of the invitation may have
    // committed since.
    // Privacy and the joiner's admin role are read there too: a set_room{private} or a
    // set_user committed since the request arrived decides (§17.2).
    entry.check = [roomId, user](WriteContext &ctx) -> std::optional<Verdict> {
        std::optional<SanctionRecord> ban;
        if (!teamstore::activeSanction(ctx, roomId, user, int(protocol::SanctionKind::Ban), &ban))
            return std::nullopt;
        bool isPrivate = false;
        int invitesBy = 0;
        bool admin = false;
        if (!teamstore::roomSettings(ctx, roomId, &isPrivate, &invitesBy)
            || !Ranks::isAdmin(ctx, user, &admin))
            return std::nullopt;
        qint64 seq = 0;
        if (isPrivate && !admin && !teamstore::inviteSeq(ctx, roomId, user, &seq))
            return std::nullopt;
        // Banned from a channel they cannot see: it is not there for them (§17.3).
        if (isPrivate && !admin && seq == 0)
            return Verdict {Verdict::Outcome::Refused, {}, ErrorCode::NotFound,
                u"no channel %1"_s.arg(roomId), {}};
        if (ban) {
            QJsonObject details;
            if (ban->untilMs > 0)
                details.insert(protocol::wire::error::Until.name, double(ban->untilMs));
            return Verdict {Verdict::Outcome::Refused, {}, ErrorCode::Banned,
                u"you are banned from room %1"_s.arg(roomId), details};
        }
        return Verdict {};
    };
    // The join ends the invitation; the joiner's other devices learn it after the room push.
    auto endedInvite = std::make_shared<bool>(false);
    // Everything before the join counts as read: joining is not 10,000 unread.
    entry.alongside = [roomId, user, endedInvite](WriteContext &ctx, const RoomEvent &e) {
        return roomstore::addMember(ctx, roomId, user, e.seq)
            && teamstore::removeInvite(ctx, roomId, user, endedInvite.get());
    };
    entry.beforeBroadcast
        = [this, roomId, user](Peer *, const RoomEvent &) { m_rooms.addMember(roomId, user); };
    entry.afterBroadcast = entry.unchanged = [this, roomId, user, endedInvite, id = r.id](
                                                 Peer *p, const RoomEvent &) {
        // Read state and counts cost two queries: one summary for both.
        const protocol::RoomSummary summary = m_views.summary(*m_rooms.room(roomId), user);
        if (p)
            p->reply(id, protocol::RoomResult {summary}.toJson());
        m_fanout.sendToUser(user, WireFrame::text(protocol::frames::room(summary)), p);
        if (*endedInvite)
            m_fanout.sendToUser(user, WireFrame::text(protocol::frames::inviteRemoved(roomId)), p);
    };
    append(peer, r.id, std::move(entry));
}

void RoomLog::handleLeave(Peer *peer, const protocol::Request &r)
{
    const RoomRecord *room = m_views.memberRoom(peer, r);
    if (!room)
        return;
    if (room->kind == RoomKind::Direct)
        return peer->fail(r.id, ErrorCode::Forbidden, u"direct conversations cannot be left"_s);
    const qint64 roomId = room->id;
    const qint64 user = peer->userId();
    Entry entry;
    entry.event = RoomLog::newEvent(roomId, EventKind::Leave, peer->userName());
    entry.authorId = user;
    entry.alongside = [roomId, user](WriteContext &ctx, const RoomEvent &) {
        return roomstore::removeMember(ctx, roomId, user);
    };
    // The leaver's peers see their own leave event, then nothing more.
    entry.afterBroadcast = [this, roomId, user, id = r.id](Peer *p, const RoomEvent &e) {
        m_rooms.removeMember(roomId, user);
        m_presence.stopTyping(roomId, user);
        if (p)
            p->reply(id, protocol::EventSeq {e.seq}.toJson());
    };
    append(peer, r.id, std::move(entry));
}

void RoomLog::handleSetTopic(Peer *peer, const protocol::Request &r)
{
    const RoomRecord *room = m_views.memberRoom(peer, r);
    if (!room)
        return;
    if (room->kind != RoomKind::Channel)
        return peer->fail(r.id, ErrorCode::Forbidden, u"conversations have no topic"_s);
    const qint64 roomId = room->id;
    Entry entry;
    entry.event = RoomLog::newEvent(roomId, EventKind::Topic, peer->userName());
    entry.event.topic = r.as<protocol::body::SetTopic>().topic;
    entry.authorId = peer->userId();
    entry.check = Moderation::unlessMuted(roomId, peer->userId());
    entry.alongside = [roomId](WriteContext &ctx, const RoomEvent &e) {
        return roomstore::setTopic(ctx, roomId, e.topic);
    };
    entry.beforeBroadcast
        = [this, roomId](Peer *, const RoomEvent &e) { m_rooms.setTopic(roomId, e.topic); };
    entry.afterBroadcast = [this, roomId, id = r.id](Peer *p, const RoomEvent &e) {
        if (p)
            p->reply(id, protocol::EventSeq {e.seq}.toJson());
        if (const RoomRecord *changed = m_rooms.room(roomId))
            announceChannel(*changed);
    };
    append(peer, r.id, std::move(entry));
}

} // namespace confab::server
