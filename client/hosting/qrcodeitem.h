// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QQuickPaintedItem>
#include <QString>
#include <QtQml/qqmlregistration.h>
#include <vector>

namespace confab::client {

/*!
 * \brief \c text as a QR code, drawn black on white with its quiet zone, scaled to whole
 * pixels per module so that a phone's camera reads it off any screen.
 *
 * Made with libqrencode (Debian-packaged, the encoder most Linux tools use); Qt has none.
 */
class QrCodeItem : public QQuickPaintedItem
{
    Q_OBJECT
    QML_NAMED_ELEMENT(QrCode)
    Q_PROPERTY(QString text READ text WRITE setText NOTIFY textChanged)
    //! Modules per side, quiet zone excluded; 0 if the text could not be encoded.
    Q_PROPERTY(int modules READ modules NOTIFY textChanged)

public:
    explicit QrCodeItem(QQuickItem *parent = nullptr);

    QString text() const { return m_text; }
    void setText(const QString &text);
    int modules() const { return m_modules; }
    /*! \brief Whether the module at \a x, \a y is dark (tests read the code back). */
    bool isDark(int x, int y) const;

    void paint(QPainter *painter) override;

Q_SIGNALS:
    void textChanged();

private:
    QString m_text;
    int m_modules = 0;
    std::vector<bool> m_dark; //!< m_modules * m_modules, row by row
};

} // namespace confab::client
