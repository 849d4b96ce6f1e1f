// SPDX-License-Identifier: GPL-3.0-or-later
#include "storage/profilestore.h"

#include "storage/accountstore.h"
#include "storage/statementcache.h"
#include "storage/writecontext.h"

#include <QSqlQuery>

using namespace Qt::StringLiterals;

namespace confab::server::profilestore {

namespace {
const QString ProfileQuery
    = u"SELECT display_name, status, coalesce(avatar_file, 0) FROM users WHERE id = ?"_s;

std::optional<ProfileRecord> readProfile(QSqlQuery &q)
{
    if (!q.next())
        return std::nullopt;
    ProfileRecord p {q.value(0).toString(), q.value(1).toString(), q.value(2).toLongLong()};
    q.finish();
    return p;
}
} // namespace

std::optional<ProfileRecord> profile(StatementCache &db, qint64 userId)
{
    QSqlQuery *q = db.run(ProfileQuery, {userId});
    if (!q)
        return std::nullopt;
    // No such user reads as an empty profile: nothing to show but the username.
    return readProfile(*q).value_or(ProfileRecord {});
}

bool profile(WriteContext &ctx, qint64 userId, std::optional<ProfileRecord> *profile)
{
    QSqlQuery *q = ctx.run(ProfileQuery + u" AND deleted_ms = 0"_s, {userId});
    if (!q)
        return false;
    *profile = readProfile(*q);
    return true;
}

bool store(WriteContext &ctx, qint64 userId, const ProfileRecord &before,
    const ProfileRecord &after, qint64 nowMs)
{
    // display_key is the display name as users searches compare it (like name_key).
    if (!ctx.run(u"UPDATE users SET display_name = ?, display_key = ?, status = ?, "
                 u"avatar_file = ? WHERE id = ?"_s,
            {after.displayName, accountstore::nameKey(after.displayName), after.status,
                after.avatar ? QVariant(after.avatar) : QVariant(QMetaType(QMetaType::LongLong)),
                userId}))
        return false;
    if (before.avatar == after.avatar)
        return true;
    if (after.avatar
        && !ctx.run(u"UPDATE files SET unreferenced_ms = NULL WHERE id = ?"_s, {after.avatar}))
        return false;
    // The old avatar is garbage once neither a message nor another profile has it (§16.6).
    return !before.avatar
        || ctx.run(u"UPDATE files SET unreferenced_ms = ? WHERE id = ? AND unreferenced_ms IS NULL "
                   u"AND NOT EXISTS(SELECT 1 FROM attachments a JOIN events e "
                   u"ON e.id = a.event_id AND e.redacted = 0 WHERE a.file_id = files.id) "
                   u"AND NOT EXISTS(SELECT 1 FROM users WHERE avatar_file = files.id)"_s,
            {nowMs, before.avatar});
}

} // namespace confab::server::profilestore
