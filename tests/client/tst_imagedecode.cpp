// SPDX-License-Identifier: GPL-3.0-or-later
// Pictures are decoded under limits (docs/protocol.md §16.5): a decompression bomb or an
// image claiming a huge size fails cleanly, through the decoder and the image provider.
#include "files/imagedecode.h"
#include "files/pendingimageprovider.h"

#include <QBuffer>
#include <QImage>
#include <QQuickTextureFactory>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QtEndian>
#include <QtTest>
#include <array>

using namespace Qt::StringLiterals;
using namespace confab;

namespace {

quint32 crc32(const QByteArray &bytes)
{
    static const auto table = [] {
        std::array<quint32, 256> t {};
        for (quint32 n = 0; n < 256; ++n) {
            quint32 c = n;
            for (int k = 0; k < 8; ++k)
                c = (c & 1) ? 0xedb88320U ^ (c >> 1) : c >> 1;
            t[n] = c;
        }
        return t;
    }();
    quint32 c = 0xffffffffU;
    for (char b : bytes)
        c = table[(c ^ quint8(b)) & 0xff] ^ (c >> 8);
    return c ^ 0xffffffffU;
}

QByteArray chunk(const QByteArray &type, const QByteArray &data)
{
    QByteArray out(4, '\0');
    qToBigEndian(quint32(data.size()), out.data());
    const QByteArray body = type + data;
    out += body;
    QByteArray crc(4, '\0');
    qToBigEndian(crc32(body), crc.data());
    return out + crc;
}

/*! \brief A PNG whose header claims \a width x \a height RGBA pixels and whose data is a
 * few rows of zeros: what a decompression bomb looks like to a decoder's first steps. */
QByteArray bombPng(quint32 width, quint32 height)
{
    QByteArray ihdr(13, '\0');
    qToBigEndian(width, ihdr.data());
    qToBigEndian(height, ihdr.data() + 4);
    ihdr[8] = 8; // bit depth
    ihdr[9] = 6; // RGBA
    const QByteArray rows(4 * (1 + 4 * qsizetype(width)), '\0');
    const QByteArray idat = qCompress(rows, 9).mid(4); // zlib stream without Qt's length
    return "\x89PNG\r\n\x1a\n"_ba + chunk("IHDR", ihdr) + chunk("IDAT", idat) + chunk("IEND", {});
}

} // namespace

class TestImageDecode : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void decodesWithinTheRequestedSize()
    {
        QImage source(800, 400, QImage::Format_RGB32);
        source.fill(Qt::red);
        QByteArray png;
        QBuffer buffer(&png);
        QVERIFY(buffer.open(QIODevice::WriteOnly));
        QVERIFY(source.save(&buffer, "PNG"));
        buffer.close();
        QVERIFY(buffer.open(QIODevice::ReadOnly));
        QString error;
        const QImage image = client::imagedecode::decode(&buffer, QSize(100, 100), &error);
        QVERIFY2(!image.isNull(), qPrintable(error));
        QCOMPARE(image.size(), QSize(100, 50));
    }

    void hugeClaimsFail_data()
    {
        QTest::addColumn<quint32>("width");
        QTest::addColumn<quint32>("height");
        QTest::newRow("2.5 gigapixels in the header") << 50'000U << 50'000U;
        // Under the pixel limit, over the allocation limit (360 MB of RGBA).
        QTest::newRow("90 megapixels of RGBA") << 10'000U << 9'000U;
    }

    void hugeClaimsFail()
    {
        QFETCH(quint32, width);
        QFETCH(quint32, height);
        QByteArray png = bombPng(width, height);
        QBuffer buffer(&png);
        QVERIFY(buffer.open(QIODevice::ReadOnly));
        QString error;
        QElapsedTimer clock;
        clock.start();
        const QImage image = client::imagedecode::decode(&buffer, QSize(), &error);
        QVERIFY(image.isNull());
        QVERIFY(!error.isEmpty());
        QVERIFY(clock.elapsed() < 5000);
    }

    void notAnImageIsNoImage()
    {
        QByteArray svg = "<svg xmlns='http://www.w3.org/2000/svg' width='10' height='10'/>"_ba;
        QBuffer buffer(&svg);
        QVERIFY(buffer.open(QIODevice::ReadOnly));
        QVERIFY(client::imagedecode::decode(&buffer, QSize()).isNull());
    }

    // The provider answers a bomb with an error, off the GUI thread, and nothing else.
    void pendingProviderFailsCleanly()
    {
        QTemporaryDir dir;
        const QString bomb = dir.filePath(u"bomb.png"_s);
        QFile f(bomb);
        QVERIFY(f.open(QIODevice::WriteOnly));
        f.write(bombPng(10'000, 9'000));
        f.close();
        auto paths = std::make_shared<client::PendingPaths>();
        paths->insert(u"1"_s, bomb);
        client::PendingImageProvider provider(paths);
        for (const QString &token : {u"1"_s, u"unknown"_s}) {
            std::unique_ptr<QQuickImageResponse> response(
                provider.requestImageResponse(token, QSize(200, 200)));
            QSignalSpy finished(response.get(), &QQuickImageResponse::finished);
            QVERIFY(finished.wait(5000));
            QVERIFY(!response->errorString().isEmpty());
        }
    }
};

QTEST_MAIN(TestImageDecode)
#include "tst_imagedecode.moc"
