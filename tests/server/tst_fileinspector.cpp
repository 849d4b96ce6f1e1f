// SPDX-License-Identifier: GPL-3.0-or-later
// What the server learns from a finished upload's bytes (§16.5): the type from libmagic
// whatever the name says, thumbnails for PNG, JPEG, WebP and GIF only, decompression bombs
// and lying headers refused cleanly, and a JPEG's GPS location erased in place.
#include "media/exifscrub.h"
#include "media/fileinspector.h"

#include <QBuffer>
#include <QFile>
#include <QImage>
#include <QImageReader>
#include <QTemporaryDir>
#include <QXmlStreamReader>
#include <QtConcurrent>
#include <QtEndian>
#include <QtTest>
#include <zlib.h>

using confab::server::InspectedFile;
using confab::server::inspectFile;

namespace {

void appendBe32(QByteArray &out, quint32 value)
{
    char bytes[4];
    qToBigEndian(value, bytes);
    out.append(bytes, 4);
}

void appendLe16(QByteArray &out, quint16 value)
{
    char bytes[2];
    qToLittleEndian(value, bytes);
    out.append(bytes, 2);
}

void appendLe32(QByteArray &out, quint32 value)
{
    char bytes[4];
    qToLittleEndian(value, bytes);
    out.append(bytes, 4);
}

void appendPngChunk(QByteArray &out, const char *type, const QByteArray &data)
{
    appendBe32(out, quint32(data.size()));
    QByteArray typed(type, 4);
    typed += data;
    out += typed;
    appendBe32(out,
        quint32(crc32(0, reinterpret_cast<const Bytef *>(typed.constData()), uInt(typed.size()))));
}

// A PNG of zeros (every filter byte too) of any size, deflated as it is made: a
// 30000 × 30000 image is a few hundred kilobytes on disk.
QByteArray zeroPng(quint32 width, quint32 height, int bitDepth, int colourType, int bytesPerPixel)
{
    QByteArray header;
    appendBe32(header, width);
    appendBe32(header, height);
    header += char(bitDepth);
    header += char(colourType);
    header += QByteArray(3, '\0');

    z_stream zs {};
    deflateInit(&zs, Z_BEST_COMPRESSION);
    const qint64 rowBytes
        = 1 + (bitDepth < 8 ? (qint64(width) * bitDepth + 7) / 8 : qint64(width) * bytesPerPixel);
    qint64 left = rowBytes * height;
    const QByteArray zeros(1 << 20, '\0');
    QByteArray compressed;
    QByteArray out(1 << 16, '\0');
    while (true) {
        const qint64 take = qMin<qint64>(left, zeros.size());
        zs.next_in = reinterpret_cast<Bytef *>(const_cast<char *>(zeros.constData()));
        zs.avail_in = uInt(take);
        left -= take;
        const int flush = left == 0 ? Z_FINISH : Z_NO_FLUSH;
        int rc = Z_OK;
        do {
            zs.next_out = reinterpret_cast<Bytef *>(out.data());
            zs.avail_out = uInt(out.size());
            rc = deflate(&zs, flush);
            compressed.append(out.constData(), out.size() - qsizetype(zs.avail_out));
        } while (zs.avail_out == 0);
        if (rc == Z_STREAM_END)
            break;
    }
    deflateEnd(&zs);

    QByteArray png("\x89PNG\r\n\x1a\n", 8);
    appendPngChunk(png, "IHDR", header);
    appendPngChunk(png, "IDAT", compressed);
    appendPngChunk(png, "IEND", {});
    return png;
}

// Qt writes no GIFs. This one keeps LZW at 9-bit codes by clearing the table often, which
// every decoder reads and which needs no compressor.
QByteArray gif(int width, int height)
{
    QByteArray out("GIF89a");
    appendLe16(out, quint16(width));
    appendLe16(out, quint16(height));
    out += char(0xf7); // a global colour table of 256 entries
    out += char(0);
    out += char(0);
    for (int i = 0; i < 256; ++i)
        out += QByteArray(3, char(i));
    out += char(0x2c);
    appendLe16(out, 0);
    appendLe16(out, 0);
    appendLe16(out, quint16(width));
    appendLe16(out, quint16(height));
    out += char(0);
    out += char(8); // minimum code size: 9-bit codes, clear = 256, end = 257

    QByteArray packed;
    quint32 bits = 0;
    int bitCount = 0;
    const auto emitCode = [&](quint32 code) {
        bits |= code << bitCount;
        bitCount += 9;
        while (bitCount >= 8) {
            packed += char(bits & 0xff);
            bits >>= 8;
            bitCount -= 8;
        }
    };
    int sinceClear = 0;
    for (int i = 0; i < width * height; ++i) {
        if (sinceClear == 0)
            emitCode(256);
        emitCode(quint32((i % width) * 255 / qMax(1, width - 1)));
        sinceClear = (sinceClear + 1) % 200;
    }
    emitCode(257);
    if (bitCount > 0)
        packed += char(bits & 0xff);
    for (qsizetype at = 0; at < packed.size(); at += 255) {
        const QByteArray block = packed.mid(at, 255);
        out += char(block.size());
        out += block;
    }
    out += char(0);
    out += char(0x3b);
    return out;
}

QByteArray encoded(const QImage &image, const char *format, int quality = -1)
{
    QByteArray bytes;
    QBuffer buffer(&bytes);
    buffer.open(QIODevice::WriteOnly);
    if (!image.save(&buffer, format, quality))
        qWarning() << "cannot encode a test image as" << format;
    return bytes;
}

QImage gradient(int width, int height, QImage::Format format = QImage::Format_RGB32)
{
    QImage image(width, height, format);
    for (int y = 0; y < height; ++y) {
        for (int x = 0; x < width; ++x)
            image.setPixel(x, y, qRgba(x % 256, y % 256, (x + y) % 256, 255));
    }
    return image;
}

// A TIFF (little-endian) with IFD0 = {Orientation, GPSInfo} and a GPS IFD with latitude
// and longitude whose rationals are easy to find in the file.
QByteArray exifWithGps(quint16 orientation)
{
    QByteArray tiff("II");
    appendLe16(tiff, 42);
    appendLe32(tiff, 8);
    // IFD0 at 8: 2 entries, next IFD 0 → ends at 8 + 2 + 24 + 4 = 38.
    appendLe16(tiff, 2);
    appendLe16(tiff, 0x0112);
    appendLe16(tiff, 3); // SHORT
    appendLe32(tiff, 1);
    appendLe16(tiff, orientation);
    appendLe16(tiff, 0);
    appendLe16(tiff, 0x8825);
    appendLe16(tiff, 4); // LONG
    appendLe32(tiff, 1);
    appendLe32(tiff, 38);
    appendLe32(tiff, 0);
    // GPS IFD at 38: 4 entries → ends at 38 + 2 + 48 + 4 = 92; rationals follow.
    appendLe16(tiff, 4);
    appendLe16(tiff, 0x0001); // GPSLatitudeRef "N"
    appendLe16(tiff, 2);
    appendLe32(tiff, 2);
    tiff += QByteArray("N\0\0\0", 4);
    appendLe16(tiff, 0x0002); // GPSLatitude, 3 RATIONALs at 92
    appendLe16(tiff, 5);
    appendLe32(tiff, 3);
    appendLe32(tiff, 92);
    appendLe16(tiff, 0x0003); // GPSLongitudeRef "E"
    appendLe16(tiff, 2);
    appendLe32(tiff, 2);
    tiff += QByteArray("E\0\0\0", 4);
    appendLe16(tiff, 0x0004); // GPSLongitude, 3 RATIONALs at 116
    appendLe16(tiff, 5);
    appendLe32(tiff, 3);
    appendLe32(tiff, 116);
    appendLe32(tiff, 0);
    for (quint32 value : {0x47114711U, 1U, 0x47124712U, 1U, 0x47134713U, 1U, 0x13371337U, 1U,
             0x13381338U, 1U, 0x13391339U, 1U})
        appendLe32(tiff, value);
    return QByteArray("Exif\0\0", 6) + tiff;
}

QByteArray withApp1(const QByteArray &jpeg, const QByteArray &payload)
{
    QByteArray segment("\xff\xe1", 2);
    char length[2];
    qToBigEndian(quint16(payload.size() + 2), length);
    segment.append(length, 2);
    segment += payload;
    return jpeg.left(2) + segment + jpeg.mid(2);
}

QByteArray le32(quint32 value)
{
    QByteArray out;
    appendLe32(out, value);
    return out;
}

// A zip holding one stored file, written out by hand so the test needs no archiver.
QByteArray zipWithOneFile()
{
    const QByteArray name("notes.txt");
    const QByteArray data("meeting at noon\n");
    const auto crc
        = quint32(crc32(0, reinterpret_cast<const Bytef *>(data.constData()), uInt(data.size())));
    QByteArray zip;
    appendLe32(zip, 0x04034b50);
    appendLe16(zip, 10);
    appendLe16(zip, 0);
    appendLe16(zip, 0); // stored
    appendLe32(zip, 0);
    appendLe32(zip, crc);
    appendLe32(zip, quint32(data.size()));
    appendLe32(zip, quint32(data.size()));
    appendLe16(zip, quint16(name.size()));
    appendLe16(zip, 0);
    zip += name + data;
    const auto central = quint32(zip.size());
    appendLe32(zip, 0x02014b50);
    appendLe16(zip, 20);
    appendLe16(zip, 10);
    appendLe16(zip, 0);
    appendLe16(zip, 0);
    appendLe32(zip, 0);
    appendLe32(zip, crc);
    appendLe32(zip, quint32(data.size()));
    appendLe32(zip, quint32(data.size()));
    appendLe16(zip, quint16(name.size()));
    appendLe16(zip, 0);
    appendLe16(zip, 0);
    appendLe16(zip, 0);
    appendLe16(zip, 0);
    appendLe32(zip, 0);
    appendLe32(zip, 0);
    zip += name;
    const auto centralSize = quint32(zip.size()) - central;
    appendLe32(zip, 0x06054b50);
    appendLe16(zip, 0);
    appendLe16(zip, 0);
    appendLe16(zip, 1);
    appendLe16(zip, 1);
    appendLe32(zip, centralSize);
    appendLe32(zip, central);
    appendLe16(zip, 0);
    return zip;
}

QImage decodedThumbnail(const InspectedFile &file)
{
    return QImage::fromData(file.thumbnail);
}

} // namespace

