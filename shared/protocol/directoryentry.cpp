// SPDX-License-Identifier: GPL-3.0-or-later
#include "protocol/directoryentry.h"

#include "protocol/jsoninteger.h"
#include "protocol/objectshapes.h"

namespace confab::protocol {

namespace w = wire::directory_entry;

QJsonObject DirectoryEntry::toJson() const
{
    return {{w::Id.name, double(id)}, {w::Name.name, name}, {w::Topic.name, topic},
        {w::MemberCount.name, memberCount}, {w::Joined.name, joined}, {w::Private.name, isPrivate}};
}

std::optional<DirectoryEntry> DirectoryEntry::fromJson(const QJsonObject &o)
{
    const auto id = jsonInteger(o.value(w::Id.name));
    const QString name = o.value(w::Name.name).toString();
    if (!id || *id < 1 || name.isEmpty())
        return std::nullopt;
    DirectoryEntry e;
    e.id = *id;
    e.name = name;
    e.topic = o.value(w::Topic.name).toString();
    e.memberCount = std::max(0, o.value(w::MemberCount.name).toInt());
    e.joined = o.value(w::Joined.name).toBool();
    e.isPrivate = o.value(w::Private.name).toBool();
    return e;
}

} // namespace confab::protocol
