// SPDX-License-Identifier: GPL-3.0-or-later
pragma ComponentBehavior: Bound
import QtQuick
import QtQuick.Controls
import Confab

// A round initial in the user's colour; decorative, so hidden from screen readers
// (the row it sits in names the user).
Rectangle {
    id: root

    required property string name
    property int size: Theme.avatarSize

    implicitWidth: root.size
    implicitHeight: root.size
    radius: root.size / 2
    color: Theme.avatarColor(root.name)
    Accessible.ignored: true

    Label {
        anchors.centerIn: parent
        text: root.name.length > 0 ? root.name.charAt(0).toUpperCase() : ""
        color: "#ffffff"
        font.pixelSize: root.size * 0.45
        font.bold: true
    }
}
