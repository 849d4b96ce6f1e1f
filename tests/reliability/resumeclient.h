// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "protocol/requestbuilder.h"
#include "protocol/serverframe.h"

#include <QHash>
#include <QJsonObject>
#include <QList>
#include <QMap>
#include <QObject>
#include <QSet>
#include <QStringList>
#include <QUrl>
#include <QWebSocket>
#include <functional>
#include <memory>

namespace confab::test {

/*!
 * \brief A client that follows docs/protocol.md §7.3, §8 and §10 to the letter,
 * asynchronously, so hundreds can run in one thread: it resumes with
 * authenticate + sync after every drop, fills sync gaps with history, keeps an
 * outbox and resends unacknowledged messages with their original txn.
 *
 * A gap is remembered until history has filled it, across drops: sync has
 * already moved the cursor past it, so no later sync reports it again.
 *
 * It never trusts what it is testing: every event it keeps is checked against
 * what it already holds, and anything a correct server could not have sent is
 * recorded in violations().
 */
class ResumeClient : public QObject
{
    Q_OBJECT
public:
    explicit ResumeClient(std::function<QUrl()> url, QObject *parent = nullptr);
    ~ResumeClient() override;

    void setToken(const QString &token) { m_token = token; }
    QString token() const { return m_token; }
    QString user() const { return m_user; }
    /*! \brief Reconnect by itself this long after a drop (0: stay offline). */
    void setReconnectDelay(int ms) { m_reconnectDelayMs = ms; }
    /*! \brief Off: events are checked and counted but not kept (saves memory in storms). */
    void setKeepTimeline(bool keep) { m_keepTimeline = keep; }
    /*! \brief Largest number of sends awaiting an ack on one connection. */
    void setWindow(int window) { m_window = window; }

    void connectToServer();
    /*! \brief Drops the TCP connection without a close handshake; no reconnect. */
    void goOffline();
    bool isLive() const { return m_state == State::Live; }
    bool isOffline() const { return m_state == State::Offline; }

    /*! \brief Tracks \a room from \a cursor on (events up to it count as known). */
    void follow(qint64 room, qint64 cursor);
    /*! \brief Adds a message to the outbox; it is sent now or after the next resume. */
    void queueSend(qint64 room, const QString &txn, const QString &text);
    /*! \brief Keeps the outbox topped up with new messages in \a room, \a count in all. */
    void autoSend(qint64 room, const QString &txnPrefix, int count);
    int autoSent() const { return m_autoNext; }
    int outboxSize() const { return int(m_outbox.size()); }

    /*! \brief A request on the live connection; \a done gets the reply (never on a drop). */
    bool request(const protocol::OutgoingRequest &r,
        std::function<void(const protocol::ServerFrame &)> done);

    qint64 cursor(qint64 room) const { return m_cursor.value(room, -1); }
    const QMap<qint64, protocol::RoomEvent> timeline(qint64 room) const
    {
        return m_timeline.value(room);
    }
    const QHash<QString, QJsonObject> &acks() const { return m_acks; }
    QStringList violations() const { return m_violations; }

    int resumes() const { return m_resumes; }
    int drops() const { return m_drops; }
    int gapsFilled() const { return m_gapsFilled; }
    /*! \brief Sync gaps not yet filled with history (kept across drops). */
    int openHoles() const { return int(m_holes.size()); }
    /*! \brief Resumes that went on filling a gap a dropped connection had left open. */
    int holesCarriedOver() const { return m_holesCarriedOver; }
    int historyPages() const { return m_historyPages; }
    int duplicatesIgnored() const { return m_duplicates; }
    /*! \brief Outbox entries found already stored at resume: the ack had been lost. */
    int lostAcks() const { return m_lostAcks; }
    int resends() const { return m_resends; }

Q_SIGNALS:
    void live();
    void dropped();
    /*! \brief A history page that fills a gap was applied (it may have closed the gap). */
    void historyPageApplied();

private:
    enum class State
    {
        Offline,
        Connecting,
        Resuming,
        Live
    };
    enum class Source
    {
        Live,
        Sync,
        History
    };
    struct Outgoing
    {
        qint64 room = 0;
        QString txn;
        QString text;
        bool sentBefore = false; //!< went out on an earlier connection
        bool inFlight = false; //!< sent on this connection, no reply yet
    };
    //! Missing events gapFrom+1 … before-1 of a room, behind the cursor.
    struct Hole
    {
        qint64 room = 0;
        qint64 gapFrom = 0;
        qint64 before = 0;
    };

    void onText(const QString &text);
    void onDisconnected();
    void onResumed(const protocol::ServerFrame &reply);
    void fillNextHole();
    void finishResume();
    void applyEvent(const protocol::RoomEvent &e, Source source);
    void keep(const protocol::RoomEvent &e);
    void pump();
    void onSendReply(const QString &txn, const protocol::ServerFrame &reply);
    void violation(const QString &what);

    std::function<QUrl()> m_url;
    std::unique_ptr<QWebSocket> m_socket;
    State m_state = State::Offline;
    QString m_token;
    QString m_user;
    int m_reconnectDelayMs = 0;
    int m_window = 16;
    int m_historyPageMax = 200;
    bool m_keepTimeline = true;
    bool m_wantOnline = false;
    qint64 m_nextId = 1;
    QHash<qint64, std::function<void(const protocol::ServerFrame &)>> m_waiting;
    QList<protocol::RoomEvent> m_buffered;
    QList<Hole> m_holes; //!< not tied to a connection: outlives drops until filled
    QHash<qint64, qint64> m_sentCursor; //!< the cursors sent in the current sync

    QHash<qint64, qint64> m_cursor;
    QHash<qint64, QMap<qint64, protocol::RoomEvent>> m_timeline;
    QList<Outgoing> m_outbox;
    QHash<QString, QJsonObject> m_acks;
    QSet<QString> m_myStored; //!< my txns seen in events
    qint64 m_autoRoom = 0;
    QString m_autoPrefix;
    int m_autoCount = 0;
    int m_autoNext = 0;

    QStringList m_violations;
    int m_resumes = 0;
    int m_drops = 0;
    int m_gapsFilled = 0;
    int m_holesCarriedOver = 0;
    int m_historyPages = 0;
    int m_duplicates = 0;
    int m_lostAcks = 0;
    int m_resends = 0;
};

} // namespace confab::test
