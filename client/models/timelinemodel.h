// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "protocol/roomevent.h"

#include <QAbstractListModel>
#include <QDate>
#include <QList>
#include <QtQml/qqmlregistration.h>

namespace confab::client {

/*!
 * \brief One room's timeline: the events the client holds, in seq order, followed by
 * the user's own messages that the server has not stored yet.
 *
 * Owns the display rules: sender grouping, day separators, the "new messages" line,
 * delivery state of own messages and de-duplication. Session feeds it; QML only binds.
 */
class TimelineModel : public QAbstractListModel
{
    Q_OBJECT
    QML_ELEMENT
    QML_UNCREATABLE("A room's timeline comes from Session.timeline")
    Q_PROPERTY(qint64 roomId READ roomId CONSTANT)
    Q_PROPERTY(qint64 readSeq READ readSeq NOTIFY readSeqChanged)
    Q_PROPERTY(bool hasMoreBefore READ hasMoreBefore NOTIFY hasMoreBeforeChanged)
    Q_PROPERTY(int count READ rowCount NOTIFY countChanged)

public:
    enum Role {
        EventIdRole = Qt::UserRole + 1, //!< server event id; 0 for unsent messages
        SeqRole, //!< position in the room's log; 0 for unsent messages
        KindRole, //!< "message", "join", "leave", "topic", "create"
        SenderRole, //!< username
        TextRole, //!< plain text as sent (messages); new topic (topic events)
        RichTextRole, //!< text HTML-escaped with links made clickable, for Text.StyledText
        TimestampRole, //!< QDateTime, local time
        TimeTextRole, //!< "14:05", localised short time
        DeliveryRole, //!< Delivery: Sent, Sending or Failed
        IsOwnRole, //!< the signed-in user sent it
        ShowSenderRole, //!< first row of a group: show name and time
        DaySeparatorRole, //!< non-empty: a day label ("Today", "Monday 3 March") above this row
        IsFirstUnreadRole, //!< the "new messages" line goes above this row
        MentionsMeRole, //!< the message mentions the signed-in user
        TxnRole, //!< the sender's transaction id (messages)
        ErrorRole, //!< why sending failed (Failed only), translated
        AccessibleTextRole, //!< one sentence for screen readers
    };
    Q_ENUM(Role)

    enum Delivery { Sent, Sending, Failed };
    Q_ENUM(Delivery)

    TimelineModel(qint64 roomId, const QString &ownUser, QObject *parent = nullptr);

    int rowCount(const QModelIndex &parent = {}) const override;
    QVariant data(const QModelIndex &index, int role) const override;
    QHash<int, QByteArray> roleNames() const override;

    qint64 roomId() const { return m_roomId; }
    qint64 readSeq() const { return m_readSeq; }
    bool hasMoreBefore() const { return m_hasMoreBefore; }

    /*! \brief Newer events, ascending seq. Events whose seq is already held are ignored;
     * an own message whose txn matches an unsent row replaces that row. */
    void appendEvents(const QList<protocol::RoomEvent> &events);
    /*! \brief An older page (ascending seq), placed before everything held. */
    void prependEvents(const QList<protocol::RoomEvent> &events, bool hasMore);
    void setHasMoreBefore(bool hasMore);

    /*! \brief An own message not yet acknowledged, shown at the end as Sending. */
    void addPending(const QString &txn, const QString &text, qint64 createdMs);
    /*! \brief The server acknowledged \a txn: shown as Sent until its event arrives. */
    void markAcknowledged(const QString &txn, qint64 seq, qint64 timestamp);
    void markFailed(const QString &txn, const QString &reason);
    void markSending(const QString &txn);
    void removePending(const QString &txn);

    /*! \brief Moves the "new messages" line; it sits above the first message after \a seq
     * that someone else sent. */
    void setReadSeq(qint64 seq);
    void clear();

    qint64 lowestSeq() const; //!< 0 if no stored event is held
    qint64 highestSeq() const; //!< 0 if no stored event is held
    Q_INVOKABLE int rowForSeq(qint64 seq) const; //!< -1 if absent
    Q_INVOKABLE qint64 seqAt(int row) const; //!< 0 for unsent rows and out of range
    Q_INVOKABLE int firstUnreadRow() const; //!< -1 if nothing is unread

    /*! \brief For tests: the day that counts as "today" for separator labels. */
    void setToday(QDate today);

Q_SIGNALS:
    void readSeqChanged();
    void hasMoreBeforeChanged();
    void countChanged();

private:
    // CONTRACT NOTE (remove when implemented): the public API above is fixed; the
    // private section is the implementer's.
    qint64 m_roomId = 0;
    QString m_ownUser;
    qint64 m_readSeq = 0;
    bool m_hasMoreBefore = true;
    QDate m_today;
};

} // namespace confab::client
