// SPDX-License-Identifier: GPL-3.0-or-later
pragma ComponentBehavior: Bound
import QtQuick
import QtQuick.Controls
import Confab

// The main action of a form or dialog. Material fills its buttons through a shadow shader,
// which the software renderer drops (leaving white text on white); this fill is plain.
Button {
    id: root

    highlighted: true
    Accessible.role: Accessible.Button
    Accessible.name: root.text

    background: Rectangle {
        implicitWidth: 64
        implicitHeight: 36
        radius: 4
        color: !root.enabled ? Theme.divider
             : root.down ? Qt.darker(Theme.accent, 1.15)
             : root.hovered || root.visualFocus ? Qt.lighter(Theme.accent, 1.08) : Theme.accent
        border.width: root.visualFocus ? 2 : 0
        border.color: Theme.text
    }
    contentItem: Label {
        text: root.text
        font: root.font
        color: !root.enabled ? Theme.mutedText : Theme.dark ? "#10131a" : "#ffffff"
        horizontalAlignment: Text.AlignHCenter
        verticalAlignment: Text.AlignVCenter
        elide: Text.ElideRight
    }
}
