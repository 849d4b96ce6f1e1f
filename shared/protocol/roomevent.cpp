// SPDX-License-Identifier: GPL-3.0-or-later
#include "protocol/roomevent.h"

#include "protocol/jsoninteger.h"
#include "protocol/limits.h"
#include "protocol/objectshapes.h"

#include <QJsonArray>
#include <cmath>

namespace confab::protocol {

namespace {
// A JSON number as an integer. Casting a double outside qint64's range is
// undefined behaviour (found by tests/fuzz), so anything that is not a number
// within what the protocol allows (|n| <= 2^53-1) is refused.
std::optional<qint64> integerOf(const QJsonValue &v)
{
    if (!v.isDouble())
        return std::nullopt;
    const double d = v.toDouble();
    if (!std::isfinite(d) || std::abs(d) > double(MaxSafeInteger))
        return std::nullopt;
    return qint64(d);
}
} // namespace

QLatin1StringView eventKindName(EventKind kind)
{
    return EventKindNames.toName(kind);
}

std::optional<EventKind> eventKindFromName(QStringView name)
{
    return EventKindNames.fromName(name);
}

QJsonObject RoomEvent::toJson() const
{
    namespace w = wire::room_event;
    QJsonObject o {
        {w::Id.name, double(id)},
        {w::Room.name, double(room)},
        {w::Seq.name, double(seq)},
        {w::Ts.name, double(timestamp)},
        {w::Kind.name, eventKindName(kind)},
        {w::Sender.name, sender},
    };
    switch (kind) {
    case EventKind::Message:
        o.insert(w::Text.name, text);
        o.insert(w::Txn.name, txn);
        if (!mentions.isEmpty())
            o.insert(w::Mentions.name, QJsonArray::fromStringList(mentions));
        break;
    case EventKind::Create:
        o.insert(w::Name.name, text);
        o.insert(w::Topic.name, topic);
        break;
    case EventKind::Topic:
        o.insert(w::Topic.name, topic);
        break;
    case EventKind::Join:
    case EventKind::Leave:
        break;
    }
    return o;
}

std::optional<RoomEvent> RoomEvent::fromJson(const QJsonObject &o)
{
    namespace w = wire::room_event;
    const auto kind = eventKindFromName(o.value(w::Kind.name).toString());
    const auto seq = integerOf(o.value(w::Seq.name));
    const auto room = integerOf(o.value(w::Room.name));
    if (!kind || !seq || !room || !o.value(w::Sender.name).isString())
        return std::nullopt;
    RoomEvent e;
    e.id = integerOf(o.value(w::Id.name)).value_or(0);
    e.room = *room;
    e.seq = *seq;
    e.timestamp = integerOf(o.value(w::Ts.name)).value_or(0);
    e.kind = *kind;
    e.sender = o.value(w::Sender.name).toString();
    e.txn = o.value(w::Txn.name).toString();
    e.text = *kind == EventKind::Create ? o.value(w::Name.name).toString()
                                        : o.value(w::Text.name).toString();
    e.topic = o.value(w::Topic.name).toString();
    const auto mentions = o.value(w::Mentions.name).toArray();
    for (const auto &m : mentions)
        e.mentions.append(m.toString());
    return e;
}

std::optional<RoomEvent> RoomEvent::fromServer(const QJsonObject &o)
{
    namespace w = wire::room_event;
    if (auto e = fromJson(o))
        return e;
    RoomEvent unknown;
    unknown.room = jsonInteger(o.value(w::Room.name)).value_or(0);
    unknown.seq = jsonInteger(o.value(w::Seq.name)).value_or(0);
    if (unknown.room <= 0 || unknown.seq <= 0)
        return std::nullopt;
    unknown.id = -1;
    return unknown;
}

} // namespace confab::protocol
