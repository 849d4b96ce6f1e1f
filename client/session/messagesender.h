// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QObject>
#include <QString>

namespace confab::client {

class Outbox;
class RoomState;

/*!
 * \brief From the composer to the outbox: cleans and checks the text, queues it and keeps
 * the room's timeline showing each message as sending, sent or failed.
 */
class MessageSender : public QObject
{
    Q_OBJECT

public:
    MessageSender(Outbox *outbox, RoomState *state, QObject *parent = nullptr);

    /*! \brief Queues \a input for \a room; false if nothing was queued (empty text, too
     * long, or the cache refused it; the last two are reported by actionFailed). */
    bool send(qint64 room, const QString &input, int maxTextBytes);
    /*! \brief A failed message goes out again under a new txn. */
    void retry(const QString &txn);
    void discard(const QString &txn);

Q_SIGNALS:
    void actionFailed(const QString &message);

private:
    Outbox *m_outbox;
    RoomState *m_state;
};

} // namespace confab::client
