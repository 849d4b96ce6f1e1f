// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "storage/postgres/pgaddress.h"

#include <QHash>
#include <QObject>
#include <QSet>
#include <QString>
#include <QThread>
#include <QTimer>
#include <chrono>

namespace confab::server::postgres {

class DoorbellListener;

/*!
 * \brief Tells the other instances on one PostgreSQL that a room has new events, and hears
 * them tell this one: only a doorbell, never the events (they are read from the database,
 * `seq > cursor`), so a lost ring only delays a delivery.
 *
 * ring() after a commit is coalesced per room for a few ms and sent as one
 * `NOTIFY confab, '<room>:<seq>[,<room>:<seq>…]'` in its own transaction: a NOTIFY inside
 * the message's transaction would hold PostgreSQL's cluster-wide notify lock until commit.
 *
 * One listener connection in a thread of its own LISTENs, and checks itself every poll
 * interval: QPSQL neither notices a dropped connection nor LISTENs again after reconnecting.
 * \c pollDue asks the owner to read its rooms' high-water marks every poll interval and at
 * once after a reconnect, when rings may have been lost.
 */
class Doorbell : public QObject
{
    Q_OBJECT

public:
    struct Options
    {
        PgAddress address;
        std::chrono::milliseconds coalesce {5};
        std::chrono::milliseconds poll {1500};
    };

    explicit Doorbell(Options options, QObject *parent = nullptr);
    ~Doorbell() override;

    /*! \brief Connects the listener (in its thread); \c listening says when it hears. */
    void start();
    /*! \brief After a commit: \a room has events up to \a seq. */
    void ring(qint64 room, qint64 seq);
    /*!
     * \brief Tells the others \a note, in order with this instance's other notes: a word
     * of letters, digits and dots that begins with a letter (the owner's protocol:
     * sessions, presence, typing, read positions). Lossy like a ring.
     */
    void note(const QString &note);

    /*! \brief The payload for \a rings, room:seq pairs by room, then \a notes in order, as
     * small as PostgreSQL's 8000-byte limit needs: split into several when longer. */
    static QStringList payloads(const QHash<qint64, qint64> &rings, const QStringList &notes = {});
    /*! \brief The room:seq pairs of a payload; empty for a malformed one. */
    static QHash<qint64, qint64> parse(const QString &payload);
    /*! \brief The notes of a payload, in order. */
    static QStringList parseNotes(const QString &payload);

Q_SIGNALS:
    /*! \brief \a room has events up to \a seq (from any instance, this one included). */
    void rang(qint64 room, qint64 seq);
    /*! \brief A note from any instance, this one included. */
    void noted(const QString &note);
    /*! \brief Read the high-water marks now: a ring may have been missed. */
    void pollDue();
    /*! \brief The listener connection is (again) LISTENing, or was lost. */
    void listeningChanged(bool listening);

private:
    void flush();

    Options m_options;
    QThread m_thread;
    DoorbellListener *m_listener = nullptr; //!< lives in m_thread
    QHash<qint64, qint64> m_pending;
    QStringList m_pendingNotes;
    QTimer m_coalesce;
};

} // namespace confab::server::postgres
