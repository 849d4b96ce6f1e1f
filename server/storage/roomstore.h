// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "storage/records.h"

#include <QList>
#include <optional>

namespace confab::server {

class StatementCache;
class WriteContext;

/*!
 * \brief Rooms, membership and read positions.
 */
namespace roomstore {

/*! \brief Every room with its members and last sequence: the server's start-up state. */
QList<RoomRecord> loadAll(StatementCache &db);
std::optional<RoomRecord> load(StatementCache &db, qint64 roomId);
/*! \brief read_seq of \a userId in \a roomId, or -1 if not a member. */
qint64 readSeq(StatementCache &db, qint64 roomId, qint64 userId);

bool channelNameTaken(WriteContext &ctx, const QString &name, bool *taken);
bool insertRoom(WriteContext &ctx, RoomKind kind, const QString &name, const QString &topic,
    const QString &directKey, qint64 *id);
/*! \brief The direct room for \a directKey, 0 if none. */
bool directRoom(WriteContext &ctx, const QString &directKey, qint64 *id);
bool isMember(WriteContext &ctx, qint64 roomId, qint64 userId, bool *member);
bool addMember(WriteContext &ctx, qint64 roomId, qint64 userId, qint64 readSeq);
bool removeMember(WriteContext &ctx, qint64 roomId, qint64 userId);
/*! \brief The channels and groups \a userId is a member of, as the transaction sees them. */
bool channelsAndGroupsOf(WriteContext &ctx, qint64 userId, QList<qint64> *rooms);
bool memberCount(WriteContext &ctx, qint64 roomId, int *count);
bool setTopic(WriteContext &ctx, qint64 roomId, const QString &topic);
bool setReadSeq(WriteContext &ctx, qint64 roomId, qint64 userId, qint64 seq);

} // namespace roomstore
} // namespace confab::server
