// SPDX-License-Identifier: GPL-3.0-or-later
#include "protocol/hello.h"

#include "protocol/frameshapes.h"
#include "protocol/jsoninteger.h"
#include "protocol/moveaddress.h"
#include "protocol/protocolversion.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QUuid>
#include <array>
#include <span>

namespace confab::protocol {

namespace {

// One table for both directions, so an added limit cannot be encoded but not decoded.
struct LimitField
{
    const wire::Member &wire;
    int Limits::*member;
};
namespace limit = wire::hello_limits;
constexpr std::array LimitFields {
    LimitField {limit::MaxFrameBytes, &Limits::maxFrameBytes},
    LimitField {limit::MaxTextBytes, &Limits::maxTextBytes},
    LimitField {limit::HistoryPageMax, &Limits::historyPageMax},
    LimitField {limit::ResumeMax, &Limits::resumeMax},
    LimitField {limit::RatePerSecond, &Limits::ratePerSecond},
    LimitField {limit::RateBurst, &Limits::rateBurst},
    LimitField {limit::AuthTimeoutMs, &Limits::authTimeoutMs},
    LimitField {limit::TypingTtlMs, &Limits::typingTtlMs},
    LimitField {limit::HeartbeatIntervalMs, &Limits::heartbeatIntervalMs},
};
// The file limits (§16) can pass 2^31.
struct LargeLimitField
{
    const wire::Member &wire;
    qint64 Limits::*member;
};
constexpr std::array LargeLimitFields {
    LargeLimitField {limit::MaxFileBytes, &Limits::maxFileBytes},
    LargeLimitField {limit::DownloadWindowBytes, &Limits::downloadWindowBytes},
    LargeLimitField {limit::QuotaBytes, &Limits::quotaBytes},
};
constexpr std::array FileLimitFields {
    LimitField {limit::MaxChunkBytes, &Limits::maxChunkBytes},
    LimitField {limit::UploadsInFlight, &Limits::uploadsInFlight},
    LimitField {limit::ChunkRatePerSecond, &Limits::chunkRatePerSecond},
    LimitField {limit::UploadExpiryHours, &Limits::uploadExpiryHours},
};
static_assert(
    LimitFields.size() + LargeLimitFields.size() + FileLimitFields.size() == limit::All.size());

namespace w = wire::hello;

} // namespace

QByteArray Hello::encode() const
{
    QJsonObject l;
    for (const auto &f : LimitFields)
        l.insert(f.wire.name, limits.*f.member);
    if (has(features::Files)) {
        for (const auto &f : FileLimitFields)
            l.insert(f.wire.name, limits.*f.member);
        for (const auto &f : LargeLimitFields)
            l.insert(f.wire.name, double(limits.*f.member));
    }
    QJsonObject o {{w::Type.name, w::Type.constant}, {w::Protocol.name, Version},
        {w::Server.name, server}, {w::Registration.name, registration}, {w::LimitsObject.name, l},
        {w::Features.name, QJsonArray::fromStringList(features)}};
    for (const auto &[member, value] :
        {std::pair {&w::ServerId, &serverId}, std::pair {&w::Name, &name},
            std::pair {&w::Fingerprint, &fingerprint}, std::pair {&w::MovedTo, &movedTo}}) {
        if (!value->isEmpty())
            o.insert(member->name, *value);
    }
    return QJsonDocument(o).toJson(QJsonDocument::Compact);
}

std::optional<Hello> Hello::fromJson(const QJsonObject &frame)
{
    if (frame.value(w::Type.name).toString() != w::Type.constant)
        return std::nullopt;
    Hello h;
    h.protocol = frame.value(w::Protocol.name).toInt(-1);
    h.server = frame.value(w::Server.name).toString();
    h.registration = frame.value(w::Registration.name).toString();
    // Pins are keyed by it: anything but a UUID as §19.1 writes it counts as absent.
    h.serverId = frame.value(w::ServerId.name).toString();
    if (h.serverId.size() != 36
        || QUuid::fromString(h.serverId).toString(QUuid::WithoutBraces) != h.serverId)
        h.serverId.clear();
    h.name = frame.value(w::Name.name).toString();
    h.fingerprint = frame.value(w::Fingerprint.name).toString();
    if (const QUrl moved = moveAddress(frame.value(w::MovedTo.name).toString()); moved.isValid())
        h.movedTo = moved.toString();
    const QJsonObject l = frame.value(w::LimitsObject.name).toObject();
    for (const auto &fields :
        {std::span<const LimitField>(LimitFields), std::span<const LimitField>(FileLimitFields)}) {
        for (const auto &f : fields) {
            const QJsonValue v = l.value(f.wire.name);
            if (v.isDouble() && v.toDouble() >= 1 && v.toDouble() <= INT_MAX)
                h.limits.*f.member = int(v.toDouble());
        }
    }
    for (const auto &f : LargeLimitFields) {
        const auto v = jsonInteger(l.value(f.wire.name));
        if (v && *v >= f.wire.minimum)
            h.limits.*f.member = *v;
    }
    const QJsonArray features = frame.value(w::Features.name).toArray();
    for (const auto &v : features) {
        if (v.isString())
            h.features.append(v.toString());
    }
    return h;
}

} // namespace confab::protocol
