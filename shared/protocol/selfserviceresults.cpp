// SPDX-License-Identifier: GPL-3.0-or-later
#include "protocol/selfserviceresults.h"

#include "protocol/jsonlists.h"
#include "protocol/selfserviceshapes.h"

namespace confab::protocol {

using json::integer;
using json::listFrom;
using json::listJson;

QJsonObject Profile::toJson() const
{
    QJsonObject o {{wire::profile::User.name, user}};
    insertInto(o);
    return o;
}

std::optional<Profile> Profile::fromJson(const QJsonObject &o)
{
    const QString user = o.value(wire::profile::User.name).toString();
    if (user.isEmpty())
        return std::nullopt;
    return readFrom(o, user);
}

void Profile::insertInto(QJsonObject &o) const
{
    namespace w = wire::profile;
    o.insert(w::DisplayName.name, displayName);
    o.insert(w::Status.name, status);
    o.insert(w::Avatar.name, double(avatar));
}

Profile Profile::readFrom(const QJsonObject &o, const QString &user)
{
    namespace w = wire::profile;
    return Profile {user, o.value(w::DisplayName.name).toString(),
        o.value(w::Status.name).toString(), integer(o, w::Avatar.name).value_or(0)};
}

QJsonObject SessionEntry::toJson() const
{
    namespace w = wire::session_entry;
    return {{w::Id.name, double(id)}, {w::Device.name, device}, {w::Address.name, address},
        {w::CreatedAt.name, double(createdAt)}, {w::LastSeen.name, double(lastSeen)},
        {w::Current.name, current}, {w::Online.name, online}};
}

std::optional<SessionEntry> SessionEntry::fromJson(const QJsonObject &o)
{
    namespace w = wire::session_entry;
    const auto id = integer(o, w::Id.name);
    if (!id || *id < 1)
        return std::nullopt;
    return SessionEntry {*id, o.value(w::Device.name).toString(),
        o.value(w::Address.name).toString(), integer(o, w::CreatedAt.name).value_or(0),
        integer(o, w::LastSeen.name).value_or(0), o.value(w::Current.name).toBool(),
        o.value(w::Online.name).toBool()};
}

QJsonObject SessionList::toJson() const
{
    return {{wire::session_list::Sessions.name, listJson(sessions)}};
}

std::optional<SessionList> SessionList::fromJson(const QJsonObject &data)
{
    const QJsonValue sessions = data.value(wire::session_list::Sessions.name);
    if (!sessions.isArray())
        return std::nullopt;
    return SessionList {listFrom<SessionEntry>(sessions)};
}

QJsonObject PasswordChanged::toJson() const
{
    return {{wire::password_changed::Revoked.name, double(revoked)}};
}

std::optional<PasswordChanged> PasswordChanged::fromJson(const QJsonObject &data)
{
    const auto revoked = integer(data, wire::password_changed::Revoked.name);
    if (!revoked)
        return std::nullopt;
    return PasswordChanged {*revoked};
}

} // namespace confab::protocol
