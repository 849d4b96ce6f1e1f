// SPDX-License-Identifier: GPL-3.0-or-later
pragma ComponentBehavior: Bound
import QtQuick
import QtQuick.Controls
import Confab

// The actions shown over a message while the pointer is on it: Reply, React, and for
// the user's own messages Edit and Delete. The row decides when it shows; the timeline
// opens the emoji picker and asks before deleting.
Rectangle {
    id: root
    objectName: "messageActionBar"

    property bool own: false
    signal replyClicked()
    signal reactClicked()
    signal editClicked()
    signal deleteClicked()

    implicitWidth: buttons.implicitWidth + 4
    implicitHeight: buttons.implicitHeight + 4
    radius: 6
    color: Theme.window
    border.color: Theme.divider

    component BarButton: ToolButton {
        id: button
        property string label
        focusPolicy: Qt.NoFocus
        implicitWidth: 32
        implicitHeight: 30
        font.pixelSize: 15
        Accessible.role: Accessible.Button
        Accessible.name: button.label
        ToolTip.visible: button.hovered
        ToolTip.delay: 400
        ToolTip.text: button.label
    }

    Row {
        id: buttons
        anchors.centerIn: parent
        BarButton {
            objectName: "replyButton"
            text: "↩"
            label: qsTr("Reply")
            onClicked: root.replyClicked()
        }
        BarButton {
            objectName: "reactButton"
            text: "☺"
            label: qsTr("React")
            onClicked: root.reactClicked()
        }
        BarButton {
            objectName: "editButton"
            visible: root.own
            text: "✎"
            label: qsTr("Edit")
            onClicked: root.editClicked()
        }
        BarButton {
            objectName: "deleteButton"
            visible: root.own
            text: "🗑"
            label: qsTr("Delete")
            onClicked: root.deleteClicked()
        }
    }
}
