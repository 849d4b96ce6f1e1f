// SPDX-License-Identifier: GPL-3.0-or-later
#include "protocol/hello.h"

#include "protocol/protocolversion.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <array>

using namespace Qt::StringLiterals;

namespace confab::protocol {

namespace {

// One table for both directions, so an added limit cannot be encoded but not decoded.
struct LimitField
{
    QLatin1StringView name;
    int Limits::*member;
};
constexpr std::array LimitFields {
    LimitField {"maxFrameBytes"_L1, &Limits::maxFrameBytes},
    LimitField {"maxTextBytes"_L1, &Limits::maxTextBytes},
    LimitField {"historyPageMax"_L1, &Limits::historyPageMax},
    LimitField {"resumeMax"_L1, &Limits::resumeMax},
    LimitField {"ratePerSecond"_L1, &Limits::ratePerSecond},
    LimitField {"rateBurst"_L1, &Limits::rateBurst},
    LimitField {"authTimeoutMs"_L1, &Limits::authTimeoutMs},
    LimitField {"typingTtlMs"_L1, &Limits::typingTtlMs},
    LimitField {"heartbeatIntervalMs"_L1, &Limits::heartbeatIntervalMs},
};

} // namespace

QByteArray Hello::encode() const
{
    QJsonObject l;
    for (const auto &f : LimitFields)
        l.insert(f.name, limits.*f.member);
    const QJsonObject o {{"type"_L1, "hello"_L1}, {"protocol"_L1, Version}, {"server"_L1, server},
        {"registration"_L1, registration}, {"limits"_L1, l},
        {"features"_L1, QJsonArray::fromStringList(features)}};
    return QJsonDocument(o).toJson(QJsonDocument::Compact);
}

std::optional<Hello> Hello::fromJson(const QJsonObject &frame)
{
    if (frame.value("type"_L1).toString() != "hello"_L1)
        return std::nullopt;
    Hello h;
    h.protocol = frame.value("protocol"_L1).toInt(-1);
    h.server = frame.value("server"_L1).toString();
    h.registration = frame.value("registration"_L1).toString();
    const QJsonObject l = frame.value("limits"_L1).toObject();
    for (const auto &f : LimitFields) {
        const QJsonValue v = l.value(f.name);
        if (v.isDouble() && v.toDouble() >= 1 && v.toDouble() <= INT_MAX)
            h.limits.*f.member = int(v.toDouble());
    }
    const QJsonArray features = frame.value("features"_L1).toArray();
    for (const auto &v : features) {
        if (v.isString())
            h.features.append(v.toString());
    }
    return h;
}

} // namespace confab::protocol
