// SPDX-License-Identifier: GPL-3.0-or-later
#include "protocol/directoryentry.h"

#include "protocol/jsoninteger.h"

using namespace Qt::StringLiterals;

namespace confab::protocol {

QJsonObject DirectoryEntry::toJson() const
{
    return {{"id"_L1, double(id)}, {"name"_L1, name}, {"topic"_L1, topic},
        {"memberCount"_L1, memberCount}, {"joined"_L1, joined}};
}

std::optional<DirectoryEntry> DirectoryEntry::fromJson(const QJsonObject &o)
{
    const auto id = jsonInteger(o.value("id"_L1));
    const QString name = o.value("name"_L1).toString();
    if (!id || *id < 1 || name.isEmpty())
        return std::nullopt;
    DirectoryEntry e;
    e.id = *id;
    e.name = name;
    e.topic = o.value("topic"_L1).toString();
    e.memberCount = std::max(0, o.value("memberCount"_L1).toInt());
    e.joined = o.value("joined"_L1).toBool();
    return e;
}

} // namespace confab::protocol
