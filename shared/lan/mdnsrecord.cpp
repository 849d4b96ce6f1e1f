// SPDX-License-Identifier: GPL-3.0-or-later
#include "lan/mdnsrecord.h"

#include "lan/beaconpacket.h"
#include "lan/fingerprint.h"

#include <QStringDecoder>

using namespace Qt::StringLiterals;

namespace confab::lan {

namespace {

bool isValid(const MdnsRecord &record)
{
    return record.version >= 1 && record.version <= 0xffff && isServerId(record.id)
        && isServerName(record.name)
        && (record.fingerprint.isEmpty() || isFingerprint(record.fingerprint));
}

std::optional<int> versionFrom(const QByteArray &digits)
{
    // "01", "+1", " 1" and "1.0" are not versions: one spelling per number.
    if (digits.isEmpty() || digits.size() > 5 || digits.front() == '0')
        return std::nullopt;
    int value = 0;
    for (const char c : digits) {
        if (c < '0' || c > '9')
            return std::nullopt;
        value = value * 10 + (c - '0');
    }
    if (value > 0xffff)
        return std::nullopt;
    return value;
}

std::optional<QString> strictUtf8(const QByteArray &bytes)
{
    // QString::fromUtf8 would turn malformed bytes into U+FFFD and carry on.
    QStringDecoder decoder(QStringDecoder::Utf8, QStringDecoder::Flag::Stateless);
    QString text = decoder(bytes);
    if (decoder.hasError())
        return std::nullopt;
    return text;
}

} // namespace

QList<QByteArray> encodeMdnsTxt(const MdnsRecord &record)
{
    if (!isValid(record))
        return {};
    QList<QByteArray> strings;
    if (!record.fingerprint.isEmpty())
        strings << QByteArray("fp=") + record.fingerprint.toLatin1();
    strings << QByteArray("id=") + record.id.toLatin1();
    strings << QByteArray("name=") + record.name.toUtf8();
    strings << QByteArray("v=") + QByteArray::number(record.version);
    return strings;
}

std::optional<MdnsRecord> decodeMdnsTxt(const QList<QByteArray> &strings)
{
    if (strings.size() > mdns::MaxStrings)
        return std::nullopt;
    qsizetype total = 0;
    std::optional<QByteArray> id, version, name, fp;
    for (const QByteArray &string : strings) {
        // Each string costs its length byte too, as on the wire.
        total += string.size() + 1;
        if (string.size() > mdns::MaxStringBytes || total > mdns::MaxRecordBytes)
            return std::nullopt;
        const qsizetype eq = string.indexOf('=');
        const QByteArray key = (eq < 0 ? string : string.left(eq)).toLower();
        // RFC 6763 §6.4: empty strings and those without a key are ignored.
        if (key.isEmpty())
            continue;
        std::optional<QByteArray> *slot = key == "id" ? &id
            : key == "v"                              ? &version
            : key == "name"                           ? &name
            : key == "fp"                             ? &fp
                                                      : nullptr;
        if (!slot || slot->has_value())
            continue;
        // A known key with no value ("id", "id=") says nothing it must say.
        if (eq < 0 || eq == string.size() - 1)
            return std::nullopt;
        *slot = string.mid(eq + 1);
    }
    if (!id || !version || !name)
        return std::nullopt;
    const std::optional<int> v = versionFrom(*version);
    const std::optional<QString> text = strictUtf8(*name);
    if (!v || !text)
        return std::nullopt;
    MdnsRecord record;
    record.version = *v;
    // Latin-1 maps every byte to one character, so a non-ASCII byte cannot slip through
    // the ASCII-only checks below.
    record.id = QString::fromLatin1(*id);
    record.name = *text;
    record.fingerprint = fp ? QString::fromLatin1(*fp) : QString();
    if (!isValid(record))
        return std::nullopt;
    return record;
}

QByteArray mdnsInstanceName(const QString &name)
{
    QByteArray utf8 = name.toUtf8();
    if (utf8.size() <= mdns::MaxInstanceBytes)
        return utf8;
    qsizetype cut = mdns::MaxInstanceBytes;
    // Back over continuation bytes (10xxxxxx) to the start of the character cut in two.
    while (cut > 0 && (quint8(utf8.at(cut)) & 0xc0) == 0x80)
        --cut;
    utf8.truncate(cut);
    return utf8;
}

} // namespace confab::lan