class TestFileInspector : public QObject
{
    Q_OBJECT

private:
    QTemporaryDir m_dir;
    int m_counter = 0;

    QString write(const QString &name, const QByteArray &bytes)
    {
        const QString path = m_dir.filePath(QString::number(++m_counter) + QLatin1Char('-') + name);
        QFile file(path);
        if (!file.open(QIODevice::WriteOnly) || file.write(bytes) != bytes.size())
            qWarning() << "cannot write" << path;
        return path;
    }

    static void expectNoImage(const InspectedFile &file)
    {
        QCOMPARE(file.width, 0);
        QCOMPARE(file.height, 0);
        QVERIFY(file.thumbnail.isEmpty());
        QVERIFY(file.thumbnailType.isEmpty());
        QCOMPARE(file.thumbnailWidth, 0);
        QCOMPARE(file.thumbnailHeight, 0);
    }

    static void expectThumbnail(
        const InspectedFile &file, QSize original, QSize thumbnail, const char *thumbnailType)
    {
        QCOMPARE(QSize(file.width, file.height), original);
        QCOMPARE(QSize(file.thumbnailWidth, file.thumbnailHeight), thumbnail);
        QCOMPARE(file.thumbnailType, QLatin1String(thumbnailType));
        const QImage decoded = decodedThumbnail(file);
        QCOMPARE(decoded.size(), thumbnail);
        QVERIFY(file.thumbnail.startsWith(QLatin1String(thumbnailType) == QLatin1String("image/png")
                ? QByteArray("\x89PNG")
                : QByteArray("\xff\xd8")));
    }

private Q_SLOTS:
    void initTestCase() { QVERIFY(m_dir.isValid()); }

