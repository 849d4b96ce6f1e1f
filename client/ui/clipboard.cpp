// SPDX-License-Identifier: GPL-3.0-or-later
#include "ui/clipboard.h"

#include <QClipboard>
#include <QGuiApplication>

namespace confab::client {

Clipboard::Clipboard(QObject *parent)
    : QObject(parent)
{ }

void Clipboard::setText(const QString &text)
{
    QGuiApplication::clipboard()->setText(text, QClipboard::Clipboard);
}

QString Clipboard::text() const
{
    return QGuiApplication::clipboard()->text(QClipboard::Clipboard);
}

} // namespace confab::client
