// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "models/messagechanges.h"
#include "protocol/roomevent.h"

#include <QAbstractListModel>
#include <QDate>
#include <QHash>
#include <QList>
#include <QPointer>
#include <QSet>
#include <QTimer>
#include <QVariantList>
#include <QtQml/qqmlregistration.h>
#include <functional>
#include <optional>
#include <vector>

namespace confab::client {

class Profiles;

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
    //! Older pages are being fetched to reach the first unread message: the view waits
    //! to place itself until it is loaded (a room opens on its "new messages" line).
    Q_PROPERTY(bool landingPending READ landingPending NOTIFY landingPendingChanged)

public:
    enum Role
    {
        EventIdRole = Qt::UserRole + 1, //!< server event id; 0 for unsent messages
        SeqRole, //!< position in the room's log; 0 for unsent messages
        KindRole, //!< "message", "join", "leave", "topic", "create"
        SenderRole, //!< username
        TextRole, //!< plain text as sent (messages); new topic (topic events); else as RichText
        //! messages: HTML of the text's safe Markdown subset (messageformat.h), links
        //! clickable, for a RichText item; other kinds: a translated sentence ("ana joined")
        RichTextRole,
        TimestampRole, //!< QDateTime, local time
        TimeTextRole, //!< "14:05", localised short time
        DeliveryRole, //!< Delivery: Sent, Sending or Failed
        IsOwnRole, //!< the signed-in user sent it
        ShowSenderRole, //!< first row of a group: show name and time
        DaySeparatorRole, //!< non-empty: a day label ("Today", "Monday 3 March") above this row
        IsFirstUnreadRole, //!< the "new messages" line goes above this row
        MentionsMeRole, //!< the message mentions the signed-in user
        TxnRole, //!< the transaction id of an own message; empty for others' messages
        ErrorRole, //!< why sending failed (Failed only), translated
        AccessibleTextRole, //!< one sentence for screen readers
        ReplyToRole, //!< the seq of the message this one answers; 0 when none
        ReplyLoadedRole, //!< the answered message is held, so the quote roles are filled
        ReplySenderRole, //!< who wrote the answered message (loaded only)
        ReplyTextRole, //!< its first line, or "Message deleted" (loaded only)
        EditedRole, //!< edited since it was sent (and not deleted)
        EditedAtRole, //!< QDateTime of the last edit; invalid when never edited
        RedactedRole, //!< deleted: show a tombstone, the text is gone
        //! [{key, count, users, mine}] in order of first use; mine: the user reacted
        ReactionsRole,
        //! [{fileId, name, size, sizeText, type, isImage, width, height, thumbWidth,
        //! thumbHeight, thumbnailSource, imageSource, downloadProgress, savedPath}]
        //! (files/attachmentview.h); fileId 0 while the file uploads
        AttachmentsRole,
        //! 0..1 while an own message's files upload; -1 otherwise
        UploadProgressRole,
    };
    Q_ENUM(Role)

    enum Delivery
    {
        Sent,
        Sending,
        Failed
    };
    Q_ENUM(Delivery)

    TimelineModel(qint64 roomId, const QString &ownUser, QObject *parent = nullptr);

    int rowCount(const QModelIndex &parent = {}) const override;
    QVariant data(const QModelIndex &index, int role) const override;
    QHash<int, QByteArray> roleNames() const override;

    qint64 roomId() const { return m_roomId; }
    qint64 readSeq() const { return m_readSeq; }
    bool hasMoreBefore() const { return m_hasMoreBefore; }
    bool landingPending() const { return m_landingPending; }
    void setLandingPending(bool pending);
    /*! \brief Whether the first message after readSeq is held (or nothing older exists). */
    bool unreadLineLoaded() const;

    /*! \brief Newer events, ascending seq. Events whose seq is already held are ignored;
     * an own message whose txn matches an unsent row replaces that row. */
    void appendEvents(const QList<protocol::RoomEvent> &events);
    /*! \brief An older page (ascending seq), placed before everything held. */
    void prependEvents(const QList<protocol::RoomEvent> &events, bool hasMore);
    void setHasMoreBefore(bool hasMore);

    /*! \brief An own message not yet acknowledged, shown at the end as Sending. */
    void addPending(const QString &txn, const QString &text, qint64 createdMs, qint64 replyTo = 0,
        const QVariantList &attachments = {});
    /*! \brief \a txn's files are uploading: \a progress 0..1 (-1: no longer). */
    void setUploadProgress(const QString &txn, double progress);
    /*! \brief A save of \a fileId progressed or ended: its rows' attachments change. */
    void fileStatusChanged(qint64 fileId);
    /*! \brief Where saves stand, for the attachments role (null: none runs). */
    using FileStatus = std::function<std::pair<double, QString>(qint64 fileId)>;
    void setFileStatus(FileStatus status) { m_fileStatus = std::move(status); }
    /*! \brief Senders, mentions and system lines show display names (§18.2) from \a profiles;
     * a `profile` push relabels the rows. */
    void setProfiles(Profiles *profiles);
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
    /*! \brief The newest own message that can still be edited (Up in an empty composer);
     * 0 if none is held. */
    Q_INVOKABLE qint64 lastEditableSeq() const;
    /*! \brief The current text of the held message at \a seq; empty if not held. */
    Q_INVOKABLE QString textOf(qint64 seq) const;
    /*! \brief Who wrote the held message at \a seq; empty if not held. */
    Q_INVOKABLE QString senderOf(qint64 seq) const;
    /*! \brief The next (\a step 1) or previous (-1) image attachment after \a fileId in
     * this timeline's held rows, as an attachments map; empty if none (the viewer). */
    Q_INVOKABLE QVariantMap imageNeighbour(qint64 fileId, int step) const;
    /*! \brief The file \a fileId as a held message has it attached; nullopt if none. */
    std::optional<protocol::FileInfo> fileInfo(qint64 fileId) const;
    /*! \brief Whether the signed-in user reacted with \a key to the message at \a seq. */
    bool reacted(qint64 seq, const QString &key) const;
    /*! \brief Whether the message at \a seq is held, a message, and not deleted. */
    bool isLiveMessage(qint64 seq) const;
    /*! \brief Change events held back until their message loads (for tests). */
    int backlogSize() const { return m_backlog.size(); }