    void pngThumbnailKeepsAspect()
    {
        const InspectedFile file
            = inspectFile(write(QStringLiteral("a.png"), encoded(gradient(800, 600), "png")));
        QCOMPARE(file.type, QStringLiteral("image/png"));
        expectThumbnail(file, {800, 600}, {400, 300}, "image/jpeg");
    }

    void transparentPngGetsPngThumbnail()
    {
        QImage image = gradient(300, 900, QImage::Format_ARGB32);
        image.setPixel(10, 10, qRgba(0, 0, 0, 0));
        const InspectedFile file
            = inspectFile(write(QStringLiteral("t.png"), encoded(image, "png")));
        QCOMPARE(file.type, QStringLiteral("image/png"));
        expectThumbnail(file, {300, 900}, {133, 400}, "image/png");
        QVERIFY(decodedThumbnail(file).hasAlphaChannel());
    }

    void smallImageGetsThumbnailOfItsOwnSize()
    {
        const InspectedFile file
            = inspectFile(write(QStringLiteral("s.png"), encoded(gradient(40, 30), "png")));
        expectThumbnail(file, {40, 30}, {40, 30}, "image/jpeg");
    }

    void jpegThumbnail()
    {
        const InspectedFile file
            = inspectFile(write(QStringLiteral("j.jpg"), encoded(gradient(1600, 400), "jpeg", 90)));
        QCOMPARE(file.type, QStringLiteral("image/jpeg"));
        expectThumbnail(file, {1600, 400}, {400, 100}, "image/jpeg");
    }

