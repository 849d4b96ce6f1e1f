// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "protocol/requesttype.h"

#include <QByteArray>
#include <QHash>
#include <QJsonObject>
#include <QJsonValue>
#include <QList>

namespace confab::protocol {

/*!
 * \brief A request a client is about to send: its type and its fields.
 */
struct OutgoingRequest
{
    RequestType type = RequestType::Ping;
    QJsonObject fields;

    /*! \brief The frame's UTF-8 JSON text with \a id attached. */
    QByteArray encode(const QJsonValue &id) const;
};

/*!
 * \brief Typed constructors for every request, so clients never assemble JSON by hand.
 */
namespace requests {
/*! \brief \a device names the new session in `sessions` (§18.1); empty: none. */
OutgoingRequest registerAccount(const QString &username, const QString &password,
    const QString &invite = {}, const QString &device = {});
OutgoingRequest login(const QString &username, const QString &password, const QString &device = {});
OutgoingRequest authenticate(const QString &token);
OutgoingRequest logout();
OutgoingRequest logoutAll();
OutgoingRequest listRooms();
OutgoingRequest createRoom(const QString &name, const QString &topic = {}, bool isPrivate = false);
OutgoingRequest join(qint64 room);
OutgoingRequest leave(qint64 room);
OutgoingRequest setTopic(qint64 room, const QString &topic);
OutgoingRequest openDirect(const QString &user);
OutgoingRequest send(qint64 room, const QString &txn, const QString &text, qint64 replyTo = 0,
    const QList<qint64> &attachments = {});
OutgoingRequest edit(qint64 room, qint64 target, const QString &text);
OutgoingRequest redact(qint64 room, qint64 target);
OutgoingRequest react(qint64 room, qint64 target, const QString &key);
OutgoingRequest unreact(qint64 room, qint64 target, const QString &key);
/*! \brief What a search looks for; 0 and empty members do not filter. */
struct SearchFilter
{
    QString query;
    qint64 room = 0;
    QString sender;
    qint64 after = 0; //!< ms since the epoch, exclusive
    qint64 before = 0; //!< ms since the epoch, exclusive
};
OutgoingRequest search(const SearchFilter &filter, int limit, int offset = 0);
OutgoingRequest context(qint64 room, qint64 seq, int limit);
OutgoingRequest historyBefore(qint64 room, qint64 beforeSeq, int limit);
OutgoingRequest historyAfter(qint64 room, qint64 afterSeq, int limit);
OutgoingRequest sync(const QHash<qint64, qint64> &lastSeenSeqByRoom);
OutgoingRequest markRead(qint64 room, qint64 seq);
OutgoingRequest typing(qint64 room, bool typing);
OutgoingRequest members(qint64 room);
OutgoingRequest ping();
/*! \brief \a sha256: 64 lowercase hex digits, or empty to leave the check out. */
OutgoingRequest uploadBegin(const QString &name, qint64 size, const QString &sha256 = {});
OutgoingRequest uploadStatus(qint64 upload);
OutgoingRequest uploadFinish(qint64 upload);
OutgoingRequest uploadCancel(qint64 upload);
/*! \brief \a length 0: the rest, capped at the server's downloadWindowBytes. */
OutgoingRequest download(qint64 file, qint64 offset = 0, qint64 length = 0, bool thumbnail = false);
} // namespace requests

} // namespace confab::protocol
