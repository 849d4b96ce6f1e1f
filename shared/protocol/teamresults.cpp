// SPDX-License-Identifier: GPL-3.0-or-later
#include "protocol/teamresults.h"

#include "protocol/jsonlists.h"
#include "protocol/teamshapes.h"

namespace confab::protocol {

using json::integer;
using json::listFrom;
using json::listJson;

QJsonObject Invitation::toJson() const
{
    namespace w = wire::invitation;
    return {{w::Room.name, double(room)}, {w::Name.name, name}, {w::Topic.name, topic},
        {w::Private.name, isPrivate}, {w::By.name, by}, {w::Ts.name, double(timestamp)}};
}

std::optional<Invitation> Invitation::fromJson(const QJsonObject &o)
{
    namespace w = wire::invitation;
    const auto room = integer(o, w::Room.name);
    const QString name = o.value(w::Name.name).toString();
    if (!room || *room < 1 || name.isEmpty())
        return std::nullopt;
    return Invitation {*room, name, o.value(w::Topic.name).toString(),
        o.value(w::Private.name).toBool(), o.value(w::By.name).toString(),
        integer(o, w::Ts.name).value_or(0)};
}

QJsonObject UserEntry::toJson() const
{
    namespace w = wire::user_entry;
    QJsonObject o {{w::User.name, user}, {w::Online.name, online}};
    if (adminView) {
        o.insert(w::Admin.name, admin);
        o.insert(w::Disabled.name, disabled);
        o.insert(w::CreatedAt.name, double(createdAt));
    }
    if (profile)
        profile->insertInto(o);
    return o;
}

std::optional<UserEntry> UserEntry::fromJson(const QJsonObject &o)
{
    namespace w = wire::user_entry;
    const QString user = o.value(w::User.name).toString();
    if (user.isEmpty())
        return std::nullopt;
    UserEntry e;
    e.user = user;
    e.online = o.value(w::Online.name).toBool();
    e.adminView = o.contains(w::Admin.name);
    e.admin = o.value(w::Admin.name).toBool();
    e.disabled = o.value(w::Disabled.name).toBool();
    e.createdAt = integer(o, w::CreatedAt.name).value_or(0);
    if (o.contains(w::DisplayName.name))
        e.profile = Profile::readFrom(o, user);
    return e;
}

QJsonObject UserList::toJson() const
{
    return {{wire::user_list::Users.name, listJson(users)}};
}

std::optional<UserList> UserList::fromJson(const QJsonObject &data)
{
    const QJsonValue users = data.value(wire::user_list::Users.name);
    if (!users.isArray())
        return std::nullopt;
    return UserList {listFrom<UserEntry>(users)};
}

QJsonObject UserResult::toJson() const
{
    return {{wire::user_result::User.name, user.toJson()}};
}

std::optional<UserResult> UserResult::fromJson(const QJsonObject &data)
{
    auto user = UserEntry::fromJson(data.value(wire::user_result::User.name).toObject());
    if (!user)
        return std::nullopt;
    return UserResult {*user};
}

QJsonObject ServerSettings::toJson() const
{
    return {{wire::server_settings::Registration.name, registration}};
}

std::optional<ServerSettings> ServerSettings::fromJson(const QJsonObject &data)
{
    const QString mode = data.value(wire::server_settings::Registration.name).toString();
    if (!RegistrationModeNames.fromName(mode))
        return std::nullopt;
    return ServerSettings {mode};
}

QJsonObject InviteCode::toJson() const
{
    namespace w = wire::invite_code;
    return {{w::Code.name, code}, {w::Uses.name, uses}};
}

std::optional<InviteCode> InviteCode::fromJson(const QJsonObject &data)
{
    namespace w = wire::invite_code;
    const QString code = data.value(w::Code.name).toString();
    if (code.isEmpty())
        return std::nullopt;
    return InviteCode {code, int(integer(data, w::Uses.name).value_or(1))};
}

QJsonObject AuditEntry::toJson() const
{
    namespace w = wire::audit_entry;
    return {{w::Id.name, double(id)}, {w::Ts.name, double(timestamp)}, {w::Actor.name, actor},
        {w::Action.name, action}, {w::Subject.name, subject}, {w::Detail.name, detail}};
}

std::optional<AuditEntry> AuditEntry::fromJson(const QJsonObject &o)
{
    namespace w = wire::audit_entry;
    const auto id = integer(o, w::Id.name);
    const QString action = o.value(w::Action.name).toString();
    if (!id || *id < 1 || action.isEmpty())
        return std::nullopt;
    return AuditEntry {*id, integer(o, w::Ts.name).value_or(0), o.value(w::Actor.name).toString(),
        action, o.value(w::Subject.name).toString(), o.value(w::Detail.name).toString()};
}

QJsonObject AuditPage::toJson() const
{
    return {{wire::audit_page::Entries.name, listJson(entries)}};
}

std::optional<AuditPage> AuditPage::fromJson(const QJsonObject &data)
{
    const QJsonValue entries = data.value(wire::audit_page::Entries.name);
    if (!entries.isArray())
        return std::nullopt;
    return AuditPage {listFrom<AuditEntry>(entries)};
}

} // namespace confab::protocol