    void webpThumbnail()
    {
        if (!QImageReader::supportedImageFormats().contains("webp"))
            QSKIP("Qt's WebP plugin (qt6-image-formats-plugins) is not installed");
        const InspectedFile file
            = inspectFile(write(QStringLiteral("w.webp"), encoded(gradient(300, 600), "webp", 80)));
        QCOMPARE(file.type, QStringLiteral("image/webp"));
        expectThumbnail(file, {300, 600}, {200, 400}, "image/jpeg");
    }

    void gifThumbnailFromFirstFrame()
    {
        const InspectedFile file = inspectFile(write(QStringLiteral("g.gif"), gif(900, 450)));
        QCOMPARE(file.type, QStringLiteral("image/gif"));
        expectThumbnail(file, {900, 450}, {400, 200}, "image/jpeg");
        // The ramp survives scaling: dark on the left, light on the right.
        const QImage thumbnail = decodedThumbnail(file);
        QVERIFY(qGray(thumbnail.pixel(2, 100)) < 40);
        QVERIFY(qGray(thumbnail.pixel(397, 100)) > 215);
    }

    void pngBombOverPixelLimitIsNotDecoded()
    {
        const QByteArray bomb = zeroPng(30000, 30000, 1, 0, 0);
        QVERIFY(bomb.size() < 1024 * 1024);
        const InspectedFile file = inspectFile(write(QStringLiteral("bomb.png"), bomb));
        QCOMPARE(file.type, QStringLiteral("image/png"));
        expectNoImage(file);
    }

    void pngBombOverAllocationLimitFailsCleanly()
    {
        // 90 megapixels pass the header check but decode to 360 MB of RGB32, past 256 MiB.
        const QByteArray bomb = zeroPng(10000, 9000, 8, 2, 3);
        QVERIFY(bomb.size() < 1024 * 1024);
        const InspectedFile file = inspectFile(write(QStringLiteral("bomb2.png"), bomb));
        QCOMPARE(file.type, QStringLiteral("image/png"));
        expectNoImage(file);
    }

    void jpegClaimingHugeDimensionsIsNotDecoded()
    {
        QByteArray jpeg = encoded(gradient(64, 64), "jpeg", 90);
        const qsizetype sof = jpeg.indexOf(QByteArray("\xff\xc0", 2));
        QVERIFY(sof > 0);
        qToBigEndian(quint16(65000), jpeg.data() + sof + 5); // height
        qToBigEndian(quint16(65000), jpeg.data() + sof + 7); // width
        const InspectedFile file = inspectFile(write(QStringLiteral("huge.jpg"), jpeg));
        QCOMPARE(file.type, QStringLiteral("image/jpeg"));
        expectNoImage(file);
    }

    void jpegClaimingDimensionsUnderTheLimitButBrokenFailsCleanly()
    {
        QByteArray jpeg = encoded(gradient(64, 64), "jpeg", 90);
        const qsizetype sof = jpeg.indexOf(QByteArray("\xff\xc0", 2));
        qToBigEndian(quint16(9000), jpeg.data() + sof + 5);
        qToBigEndian(quint16(11000), jpeg.data() + sof + 7);
        const InspectedFile file = inspectFile(write(QStringLiteral("lying.jpg"), jpeg));
        QCOMPARE(file.type, QStringLiteral("image/jpeg"));
        // Whatever the decoder makes of the missing data, the answer stays within the box.
        QVERIFY(file.thumbnailWidth <= 400 && file.thumbnailHeight <= 400);
    }

