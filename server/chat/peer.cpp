// SPDX-License-Identifier: GPL-3.0-or-later
#include "chat/peer.h"

#include "net/wireframe.h"
#include "protocol/fileframe.h"
#include "protocol/requestcodec.h"
#include "protocol/serverframe.h"

#include <algorithm>

namespace confab::server {

Peer::Peer(QObject *parent)
    : QObject(parent)
{ }

Peer::~Peer() = default;

void Peer::send(QByteArrayView utf8)
{
    send(WireFrame::text(utf8));
}

void Peer::reply(const QJsonValue &id, const QJsonObject &data)
{
    send(protocol::frames::result(id, data));
}

void Peer::fail(const QJsonValue &id, protocol::ErrorCode code, const QString &message,
    const QJsonObject &details)
{
    send(protocol::frames::error(id, code, message, details));
}

void Peer::setSession(qint64 userId, const QString &userName, const QByteArray &tokenHash)
{
    m_userId = userId;
    m_userName = userName;
    m_tokenHash = tokenHash;
}

void Peer::sendFileData(qint64 stream, qint64 offset, QByteArrayView data)
{
    const QByteArray head = protocol::encodeFileFrameHeader(
        protocol::FileFrameKind::DownloadData, quint64(stream), quint64(offset));
    send(WireFrame::binary(head, data));
}

std::optional<protocol::Request> Peer::decode(
    const QByteArray &utf8, const protocol::Limits &limits)
{
    auto decoded = protocol::decodeRequest(utf8, limits);
    if (auto *error = std::get_if<protocol::RequestError>(&decoded)) {
        refuse(*error);
        return std::nullopt;
    }
    return std::get<protocol::Request>(std::move(decoded));
}

void Peer::refuse(const protocol::RequestError &error)
{
    QJsonObject details;
    if (!error.field.isEmpty())
        details = protocol::frames::offendingField(error.field);
    fail(error.id, error.code, error.message, details);
}

void Peer::failNotFileFrame()
{
    fail(QJsonValue::Null, protocol::ErrorCode::BadFrame, QStringLiteral("not a file frame"));
}

void Peer::handOnChunk(quint64 upload, quint64 offset, QByteArrayView data)
{
    if (!isAuthenticated()) {
        fail(QJsonValue::Null, protocol::ErrorCode::Unauthenticated,
            QStringLiteral("sign in first"));
        return;
    }
    // Ids and offsets past 2^63 name no upload and no position; the receiver refuses them.
    const auto clamp = [](quint64 v) { return qint64(std::min<quint64>(v, quint64(INT64_MAX))); };
    Q_EMIT chunkReceived(this, clamp(upload), clamp(offset), data.toByteArray());
}

} // namespace confab::server
