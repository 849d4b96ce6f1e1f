// SPDX-License-Identifier: GPL-3.0-or-later
#include "protocol/requestbuilder.h"

#include <QJsonArray>
#include <QJsonDocument>

using namespace Qt::StringLiterals;

namespace confab::protocol {

QByteArray OutgoingRequest::encode(const QJsonValue &id) const
{
    QJsonObject o = fields;
    o.insert("id"_L1, id);
    o.insert("type"_L1, requestTypeName(type));
    return QJsonDocument(o).toJson(QJsonDocument::Compact);
}

namespace requests {

OutgoingRequest registerAccount(
    const QString &username, const QString &password, const QString &invite, const QString &device)
{
    QJsonObject f {{"username"_L1, username}, {"password"_L1, password}};
    if (!invite.isEmpty())
        f.insert("invite"_L1, invite);
    if (!device.isEmpty())
        f.insert("device"_L1, device);
    return {RequestType::Register, f};
}

OutgoingRequest login(const QString &username, const QString &password, const QString &device)
{
    QJsonObject f {{"username"_L1, username}, {"password"_L1, password}};
    if (!device.isEmpty())
        f.insert("device"_L1, device);
    return {RequestType::Login, f};
}

OutgoingRequest authenticate(const QString &token)
{
    return {RequestType::Authenticate, {{"token"_L1, token}}};
}

OutgoingRequest logout()
{
    return {RequestType::Logout, {}};
}
OutgoingRequest logoutAll()
{
    return {RequestType::LogoutAll, {}};
}
OutgoingRequest listRooms()
{
    return {RequestType::ListRooms, {}};
}

OutgoingRequest createRoom(const QString &name, const QString &topic, bool isPrivate)
{
    QJsonObject f {{"name"_L1, name}};
    if (!topic.isEmpty())
        f.insert("topic"_L1, topic);
    if (isPrivate)
        f.insert("private"_L1, true);
    return {RequestType::CreateRoom, f};
}

OutgoingRequest join(qint64 room)
{
    return {RequestType::Join, {{"room"_L1, double(room)}}};
}
OutgoingRequest leave(qint64 room)
{
    return {RequestType::Leave, {{"room"_L1, double(room)}}};
}

OutgoingRequest setTopic(qint64 room, const QString &topic)
{
    return {RequestType::SetTopic, {{"room"_L1, double(room)}, {"topic"_L1, topic}}};
}

OutgoingRequest openDirect(const QString &user)
{
    return {RequestType::OpenDirect, {{"user"_L1, user}}};
}

OutgoingRequest send(qint64 room, const QString &txn, const QString &text, qint64 replyTo,
    const QList<qint64> &attachments)
{
    OutgoingRequest r {RequestType::Send, {{"room"_L1, double(room)}, {"txn"_L1, txn}}};
    // A message of files alone leaves the text out: "" is not a valid Text.
    if (!text.isEmpty() || attachments.isEmpty())
        r.fields.insert("text"_L1, text);
    if (replyTo > 0)
        r.fields.insert("replyTo"_L1, double(replyTo));
    if (!attachments.isEmpty()) {
        QJsonArray ids;
        for (qint64 id : attachments)
            ids.append(double(id));
        r.fields.insert("attachments"_L1, ids);
    }
    return r;
}

OutgoingRequest uploadBegin(const QString &name, qint64 size, const QString &sha256)
{
    OutgoingRequest r {RequestType::UploadBegin, {{"name"_L1, name}, {"size"_L1, double(size)}}};
    if (!sha256.isEmpty())
        r.fields.insert("sha256"_L1, sha256);
    return r;
}

OutgoingRequest uploadStatus(qint64 upload)
{
    return {RequestType::UploadStatus, {{"upload"_L1, double(upload)}}};
}

OutgoingRequest uploadFinish(qint64 upload)
{
    return {RequestType::UploadFinish, {{"upload"_L1, double(upload)}}};
}

OutgoingRequest uploadCancel(qint64 upload)
{
    return {RequestType::UploadCancel, {{"upload"_L1, double(upload)}}};
}

OutgoingRequest download(qint64 file, qint64 offset, qint64 length, bool thumbnail)
{
    OutgoingRequest r {RequestType::Download, {{"file"_L1, double(file)}}};
    if (offset > 0)
        r.fields.insert("offset"_L1, double(offset));
    if (length > 0)
        r.fields.insert("length"_L1, double(length));
    if (thumbnail)
        r.fields.insert("thumbnail"_L1, true);
    return r;
}

OutgoingRequest edit(qint64 room, qint64 target, const QString &text)
{
    return {RequestType::Edit,
        {{"room"_L1, double(room)}, {"target"_L1, double(target)}, {"text"_L1, text}}};
}

OutgoingRequest redact(qint64 room, qint64 target)
{
    return {RequestType::Redact, {{"room"_L1, double(room)}, {"target"_L1, double(target)}}};
}

OutgoingRequest react(qint64 room, qint64 target, const QString &key)
{
    return {RequestType::React,
        {{"room"_L1, double(room)}, {"target"_L1, double(target)}, {"key"_L1, key}}};
}

OutgoingRequest unreact(qint64 room, qint64 target, const QString &key)
{
    return {RequestType::Unreact,
        {{"room"_L1, double(room)}, {"target"_L1, double(target)}, {"key"_L1, key}}};
}

OutgoingRequest search(const SearchFilter &filter, int limit, int offset)
{
    OutgoingRequest r {RequestType::Search, {{"query"_L1, filter.query}, {"limit"_L1, limit}}};
    if (offset > 0)
        r.fields.insert("offset"_L1, offset);
    if (filter.room > 0)
        r.fields.insert("room"_L1, double(filter.room));
    if (!filter.sender.isEmpty())
        r.fields.insert("sender"_L1, filter.sender);
    if (filter.after > 0)
        r.fields.insert("after"_L1, double(filter.after));
    if (filter.before > 0)
        r.fields.insert("before"_L1, double(filter.before));
    return r;
}

OutgoingRequest context(qint64 room, qint64 seq, int limit)
{
    return {RequestType::Context,
        {{"room"_L1, double(room)}, {"seq"_L1, double(seq)}, {"limit"_L1, limit}}};
}

OutgoingRequest historyBefore(qint64 room, qint64 beforeSeq, int limit)
{
    return {RequestType::History,
        {{"room"_L1, double(room)}, {"before"_L1, double(beforeSeq)}, {"limit"_L1, limit}}};
}

OutgoingRequest historyAfter(qint64 room, qint64 afterSeq, int limit)
{
    return {RequestType::History,
        {{"room"_L1, double(room)}, {"after"_L1, double(afterSeq)}, {"limit"_L1, limit}}};
}

OutgoingRequest sync(const QHash<qint64, qint64> &lastSeenSeqByRoom)
{
    QJsonObject cursors;
    for (auto it = lastSeenSeqByRoom.cbegin(); it != lastSeenSeqByRoom.cend(); ++it)
        cursors.insert(QString::number(it.key()), double(it.value()));
    return {RequestType::Sync, {{"rooms"_L1, cursors}}};
}

OutgoingRequest markRead(qint64 room, qint64 seq)
{
    return {RequestType::MarkRead, {{"room"_L1, double(room)}, {"seq"_L1, double(seq)}}};
}

OutgoingRequest typing(qint64 room, bool isTyping)
{
    return {RequestType::Typing, {{"room"_L1, double(room)}, {"typing"_L1, isTyping}}};
}

OutgoingRequest members(qint64 room)
{
    return {RequestType::Members, {{"room"_L1, double(room)}}};
}
OutgoingRequest ping()
{
    return {RequestType::Ping, {}};
}

} // namespace requests
} // namespace confab::protocol
