// SPDX-License-Identifier: GPL-3.0-or-later
#include "protocol/results.h"

#include "protocol/jsoninteger.h"

#include <QJsonArray>

using namespace Qt::StringLiterals;

namespace confab::protocol {

namespace {

// Ids, sequences and timestamps: integers a JSON double carries exactly.
std::optional<qint64> integer(const QJsonObject &o, QLatin1StringView name)
{
    const auto n = jsonInteger(o.value(name));
    if (!n || *n < 0)
        return std::nullopt;
    return n;
}

QJsonArray eventsJson(const QList<RoomEvent> &events)
{
    QJsonArray array;
    for (const RoomEvent &e : events)
        array.append(e.toJson());
    return array;
}

QList<RoomEvent> eventsFrom(const QJsonValue &value)
{
    QList<RoomEvent> events;
    const QJsonArray array = value.toArray();
    events.reserve(array.size());
    for (const auto &v : array) {
        if (auto e = RoomEvent::fromServer(v.toObject()))
            events.append(std::move(*e));
    }
    return events;
}

QJsonArray summariesJson(const QList<RoomSummary> &rooms)
{
    QJsonArray array;
    for (const RoomSummary &r : rooms)
        array.append(r.toJson());
    return array;
}

} // namespace

QJsonObject SignedIn::toJson() const
{
    QJsonObject o {
        {"user"_L1, user}, {"rooms"_L1, summariesJson(rooms)}, {"expiresAt"_L1, double(expiresAt)}};
    if (!token.isEmpty())
        o.insert("token"_L1, token);
    return o;
}

std::optional<SignedIn> SignedIn::fromJson(const QJsonObject &data)
{
    if (!data.value("user"_L1).isString() || !data.value("rooms"_L1).isArray())
        return std::nullopt;
    SignedIn s;
    s.user = data.value("user"_L1).toString();
    s.token = data.value("token"_L1).toString();
    s.expiresAt = integer(data, "expiresAt"_L1).value_or(0);
    const QJsonArray rooms = data.value("rooms"_L1).toArray();
    for (const auto &v : rooms) {
        if (auto r = RoomSummary::fromJson(v.toObject()))
            s.rooms.append(std::move(*r));
    }
    return s;
}

QJsonObject Pong::toJson() const
{
    return {{"time"_L1, double(time)}};
}

std::optional<Pong> Pong::fromJson(const QJsonObject &data)
{
    const auto time = integer(data, "time"_L1);
    if (!time)
        return std::nullopt;
    return Pong {*time};
}

QJsonObject SendAck::toJson() const
{
    return {{"id"_L1, double(id)}, {"room"_L1, double(room)}, {"seq"_L1, double(seq)},
        {"ts"_L1, double(timestamp)}, {"txn"_L1, txn}};
}

std::optional<SendAck> SendAck::fromJson(const QJsonObject &data)
{
    const auto seq = integer(data, "seq"_L1);
    if (!seq || *seq < 1)
        return std::nullopt;
    SendAck a;
    a.seq = *seq;
    a.id = integer(data, "id"_L1).value_or(0);
    a.room = integer(data, "room"_L1).value_or(0);
    a.timestamp = integer(data, "ts"_L1).value_or(0);
    a.txn = data.value("txn"_L1).toString();
    return a;
}

QJsonObject EventSeq::toJson() const
{
    return {{"seq"_L1, double(seq)}};
}

std::optional<EventSeq> EventSeq::fromJson(const QJsonObject &data)
{
    const auto seq = integer(data, "seq"_L1);
    if (!seq || *seq < 1)
        return std::nullopt;
    return EventSeq {*seq};
}

QJsonObject HistoryPage::toJson() const
{
    return {{"room"_L1, double(room)}, {"events"_L1, eventsJson(events)}, {"hasMore"_L1, hasMore}};
}

std::optional<HistoryPage> HistoryPage::fromJson(const QJsonObject &data)
{
    if (!data.value("events"_L1).isArray())
        return std::nullopt;
    HistoryPage p;
    p.room = integer(data, "room"_L1).value_or(0);
    p.events = eventsFrom(data.value("events"_L1));
    p.hasMore = data.value("hasMore"_L1).toBool();
    return p;
}

QJsonObject SyncRoom::toJson() const
{
    QJsonObject o {{"room"_L1, room.toJson()}, {"events"_L1, eventsJson(events)}, {"gap"_L1, gap}};
    if (gap)
        o.insert("gapFrom"_L1, double(gapFrom));
    return o;
}

std::optional<SyncRoom> SyncRoom::fromJson(const QJsonObject &entry)
{
    auto summary = RoomSummary::fromJson(entry.value("room"_L1).toObject());
    if (!summary)
        return std::nullopt;
    SyncRoom r;
    r.room = std::move(*summary);
    r.events = eventsFrom(entry.value("events"_L1));
    r.gap = entry.value("gap"_L1).toBool();
    r.gapFrom = r.gap ? integer(entry, "gapFrom"_L1).value_or(0) : 0;
    return r;
}

QJsonObject SyncResult::toJson() const
{
    QJsonArray roomsJson;
    for (const SyncRoom &r : rooms)
        roomsJson.append(r.toJson());
    QJsonArray leftJson;
    for (qint64 id : left)
        leftJson.append(double(id));
    return {{"rooms"_L1, roomsJson}, {"left"_L1, leftJson}};
}

std::optional<SyncResult> SyncResult::fromJson(const QJsonObject &data)
{
    if (!data.value("rooms"_L1).isArray())
        return std::nullopt;
    SyncResult s;
    const QJsonArray rooms = data.value("rooms"_L1).toArray();
    for (const auto &v : rooms) {
        if (auto r = SyncRoom::fromJson(v.toObject()))
            s.rooms.append(std::move(*r));
    }
    const QJsonArray left = data.value("left"_L1).toArray();
    for (const auto &v : left) {
        const double d = v.toDouble(0);
        if (d >= 1 && d <= double(MaxSafeInteger))
            s.left.append(qint64(d));
    }
    return s;
}

QJsonObject ReadState::toJson() const
{
    return {{"room"_L1, double(room)}, {"readSeq"_L1, double(readSeq)},
        {"unread"_L1, double(unread)}, {"mentions"_L1, double(mentions)}};
}

std::optional<ReadState> ReadState::fromJson(const QJsonObject &object)
{
    const auto room = integer(object, "room"_L1);
    const auto readSeq = integer(object, "readSeq"_L1);
    if (!room || *room < 1 || !readSeq)
        return std::nullopt;
    return ReadState {*room, *readSeq, integer(object, "unread"_L1).value_or(0),
        integer(object, "mentions"_L1).value_or(0)};
}

QJsonObject MemberList::toJson() const
{
    QJsonArray array;
    for (const Member &m : members)
        array.append(QJsonObject {{"user"_L1, m.user}, {"online"_L1, m.online}});
    return {{"members"_L1, array}};
}

std::optional<MemberList> MemberList::fromJson(const QJsonObject &data)
{
    if (!data.value("members"_L1).isArray())
        return std::nullopt;
    MemberList list;
    const QJsonArray members = data.value("members"_L1).toArray();
    for (const auto &v : members) {
        const QJsonObject o = v.toObject();
        if (o.value("user"_L1).isString())
            list.members.append({o.value("user"_L1).toString(), o.value("online"_L1).toBool()});
    }
    return list;
}

QJsonObject RoomResult::toJson() const
{
    return {{"room"_L1, room.toJson()}};
}

std::optional<RoomResult> RoomResult::fromJson(const QJsonObject &data)
{
    auto summary = RoomSummary::fromJson(data.value("room"_L1).toObject());
    if (!summary)
        return std::nullopt;
    return RoomResult {std::move(*summary)};
}

QJsonObject Directory::toJson() const
{
    QJsonArray array;
    for (const DirectoryEntry &e : rooms)
        array.append(e.toJson());
    return {{"rooms"_L1, array}};
}

std::optional<Directory> Directory::fromJson(const QJsonObject &data)
{
    if (!data.value("rooms"_L1).isArray())
        return std::nullopt;
    Directory d;
    const QJsonArray rooms = data.value("rooms"_L1).toArray();
    for (const auto &v : rooms) {
        if (auto e = DirectoryEntry::fromJson(v.toObject()))
            d.rooms.append(std::move(*e));
    }
    return d;
}

} // namespace confab::protocol
