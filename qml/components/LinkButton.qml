// SPDX-License-Identifier: GPL-3.0-or-later
pragma ComponentBehavior: Bound
import QtQuick
import QtQuick.Controls
import Confab

// An inline action that reads like a link ("Retry now", "Discard"): a real button for
// keyboard and screen readers, without a button's height in a line of text.
AbstractButton {
    id: root

    property color color: Theme.link

    focusPolicy: Qt.StrongFocus
    padding: 0
    Accessible.role: Accessible.Button
    Accessible.name: root.text
    HoverHandler {
        cursorShape: Qt.PointingHandCursor
    }

    contentItem: Label {
        text: root.text
        color: root.color
        font.underline: root.hovered || root.visualFocus
    }
    background: null
}
