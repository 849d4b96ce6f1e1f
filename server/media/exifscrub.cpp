// SPDX-License-Identifier: GPL-3.0-or-later
#include "media/exifscrub.h"

#include "core/logging.h"

#include <QFile>
#include <QHash>
#include <QRegularExpression>
#include <algorithm>
#include <array>
#include <cstring>

#ifdef Q_OS_UNIX
#include <unistd.h>
#endif

using namespace Qt::StringLiterals;

namespace confab::server {

namespace {

constexpr quint16 kGpsInfoTag = 0x8825;
constexpr int kIfdEntryBytes = 12;
constexpr int kExifHeaderBytes = 6; // "Exif\0\0"
// A JPEG's metadata segments come first; a file with more before its image data is odd
// enough to leave alone.
constexpr int kMaxSegments = 256;

// Reads the TIFF structure inside an EXIF payload with its byte order, bounds-checked.
class TiffView
{
public:
    explicit TiffView(QByteArray &tiff)
        : m_tiff(tiff)
    { }

    bool readHeader()
    {
        if (m_tiff.size() < 8)
            return false;
        if (m_tiff.startsWith("II"))
            m_littleEndian = true;
        else if (m_tiff.startsWith("MM"))
            m_littleEndian = false;
        else
            return false;
        return u16(2) == 42;
    }

    [[nodiscard]] bool contains(qint64 offset, qint64 length) const
    {
        return offset >= 0 && length >= 0 && offset + length <= m_tiff.size();
    }

    [[nodiscard]] quint32 u16(qint64 offset) const
    {
        if (!contains(offset, 2))
            return 0;
        const auto *p = reinterpret_cast<const uchar *>(m_tiff.constData()) + offset;
        return m_littleEndian ? quint32(p[0] | (p[1] << 8)) : quint32((p[0] << 8) | p[1]);
    }

    [[nodiscard]] quint32 u32(qint64 offset) const
    {
        if (!contains(offset, 4))
            return 0;
        return m_littleEndian ? (u16(offset) | (u16(offset + 2) << 16))
                              : ((u16(offset) << 16) | u16(offset + 2));
    }

    void zero(qint64 offset, qint64 length)
    {
        if (contains(offset, length))
            std::memset(m_tiff.data() + offset, 0, size_t(length));
    }

