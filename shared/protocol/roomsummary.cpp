// SPDX-License-Identifier: GPL-3.0-or-later
#include "protocol/roomsummary.h"

#include "protocol/jsoninteger.h"

#include <QJsonArray>

using namespace Qt::StringLiterals;

namespace confab::protocol {

std::optional<RoomSummary> RoomSummary::fromJson(const QJsonObject &o)
{
    const auto kind = RoomKindNames.fromName(o.value("kind"_L1).toString());
    if (!o.value("id"_L1).isDouble() || !o.value("name"_L1).isString() || !kind)
        return std::nullopt;
    RoomSummary r;
    r.id = jsonInteger(o.value("id"_L1)).value_or(0);
    if (r.id <= 0)
        return std::nullopt;
    r.direct = *kind == RoomKind::Direct;
    r.name = o.value("name"_L1).toString();
    r.topic = o.value("topic"_L1).toString();
    r.lastSeq = jsonInteger(o.value("lastSeq"_L1)).value_or(0);
    r.memberCount = o.value("memberCount"_L1).toInt();
    const QJsonArray members = o.value("members"_L1).toArray();
    for (const auto &m : members)
        r.members.append(m.toString());
    r.hasReadState = o.contains("readSeq"_L1);
    r.readSeq = jsonInteger(o.value("readSeq"_L1)).value_or(0);
    r.unread = jsonInteger(o.value("unread"_L1)).value_or(0);
    r.mentions = jsonInteger(o.value("mentions"_L1)).value_or(0);
    return r;
}

QJsonObject RoomSummary::toJson() const
{
    QJsonObject o {
        {"id"_L1, double(id)},
        {"kind"_L1, RoomKindNames.toName(direct ? RoomKind::Direct : RoomKind::Channel)},
        {"name"_L1, name},
        {"topic"_L1, topic},
        {"lastSeq"_L1, double(lastSeq)},
        {"memberCount"_L1, memberCount},
    };
    if (direct)
        o.insert("members"_L1, QJsonArray::fromStringList(members));
    if (hasReadState) {
        o.insert("readSeq"_L1, double(readSeq));
        o.insert("unread"_L1, double(unread));
        o.insert("mentions"_L1, double(mentions));
    }
    return o;
}

} // namespace confab::protocol
