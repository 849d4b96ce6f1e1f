// SPDX-License-Identifier: GPL-3.0-or-later
#include "lan/beaconpacket.h"

#include "lan/fingerprint.h"
#include "protocol/protocolversion.h"

#include <QJsonDocument>
#include <QJsonObject>
#include <QUuid>
#include <cmath>
#include <limits>

using namespace Qt::StringLiterals;

namespace confab::lan {

namespace {

const auto KindKey = "confab"_L1;

QString kindName(BeaconPacket::Kind kind)
{
    switch (kind) {
    case BeaconPacket::Kind::Announce:
        return u"announce"_s;
    case BeaconPacket::Kind::Query:
        return u"query"_s;
    case BeaconPacket::Kind::Bye:
        return u"bye"_s;
    }
    return {};
}

std::optional<BeaconPacket::Kind> kindFromName(const QString &name)
{
    for (const auto kind :
        {BeaconPacket::Kind::Announce, BeaconPacket::Kind::Query, BeaconPacket::Kind::Bye}) {
        if (name == kindName(kind))
            return kind;
    }
    return std::nullopt;
}

// A JSON number that is a whole number in [min, max]; anything else (1.5, 1e300, "1") is
// not. Checked as a double first: casting an out-of-range double to int is undefined.
std::optional<int> integerIn(const QJsonValue &value, int min, int max)
{
    if (!value.isDouble())
        return std::nullopt;
    const double d = value.toDouble();
    if (!std::isfinite(d) || d != std::trunc(d) || d < min || d > max)
        return std::nullopt;
    return int(d);
}

bool isValid(const BeaconPacket &packet)
{
    if (packet.version < 1)
        return false;
    switch (packet.kind) {
    case BeaconPacket::Kind::Query:
        return true;
    case BeaconPacket::Kind::Bye:
        return isServerId(packet.id);
    case BeaconPacket::Kind::Announce:
        return isServerId(packet.id) && isServerName(packet.name) && packet.port != 0
            && packet.usersOnline >= 0
            && (packet.tls ? isFingerprint(packet.fingerprint) : packet.fingerprint.isEmpty());
    }
    return false;
}

} // namespace

BeaconPacket BeaconPacket::announce(const QString &id, const QString &name, quint16 port,
    const QString &fingerprint, int usersOnline)
{
    BeaconPacket packet;
    packet.kind = Kind::Announce;
    packet.version = protocol::Version;
    packet.id = id;
    packet.name = name;
    packet.port = port;
    packet.tls = !fingerprint.isEmpty();
    packet.fingerprint = fingerprint;
    packet.usersOnline = usersOnline;
    return packet;
}

BeaconPacket BeaconPacket::query()
{
    BeaconPacket packet;
    packet.kind = Kind::Query;
    packet.version = protocol::Version;
    return packet;
}

BeaconPacket BeaconPacket::bye(const QString &id)
{
    BeaconPacket packet;
    packet.kind = Kind::Bye;
    packet.version = protocol::Version;
    packet.id = id;
    return packet;
}

bool isServerName(const QString &name)
{
    // Shown in other people's lists: a line of text, not a layout trick.
    if (name.isEmpty() || name.size() > beacon::MaxNameLength)
        return false;
    for (const QChar c : name) {
        if (c.category() == QChar::Other_Control)
            return false;
    }
    return true;
}

bool isServerId(const QString &text)
{
    // One spelling only (lowercase, no braces): the id keys pins and list rows, so two
    // spellings of one server would be two servers.
    if (text.size() != 36)
        return false;
    const QUuid uuid = QUuid::fromString(text);
    return !uuid.isNull() && uuid.toString(QUuid::WithoutBraces) == text;
}

QByteArray encodeBeacon(const BeaconPacket &packet)
{
    if (!isValid(packet))
        return {};
    QJsonObject object {{KindKey, kindName(packet.kind)}, {u"v"_s, packet.version}};
    if (packet.kind != BeaconPacket::Kind::Query)
        object.insert(u"id"_s, packet.id);
    if (packet.kind == BeaconPacket::Kind::Announce) {
        object.insert(u"name"_s, packet.name);
        object.insert(u"port"_s, int(packet.port));
        object.insert(u"tls"_s, packet.tls);
        if (packet.tls)
            object.insert(u"fp"_s, packet.fingerprint);
        object.insert(u"users"_s, packet.usersOnline);
    }
    QByteArray datagram = QJsonDocument(object).toJson(QJsonDocument::Compact);
    return datagram.size() <= beacon::MaxDatagram ? datagram : QByteArray();
}

std::optional<BeaconPacket> decodeBeacon(const QByteArray &datagram)
{
    // Before parsing: a flood of large datagrams must cost no more than a length check.
    if (datagram.isEmpty() || datagram.size() > beacon::MaxDatagram)
        return std::nullopt;
    QJsonParseError error {};
    const QJsonDocument document = QJsonDocument::fromJson(datagram, &error);
    if (error.error != QJsonParseError::NoError || !document.isObject())
        return std::nullopt;
    const QJsonObject object = document.object();

    BeaconPacket packet;
    const QJsonValue kind = object.value(KindKey);
    const std::optional<BeaconPacket::Kind> known = kindFromName(kind.toString());
    const std::optional<int> version = integerIn(object.value("v"_L1), 1, 0xffff);
    if (!kind.isString() || !known || !version)
        return std::nullopt;
    packet.kind = *known;
    packet.version = *version;

    if (packet.kind != BeaconPacket::Kind::Query) {
        const QJsonValue id = object.value("id"_L1);
        if (!id.isString())
            return std::nullopt;
        packet.id = id.toString();
    }
    if (packet.kind == BeaconPacket::Kind::Announce) {
        const QJsonValue name = object.value("name"_L1);
        const QJsonValue tls = object.value("tls"_L1);
        const QJsonValue fp = object.value("fp"_L1);
        const std::optional<int> port = integerIn(object.value("port"_L1), 1, 0xffff);
        const std::optional<int> users
            = integerIn(object.value("users"_L1), 0, std::numeric_limits<int>::max());
        // "fp" only with "tls": a fingerprint beside ws:// would promise a check that
        // nothing makes.
        if (!name.isString() || !tls.isBool() || !port || !users
            || !(tls.toBool() ? fp.isString() : fp.isUndefined()))
            return std::nullopt;
        packet.name = name.toString();
        packet.port = quint16(*port);
        packet.tls = tls.toBool();
        packet.fingerprint = fp.toString();
        packet.usersOnline = *users;
    }
    if (!isValid(packet))
        return std::nullopt;
    return packet;
}

} // namespace confab::lan
