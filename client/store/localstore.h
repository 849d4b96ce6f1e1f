// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "models/roomsummary.h"
#include "protocol/roomevent.h"
#include "sqlite/schema.h"

#include <QHash>
#include <QJsonObject>
#include <QList>
#include <QString>
#include <algorithm>
#include <memory>
#include <optional>

namespace confab::client {

/*!
 * \brief A file of an unsent message: where its bytes are and how far its upload got
 * (docs/protocol.md §16.1).
 */
struct OutboxFile
{
    QString source; //!< absolute path of the bytes to upload
    bool owned = false; //!< source is the app's own copy (a pasted image): deleted with it
    QString name; //!< FileName for upload_begin
    qint64 size = 0;
    QString sha256; //!< lowercase hex; empty until computed
    qint64 upload = 0; //!< upload id; 0 before upload_begin
    qint64 durable = 0; //!< bytes the server holds durably (its last `uploaded`)
    QJsonObject file; //!< the file object (§16.4) once upload_finish returned it

    qint64 fileId() const { return file.value(QLatin1String("id")).toInteger(); }
    bool finished() const { return fileId() > 0; }
};

/*!
 * \brief A message the user wrote that the server has not acknowledged yet.
 */
struct OutboxEntry
{
    QString txn;
    qint64 room = 0;
    QString text;
    qint64 createdMs = 0;
    bool failed = false; //!< a permanent error: waits for Retry or Discard
    QString error; //!< why it failed, translated
    qint64 order = 0; //!< insertion order; resends keep it
    qint64 replyTo = 0; //!< the seq of the message it answers; 0 when none
    QList<OutboxFile> files; //!< attachments, in order; uploaded before the send

    bool uploading() const
    {
        return std::any_of(
            files.cbegin(), files.cend(), [](const OutboxFile &f) { return !f.finished(); });
    }
};

/*!
 * \brief Everything one applied batch changes, written in one transaction so a crash
 * leaves the old or the new state, never a cursor ahead of its events.
 */
struct StoreBatch
{
    QList<RoomSummary> upserts; //!< summaries to insert or replace
    QList<qint64> removed; //!< rooms to forget (events, cursor, summary)
    /*! Rooms whose cached events and cursor are dropped before this batch's events are
     * written: the server's log went back (restored from a backup, §7.3). */
    QList<qint64> resets;
    /*! Any rooms, any order. Messages are written with their state (a newer cached
     * state is kept); changes (edit, redact, react, unreact) are applied to the cached
     * message they name and never stored themselves. */
    QList<protocol::RoomEvent> events;
    QHash<qint64, qint64> cursors; //!< room → new cursor (only raised)
    QList<QString> deliveredTxns; //!< outbox rows to delete
};

/*!
 * \brief The per-account SQLite cache: room summaries and cursors, the newest
 * \c MaxEventsPerRoom events of each room, the outbox, and a little metadata.
 */
class LocalStore
{
public:
    static constexpr int MaxEventsPerRoom = 500;

    LocalStore();
    ~LocalStore();
    LocalStore(const LocalStore &) = delete;
    LocalStore &operator=(const LocalStore &) = delete;

    /*! \brief \a dir/\<sha1(server|user)\>.sqlite */
    static QString pathFor(const QString &dir, const QString &serverUrl, const QString &user);

    /*!
     * \brief Opens the cache at \a path, creating it or migrating it to \a schema's latest
     * version. Fails, leaving the file as it was, for a cache written by a newer Confab.
     * Only tests pass a \a schema other than cacheSchema().
     */
    bool open(const QString &path);
    bool open(const QString &path, const sqlite::Schema &schema);
    void close();
    bool isOpen() const { return !m_connection.isEmpty(); }
    QString path() const { return m_path; }

    QList<RoomSummary> rooms() const;
    QHash<qint64, qint64> cursors() const;
    /*! \brief The newest \a limit events of \a room, ascending seq. */
    QList<protocol::RoomEvent> events(qint64 room, int limit = MaxEventsPerRoom) const;

    bool apply(const StoreBatch &batch);

    QList<OutboxEntry> outbox() const;
    bool addOutbox(OutboxEntry &entry); //!< sets entry.order
    bool markOutboxFailed(const QString &txn, const QString &error);
    /*! \brief Retry: the row takes a new txn and goes back to the queue's end. */
    bool requeueOutbox(const QString &oldTxn, const QString &newTxn);
    bool removeOutbox(const QString &txn);
    /*! \brief Keeps how far the upload of file \a position of \a txn got. */
    bool updateOutboxFile(const QString &txn, int position, const OutboxFile &file);

    QString deviceId(); //!< created once, then stable
    qint64 nextTxnCounter(); //!< persisted before it is returned
    QString meta(const QString &key) const;
    bool setMeta(const QString &key, const QString &value);

private:
    struct Statements;

    bool writeEvents(const QList<protocol::RoomEvent> &events);
    bool applyChanges(const QList<const protocol::RoomEvent *> &changes);

    QString m_connection;
    std::unique_ptr<Statements> m_statements; //!< prepared once per open()
    QString m_path;
};

} // namespace confab::client
