// SPDX-License-Identifier: GPL-3.0-or-later
// The invite QR code as the host's screen draws it, read back by a real decoder (zbarimg,
// what a phone's camera app does): a link with every member survives the round trip.
#include "hosting/qrcodeitem.h"

#include <QImage>
#include <QPainter>
#include <QProcess>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QtTest>

using namespace Qt::StringLiterals;
using confab::client::QrCodeItem;

class TestQrCode : public QObject
{
    Q_OBJECT

private:
    static QString decode(QrCodeItem &item, int side)
    {
        item.setSize(QSizeF(side, side));
        QImage image(side, side, QImage::Format_RGB32);
        image.fill(Qt::red); // what paint() does not cover shows
        QPainter painter(&image);
        item.paint(&painter);
        painter.end();
        QTemporaryDir dir;
        const QString path = dir.filePath(u"code.png"_s);
        if (!image.save(path))
            return u"(cannot save)"_s;
        QProcess zbar;
        zbar.start(u"zbarimg"_s, {u"--raw"_s, u"-q"_s, path});
        if (!zbar.waitForFinished(20000))
            return u"(zbarimg hung)"_s;
        return QString::fromUtf8(zbar.readAllStandardOutput()).trimmed();
    }

private Q_SLOTS:
    void initTestCase()
    {
        if (QStandardPaths::findExecutable(u"zbarimg"_s).isEmpty())
            QSKIP("zbarimg (zbar-tools) is not installed: tools/install-deps installs it");
    }

    void anInviteLinkReadsBack()
    {
        const QString link
            = u"confab://192.168.1.20:8747/join?fp=5e0b9ad3c1f24e7a8b6d0c3f9e2a71b4d8c6e5f30a1b2c3d4e5f60718293a4b5&id=6d3f0c52-6f8e-4b8a-9a43-7e1f0c2d9b11&name=Caf%C3%A9%20%C3%BC&invite=k3J9x"_s;
        QrCodeItem item;
        item.setText(link);
        QVERIFY(item.modules() >= 21);
        QCOMPARE(decode(item, 240), link);
        // The quiet zone is light: the code never touches the item's edge.
        QVERIFY(!item.isDark(-1, 0));
    }

    void itsFinderPatternsAreWhereTheStandardPutsThem()
    {
        QrCodeItem item;
        item.setText(u"confab"_s);
        const int n = item.modules();
        QVERIFY(n >= 21);
        // Each finder is a dark 7x7 ring around a light ring around a dark 3x3 core.
        for (const auto &[x0, y0] : {std::pair {0, 0}, {n - 7, 0}, {0, n - 7}}) {
            QVERIFY(item.isDark(x0, y0) && item.isDark(x0 + 6, y0 + 6));
            QVERIFY(!item.isDark(x0 + 1, y0 + 1));
            QVERIFY(item.isDark(x0 + 3, y0 + 3));
        }
    }

    void noTextNoCode()
    {
        QrCodeItem item;
        item.setText(u"x"_s);
        QVERIFY(item.modules() > 0);
        item.setText(QString());
        QCOMPARE(item.modules(), 0);
        QCOMPARE(decode(item, 100), QString());
    }
};

QTEST_MAIN(TestQrCode)
#include "tst_qrcode.moc"
