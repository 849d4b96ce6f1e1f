// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "store/localstore.h"

#include <QHash>
#include <QList>
#include <QObject>
#include <QSet>
#include <QTimer>
#include <optional>

namespace confab::client {

class ConnectionState;
class Connection;
class Uploads;
struct Reply;

/*!
 * \brief Reliable sending (docs/protocol.md §8): every message is persisted with a txn
 * "<device id>:<counter>" before it is sent, resent with the same txn until the server
 * acknowledges it, and only a permanent error makes it fail.
 *
 * Per room, one message is in flight at a time: a later one is sent only after the
 * earlier one's ack (or permanent failure). A pipelined later message could be stored
 * while an earlier one is refused with a transient error (rate_limited, storage_error,
 * ...), which would put the room's messages out of the order they were written in.
 * Different rooms still go out side by side.
 *
 * A message with files is sent once its files are uploaded (Uploads); until then it holds
 * its room's turn like a message in flight, and can be cancelled.
 */
class Outbox : public QObject
{
    Q_OBJECT

public:
    /*! Sends only while \a state is live; going live sends every unacknowledged row, in
     * order, and going offline forgets what was in flight (it is resent after the resume). */
    Outbox(Connection *connection, ConnectionState *state, QObject *parent = nullptr);

    /*! \brief Takes the rows of \a store (null: none). */
    void setStore(LocalStore *store);
    /*! \brief A store is open: messages can be queued. */
    bool isOpen() const { return m_store && m_store->isOpen(); }
    QList<OutboxEntry> entries() const { return m_entries; }
    bool contains(const QString &txn) const;

    /*! \brief Persists a new message; nullopt if the cache refused it. Sends it if live. */
    /*! \a replyTo: the seq of the message it answers (0: none), kept with the row. */
    /*! \a files: attachments, uploaded before the message is sent. */
    std::optional<OutboxEntry> enqueue(qint64 room, const QString &text, qint64 nowMs,
        qint64 replyTo = 0, const QList<OutboxFile> &files = {});
    /*! \brief Resends a failed row under a new txn; nullopt if unknown. */
    std::optional<OutboxEntry> retry(const QString &txn);
    void discard(const QString &txn);
    /*! \brief Drops \a txn if its files are still uploading (abandoning the uploads);
     * false if it is not, or no longer, uploading. */
    bool cancelUpload(const QString &txn);
    /*! \brief 0..1 over \a txn's files while they upload; -1 otherwise. */
    double uploadProgress(const QString &txn) const;
    Uploads *uploads() const { return m_uploads; }
    /*! \brief Own message event with \a txn arrived (its row is deleted with the batch). */
    void delivered(const QString &txn);
    /*! \brief The user left \a room: its rows can never be delivered. */
    void failRoom(qint64 room, const QString &reason);

Q_SIGNALS:
    void acknowledged(qint64 room, const QString &txn, qint64 seq, qint64 timestamp);
    void failed(qint64 room, const QString &txn, const QString &reason);
    void uploadProgressChanged(qint64 room, const QString &txn, double progress);

private:
    void onPhaseChanged();
    void flush();
    void sendEntry(const OutboxEntry &entry);
    void onReply(const QString &txn, const Reply &reply);
    QString newTxn();
    OutboxEntry *find(const QString &txn);
    void markFailed(OutboxEntry &entry, const QString &reason);
    /*! Deletes the pasted images that only \a entry used. */
    static void dropCopies(const OutboxEntry &entry);

    Connection *m_connection;
    ConnectionState *m_state;
    LocalStore *m_store = nullptr;
    Uploads *m_uploads;
    QList<OutboxEntry> m_entries; //!< in order
    QSet<QString> m_inFlight;
    QSet<qint64> m_held; //!< rooms waiting after a transient error
    QTimer m_retry; //!< transient errors: release the held rooms, flush again
};

} // namespace confab::client
