// SPDX-License-Identifier: GPL-3.0-or-later
pragma ComponentBehavior: Bound
import QtQuick
import QtQuick.Controls
import Confab
import Confab.Client

// Leaving drops the channel or group from the list and its read position, so it asks
// first. (1:1 direct rooms cannot be left: the header offers this for channels and groups.)
Dialog {
    id: root
    objectName: "leaveRoomDialog"

    title: CurrentRoom.group ? qsTr("Leave “%1”?").arg(CurrentRoom.name)
                             : qsTr("Leave #%1?").arg(CurrentRoom.name)
    modal: true
    background: PopupBackground {}
    anchors.centerIn: Overlay.overlay
    width: Math.min(440, Overlay.overlay ? Overlay.overlay.width - 48 : 440)

    // Qt 6.4's qmllint knows no qint64 (qlonglong): reading currentRoomId is not a type error.
    onAccepted: RoomActions.leaveRoom(CurrentRoom.roomId) // qmllint disable type

    Label {
        anchors.left: parent.left
        anchors.right: parent.right
        wrapMode: Text.Wrap
        text: CurrentRoom.group
            ? qsTr("You will no longer see its messages. Someone in it can add you back.")
            : qsTr("You can join the channel again later from “Browse channels”.")
    }

    footer: DialogButtons {
        dialog: root
        acceptText: qsTr("Leave")
    }
}
