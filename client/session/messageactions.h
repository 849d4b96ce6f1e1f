// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "protocol/requestbuilder.h"

#include <QList>
#include <QObject>
#include <QString>
#include <QTimer>
#include <QtQml/qqmlregistration.h>

class QQmlEngine;
class QJSEngine;

namespace confab::protocol {
struct RoomEvent;
}

namespace confab::client {

class Account;
class Connection;
class ConnectionState;
class CurrentRoom;
class MessageSender;
class RoomListModel;
class RoomState;
class TimelineModel;
struct Reply;

/*!
 * \brief What the user does to a message of the open room: reply, edit, delete, react,
 * copy it or a link to it, and jump to a message (a quote, a link, a search hit).
 *
 * Only offered when the server's hello has the `conversations` feature (\c available).
 * The reply and edit in progress belong to the open room and end when it changes. Changes
 * are not shown before the server confirms them: the change event it sends back patches the
 * timeline like anyone else's (protocol §7.4). Failures become one translated sentence in
 * \c actionFailed.
 */
class MessageActions : public QObject
{
    Q_OBJECT
    QML_ELEMENT
    QML_SINGLETON
    Q_PROPERTY(bool available READ available NOTIFY availableChanged)
    // Seqs are numbers in QML (exact below 2^53, as the protocol's integers are, §4): qmllint
    // knows no qint64.
    //! The message the composer answers; 0 when none.
    Q_PROPERTY(double replyTo READ replyTo NOTIFY replyChanged)
    Q_PROPERTY(QString replySender READ replySender NOTIFY replyChanged)
    Q_PROPERTY(QString replyText READ replyText NOTIFY replyChanged)
    //! The own message being edited in the composer; 0 when none.
    Q_PROPERTY(double editing READ editing NOTIFY editingChanged)
    //! Its text when the edit started (the composer is filled with it).
    Q_PROPERTY(QString editText READ editText NOTIFY editingChanged)
    //! The message a jump landed on, highlighted for a moment; 0 when none.
    Q_PROPERTY(double highlightSeq READ highlightSeq NOTIFY highlightChanged)
    //! A jump is loading the message it goes to.
    Q_PROPERTY(bool jumping READ jumping NOTIFY jumpingChanged)

public:
    static constexpr int HighlightMs = 2000;
    //! A jump loads at most this many events between the message and what is held.
    static constexpr int MaxJumpGap = 20'000;

    MessageActions(Connection *connection, ConnectionState *connectionState, RoomState *state,
        RoomListModel *rooms, CurrentRoom *currentRoom, Account *account,
        QObject *parent = nullptr);

    /*! \brief QML's instance: the Session's (see Session::setInstance()). */
    static MessageActions *create(QQmlEngine *, QJSEngine *);

    bool available() const;
    qint64 replyTo() const { return m_replyTo; }
    QString replySender() const { return m_replySender; }
    QString replyText() const { return m_replyText; }
    qint64 editing() const { return m_editing; }
    QString editText() const { return m_editText; }
    qint64 highlightSeq() const { return m_highlightSeq; }
    bool jumping() const { return m_jumping; }

    Q_INVOKABLE void startReply(qint64 seq);
    Q_INVOKABLE void cancelReply();
    /*! \brief Sends \a text in the open room as the answer to replyTo (or as a plain
     * message without one), through the outbox; the reply bar closes. */
    Q_INVOKABLE void send(const QString &text);

    /*! \brief Starts editing the own message at \a seq; false if it cannot be edited. */
    Q_INVOKABLE bool startEdit(qint64 seq);
    /*! \brief Up in an empty composer: edits the newest own message held. */
    Q_INVOKABLE bool editLast();
    Q_INVOKABLE void cancelEdit();
    /*! \brief Saves the edit in progress with \a text (unchanged text: nothing is sent). */
    Q_INVOKABLE void submitEdit(const QString &text);

    /*! \brief Deletes the own message at \a seq (QML asks for confirmation first). */
    Q_INVOKABLE void redact(qint64 seq);
    /*! \brief Adds the reaction \a key, or takes it back if the user has it already. */
    Q_INVOKABLE void toggleReaction(qint64 seq, const QString &key);
    Q_INVOKABLE void copyText(qint64 seq);
    Q_INVOKABLE void copyLink(qint64 seq);
    /*! \brief `confab://<host:port>/room/<room>/<seq>` for the signed-in server. */
    Q_INVOKABLE QString linkFor(qint64 room, qint64 seq) const;
    /*! \brief Opens a link made by linkFor(); false (and actionFailed) if it is not one
     * of this server's. */
    Q_INVOKABLE bool openLink(const QString &link);
    /*! \brief Opens \a room with the message \a seq on screen, loading it (with
     * `context`) if it is not held, and highlights it for a moment. */
    Q_INVOKABLE void jumpTo(qint64 room, qint64 seq);
    /*! \brief Cancels the own message \a txn whose files are still uploading: the uploads
     * are abandoned and the message leaves the timeline. Nothing once they are up. */
    Q_INVOKABLE void cancelUpload(const QString &txn);
    /*! \brief The sender cancelUpload() goes through (set by the Session). */
    void setSender(MessageSender *sender) { m_sender = sender; }

Q_SIGNALS:
    void availableChanged();
    void replyChanged();
    void editingChanged();
    void highlightChanged();
    void jumpingChanged();
    void actionFailed(const QString &message);
    /*! \brief The message is held now: the view shows it (the open room's timeline). */
    void jumpReady(qint64 seq);

private:
    TimelineModel *openTimeline() const;
    void change(const protocol::OutgoingRequest &request);
    void failWith(const Reply &reply);
    void land(qint64 room, qint64 seq);
    void fillGap(qint64 room, qint64 seq, QList<protocol::RoomEvent> events, bool hasMoreBefore,
        qint64 upTo);
    void setJumping(bool jumping);

    Connection *m_connection;
    ConnectionState *m_connectionState;
    RoomState *m_state;
    RoomListModel *m_rooms;
    CurrentRoom *m_currentRoom;
    Account *m_account;
    MessageSender *m_sender = nullptr;
    qint64 m_replyTo = 0;
    QString m_replySender;
    QString m_replyText;
    qint64 m_editing = 0;
    QString m_editText;
    qint64 m_highlightSeq = 0;
    bool m_jumping = false;
    quint64 m_jumpGeneration = 0; //!< a later jump (or room) makes an earlier one moot
    QTimer m_highlight;
};

} // namespace confab::client
