// SPDX-License-Identifier: GPL-3.0-or-later
#include "hosting/qrcodeitem.h"

#include <QPainter>
#include <qrencode.h>

namespace confab::client {

namespace {
// ISO/IEC 18004 asks for four modules of light margin around the symbol.
constexpr int QuietZone = 4;
} // namespace

QrCodeItem::QrCodeItem(QQuickItem *parent)
    : QQuickPaintedItem(parent)
{
    setAntialiasing(false);
}

void QrCodeItem::setText(const QString &text)
{
    if (text == m_text)
        return;
    m_text = text;
    m_modules = 0;
    m_dark.clear();
    const QByteArray utf8 = text.toUtf8();
    // Level M: a smudged or partly covered screen still reads, at a size a link fits in.
    QRcode *code
        = utf8.isEmpty() ? nullptr : QRcode_encodeString8bit(utf8.constData(), 0, QR_ECLEVEL_M);
    if (code) {
        m_modules = code->width;
        m_dark.resize(std::size_t(m_modules) * std::size_t(m_modules));
        for (std::size_t i = 0; i < m_dark.size(); ++i)
            m_dark[i] = (code->data[i] & 1) != 0;
        QRcode_free(code);
    }
    Q_EMIT textChanged();
    update();
}

bool QrCodeItem::isDark(int x, int y) const
{
    if (x < 0 || y < 0 || x >= m_modules || y >= m_modules)
        return false;
    return m_dark[std::size_t(y) * std::size_t(m_modules) + std::size_t(x)];
}

void QrCodeItem::paint(QPainter *painter)
{
    const int side = int(std::min(width(), height()));
    painter->fillRect(0, 0, side, side, Qt::white);
    if (m_modules == 0)
        return;
    const int total = m_modules + 2 * QuietZone;
    const int scale = std::max(1, side / total);
    const int offset = (side - scale * total) / 2 + scale * QuietZone;
    for (int y = 0; y < m_modules; ++y) {
        for (int x = 0; x < m_modules; ++x) {
            if (isDark(x, y))
                painter->fillRect(offset + x * scale, offset + y * scale, scale, scale, Qt::black);
        }
    }
}

} // namespace confab::client
