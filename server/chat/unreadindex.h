// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "storage/eventstore.h"

#include <QHash>
#include <vector>

class QSqlQuery;

namespace confab::server {

class RoomDirectory;
class StatementCache;

/*!
 * \brief Unread counts from memory: the recent messages of each room (seq and sender), so
 * that a sign-in or a redaction's recount does not count up to UnreadCountCap rows in SQL
 * per room and member.
 *
 * A room's window is read on first use and caught up from the room's committed lastSeq
 * (RoomDirectory) before each count, so every path that appends a message is covered
 * without telling this class. A redaction, the only way a message stops counting, drops
 * the room's window to be read again. Counts equal eventstore::unreadCounts(); a position
 * older than the window, with too few messages from others inside it to reach the cap,
 * is counted in SQL as before. Mentions are few per user and indexed, and stay in SQL.
 */
class UnreadIndex
{
public:
    UnreadIndex(StatementCache &reader, const RoomDirectory &rooms);

    eventstore::UnreadCounts counts(qint64 room, qint64 user, qint64 readSeq);
    /*! \brief A message of \a room was redacted (committed): its window is read again. */
    void forget(qint64 room);

    /*! \brief Messages each window keeps beyond the cap, so a user's own do not force SQL. */
    static constexpr qint64 Slack = 1024;
    /*! \brief Entries kept in all windows together; the least recently used go first. */
    static constexpr qsizetype Budget = 4 * 1024 * 1024;

private:
    struct Entry
    {
        qint64 seq;
        qint64 sender;
    };
    struct Window
    {
        std::vector<Entry> entries; //!< by seq; every message with seq > completeAfter
        qint64 completeAfter = 0;
        qint64 through = 0; //!< the last seq read from storage
        quint64 usedAt = 0;
    };
    /*! \brief \a room's window, read or caught up to \a lastSeq; null if the read failed. */
    Window *window(qint64 room, qint64 lastSeq);
    bool readTail(qint64 room, Window &w, qint64 lastSeq);
    /*! \brief Appends \a q's (seq, sender) rows to \a to; false, adding none, if it failed. */
    static bool readRows(QSqlQuery *q, std::vector<Entry> *to);
    void trim(Window &w);
    void evict(qint64 keep);

    StatementCache &m_reader;
    const RoomDirectory &m_directory;
    QHash<qint64, Window> m_rooms;
    qsizetype m_entries = 0;
    quint64 m_tick = 0;
};

} // namespace confab::server
