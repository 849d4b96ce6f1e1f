// SPDX-License-Identifier: GPL-3.0-or-later
#include "protocol/roomevent.h"

#include "protocol/jsoninteger.h"
#include "protocol/limits.h"

#include <QJsonArray>
#include <cmath>

using namespace Qt::StringLiterals;

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
    QJsonObject o {
        {"id"_L1, double(id)},
        {"room"_L1, double(room)},
        {"seq"_L1, double(seq)},
        {"ts"_L1, double(timestamp)},
        {"kind"_L1, eventKindName(kind)},
        {"sender"_L1, sender},
    };
    switch (kind) {
    case EventKind::Message:
        o.insert("text"_L1, text);
        o.insert("txn"_L1, txn);
        if (!mentions.isEmpty())
            o.insert("mentions"_L1, QJsonArray::fromStringList(mentions));
        break;
    case EventKind::Create:
        o.insert("name"_L1, text);
        o.insert("topic"_L1, topic);
        break;
    case EventKind::Topic:
        o.insert("topic"_L1, topic);
        break;
    case EventKind::Join:
    case EventKind::Leave:
        break;
    }
    return o;
}

std::optional<RoomEvent> RoomEvent::fromJson(const QJsonObject &o)
{
    const auto kind = eventKindFromName(o.value("kind"_L1).toString());
    const auto seq = integerOf(o.value("seq"_L1));
    const auto room = integerOf(o.value("room"_L1));
    if (!kind || !seq || !room || !o.value("sender"_L1).isString())
        return std::nullopt;
    RoomEvent e;
    e.id = integerOf(o.value("id"_L1)).value_or(0);
    e.room = *room;
    e.seq = *seq;
    e.timestamp = integerOf(o.value("ts"_L1)).value_or(0);
    e.kind = *kind;
    e.sender = o.value("sender"_L1).toString();
    e.txn = o.value("txn"_L1).toString();
    e.text = *kind == EventKind::Create ? o.value("name"_L1).toString()
                                        : o.value("text"_L1).toString();
    e.topic = o.value("topic"_L1).toString();
    const auto mentions = o.value("mentions"_L1).toArray();
    for (const auto &m : mentions)
        e.mentions.append(m.toString());
    return e;
}

std::optional<RoomEvent> RoomEvent::fromServer(const QJsonObject &o)
{
    if (auto e = fromJson(o))
        return e;
    RoomEvent unknown;
    unknown.room = jsonInteger(o.value("room"_L1)).value_or(0);
    unknown.seq = jsonInteger(o.value("seq"_L1)).value_or(0);
    if (unknown.room <= 0 || unknown.seq <= 0)
        return std::nullopt;
    unknown.id = -1;
    return unknown;
}

} // namespace confab::protocol