    void htmlNamedPngIsHtml()
    {
        const InspectedFile file = inspectFile(write(QStringLiteral("photo.png"),
            "<!DOCTYPE "
            "html>\n<html><head><title>x</title></head><body><script>alert(1)</script></body></"
            "html>\n"));
        QCOMPARE(file.type, QStringLiteral("text/html"));
        expectNoImage(file);
    }

    void svgIsNeverDecoded()
    {
        const InspectedFile file = inspectFile(write(QStringLiteral("logo.svg"),
            "<?xml version=\"1.0\"?>\n<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"100\" "
            "height=\"100\"><rect width=\"100\" height=\"100\" fill=\"red\"/></svg>\n"));
        QVERIFY2(
            file.type == QLatin1String("image/svg+xml") || file.type == QLatin1String("text/xml"),
            qPrintable(file.type));
        expectNoImage(file);
    }

    void zipIsZip()
    {
        const InspectedFile file
            = inspectFile(write(QStringLiteral("photo.jpg"), zipWithOneFile()));
        QCOMPARE(file.type, QStringLiteral("application/zip"));
        expectNoImage(file);
    }

    void unknownBytesAreOctetStream()
    {
        QByteArray noise(4096, '\0');
        for (int i = 0; i < noise.size(); ++i)
            noise[i] = char((i * 7919 + 13) % 251);
        const InspectedFile file = inspectFile(write(QStringLiteral("x.gif"), noise));
        QCOMPARE(file.type, QStringLiteral("application/octet-stream"));
        expectNoImage(file);
    }

    void jpegGpsIsErasedAndOrientationKept()
    {
        // Stored 200 × 100, orientation 6 (turn a quarter clockwise): shown as 100 × 200.
        const QByteArray original
            = withApp1(encoded(gradient(200, 100), "jpeg", 90), exifWithGps(6));
        QVERIFY(original.contains(le32(0x47114711)));
        const QString path = write(QStringLiteral("gps.jpg"), original);
        const InspectedFile file = inspectFile(path);
        QCOMPARE(file.type, QStringLiteral("image/jpeg"));
        expectThumbnail(file, {100, 200}, {100, 200}, "image/jpeg");

        QFile stored(path);
        QVERIFY(stored.open(QIODevice::ReadOnly));
        const QByteArray scrubbed = stored.readAll();
        QCOMPARE(scrubbed.size(), original.size());
        for (quint32 value :
            {0x47114711U, 0x47124712U, 0x47134713U, 0x13371337U, 0x13381338U, 0x13391339U})
            QVERIFY(!scrubbed.contains(le32(value)));
        // The GPS IFD (8 bytes into the TIFF, after the 4-byte segment header and "Exif\0\0")
        // is now empty, and the latitude reference is gone.
        const qsizetype tiff = scrubbed.indexOf(QByteArray("Exif\0\0II", 8)) + 6;
        QVERIFY(tiff > 6);
        QCOMPARE(qFromLittleEndian<quint16>(scrubbed.constData() + tiff + 38), quint16(0));
        QVERIFY(!scrubbed.mid(tiff, 130).contains(QByteArray("N\0\0\0", 4)));
        // Everything outside the GPS data is byte for byte what was uploaded.
        QCOMPARE(scrubbed.left(tiff + 38), original.left(tiff + 38));
        QCOMPARE(scrubbed.mid(tiff + 140), original.mid(tiff + 140));

        QImageReader reader(path);
        QCOMPARE(reader.transformation(), QImageIOHandler::TransformationRotate90);
        reader.setAutoTransform(true);
        QCOMPARE(reader.read().size(), QSize(100, 200));

        // A second inspection finds nothing left to erase and changes nothing.
        inspectFile(path);
        stored.seek(0);
        QCOMPARE(stored.readAll(), scrubbed);
    }

