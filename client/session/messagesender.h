// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QObject>
#include <QString>
#include <QtQml/qqmlregistration.h>

class QQmlEngine;
class QJSEngine;

namespace confab::client {

class Outbox;
class PendingAttachments;
class RoomState;

/*!
 * \brief From the composer to the outbox: cleans and checks the text, queues it and keeps
 * the room's timeline showing each message as sending, sent or failed.
 *
 * QML: the composer counts against maxTextBytes, a failed message's row offers retry()
 * and discard(); CurrentRoom.sendMessage() sends in the open room.
 */
class MessageSender : public QObject
{
    Q_OBJECT
    QML_ELEMENT
    QML_SINGLETON
    //! The server's limit (its hello), in UTF-8 bytes; kept while offline.
    Q_PROPERTY(int maxTextBytes READ maxTextBytes NOTIFY maxTextBytesChanged)

public:
    MessageSender(Outbox *outbox, RoomState *state, QObject *parent = nullptr);
    /*! \brief Where the open room's chosen files are: send() takes them along. */
    void setPendingAttachments(PendingAttachments *pending) { m_pending = pending; }

    /*! \brief QML's instance: the Session's (see Session::setInstance()). */
    static MessageSender *create(QQmlEngine *, QJSEngine *);

    int maxTextBytes() const { return m_maxTextBytes; }
    void setMaxTextBytes(int bytes);

    /*! \brief Queues \a input for \a room with the files chosen for it (PendingAttachments,
     * which is then empty); false if nothing was queued (signed out, no text and no files,
     * too long, or the cache refused it; the last two are reported by actionFailed). */
    bool send(qint64 room, const QString &input, qint64 replyTo = 0);
    /*! \brief A failed message goes out again under a new txn. */
    Q_INVOKABLE void retry(const QString &txn);
    Q_INVOKABLE void discard(const QString &txn);
    /*! \brief Drops an own message whose files are still uploading; false if it is not. */
    bool cancelUpload(const QString &txn);
    /*! \brief What \a text counts against maxTextBytes. */
    Q_INVOKABLE int utf8Length(const QString &text) const;

Q_SIGNALS:
    void maxTextBytesChanged();
    /*! \brief A message could not be queued: a translated sentence. */
    void actionFailed(const QString &message);

private:
    Outbox *m_outbox;
    RoomState *m_state;
    PendingAttachments *m_pending = nullptr;
    int m_maxTextBytes = 16384;
};

} // namespace confab::client