    /*! \brief For tests: the day that counts as "today" for separator labels. */
    void setToday(QDate today);

Q_SIGNALS:
    void readSeqChanged();
    void hasMoreBeforeChanged();
    void countChanged();
    void landingPendingChanged();

private:
    // toUtf8() reserves room for the worst case (three bytes per UTF-16 unit) and keeps it:
    // held for every row, that would cost more than the UTF-16 it replaces.
    static QByteArray compactUtf8(const QString &text);

    // One entry per row, kept small: roles derived from neighbours (grouping, day
    // separators, the unread line) are computed in data(), never stored.
    struct Row
    {
        qint64 id = 0;
        qint64 seq = 0; //!< 0 for unsent rows; the ack's seq once acknowledged
        qint64 timestamp = 0; //!< ms since the epoch, UTC
        QString sender;
        QString txn; //!< own messages only: nothing looks up another sender's txn
        qint64 replyTo = 0; //!< messages: the seq this one answers
        protocol::MessageState state; //!< edits, deletion, reactions (§7.4)
        QList<protocol::FileInfo> attachments; //!< messages: files (§16.4)
        /*! Message text, topic (topic events), room name (create), the packed details of
         * team events (teamDetails()). UTF-8: half the size
         * of UTF-16 for most text, and a room can hold 100 000 rows. */
        QByteArray text;
        protocol::EventKind kind = protocol::EventKind::Message;
        Delivery delivery = Sent;
        bool own = false;
        bool mentionsMe = false;
    };

    struct Derived
    {
        bool showSender = true;
        QString daySeparator;
        bool firstUnread = false;
        friend bool operator==(const Derived &, const Derived &) = default;
    };

    Row rowFromEvent(const protocol::RoomEvent &event);
    int storedLowerBound(qint64 seq) const; //!< first stored row with seq >= seq
    int pendingRow(const QString &txn) const; //!< -1 if no unsent row has this txn
    void insertEvents(QList<protocol::RoomEvent> events);
    void insertRun(int position, std::vector<Row> &rows);
    void replacePending(int pendingRow, int position, const protocol::RoomEvent &event);
    void removeRowAt(int row);
    void adoptState(int row, const protocol::RoomEvent &event);
    void applyChanges(const QList<protocol::RoomEvent> &changes);
    bool applyChangeAt(int row, const protocol::RoomEvent &change);
    void announceReplies(qint64 fromSeq, qint64 toSeq);
    QVariant reactionsData(const Row &row) const;
    QVariantList attachmentsData(const Row &row) const;
    QVariantMap attachmentData(const protocol::FileInfo &file) const;
    QString quoteText(int quotedRow) const;

    Derived derived(int row) const;
    bool groupsWithPrevious(int row) const;
    bool isOwn(const QString &sender) const;
    QString dayLabel(QDate date) const;
    QString systemText(const Row &row) const;
    /*! The members a team event's line needs (§17.7), packed into a row's text. */
    static QString teamDetails(const protocol::RoomEvent &event);
    /*! "ana banned bob until 3 May, 14:00: spam" from what teamDetails() packed. */
    QString teamText(protocol::EventKind kind, const QString &sender, const QString &details) const;
    QString richText(const Row &row) const;
    /*! Plain text HTML-escaped, line breaks kept, URLs and mentions made links. */
    static QString linkedText(
        const QString &plain, const std::function<QString(const QString &)> &names = {});
    /*! The display name of \a user, or the username. */
    QString shownName(const QString &user) const;
    QString accessibleText(int row) const;
    QDate today() const;
    int computeFirstUnread() const;
    /*! Re-evaluates the unread line and announces rows whose derived roles changed; \a
     * watched holds rows (by position after the change) with their roles before it. */
    void refreshDerived(
        const QList<QPair<int, Derived>> &watched, int skipFrom = -1, int skipCount = 0);
    void announceDerived(int first, int last);
    void scheduleMidnight();

    qint64 m_roomId = 0;
    QString m_ownUser;
    QString m_ownLower;
    qint64 m_readSeq = 0;
    bool m_hasMoreBefore = true;
    bool m_landingPending = false;
    QDate m_today;
    std::vector<Row> m_rows; //!< [0, m_storedCount) stored events by seq, then unsent rows
    int m_storedCount = 0;
    int m_firstUnread = -1;
    QHash<QString, QString> m_errors; //!< txn -> why it failed; only failed rows
    QHash<QString, QVariantList> m_uploadingFiles; //!< txn -> attachments of unsent rows
    QHash<QString, double> m_uploadProgress; //!< txn -> 0..1 while its files upload
    FileStatus m_fileStatus;
    QPointer<Profiles> m_profiles;
    QSet<QString> m_senders; //!< interned sender names: 100 000 rows share a few strings
    ChangeBacklog m_backlog; //!< changes to messages not held yet
    bool m_hasReplies = false; //!< some row quotes another: quotes follow their targets
    QTimer *m_midnight = nullptr;
    bool m_relabelPending = false; //!< a profile changed; rows are relabelled next turn
};

} // namespace confab::client
