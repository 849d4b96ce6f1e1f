// SPDX-License-Identifier: GPL-3.0-or-later
#include "chat/unreadindex.h"

#include "chat/roomdirectory.h"
#include "protocol/roomevent.h"
#include "storage/statementcache.h"

#include <QSqlError>
#include <QSqlQuery>
#include <algorithm>

using namespace Qt::StringLiterals;

namespace confab::server {

UnreadIndex::UnreadIndex(StatementCache &reader, const RoomDirectory &rooms)
    : m_reader(reader)
    , m_directory(rooms)
{ }

eventstore::UnreadCounts UnreadIndex::counts(qint64 room, qint64 user, qint64 readSeq)
{
    const RoomRecord *record = m_directory.room(room);
    Window *w = record ? window(room, record->lastSeq) : nullptr;
    if (!w)
        return eventstore::unreadCounts(m_reader, room, user, readSeq);
    qint64 unread = 0;
    auto it = std::upper_bound(w->entries.cbegin(), w->entries.cend(), readSeq,
        [](qint64 seq, const Entry &e) { return seq < e.seq; });
    for (; it != w->entries.cend() && unread < eventstore::UnreadCountCap; ++it)
        unread += it->sender != user;
    if (unread < eventstore::UnreadCountCap && readSeq < w->completeAfter)
        return eventstore::unreadCounts(m_reader, room, user, readSeq);
    eventstore::UnreadCounts counts = eventstore::mentionCounts(m_reader, room, user, readSeq);
    counts.unread = unread;
    return counts;
}

void UnreadIndex::forget(qint64 room)
{
    auto it = m_rooms.find(room);
    if (it == m_rooms.end())
        return;
    m_entries -= qsizetype(it->entries.size());
    m_rooms.erase(it);
}

bool UnreadIndex::readRows(QSqlQuery *q, std::vector<Entry> *to)
{
    if (!q)
        return false;
    const size_t before = to->size();
    while (q->next())
        to->push_back({q->value(0).toLongLong(), q->value(1).toLongLong()});
    // A step that failed part-way ends the rows early too: never keep a short window.
    const bool failed = q->lastError().isValid();
    q->finish();
    if (failed)
        to->resize(before);
    return !failed;
}

UnreadIndex::Window *UnreadIndex::window(qint64 room, qint64 lastSeq)
{
    auto it = m_rooms.find(room);
    if (it == m_rooms.end()) {
        Window fresh;
        // The newest cap + Slack messages: older ones only matter to a count the cap ends.
        QSqlQuery *q = m_reader.run(
            u"SELECT seq, sender_id FROM events WHERE room_id = ? AND seq <= ? AND kind = ? "
            u"AND redacted = 0 ORDER BY seq DESC LIMIT ?"_s,
            {room, lastSeq, int(protocol::EventKind::Message), eventstore::UnreadCountCap + Slack});
        if (!readRows(q, &fresh.entries))
            return nullptr;
        std::reverse(fresh.entries.begin(), fresh.entries.end());
        const bool all = qsizetype(fresh.entries.size()) < eventstore::UnreadCountCap + Slack;
        fresh.completeAfter = all ? 0 : fresh.entries.front().seq - 1;
        fresh.through = lastSeq;
        m_entries += qsizetype(fresh.entries.size());
        m_rooms.emplace(room, std::move(fresh));
        evict(room);
        it = m_rooms.find(room);
    } else if (it->through < lastSeq && !readTail(room, *it, lastSeq)) {
        return nullptr;
    }
    it->usedAt = ++m_tick;
    return &*it;
}

bool UnreadIndex::readTail(qint64 room, Window &w, qint64 lastSeq)
{
    QSqlQuery *q = m_reader.run(u"SELECT seq, sender_id FROM events WHERE room_id = ? AND seq > ? "
                                u"AND seq <= ? AND kind = ? AND redacted = 0 ORDER BY seq"_s,
        {room, w.through, lastSeq, int(protocol::EventKind::Message)});
    const qsizetype before = qsizetype(w.entries.size());
    if (!readRows(q, &w.entries))
        return false;
    m_entries += qsizetype(w.entries.size()) - before;
    w.through = lastSeq;
    trim(w);
    return true;
}

void UnreadIndex::trim(Window &w)
{
    // Kept between cap + Slack and twice that, so trimming is rare and cheap.
    const qsizetype keep = eventstore::UnreadCountCap + Slack;
    if (qsizetype(w.entries.size()) <= 2 * keep)
        return;
    const qsizetype drop = qsizetype(w.entries.size()) - keep;
    w.completeAfter = w.entries[size_t(drop)].seq - 1;
    w.entries.erase(w.entries.begin(), w.entries.begin() + drop);
    m_entries -= drop;
}

void UnreadIndex::evict(qint64 keep)
{
    while (m_entries > Budget && m_rooms.size() > 1) {
        auto oldest = m_rooms.end();
        for (auto it = m_rooms.begin(); it != m_rooms.end(); ++it) {
            if (it.key() != keep && (oldest == m_rooms.end() || it->usedAt < oldest->usedAt))
                oldest = it;
        }
        m_entries -= qsizetype(oldest->entries.size());
        m_rooms.erase(oldest);
    }
}

} // namespace confab::server
