// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "protocol/roomevent.h"

#include <QList>

namespace confab::server {

class StatementCache;
class WriteContext;

/*!
 * \brief Room logs beyond the append itself (WriteContext::appendEvent): history pages,
 * replay for resume, unread counts, resends and mentions.
 */
namespace eventstore {

// Counting an unread range is linear in its length; past this the exact
// number helps nobody, and the count stays cheap for a room left unread for years.
inline constexpr qint64 UnreadCountCap = 10'000;

/*!
 * \brief Events with afterSeq < seq < beforeSeq, ascending. With \a newest the
 * \a limit events nearest beforeSeq are returned, otherwise those nearest afterSeq.
 */
QList<protocol::RoomEvent> range(
    StatementCache &db, qint64 room, qint64 afterSeq, qint64 beforeSeq, int limit, bool newest);

/*!
 * \brief Bundles each message's reactions into its state (§7.4), in one query for the whole
 * list (of any rooms): keys in order of first use, at most protocol::ReactionUsersListed
 * names per key, oldest first, \a viewerId's own name first when they reacted.
 * Call it on every message read from storage before it is sent.
 */
void attachReactions(StatementCache &db, QList<protocol::RoomEvent> &events, qint64 viewerId);

struct UnreadCounts
{
    qint64 unread = 0;
    qint64 mentions = 0;
};
/*!
 * \brief Messages from others after \a readSeq that are not redacted, and those of them that
 * mention \a userId.
 */
UnreadCounts unreadCounts(StatementCache &db, qint64 room, qint64 userId, qint64 readSeq);
/*! \brief Only the mentions of unreadCounts(); `unread` is 0. */
UnreadCounts mentionCounts(StatementCache &db, qint64 room, qint64 userId, qint64 readSeq);

/*!
 * \brief The event \a senderId sent with \a txn, if any: \a found says whether there is one,
 * and \a event gets its id, room, seq and timestamp. Transaction ids are per sender.
 */
bool findByTxn(WriteContext &ctx, qint64 senderId, const QString &txn, protocol::RoomEvent *event,
    bool *found);
/*! \brief Records \a event's mentions of members of its room other than \a senderId. */
bool insertMentions(WriteContext &ctx, const protocol::RoomEvent &event, qint64 senderId);

} // namespace eventstore
} // namespace confab::server
