// SPDX-License-Identifier: GPL-3.0-or-later
pragma ComponentBehavior: Bound
import QtQuick
import QtQuick.Controls
import Confab

// A room's name above its search results. The list creates it from its URL (see
// RoomSidebar.qml), so it only knows what the section property gives it.
Label {
    id: root
    objectName: "searchSection"

    required property string section

    width: parent ? parent.width : implicitWidth
    topPadding: 8
    bottomPadding: 2
    leftPadding: 6
    text: root.section
    font.bold: true
    color: Theme.mutedText
    elide: Text.ElideRight
    Accessible.role: Accessible.Heading
    Accessible.name: root.section
}
