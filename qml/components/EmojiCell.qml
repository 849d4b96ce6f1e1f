// SPDX-License-Identifier: GPL-3.0-or-later
pragma ComponentBehavior: Bound
import QtQuick
import QtQuick.Controls
import Confab

// One emoji of the picker's grid (EmojiModel's row).
Item {
    id: root

    required property int index
    required property string emoji
    required property string name
    required property string groupName
    required property bool recent
    property int size: 36
    property bool current: false

    signal clicked(int row)

    width: root.size
    height: root.size
    Accessible.role: Accessible.ListItem
    Accessible.name: root.name

    Rectangle {
        anchors.fill: parent
        visible: root.current
        color: Theme.sidebarSelected
        radius: 6
    }
    Text {
        anchors.centerIn: parent
        text: root.emoji
        font.family: Theme.emojiFontFamily
        font.pixelSize: 22
        color: Theme.text
    }
    MouseArea {
        id: mouse
        anchors.fill: parent
        hoverEnabled: true
        onClicked: root.clicked(root.index)
    }
    ToolTip.text: root.name
    ToolTip.visible: mouse.containsMouse
    ToolTip.delay: 600
}
