// SPDX-License-Identifier: GPL-3.0-or-later
pragma ComponentBehavior: Bound
import QtQuick
import QtQuick.Controls
import Confab
import Confab.Client

// The timeline's header: once the oldest message is loaded, says this is where the room
// begins. Created by the list from its URL (see Timeline.qml).
Item {
    id: root

    readonly property bool atStart: CurrentRoom.timeline !== null && !CurrentRoom.timeline.hasMoreBefore

    width: parent ? parent.width : 0
    height: root.atStart ? label.implicitHeight + 32 : 0

    Label {
        id: label
        objectName: "timelineStartLabel"
        visible: root.atStart
        anchors.left: parent.left
        anchors.leftMargin: 20
        anchors.verticalCenter: parent.verticalCenter
        // A 1:1 room says who by display name (§18.2); a group by its own name.
        text: CurrentRoom.direct
            ? qsTr("This is the beginning of your conversation with %1.").arg(
                CurrentRoom.group ? CurrentRoom.name
                                  : (Profiles.revision, Profiles.displayName(CurrentRoom.name)))
            : qsTr("This is the beginning of #%1.").arg(CurrentRoom.name)
        color: Theme.mutedText
        Accessible.role: Accessible.StaticText
        Accessible.name: label.text
    }
}
