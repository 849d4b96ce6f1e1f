// SPDX-License-Identifier: GPL-3.0-or-later
pragma ComponentBehavior: Bound
import QtQuick
import QtQuick.Controls

// A pill with a count; the row that shows it carries the accessible text.
Rectangle {
    id: root

    property string text
    property color textColor: "#ffffff"

    implicitWidth: Math.max(implicitHeight, label.implicitWidth + 12)
    implicitHeight: label.implicitHeight + 4
    radius: implicitHeight / 2
    Accessible.ignored: true

    Label {
        id: label
        anchors.centerIn: parent
        text: root.text
        color: root.textColor
        font.pixelSize: 11
        font.bold: true
    }
}
