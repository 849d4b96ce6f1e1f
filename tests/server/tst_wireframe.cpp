// SPDX-License-Identifier: GPL-3.0-or-later
// Frames confabd writes itself (RFC 6455 §5.2): lengths at every encoding boundary, and
// close frames whose reason must stay valid UTF-8 within a control frame's 125 bytes.
#include "net/wireframe.h"

#include <QtEndian>
#include <QtTest>

using confab::server::WireFrame;

class TestWireFrame : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void textLengths_data()
    {
        QTest::addColumn<int>("size");
        QTest::addColumn<int>("headerSize");
        QTest::newRow("empty") << 0 << 2;
        QTest::newRow("7-bit max") << 125 << 2;
        QTest::newRow("16-bit min") << 126 << 4;
        QTest::newRow("16-bit max") << 65535 << 4;
        QTest::newRow("64-bit min") << 65536 << 10;
        QTest::newRow("large") << 1'000'003 << 10;
    }

    void textLengths()
    {
        QFETCH(int, size);
        QFETCH(int, headerSize);
        const QByteArray payload(size, 'a');
        const WireFrame f = WireFrame::text(payload);
        const QByteArray &b = f.bytes();
        QCOMPARE(b.size(), qsizetype(headerSize + size));
        QCOMPARE(uchar(b[0]), uchar(0x81)); // FIN + text
        QCOMPARE(uchar(b[1]) & 0x80, 0); // a server never masks
        const int marker = uchar(b[1]);
        if (headerSize == 2)
            QCOMPARE(marker, size);
        else if (headerSize == 4)
            QCOMPARE(int(qFromBigEndian<quint16>(b.constData() + 2)), size);
        else
            QCOMPARE(qFromBigEndian<quint64>(b.constData() + 2), quint64(size));
        if (headerSize == 4)
            QCOMPARE(marker, 126);
        if (headerSize == 10)
            QCOMPARE(marker, 127);
        QCOMPARE(f.payload(), QByteArrayView(payload));
    }

    void binaryFrameCarriesHeadThenData()
    {
        const QByteArray head("0123456789abcdefg");
        const QByteArray data(70'000, 'x');
        const WireFrame f = WireFrame::binary(head, data);
        const QByteArray &b = f.bytes();
        QCOMPARE(uchar(b[0]), uchar(0x82)); // FIN + binary
        QCOMPARE(int(uchar(b[1])), 127);
        QCOMPARE(qFromBigEndian<quint64>(b.constData() + 2), quint64(head.size() + data.size()));
        QCOMPARE(f.payload().toByteArray(), QByteArray(head + data));
        QVERIFY(f.isBinary());
        QVERIFY(!WireFrame::text("{}").isBinary());
    }

    void closeFrameCarriesCodeAndReason()
    {
        const WireFrame f
            = WireFrame::close(4004, QStringLiteral("rate limit exceeded repeatedly"));
        const QByteArray &b = f.bytes();
        QCOMPARE(uchar(b[0]), uchar(0x88)); // FIN + close
        QCOMPARE(int(uchar(b[1])), 2 + 30);
        QCOMPARE(qFromBigEndian<quint16>(b.constData() + 2), quint16(4004));
        QCOMPARE(b.mid(4), QByteArray("rate limit exceeded repeatedly"));
    }

    void closeReasonIsCutOnACharacterBoundary()
    {
        // 61 two-byte characters = 122 bytes, then a three-byte one that would end at 125.
        const QString reason = QString(61, QChar(0x00E9)) + QChar(0x20AC) + QStringLiteral("tail");
        const WireFrame f = WireFrame::close(1001, reason);
        const QByteArray text = f.bytes().mid(4);
        QVERIFY(f.bytes().size() - 2 <= 125);
        QCOMPARE(text.size(), qsizetype(122));
        QCOMPARE(QString::fromUtf8(text), QString(61, QChar(0x00E9)));
    }
};

QTEST_GUILESS_MAIN(TestWireFrame)
#include "tst_wireframe.moc"
