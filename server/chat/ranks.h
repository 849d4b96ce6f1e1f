// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "storage/records.h"

#include <QSet>
#include <functional>

namespace confab::server {

class StatementCache;
class WriteContext;

/*!
 * \brief Who outranks whom (§17.1): the server's admins, kept in memory because every
 * moderation request asks, and each member's rank in a channel.
 *
 * Changed only after a commit (set_user, or an operator's set-admin seen in admin_log), like
 * RoomDirectory, so what it says is durable; but it lags the operator's shell by up to one
 * poll, so the target of a request is ranked from its stored record, and every write checks
 * both admin flags again in its transaction (isAdmin(WriteContext &, ...)).
 */
class Ranks
{
public:
    /*! \brief Reads the enabled admins from storage: the server's start-up state. */
    void load(StatementCache &db);

    bool isAdmin(qint64 user) const { return m_admins.contains(user); }
    /*!
     * \brief Whether \a user is an enabled admin as a write sees it: a check inside a
     * transaction must not trust what was true when the request arrived. False on a
     * database error.
     */
    static bool isAdmin(WriteContext &ctx, qint64 user, bool *admin);
    /*! \brief \a admin: whether \a user is now an admin and enabled (after a commit). */
    void setAdmin(qint64 user, bool admin);
    /*! \brief Reads \a user's rank from storage: another instance changed it. */
    void reload(StatementCache &db, qint64 user);
    /*! \brief Several instances: \a hook hears each change setAdmin() makes here. */
    void setChangeHook(std::function<void(qint64 user)> hook) { m_changed = std::move(hook); }

    /*!
     * \brief \a user's rank in \a room: an admin's AdminRank, a member's role (0 member,
     * 1 moderator, 2 owner), 0 for anyone else. Direct rooms have no ranks: always 0.
     */
    int rankIn(const RoomRecord &room, qint64 user) const;

    /*!
     * \brief Whether \a actor may act on \a target in \a room with a request that needs
     * rank \a needed: the actor has it, outranks the target, and is not the target.
     *
     * The target's admin flag is the one of \a target, as storage says: an operator's
     * set-admin reaches the in-memory set only at the next admin_log poll, and a target must
     * not be moderated (or spared) on a flag the operator already changed.
     */
    bool mayActOn(const RoomRecord &room, qint64 actor, const UserRecord &target, int needed) const;

private:
    void assign(qint64 user, bool admin);

    QSet<qint64> m_admins;
    std::function<void(qint64)> m_changed;
};

} // namespace confab::server
