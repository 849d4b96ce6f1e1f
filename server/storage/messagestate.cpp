// SPDX-License-Identifier: GPL-3.0-or-later
#include "storage/messagestate.h"

#include "storage/searchindex.h"
#include "storage/writecontext.h"

using namespace Qt::StringLiterals;
using confab::protocol::EventKind;

namespace confab::server::messagestate {

namespace {
bool markChanged(WriteContext &ctx, const Target &target, qint64 changeSeq)
{
    return ctx.run(u"UPDATE events SET changed_seq = ? WHERE id = ?"_s, {changeSeq, target.id});
}
} // namespace

bool findMessage(WriteContext &ctx, qint64 room, qint64 seq, Target *target)
{
    QSqlQuery *q = ctx.run(u"SELECT id, sender_id, redacted, body FROM events "
                           u"WHERE room_id = ? AND seq = ? AND kind = ?"_s,
        {room, seq, int(EventKind::Message)});
    if (!q)
        return false;
    *target = {};
    target->found = q->next();
    if (target->found) {
        target->id = q->value(0).toLongLong();
        target->senderId = q->value(1).toLongLong();
        target->redacted = q->value(2).toBool();
        target->text = q->value(3).toString();
    }
    q->finish();
    return true;
}

bool redactionOf(WriteContext &ctx, qint64 room, qint64 seq, qint64 *redactSeq)
{
    QSqlQuery *q = ctx.run(u"SELECT MIN(seq) FROM events WHERE room_id = ? AND target = ? "
                           u"AND kind = ?"_s,
        {room, seq, int(EventKind::Redact)});
    if (!q)
        return false;
    *redactSeq = q->next() ? q->value(0).toLongLong() : 0;
    q->finish();
    return true;
}

bool reactionState(WriteContext &ctx, qint64 room, qint64 seq, const QString &key, qint64 userId,
    ReactionState *state)
{
    QSqlQuery *q = ctx.run(u"SELECT key, user_id, react_seq FROM reactions "
                           u"WHERE room_id = ? AND seq = ?"_s,
        {room, seq});
    if (!q)
        return false;
    *state = {};
    QStringList keys;
    while (q->next()) {
        const QString k = q->value(0).toString();
        if (!keys.contains(k))
            keys.append(k);
        if (k == key) {
            state->keyPresent = true;
            if (q->value(1).toLongLong() == userId)
                state->reactSeq = q->value(2).toLongLong();
        }
    }
    state->distinctKeys = int(keys.size());
    return true;
}

bool applyEdit(WriteContext &ctx, const Target &target, const protocol::RoomEvent &edit)
{
    return ctx.run(u"UPDATE events SET body = ?, edited_ms = ?, changed_seq = ? WHERE id = ?"_s,
               {edit.text, edit.timestamp, edit.seq, target.id})
        && searchindex::replace(ctx, target.id, target.text, edit.text);
}

bool applyRedact(WriteContext &ctx, const Target &target, const protocol::RoomEvent &redact)
{
    // The indexes are told the text they hold before the row forgets it.
    return searchindex::remove(ctx, target.id, target.text)
        && ctx.run(u"UPDATE events SET body = '', mentions = '', edited_ms = 0, redacted = 1, "
                   u"changed_seq = ? WHERE id = ?"_s,
            {redact.seq, target.id})
        && ctx.run(u"UPDATE events SET body = '' WHERE room_id = ? AND target = ? AND kind = ?"_s,
            {redact.room, redact.target, int(EventKind::Edit)})
        && ctx.run(
            u"DELETE FROM mentions WHERE room_id = ? AND seq = ?"_s, {redact.room, redact.target})
        && ctx.run(
            u"DELETE FROM reactions WHERE room_id = ? AND seq = ?"_s, {redact.room, redact.target});
}

bool addReaction(
    WriteContext &ctx, const Target &target, const protocol::RoomEvent &react, qint64 userId)
{
    // A key keeps the place it got when it appeared, as long as anyone still uses it.
    return ctx.run(u"INSERT INTO reactions(room_id, seq, key, user_id, react_seq, key_seq) "
                   u"VALUES(?, ?, ?, ?, ?, COALESCE((SELECT MIN(key_seq) FROM reactions "
                   u"WHERE room_id = ? AND seq = ? AND key = ?), ?))"_s,
               {react.room, react.target, react.key, userId, react.seq, react.room, react.target,
                   react.key, react.seq})
        && markChanged(ctx, target, react.seq);
}

bool removeReaction(
    WriteContext &ctx, const Target &target, const protocol::RoomEvent &unreact, qint64 userId)
{
    return ctx.run(u"DELETE FROM reactions WHERE room_id = ? AND seq = ? AND key = ? "
                   u"AND user_id = ?"_s,
               {unreact.room, unreact.target, unreact.key, userId})
        && markChanged(ctx, target, unreact.seq);
}

} // namespace confab::server::messagestate
