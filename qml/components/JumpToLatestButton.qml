// SPDX-License-Identifier: GPL-3.0-or-later
pragma ComponentBehavior: Bound
import QtQuick
import QtQuick.Controls
import QtQuick.Controls.Material
import Confab

// "Jump to latest" at the bottom of a timeline scrolled up, counting what arrived since.
RoundButton {
    id: root
    objectName: "jumpToLatestButton"

    property int newCount: 0

    highlighted: root.newCount > 0
    icon.source: "qrc:/Confab/icons/down.svg"
    icon.color: root.highlighted ? (Theme.dark ? "#10131a" : "#ffffff") : Theme.text
    Material.foreground: root.highlighted ? (Theme.dark ? "#10131a" : "#ffffff") : Theme.text
    // Plain fill: Material's is drawn through a shader the software renderer drops.
    background: Rectangle {
        implicitHeight: 40
        radius: height / 2
        color: root.highlighted ? Theme.accent : Theme.window
        border.color: root.highlighted ? Theme.accent : Theme.divider
    }
    text: root.newCount > 0
        ? qsTr("%n new message(s)", "", root.newCount)
        : qsTr("Jump to latest")
    Accessible.role: Accessible.Button
    Accessible.name: root.newCount > 0
        ? qsTr("Jump to latest, %n new message(s)", "", root.newCount)
        : qsTr("Jump to latest")
}
