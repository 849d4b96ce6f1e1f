// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "protocol/roomevent.h"

#include <QSqlDatabase>
#include <QSqlQuery>

/*!
 * \brief A room's log on PostgreSQL, written by any number of instances at once: what
 * WriteContext::appendEvent() is on SQLite, where one writer thread keeps seqs in memory.
 */
namespace confab::server::postgres::eventlog {

/*!
 * \brief append()'s statements on one connection, prepared on first use and kept: each
 * message then costs its executions only, not a prepare and a deallocate besides.
 */
struct Statements
{
    explicit Statements(const QSqlDatabase &db)
        : nextSeq(db)
        , insert(db)
        , giveBack(db)
    {
        for (QSqlQuery *q : {&nextSeq, &insert, &giveBack})
            q->setForwardOnly(true);
    }
    QSqlQuery nextSeq;
    QSqlQuery insert;
    QSqlQuery giveBack;
};

/*!
 * \brief Appends \a event to its room's log in the caller's transaction on \a db: takes
 * the room's next seq from rooms.last_seq (holding the room's row lock until the caller
 * commits), and sets id, seq and timestamp (\a nowMs). \a senderId: the sender's user id.
 *
 * Commit order is seq order, across instances: a second writer to the room waits for the
 * lock, so a reader of `seq > cursor` never sees n + 1 before n, and a rollback gives its
 * seq back. False with \a error on a database error (the caller rolls back); with
 * \a repeatedTxn given, false and *repeatedTxn true when the sender already has an event
 * with this txn (written by any instance): then nothing was written, the seq is given back,
 * and the transaction goes on. With \a kept (made for \a db), its statements are used
 * instead of new ones.
 */
bool append(QSqlDatabase &db, protocol::RoomEvent &event, qint64 senderId, qint64 nowMs,
    bool *repeatedTxn, QString *error, Statements *kept = nullptr);

/*! \brief The event \a senderId sent with \a txn (id, room, seq, timestamp); found false if
 * there is none. False with \a error on a database error. */
bool findByTxn(QSqlDatabase &db, qint64 senderId, const QString &txn, protocol::RoomEvent *event,
    bool *found, QString *error);

} // namespace confab::server::postgres::eventlog