    void writeU16(qint64 offset, quint16 value)
    {
        if (!contains(offset, 2))
            return;
        auto *p = reinterpret_cast<uchar *>(m_tiff.data()) + offset;
        p[m_littleEndian ? 0 : 1] = uchar(value & 0xff);
        p[m_littleEndian ? 1 : 0] = uchar(value >> 8);
    }

private:
    QByteArray &m_tiff;
    bool m_littleEndian = true;
};

// Bytes per value of each TIFF field type (1 BYTE … 12 DOUBLE); 0 for unknown types.
qint64 typeSize(quint32 type)
{
    static constexpr std::array<qint64, 13> sizes {0, 1, 1, 2, 4, 8, 1, 1, 2, 4, 8, 4, 8};
    return type < sizes.size() ? sizes[type] : 0;
}

// Finds the GPS IFD's offset in IFD0, or 0.
quint32 gpsIfdOffset(const TiffView &tiff)
{
    const quint32 ifd0 = tiff.u32(4);
    const quint32 count = tiff.u16(ifd0);
    if (!tiff.contains(qint64(ifd0) + 2, qint64(count) * kIfdEntryBytes))
        return 0;
    for (quint32 i = 0; i < count; ++i) {
        const qint64 entry = qint64(ifd0) + 2 + qint64(i) * kIfdEntryBytes;
        if (tiff.u16(entry) == kGpsInfoTag)
            return tiff.u32(entry + 8);
    }
    return 0;
}

bool scrubTiffGps(QByteArray &tiffBytes)
{
    TiffView tiff(tiffBytes);
    if (!tiff.readHeader())
        return false;
    const quint32 gps = gpsIfdOffset(tiff);
    if (gps == 0)
        return false;
    const quint32 count = tiff.u16(gps);
    if (count == 0 || !tiff.contains(qint64(gps) + 2, qint64(count) * kIfdEntryBytes))
        return false;
    for (quint32 i = 0; i < count; ++i) {
        const qint64 entry = qint64(gps) + 2 + qint64(i) * kIfdEntryBytes;
        const qint64 length = typeSize(tiff.u16(entry + 2)) * qint64(tiff.u32(entry + 4));
        // Values of four bytes or fewer sit in the entry itself, erased with it below.
        if (length > 4)
            tiff.zero(tiff.u32(entry + 8), length);
    }
    // An IFD with no entries and no next IFD: readers see an empty GPS directory.
    tiff.zero(qint64(gps) + 2, qint64(count) * kIfdEntryBytes + 4);
    tiff.writeU16(gps, 0);
    return true;
}

quint16 bigEndian16(const char *p)
{
    return quint16((uchar(p[0]) << 8) | uchar(p[1]));
}

// XMP packets in APP1 segments: the main one and the continuation of an extended one.
bool isXmp(const QByteArray &payload)
{
    return payload.startsWith(QByteArrayLiteral("http://ns.adobe.com/xap/1.0/\0"))
        || payload.startsWith(QByteArrayLiteral("http://ns.adobe.com/xmp/extension/\0"));
}

// Overwrites [from, to) with spaces: XML stays well formed and the length stays the same.
void blank(QByteArray &bytes, qsizetype from, qsizetype to)
{
    for (qsizetype i = from; i < to && i < bytes.size(); ++i)
        bytes[i] = ' ';
}

} // namespace

bool scrubXmpGps(QByteArray &xmpPayload)
{
    if (!isXmp(xmpPayload))
        return false;
    // Latin-1 maps each byte to one character, so match positions are byte offsets.
    const QString text = QString::fromLatin1(xmpPayload);
    // Every step below is linear in the payload: a hostile packet of thousands of openers
    // without their end (a lazy "(.*?)</x>" rescans to the end for each) must not keep a
    // finish worker busy for minutes.
    bool erased = false;
    const auto blankSpan = [&](qsizetype from, qsizetype to) {
        if (to > from) {
            blank(xmpPayload, from, to);
            erased = true;
        }
    };
    // exif:GPSLatitude="…" (and any other prefix's GPS… property) as an attribute: its value
    // runs to the next quote of the same kind.
    static const QRegularExpression attribute(uR"re(\b[A-Za-z][\w.-]*:GPS\w*\s*=\s*(["']))re"_s);
    bool unclosed[2] = {false, false}; // a quote kind with no closing one left: skip it
    for (auto matches = attribute.globalMatch(text); matches.hasNext();) {
        const QRegularExpressionMatch m = matches.next();
        const QString quote = m.captured(1);
        bool &none = unclosed[quote == u"'"_s ? 1 : 0];
        if (none)
            continue;
        const qsizetype start = m.capturedEnd(1);
        const qsizetype end = text.indexOf(quote, start);
        if (end < 0)
            none = true;
        else
            blankSpan(start, end);
    }
    // …or as an element, whose content (text or nested rdf:Seq) becomes whitespace up to the
    // first end tag of the same name: the end tags are found once, in one pass.
    static const QRegularExpression opener(
        uR"re(<([A-Za-z][\w.-]*:GPS\w*)(?:\s[^>]{0,1024})?(?<!/)>)re"_s);
    static const QRegularExpression closer(uR"re(</([A-Za-z][\w.-]*:GPS\w*)\s*>)re"_s);
    QHash<QString, QList<qsizetype>> ends;
    for (auto matches = closer.globalMatch(text); matches.hasNext();) {
        const QRegularExpressionMatch m = matches.next();
        ends[m.captured(1)].append(m.capturedStart());
    }
    for (auto matches = opener.globalMatch(text); matches.hasNext();) {
        const QRegularExpressionMatch m = matches.next();
        const auto found = ends.constFind(m.captured(1));
        if (found == ends.cend())
            continue;
        const auto end = std::lower_bound(found->cbegin(), found->cend(), m.capturedEnd());
        if (end != found->cend())
            blankSpan(m.capturedEnd(), *end);
    }
    return erased;
}

bool scrubExifGps(QByteArray &exifPayload)
{
    if (!exifPayload.startsWith(QByteArrayLiteral("Exif\0\0")))
        return false;
    QByteArray tiff = exifPayload.mid(kExifHeaderBytes);
    if (!scrubTiffGps(tiff))
        return false;
    exifPayload.replace(kExifHeaderBytes, tiff.size(), tiff);
    return true;
}

bool scrubJpegGps(const QString &path)
{
    QFile file(path);
    if (!file.open(QIODevice::ReadWrite))
        return false;
    char soi[2];
    if (file.read(soi, 2) != 2 || uchar(soi[0]) != 0xff || uchar(soi[1]) != 0xd8)
        return false;

    bool erased = false;
    for (int segment = 0; segment < kMaxSegments; ++segment) {
        char header[4];
        if (file.read(header, 4) != 4 || uchar(header[0]) != 0xff)
            break;
        const auto marker = uchar(header[1]);
        // Start of scan, end of image: no metadata follows. Fill bytes and markers
        // without a length are not expected before the scan in files worth scrubbing.
        if (marker == 0xda || marker == 0xd9 || marker == 0xff
            || (marker >= 0xd0 && marker <= 0xd7))
            break;
        const quint16 length = bigEndian16(header + 2);
        if (length < 2)
            break;
        const qint64 payloadAt = file.pos();
        const qint64 payloadLength = length - 2;
        if (marker == 0xe1) {
            QByteArray payload = file.read(payloadLength);
            if (payload.size() != payloadLength)
                break;
            if (scrubExifGps(payload) || scrubXmpGps(payload)) {
                if (!file.seek(payloadAt) || file.write(payload) != payloadLength) {
                    qCWarning(lcMedia)
                        << "cannot write the scrubbed metadata of" << path << file.errorString();
                    return false;
                }
                erased = true;
            }
        }
        if (!file.seek(payloadAt + payloadLength))
            break;
    }
    if (erased) {
        file.flush();
#ifdef Q_OS_UNIX
        ::fsync(file.handle());
#endif
        qCDebug(lcMedia) << "erased GPS data in" << path;
    }
    return erased;
}

} // namespace confab::server
