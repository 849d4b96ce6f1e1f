// SPDX-License-Identifier: GPL-3.0-or-later
#include "chat/ranks.h"

#include "protocol/roles.h"
#include "storage/accountstore.h"

namespace confab::server {

void Ranks::load(StatementCache &db)
{
    m_admins.clear();
    const QList<UserRecord> users = accountstore::allUsers(db);
    for (const UserRecord &u : users) {
        // A disabled admin cannot sign in, and outranks nobody while disabled.
        if (u.admin && !u.disabled && !u.deleted)
            m_admins.insert(u.id);
    }
}

bool Ranks::isAdmin(WriteContext &ctx, qint64 user, bool *admin)
{
    std::optional<UserRecord> record;
    if (!accountstore::userById(ctx, user, &record))
        return false;
    *admin = record && record->admin && !record->disabled && !record->deleted;
    return true;
}

void Ranks::setAdmin(qint64 user, bool admin)
{
    assign(user, admin);
    if (m_changed)
        m_changed(user);
}

void Ranks::reload(StatementCache &db, qint64 user)
{
    const std::optional<UserRecord> record = accountstore::userById(db, user);
    assign(user, record && record->admin && !record->disabled && !record->deleted);
}

void Ranks::assign(qint64 user, bool admin)
{
    if (admin)
        m_admins.insert(user);
    else
        m_admins.remove(user);
}

int Ranks::rankIn(const RoomRecord &room, qint64 user) const
{
    if (room.kind != RoomKind::Channel)
        return 0;
    if (isAdmin(user))
        return protocol::AdminRank;
    return room.members.contains(user) ? room.roleOf(user) : 0;
}

bool Ranks::mayActOn(
    const RoomRecord &room, qint64 actor, const UserRecord &target, int needed) const
{
    const int rank = rankIn(room, actor);
    int targetRank = 0;
    if (room.kind == RoomKind::Channel) {
        if (target.admin && !target.disabled)
            targetRank = protocol::AdminRank;
        else if (room.members.contains(target.id))
            targetRank = room.roleOf(target.id);
    }
    return actor != target.id && rank >= needed && rank > targetRank;
}

} // namespace confab::server