    void jpegXmpGpsIsBlanked()
    {
        const QByteArray xmp = QByteArray("http://ns.adobe.com/xap/1.0/", 28) + '\0'
            + "<x:xmpmeta xmlns:x=\"adobe:ns:meta/\"><rdf:RDF "
              "xmlns:rdf=\"http://www.w3.org/1999/02/22-rdf-syntax-ns#\">"
              "<rdf:Description xmlns:exif=\"http://ns.adobe.com/exif/1.0/\" "
              "xmlns:dc=\"http://purl.org/dc/elements/1.1/\" "
              "exif:GPSLatitude=\"52,31.0981N\" exif:GPSLongitude='13,24.3312E' "
              "dc:format=\"image/jpeg\">"
              "<exif:GPSAltitude>34/1</exif:GPSAltitude>"
              "<exif:GPSTimeStamp><rdf:Seq><rdf:li>2026-12-05T06:00:00Z</rdf:li></rdf:Seq>"
              "</exif:GPSTimeStamp><exif:GPSVersionID/>"
              "</rdf:Description></rdf:RDF></x:xmpmeta>";
        const QByteArray original = withApp1(encoded(gradient(64, 48), "jpeg", 90), xmp);
        const QString path = write(QStringLiteral("xmp.jpg"), original);
        const InspectedFile file = inspectFile(path);
        expectThumbnail(file, {64, 48}, {64, 48}, "image/jpeg");
        QFile stored(path);
        QVERIFY(stored.open(QIODevice::ReadOnly));
        const QByteArray scrubbed = stored.readAll();
        QCOMPARE(scrubbed.size(), original.size());
        for (const char *gone :
            {"52,31.0981N", "13,24.3312E", "34/1", "2026-12-05T06:00:00Z", "rdf:Seq"})
            QVERIFY2(!scrubbed.contains(gone), gone);
        // The XML is still well formed and its other properties are untouched.
        QVERIFY(scrubbed.contains("exif:GPSLatitude=\"           \""));
        QVERIFY(scrubbed.contains("dc:format=\"image/jpeg\""));
        QVERIFY(scrubbed.contains("<exif:GPSAltitude>    </exif:GPSAltitude>"));
        QVERIFY(scrubbed.contains("<exif:GPSVersionID/>"));
        const qsizetype start = scrubbed.indexOf("<x:xmpmeta");
        const qsizetype end = scrubbed.indexOf("</x:xmpmeta>") + 12;
        QXmlStreamReader xml(scrubbed.mid(start, end - start));
        while (!xml.atEnd())
            xml.readNext();
        QVERIFY2(!xml.hasError(), qPrintable(xml.errorString()));
        QVERIFY(!QImage(path).isNull());
    }

    void hostileXmpIsScannedOnce()
    {
        // Thousands of GPS openers with no end, and attribute values with no closing quote:
        // the scan stays linear (a lazy match rescanned to the end for each, minutes of a
        // finish worker for one 64 KiB segment), and the real location still goes.
        QByteArray xmp("http://ns.adobe.com/xap/1.0/");
        xmp.append('\0');
        xmp += "<x:xmpmeta><rdf:Description exif:GPSLatitude=\"51,30.0N\" "
               "exif:GPSLongitude='0,7.5W'>";
        for (int i = 0; i < 6000; ++i)
            xmp += "<exif:GPSAltitude>";
        for (int i = 0; i < 3000; ++i)
            xmp += " a:GPSx=\"";
        const qsizetype size = xmp.size();
        QVERIFY(confab::server::scrubXmpGps(xmp));
        QCOMPARE(xmp.size(), size);
        QVERIFY(!xmp.contains("51,30.0N"));
        QVERIFY(!xmp.contains("0,7.5W"));
    }

    void twelveMegapixelJpegDecodesScaled()
    {
        const QByteArray photo = encoded(gradient(4000, 3000), "jpeg", 85);
        const QString path = write(QStringLiteral("photo.jpg"), photo);
        QElapsedTimer timer;
        timer.start();
        const InspectedFile file = inspectFile(path);
        qInfo() << "12-megapixel JPEG inspected in" << timer.elapsed() << "ms";
        expectThumbnail(file, {4000, 3000}, {400, 300}, "image/jpeg");
    }

    void inspectionsRunInParallel()
    {
        const QString png = write(QStringLiteral("p.png"), encoded(gradient(500, 500), "png"));
        const QString html = write(QStringLiteral("h.png"), "<html><body>hi</body></html>\n");
        QList<QFuture<InspectedFile>> futures;
        for (int i = 0; i < 16; ++i)
            futures << QtConcurrent::run([path = i % 2 ? html : png] { return inspectFile(path); });
        for (int i = 0; i < futures.size(); ++i) {
            const InspectedFile file = futures[i].result();
            QCOMPARE(file.type, i % 2 ? QStringLiteral("text/html") : QStringLiteral("image/png"));
            QCOMPARE(file.thumbnailWidth, i % 2 ? 0 : 400);
        }
    }
};

QTEST_GUILESS_MAIN(TestFileInspector)
#include "tst_fileinspector.moc"
