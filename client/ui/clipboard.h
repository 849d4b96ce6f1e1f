// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QObject>
#include <QString>
#include <QtQml/qqmlregistration.h>

namespace confab::client {

/*!
 * \brief The system clipboard for QML, which in Qt 6.4 can only copy a text item's
 * selection: "Copy text" and "Copy link address" put a string there.
 */
class Clipboard : public QObject
{
    Q_OBJECT
    QML_ELEMENT
    QML_SINGLETON

public:
    explicit Clipboard(QObject *parent = nullptr);

    /*! \brief Replaces the clipboard's content with \a text. */
    Q_INVOKABLE void setText(const QString &text);
    Q_INVOKABLE QString text() const;
};

} // namespace confab::client
