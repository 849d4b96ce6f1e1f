// SPDX-License-Identifier: GPL-3.0-or-later
pragma ComponentBehavior: Bound
import QtQuick
import QtQuick.Controls
import Confab

// "Channels" / "Direct messages" above the room list's sections. The list creates it from
// its URL (see RoomSidebar.qml), so it only knows what the section property gives it.
Label {
    id: root

    required property string section

    width: parent ? parent.width : implicitWidth
    leftPadding: 16
    topPadding: 14
    bottomPadding: 4
    text: root.section === "direct" ? qsTr("Direct messages") : qsTr("Channels")
    color: Theme.mutedText
    font.pixelSize: 12
    font.bold: true
    font.capitalization: Font.AllUppercase
    Accessible.role: Accessible.Heading
    Accessible.name: root.text
}
