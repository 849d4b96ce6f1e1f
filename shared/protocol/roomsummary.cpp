// SPDX-License-Identifier: GPL-3.0-or-later
#include "protocol/roomsummary.h"

#include "protocol/jsoninteger.h"
#include "protocol/objectshapes.h"

#include <QJsonArray>

namespace confab::protocol {

namespace w = wire::room_summary;

std::optional<RoomSummary> RoomSummary::fromJson(const QJsonObject &o)
{
    const auto kind = RoomKindNames.fromName(o.value(w::Kind.name).toString());
    if (!o.value(w::Id.name).isDouble() || !o.value(w::Name.name).isString() || !kind)
        return std::nullopt;
    RoomSummary r;
    r.id = jsonInteger(o.value(w::Id.name)).value_or(0);
    if (r.id <= 0)
        return std::nullopt;
    r.direct = *kind != RoomKind::Channel;
    r.group = *kind == RoomKind::Group;
    r.name = o.value(w::Name.name).toString();
    r.topic = o.value(w::Topic.name).toString();
    r.lastSeq = jsonInteger(o.value(w::LastSeq.name)).value_or(0);
    r.memberCount = o.value(w::MemberCount.name).toInt();
    const QJsonArray members = o.value(w::Members.name).toArray();
    for (const auto &m : members)
        r.members.append(m.toString());
    r.hasReadState = o.contains(w::ReadSeq.name);
    r.readSeq = jsonInteger(o.value(w::ReadSeq.name)).value_or(0);
    r.unread = jsonInteger(o.value(w::Unread.name)).value_or(0);
    r.mentions = jsonInteger(o.value(w::Mentions.name)).value_or(0);
    r.isPrivate = o.value(w::Private.name).toBool();
    r.invitesBy = o.value(w::InvitesBy.name).toString();
    r.role = o.value(w::Role.name).toString();
    r.notify = o.value(w::Notify.name).toString();
    return r;
}

QJsonObject RoomSummary::toJson() const
{
    QJsonObject o {
        {w::Id.name, double(id)},
        {w::Kind.name,
            RoomKindNames.toName(group ? RoomKind::Group
                    : direct           ? RoomKind::Direct
                                       : RoomKind::Channel)},
        {w::Name.name, name},
        {w::Topic.name, topic},
        {w::LastSeq.name, double(lastSeq)},
        {w::MemberCount.name, memberCount},
    };
    if (direct)
        o.insert(w::Members.name, QJsonArray::fromStringList(members));
    if (hasReadState) {
        o.insert(w::ReadSeq.name, double(readSeq));
        o.insert(w::Unread.name, double(unread));
        o.insert(w::Mentions.name, double(mentions));
    }
    if (!direct && !role.isEmpty()) {
        o.insert(w::Private.name, isPrivate);
        o.insert(w::InvitesBy.name, invitesBy);
        o.insert(w::Role.name, role);
    }
    if (!notify.isEmpty())
        o.insert(w::Notify.name, notify);
    return o;
}

} // namespace confab::protocol
