// SPDX-License-Identifier: GPL-3.0-or-later
#include "protocol/results.h"

#include "protocol/jsoninteger.h"
#include "protocol/jsonlists.h"
#include "protocol/resultshapes.h"

#include <QJsonArray>

namespace confab::protocol {

namespace {

using json::integer;
using json::listFrom;
using json::listJson;

std::optional<RoomEvent> eventFrom(const QJsonValue &v)
{
    return RoomEvent::fromServer(v.toObject());
}

std::optional<qint64> roomIdFrom(const QJsonValue &v)
{
    const auto id = jsonInteger(v);
    if (!id || *id < 1)
        return std::nullopt;
    return id;
}

} // namespace

QJsonObject SignedIn::toJson() const
{
    namespace w = wire::signed_in;
    QJsonObject o {{w::User.name, user}, {w::Rooms.name, listJson(rooms)},
        {w::ExpiresAt.name, double(expiresAt)}};
    if (!token.isEmpty())
        o.insert(w::Token.name, token);
    if (hasTeams) {
        o.insert(w::Admin.name, admin);
        o.insert(w::Invites.name, listJson(invites));
    }
    if (profile)
        profile->insertInto(o);
    if (dndUntil)
        o.insert(w::DndUntil.name, double(*dndUntil));
    return o;
}

std::optional<SignedIn> SignedIn::fromJson(const QJsonObject &data)
{
    namespace w = wire::signed_in;
    if (!data.value(w::User.name).isString() || !data.value(w::Rooms.name).isArray())
        return std::nullopt;
    SignedIn s;
    s.user = data.value(w::User.name).toString();
    s.token = data.value(w::Token.name).toString();
    s.expiresAt = integer(data, w::ExpiresAt.name).value_or(0);
    s.rooms = listFrom<RoomSummary>(data.value(w::Rooms.name));
    s.hasTeams = data.contains(w::Admin.name);
    s.admin = data.value(w::Admin.name).toBool();
    s.invites = listFrom<Invitation>(data.value(w::Invites.name));
    if (data.contains(w::DisplayName.name))
        s.profile = Profile::readFrom(data, s.user);
    if (data.contains(w::DndUntil.name))
        s.dndUntil = integer(data, w::DndUntil.name).value_or(0);
    return s;
}

QJsonObject Pong::toJson() const
{
    return {{wire::pong::Time.name, double(time)}};
}

std::optional<Pong> Pong::fromJson(const QJsonObject &data)
{
    const auto time = integer(data, wire::pong::Time.name);
    if (!time)
        return std::nullopt;
    return Pong {*time};
}

QJsonObject SendAck::toJson() const
{
    namespace w = wire::send_ack;
    return {{w::Id.name, double(id)}, {w::Room.name, double(room)}, {w::Seq.name, double(seq)},
        {w::Ts.name, double(timestamp)}, {w::Txn.name, txn}};
}

std::optional<SendAck> SendAck::fromJson(const QJsonObject &data)
{
    namespace w = wire::send_ack;
    const auto seq = integer(data, w::Seq.name);
    if (!seq || *seq < 1)
        return std::nullopt;
    SendAck a;
    a.seq = *seq;
    a.id = integer(data, w::Id.name).value_or(0);
    a.room = integer(data, w::Room.name).value_or(0);
    a.timestamp = integer(data, w::Ts.name).value_or(0);
    a.txn = data.value(w::Txn.name).toString();
    return a;
}

QJsonObject EventSeq::toJson() const
{
    return {{wire::event_seq::Seq.name, double(seq)}};
}

std::optional<EventSeq> EventSeq::fromJson(const QJsonObject &data)
{
    const auto seq = integer(data, wire::event_seq::Seq.name);
    if (!seq || *seq < 1)
        return std::nullopt;
    return EventSeq {*seq};
}

QJsonObject HistoryPage::toJson() const
{
    namespace w = wire::history_page;
    return {{w::Room.name, double(room)}, {w::Events.name, listJson(events)},
        {w::HasMore.name, hasMore}};
}

std::optional<HistoryPage> HistoryPage::fromJson(const QJsonObject &data)
{
    namespace w = wire::history_page;
    if (!data.value(w::Events.name).isArray())
        return std::nullopt;
    HistoryPage p;
    p.room = integer(data, w::Room.name).value_or(0);
    p.events = listFrom<RoomEvent, eventFrom>(data.value(w::Events.name));
    p.hasMore = data.value(w::HasMore.name).toBool();
    return p;
}

QJsonObject SyncRoom::toJson() const
{
    namespace w = wire::sync_room;
    QJsonObject o {
        {w::Room.name, room.toJson()}, {w::Events.name, listJson(events)}, {w::Gap.name, gap}};
    if (gap)
        o.insert(w::GapFrom.name, double(gapFrom));
    return o;
}

std::optional<SyncRoom> SyncRoom::fromJson(const QJsonObject &entry)
{
    namespace w = wire::sync_room;
    auto summary = RoomSummary::fromJson(entry.value(w::Room.name).toObject());
    if (!summary)
        return std::nullopt;
    SyncRoom r;
    r.room = std::move(*summary);
    r.events = listFrom<RoomEvent, eventFrom>(entry.value(w::Events.name));
    r.gap = entry.value(w::Gap.name).toBool();
    r.gapFrom = r.gap ? integer(entry, w::GapFrom.name).value_or(0) : 0;
    return r;
}

QJsonObject SyncResult::toJson() const
{
    namespace w = wire::sync_result;
    QJsonArray leftJson;
    for (qint64 id : left)
        leftJson.append(double(id));
    return {{w::Rooms.name, listJson(rooms)}, {w::Left.name, leftJson}};
}

std::optional<SyncResult> SyncResult::fromJson(const QJsonObject &data)
{
    namespace w = wire::sync_result;
    if (!data.value(w::Rooms.name).isArray())
        return std::nullopt;
    SyncResult s;
    s.rooms = listFrom<SyncRoom>(data.value(w::Rooms.name));
    s.left = listFrom<qint64, roomIdFrom>(data.value(w::Left.name));
    return s;
}

QJsonObject ReadState::toJson() const
{
    namespace w = wire::read_state;
    return {{w::Room.name, double(room)}, {w::ReadSeq.name, double(readSeq)},
        {w::Unread.name, double(unread)}, {w::Mentions.name, double(mentions)}};
}

std::optional<ReadState> ReadState::fromJson(const QJsonObject &object)
{
    namespace w = wire::read_state;
    const auto room = integer(object, w::Room.name);
    const auto readSeq = integer(object, w::ReadSeq.name);
    if (!room || *room < 1 || !readSeq)
        return std::nullopt;
    return ReadState {*room, *readSeq, integer(object, w::Unread.name).value_or(0),
        integer(object, w::Mentions.name).value_or(0)};
}

QJsonObject Member::toJson() const
{
    namespace w = wire::member_entry;
    QJsonObject o {{w::User.name, user}, {w::Online.name, online}};
    if (!role.isEmpty())
        o.insert(w::Role.name, role);
    if (mutedUntil)
        o.insert(w::MutedUntil.name, double(*mutedUntil));
    if (profile)
        profile->insertInto(o);
    return o;
}

std::optional<Member> Member::fromJson(const QJsonObject &entry)
{
    namespace w = wire::member_entry;
    if (!entry.value(w::User.name).isString())
        return std::nullopt;
    Member m {entry.value(w::User.name).toString(), entry.value(w::Online.name).toBool(),
        entry.value(w::Role.name).toString(), std::nullopt, std::nullopt};
    if (entry.contains(w::MutedUntil.name))
        m.mutedUntil = integer(entry, w::MutedUntil.name).value_or(0);
    if (entry.contains(w::DisplayName.name))
        m.profile = Profile::readFrom(entry, m.user);
    return m;
}

QJsonObject MemberList::toJson() const
{
    return {{wire::member_list::Members.name, listJson(members)}};
}

std::optional<MemberList> MemberList::fromJson(const QJsonObject &data)
{
    const QJsonValue members = data.value(wire::member_list::Members.name);
    if (!members.isArray())
        return std::nullopt;
    return MemberList {listFrom<Member>(members)};
}

QJsonObject RoomResult::toJson() const
{
    return {{wire::room_result::Room.name, room.toJson()}};
}

std::optional<RoomResult> RoomResult::fromJson(const QJsonObject &data)
{
    auto summary = RoomSummary::fromJson(data.value(wire::room_result::Room.name).toObject());
    if (!summary)
        return std::nullopt;
    return RoomResult {std::move(*summary)};
}

QJsonObject Directory::toJson() const
{
    return {{wire::directory::Rooms.name, listJson(rooms)}};
}

std::optional<Directory> Directory::fromJson(const QJsonObject &data)
{
    const QJsonValue rooms = data.value(wire::directory::Rooms.name);
    if (!rooms.isArray())
        return std::nullopt;
    return Directory {listFrom<DirectoryEntry>(rooms)};
}

} // namespace confab::protocol
